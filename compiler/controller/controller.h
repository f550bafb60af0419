/*
 * Stage 3: be the controller.
 *
 * First the API server's part (schema/): every CRD limit, pattern and CEL
 * rule; an object that breaks one would never have been stored, so it is
 * marked rejected and takes no further part.  Then the controller's part:
 * which Gateways are ours, listener validity and conflicts, ListenerSet
 * merging, route attachment with hostname intersection, backend and
 * certificate references with ReferenceGrants, and the status of every
 * object.  The result, struct controller, is what plan/ compiles and what
 * `gwc status` prints.
 */
#ifndef GWC_CONTROLLER_H
#define GWC_CONTROLLER_H

#include "base/doc.h"
#include "base/strhash.h"
#include "model/model.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct compilation;
struct controller;
struct strbuf;

/* ---- conditions, as written in status ---- */

#define MAX_CONDITIONS 8

/* Condition types and reasons, from the catalogue conditions.def. */
enum cond_type {
#define COND(id, name) COND_##id,
#define REASON(id, name)
#include "conditions.def"
#undef COND
#undef REASON
    COND__COUNT
};

enum cond_reason {
    REASON_NONE, /* not decided yet; never written */
#define COND(id, name)
#define REASON(id, name) REASON_##id,
#include "conditions.def"
#undef COND
#undef REASON
    REASON__COUNT
};

/* Their spellings in status. */
const char *ctl_cond_type_name(enum cond_type t);
const char *ctl_reason_name(enum cond_reason r);

/* 16 bytes, not 24 with two enums: every route's parent, listener and
 * policy ancestor holds MAX_CONDITIONS of them. */
struct condition {
    uint8_t type; /* enum cond_type */
    bool status;
    uint8_t reason; /* enum cond_reason */
    const char *message;
};

struct conditions {
    struct condition v[MAX_CONDITIONS];
    size_t n;
};

/* Sets (or replaces) the condition of that type. */
void ctl_conditions_set(struct conditions *cs, enum cond_type type, bool status,
                        enum cond_reason reason, const char *message);
const struct condition *ctl_conditions_get(const struct conditions *cs,
                                           enum cond_type type);

/* ---- listeners ---- */

enum protocol { PROTO_HTTP, PROTO_HTTPS, PROTO_TLS, PROTO_TCP, PROTO_UDP, PROTO_OTHER };

struct gateway_state;
struct listener_set_state;
struct route_state;

/*
 * TLS material from a Secret or ConfigMap.  When the object is in the input
 * its decoded content is here; when it is not, it is assumed to exist in the
 * cluster (pem NULL), and the compiler refers to the files a volume mounting
 * it would hold.
 */
struct certificate {
    const char *namespace, *name; /* the kubernetes.io/tls Secret */
    const char *cert_pem;         /* decoded tls.crt, or NULL: mounted */
    const char *key_pem;          /* decoded tls.key */
    size_t cert_len, key_len;
};

struct ca_bundle {
    const char *namespace, *name; /* the ConfigMap (key ca.crt) ... */
    const char *pem;              /* ... its PEM, or NULL: mounted */
};

struct eff_listener {
    const struct listener *spec;
    struct gateway_state *gateway;
    struct listener_set_state *set; /* NULL for the Gateway's own listeners */
    enum protocol protocol;
    const char *hostname; /* NULL: any host */
    int64_t port;
    bool passthrough; /* TLS listener in Passthrough mode */
    bool valid;       /* programmed: accepted, not conflicted (within its
                         Gateway or on a socket an older Gateway's listener
                         takes), refs resolved, its Gateway accepted */
    bool accepted;    /* Accepted=True: routes may attach */
    struct conditions conditions;
    enum kind supported_kinds[4];
    size_t n_supported_kinds;
    struct certificate *certificates;
    size_t n_certificates;
    struct ca_bundle *client_ca; /* HTTPS: verify client certificates ... */
    bool client_verify_optional; /* ... but let clients without one in */
    unsigned attached_routes;
    struct ptrvec attachments; /* struct attachment *, in route order */
    uint32_t order;            /* position in the merged listener list */
};

struct listener_set_state {
    struct listener_set *ls;
    struct gateway_state *parent; /* NULL when the parent is not ours */
    bool accepted;
    struct conditions conditions;
    struct eff_listener *listeners; /* inside the parent's merged list */
    size_t n_listeners;
};

struct gateway_state {
    struct gateway *gw;
    struct conditions conditions;
    struct eff_listener *listeners; /* own, then ListenerSets' */
    size_t n_listeners;
    size_t n_own;
    unsigned attached_listener_sets;
    const char *address; /* for status.addresses, or NULL */
    bool accepted;       /* Accepted=True: its listeners may be programmed */
    struct certificate *backend_client_cert; /* presented to TLS backends */
};

