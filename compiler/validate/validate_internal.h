/* Shared between the files of the validate stage only. */
#ifndef GWC_VALIDATE_INTERNAL_H
#define GWC_VALIDATE_INTERNAL_H

#include "validate.h"

#include "base/str.h"
#include "base/strhash.h"

#include "base/diag.h"

struct arena;

#include <stdbool.h>
#include <stddef.h>

/*
 * The API server's part (schema*.c): every CRD size limit, string pattern,
 * enum and CEL rule, checked on the defaulted model.  Each violation is a
 * DCLASS_MANIFEST diagnostic at the exact field, and the object is marked
 * rejected (o->rejected) so the controller never sees it.
 */
void schema_check(struct compilation *c, struct model *m);


/* schema_util.c: can s name a Service (a DNS-1035 label: lowercase letters,
 * digits and '-', starting with a letter, at most 63 characters)? */
bool is_service_name(const char *s);


/* tls_material.c: NULL when usable, else what is wrong ("is not of type
 * kubernetes.io/tls"), to follow "Secret 'ns/name' ". */
const char *tls_secret_problem(struct arena *a, const struct secret *s,
                               struct certificate *out);
const char *ca_config_map_problem(struct arena *a, const struct config_map *cm,
                                  const char **pem);
bool secret_value(struct arena *a, const struct secret *s, const char *key,
                  char **out, size_t *len);

/* The controller's part (controller.c and friends). */
void controller_build(struct compilation *c, struct model *m,
                      const struct validate_options *o, struct controller *out);

/* What the controller's passes share. */
struct ctx {
    struct compilation *c;
    struct model *m;
    const struct validate_options *o;
    struct controller *ctl;
    /* Lookups built once (grants.c, gateways.c). */
    struct strhash grants;           /* see grants_index() */
    struct strhash gateways;         /* nsname -> struct gateway_state * */
    struct strhash listener_sets;    /* nsname -> struct listener_set_state * */
};

/* grants.c: indexes the ReferenceGrants the API server keeps; then: may an
 * object of from_kind in from_ns refer to the object? */
void grants_index(struct ctx *x);
bool grant_allows(const struct ctx *x, const char *from_kind, const char *from_ns,
                  const char *to_group, const char *to_kind, const char *to_ns,
                  const char *to_name);

/* Reports a controller finding at a node (NULL: at the object). */
struct diag *finding(struct ctx *x, enum diag_code code, const struct object *o,
                     const struct ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
struct diag *finding_sev(struct ctx *x, enum diag_severity sev,
                         enum diag_code code, const struct object *o,
                         const struct ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Message text in the arena. */
const char *msgf(struct ctx *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* gateways.c: classes, Gateways, ListenerSets and their listeners. */
void gateways_build(struct ctx *x);
struct gateway_state *find_gateway(const struct ctx *x, const char *ns,
                                   const char *name);
struct listener_set_state *find_listener_set(const struct ctx *x, const char *ns,
                                             const char *name);
bool namespace_selected(const struct model *m, const struct namespaces_from *nf,
                        const char *home_ns, const char *ns);
const char *protocol_name(enum protocol p);

/* attach.c: routes to listeners. */
void routes_attach(struct ctx *x);
/* cross_serving.c: HTTPRoutes and GRPCRoutes sharing a hostname on l; the
 * younger route leaves the listener. */
void cross_serving(struct ctx *x, struct eff_listener *l);
/* backends.c: backendRefs and mirrors to Services. */
void backends_resolve(struct ctx *x, struct route_state *rs);
/* backends.c: EndpointSlice ports no proxy can use, reported once each. */
void endpoint_slices_check(struct ctx *x);
/* gateways.c: shared with shared_sockets.c. */
enum family { FAMILY_HTTP, FAMILY_TLS, FAMILY_TCP, FAMILY_UDP };
enum family family_of(enum protocol p);
/* Why two listeners on one port cannot both be served, or NULL. */
const char *conflict_reason(const struct eff_listener *a, const struct eff_listener *b);
/* The Gateway or ListenerSet that declares l. */
const struct object *listener_owner(const struct eff_listener *l);

/* shared_sockets.c: listeners of different Gateways that share an nginx
 * socket; listen_address_only judges the clashes --listen-address makes. */
void shared_sockets(struct ctx *x, bool listen_address_only);

/* nginx_limits.c: what nginx 1.22 cannot express, dropped or approximated. */
void nginx_limits(struct ctx *x);
/* policies.c: BackendTLSPolicy. */
void policies_build(struct ctx *x);
/* header_matches.c: reports the header matches plan/ ignores. */
void header_matches_check(struct ctx *x, const struct route_state *rs);
/* route_status.c: the route conditions once everything is known. */
void route_conditions(struct ctx *x, struct route_state *rs);

#endif
