/*
 * A route's retries and load balancing (HTTPProxy retryPolicy and
 * loadBalancerPolicy; an Ingress's projectcontour.io/retry-on,
 * num-retries and per-try-timeout) as gwc BackendPolicies
 * (docs/policies.md).  Contour sets them per route; a BackendPolicy
 * targets the rules those routes became (the whole HTTPRoute when all of
 * its forwarding rules share the settings), never a Service, so two routes
 * to one Service keep their own settings: gwc gives each its own upstream.
 *
 * Envoy semantics (projectcontour.io/docs/main/config/request-routing/,
 * Envoy's router retry policies): count retries after the first try
 * (absent or 0: 1; -1: none); retryOn defaults to 5xx; every method is
 * retried.  nginx retries on connection errors, timeouts, invalid
 * headers and the statuses 403, 404, 429, 500, 502, 503, 504: what has
 * no such form is reported and left out, so gwc retries in a subset of
 * the cases Contour does, never more.
 */
#include "ct.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/strbuf.h"

#include <string.h>

#define MAX_TARGETS 16 /* gwc's limit (docs/policies.md) */
#define MAX_TRIES 16
#define AFFINITY_COOKIE "X-Contour-Session-Affinity"

static const int64_t nginx_codes[] = {403, 404, 429, 500, 502, 503, 504};

/* What the retry conditions add up to. */
struct conds {
    bool failures;                       /* error, timeout, invalid header */
    bool codes[ARRAY_SIZE(nginx_codes)]; /* by nginx_codes */
};

static void not_converted(struct imp *im, const struct imp_src *src,
                          const struct ynode *at, const char *why)
{
    ct_report(im, src, at, DIAG_IMPORT_NOT_CONVERTED, "not converted: %s", why);
}

static bool add_code(struct conds *c, int64_t code)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(nginx_codes); i++) {
        if (nginx_codes[i] == code) {
            c->codes[i] = true;
            return true;
        }
    }
    return false;
}

static void retriable_codes(struct imp *im, const struct imp_src *src,
                            const struct ynode *list, struct conds *c)
{
    size_t i;
    int64_t code;

    for (i = 0; imp_crd_seq(list) && i < list->n; i++) {
        const struct ynode *n = list->items[i];
        if (n->kind != YNODE_SCALAR ||
            !imp_value_parse_decimal(n->text, 100, 599, &code))
            not_converted(im, src, n, "not an HTTP status code");
        else if (!add_code(c, code))
            not_converted(im, src, n, "nginx retries on the statuses 403, 404, "
                                      "429, 500, 502, 503 and 504 only");
    }
}

/* One retryOn value; codes is retriableStatusCodes (NULL for an Ingress). */
static void condition(struct imp *im, const struct imp_src *src,
                      const struct ynode *at, const char *v,
                      const struct ynode *codes, struct conds *c)
{
    static const char *const grpc[] = {"cancelled", "deadline-exceeded",
                                       "internal", "resource-exhausted",
                                       "unavailable"};
    size_t i;

    if (str_eq(v, "5xx") || str_eq(v, "gateway-error") || str_eq(v, "reset")) {
        c->failures = true;
        if (str_eq(v, "reset"))
            return;
        for (i = str_eq(v, "5xx") ? 3 : 4; i < ARRAY_SIZE(nginx_codes); i++)
            c->codes[i] = true;
        if (str_eq(v, "5xx"))
            ct_report(im, src, at, DIAG_IMPORT_APPROXIMATED,
                      "Envoy's 5xx retries every 5xx status; nginx retries "
                      "500, 502, 503 and 504, not 501 or 505-599");
        return;
    }
    if (str_eq(v, "retriable-status-codes")) {
        retriable_codes(im, src, codes, c);
        return;
    }
    if (str_eq(v, "refused-stream")) {
        ct_report(im, src, at, DIAG_IMPORT_IGNORED,
                  "nothing to convert: the Gateway speaks HTTP/1.1 to "
                  "Services, where no stream is refused");
        return;
    }
    for (i = 0; i < ARRAY_SIZE(grpc) && !str_eq(v, grpc[i]); i++)
        ;
    not_converted(im, src, at,
                  str_eq(v, "connect-failure")
                      ? "nginx retries a failed connection only together with "
                        "a connection lost later (Envoy's reset)"
                  : str_eq(v, "retriable-4xx")
                      ? "nginx cannot retry on 409"
                  : i < ARRAY_SIZE(grpc)
                      ? "nginx cannot retry on a gRPC status"
                      : "no retry condition of nginx's matches it");
}

