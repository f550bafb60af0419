/* Shared between the files of the validate stage only. */
#ifndef GWC_CONTROLLER_INTERNAL_H
#define GWC_CONTROLLER_INTERNAL_H

#include "controller.h"

#include "schema/schema.h"

#include "base/str.h"
#include "base/strhash.h"

#include "base/diag.h"

struct arena;

#include <stdbool.h>
#include <stddef.h>

/* tls_material.c: NULL when usable, else what is wrong ("is not of type
 * kubernetes.io/tls"), to follow "Secret 'ns/name' ". */
const char *ctl_tls_secret_problem(struct arena *a, const struct secret *s,
                                   struct certificate *out);
const char *ctl_ca_config_map_problem(struct arena *a, const struct config_map *cm,
                                      const char **pem);
/* A Secret or ConfigMap not in the input, assumed to exist: its files, as a
 * volume mounts them, are what compile refers to (--secrets-dir,
 * --configmaps-dir). */
#define SECRET_MOUNTED "compile reads its tls.crt and tls.key from --secrets-dir"
#define CONFIG_MAP_MOUNTED "compile reads its ca.crt from --configmaps-dir"
void ctl_mounted_certificate(struct certificate *out, const char *ns,
                             const char *name);
bool ctl_secret_value(struct arena *a, const struct secret *s, const char *key,
                      char **out, size_t *len);

/* The controller's part (controller.c and friends). */
void ctl_controller_build(struct compilation *c, struct model *m,
                          const struct validate_options *o, struct controller *out);

/* What the controller's passes share. */
enum { CTL_ENDPOINT_CACHE = 64 };

struct ctx {
    struct compilation *c;
    struct model *m;
    const struct validate_options *o;
    struct controller *ctl;
    size_t suggest_budget; /* work left for "did you mean" (base/suggest.h) */
    struct strhash missing_namespaces; /* reported once each */
    /* Lookups built once (gateways.c); the grants' is ctl->grants. */
    struct strhash gateways;         /* nsname -> struct gateway_state * */
    struct strhash listener_sets;    /* nsname -> struct listener_set_state * */
    /* The ready endpoints of Service ports lately resolved (backends.c). */
    struct ctl_endpoint_cache {
        const struct service_port *port; /* NULL: empty */
        const char **v;                  /* NULL: no EndpointSlice serves it */
        uint32_t n;
    } endpoint_cache[CTL_ENDPOINT_CACHE];
};

/* grants.c: indexes the ReferenceGrants the API server keeps into
 * ctl->grants; then: may an object of from_kind in from_ns refer to the
 * object? */
void ctl_grants_index(struct ctx *x);
bool ctl_grant_allows(const struct ctx *x, const char *from_kind,
                      const char *from_ns, const char *to_group,
                      const char *to_kind, const char *to_ns, const char *to_name);

