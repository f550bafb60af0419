/*
 * Traefik's routers to Gateway API: the Gateway "traefik" (importer/
 * gateways.c), an HTTP listener per host for the web entry point and an
 * HTTPS one per host with a certificate for websecure; per router and
 * host, an HTTPRoute for each entry point (web redirects when the router
 * has redirectScheme https).
 * Where Traefik's priority and Gateway API precedence disagree, the
 * difference is reported (precedence.c).
 */
#include "tr.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <stdarg.h>
#include <string.h>

void tr_tls_only(struct imp *im, struct tr_router *r, const struct ynode *eps)
{
    /* Without websecure it serves nothing, which is reported as such. */
    if (r->web && r->websecure && eps)
        imp_report_src(im, &r->src, r->at, DIAG_IMPORT_APPROXIMATED,
                       "a TLS router listed on the web entry point: Traefik "
                       "terminates TLS on port 80 for it; the import serves it on "
                       "websecure (443) only");
    r->web = false;
}

/* ---- output ---- */

struct out {
    struct index listeners; /* "ns/proto/host" -> name */
};

/* The secret of a router is in its namespace. */
static const char *listener(struct imp *im, struct out *o, struct o_gateway *gw,
                            const struct tr_router *r, const char *proto,
                            const char *host, const char *secret)
{
    const char *key = arena_printf(im->a, "%s/%s/%s/%s", gw->namespace, gw->name,
                                   proto, host);
    const char *name = imp_index_get(&o->listeners, key);

    if (name)
        return name;
    name = imp_listener_add(im, gw, &r->src, r->at, proto, host, secret,
                            r->namespace);
    imp_index_put(im->a, &o->listeners, key, (void *)name);
    return name;
}

static void emit(struct imp *im, const struct tr_router *r, const char *host,
                 const char *section, const char *suffix, struct o_gateway *gw,
                 struct o_rule *rule)
{
    bool redirect = rule->filters && rule->filters->redirect;
    struct o_route *rt = ARENA_NEW(im->a, struct o_route);
    const char *base = *host
                           ? arena_printf(im->a, "%s-%s%s", r->name,
                                          imp_name_host_label(im->a, host), suffix)
                           : arena_printf(im->a, "%s%s", r->name, suffix);

    rt->kind = KIND_HTTP_ROUTE;
    rt->namespace = r->namespace;
    rt->name = imp_name_claim(im, arena_printf(im->a, "HTTPRoute/%s", r->namespace),
                              base, 253);
    if (*host) {
        rt->hostnames = ARENA_NEW_ARRAY(im->a, const char *, 1);
        rt->hostnames[rt->n_hostnames++] = host;
    }
    imp_route_attach(im, rt, gw, section);
    ptrvec_push(im->a, &rt->rules, rule);
    imp_grants_for_route(im, rt);
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
        return imp_routes_rule_new(im, r->src.root, m, n, f, 0);
    }
    rule = imp_routes_rule_new(im, r->src.root, m, n, r->denied ? NULL : r->filters,
                               0);
    if (!r->denied)
        rule->backends = r->backends;
    return rule;
}

static void router_write(struct imp *im, struct out *o, const struct tr_router *r)
{
    struct o_gateway *gw = imp_gateway_for(im, "traefik");
    struct index seen = {0};
    size_t i;

    for (i = 0; i < r->alts.n; i++) {
        const struct tr_alt *a = r->alts.v[i];
        const char *host = a->n_hosts ? a->hosts[0] : "";

        if (imp_index_get(&seen, arena_printf(im->a, "h/%s", host)))
            continue;
        imp_index_put(im->a, &seen, arena_printf(im->a, "h/%s", host),
                      (void *)host);
        if (r->web)
            emit(im, r, host, listener(im, o, gw, r, "HTTP", host, NULL),
                 r->websecure && r->secret ? "-http" : "", gw,
                 rule_for(im, r, host, r->https_redirect != 0));
        if (r->websecure && r->secret)
            emit(im, r, host, listener(im, o, gw, r, "HTTPS", host, r->secret),
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
    tr_precedence(im);
    for (i = 0; i < rs->n; i++) {
        const struct tr_router *r = rs->v[i];
        if (!r->web && !(r->websecure && r->secret))
            imp_report_src(im, &r->src, r->at, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: the router serves no entry point the "
                           "import converts");
        else
            router_write(im, &o, r);
    }
    tr_policies_write(im);
}