/* count as nginx's tries, or 0 (reported): -1 is "never" (tries 1). */
static int64_t tries_of(struct imp *im, const struct imp_src *src,
                        const struct ynode *at)
{
    int64_t n = 0;

    if (at && (at->kind != YNODE_SCALAR ||
               !imp_value_parse_decimal(at->text, -1, 1000000, &n))) {
        not_converted(im, src, at, "the count is a whole number, -1 or more; "
                                   "the retry policy is not converted");
        return 0;
    }
    if (n == -1)
        return 1;
    if (n + 1 > MAX_TRIES) {
        ct_report(im, src, at, DIAG_IMPORT_APPROXIMATED,
                  "%lld retries: gwc makes at most %d tries, the first "
                  "included; written as that",
                  (long long)n, MAX_TRIES);
        return MAX_TRIES;
    }
    return n ? n + 1 : 2;
}

static struct o_retry *retry_of(struct imp *im, const struct conds *c,
                                int64_t tries)
{
    struct o_retry *r = ARENA_NEW(im->a, struct o_retry);
    size_t i;

    if (tries == 1)
        return r; /* no condition: never retried */
    if (c->failures) {
        r->on[r->n_on++] = "Error";
        r->on[r->n_on++] = "Timeout";
        r->on[r->n_on++] = "InvalidHeader";
    }
    for (i = 0; i < ARRAY_SIZE(nginx_codes); i++) {
        if (c->codes[i])
            r->codes[r->n_codes++] = nginx_codes[i];
    }
    if (r->n_on || r->n_codes) {
        r->non_idempotent = true; /* Envoy retries every method */
        r->tries = tries;
    }
    return r;
}

static void per_try(struct imp *im, const struct imp_src *src,
                    const struct ynode *at)
{
    if (at)
        not_converted(im, src, at, "nginx has no timeout per try: a try that "
                                   "hangs is not retried, the route's timeout "
                                   "ends it");
}

static const struct o_retry *retry_policy(struct imp *im, const struct imp_src *src,
                                          const struct ynode *p)
{
    static const char *const known[] = {"count", "perTryTimeout", "retryOn",
                                        "retriableStatusCodes", NULL};
    const struct ynode *on = imp_crd_seq(ynode_get(p, "retryOn"));
    const struct ynode *codes = ynode_get(p, "retriableStatusCodes");
    struct conds c;
    int64_t tries = tries_of(im, src, ynode_get(p, "count"));
    bool codes_used = false;
    size_t i;

    imp_report_other_fields(im, src->label, src->root, p, known, "Contour");
    if (!tries)
        return NULL;
    memset(&c, 0, sizeof(c));
    if (tries == 1) /* count -1: Contour turns retries off */
        return retry_of(im, &c, tries);
    per_try(im, src, ynode_get(p, "perTryTimeout"));
    if (!on || !on->n)
        condition(im, src, p, "5xx", NULL, &c);
    for (i = 0; on && i < on->n; i++) {
        const char *v = imp_crd_text(on->items[i]);
        condition(im, src, on->items[i], v ? v : "", codes, &c);
        codes_used |= str_eq(v, "retriable-status-codes");
    }
    if (codes && !codes_used)
        ct_report(im, src, codes, DIAG_IMPORT_IGNORED,
                  "ignored without retriable-status-codes in retryOn, as "
                  "Contour does");
    return retry_of(im, &c, tries);
}

/* ---- load balancing ---- */

