/*
 * Traefik's rateLimit and inFlightReq Middlewares as gwc ClientPolicy
 * requestLimits (docs/policies.md; Traefik's reference:
 * doc.traefik.io/traefik/reference/routing-configuration/http/middlewares/
 * ratelimit/ and inflightreq/):
 *   rateLimit {average, period, burst}  requestLimits.rate[]
 *   inFlightReq {amount}                requestLimits.concurrent
 * both keyed by the client address (sourceCriterion absent or an empty
 * ipStrategy; inFlightReq's default is the Host header, which gwc does
 * not count by) and refused with 429, as Traefik refuses.
 *
 * Traefik builds a router's middleware chain once per router
 * (pkg/server/router/router.go caches it by router name) and each limiter
 * keeps its own counters, so two routers using one Middleware count
 * apart.  A ClientPolicy counts once for all its targets: each router gets
 * a ClientPolicy of its own, <router>-limits, targeting the HTTPRoutes it
 * became, with every limit of its chain.  A router's buffering
 * (policies.c, one ClientPolicy per Middleware) is written into it, since
 * a route takes one ClientPolicy.
 *
 * The rate (pkg/middlewares/ratelimiter/rate_limiter.go) is a token bucket
 * of size max(burst, 1) refilled at average/period.  nginx's limit_req
 * with burst b and nodelay is the same bucket with b + 1 tokens; it
 * differs in one way, reported: Traefik serves a request that comes at
 * most half a request interval early (500 ms below one a second), after
 * that delay, where nginx refuses it at once.
 */
#include "tr.h"

#include "base/arena.h"
#include "model/model.h"

#include <string.h>

#define MAX_REQUESTS 1000000 /* gwc's rate[].requests and burst */
#define MAX_CONCURRENT 65535 /* gwc's concurrent */
#define MAX_RATES 4          /* gwc's rate[] */

/* One Middleware converted, once for all its routers. */
struct tr_limit {
    bool ok;   /* converted; else reported, or ... */
    bool none; /* ... nothing to limit (average 0) */
    bool rate; /* else concurrent */
    struct o_rate r;
    int64_t concurrent;
};

bool tr_limit_kind(const char *kind)
{
    return str_eq(kind, "rateLimit") || str_eq(kind, "inFlightReq");
}

static void not_converted(struct imp *im, const struct imp_src *src,
                          const struct ynode *at, const char *why)
{
    imp_report_src(im, src, at, DIAG_IMPORT_NOT_CONVERTED, "not converted: %s",
                   why);
}

/* Is the source the client's address?  dflt_ip: what Traefik counts by
 * without a sourceCriterion. */
static const char *source_problem(const struct ynode *s, bool dflt_ip)
{
    const struct ynode *ip = ynode_get(s, "ipStrategy");
    size_t i;

    if (!s)
        return dflt_ip ? NULL
                       : "without sourceCriterion Traefik counts per Host "
                         "header; gwc counts per client address";
    if (s->kind != YNODE_MAP || s->n != 1 || !ip)
        return "Traefik counts per Host header or per request header here; gwc "
               "counts per client address";
    if (ip->kind != YNODE_MAP)
        return "ipStrategy is a map";
    for (i = 0; i < ip->n; i++) {
        const struct ynode *f = ip->items[i];
        int64_t d;
        if (!(str_eq(f->key, "depth") && tr_int(f, 0, 0, &d)) &&
            !(str_eq(f->key, "excludedIPs") && f->kind == YNODE_SEQ && !f->n))
            return "ipStrategy takes the address from X-Forwarded-For or groups "
                   "IPv6 subnets; gwc counts per connection address";
    }
    return NULL;
}

/* Traefik's period: an integer is seconds, else a Go duration. */
static bool period_ms(const struct ynode *n, int64_t *ms)
{
    char buf[32];
    const char *fixed;

    if (!n) {
        *ms = 1000;
        return true;
    }
    if (n->kind != YNODE_SCALAR)
        return false;
    if (imp_value_parse_decimal(n->text, 0, 100000000, ms)) {
        *ms = *ms ? *ms * 1000 : 1000; /* 0 is the default, a second */
        return true;
    }
    fixed = model_duration_fix(n->text, buf);
    return fixed && model_parse_duration(fixed, ms) && *ms > 0;
}

