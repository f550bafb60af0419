/*
 * Stage 4: the routing plan.  An nginx-shaped description of what to write,
 * with every decision already taken: servers per (address, port, hostname),
 * locations in nginx's own order, the precedence-ordered candidate lists the
 * dispatch maps encode, upstreams, splits, certificates.  emit/ only prints
 * it; it never sees YAML or the model.
 *
 * The YAML trees may be gone by the time the plan is built (`gwc compile`
 * drops them to reuse their memory unless RoutingTests need them): a model
 * `src` field may be tested against NULL here and in what the controller
 * answers the planner, never followed.
 *
 * Strings in the plan are data, not config text.  Where nginx must expand a
 * variable, the value is a struct plan_text: literal parts and variable
 * names kept apart, so the emitter quotes the literals and nothing a user
 * wrote can become a variable reference.
 */
#ifndef GWC_PLAN_H
#define GWC_PLAN_H

#include "controller/controller.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct compilation;

/* ---- text with variables ---- */

struct plan_part {
    bool variable;    /* name of an nginx variable, or literal text */
    const char *text;
};

struct plan_text {
    struct plan_part *parts;
    size_t n, cap;
};

/* ---- maps and splits ---- */

enum map_key_kind {
    MAP_KEY_EXACT,    /* nginx compares the string case-insensitively */
    MAP_KEY_REGEX,    /* a PCRE pattern, case-sensitive */
    MAP_KEY_HOSTNAME, /* in a `hostnames` map: exact or *.wildcard */
};

struct plan_map_entry {
    enum map_key_kind kind;
    const char *key;
    struct plan_text value;
};

struct plan_map {
    struct plan_text source;
    const char *variable;
    bool hostnames;
    struct plan_map_entry *entries; /* first matching regex wins */
    size_t n_entries, entries_cap;
    struct plan_text default_value;
};

struct plan_split_entry {
    unsigned hundredths; /* percent * 100; 0 means "the rest" (*) */
    const char *value;   /* a target location URI */
};

struct plan_split {
    const char *variable;
    struct plan_split_entry *entries;
    size_t n_entries;
    /* Written before the section's key ("m0:${request_id}"), so that the
     * splits one request meets choose independently; NULL: the key alone. */
    const char *salt;
};

/* ---- upstreams ---- */

struct plan_upstream {
    const char *name;
    const char **servers; /* "address:port" */
    size_t n_servers;
    bool keepalive;
    /* BackendPolicy loadBalancing: least_conn, or `hash $<hash_key>
     * consistent` (NULL: round robin). */
    bool least_conn;
    const char *hash_key;
    /* BackendPolicy keepalive (keepalive_connections 0: none) */
    int64_t keepalive_connections, keepalive_requests;
    const char *keepalive_timeout, *keepalive_time;
    /* For retries: nginx retries on the next peer, never the same one, so
     * the servers are listed `repeat` times, without failure accounting
     * (a retried error must not take the endpoint out for others).  The
     * copies after the first are `backup` servers, which nginx reaches only
     * once a request has tried every endpoint, so no request spends its
     * tries on a dead endpoint while a live one is untried; nginx forbids
     * `backup` with `hash`, whose copies stay plain servers. */
    unsigned repeat;
    bool copies_are_backups;
};

/* ---- what handles a request ---- */

enum header_op { HEADER_SET, HEADER_ADD, HEADER_REMOVE };

struct plan_header {
    enum header_op op;
    const char *name;
    const char *value;
    const char *add_variable; /* HEADER_ADD of a request header: the map
                                 variable holding "existing," or "" */
    const char *value_variable; /* HEADER_SET to this variable's value
                                   (instead of the literal value) */
};

/* One way nginx makes a new URI: `rewrite REGEX TEXT break`, or for a
 * redirect `if ($request_uri ~ REGEX) { return STATUS TEXT; }` (regex
 * NULL: unconditionally, the last step). */
struct plan_uri_step {
    const char *regex;
    struct plan_text text;
};

struct plan_redirect {
    int status;
    const char *scheme;   /* NULL: the request's */
    const char *hostname; /* NULL: the request's host */
    int64_t port;         /* 0: omitted (default port of the scheme) */
    enum { REDIRECT_PATH_KEEP, REDIRECT_PATH_FULL, REDIRECT_PATH_PREFIX } path_kind;
    const char *path;       /* replacement */
    const char *prefix;     /* the matched prefix, for PREFIX */
    struct plan_uri_step *steps; /* the Location, as nginx builds it */
    size_t n_steps;
};

