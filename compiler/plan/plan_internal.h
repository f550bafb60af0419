/* Shared between the files of the plan stage only. */
#ifndef GWC_PLAN_INTERNAL_H
#define GWC_PLAN_INTERNAL_H

#include "plan.h"

#include "base/str.h"

#include "base/arena.h"
#include "base/ptrvec.h"
#include "base/strhash.h"
#include "nginx/quote.h"

#include <stdlib.h>
#include <string.h>

/* A growing list of positions in some array (candidates, attachments). */
struct idxvec {
    size_t *v;
    size_t n, cap;
};

static inline void idx_push(struct arena *a, struct idxvec *x, size_t i)
{
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 4;
        size_t *v = ARENA_NEW_ARRAY(a, size_t, cap);
        if (x->n)
            memcpy(v, x->v, x->n * sizeof(*v));
        x->v = v;
        x->cap = cap;
    }
    x->v[x->n++] = i;
}

static inline int idx_cmp(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;

    return a < b ? -1 : a > b;
}

/* Sorts ascending and drops repeats. */
static inline void idx_sort_unique(struct idxvec *x)
{
    size_t i, j;

    if (x->n > 1)
        qsort(x->v, x->n, sizeof(*x->v), idx_cmp);
    for (i = j = 0; i < x->n; i++) {
        if (j == 0 || x->v[j - 1] != x->v[i])
            x->v[j++] = x->v[i];
    }
    x->n = j;
}

/* The top-level declarations of http{} or stream{} being collected. */
struct section_builder {
    struct ptrvec maps;      /* struct plan_map * */
    struct ptrvec splits;    /* struct plan_split * */
    struct ptrvec upstreams; /* struct plan_upstream * */
    bool needs_resolver;
    unsigned n_splits;
    /* Lookups that would otherwise scan the lists above. */
    struct strhash maps_by_name;       /* variable -> struct plan_map * */
    struct strhash
        dispatch_by_content; /* plan_map_intern()'s key -> struct plan_map * */
    struct strhash
        splits_by_content; /* plan_split_shared()'s key -> struct plan_split * */
    struct strhash upstreams_by_name;  /* name -> struct plan_upstream * */
};

/* An HTTPS port reached through the stream front (stream.c decides,
 * servers.c listens on the unix socket instead of the port). */
struct https_hop {
    const char *address;
    int64_t port;
    const char *unix_path;
};

/* What the builders share while one plan is made. */
struct planner {
    struct compilation *c;
    struct arena *a;
    const struct controller *ctl;
    const struct plan_options *o;
    struct plan *plan;
    struct section_builder http, stream;
    struct section_builder *sec; /* the one being built */
    struct ptrvec stream_servers; /* struct plan_stream_server * */
    struct ptrvec files;          /* struct plan_file * */
    struct ptrvec https_hops;     /* struct https_hop * */
    struct strhash files_by_path;  /* path -> struct plan_file * */
    struct ptrvec zones;           /* struct plan_zone * */
    struct strhash zones_by_name;
    struct ptrvec geos;            /* struct plan_geo * */
    struct strhash geos_by_name;
    struct strhash ids_by_text, texts_by_id; /* ids.c */
    /* Scratch of one server (its candidates, what finds its locations),
     * reset after each: what only builds a server does not stay. */
    struct arena *tmp;
    unsigned n_dispatch;
    unsigned n_tls_hops;
};

/* text.c */
struct plan_text plan_text_literal(struct arena *a, const char *s);
struct plan_text plan_text_variable(struct arena *a, const char *name);
/* A text of up to cap parts, built with plan_text_lit() and plan_text_var(). */
struct plan_text plan_text_new(struct arena *a, size_t cap);
void plan_text_lit(struct plan_text *t, const char *s);
void plan_text_var(struct plan_text *t, const char *name);
bool plan_text_is_empty(const struct plan_text *t);
/* The strings up to a NULL, joined, in a: for the names planning makes for
 * every rule and location, too many for printf. */
const char *plan_cat(struct arena *a, const char *first, ...);
/* v in decimal, in buf. */
const char *plan_dec(char buf[STR_DEC_MAX + 1], uint64_t v);

/* uris.c: the nginx steps of a redirect's Location and a rewrite's path,
 * from their path_kind/rewrite fields. */
void plan_redirect_steps(struct planner *p, struct plan_redirect *r);
void plan_rewrite_steps(struct planner *p, struct plan_handler_extra *x);

/* ids.c: 16 hex digits naming `text` (an arena string), distinct for
 * distinct texts. */
const char *plan_id(struct planner *p, const char *text);

/* maps.c: one map per distinct condition, named by a hashed id. */
const char *plan_map_condition(struct planner *p, const char *source_variable,
                               const char *pattern);
