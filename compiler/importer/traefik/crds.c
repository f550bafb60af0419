/*
 * The Traefik objects of the input (provider.c collects them), found by
 * kind, namespace and name.  A file of its own so that the files that
 * resolve references (ingressroute.c, middlewares.c) do not need each other
 * for it.
 */
#include "tr.h"

#include "base/arena.h"

/* Indexed once: a scan per reference made many routers quadratic.  The
 * objects are unique by kind, namespace and name (duplicates were taken
 * out and reported when collected). */
const struct crd *tr_crd_find(struct imp *im, const char *kind, const char *ns,
                              const char *name)
{
    struct tr *t = TR(im);
    size_t i;

    if (!t->by_name_built) {
        for (i = 0; i < t->crds.n; i++) {
            const struct crd *o = t->crds.v[i];
            imp_index_put(im->a, &t->by_name,
                          arena_printf(im->a, "%s/%s/%s", o->kind, o->namespace,
                                       o->name),
                          (void *)o);
        }
        t->by_name_built = true;
    }
    if (!kind || !ns || !name)
        return NULL;
    return imp_index_get(&t->by_name, arena_printf(im->a, "%s/%s/%s", kind, ns, name));
}
