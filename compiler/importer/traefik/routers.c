/*
 * Traefik's routers to Gateway API: a Gateway per namespace (named after
 * the class), an HTTP listener per host for the web entry point and an
 * HTTPS one per host with a certificate for websecure; per router and
 * host, an HTTPRoute for each entry point (web redirects when the router
 * has redirectScheme https).
 *
 * Precedence: Traefik tries routers by priority, by default the length of
 * the rule; Gateway API by the match (Exact, then the longest prefix, then
 * method, headers, query).  Where two routers match a common path and the
 * two orders disagree, the difference is reported.
 */
#include "tr.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <stdarg.h>
#include <string.h>

struct diag *tr_report(struct imp *im, const struct tr_src *src,
                       const struct ynode *at, enum diag_code code,
                       const char *fmt, ...)
{
    va_list ap;
    struct diag *d;

    va_start(ap, fmt);
    d = report_vat(im, src->label, src->root, at, diag_info(code)->severity,
                   code, fmt, ap);
    va_end(ap);
    return d;
}

/* ---- precedence ---- */

/* Gateway API's order of two matches on one host: > 0 when a wins. */
static int gateway_order(const struct o_match *a, const struct o_match *b)
{
    static const char *const types[] = {"RegularExpression", "PathPrefix", "Exact"};
    int ta = 1, tb = 1; /* no path: PathPrefix / */
    size_t la = a->path.value ? strlen(a->path.value) : 1;
    size_t lb = b->path.value ? strlen(b->path.value) : 1;
    int i;

    for (i = 0; i < 3; i++) {
        ta = str_eq(a->path.type, types[i]) ? i : ta;
        tb = str_eq(b->path.type, types[i]) ? i : tb;
    }
    if (ta != tb)
        return ta - tb;
    if (ta == 1 && la != lb)
        return la > lb ? 1 : -1;
    if (!!a->method != !!b->method)
        return a->method ? 1 : -1;
    if (!!a->header.name != !!b->header.name)
        return a->header.name ? 1 : -1;
    if (!!a->query.name != !!b->query.name)
        return a->query.name ? 1 : -1;
    return 0;
}

/* Does a's path take the literal path p (Traefik's string prefix)? */
static bool path_takes(const struct o_match *a, const char *p)
{
    if (!a->path.type)
        return true;
    if (str_eq(a->path.type, "Exact"))
        return str_eq(a->path.value, p);
    if (str_eq(a->path.type, "PathPrefix"))
        return strncmp(p, a->path.value, strlen(a->path.value)) == 0;
    return false; /* regular expressions: not simulated */
}

static bool hosts_meet(const struct tr_alt *a, const struct tr_alt *b)
{
    return !a->n_hosts || !b->n_hosts || str_eq(a->hosts[0], b->hosts[0]);
}

void tr_tls_only(struct imp *im, struct tr_router *r, const struct ynode *eps)
{
    /* Without websecure it serves nothing, which is reported as such. */
    if (r->web && r->websecure && eps)
        tr_report(im, &r->src, r->at, DIAG_IMPORT_APPROXIMATED,
                  "a TLS router listed on the web entry point: Traefik "
                  "terminates TLS on port 80 for it; the import serves it on "
                  "websecure (443) only");
    r->web = false;
}

static bool both_web(const struct tr_router *a, const struct tr_router *b)
{
    return (a->web && b->web) || (a->websecure && b->websecure);
}

/* One report per router that Traefik prefers and Gateway API ranks below
 * another on a common path.  Quadratic in the routers of the estate,
 * which is what comparing orders takes; routers without a path literal
 * in common are skipped at once. */
static void precedence(struct imp *im)
{
    const struct ptrvec *rs = &TR(im)->routers;
    size_t i, k, x, y;

    for (i = 0; i < rs->n; i++) {
        const struct tr_router *a = rs->v[i];
        for (k = 0; k < rs->n; k++) {
            const struct tr_router *b = rs->v[k];
            bool reported = false;
            if (a == b || a->priority <= b->priority || !both_web(a, b))
                continue;
            for (x = 0; !reported && x < a->alts.n; x++) {
                const struct tr_alt *aa = a->alts.v[x];
                for (y = 0; !reported && y < b->alts.n; y++) {
                    const struct tr_alt *bb = b->alts.v[y];
                    const char *p = bb->m[0].path.value;
                    if (!hosts_meet(aa, bb) || !p || str_eq(bb->m[0].path.type, "RegularExpression") ||
                        !path_takes(&aa->m[0], p) ||
                        gateway_order(&aa->m[0], &bb->m[0]) >= 0)
                        continue;
                    tr_report(im, &a->src, a->at, DIAG_IMPORT_APPROXIMATED,
                              "Traefik gives %s to this router (priority "
                              "%lld) before router %s/%s (priority %lld); "
                              "Gateway API precedence picks the other one's "
                              "more specific match",
                              report_value(im, p), (long long)a->priority,
                              b->namespace, b->name, (long long)b->priority);
                    reported = true;
                }
            }
        }
    }
}

/* ---- output ---- */

struct out {
    struct index listeners; /* "ns/proto/host" -> name */
};

