/*
 * The ingress-nginx provider: Ingress objects that use ingress-nginx
 * annotations, with their IngressClass, Service, Secret and ConfigMap
 * context.
 *
 * The conversion runs in passes (provider.c):
 *   classes.c      which Ingresses are converted, in ingress-nginx's order
 *   annotations.c  every annotation checked against the table and decoded
 *   features       per-Ingress output pieces: backends.c (backend-protocol),
 *                  redirects.c, headers.c, cors.c, session.c, mirror.c,
 *                  canary.c, paths.c; policies.c (gwc policies, with
 *                  access.c and traffic.c)
 *   hosts.c        Ingress paths grouped per host (groups.c), as
 *                  ingress-nginx builds its server blocks, with canaries
 *                  merged in and the servers' other names (aliases.c)
 *   tls.c          certificates per host; backend_tls.c BackendTLSPolicies
 *   gateways.c     listeners and Gateways
 *   client_certs.c auth-tls-* per host, as the Gateway's frontend validation
 *   routes.c       host groups to route rules (paths.c, canary.c), and
 *                  the targets of the gwc policies (policies.c), written
 *                  as routes by route_objects.c
 */
#ifndef GWC_IMPORT_INGRESS_NGINX_H
#define GWC_IMPORT_INGRESS_NGINX_H

#include "importer/import_internal.h"

#define NGINX_PREFIX "nginx.ingress.kubernetes.io/"
#define NGINX_CONTROLLER "k8s.io/ingress-nginx"

/* ---- the Ingresses being converted ---- */

/*
 * Every ingress-nginx annotation the importer converts, typed as the
 * annotation table (annotations.c) decoded it: strings NULL, integers
 * INT_UNSET and booleans TRI_UNSET when absent or refused.
 */
struct ing_config {
    enum tri canary;
    const char *canary_by_header, *canary_by_header_value;
    const char *canary_by_header_pattern, *canary_by_cookie;
    int64_t canary_weight, canary_weight_total;

    const char *rewrite_target, *x_forwarded_prefix;
    enum tri use_regex;

    const char *app_root, *permanent_redirect, *temporal_redirect;
    int64_t permanent_redirect_code, temporal_redirect_code;
    enum tri from_to_www_redirect, ssl_redirect, force_ssl_redirect;
    enum tri preserve_trailing_slash;

    const char *upstream_vhost, *connection_proxy_header, *custom_headers;
    const char *backend_protocol;
    int64_t proxy_connect_timeout, proxy_send_timeout, proxy_read_timeout;

    enum tri enable_cors, cors_allow_credentials;
    const char *cors_allow_origin, *cors_allow_methods, *cors_allow_headers;
    const char *cors_expose_headers;
    int64_t cors_max_age;

    enum tri ssl_passthrough;
    const char *proxy_ssl_secret, *proxy_ssl_name;
    enum tri proxy_ssl_verify, proxy_ssl_server_name;

    const char *affinity, *session_cookie_name, *session_cookie_path;
    int64_t session_cookie_expires, session_cookie_max_age;

    const char *mirror_target, *mirror_host;
    enum tri mirror_request_body;
    const char *server_alias;

    /* gwc policies (policies.c) */
    const char *allowlist_source_range, *whitelist_source_range;
    const char *denylist_source_range, *satisfy;
    const char *auth_type, *auth_secret, *auth_secret_type, *auth_realm;
    const char *auth_url, *auth_method, *auth_response_headers;
    const char *auth_request_redirect, *auth_signin, *auth_signin_redirect_param;
    enum tri auth_always_set_cookie;
    const char *proxy_body_size, *limit_allowlist, *limit_whitelist;
    int64_t limit_rps, limit_rpm, limit_connections, limit_burst_multiplier;
    const char *load_balance, *upstream_hash_by;
    const char *proxy_next_upstream;
    int64_t proxy_next_upstream_tries, proxy_next_upstream_timeout;
    const char *custom_http_errors, *default_backend;
    /* client_certs.c */
    const char *auth_tls_secret, *auth_tls_verify_client, *auth_tls_match_cn;
    int64_t auth_tls_verify_depth;
    enum tri auth_tls_pass_certificate;
};

enum backend_protocol { BP_HTTP, BP_HTTPS, BP_GRPC, BP_GRPCS, BP_OTHER };

/* What the features made of an Ingress's annotations: shared by every
 * location of the Ingress, reported once. */
