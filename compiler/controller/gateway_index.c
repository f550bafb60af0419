/*
 * Gateways and ListenerSets by namespace and name: the lookups the passes
 * after ctl_gateways_build() and ctl_listener_sets_collect() use.
 */
#include "controller_internal.h"

#include "base/compilation.h"

struct gateway_state *ctl_find_gateway(const struct ctx *x, const char *ns,
                                       const char *name)
{
    char buf[320];
    const char *parts[] = {ns, name};

    return strhash_get(&x->gateways, strhash_key(x->c->arena, buf, sizeof(buf), parts, 2));
}

struct listener_set_state *ctl_find_listener_set(const struct ctx *x,
                                                 const char *ns, const char *name)
{
    char buf[320];
    const char *parts[] = {ns, name};

    return strhash_get(&x->listener_sets,
                       strhash_key(x->c->arena, buf, sizeof(buf), parts, 2));
}

/* Registers st under its namespace and name (the first one stands). */
void ctl_index_object(struct ctx *x, struct strhash *h, const struct object *o,
                      void *st)
{
    const char *parts[] = {o->meta.namespace, o->meta.name};
    void **slot = strhash_slot(h, strhash_key(x->c->arena, NULL, 0, parts, 2));

    if (!*slot)
        *slot = st;
}