/* ---- routes ---- */

enum backend_status {
    BACKEND_OK,
    BACKEND_INVALID,     /* answer 500 for this share */
    BACKEND_UNAVAILABLE, /* no ready endpoints: answer 503 for this share */
};

/* One per backendRef of every rule (88 bytes: the status shares its 8
 * bytes with the endpoint count; strings point into the model). */
struct backend {
    const struct backend_ref *ref; /* or the mirror's reference */
    enum backend_status status;
    uint32_t n_endpoints;               /* of endpoints, below */
    const struct service *service;      /* NULL when absent from the input */
    const struct service_port *port;    /* NULL when the Service is absent */
    const char *namespace, *name;       /* the Service's identity */
    int64_t port_number;
    const char **endpoints;             /* ready "IP:port" (each slice has
                                           its own port), sorted */
    const char *cluster_ip;             /* else the clusterIP */
    const char *dns_name;               /* else "name.ns.svc.cluster.local" */
    const struct policy_state *tls_policy; /* upstream TLS, or NULL */
};

/* The port's appProtocol, or NULL (a pointer into the model, not a copy
 * in every backend). */
static inline const char *ctl_backend_app_protocol(const struct backend *b)
{
    return b->port ? b->port->app_protocol : NULL;
}

/* One per rule of every route (40 bytes: counts in 32 bits, as a rule's
 * lists come from one document of at most 32 MiB). */
struct rule_state {
    const struct route_rule *rule;
    struct backend *backends; /* one per backendRef, in order */
    struct backend *mirrors;  /* one per RequestMirror filter of the rule */
    uint32_t n_backends;
    uint32_t n_mirrors;
    int fixed_status;        /* nonzero: every request answered with it (500) */
    bool dropped;            /* not programmable; the route is PartiallyInvalid */
};

struct route_parent {
    const struct parent_ref *ref;
    struct conditions conditions;
    bool accepted;
    struct ptrvec listeners; /* struct eff_listener * it attached the route to */
};

struct route_state {
    struct route *route;
    struct route_parent *parents; /* one per parentRef to a Gateway of ours */
    size_t n_parents;
    struct rule_state *rules;
    size_t n_rules;
    const char *unsupported;  /* why the route is not accepted
                                 (UnsupportedValue) and carries no traffic */
    bool resolved;            /* every reference resolved */
    enum cond_reason refs_reason; /* when not: the first reason ... */
    const char *refs_message; /* ... and its message */
};

/* A route attached to a listener, with the hostnames it serves there. */
struct attachment {
    struct route_state *route;
    struct eff_listener *listener;
    const char **hostnames; /* intersections; empty: any host */
    size_t n_hostnames;
    bool carries_traffic; /* false for L4 routes that lose to an older one */
};

/* ---- policies ---- */

struct policy_ancestor {
    struct gateway_state *gateway;
    struct conditions conditions;
};

struct policy_state {
    struct backend_tls_policy *policy;
    struct policy_ancestor *ancestors;
    size_t n_ancestors;
    bool accepted;       /* not conflicted, and its CA is usable */
    bool conflicted;     /* loses to an older policy: applies to nothing */
    bool unverifiable;   /* nginx cannot check its subjectAltNames: refuse */
    const struct ca_bundle *ca; /* the CA bundle, or NULL for the system one */
};

/* ---- gwc.dev policies (docs/policies.md) ---- */

/* The status of one targetRef gwc could not find: reported against the
 * reference itself. */
struct policy_missing_target {
    const struct policy_target_ref *ref;
    const char *message;
};

struct gwc_policy {
    const struct object *obj; /* ClientPolicy, AccessPolicy or BackendPolicy */
    struct policy_ancestor *ancestors;
    size_t n_ancestors;
    struct policy_missing_target *missing;
    size_t n_missing;
    /* Every reference resolved and every setting programmable; when not,
     * the rules it covers answer 500. */
    bool usable;
    const char *htpasswd; /* basicAuth: the usable lines */
    struct backend auth;  /* externalAuth.backendRef */
    struct backend *error_backends; /* ClientPolicy: one per errorResponses
                                       entry, for those with a backendRef */
};

/* A rate limit entry and the policy whose counters it uses. */
struct policy_rate {
    const struct gwc_policy *policy;
    size_t index;
    const struct rate_limit *rate;
};

#define POLICY_LEVELS 5 /* Gateway, ListenerSet, listener, route, rule */

/*
 * What the policies on the path of one rule on one listener add up to
 * (docs/policies.md, "Levels and precedence").  Unset fields are NULL,
 * INT_UNSET or TRI_UNSET: nginx's defaults apply.
 */