static struct o_load_balancing *request_hash(struct imp *im, const struct imp_src *src,
                                             const struct ynode *lb)
{
    static const char *const known[] = {"terminal", "headerHashOptions",
                                        "queryParameterHashOptions",
                                        "hashSourceIP", NULL};
    const struct ynode *hp = imp_crd_seq(ynode_get(lb, "requestHashPolicies"));
    struct o_load_balancing *o = ARENA_NEW(im->a, struct o_load_balancing);
    const struct ynode *p;
    const char *header, *param;
    int set;

    if (!hp || hp->n != 1) {
        not_converted(im, src, hp ? hp : lb,
                      "gwc hashes on one key: a header, a query parameter or "
                      "the client address; Envoy combines several");
        return NULL;
    }
    p = hp->items[0];
    imp_report_other_fields(im, src->label, src->root, p, known, "Contour");
    header =
        imp_crd_text(ynode_get(ynode_get(p, "headerHashOptions"), "headerName"));
    param = imp_crd_text(
        ynode_get(ynode_get(p, "queryParameterHashOptions"), "parameterName"));
    set = !!header + !!param + ct_flag(ynode_get(p, "hashSourceIP"));
    o->method = "ConsistentHash";
    if (set == 1 && header && imp_value_header_name(header)) {
        o->source = "Header";
        o->name = header;
    } else if (set == 1 && param && *param && strlen(param) <= 256 &&
               imp_value_in_alphabet(param, "!#$%&'*+-.^_`|~")) {
        o->source = "QueryParameter";
        o->name = param;
    } else if (set == 1 && !header && !param) {
        o->source = "ClientAddress";
    } else {
        not_converted(im, src, p, "a hash policy names one header, one query "
                                  "parameter or the source address");
        return NULL;
    }
    return o;
}

static const struct o_load_balancing *lb_policy(struct imp *im,
                                                const struct imp_src *src,
                                                const struct ynode *lb)
{
    static const char *const known[] = {"strategy", "requestHashPolicies", NULL};
    const struct ynode *at = ynode_get(lb, "strategy");
    const char *s = imp_crd_text(at);
    struct o_load_balancing *o;

    imp_report_other_fields(im, src->label, src->root, lb, known, "Contour");
    if (!at)
        at = lb;
    if (ynode_get(lb, "requestHashPolicies") && !str_eq(s, "RequestHash"))
        ct_report(im, src, ynode_get(lb, "requestHashPolicies"),
                  DIAG_IMPORT_IGNORED,
                  "ignored without strategy RequestHash, as Contour does");
    if (!s || str_eq(s, "RoundRobin")) {
        ct_report(im, src, at, DIAG_IMPORT_IGNORED,
                  "nothing to convert: the Gateway balances round robin too");
        return NULL;
    }
    if (str_eq(s, "RequestHash"))
        return request_hash(im, src, lb);
    if (str_eq(s, "Cookie")) {
        o = ARENA_NEW(im->a, struct o_load_balancing);
        o->method = "ConsistentHash";
        o->source = "Cookie";
        o->name = AFFINITY_COOKIE;
        o->issue_cookie = true; /* a session cookie, Path=/, HttpOnly */
        return o;
    }
    not_converted(im, src, at,
                  str_eq(s, "WeightedLeastRequest")
                      ? "Envoy sends a request to the less busy of two endpoints "
                        "picked at random; nginx's least_conn compares all "
                        "endpoints, a different balance; the Gateway balances "
                        "round robin"
                  : str_eq(s, "Random")
                      ? "gwc offers no random balancing; the Gateway balances "
                        "round robin"
                      : "not a strategy Contour knows; the Gateway balances "
                        "round robin");
    return NULL;
}

/* ---- the settings of a route ---- */

static const char *key_of(struct imp *im, const struct ct_backend *b)
{
    const struct o_load_balancing *lb = b->lb;
    const struct o_retry *r = b->retry;
    struct strbuf sb = STRBUF_INIT;
    const char *key;
    size_t i;

    if (lb)
        strbuf_addf(&sb, "lb %s %s %s;", lb->method, lb->source ? lb->source : "",
                    lb->name ? lb->name : "");
    if (r) {
        strbuf_addf(&sb, "retry %lld", (long long)r->tries);
        for (i = 0; i < r->n_on; i++)
            strbuf_addf(&sb, " %s", r->on[i]);
        for (i = 0; i < r->n_codes; i++)
            strbuf_addf(&sb, " %lld", (long long)r->codes[i]);
    }
    key = arena_strndup(im->a, sb.buf, sb.len);
    strbuf_release(&sb);
    return key;
}