static const char *listener(struct imp *im, struct out *o, struct o_gateway *gw,
                            const char *proto, const char *host, const char *secret)
{
    const char *key = arena_printf(im->a, "%s/%s/%s", gw->namespace, proto, host);
    const char *name = index_get(&o->listeners, key);

    if (name)
        return name;
    name = listener_add(im, gw, proto, host, secret, gw->namespace);
    index_put(im->a, &o->listeners, key, (void *)name);
    return name;
}

static void emit(struct imp *im, const struct tr_router *r, const char *host,
                 const char *section, const char *suffix, struct o_gateway *gw,
                 struct o_rule *rule)
{
    bool redirect = rule->filters && rule->filters->redirect;
    struct o_route *rt = ARENA_NEW(im->a, struct o_route);
    struct o_parent *p = ARENA_NEW(im->a, struct o_parent);
    const char *base = *host ? arena_printf(im->a, "%s-%s%s", r->name,
                                            name_host_label(im->a, host), suffix)
                             : arena_printf(im->a, "%s%s", r->name, suffix);

    rt->kind = KIND_HTTP_ROUTE;
    rt->namespace = r->namespace;
    rt->name = name_claim(im, arena_printf(im->a, "HTTPRoute/%s", r->namespace),
                          base, 253);
    if (*host) {
        rt->hostnames = ARENA_NEW_ARRAY(im->a, const char *, 1);
        rt->hostnames[rt->n_hostnames++] = host;
    }
    p->gateway = gw->name;
    p->section = section;
    ptrvec_push(im->a, &rt->parents, p);
    ptrvec_push(im->a, &rt->rules, rule);
    grants_for_route(im, rt);
    ptrvec_push(im->a, &im->routes, rt);
    /* A redirect is answered before any check (docs/policies.md). */
    if (!r->denied && !redirect)
        tr_policies_target(im, r, rt);
}

static struct o_rule *rule_for(struct imp *im, const struct tr_router *r,
                               const char *host, bool redirect)
{
    struct o_match m[2 * 16];
    size_t i, n = 0;
    struct o_rule *rule;

    for (i = 0; i < r->alts.n; i++) {
        const struct tr_alt *a = r->alts.v[i];
        if (!str_eq(a->n_hosts ? a->hosts[0] : "", host))
            continue;
        memcpy(m + n, a->m, a->n_m * sizeof(*m));
        n += a->n_m;
    }
    if (redirect) {
        struct o_filters *f = ARENA_NEW(im->a, struct o_filters);
        struct o_redirect *rd = ARENA_NEW(im->a, struct o_redirect);
        rd->scheme = "https";
        rd->code = r->https_redirect;
        f->redirect = rd;
        return routes_rule_new(im, m, n, f, 0);
    }
    rule = routes_rule_new(im, m, n, r->denied ? NULL : r->filters, 0);
    if (!r->denied)
        rule->backends = r->backends;
    return rule;
}

static void router_write(struct imp *im, struct out *o, const struct tr_router *r)
{
    struct o_gateway *gw = gateway_for(im, r->namespace, "traefik", 0);
    struct index seen = {0};
    size_t i;

    for (i = 0; i < r->alts.n; i++) {
        const struct tr_alt *a = r->alts.v[i];
        const char *host = a->n_hosts ? a->hosts[0] : "";

        if (index_get(&seen, arena_printf(im->a, "h/%s", host)))
            continue;
        index_put(im->a, &seen, arena_printf(im->a, "h/%s", host), (void *)host);
        if (r->web)
            emit(im, r, host, listener(im, o, gw, "HTTP", host, NULL),
                 r->websecure && r->secret ? "-http" : "", gw,
                 rule_for(im, r, host, r->https_redirect != 0));
        if (r->websecure && r->secret)
            emit(im, r, host, listener(im, o, gw, "HTTPS", host, r->secret),
                 r->web ? "-https" : "", gw, rule_for(im, r, host, false));
    }
}

static int cmp_routers(const void *pa, const void *pb)
{
    const struct tr_router *a = *(const struct tr_router *const *)pa;
    const struct tr_router *b = *(const struct tr_router *const *)pb;
    int c = strcmp(a->namespace, b->namespace);

    return c ? c : strcmp(a->name, b->name);
}

void tr_routers_write(struct imp *im)
{
    struct ptrvec *rs = &TR(im)->routers;
    struct out o;
    size_t i;

    memset(&o, 0, sizeof(o));
    ptrvec_sort(rs, cmp_routers);
    for (i = 0; i < rs->n; i++) {
        struct tr_router *r = rs->v[i];
        if (!r->denied && !tr_middleware_paths(im, r))
            r->denied = true;
    }
    precedence(im);
    for (i = 0; i < rs->n; i++) {
        const struct tr_router *r = rs->v[i];
        if (!r->web && !(r->websecure && r->secret))
            tr_report(im, &r->src, r->at, DIAG_IMPORT_NOT_CONVERTED,
                      "not converted: the router serves no entry point the "
                      "import converts");
        else
            router_write(im, &o, r);
    }
    tr_policies_write(im);
}
