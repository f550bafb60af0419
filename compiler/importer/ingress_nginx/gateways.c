/*
 * The listeners of the host groups (hosts.c) on their class's Gateway
 * (importer/gateways.c: one per class, or --gateway's): HTTP on 80, HTTPS
 * on 443 for hosts with a certificate, TLS passthrough on 443 for
 * ssl-passthrough hosts, and the same for each alias.
 */
#include "nx.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "load/load.h"

#include <string.h>

/* The Ingress a group's diagnostics point at. */
static const struct ing *group_ing(const struct host_group *g)
{
    if (g->locations.n)
        return ((const struct location *)g->locations.v[0])->ing;
    return g->passthrough ? g->passthrough : g->creator;
}

/* Where a listener of host is reported: the Ingress rule's host, else
 * (an alias, a www redirect, the default backend) its metadata. */
static const struct ynode *host_node(const struct ing *ing, const char *host)
{
    const struct ingress *src = ing->src;
    size_t r;

    for (r = 0; r < src->n_rules; r++) {
        const struct ynode *n = ynode_get(src->rules[r].src, "host");
        if (n && src->rules[r].host && str_eq(src->rules[r].host, host))
            return n;
    }
    return src->obj.meta.src;
}

static const char *add_listener(struct imp *im, struct o_gateway *gw,
                                const char *proto, const char *host,
                                const struct host_group *g)
{
    const char *secret = str_eq(proto, "HTTPS") ? g->secret : NULL;
    const struct ing *ing = secret && g->tls_ing ? g->tls_ing : group_ing(g);
    struct imp_src src = {model_object_label(im->c, &ing->src->obj),
                          ing->src->obj.src};

    return imp_listener_add(im, gw, &src, host_node(ing, host), proto, host,
                            secret, g->secret_namespace);
}

static bool serves_http(const struct host_group *g)
{
    return g->locations.n || g->www_target;
}

static void place(struct imp *im, struct host_group *g)
{
    struct o_gateway *gw;
    size_t k;

    if (!serves_http(g) && !(g->passthrough && *g->host))
        return;
    gw = imp_gateway_for(im, g->klass);
    g->gateway = gw;
    g->alias_http = ARENA_NEW_ARRAY(im->a, const char *, g->aliases.n + 1);
    g->alias_https = ARENA_NEW_ARRAY(im->a, const char *, g->aliases.n + 1);
    if (serves_http(g)) {
        g->http_listener = add_listener(im, gw, "HTTP", g->host, g);
        for (k = 0; k < g->aliases.n; k++)
            g->alias_http[k] = add_listener(im, gw, "HTTP", (const char *)g->aliases.v[k], g);
    }
    if (serves_http(g) && g->secret) {
        g->https_listener = add_listener(im, gw, "HTTPS", g->host, g);
        for (k = 0; k < g->aliases.n; k++)
            g->alias_https[k] = add_listener(im, gw, "HTTPS", (const char *)g->aliases.v[k], g);
    }
    if (g->passthrough && *g->host) /* SNI needs a name */
        g->tls_listener = add_listener(im, gw, "TLS", g->host, g);
}

void nx_gateways_assign(struct imp *im)
{
    size_t i;

    for (i = 0; i < NX(im)->groups.n; i++) /* sorted by namespace, class, host */
        place(im, NX(im)->groups.v[i]);
}
