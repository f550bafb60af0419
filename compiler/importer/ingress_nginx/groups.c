/*
 * Host groups and their locations, by key: a group per class and host, a
 * location per path type and path (as ingress-nginx compares them).
 */
#include "nx.h"

#include "base/arena.h"
#include "base/strbuf.h"

#include <string.h>

const char *nx_host_group_key(struct imp *im, const char *klass, const char *host)
{
    return arena_printf(im->a, "%zu:%s%s", strlen(klass), klass, host);
}

struct host_group *nx_host_group_find(struct imp *im, const char *klass,
                                      const char *host)
{
    return imp_index_get(&NX(im)->group_index, nx_host_group_key(im, klass, host));
}

/* The group of host: the first Ingress to name it creates it, in its own
 * namespace. */
struct host_group *nx_host_group_get(struct imp *im, const struct ing *ing,
                                     const char *host)
{
    struct host_group *g = nx_host_group_find(im, ing->klass, host);

    if (g)
        return g;
    g = ARENA_NEW(im->a, struct host_group);
    g->namespace = ing->namespace;
    g->klass = ing->klass;
    g->host = host;
    g->creator = ing;
    ptrvec_push(im->a, &NX(im)->groups, g);
    imp_index_put(im->a, &NX(im)->group_index,
                  nx_host_group_key(im, ing->klass, host), g);
    return g;
}

/* Locations are keyed by path type and path, as ingress-nginx compares
 * them. */
struct location *nx_host_location(const struct host_group *g, const char *value,
                                  enum path_type type)
{
    struct strbuf key = STRBUF_INIT;
    struct location *l;

    strbuf_addf(&key, "%d:%s", (int)type, value);
    l = imp_index_get(&g->location_index, key.buf);
    strbuf_release(&key);
    return l;
}

void nx_host_location_push(struct imp *im, struct host_group *g, struct location *l)
{
    l->seq = NX(im)->n_locations++;
    l->session = l->ing->feat.session;
    ptrvec_push(im->a, &g->locations, l);
    if (l->path)
        imp_index_put(im->a, &g->location_index,
                      arena_printf(im->a, "%d:%s", (int)l->type, l->value), l);
}
