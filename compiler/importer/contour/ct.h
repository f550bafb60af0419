/*
 * The contour provider: Contour (projectcontour.io) inputs.
 *
 *   provider.c   the passes and the provider's identity
 *   ingress.c    Ingresses of the contour class and the annotations Contour
 *                honours
 *   httpproxy.c  HTTPProxy roots, their virtual hosts, TLS and tcpproxy,
 *                and the include tree with its ownership rules
 *   routes.c     one HTTPProxy route: services, policies; access control
 *                fails closed
 *   route_conditions.c  its conditions, with the includes' folded in
 *   validity.c   the conditions Contour itself refuses
 *   route_validity.c  the other route fields for which Contour refuses a proxy
 *   vhosts.c     the virtual hosts to listeners and routes
 *   backend.c    retries and load balancing as gwc BackendPolicies on the
 *                rules of the routes that ask for them
 *   cors.c       a virtual host's corsPolicy as the CORS filter
 *   delegation.c TLSCertificateDelegation: a Secret of another namespace
 *
 * Ingresses and HTTPProxies both become "virtual hosts" (one per host name,
 * as Contour builds them) holding "routes" (each a rule of the output).
 */
#ifndef GWC_IMPORT_CONTOUR_H
#define GWC_IMPORT_CONTOUR_H

#include "importer/import_internal.h"

#define CT_CONTROLLER "projectcontour.io/ingress-controller"

/* What port 80 does with a route of a host that has a certificate (a host
 * without one serves every route on port 80). */
enum ct_plain {
    CT_PLAIN_REDIRECT, /* 301 to https (HTTPProxy's default) */
    CT_PLAIN_SERVE,    /* permitInsecure; an Ingress by default */
    CT_PLAIN_NONE,     /* kubernetes.io/ingress.allow-http: "false" */
};

/* A route's BackendPolicy fields (backend.c): routes of one object with
 * equal settings share a policy. */
struct ct_backend {
    struct imp_src src;
    const struct ynode *lb_at, *retry_at; /* converted; reported once written */
    const struct o_load_balancing *lb;
    const struct o_retry *retry;
    const char *key; /* the settings spelled out */
    struct ptrvec policies; /* struct o_gwc_policy * written for it */
};

struct ct_route {
    struct imp_src src;
    const struct ynode *at;
    /* What gives its path (a prefix condition, the include's, an Ingress
     * path), of path_src's object, where reports about the path go;
     * NULL: at. */
    const struct ynode *path_at;
    struct imp_src path_src;
    const char *namespace, *owner; /* the object's: its HTTPRoute */
    struct o_match matches[2];     /* ORed (a string prefix needs two) */
    size_t n_matches;
    struct o_filters *filters;
    struct ptrvec backends; /* struct o_backend * */
    enum ct_plain plain;
    struct ct_backend *backend; /* NULL: no BackendPolicy */
    const char *rule_name;      /* what its rules are named when targeted */
    /* Access control (or a part) gwc cannot carry over: written without
     * backends, so the Gateway answers 500, never the backend. */
    bool denied;
    /* Where Contour adds it to its host (an HTTPProxy's: 1, 2, ...; an
     * Ingress's 0, added before them), and whether it is an Ingress's
     * segment prefix: of routes with equal conditions, Contour serves
     * one (vhosts.c). */
    size_t seq;
    bool segment;
    bool widened; /* its matches are gwc's (routes.c widen), not Contour's */
};

struct ct_vhost {
    struct imp_src owner;
    const char *host;      /* "": every host (an Ingress rule without one) */
    const char *namespace; /* the Gateway's: the owner's */
    const char *secret, *secret_namespace;
    bool passthrough;
    bool terminate; /* tcpproxy behind TLS termination (secret) */
    struct ptrvec tls_backends; /* tcpproxy: struct o_backend * */
    const char *tls_owner;      /* the HTTPProxy of the TLSRoute */
    struct ptrvec routes;       /* struct ct_route *, in Contour's order */
    /* Its access control is not converted: every route answers 500, the
     * passthrough is not written (Envoy applies it to the whole host). */
    bool denied;
    struct imp_client_cert *cc; /* tls.clientValidation (client_certs.c) */
    const char *http, *https, *tls; /* vhosts.c: its listeners */
};