/* map $args: the first value of a query parameter, by exact name. */
const char *plan_map_query_value(struct planner *p, const char *name);
/* map $http_cookie: the value of a cookie, by exact name. */
const char *plan_map_cookie_value(struct planner *p, const char *name);
/* 16 hex digits naming what `text` describes, for zones and files. */
const char *plan_hashed_id(struct planner *p, const char *text);
/* map $http_X: "existing," or "" (for adding to a request header). */
const char *plan_map_header_prefix(struct planner *p, const char *header_variable);
/* map $source: value when $source is not empty, else "". */
const char *plan_map_when_set(struct planner *p, const char *source_variable,
                              struct plan_text value);
/* map $source: $source itself when one of the regexes matches, else "". */
const char *plan_map_allowed(struct planner *p, const char *prefix,
                             const char *source_variable,
                             const char *const *patterns, size_t n);
struct plan_map *plan_map_new(struct planner *p, struct plan_text source,
                              const char *variable);
/* A map not yet registered, made in the server's scratch (p->tmp) with
 * everything it points to; plan_map_intern() copies it into the plan unless
 * an identical one exists (most dispatch maps are shared), and returns the
 * variable to use. */
struct plan_map *plan_map_draft(struct planner *p, struct plan_text source,
                                const char *variable);
void plan_map_draft_add(struct planner *p, struct plan_map *m, enum map_key_kind kind,
                        const char *key, struct plan_text value);
const char *plan_map_intern(struct planner *p, const struct plan_map *m);
void plan_map_add(struct planner *p, struct plan_map *m, enum map_key_kind kind,
                  const char *key, struct plan_text value);
/* Sorts a section's maps into their final order and copies them out. */
void plan_maps_finish(struct planner *p, struct section_builder *sb,
                      struct plan_section *out);

/* upstreams.c */
/* The upstream block for b (NULL when it has no addresses); repeat > 1
 * gives the variant that retries can try `repeat` times. */
const char *plan_upstream_for(struct planner *p, const struct backend *b,
                              unsigned repeat);
/* What a BackendPolicy changes in a rule's upstreams. */
struct upstream_options {
    const struct load_balancing *lb; /* NULL: round robin */
    const char *hash_key;            /* the variable a ConsistentHash hashes */
    const struct upstream_keepalive *keepalive; /* NULL: gwc's default */
};
const char *plan_upstream_balanced(struct planner *p, const struct backend *b,
                                   unsigned repeat,
                                   const struct upstream_options *o);

/* stream_targets.c: a new stream{} server (address NULL: on a unix
 * socket); a unix socket path for a hop between stream{} and http{}; the
 * proxy_pass value for an attachment's backends: an upstream name, a split
 * variable (*variable set), or "" to close. */
struct plan_stream_server *plan_stream_new_server(struct planner *p, const char *address,
                                                  int64_t port, bool udp);
const char *plan_stream_socket_path(struct planner *p, const char *name);
const char *plan_stream_backends_target(struct planner *p, const struct attachment *a,
                                        bool *variable);

struct server_ctx;
/* policies.c: the gwc policies of a rule on the server's listener, into
 * h->policy; false when they cannot be programmed exactly (the rule then
 * answers 500).  *up: what they change in the rule's upstreams. */
bool plan_policy_apply(struct planner *p, const struct server_ctx *sc,
                       const struct candidate *c, struct plan_handler *h,
                       struct upstream_options *up);
/* The route and Service a child handler h of a rule serves, for the
 * error page Services of its policy (nothing when it has none). */
void plan_policy_error_context(struct planner *p, struct plan_handler *h,
                               const struct route *r, const struct backend *b);
/* A policy's short id, for the names of its files, zones and variables. */
const char *plan_policy_id(struct planner *p, const struct object *o);
/* A policy duration in nginx's form ("0s" only where 0 means at once). */
const char *plan_policy_duration(struct planner *p, const char *d);
/* policy_access.c: the AccessPolicy settings of a rule's effective
 * policies.  Address lists: every level's deny entries, the intersection
 * of the allow sets, then deny all; address_checks says whether any level
 * has clientAddresses.  external_auth is false when its target cannot be
 * written (the rule answers 500). */
void plan_policy_address_lists(struct planner *p, const struct policy_effective *e,
                               struct plan_policy *pp);
bool plan_policy_address_checks(const struct policy_effective *e);
void plan_policy_basic_auth(struct planner *p, const struct gwc_policy *gp,
                            struct plan_policy *pp, struct plan_handler *h);
bool plan_policy_external_auth(struct planner *p, const struct server_ctx *sc,
                               const struct gwc_policy *gp, struct plan_policy *pp,
                               struct plan_handler *h);
/* The body limit h enforces, in bytes (0: none; nginx's 1 MiB default). */
int64_t plan_policy_body_limit(const struct plan_handler *h);
/* client_max_body_size in nginx's form for a limit in bytes. */
const char *plan_policy_body_size_text(struct planner *p, int64_t bytes);
/* map $content_length: "1" when it is above limit. */
const char *plan_map_body_over(struct planner *p, int64_t limit);
/* ClientPolicy clientAddressDetection of the listener, on its server. */
void plan_policy_real_ip(struct planner *p, const struct eff_listener *l,
                         struct plan_server *srv);
