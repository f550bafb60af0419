/*
 * The traefik provider: Traefik Proxy inputs (traefik.io/v1alpha1 and the
 * older traefik.containo.us/v1alpha1).
 *
 *   provider.c     the passes and the provider's identity
 *   rule_parse.c   the router rule language, parsed
 *   rule.c         a parsed rule as alternatives (OR of ANDs) of Gateway
 *                  API matches
 *   ingressroute.c IngressRoute, TraefikService
 *   l4.c           IngressRouteTCP and IngressRouteUDP: TLS, TCP and UDP
 *                  routes
 *   entrypoints.c  entry point names as listener ports
 *   middlewares.c  Middleware objects as filters, or reported
 *   policies.c     access-control and buffering Middlewares as gwc
 *                  policies (access control fails closed)
 *   limits.c       rateLimit and inFlightReq as a router's ClientPolicy
 *   ingress.c      Ingresses of the traefik class and their router.*
 *                  annotations
 *   routers.c      every router to listeners and HTTPRoutes
 *   precedence.c   Traefik's priority simulated against Gateway API
 *                  precedence (precedence_regex.c: regex paths)
 *
 * IngressRoutes and Ingresses both become "routers", as in Traefik: a rule,
 * a priority, entry points, TLS, middlewares and services.
 */
#ifndef GWC_IMPORT_TRAEFIK_H
#define GWC_IMPORT_TRAEFIK_H

#include "importer/import_internal.h"

#define TR_CONTROLLER "traefik.io/ingress-controller"

/* ---- rule_parse.c, rule.c ---- */

enum tr_op { TR_MATCHER, TR_AND, TR_OR, TR_NOT };

struct tr_expr {
    enum tr_op op;
    size_t off; /* byte offset of its first token in the rule */
    /* TR_MATCHER */
    const char *name;
    const char **args;
    size_t *arg_offs;
    size_t n_args;
    /* TR_AND, TR_OR: l and r; TR_NOT: l */
    const struct tr_expr *l, *r;
};

/* Parses rule (v2: the traefik.containo.us grammar, multi-argument
 * matchers; tcp: a TCP router's matchers, HostSNI, HostSNIRegexp,
 * ClientIP and ALPN).  NULL on a malformed rule, with *err_off and *err
 * set, and *own (unless own is NULL) true when the rule is one Traefik
 * reads but gwc's reader does not (nesting, escapes). */
const struct tr_expr *tr_rule_parse(struct arena *a, const char *rule, bool v2,
                                    bool tcp, size_t *err_off, const char **err,
                                    bool *own);

/* One alternative of a rule: its hosts (HTTP Host, or TCP HostSNI) and
 * one Gateway API match (HTTP only). */
struct tr_alt {
    const char **hosts; /* none: any host */
    size_t n_hosts;
    size_t host_off; /* where the rule names the host */
    size_t path_off; /* where the rule names the path matcher */
    /* A Host matcher names it (not HostHeader alone): Traefik takes the
     * TLS options of a host from these routers only (ParseDomains). */
    bool tls_host;
    struct o_match m[2]; /* ORed (a string prefix needs two) */
    size_t n_m;
    /* A prefix rewrite took m[1], the '/pX' regex of its string prefix
     * (tr_middleware_paths; routers.c answers 500 there when guarded). */
    bool twin;
};

/* The rule of a router as alternatives; false when some part cannot be
 * converted exactly (reported at its token).  loose: a part that cannot be
 * converted is left out instead, widening the match (reported; *widened
 * says so, unless widened is NULL): for routers that answer 500 anyway.
 * A loose rule Traefik reads but gwc cannot (past its limits of nesting
 * and alternatives) becomes one alternative matching everything. */
bool tr_rule_alternatives(struct imp *im, const struct imp_src *src,
                          const struct ynode *at, bool v2, bool tcp, bool loose,
                          struct ptrvec *out /* struct tr_alt * */, bool *widened);

/* A Go regular expression, which Traefik searches for, as the whole-string
 * match Gateway API's RegularExpression is. */
const char *tr_regex_whole(struct imp *im, const char *re);

/* ---- routers ---- */

/* Client certificates asked by the TLS options of one IngressRoute or
 * Ingress, shared by its routers. */
struct tr_client_certs {
    struct imp_client_cert cc;
    const struct crd *options; /* the TLSOption */
    bool said; /* not converted: reported once */
};

/* The TLS options of a router (tlsoptions.c). */
struct tr_tls_opts {
    const char *key; /* which: Traefik gives a host one set of options */
    /* The client certificates they ask, to convert on the router's HTTPS
     * listeners; NULL: none asked, or denied. */
    struct tr_client_certs *cc;
    bool denied; /* they ask for what the import cannot convert (reported) */
};