static void rate_limit(struct imp *im, const struct imp_src *src,
                       const struct ynode *m, struct tr_limit *l)
{
    static const char *const known[] = {"average", "period", "burst",
                                        "sourceCriterion", "redis", NULL};
    const struct ynode *avg = ynode_get(m, "average"), *per = ynode_get(m, "period"),
                       *burst = ynode_get(m, "burst");
    int64_t a = 0, ms, b = 1;
    const char *why;

    imp_report_other_fields(im, src->label, src->root, m, known, "Traefik");
    if (avg && !tr_int(avg, 0, 1000000000, &a)) {
        not_converted(im, src, avg, "average is a number of requests");
        return;
    }
    if (!a) {
        imp_report_src(im, src, avg ? avg : m, DIAG_IMPORT_IGNORED,
                       "ignored: average 0 is Traefik's \"no rate limiting\"");
        l->none = true;
        return;
    }
    if (!period_ms(per, &ms)) {
        not_converted(im, src, per, "period is a number of seconds or a "
                                    "duration of at least a millisecond");
        return;
    }
    if (burst && !tr_int(burst, 0, MAX_REQUESTS + 1, &b)) {
        not_converted(im, src, burst, "gwc takes a burst of up to 1000000 "
                                      "requests beyond the first");
        return;
    }
    if ((why = source_problem(ynode_get(m, "sourceCriterion"), true))) {
        not_converted(im, src, ynode_get(m, "sourceCriterion"), why);
        return;
    }
    if ((a * 1000) % ms == 0) {
        l->r.requests = a * 1000 / ms;
        l->r.per = "Second";
    } else if ((a * 60000) % ms == 0) {
        l->r.requests = a * 60000 / ms;
        l->r.per = "Minute";
    }
    if (!l->r.per || l->r.requests > MAX_REQUESTS) {
        not_converted(im, src, per ? per : avg,
                      "gwc writes a whole number of requests a second or a "
                      "minute, up to 1000000");
        return;
    }
    l->r.burst = (b ? b : 1) - 1;
    l->rate = true;
    l->ok = true;
    imp_report_src(im, src, m, DIAG_IMPORT_APPROXIMATED,
                   "Traefik serves a request that comes at most half a request "
                   "interval early (500 ms below one a second) after that delay; "
                   "gwc's limit (nginx limit_req, %lld r/%s, burst %lld, nodelay) "
                   "refuses it with 429 at once.  Same rate, same %lld "
                   "request%s at once",
                   (long long)l->r.requests, str_eq(l->r.per, "Second") ? "s" : "m",
                   (long long)l->r.burst, (long long)(l->r.burst + 1),
                   l->r.burst ? "s" : "");
    if (ynode_get(m, "redis"))
        imp_report_src(im, src, ynode_get(m, "redis"), DIAG_IMPORT_APPROXIMATED,
                       "Traefik counts in Redis for all its instances; each nginx "
                       "counts on its own");
}

static void in_flight(struct imp *im, const struct imp_src *src,
                      const struct ynode *m, struct tr_limit *l)
{
    static const char *const known[] = {"amount", "sourceCriterion", NULL};
    const struct ynode *amount = ynode_get(m, "amount");
    const char *why;

    imp_report_other_fields(im, src->label, src->root, m, known, "Traefik");
    if (!tr_int(amount, 1, MAX_CONCURRENT, &l->concurrent)) {
        not_converted(im, src, amount ? amount : m,
                      "gwc takes an amount from 1 to 65535");
        return;
    }
    if ((why = source_problem(ynode_get(m, "sourceCriterion"), false))) {
        const struct ynode *at = ynode_get(m, "sourceCriterion");
        not_converted(im, src, at ? at : m, why);
        return;
    }
    l->ok = true;
}

static struct tr_limit *convert(struct imp *im, const struct crd *o,
                                const struct ynode *m)
{
    struct tr_limit *l = imp_index_get(&TR(im)->limits, o->label);
    struct imp_src src = {o->label, o->root};

    if (l)
        return l;
    l = ARENA_NEW(im->a, struct tr_limit);
    if (str_eq(m->key, "rateLimit"))
        rate_limit(im, &src, m, l);
    else
        in_flight(im, &src, m, l);
    imp_index_put(im->a, &TR(im)->limits, o->label, l);
    return l;
}

/* r's own ClientPolicy, made when new. */
static struct tr_policy *limits_policy(struct imp *im, struct tr_router *r)
{
    struct tr_policy *t = r->limits;

    if (t)
        return t;
    t = ARENA_NEW(im->a, struct tr_policy);
    t->src = r->src;
    t->at = r->at;
    t->ok = true;
    t->own = true;
    t->field = "spec.requestLimits";
    t->p.kind = "ClientPolicy";
    t->p.namespace = r->namespace;
    t->p.reject_status = 429;
    t->p.name = imp_name_claim(im, arena_printf(im->a, "ClientPolicy/%s", r->namespace),
                               arena_printf(im->a, "%s-limits", r->name), 253);
    imp_origin_add(im, &t->p.origins, r->src.root);
    ptrvec_push(im->a, &TR(im)->policies, t);
    r->limits = t;
    return t;
}

bool tr_limit_apply(struct imp *im, struct tr_router *r, const struct imp_src *ref_src,
                    const struct ynode *ref, const struct crd *o,
                    const struct ynode *m)
{
    const struct tr_limit *l = convert(im, o, m);
    struct tr_policy *t;

    if (!l->ok)
        return l->none;
    t = limits_policy(im, r);
    imp_origin_add(im, &t->p.origins, o->root);
    if (!l->rate) {
        /* Two in-flight limits by one source: the smaller decides. */
        if (!t->p.concurrent || l->concurrent < t->p.concurrent)
            t->p.concurrent = l->concurrent;
        return true;
    }
    if (t->p.n_rates == MAX_RATES) {
        /* at the reference that brings the fifth: the route's list of
         * middlewares, an Ingress's annotation, or a chain's item */
        imp_report_src(im, ref_src, ref, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: gwc takes 4 rate limits per route; %s is "
                       "left out",
                       o->label);
        return false;
    }
    t->p.rates[t->p.n_rates++] = l->r;
    return true;
}