struct ct {
    struct ptrvec vhosts;     /* struct ct_vhost * */
    struct ptrvec backends;   /* struct ct_backend *, in input order */
    struct index vhost_index; /* by host */
    struct ptrvec crds;       /* struct crd * of projectcontour.io */
    struct index wildcard_uses; /* "*" delegations said for a namespace */
    size_t seq;                 /* the last ct_route.seq given */
};

static inline struct ct *CT(const struct imp *im)
{
    return im->state;
}

/* imp_report_at() at a field of src's object. */
#define ct_report(im, src, ...) \
    imp_report_at((im), (src)->label, (src)->root, __VA_ARGS__)

/* The class an object names (projectcontour.io/ingress.class, then
 * kubernetes.io/ingress.class, then spec.ingressClassName) is converted:
 * no class or "contour", or one of --ingress-class. */
bool ct_class_selected(const struct imp *im, const struct ynode *root,
                       const char **klass, const struct ynode **at);

/* A boolean field that is true. */
bool ct_flag(const struct ynode *n);

/* Fields of map that are access control: reported (GW0831) as failing
 * closed for what ("route", "virtual host", or "tcpproxy"), true when
 * present. */
bool ct_access_control(struct imp *im, const struct imp_src *src,
                       const struct ynode *map, const char *what);

/* A Contour duration ("infinity" included) as a Gateway API one, or NULL. */
const char *ct_duration(struct imp *im, const char *s);

/* Contour's 15 s default response timeout, spelled out (reported once per
 * object). */
extern const char ct_default_timeout[];

/* ---- vhosts.c ---- */

/* The virtual host of host, made for owner (in ns) when new; a wildcard
 * host is reported at at. */
struct ct_vhost *ct_vhost_get(struct imp *im, const struct imp_src *owner,
                              const char *ns, const char *host,
                              const struct ynode *at);
/* A string prefix (Contour's prefixes are string-wise): PathPrefix p, and
 * the regex p[^/].* for "/pX" unless p ends a segment. */
void ct_string_prefix(struct imp *im, struct ct_route *r, const char *p);
void ct_vhosts_write(struct imp *im);

/* ---- delegation.c ---- */

/* A TLSCertificateDelegation lets namespace ns use Secret secret_ns/name
 * (reported at at of user's object either way; refused: what Contour
 * does without one). */
bool ct_delegated(struct imp *im, const struct imp_src *user, const struct ynode *at,
                  const char *secret_ns, const char *name, const char *ns,
                  const char *refused);
/* A Secret reference as Contour reads it (k8s.NamespacedNameFrom):
 * "namespace/name", or a name, whose namespace is then dflt.  False when
 * either part is no Kubernetes name, so that no Secret can be found. */
bool ct_secret_ref(struct imp *im, const char *text, const char *dflt,
                   const char **ns, const char **name);

/* ---- backend.c ---- */

/* route's retryPolicy and loadBalancerPolicy, or NULL (reported). */
struct ct_backend *ct_route_backend(struct imp *im, const struct imp_src *src,
                                    const struct ynode *route);
/* An Ingress's projectcontour.io/retry-on, num-retries and
 * per-try-timeout (ann: its metadata.annotations), or NULL (reported). */
struct ct_backend *ct_ingress_backend(struct imp *im, const struct imp_src *src,
                                      const struct ynode *ann);
/* The BackendPolicies of every route with one, once the routes are
 * written. */
void ct_backend_policies(struct imp *im);

/* ---- cors.c ---- */

/* A virtual host's corsPolicy as the CORS filter, or NULL (reported). */
const struct o_cors *ct_cors(struct imp *im, const struct imp_src *src,
                             const struct ynode *policy);

/* ---- ingress.c ---- */
void ct_ingresses(struct imp *im);

/* ---- httpproxy.c, routes.c ---- */