struct ing_features {
    enum backend_protocol protocol;
    const struct o_redirect *redirect; /* permanent/temporal-redirect */
    const char *app_root;              /* validated app-root */
    const char *upstream_host;         /* upstream-vhost as a hostname */
    struct ptrvec request_set;  /* o_header *: Host with a port, Connection */
    struct ptrvec response_set; /* o_header *: custom-headers */
    const struct o_cors *cors;
    const struct o_backend *mirror;
    const struct o_session *session;
    bool ssl_redirect; /* when the host has a certificate */
    bool force_ssl_redirect;
    /* canary Ingresses */
    const char *canary_header, *canary_value, *canary_pattern;
    const char *canary_cookie_always, *canary_cookie_never; /* Cookie regexes */
    int64_t canary_weight, canary_total;
};

struct ing {
    const struct ingress *src;
    const char *namespace; /* after --namespace */
    const char *klass;     /* the ingress class it was converted under */
    const struct ynode *annotations; /* metadata.annotations, or NULL */
    struct ing_config cfg;
    struct ing_features feat;
    /* ingress-nginx's order: creationTimestamp, then "ns/name" descending */
    size_t order;
    bool slash_noted; /* routes.c: the https redirect's trailing '/' */
    bool https_noted; /* routes.c: force-ssl-redirect without a tls entry */
    struct ing_policies *pol; /* policies.c */
    /* config.c: the annotations the controller's ConfigMap gave it, by
     * name (after the prefix): the ConfigMap's value nodes */
    struct index config_nodes;
};


enum path_type { PT_EXACT, PT_PREFIX, PT_IMPLEMENTATION_SPECIFIC };

/* The matches and rewrite of one location (paths.c). */
struct path_plan {
    struct o_path forms[2]; /* ORed: one rule matches any of them */
    size_t n_forms;
    struct o_path_mod rewrite; /* type NULL: none */
    bool rewritten;            /* x-forwarded-prefix applies */
    const char *idiom_prefix;  /* a rewrite idiom's PathPrefix */
    /* The paths ingress-nginx also sent to the idiom's location, past
     * idiom_prefix matched case-insensitively: a regex tail after it
     * (routes.c answers 500 there when the Ingress has access control). */
    const char *idiom_tail;
    bool shadowed;             /* a shorter regex takes its requests */
    /* An Exact rule in front: the trailing-slash 301 of nginx, or the
     * exact request of a prefix rewrite (ReplaceFullPath). */
    const char *exact;
    struct o_path_mod exact_rewrite; /* type NULL: exact is a 301 */
};

/* One Ingress path on a host: a location block of ingress-nginx. */
struct location {
    struct ing *ing;
    const struct ingress_path *path; /* NULL: a default backend */
    const char *value;               /* the path, "/" when absent */
    const char *shown;               /* value, cut short for messages */
    enum path_type type;
    struct backend backend;
    struct ing *canary; /* the canary of its upstream, or NULL */
    struct backend canary_backend;
    const struct o_session *session; /* the session affinity of its upstream */
    size_t seq;                      /* creation order */
    struct path_plan *plan; /* routes.c */
    bool strip_cert_headers; /* client_certs.c: its host validates them */
};

/* Every location ingress-nginx serves for one host, from the Ingresses of
 * one class whatever their namespace: one server block (servers are global
 * in ingress-nginx).  host "" is the catch-all.  The routes and listeners
 * go to the namespace of the Ingress that created the server (the first in
 * ingress-nginx's order); Services and Secrets of other namespaces are
 * referenced through ReferenceGrants. */
struct host_group {
    const char *namespace, *klass, *host;
    const struct ing *creator; /* the first Ingress with a rule for host */
    struct location *catch_all; /* "": a rule-less Ingress's default backend */
    struct ptrvec locations; /* struct location *, ingress-nginx order */
    struct index location_index; /* by path type and path */
    struct ptrvec prefix_values; /* paths.c: non-Exact path values, sorted */
    bool regex;              /* enforceRegex: every location is a regex */
    const struct ing *regex_cause; /* the Ingress that turned it on */
    struct ptrvec aliases;   /* const char *: server-alias names */
    const struct ing *alias_ing; /* the Ingress whose server-alias applies */
    const char **alias_names;    /* its names, as written */
    size_t n_alias_names;
    const char *www_target;  /* a from-to-www-redirect alias: its host */
    const struct ing *www_ing; /* the Ingress that asked for it */
    const char *secret;      /* the TLS certificate, or NULL */
    const char *secret_namespace; /* tls_ing's namespace */
    const struct ing *tls_ing; /* the Ingress that decided the certificate */
    bool tls_decided;          /* tls.c: a later Ingress changes nothing */
    const struct location *app_root;
    /* A path of an Ingress with access control that gwc cannot write
     * (longer than it takes): the host fails closed (paths.c). */
    struct ing *unwritable;
    const struct ynode *unwritable_at;
    struct ing *passthrough; /* ssl-passthrough Ingress, or NULL */
    struct backend passthrough_backend;
    /* Filled by gateways.c: the listeners routes attach to. */
    struct o_gateway *gateway;
    const char *http_listener, *https_listener, *tls_listener;
    const char **alias_http, **alias_https;
};