static struct ct_backend *finish(struct imp *im, struct ct_backend *b)
{
    if (!b->lb && !b->retry)
        return NULL;
    b->key = key_of(im, b);
    ptrvec_push(im->a, &CT(im)->backends, b);
    return b;
}

struct ct_backend *ct_route_backend(struct imp *im, const struct imp_src *src,
                                    const struct ynode *route)
{
    struct ct_backend *b = ARENA_NEW(im->a, struct ct_backend);

    b->src = *src;
    b->retry_at = ynode_get(route, "retryPolicy");
    b->lb_at = ynode_get(route, "loadBalancerPolicy");
    if (b->retry_at)
        b->retry = retry_policy(im, src, b->retry_at);
    if (b->lb_at)
        b->lb = lb_policy(im, src, b->lb_at);
    return finish(im, b);
}

struct ct_backend *ct_ingress_backend(struct imp *im, const struct imp_src *src,
                                      const struct ynode *ann)
{
    struct ct_backend *b = ARENA_NEW(im->a, struct ct_backend);
    const struct ynode *on = ynode_get(ann, "projectcontour.io/retry-on");
    const struct ynode *count = ynode_get(ann, "projectcontour.io/num-retries");
    const struct ynode *timeout = ynode_get(ann, "projectcontour.io/per-try-timeout");
    const char *list = imp_crd_text(on);
    const char **v;
    struct conds c;
    int64_t tries;
    size_t i, n;

    if (!list || !*list) {
        if (count)
            ct_report(im, src, count, DIAG_IMPORT_IGNORED,
                      "ignored without projectcontour.io/retry-on, as Contour "
                      "does");
        if (timeout)
            ct_report(im, src, timeout, DIAG_IMPORT_IGNORED,
                      "ignored without projectcontour.io/retry-on, as Contour "
                      "does");
        return NULL;
    }
    b->src = *src;
    b->retry_at = on;
    tries = tries_of(im, src, count);
    if (!tries)
        return NULL;
    memset(&c, 0, sizeof(c));
    v = imp_value_split_list(im->a, list, &n);
    for (i = 0; i < n && tries > 1; i++)
        condition(im, src, on, v[i], NULL, &c);
    if (tries > 1)
        per_try(im, src, timeout);
    b->retry = retry_of(im, &c, tries);
    return finish(im, b);
}

/* ---- the policies ---- */

/* The routes of one object with one set of settings. */
struct group {
    const struct ct_backend *b; /* the first: its settings */
    const char *namespace, *owner;
    struct ptrvec targets; /* struct o_target * */
    struct ptrvec members; /* struct ct_backend * */
};

struct groups {
    struct imp *im;
    struct index rule_names; /* by route, "%p" */
    struct index by_key;
    struct ptrvec order; /* struct group * */
};

/* The group of a rule that forwards to Services, or NULL: no policy for
 * the rule. */
static const void *group_of(void *ctx, const struct o_rule *rule)
{
    struct groups *gs = ctx;
    struct imp *im = gs->im;
    const struct ct_route *r = rule->source;
    const char *key;
    struct group *g;
    size_t i;

    if (!r || !r->backend || !rule->backends.n)
        return NULL;
    key = arena_printf(im->a, "%s\n%s\n%s", r->src.label, r->namespace, r->backend->key);
    g = imp_index_get(&gs->by_key, key);
    if (!g) {
        g = ARENA_NEW(im->a, struct group);
        g->b = r->backend;
        g->namespace = r->namespace;
        g->owner = r->owner;
        imp_index_put(im->a, &gs->by_key, key, g);
        ptrvec_push(im->a, &gs->order, g);
    }
    for (i = 0; i < g->members.n && g->members.v[i] != r->backend; i++)
        ;
    if (i == g->members.n)
        ptrvec_push(im->a, &g->members, r->backend);
    return g;
}

/* "route-N" (an HTTPProxy's spec.routes[N-1]) or "path-N" (an Ingress's
 * N-th path), unique among the rules of the object; the plain and the
 * secure rule of a route share it. */