struct tr_router {
    struct imp_src src;
    const struct ynode *at; /* the route, or the Ingress path */
    /* The rule (an IngressRoute's match), where reports about one of its
     * alternatives point at a token; NULL: at is the field to name. */
    const struct ynode *rule;
    const char *namespace, *name;
    struct ptrvec alts; /* struct tr_alt * */
    int64_t priority;   /* effective: the rule's length when unset */
    bool web, websecure;
    const char *secret; /* websecure: the certificate, in namespace */
    bool default_cert;  /* TLS on websecure with a certificate the import
                         * cannot name (Traefik's default one) */
    struct tr_tls_opts tls;
    struct o_filters *filters;
    struct ptrvec backends; /* struct o_backend * */
    /* Access control gwc cannot carry over: no backends, so 500. */
    bool denied;
    struct ptrvec policies; /* struct tr_policy * of its Middlewares */
    /* IngressRouteTCP/UDP: what is not converted leaves the route out (a
     * connection has no 500 to answer). */
    bool l4;
    /* Middlewares that depend on the rule's paths (tr_middleware_paths). */
    const struct ynode *strip_at, *add_at, *replace_at;
    const char *strip, *add, *replace;
    int64_t https_redirect; /* redirectScheme https: the code on web */
    struct tr_policy *limits; /* its own ClientPolicy (limits.c), or NULL */
    /* routers.c: per host of its alternatives, its listeners, and the
     * HTTPS routes that await the client certificates' resolution */
    struct ptrvec hosts; /* struct tr_host * */
};

struct tr_host {
    const char *host, *http, *https; /* http, https: listener names or NULL */
};

/* One Middleware as a gwc policy, converted once for all its routers. */
struct tr_policy {
    struct imp_src src;
    const struct ynode *at; /* the middleware field */
    struct o_gwc_policy p;  /* p.kind NULL: nothing to write */
    const char *field;      /* what it became, for the report */
    bool denied;            /* access control not converted exactly */
    bool ok;                /* false: part of it not converted (reported) */
    bool folded;            /* written into routers' limits policies */
    bool own;               /* a router's limits policy (limits.c) */
    struct ptrvec targets;  /* struct o_target * */
};

struct tr {
    struct ptrvec routers;  /* struct tr_router * */
    struct ptrvec crds;     /* struct crd * of the traefik groups */
    /* TLSOptions by "ns/name", by "<ns>-<name>@kubernetescrd", and the
     * first named "default" (tlsoptions.c, built once) */
    struct index tls_options;
    const struct crd *default_tls_option;
    const struct crd *default_tls_options_clash; /* another namespace's */
    bool tls_options_indexed;
    struct ptrvec policies; /* struct tr_policy *, with something to write */
    struct index converted; /* Middleware label -> struct tr_policy * */
    struct index limits;    /* Middleware label -> struct tr_limit * */
    struct index by_name;   /* "kind/ns/name" -> struct crd * (tr_crd_find) */
    bool by_name_built;
};

static inline struct tr *TR(const struct imp *im)
{
    return im->state;
}

/* An integer field (a scalar) in [min, max]. */
static inline bool tr_int(const struct ynode *n, int64_t min, int64_t max,
                          int64_t *out)
{
    return n && n->kind == YNODE_SCALAR &&
           imp_value_parse_decimal(n->text, min, max, out);
}


/* crds.c: the object kind ns/name of the traefik groups, or NULL; found
 * in O(1). */
const struct crd *tr_crd_find(struct imp *im, const char *kind, const char *ns,
                              const char *name);

/* middlewares.c: applies the Middleware ns/name to r (false: reported,
 * not converted; r->denied when it was access control). */
bool tr_middleware_apply(struct imp *im, struct tr_router *r,
                         const struct ynode *at, const char *ns,
                         const char *name);

/* After the rule: stripPrefix, addPrefix and replacePath as URLRewrite on
 * r's alternatives (false: reported, not converted). */
bool tr_middleware_paths(struct imp *im, struct tr_router *r);

/* policies.c: is kind a middleware policies.c converts? */
bool tr_policy_kind(const char *kind);
/* Applies the middleware m of Middleware o to r: its policy then targets
 * r's routes (false: reported, not converted; r->denied when it was
 * access control). */
bool tr_policy_apply(struct imp *im, struct tr_router *r, const struct crd *o,
                     const struct ynode *m);
/* limits.c: is kind rateLimit or inFlightReq? */
bool tr_limit_kind(const char *kind);
/* Adds the limit of middleware m of Middleware o to r's own ClientPolicy
 * (false: reported, not converted, at the reference ref of ref_src's
 * object that named o). */
bool tr_limit_apply(struct imp *im, struct tr_router *r, const struct imp_src *ref_src,
                    const struct ynode *ref, const struct crd *o,
                    const struct ynode *m);

/* Whether r passes requests through access control of its Middlewares
 * that the import converted (an AccessPolicy). */
bool tr_policies_guard(const struct tr_router *r);
/* r's policies target route rt, which serves r. */
void tr_policies_target(struct imp *im, const struct tr_router *r,
                        const struct o_route *rt);
/* The policies with targets, into the output, and the report's notes. */
void tr_policies_write(struct imp *im);