/* A CORS response header whose value is a variable: empty, so that nginx
 * adds nothing, unless the request's Origin is allowed. */
struct plan_cors_header {
    const char *name; /* Access-Control-... */
    const char *variable;
};

struct plan_cors {
    struct plan_cors_header headers[6];
    size_t n_headers;
    const char *preflight_variable; /* map: "1" for a preflight request */
};

/* How nginx speaks TLS to a backend (BackendTLSPolicy, an https auth URL). */
struct plan_target_tls {
    const char *name;             /* SNI and verified name */
    const char *ca_file;          /* CA bundle file under certs/, or the system's */
    const char *client_cert_file; /* presented to the backend, or NULL */
    const char *client_key_file;
};

/* One way out of a handler: a backend, or a status (32 bytes: every
 * handler has one, and few backends are behind TLS). */
struct plan_target {
    int status;           /* nonzero: answer this (500, 503) */
    bool grpc;
    bool websocket;
    const struct plan_target_tls *tls; /* proxy over TLS, or NULL */
    const char *upstream; /* an upstream block's name ... */
    const char *address;  /* ... or "host:port" resolved at run time */
};

/* ---- gwc policies (docs/policies.md, "Maintainers: nginx mapping") ---- */

/* limit_req_zone or limit_conn_zone, keyed by the client address. */
struct plan_zone {
    const char *name;
    const char *key;    /* the variable counted: the client address, or a
                           map giving exempt clients an empty key */
    bool conn;          /* limit_conn_zone */
    int64_t requests;   /* limit_req_zone: rate=<requests>r/s or r/m */
    bool per_minute;
};

struct plan_rate {
    const char *zone;
    int64_t burst; /* 0: left out (nginx refuses burst=0) */
    bool nodelay;
};

/* The subrequest of externalAuth: `location = <uri> { internal; ... }`. */
struct plan_auth {
    const char *uri;           /* /_gw/auth/<id> */
    struct plan_target target; /* the auth Service */
    const char *host;          /* Host sent to it */
    const char *path;          /* its path, with the query part if any */
    const char *method;        /* NULL: GET */
    const char **request_headers; /* only these client headers ... */
    const char **request_header_vars; /* ... from these variables */
    size_t n_request_headers;
    bool pass_all_headers;        /* ... or all of them */
    struct plan_header *set_headers; /* literal setRequestHeaders */
    size_t n_set_headers;
    const char *redirect; /* X-Auth-Request-Redirect literal, NULL: $request_uri */
    const char *timeout;  /* nginx time */
};

/* externalAuth.signIn: a 401 of the auth service becomes a redirect to
 * <url or path on the request's host>?<param>=<scheme://host/path>. */
struct plan_signin {
    const char *name; /* @/_gw/signin/<id> */
    const char *url;  /* absolute sign-in URL, or NULL ... */
    const char *path; /* ... a path on the request's host */
    const char *param;
};

/* An errorResponses entry as a named location: return <code> "<body>",
 * or a request to the Service that renders it (backendRef), whose answer
 * the client gets with the original status. */
struct plan_error_page {
    const char *name; /* @/_gw/err/<id>/<code> */
    int code;
    const char *body;
    const char *content_type;
    bool proxied;              /* backendRef: the fields below */
    struct plan_target target; /* status 503: no endpoints, nginx's own page */
    const char *request_id_variable; /* X-Request-ID: the client's, else nginx's */
};

/* What the location serving a rule tells its error page Services
 * (X-Namespace, X-Route-Name, X-Service-Name, X-Service-Port): set there,
 * read in the error page location the request is handed to. */
struct plan_error_context {
    const char *namespace, *route, *service;
    int64_t port;
};

struct plan_policy {
    /* AccessPolicy: deny entries, then allow entries, then `deny all` */
    const char **deny;
    size_t n_deny;
    const char **allow;
    size_t n_allow;
    bool deny_all;
    bool satisfy_any;
    const char *basic_realm;    /* auth_basic, or NULL */
    const char *htpasswd_file;
    struct plan_auth *auth;     /* auth_request, or NULL */
    const char *auth_cookie_variable; /* add_header Set-Cookie $it, or NULL */
    const struct plan_signin *signin;
    bool auth_cookie_always;
    const char **auth_set; /* auth_request_set pairs: variable, upstream variable */
    size_t n_auth_set;
    /* ClientPolicy */
    struct plan_rate *rates;
    size_t n_rates;
    const char **conn_zones;
    int64_t *conn_limits;
    size_t n_conn;
    int reject_status; /* 0: nginx's 503 */
    const char *max_body_size; /* client_max_body_size, nginx form */
    int64_t max_body;          /* in bytes, 0 unlimited; -1 unset (1 MiB) */
    const char *body_timeout, *idle_timeout, *send_timeout;
    const char *hsts; /* Strict-Transport-Security value, HTTPS only */
    struct plan_error_page **errors;
    size_t n_errors;
    bool error_context; /* some page is proxied: its handlers carry one */
    /* BackendPolicy */
    enum tri buffer_response, buffer_request;
    const char *affinity_cookie_variable; /* add_header Set-Cookie $it */
};