static const char *rule_name(void *ctx, const void *owner, struct o_rule *rule)
{
    struct groups *gs = ctx;
    struct imp *im = gs->im;
    const struct ct_route *r = rule->source;
    const char *key = arena_printf(im->a, "%p", (const void *)r);
    const char *name = imp_index_get(&gs->rule_names, key);

    (void)owner;
    if (!name) {
        name = imp_name_claim(im, arena_printf(im->a, "rule/%s", r->src.label),
                              r->rule_name, 253);
        imp_index_put(im->a, &gs->rule_names, key, (void *)name);
    }
    return name;
}

static void add_target(void *ctx, const void *owner, const struct o_route *route,
                       const char *section)
{
    struct group *g = (struct group *)owner;

    imp_target_add(((struct groups *)ctx)->im, &g->targets, route, section);
}

/* g's policies, at most 16 targets each, named "<owner>-backend", then
 * "-backend-2", ... (*n counts the owner's). */
static void emit(struct imp *im, struct group *g, size_t *n)
{
    struct o_gwc_policy *p = NULL;
    size_t i, k;

    for (i = 0; i < g->targets.n; i++) {
        if (!p || p->targets.n == MAX_TARGETS) {
            p = ARENA_NEW(im->a, struct o_gwc_policy);
            p->kind = "BackendPolicy";
            p->namespace = g->namespace;
            p->name = imp_name_claim(
                im, arena_printf(im->a, "BackendPolicy/%s", g->namespace),
                ++*n == 1 ? arena_printf(im->a, "%s-backend", g->owner)
                          : arena_printf(im->a, "%s-backend-%zu", g->owner, *n),
                253);
            p->load_balancing = g->b->lb;
            p->retry = g->b->retry;
            ptrvec_push(im->a, &im->gwc_policies, p);
            for (k = 0; k < g->members.n; k++)
                ptrvec_push(im->a, &((struct ct_backend *)g->members.v[k])->policies, p);
        }
        ptrvec_push(im->a, &p->targets, g->targets.v[i]);
    }
}

static void said(struct imp *im, const struct ct_backend *b,
                 const struct ynode *at, const char *field)
{
    struct strbuf names = STRBUF_INIT;
    size_t i;

    if (!at)
        return;
    for (i = 0; i < b->policies.n; i++) {
        const struct o_gwc_policy *p = b->policies.v[i];
        strbuf_addf(&names, "%sBackendPolicy %s/%s", i ? " and " : "",
                    p->namespace, p->name);
    }
    if (names.len)
        ct_report(im, &b->src, at, DIAG_IMPORT_POLICY,
                  "converted to gwc policy %s (%s)", names.buf, field);
    else
        ct_report(im, &b->src, at, DIAG_IMPORT_POLICY,
                  "converts to a gwc BackendPolicy (%s), not written: no rule "
                  "of it forwards requests",
                  field);
    strbuf_release(&names);
}

void ct_backend_policies(struct imp *im)
{
    const struct ptrvec *bs = &CT(im)->backends;
    struct groups gs;
    const struct rule_owners ro = {group_of, rule_name, add_target, &gs};
    struct index per_owner = {0};
    size_t i;

    memset(&gs, 0, sizeof(gs));
    gs.im = im;
    for (i = 0; i < im->routes.n; i++) {
        const struct o_route *r = im->routes.v[i];
        if (r->kind == KIND_HTTP_ROUTE)
            imp_policy_targets(r, &ro);
    }
    for (i = 0; i < gs.order.n; i++) {
        struct group *g = gs.order.v[i];
        const char *owner = arena_printf(im->a, "%s/%s", g->namespace, g->owner);
        size_t *n = imp_index_get(&per_owner, owner);
        if (!n) {
            n = ARENA_NEW(im->a, size_t);
            imp_index_put(im->a, &per_owner, owner, n);
        }
        emit(im, g, n);
    }
    for (i = 0; i < bs->n; i++) {
        const struct ct_backend *b = bs->v[i];
        if (b->lb)
            said(im, b, b->lb_at, "spec.loadBalancing");
        if (b->retry)
            said(im, b, b->retry_at, "spec.retry");
    }
}
