/*
 * ReferenceGrant (docs/spec-notes.md, "ReferenceGrant"): a reference from an object of kind K in
 * namespace N to an object T in another namespace is allowed when a grant in
 * T's namespace lists {group, kind of the referrer, N} in `from` and
 * {group, kind of T, and T's name or no name} in `to`.  Grants only add.
 */
#include "validate_internal.h"

#include <string.h>

/* The API group of a referring kind: gwc's policies are in gwc.dev. */
static const char *group_of(const char *kind)
{
    return str_eq(kind, "ClientPolicy") || str_eq(kind, "AccessPolicy") ||
                   str_eq(kind, "BackendPolicy")
               ? GWC_GROUP
               : GATEWAY_GROUP;
}

const struct reference_grant *validate_grant(const struct model *m, const char *from_kind,
                                             const char *from_ns, const char *to_group,
                                             const char *to_kind, const char *to_ns,
                                             const char *to_name)
{
    const struct ptrvec *grants = &m->objects[KIND_REFERENCE_GRANT];
    size_t i, j, k;

    for (i = 0; i < grants->n; i++) {
        const struct reference_grant *g = grants->v[i];
        bool from_ok = false;

        if (g->obj.rejected || !str_eq(g->obj.meta.namespace, to_ns))
            continue;
        for (j = 0; j < g->n_from && !from_ok; j++) {
            from_ok = str_eq(g->from[j].group, group_of(from_kind)) &&
                      str_eq(g->from[j].kind, from_kind) &&
                      str_eq(g->from[j].namespace, from_ns);
        }
        if (!from_ok)
            continue;
        for (k = 0; k < g->n_to; k++) {
            if (str_eq(g->to[k].group, to_group) && str_eq(g->to[k].kind, to_kind) &&
                (!g->to[k].name || !*g->to[k].name || str_eq(g->to[k].name, to_name)))
                return g;
        }
    }
    return NULL;
}

bool grant_allows(const struct model *m, const char *from_kind,
                  const char *from_ns, const char *to_group,
                  const char *to_kind, const char *to_ns, const char *to_name)
{
    /* Same namespace: no grant needed. */
    return str_eq(from_ns, to_ns) ||
           validate_grant(m, from_kind, from_ns, to_group, to_kind, to_ns, to_name);
}
