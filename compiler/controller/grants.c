/*
 * ReferenceGrant (docs/spec-notes.md, "ReferenceGrant"): a reference from an object of kind K in
 * namespace N to an object T in another namespace is allowed when a grant in
 * T's namespace lists {group, kind of the referrer, N} in `from` and
 * {group, kind of T, and T's name or no name} in `to`.  Grants only add.
 *
 * Every (from, to) pair of every grant the API server keeps is one key of a
 * set, so a reference costs two probes however many grants there are.
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"

#include <string.h>

/* The API group of a referring kind: gwc's policies are in gwc.dev. */
static const char *group_of(const char *kind)
{
    return str_eq(kind, "ClientPolicy") || str_eq(kind, "AccessPolicy") ||
                   str_eq(kind, "BackendPolicy")
               ? GWC_GROUP
               : GATEWAY_GROUP;
}

/* to_name NULL: the pair grants every object of the kind. */
static const char *grant_key(struct arena *a, char *buf, size_t cap,
                             const char *from_group, const char *from_kind,
                             const char *from_ns, const char *to_group,
                             const char *to_kind, const char *to_ns, const char *to_name)
{
    const char *parts[] = {to_ns, from_group, from_kind, from_ns, to_group, to_kind,
                           to_name ? "=" : "*", to_name};

    return strhash_key(a, buf, cap, parts, ARRAY_SIZE(parts));
}

void ctl_grants_index(struct ctx *x)
{
    const struct ptrvec *grants = &x->m->objects[KIND_REFERENCE_GRANT];
    struct strhash *index = &x->ctl->grants;
    size_t i, j, k;

    strhash_init(index, x->c->arena);
    for (i = 0; i < grants->n; i++) {
        const struct reference_grant *g = grants->v[i];

        if (g->obj.rejected)
            continue;
        for (j = 0; j < g->n_from; j++) {
            const struct grant_from *f = &g->from[j];
            for (k = 0; k < g->n_to; k++) {
                const struct grant_to *t = &g->to[k];
                const char *name = t->name && *t->name ? t->name : NULL;
                void **slot = strhash_slot(
                    index, grant_key(x->c->arena, NULL, 0, f->group, f->kind, f->namespace,
                                     t->group, t->kind, g->obj.meta.namespace, name));
                /* Grants come in object order: the first one answers. */
                if (!*slot)
                    *slot = (void *)g;
            }
        }
    }
}

const struct reference_grant *ctl_grant(const struct controller *ctl,
                                        const char *from_kind, const char *from_ns,
                                        const char *to_group, const char *to_kind,
                                        const char *to_ns, const char *to_name)
{
    const char *from_group = group_of(from_kind);
    const struct reference_grant *any, *named;
    char buf[512];

    any = strhash_get(&ctl->grants, grant_key(ctl->grants.a, buf, sizeof(buf), from_group,
                                              from_kind, from_ns, to_group, to_kind, to_ns,
                                              NULL));
    named = strhash_get(&ctl->grants,
                        grant_key(ctl->grants.a, buf, sizeof(buf), from_group, from_kind,
                                  from_ns, to_group, to_kind, to_ns, to_name ? to_name : ""));
    /* Both in to_ns, where object order is nsname order. */
    if (!any || (named && strcmp(named->obj.nsname, any->obj.nsname) < 0))
        return named;
    return any;
}

bool ctl_grant_allows(const struct ctx *x, const char *from_kind,
                      const char *from_ns, const char *to_group,
                      const char *to_kind, const char *to_ns, const char *to_name)
{
    /* Same namespace: no grant needed. */
    return str_eq(from_ns, to_ns) ||
           ctl_grant(x->ctl, from_kind, from_ns, to_group, to_kind, to_ns, to_name);
}