/* ingressroute.c */
/* Traefik reads tls.secretName as a Secret of the route's namespace
 * (getTLS): a name such as "namespace/name" finds none, and the routes
 * get the default certificate.  Reported at at; false then. */
bool tr_secret_name_ok(struct imp *im, const struct imp_src *src,
                       const struct ynode *at, const char *secret);
void tr_ingress_routes(struct imp *im);
/* A Service port or TraefikService of ns as r's backends (false: reported). */
bool tr_service_add(struct imp *im, struct tr_router *r, const struct ynode *svc,
                    const char *ns, int64_t weight, int depth);

/* services (a sequence) of a route of namespace ns as r's backends,
 * weighted when several (false: some are reported, not converted). */
bool tr_services_add(struct imp *im, struct tr_router *r, const struct ynode *svcs,
                     const char *ns);
/* r's priority from route rt: its priority field, or (unset or 0) the
 * length of its match, as Traefik defaults it. */
void tr_priority(struct imp *im, struct tr_router *r, const struct ynode *rt);
/* Whether the ingressClassName of o is converted (else reported). */
bool tr_class_ok(struct imp *im, const struct crd *o);

/* precedence.c: where Traefik's priority and Gateway API precedence
 * disagree on two routers, reported; a router the Gateway would give the
 * requests of a router with access control fails closed. */
void tr_precedence(struct imp *im);
/* Whether b passes every check a has: the same access-control
 * Middlewares, and a's were converted. */
bool tr_precedence_as_guarded(const struct tr_router *a, const struct tr_router *b);
/* precedence_regex.c: the same for regular expression paths. */
void tr_precedence_regex(struct imp *im);
/* A report about alternative a of r, at its path matcher in the rule
 * (an Ingress path: at the path). */
void tr_report_path(struct imp *im, const struct tr_router *r, const struct tr_alt *a,
                    enum diag_code code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* l4.c: IngressRouteTCP and IngressRouteUDP as TLS, TCP and UDP routes. */
void tr_l4_routes(struct imp *im);

/* entrypoints.c */
/* The entry points an HTTP router serves, in the order of
 * tr_serves(r, ep): web (port 80), websecure (443). */
#define TR_HTTP_ENTRY_POINTS 2
extern const char *const tr_http_entry_points[TR_HTTP_ENTRY_POINTS];
bool tr_serves(const struct tr_router *r, size_t ep);
/* precedence.c: each alternative of each router, in order, with the keys the
 * precedence checks file it under: for each HTTP entry point its router
 * serves, "<entry point>/<first host>" ("" without hosts), then the entry
 * point alone.  Start from {0}; false past the last. */
#define TR_ALT_KEYS (2 * TR_HTTP_ENTRY_POINTS)
struct tr_alt_walk {
    size_t router, alt; /* indexes */
    const struct tr_router *r;
    const struct tr_alt *a;
    const char *keys[TR_ALT_KEYS];
    size_t n_keys;
};
bool tr_alt_next(struct imp *im, struct tr_alt_walk *w);
/* The port of a Traefik entry point (web 80, websecure 443, or as
 * --entry-point gives it), and whether it is UDP; false for one the import
 * does not know. */
bool tr_entry_point(const struct imp *im, const char *name, int64_t *port,
                    bool *udp);
/* An HTTP router's entry point name (at: where it is written): r->web for
 * TCP port 80, r->websecure for 443, else reported. */
void tr_http_entry_point(struct imp *im, struct tr_router *r, const struct imp_src *src,
                         const struct ynode *at, const char *name);
/* Reports entry point name (at: where it is written) as unknown. */
void tr_entry_point_unknown(struct imp *im, const struct imp_src *src,
                            const struct ynode *at, const char *name);

/* A port of Service ns/name, by number or else by name, as r's backend. */
bool tr_backend_add(struct imp *im, struct tr_router *r, const struct ynode *at,
                    const char *ns, const char *name, int64_t number,
                    const char *port_name, int64_t weight);

/* ingress.c */
void tr_ingresses(struct imp *im);

/* routers.c: the routers' listeners (and the client certificates their
 * TLS options ask of the HTTPS ones), then, once every listener of the
 * Gateway exists, their routes. */
void tr_routers_listeners(struct imp *im);
void tr_routers_write(struct imp *im);
/* A TLS router serves HTTPS only; when its entry points (eps, if listed
 * explicitly) name web and websecure, losing web is a warning at the
 * router's rule. */
void tr_tls_only(struct imp *im, struct tr_router *r, const struct ynode *eps);

/* tlsoptions.c: the TLS options of a router (ns/name, or crd_ref
 * "<ns>-<name>@kubernetescrd"; neither: the default TLSOption), named at
 * at: out->denied, reported (GW0831), when they ask for client
 * certificates the import cannot convert or are not in the input. */
void tr_tls_options(struct imp *im, const struct imp_src *src, const struct ynode *at,
                    const char *ns, const char *name, const char *crd_ref,
                    struct tr_tls_opts *out);
/* The fields of the TLSOptions the import does not convert. */
void tr_tls_options_report(struct imp *im);

#endif