/* What few handlers ask for, kept out of line so that the common one (a
 * backend, perhaps with headers) does not carry it: a URL rewrite,
 * mirrors, CORS, timeouts, retries, the error pages' context. */
struct plan_handler_extra {
    /* URL rewrite (the rest below) */
    enum { REWRITE_NONE, REWRITE_FULL, REWRITE_PREFIX } rewrite;
    unsigned retry_tries; /* Retry: how many tries in all (below) */
    const char *rewrite_prefix;
    const char *rewrite_path;
    const char *rewrite_set; /* the value of $gw_rewrite, or NULL */
    struct plan_uri_step *rewrites; /* the new path, as nginx builds it */
    size_t n_rewrites;
    const char *rewrite_host;
    struct plan_handler **mirrors; /* copies sent to mirror backends */
    size_t n_mirrors;
    const char *sample_variable; /* a mirror: send only when non-empty */
    struct plan_cors *cors;
    const char *read_timeout, *connect_timeout; /* nginx time values */
    const char *send_timeout; /* NULL: the read timeout */
    const struct plan_error_context *error_context; /* for proxied error pages */
    /* Retry: proxy_next_upstream conditions ("error timeout http_500 ..."),
     * and within how long (request timeout). */
    const char *retry_on;
    const char *retry_within;
};

/* A rule's weighted split over handlers of its backends (backend-level
 * filters live there). */
struct plan_handler_split {
    const char *variable;
    struct plan_text target; /* the chosen backend's named location */
    struct plan_handler **backends;
    size_t n_backends;
};

/* One per rule and backend (about five per route, 128 bytes; 320 with
 * the rare parts inline): the small fields are kept together, so that no
 * padding comes between them. */
struct plan_handler {
    const char *id; /* its location's URI (mirrors) or name less the '@' */
    bool by_uri;    /* a mirror: reached by a subrequest to the URI id */
    bool grpc;
    int status;     /* nonzero: return it (fixed 500, no backends) */
    struct plan_redirect *redirect;
    struct plan_header *request_headers;
    size_t n_request_headers;
    struct plan_header *response_headers;
    size_t n_response_headers;
    const struct plan_policy *policy; /* gwc policies, or NULL */
    /* NULL: none; read through plan_handler_extra() */
    struct plan_handler_extra *extra;
    /* Where to send the request: one target, or a split (NULL: none). */
    struct plan_target target;
    const struct plan_handler_split *split;
    int64_t weight; /* as a split backend: its weight */
    const struct backend *backend; /* the backend target sends to, or NULL */
};

/* h's extras, all unset when it has none. */
const struct plan_handler_extra *plan_handler_extra(const struct plan_handler *h);

/* ---- servers and locations ---- */

/* LOC_INTERNAL is an internal "= URI" location, reached by a mirror
 * subrequest; LOC_NAMED an "@name" one, reached by error_page from the
 * location the request arrived at, with its method and URI unchanged. */
enum location_kind { LOC_EXACT, LOC_PREFIX, LOC_REGEX, LOC_INTERNAL, LOC_NAMED };

/* The flags sit with the kind: a server has one of these per location
 * (56 bytes, was 72 with each flag padded to a pointer). */
struct plan_location {
    enum location_kind kind;
    bool save_uri;         /* set $gw_uri $uri: a mirror sends the original path */
    bool recursive_errors; /* error pages after the 418 hop */
    const char *path;      /* LOC_REGEX: the pattern; LOC_NAMED: the name
                              less its '@' (a handler's id, not copied) */
    /* Either dispatch through a map to a named location: the request goes
     * to dispatch_prefix followed by the map's value.  The values are the
     * target names less the prefix they share ("r0", "r1/${gw_s0}"), so
     * that locations of every server whose candidates have the same
     * conditions and rule structure share one map ... */
    const char *dispatch_variable;
    const char *dispatch_prefix;
    /* ... or handle here; neither: 404. */
    struct plan_handler *handler;
    /* Dispatching: nginx checks Content-Length against this location's
     * limit, so it takes the largest of its targets' (NULL: default). */
    const char *max_body_size;
    /* A named location whose limit is below what its dispatching location
     * let through: `if ($<var>) { return 413; }`. */
    const char *body_over_variable;
};