/* The clientAddressDetection of a socket's listeners when it is
 * ProxyProtocol (the controller left out every listener that disagrees),
 * else NULL. */
const struct client_address_detection *
plan_socket_proxy_protocol(struct planner *p, const struct ptrvec *listeners);
/* Sorts the zones and geos into the plan. */
void plan_policy_zones_finish(struct planner *p);

/* handlers.c: what a rule does, for one server. */
struct server_ctx {
    const struct eff_listener *listener;
    struct plan_server *srv; /* collects auth and error page locations */
};
struct plan_handler *plan_handler_for_rule(struct planner *p,
                                           const struct server_ctx *sc,
                                           const struct candidate *cand);
/* A Gateway duration in nginx's time syntax (NULL for NULL).  nginx wants
 * units largest first and each once, while the Gateway API also accepts
 * "30s1m" or "1m1m", so the value is written in its normal form ("1m30s");
 * zero is what 0 becomes (NO_TIMEOUT where "0s" means none). */
const char *plan_nginx_time(struct arena *a, const char *d, const char *zero);
#define NO_TIMEOUT "24d" /* nginx has no "never": a very long time */
/* headers.c: appends h to a handler's headers (copy-on-write, so handlers
 * copied from this one keep theirs), replacing an earlier operation on the
 * same header. */
void plan_header_push(struct arena *a, struct plan_header **v, size_t *n,
                      struct plan_header h);
/* h's extras to write: allocated when it had none. */
struct plan_handler_extra *plan_handler_extra_mut(struct planner *p, struct plan_handler *h);
/* The handlers a handler sends requests on to (split backends, mirrors):
 * each needs an internal location.  Appended to out, which grows in a. */
void plan_handler_dependents(struct arena *a, const struct plan_handler *h,
                             struct ptrvec *out);

/* locations.c */
void plan_locations_build(struct planner *p, struct plan_server *srv,
                          const struct server_ctx *sc, struct candidate *cands,
                          size_t n);

/* servers.c */
void plan_servers_build(struct planner *p);

/* bindings.c: each valid listener on each address its Gateway binds
 * (--listen-address, else its IPAddress addresses, else NULL: any), with its
 * port as mapped; Gateway by Gateway, listener by listener. */
struct plan_binding {
    struct eff_listener *l;
    const char *address;
    int64_t port;
};
struct plan_binding *plan_bindings(struct planner *p, size_t *n);
/* The listen sockets of the bindings whose listener protocol is in
 * PROTOCOLS (a mask of 1u << PROTO_x): one per address and port, UDP apart
 * from TCP, with its listeners in binding order; sockets in the order of
 * their first binding. */
struct plan_socket {
    const char *address; /* NULL: every address */
    int64_t port;        /* as nginx listens (after --port-map) */
    bool udp;
    struct ptrvec listeners; /* struct eff_listener * */
};
struct plan_socket *plan_sockets(struct planner *p, unsigned protocols, size_t *n);
/* Two listen addresses are one socket: the same address on the same port,
 * where NULL (every address) is not the address "". */
static inline bool plan_same_socket(const char *a, int64_t a_port, const char *b,
                                    int64_t b_port)
{
    return a_port == b_port && !a == !b && str_eq(a, b);
}
/* files.c: files under certs/, each written once; return their paths.  A
 * certificate whose Secret is in the input is written there (one file with
 * certificate and key); one assumed to exist in the cluster is read where a
 * volume mounting the Secret puts it (--secrets-dir); a CA bundle likewise,
 * at 'path' or under --configmaps-dir. */
struct cert_files {
    const char *cert, *key;
};
struct cert_files plan_certificate_files(struct planner *p,
                                         const struct certificate *cert);
const char *plan_ca_bundle_file(struct planner *p, const struct ca_bundle *ca,
                                const char *path);
const char *plan_text_file(struct planner *p, const char *path, const char *text);
/* A file of secrets (htpasswd), not for other users. */
const char *plan_secret_file(struct planner *p, const char *path, const char *text);

/* stream.c: TCP, UDP and TLS listeners. */
void plan_stream_build(struct planner *p);

/* handlers.c, shared with stream.c */
struct plan_split *plan_split_new(struct planner *p, const char *prefix);
/* The variable of a split with the draft's entries, made when new. */
const char *plan_split_shared(struct planner *p, const char *prefix,
                              const struct plan_split *draft);
/* Fills a split from weights (none zero): values[i] gets weights[i]. */
void plan_split_weights(struct planner *p, struct plan_split *s,
                        const int64_t *weights, const char *const *values,
                        size_t n);
/* Where requests for b go; gs presents its backend client certificate. */
struct plan_target plan_target_of(struct planner *p, const struct backend *b,
                                  bool grpc, const struct gateway_state *gs);

/* precedence.c */
void plan_candidates_sort(struct candidate *c, size_t n);
const char *plan_normalize_prefix(struct arena *a, const char *value);

#endif