/* ---- one run ---- */

/* What the import needs of the controller's ConfigMap (config.c). */
struct nx_config {
    const struct config_map *cm;
    const char *label;
    const struct ynode *root;
};

/* The provider's state, im->state. */
struct nx {
    struct ptrvec ings;   /* struct ing *, ingress-nginx order */
    struct ptrvec groups; /* struct host_group *, by ns, class, host */
    struct index group_index; /* by class and host */
    struct index alias_index; /* server-alias names, by class and name */
    struct index canary_index; /* upstream -> the location its canary joined */
    size_t n_locations;
    const struct nx_config *config; /* the controller's ConfigMap, or NULL */
};

static inline struct nx *NX(const struct imp *im)
{
    return im->state;
}

/* report.c: diagnostics at the annotations and fields of an Ingress. */
const struct ynode *nx_report_annotation_node(const struct ing *ing,
                                              const char *name);
struct diag *nx_report_annotation(struct imp *im, const struct ing *ing,
                                  const char *name, enum diag_code code,
                                  const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
struct diag *nx_report_node(struct imp *im, const struct ing *ing,
                            const struct ynode *at, enum diag_code code,
                            const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
struct diag *nx_report_node_sev(struct imp *im, const struct ing *ing,
                                const struct ynode *at, enum diag_severity sev,
                                enum diag_code code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* The va_list entry the others (and the Ingress's own wrappers) go
 * through. */
struct diag *nx_vreport(struct imp *im, const struct ing *ing, const struct ynode *at,
                        enum diag_severity sev, enum diag_code code, const char *fmt,
                        va_list ap) __attribute__((format(printf, 6, 0)));

/* classes.c */
void nx_classes_resolve(struct imp *im);

/* annotations.c */
void nx_annotations_parse(struct imp *im, struct ing *ing);
/* One annotation e of ing (its key with the prefix) into ing->cfg, or
 * reported. */
void nx_annotations_one(struct imp *im, struct ing *ing,
                        const struct strmap_entry *e, bool canary, bool passthrough);

/* config.c: the controller's ConfigMap (--controller-config, else the
 * chart's when the inputs hold it), its keys reported; false when
 * --controller-config names one the inputs lack (reported: nothing is
 * converted).  nx_config_defaults() gives ing the annotations the
 * ConfigMap sets by default, after its own (nx_annotations_parse()); not
 * to canary and ssl-passthrough Ingresses. */
bool nx_config_load(struct imp *im);
void nx_config_defaults(struct imp *im, struct ing *ing);
/* The client address the ConfigMap sets (use-forwarded-headers,
 * use-proxy-protocol, ...): a ClientPolicy on each Gateway, once they are
 * all made. */
void nx_config_gateways(struct imp *im);
/* The ConfigMap's value of key, which ing takes as its own (its
 * diagnostics about key are then positioned there), or NULL. */
const char *nx_config_take(struct imp *im, struct ing *ing, const char *key);

/* Features, one Ingress at a time (after every Ingress is parsed). */
void nx_backends_protocol(struct imp *im, struct ing *ing);
void nx_redirects_feature(struct imp *im, struct ing *ing, bool grpc);
void nx_headers_feature(struct imp *im, struct ing *ing);
void nx_cors_feature(struct imp *im, struct ing *ing);
void nx_session_feature(struct imp *im, struct ing *ing);
void nx_mirror_feature(struct imp *im, struct ing *ing);
void nx_canary_feature(struct imp *im, struct ing *ing);
void nx_paths_feature(struct imp *im, struct ing *ing);

/* backends.c: a Service port behind an Ingress path. */
bool nx_backend_resolve(struct imp *im, const struct ing *ing,
                        const struct ingress_backend *b, struct backend *out);

/* hosts.c: host groups with their locations and canaries; aliases.c:
 * their server-alias and from-to-www-redirect names. */
void nx_hosts_build(struct imp *im);
void nx_aliases_build(struct imp *im);

/* groups.c: a group by class and host (get creates it for ing), a
 * location by path and type. */
const char *nx_host_group_key(struct imp *im, const char *klass, const char *host);
struct host_group *nx_host_group_find(struct imp *im, const char *klass,
                                      const char *host);
struct host_group *nx_host_group_get(struct imp *im, const struct ing *ing,
                                     const char *host);
struct location *nx_host_location(const struct host_group *g, const char *value,
                                  enum path_type type);
void nx_host_location_push(struct imp *im, struct host_group *g, struct location *l);

/* tls.c: certificates per host, ssl-passthrough. */
void nx_tls_build(struct imp *im);
/* The tls entry of ing that names host, or else covers it; NULL if none. */
const struct ingress_tls *nx_tls_entry_for(const struct ing *ing, const char *host);

/* client_certs.c: auth-tls-* per host, once the listeners exist (before
 * the routes and policies); strip() adds to the request filters of a
 * location of such a host the removal of the ssl-client-* headers. */
void nx_client_certs_build(struct imp *im);
void nx_client_certs_strip(struct imp *im, const struct location *l,
                           struct o_filters *f);

/* backend_tls.c: backend-protocol HTTPS/GRPCS to BackendTLSPolicy. */
void nx_backend_tls_build(struct imp *im);

/* paths.c: the matches and rewrite of one location. */
const struct ing *nx_paths_regex_cause(const struct host_group *g);
void nx_paths_index(struct imp *im, struct host_group *g);
void nx_paths_plan(struct imp *im, const struct host_group *g,
                   const struct location *l, struct path_plan *out);
/* path_precedence.c: regex locations whose order nginx and the Gateway
 * would see differently, reported. */
void nx_paths_precedence(struct imp *im, const struct host_group *g);
/* Every Ingress with a path on g fails closed, because of g->unwritable's
 * path, which gwc cannot write and ingress-nginx serves. */
void nx_paths_unwritable(struct imp *im, const struct host_group *g);

/* A character that stands for itself in a regex and in a path. */
bool nx_paths_literal_char(char c);

/* canary.c: a location's rules, with its canary's header, cookie and
 * weight rules. */
void nx_canary_rules(struct imp *im, const struct location *l,
                     const struct o_match *base, size_t n_base,
                     const struct o_filters *f, size_t group, struct ptrvec *rules);

/* redirects.c */
struct o_filters *nx_redirects_filters(struct imp *im, const struct o_redirect *r);
const struct o_redirect *nx_redirects_https(struct imp *im);

/* policies.c: the gwc policies of an Ingress.  Access control not
 * converted exactly fails closed: reported at its annotation (at), the
 * Ingress's AccessPolicy then denies every client. */
void nx_fail_closed(struct imp *im, struct ing *ing, const struct ynode *at,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The Ingress's policy of kind (AccessPolicy, ClientPolicy,
 * BackendPolicy): pol_get names it on first use, pol_find says NULL. */
struct o_gwc_policy *nx_pol_get(struct imp *im, struct ing *ing, const char *kind);
struct o_gwc_policy *nx_pol_find(struct ing *ing, const char *kind);
/* A note at annotation key: converted to that policy's field. */
void nx_pol_converted(struct imp *im, struct ing *ing, const char *key,
                      const char *kind, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* imp_fail_closed at annotation key. */
void nx_pol_fail_closed(struct imp *im, struct ing *ing, const char *key,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A note at each of keys present: ignored without what. */
void nx_pol_ignored_without(struct imp *im, const struct ing *ing,
                            const char *const *keys, size_t n, const char *what);
/* cidrs.c: a comma list of addresses and CIDR blocks as ingress-nginx
 * reads it, written as gwc's CIDRs; NULL with *why when it cannot be. */
const char **nx_pol_cidrs(struct imp *im, const char *value, size_t max, size_t *n,
                          const char **why);
/* access.c: the AccessPolicy; traffic.c: the ClientPolicy and the
 * BackendPolicy, whose retry is retry.c's. */
void nx_access_feature(struct imp *im, struct ing *ing);
void nx_traffic_feature(struct imp *im, struct ing *ing);
void nx_retry_feature(struct imp *im, struct ing *ing);
/* errors.c: custom-http-errors and default-backend, reported. */
void nx_errors_feature(struct imp *im, struct ing *ing);
/* What a canary Ingress's own load balancing is left as (reported). */
void nx_traffic_canary(struct imp *im, const struct ing *ing);
/* Targets for the policies of the Ingresses whose rules route r holds
 * (rule names are unique within g's routes). */
void nx_policies_target(struct imp *im, const struct host_group *g,
                        const struct o_route *r);
void nx_policies_build(struct imp *im);

/* mirror.c: svc[.ns[.svc[.cluster.local]]] as a Service and namespace
 * (home when the host has none). */
bool nx_service_host(struct imp *im, const char *host, const char *home,
                     const char **svc, const char **ns);

/* routes.c, gateways.c */
void nx_routes_build(struct imp *im);
/* route_objects.c: rules as routes of at most 16 rules and 16 hostnames,
 * attached to the host group's listeners; ssl-passthrough's TLSRoute. */
void nx_routes_emit(struct imp *im, const struct host_group *g, enum kind kind,
                    const char *suffix, const struct ptrvec *rules, bool http,
                    bool https);
void nx_routes_tls(struct imp *im, const struct host_group *g);
void nx_gateways_assign(struct imp *im);

#endif