struct plan_listen {
    const char *address;   /* NULL: all addresses */
    int64_t port;
    const char *unix_path; /* listen on this unix socket instead */
    bool ssl, http2, default_server, udp;
    bool proxy_protocol; /* connections arrive with a PROXY protocol header */
};

struct plan_server {
    struct plan_listen listen;
    const char **names; /* server_name; empty: default server only */
    size_t n_names;
    const char *cert_file, *key_file; /* under certs/ or mounted */
    bool reject_handshake; /* TLS default server without a certificate */
    const char *client_ca_file; /* frontend client certificate validation */
    bool client_verify_optional;
    /* 421 unless the listener SNI chose (this variable) is this server's
     * (NULL: a server of no listener, which answers 404). */
    const char *sni_listener_variable;
    const char *sni_listener;
    struct plan_location *locations; /* in emission order */
    size_t n_locations;
    /* Why it routes as it does, for explain/: its listener (NULL: none),
     * the candidates in precedence order, and the handler of each
     * candidate group (NULL where no location reaches the group). */
    const struct eff_listener *listener;
    const struct candidate *candidates;
    size_t n_candidates;
    struct plan_handler *const *group_handlers;
    /* ClientPolicy clientAddressDetection: source Header (real_ip_header),
     * or ProxyProtocol on a socket that reads the header itself. */
    const char **real_ip_from;
    size_t n_real_ip_from;
    const char *real_ip_header;
    bool real_ip_recursive;
    bool real_ip_proxy_protocol;
    /* clientAddressDetection that cannot be programmed here (an HTTPS port
     * behind the stream front): address checks and limits fail closed. */
    bool client_address_unknown;
    struct plan_auth **auths; /* auth subrequest locations */
    size_t n_auths;
    struct plan_signin **signins;
    size_t n_signins;
    struct plan_error_page **error_pages;
    size_t n_error_pages;
    /* Some error page is proxied: the server declares the variables that
     * name the rule to it, empty until a serving location sets them. */
    bool error_context;
};

struct plan_file {
    const char *path; /* relative to the output directory */
    const char *data;
    size_t len;
    unsigned mode;
};

/* ---- stream{}: TCP, UDP and TLS ---- */

struct plan_stream_server {
    struct plan_listen listen;
    bool ssl_preread;      /* read the ClientHello's SNI, do not terminate */
    const char *cert_file, *key_file; /* terminate TLS with this certificate ... */
    const char *cert_variable, *key_variable; /* ... or what maps pick by SNI */
    bool proxy_protocol;   /* send a PROXY protocol header to destinations */
    /* listen.proxy_protocol from the outside (ClientPolicy ProxyProtocol):
     * the peers whose PROXY header names the client (set_real_ip_from). */
    const char **real_ip_from;
    size_t n_real_ip_from;
    /* Where connections go: an upstream, a variable (map or split) naming
     * one, or neither: close the connection. */
    const char *pass_upstream;
    const char *pass_variable;
    bool udp_one_response; /* request/response datagrams (DNS-like) */
    const struct plan_target *tls_to; /* BackendTLSPolicy: TLS to the backend */
};

/* What http{} and stream{} each declare at their top level. */
struct plan_section {
    struct plan_map *maps;
    size_t n_maps;
    struct plan_split *splits;
    size_t n_splits;
    struct plan_upstream **upstreams; /* each made once, when first named */
    size_t n_upstreams;
    const char *resolver; /* for backends resolved at run time, or NULL */
    unsigned map_bucket;  /* map_hash_bucket_size its map keys need */
};

/* geo $variable { default ""; <cidr> "1"; ... } */
struct plan_geo {
    const char *variable;
    const char *const *cidrs;
    size_t n_cidrs;
};

