/*
 * Stage 4: the routing plan.  An nginx-shaped description of what to write,
 * with every decision already taken: servers per (address, port, hostname),
 * locations in nginx's own order, the precedence-ordered candidate lists the
 * dispatch maps encode, upstreams, splits, certificates.  emit/ only prints
 * it; it never sees YAML or the model.
 *
 * The YAML trees are gone by the time the plan is built (`gwc compile`
 * drops them to reuse their memory): a model `src` field may be tested
 * against NULL here, never followed.
 *
 * Strings in the plan are data, not config text.  Where nginx must expand a
 * variable, the value is a struct plan_text: literal parts and variable
 * names kept apart, so the emitter quotes the literals and nothing a user
 * wrote can become a variable reference.
 */
#ifndef GWC_PLAN_H
#define GWC_PLAN_H

#include "validate/validate.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
    /* For retries: nginx retries on the next peer, never the same one, so
     * each server is listed `repeat` times, without failure accounting
     * (a retried error must not take the endpoint out for others). */
    unsigned repeat;
};

/* ---- what handles a request ---- */

enum header_op { HEADER_SET, HEADER_ADD, HEADER_REMOVE };

struct plan_header {
    enum header_op op;
    const char *name;
    const char *value;
    const char *add_variable; /* HEADER_ADD of a request header: the map
                                 variable holding "existing," or "" */
};

struct plan_redirect {
    int status;
    const char *scheme;   /* NULL: the request's */
    const char *hostname; /* NULL: the request's host */
    int64_t port;         /* 0: omitted (default port of the scheme) */
    enum { REDIRECT_PATH_KEEP, REDIRECT_PATH_FULL, REDIRECT_PATH_PREFIX } path_kind;
    const char *path;       /* replacement */
    const char *prefix;     /* the matched prefix, for PREFIX */
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

/* One way out of a handler: a backend, or a status. */
struct plan_target {
    int status;           /* nonzero: answer this (500, 503) */
    const char *upstream; /* an upstream block's name ... */
    const char *address;  /* ... or "host:port" resolved at run time */
    bool grpc;
    bool tls;             /* BackendTLSPolicy: proxy over TLS */
    const char *tls_name;       /* SNI and verified name */
    const char *tls_ca_file;    /* CA bundle file under certs/, or NULL */
    const char *tls_client_cert_file; /* presented to the backend, or NULL */
    bool websocket;
};

struct plan_handler {
    const char *id; /* its location's URI (mirrors) or name less the '@' */
    bool by_uri;    /* a mirror: reached by a subrequest to the URI id */
    int status;     /* nonzero: return it (fixed 500, no backends) */
    struct plan_redirect *redirect;
    /* URL rewrite */
    enum { REWRITE_NONE, REWRITE_FULL, REWRITE_PREFIX } rewrite;
    const char *rewrite_prefix;
    const char *rewrite_path;
    const char *rewrite_host;
    struct plan_header *request_headers;
    size_t n_request_headers;
    struct plan_header *response_headers;
    size_t n_response_headers;
    struct plan_handler **mirrors; /* copies sent to mirror backends */
    size_t n_mirrors;
    const char *sample_variable; /* a mirror: send only when non-empty */
    struct plan_cors *cors;
    const char *read_timeout, *connect_timeout; /* nginx time values */
    /* Retry: proxy_next_upstream conditions ("error timeout http_500 ..."),
     * how many tries in all, and within how long (request timeout). */
    const char *retry_on;
    unsigned retry_tries;
    const char *retry_within;
    /* Where to send the request: one target, or a split over per-backend
     * handlers (backend-level filters live there). */
    struct plan_target target;
    const char *split_variable;
    struct plan_text split_target; /* the chosen backend's named location */
    struct plan_handler **backends;
    size_t n_backends;
    int64_t weight; /* as a split backend: its weight */
    bool grpc;
};

/* ---- servers and locations ---- */

/* LOC_INTERNAL is an internal "= URI" location, reached by a mirror
 * subrequest; LOC_NAMED an "@name" one, reached by error_page from the
 * location the request arrived at, with its method and URI unchanged. */
enum location_kind { LOC_EXACT, LOC_PREFIX, LOC_REGEX, LOC_INTERNAL, LOC_NAMED };

struct plan_location {
    enum location_kind kind;
    const char *path; /* LOC_REGEX: the pattern */
    bool save_uri;    /* set $gw_uri $uri: a mirror sends the original path */
    /* Either dispatch through a map to a named location: the request goes
     * to dispatch_prefix followed by the map's value.  The values are the
     * target names less the prefix they share ("r0", "r1/${gw_s0}"), so
     * that locations of every server whose candidates have the same
     * conditions and rule structure share one map ... */
    const char *dispatch_variable;
    const char *dispatch_prefix;
    /* ... or handle here; neither: 404. */
    struct plan_handler *handler;
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
    const char *cert_file; /* under certs/ */
    bool reject_handshake; /* TLS default server without a certificate */
    const char *client_ca_file; /* frontend client certificate validation */
    bool client_verify_optional;
    /* 421 unless the listener SNI chose (this variable) is this server's
     * (NULL: a server of no listener, which answers 404). */
    const char *sni_listener_variable;
    const char *sni_listener;
    struct plan_location *locations; /* in emission order */
    size_t n_locations;
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
    const char *cert_file; /* terminate TLS with this certificate ... */
    const char *cert_variable; /* ... or with the one this map picks by SNI */
    bool proxy_protocol;   /* send a PROXY protocol header to destinations */
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
    struct plan_upstream *upstreams;
    size_t n_upstreams;
    const char *resolver; /* for backends resolved at run time, or NULL */
    unsigned map_bucket;  /* map_hash_bucket_size its map keys need */
};

struct plan {
    struct plan_section http, stream;
    struct plan_server *servers;
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

struct plan_options {
    const char *listen_address;
    const uint32_t (*port_map)[2];
    size_t n_port_map;
    const char *resolver;
    const char *socket_dir; /* unix sockets for hops between stream and http */
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
int candidate_cmp(const struct candidate *a, const struct candidate *b);

#endif
