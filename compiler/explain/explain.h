/*
 * Stage 5 (beside emit): explain a request.  Given one HTTP request, says
 * which server, listener, route, rule and match of the plan answer it,
 * what the answer is (backends with weights, or a status nginx returns
 * itself), how the request reaches the backend, and why every other
 * candidate of that server lost.
 *
 * The answer is read from the plan the emitter writes: the server nginx
 * picks, its candidates in the plan's precedence order and the handler of
 * each.  Only whether a match accepts the request is decided here, as the
 * plan's maps and locations decide it in nginx.
 */
#ifndef GWC_EXPLAIN_H
#define GWC_EXPLAIN_H

#include "plan/plan.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct compilation;
struct strbuf;

struct explain_header {
    const char *name, *value;
};

struct explain_request {
    const char *method;
    const char *url;     /* as given */
    bool https;
    const char *host;    /* the Host header as sent */
    const char *hostname; /* what nginx matches server names on: lowercase,
                             without port or final dot */
    int64_t port;        /* the listener's port (as the Gateway says) */
    const char *raw_uri; /* path and query as sent ($request_uri) */
    const char *uri;     /* nginx's $uri: decoded, slashes merged, dots
                            resolved */
    const char *args;    /* the query, without '?' */
    struct explain_header *headers; /* as given, Host included */
    size_t n_headers;
    const char *sni;     /* HTTPS: the server name sent, or NULL */
};

/* Builds a request from a URL, "Name: value" header lines and an SNI (NULL:
 * the URL's host for https).  Returns NULL, or why the request is not one
 * nginx would route. */
const char *explain_request_init(struct arena *a, struct explain_request *r,
                                 const char *method, const char *url,
                                 const char *const *header_lines, size_t n_headers,
                                 const char *sni);

/* The value nginx sees for a request header (the first one), or NULL. */
const char *explain_header_value(const struct explain_request *r, const char *name);

struct explain_backend {
    const struct backend *backend; /* NULL: a share answered with status */
    int status;                    /* 500 or 503 for such a share */
    int64_t weight;
};

struct explain_upstream {
    const char *path; /* the request line's target sent on */
    const char *host; /* the Host header sent on */
    struct explain_header *set; /* headers set or added, final values */
    size_t n_set;
    const char **removed;
    size_t n_removed;
};

struct explain_loser {
    const struct candidate *cand; /* NULL for a hostname loss */
    const struct attachment *att; /* the route attachment */
    const char *why_not;
};

struct explain_result {
    const char *error; /* nginx never routes it: no listener, TLS refused */
    const struct plan_server *server;
    const struct eff_listener *listener;
    const struct candidate *winner; /* NULL: no route matches */
    int status;                     /* nginx answers itself, or 0 */
    const char *location;           /* of a redirect */
    const char *status_reason;      /* why nginx answers itself */
    struct explain_backend *backends;
    size_t n_backends;
    const char **filters; /* the rule's filter types, in order */
    size_t n_filters;
    struct explain_upstream upstream; /* path NULL: nothing is proxied */
    struct explain_loser *considered;
    size_t n_considered;
};

/* po: the options the plan was built with (the port map). */
void explain_request(struct arena *a, const struct plan *plan,
                     const struct plan_options *po, const struct explain_request *r,
                     struct explain_result *out);

/* "ns/name" of a backend's Service. */
const char *explain_backend_name(struct arena *a, const struct backend *b);

/* The explanation as JSON, or as text naming file:line:col of every
 * object involved. */
void explain_write_json(struct compilation *c, const struct explain_request *r,
                        const struct explain_result *x, struct strbuf *out);
void explain_write_text(struct compilation *c, const struct explain_request *r,
                        const struct explain_result *x, struct strbuf *out);

/* ---- RoutingTests ---- */

struct explain_case {
    const struct routing_test *test;
    const struct routing_case *rcase;
    const char *name;    /* the case's name, or "case N" */
    bool runnable;       /* the request could be built */
    bool passed;
    const char *failure; /* what differs, when it did not pass */
    struct explain_request request;
    struct explain_result result;
};

/* Runs every case of every RoutingTest in the model against the plan and
 * reports each failure as an error positioned at its case.  Returns the
 * cases in input order (*out, arena-owned). */
size_t explain_run_tests(struct compilation *c, const struct model *m,
                         const struct plan *plan, const struct plan_options *po,
                         struct explain_case **out);
/* What the explanation answers, in one line ("shop/web:8080 (weight 3),
 * status 500 (weight 1)", "301 Location: ...", "no answer: ..."). */
const char *explain_summary(struct arena *a, const struct explain_result *x);

#endif