/* The conditions the include chain leading to a proxy adds. */
struct ct_chain {
    const char *prefix;               /* concatenated, NULL: none */
    struct o_header_match header;     /* name NULL: none */
    const struct ynode *header_at;
    struct o_header_match query;      /* queryParameter; name NULL: none */
    const struct ynode *prefix_at;    /* the last include prefix, ... */
    struct imp_src prefix_src;        /* ... of this object */
    bool denied;                      /* an include's condition failed */
    /* The include's conditions as written, and the chain above it: Contour
     * checks a route's header and query conditions with all of them. */
    const struct ynode *conds;
    const struct ct_chain *up;
};

struct ct_proxy_ctx {
    const struct crd *o;
    struct imp_src src;
    struct ct_vhost *vh;
    const struct ct_chain *chain;
    bool denied; /* the virtual host's access control is not converted */
    bool secure; /* the virtual host terminates TLS */
    const struct o_cors *cors; /* the root's corsPolicy, on every route */
};

void ct_proxies(struct imp *im);
/* client_certs.c: tls.clientValidation of x's root into x->vh->cc, or
 * x->denied (reported); once the listeners exist, ask() the core for it
 * on v's HTTPS listener and, after imp_client_certs_resolve(), refused()
 * denies a host whose ask was not converted; filters() is f with the
 * x-forwarded-client-cert request header removed on a converted host. */
void ct_client_validation(struct imp *im, struct ct_proxy_ctx *x,
                          const struct ynode *cv);
void ct_client_certs_ask(struct imp *im, struct ct_vhost *v, struct o_gateway *gw);
void ct_client_certs_refused(struct imp *im, struct ct_vhost *v);
/* A tcpproxy behind TLS termination with clientValidation: the TLSRoute
 * would serve it without client certificates, so the host is denied. */
void ct_client_certs_behind_termination(struct imp *im, struct ct_vhost *v);
const struct o_filters *ct_client_certs_filters(struct imp *im, const struct ct_vhost *v,
                                                const struct o_filters *f);
/* route_conditions.c: "a//b" -> "a/b", as Contour merges include prefixes. */
const char *ct_collapse(struct imp *im, const char *s);
/* Reports at as not converted for x's route; false. */
bool ct_route_not_converted(struct imp *im, const struct ct_proxy_ctx *x,
                            const struct ynode *at, const char *why);
/* A route's conditions (with x's include chain) as r's matches; false
 * (reported) when one cannot be converted. */
bool ct_route_conditions(struct imp *im, const struct ct_proxy_ctx *x,
                         const struct ynode *conds, struct ct_route *r);
/* A query parameter condition q as a match into *out (its name NULL:
 * none yet); false (reported at q) when gwc cannot convert it or *out
 * already holds one (the include chain's or the route's). */
bool ct_query_cond(struct imp *im, const struct ct_proxy_ctx *x,
                   const struct ynode *q, struct o_header_match *out);
/* route_conditions.c: the conditions of include inc alone, out of c (its
 * chain), as Contour's 502 route for an include it cannot follow takes
 * them; and that route (a 500 in the output), when there are any. */
struct ct_chain ct_include_own(struct imp *im, const struct ct_proxy_ctx *x,
                               const struct ynode *inc, const struct ct_chain *c);
void ct_include_fails(struct imp *im, const struct ct_proxy_ctx *x,
                      const struct ynode *inc, const struct ct_chain *c);
/* route_validity.c: whether Contour drops every route of x's proxy (and
 * of the proxies it includes) for a route's actions, conditions or other
 * fields; reported (GW0870) when so. */
bool ct_proxy_invalid(struct imp *im, const struct ct_proxy_ctx *x);
/* validity.c: the condition of conds that makes Contour refuse them, with
 * why (internal/dag/conditions.go); NULL when Contour takes them.  The
 * header and query conditions are checked together with chain's (NULL:
 * conds alone), the path conditions of conds alone; include: conds are
 * an include's, where exact and regex are refused. */
const struct ynode *ct_conditions_refused(struct imp *im, const struct ct_chain *chain,
                                          const struct ynode *conds, bool include,
                                          const char **why);
/* routes.c: every route of the proxy x->o, into x->vh. */
void ct_proxy_routes(struct imp *im, const struct ct_proxy_ctx *x);

#endif