/* Reports a controller finding at a node (NULL: at the object). */
struct diag *ctl_finding(struct ctx *x, enum diag_code code, const struct object *o,
                         const struct ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
struct diag *ctl_finding_sev(struct ctx *x, enum diag_severity sev,
                             enum diag_code code, const struct object *o,
                             const struct ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Message text in the arena. */
const char *ctl_msgf(struct ctx *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* outside.c: a reference to a Service, Secret, ConfigMap or Namespace that
 * the input does not hold.  Without --strict-refs it is assumed to exist in
 * the cluster (a note at 'at' that ends "(how; --strict-refs makes this an
 * error)") and true is returned; with it, false, and the caller reports the
 * error, ending its message with ctl_name_suggestion(). */
bool ctl_assume_exists(struct ctx *x, const struct object *from,
                       const struct ynode *at, enum kind kind, const char *ns,
                       const char *name, const char *how);
/* A selector must read the labels of Namespace ns, which the input lacks:
 * reported once per namespace; true when it counts as selecting nothing
 * (--strict-refs), false when it is assumed to exist. */
bool ctl_namespace_missing(struct ctx *x, const struct object *owner,
                           const struct ynode *at, const char *ns);
/* "; did you mean 'web'?" for a name the input lacks, or "". */
const char *ctl_name_suggestion(struct ctx *x, enum kind kind, const char *ns,
                                const char *name);

/* gateways.c: classes, Gateways, ListenerSets and their listeners. */
void ctl_gateways_build(struct ctx *x);
/* gateway_index.c: lookups by namespace and name. */
struct gateway_state *ctl_find_gateway(const struct ctx *x, const char *ns,
                                       const char *name);
struct listener_set_state *ctl_find_listener_set(const struct ctx *x,
                                                 const char *ns, const char *name);
/* Registers st in h under o's namespace and name (the first one stands). */
void ctl_index_object(struct ctx *x, struct strhash *h, const struct object *o,
                      void *st);
/* gateway_classes.c: our GatewayClasses (x->ctl->classes) and Gateways. */
void ctl_classes_build(struct ctx *x);
/* Does --gateway (when given) select Gateway ns/name? */
bool ctl_gateway_selected(const struct ctx *x, const char *ns, const char *name);
/* Reports each --gateway that names no Gateway of the input. */
void ctl_gateway_selection_check(struct ctx *x);
bool ctl_gateway_is_ours(struct ctx *x, struct gateway *g);
/* listener_sets.c: the ListenerSets whose parent Gateway is ours, oldest
 * first (x->ctl->listener_sets), and their conditions once their listeners
 * are judged. */
void ctl_listener_sets_collect(struct ctx *x);
void ctl_listener_set_conditions(struct ctx *x, struct listener_set_state *st);
/* listeners.c: one listener of gs (of set, or NULL: the Gateway's own);
 * ctl_listener_check() judges everything but its conflicts with others. */
void ctl_listener_init(struct ctx *x, struct gateway_state *gs,
                       struct listener_set_state *set,
                       const struct listener *spec, struct eff_listener *l);
void ctl_listener_check(struct ctx *x, struct eff_listener *l);
/* listener_tls.c: l's certificates, and its client CA bundle for v (false
 * when none is usable); the first problem goes to *reason, *message. */
void ctl_listener_certificates(struct ctx *x, struct eff_listener *l,
                               enum cond_reason *reason, const char **message);
const struct frontend_validation *ctl_frontend_for(const struct gateway *g,
                                                   int64_t port);
bool ctl_listener_client_ca(struct ctx *x, struct eff_listener *l,
                            const struct frontend_validation *v,
                            enum cond_reason *reason, const char **message);
/* selectors.c: does nf (of object owner) admit namespace ns? */
bool ctl_namespace_selected(struct ctx *x, const struct object *owner,
                            const struct namespaces_from *nf, const char *home_ns,
                            const char *ns);
const char *ctl_protocol_name(enum protocol p);

/* attach.c: routes to listeners. */
void ctl_routes_attach(struct ctx *x);
/* cross_serving.c: HTTPRoutes and GRPCRoutes sharing a hostname on l; the
 * younger route leaves the listener. */
void ctl_cross_serving(struct ctx *x, struct eff_listener *l);
/* backends.c: backendRefs and mirrors to Services. */
void ctl_backends_resolve(struct ctx *x, struct route_state *rs);
/* backends.c: a Service reference of another object (a policy's auth
 * Service), resolved and reported as a backendRef would be; usable? */
bool ctl_backend_resolve_for(struct ctx *x, const struct object *from,
                             const struct backend_object_ref *ref,
                             struct backend *b);
/* backends.c: EndpointSlice ports no proxy can use, reported once each. */
void ctl_endpoint_slices_check(struct ctx *x);
/* conflicts.c: marks the listeners of gs that conflict on a port and
 * gives every listener its final conditions (Programmed, Conflicted). */
void ctl_listener_conflicts(struct ctx *x, struct gateway_state *gs);
/* listener_facts.c: what every pass asks of a listener. */
enum family { FAMILY_HTTP, FAMILY_TLS, FAMILY_TCP, FAMILY_UDP };
enum family ctl_family_of(enum protocol p);
/* Why two listeners on one port cannot both be served, or NULL. */
enum cond_reason ctl_conflict_reason(const struct eff_listener *a,
                                     const struct eff_listener *b);
/* The Gateway or ListenerSet that declares l. */
const struct object *ctl_listener_owner(const struct eff_listener *l);

/* shared_sockets.c: listeners of different Gateways on one socket.
 * ctl_shared_addresses() judges Gateways that ask for the same IP address, as
 * the cluster's controller would (status); ctl_shared_nginx() the clashes that
 * exist only because compile serves every Gateway from one nginx (a
 * finding each; no status changes). */
void ctl_shared_addresses(struct ctx *x);
void ctl_shared_nginx(struct ctx *x);

/* proxy_sockets.c: the listeners of one socket must agree on the PROXY
 * protocol (ClientPolicy clientAddressDetection); those that cannot be
 * served as their policy says are left out.  After the gwc policies. */
void ctl_proxy_sockets(struct ctx *x);

/* nginx_limits.c: what nginx 1.22 cannot express, dropped or approximated. */
void ctl_nginx_limits(struct ctx *x);
/* policies.c: BackendTLSPolicy. */
void ctl_policies_build(struct ctx *x);
/* gwc_policies.c: ClientPolicy, AccessPolicy, BackendPolicy. */
void ctl_gwc_policies_build(struct ctx *x);
/* gwc_policy_merge.c: the key of a policy target in ctl->policies_by_target
 * (section: a listener or rule name, or NULL). */
const char *ctl_policy_target_key(struct arena *a, const char *kind, const char *ns,
                                  const char *name, const char *section);
/* gwc_policy_refs.c: ResolvedRefs of an AccessPolicy, of a ClientPolicy;
 * false when a reference is unusable. */
bool ctl_access_policy_refs(struct ctx *x, struct gwc_policy *gp, struct conditions *cs);
bool ctl_client_policy_refs(struct ctx *x, struct gwc_policy *gp, struct conditions *cs);
/* htpasswd.c: the lines of text nginx can check (users collects the user
 * names, across the keys of one Secret); the others are reported at `at`,
 * `where` naming the Secret key. */
const char *ctl_htpasswd_lines(struct ctx *x, const struct object *o,
                               const struct ynode *at, const char *where,
                               const char *text, size_t len, struct strhash *users);
/* header_matches.c: reports the header matches plan/ ignores. */
void ctl_header_matches_check(struct ctx *x, const struct route_state *rs);
/* route_status.c: the route conditions once everything is known. */
void ctl_route_conditions(struct ctx *x, struct route_state *rs);

#endif