struct policy_effective {
    bool any;  /* some policy applies */
    bool fail; /* gwc cannot enforce them exactly: the rule answers 500 */
    /* ClientPolicy, the more specific value winning field by field */
    const struct client_address_detection *address_detection;
    const char *body_timeout, *idle_timeout, *send_timeout;
    const char *max_body_size;
    struct policy_rate rates[4 * POLICY_LEVELS]; /* every level's */
    size_t n_rates;
    const struct gwc_policy *concurrent[POLICY_LEVELS]; /* every level's */
    size_t n_concurrent;
    int64_t reject_status;
    const struct hsts *hsts;
    const struct error_response *errors;
    size_t n_errors;
    const struct gwc_policy *errors_from;
    /* AccessPolicy: every level applies */
    const struct gwc_policy *access[POLICY_LEVELS];
    size_t n_access;
    const struct gwc_policy *basic_auth, *external_auth;
    bool satisfy_any;
    /* BackendPolicy */
    const char *connect_timeout, *backend_send_timeout, *read_timeout;
    const struct load_balancing *load_balancing;
    enum tri buffer_response, buffer_request;
    struct upstream_keepalive keepalive; /* merged field by field */
    bool has_keepalive;                  /* some level gives keepalive */
    const struct backend_retry *retry;
};

/* The effective policies of rule `rule` of rs as served by listener l. */
void ctl_policy_effective(const struct controller *ctl,
                          const struct eff_listener *l,
                          const struct route_state *rs, size_t rule,
                          struct policy_effective *out);
/* Address detection of a listener (Gateway, ListenerSet and listener
 * levels), or NULL; *from (when from is not NULL): the ClientPolicy that
 * gives it. */
const struct client_address_detection *
ctl_policy_address_detection(const struct controller *ctl,
                             const struct eff_listener *l, const struct object **from);

struct class_state {
    struct gateway_class *gc;
    struct conditions conditions;
};

/* ---- the whole controller view ---- */

struct controller {
    struct model *model;
    const char *controller_name;
    struct class_state *classes;
    size_t n_classes;
    struct gateway_state *gateways; /* ours only, sorted by nsname */
    size_t n_gateways;
    struct listener_set_state *listener_sets; /* attached to ours */
    size_t n_listener_sets;
    struct route_state *routes; /* with a parentRef to one of ours */
    size_t n_routes;
    struct policy_state *policies;
    size_t n_policies;
    struct gwc_policy *gwc_policies; /* ClientPolicy, AccessPolicy, BackendPolicy */
    size_t n_gwc_policies;
    struct strhash policies_by_target; /* target key -> struct ptrvec * of
                                          struct gwc_policy *, oldest first */
    /* ReferenceGrants: (from group, kind, namespace; to group, kind,
     * namespace, name or any) -> the first grant with that pair
     * (grants.c). */
    struct strhash grants;
};

struct validate_options {
    const char *controller_name;
    const char *const *gateway_classes; /* restrict to these; none: all */
    size_t n_gateway_classes;
    const char *const *gateways; /* "namespace/name": only these; none: all */
    size_t n_gateways;
    /* A Service, Secret, ConfigMap or Namespace the input refers to but does
     * not hold is an error; by default it is assumed to exist in the
     * cluster. */
    bool strict_refs;
    /* compile: every selected Gateway is served by one nginx, on
     * listen_address when set, else each on its spec.addresses or on every
     * address.  Clashes that only this causes leave listeners out of the
     * configuration and never change status (check and status judge each
     * Gateway as a controller that gives it its own addresses would). */
    bool one_nginx;
    const char *listen_address;
};

/* The first ReferenceGrant in to_ns that lets an object of from_kind in
 * from_ns refer to the object, or NULL (grants.c). */
const struct reference_grant *ctl_grant(const struct controller *ctl,
                                        const char *from_kind, const char *from_ns,
                                        const char *to_group, const char *to_kind,
                                        const char *to_ns, const char *to_name);

/*
 * Runs the API server's checks, then the controller.  Returns false when a
 * manifest error was found (the API server would refuse an object); the
 * controller view is built from the accepted objects either way.
 */
bool ctl_model(struct compilation *c, struct model *m,
               const struct validate_options *o, struct controller *out);

/* Writes the status of every object gwc reports on, as YAML or JSON,
 * through a document writer (base/doc.h: out, flushed by flush). */
void ctl_status_write(const struct controller *ctl, enum doc_format format,
                      struct strbuf *out, doc_flush_fn *flush, void *ctx);

/* Gateway API hostname intersection (docs/spec-notes.md); NULL when none. "*" or
 * NULL stands for "any host".  Returns one of its arguments. */
const char *ctl_hostname_intersect(const char *listener, const char *route);
/* Does a request host match a listener or route hostname (wildcards match
 * one or more labels)? */
bool ctl_hostname_matches(const char *pattern, const char *host);

#endif
