/*
 * One Gateway per namespace and ingress class (named after the class) for
 * the host groups that live there (hosts.c),
 * with listeners per host: HTTP on 80, HTTPS on 443 for hosts with a
 * certificate, TLS passthrough on 443 for ssl-passthrough hosts, and the
 * same for each alias.  A Gateway holds at most 64 listeners: past that a
 * second Gateway "<class>-2" takes the next hosts (all listeners of one
 * host stay together, so its routes have one parent Gateway).
 */
#include "nx.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

struct gw_builder {
    struct imp *im;
    const char *namespace, *klass;
    struct o_gateway *gw;
    unsigned count;
};

static void new_gateway(struct gw_builder *b)
{
    struct imp *im = b->im;
    struct o_gateway *gw = ARENA_NEW(im->a, struct o_gateway);
    const char *name = im->o->gateway_name ? im->o->gateway_name : b->klass;
    const char *base = ++b->count == 1 ? name
                                       : arena_printf(im->a, "%s-%u", name, b->count);

    gw->namespace = b->namespace;
    gw->class_name = im->o->gateway_class_name ? im->o->gateway_class_name
                                               : "nginx";
    gw->name = imp_name_claim(im, arena_printf(im->a, "Gateway/%s", b->namespace),
                              base, 253);
    ptrvec_push(im->a, &im->gateways, gw);
    b->gw = gw;
}

static const char *add_listener(struct imp *im, struct o_gateway *gw,
                                const char *proto, const char *host,
                                const struct host_group *g)
{
    const char *secret = str_eq(proto, "HTTPS") ? g->secret : NULL;

    return imp_listener_add(im, gw, proto, host, secret, g->secret_namespace);
}

static bool serves_http(const struct host_group *g)
{
    return g->locations.n || g->www_target;
}

static size_t listeners_needed(const struct host_group *g)
{
    size_t per_name = serves_http(g) ? 1 + (g->secret != NULL) : 0;

    return per_name * (1 + g->aliases.n) + (g->passthrough && *g->host);
}

/* The Ingress a group's diagnostics point at. */
static const struct ing *group_ing(const struct host_group *g)
{
    if (g->locations.n)
        return ((const struct location *)g->locations.v[0])->ing;
    return g->passthrough;
}

static void place(struct gw_builder *b, struct host_group *g)
{
    struct imp *im = b->im;
    size_t need = listeners_needed(g), k;

    if (!need)
        return;
    if (!b->gw || b->gw->listeners.n + need > MAX_GATEWAY_LISTENERS) {
        if (b->gw && group_ing(g))
            nx_report_node(im, group_ing(g), group_ing(g)->src->obj.meta.src,
                           DIAG_IMPORT_LIMIT,
                           "Gateway '%s' is full (a Gateway has at most %d "
                           "listeners): host '%s' and the hosts after it go to "
                           "another Gateway",
                           b->gw->name, MAX_GATEWAY_LISTENERS, g->host);
        new_gateway(b);
    }
    g->gateway = b->gw;
    g->alias_http = ARENA_NEW_ARRAY(im->a, const char *, g->aliases.n + 1);
    g->alias_https = ARENA_NEW_ARRAY(im->a, const char *, g->aliases.n + 1);
    if (serves_http(g)) {
        g->http_listener = add_listener(im, b->gw, "HTTP", g->host, g);
        for (k = 0; k < g->aliases.n; k++)
            g->alias_http[k] = add_listener(im, b->gw, "HTTP", (const char *)g->aliases.v[k], g);
    }
    if (serves_http(g) && g->secret) {
        g->https_listener = add_listener(im, b->gw, "HTTPS", g->host, g);
        for (k = 0; k < g->aliases.n; k++)
            g->alias_https[k] = add_listener(im, b->gw, "HTTPS", (const char *)g->aliases.v[k], g);
    }
    if (g->passthrough && *g->host) /* SNI needs a name */
        g->tls_listener = add_listener(im, b->gw, "TLS", g->host, g);
}

void nx_gateways_assign(struct imp *im)
{
    size_t i = 0, j;

    while (i < NX(im)->groups.n) { /* groups are sorted by namespace, class */
        const struct host_group *first = NX(im)->groups.v[i];
        struct gw_builder b = {im, first->namespace, first->klass, NULL, 0};

        for (j = i; j < NX(im)->groups.n; j++) {
            struct host_group *g = NX(im)->groups.v[j];
            if (!str_eq(g->namespace, b.namespace) || !str_eq(g->klass, b.klass))
                break;
            place(&b, g);
        }
        i = j;
    }
}
