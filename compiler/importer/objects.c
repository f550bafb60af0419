/*
 * The context objects of the input (Services, Secrets, ConfigMaps, ...)
 * as the providers look them up: in the namespace --namespace gives the
 * objects that have none.
 */
#include "import_internal.h"

#include "base/compilation.h"

/* The namespace of an object: its own, or --namespace when it has none
 * (the model has already defaulted that case to "default"). */
const char *imp_object_namespace(const struct imp *im, const struct object *o)
{
    const struct ynode *meta = ynode_get(o->src, "metadata");

    if (!o->meta.namespace)
        return NULL; /* cluster-scoped */
    if (!ynode_get(meta, "namespace") && im->o->default_namespace)
        return im->o->default_namespace;
    return o->meta.namespace;
}

const struct object *imp_find_object(const struct imp *im, enum kind kind,
                                     const char *ns, const char *name)
{
    const struct object *o = model_find(im->m, kind, ns, name);

    if (o && (!ns || str_eq(imp_object_namespace(im, o), ns)))
        return o->rejected ? NULL : o;
    /* Objects without a namespace sit under "default" in the model. */
    if (ns && im->o->default_namespace && str_eq(ns, im->o->default_namespace)) {
        o = model_find(im->m, kind, "default", name);
        if (o && str_eq(imp_object_namespace(im, o), ns))
            return o->rejected ? NULL : o;
    }
    return NULL;
}