struct plan {
    struct plan_section http, stream;
    struct plan_zone *zones; /* http{}: sorted by name */
    size_t n_zones;
    struct plan_geo *geos; /* http{}: sorted by variable */
    size_t n_geos;
    /* Each its own allocation: one array of 100,000 servers (24 MB) is
     * too big for any block the dropped trees leave to the plan. */
    struct plan_server **servers;
    size_t n_servers;
    struct plan_stream_server *stream_servers;
    size_t n_stream_servers;
    struct plan_file *files; /* certificates, CA bundles */
    size_t n_files;
    bool uses_socket_dir; /* unix sockets between stream{} and http{} */
    /* hash sizes nginx needs for this config */
    unsigned server_names_bucket, server_names_max;
    unsigned variables_bucket, variables_max;
    unsigned proxy_headers_bucket; /* proxy_headers_hash_bucket_size; 0: default */
};

/* Where every Service's endpoints are instead of where the input says:
 * `gwc test --verify-nginx` points each Service at a stub of its own. */
struct plan_endpoints {
    const char *(*address)(void *ctx, const char *namespace, const char *name);
    void *ctx;
};

/* Debian's (and Alpine's) bundle of the system's trusted CAs: what
 * WellKnownCACertificates "System" and https auth URLs verify against. */
#define PLAN_SYSTEM_CA_FILE "/etc/ssl/certs/ca-certificates.crt"

/* Idle keepalive connections an upstream keeps per worker unless a
 * BackendPolicy says otherwise. */
#define PLAN_DEFAULT_KEEPALIVE 16

/* kubeadm's kube-dns address: the resolver unless one is given. */
#define PLAN_DEFAULT_RESOLVER "10.96.0.10"

struct plan_options {
    const char *listen_address;
    const uint32_t (*port_map)[2];
    size_t n_port_map;
    const char *resolver; /* NULL: PLAN_DEFAULT_RESOLVER */
    const char *socket_dir; /* unix sockets for hops between stream and http */
    const char *secrets_dir;    /* Secrets not in the input, mounted here */
    const char *configmaps_dir; /* ConfigMaps not in the input, likewise */
    const struct plan_endpoints *endpoints; /* NULL: the input's */
    /* No routing test reads this plan: the servers' candidates and group
     * handlers (for explain/) are left out, and their memory serves the
     * next server. */
    bool no_explain;
};

/*
 * Builds the plan from the controller's view.  Cannot fail on a validated
 * model; findings about what nginx cannot express were reported by
 * validate.
 */
void plan_build(struct compilation *c, const struct controller *ctl,
                const struct plan_options *o, struct plan *out);

/* ---- route precedence (docs/spec-notes.md, "Route precedence"), exposed for tests ---- */

struct candidate {
    const struct attachment *att;
    const struct rule_state *rule;
    size_t rule_index;
    const struct http_match *match; /* HTTPRoute, else NULL */
    const struct grpc_match *grpc;  /* GRPCRoute, else NULL */
    size_t match_index;
    const char *hostname; /* the route hostname that matched, NULL: any */
    size_t group; /* candidates of one rule through one attachment share it,
                     and with it their handler */
};

/* <0 when a takes precedence over b. Total: ties end on input order. */
int plan_candidate_cmp(const struct candidate *a, const struct candidate *b);

/* The step of the order above that tells two candidates apart. */
enum plan_precedence {
    PREC_HOSTNAME,     /* exact, wildcard or no route hostname */
    PREC_HOSTNAME_LEN, /* the longer route hostname */
    PREC_KIND,         /* HTTPRoute before GRPCRoute */
    PREC_PATH_KIND,    /* Exact, RegularExpression, PathPrefix */
    PREC_PATH_LEN,     /* the longer path */
    PREC_METHOD,       /* a method match */
    PREC_HEADERS,      /* more header matches */
    PREC_QUERY,        /* more query matches */
    PREC_GRPC_SERVICE, /* the longer gRPC service */
    PREC_GRPC_METHOD,  /* the longer gRPC method */
    PREC_AGE,          /* the older route, then its namespace/name */
    PREC_RULE,         /* the earlier rule */
    PREC_MATCH,        /* the earlier match */
    PREC_SAME,
};
enum plan_precedence plan_precedence_step(const struct candidate *a,
                                          const struct candidate *b);

/* The path a candidate matches as nginx sees it: an exact path (LOC_EXACT),
 * a prefix without its final '/' (LOC_PREFIX) or a pattern matched against
 * the whole path (LOC_REGEX). */
enum location_kind plan_candidate_path(struct arena *a, const struct candidate *c,
                                       const char **path);
/* The port nginx listens on for a listener's port (--port-map). */
int64_t plan_mapped_port(const struct plan_options *o, int64_t port);
/* Does a prefix (without final '/') cover the path, segment-wise? */
bool plan_prefix_covers(const char *prefix, const char *path);

#endif
