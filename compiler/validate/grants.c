/*
 * ReferenceGrant (docs/spec-notes.md, "ReferenceGrant"): a reference from an object of kind K in
 * namespace N to an object T in another namespace is allowed when a grant in
 * T's namespace lists {group, kind of the referrer, N} in `from` and
 * {group, kind of T, and T's name or no name} in `to`.  Grants only add.
 *
 * Every (from, to) pair of every grant the API server keeps is one key of a
 * set, so a reference costs two probes however many grants there are.
 */
#include "validate_internal.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

/* to_name NULL: the pair grants every object of the kind. */
static const char *grant_key(struct arena *a, char *buf, size_t cap,
                             const char *from_kind, const char *from_ns,
                             const char *to_group, const char *to_kind,
                             const char *to_ns, const char *to_name)
{
    const char *parts[] = {to_ns, from_kind, from_ns, to_group, to_kind,
                           to_name ? "=" : "*", to_name};

    return strhash_key(a, buf, cap, parts, sizeof(parts) / sizeof(parts[0]));
}

void grants_index(struct ctx *x)
{
    const struct ptrvec *grants = &x->m->objects[KIND_REFERENCE_GRANT];
    size_t i, j, k;

    strhash_init(&x->grants, x->c->arena);
    for (i = 0; i < grants->n; i++) {
        const struct reference_grant *g = grants->v[i];

        if (g->obj.rejected)
            continue;
        for (j = 0; j < g->n_from; j++) {
            const struct grant_from *f = &g->from[j];
            if (!str_eq(f->group, GATEWAY_GROUP))
                continue;
            for (k = 0; k < g->n_to; k++) {
                const struct grant_to *t = &g->to[k];
                const char *name = t->name && *t->name ? t->name : NULL;
                strhash_put(&x->grants,
                            grant_key(x->c->arena, NULL, 0, f->kind, f->namespace,
                                      t->group, t->kind, g->obj.meta.namespace, name),
                            (void *)g);
            }
        }
    }
}

bool grant_allows(const struct ctx *x, const char *from_kind, const char *from_ns,
                  const char *to_group, const char *to_kind, const char *to_ns,
                  const char *to_name)
{
    char buf[512];

    if (str_eq(from_ns, to_ns))
        return true; /* same namespace: no grant needed */
    return strhash_get(&x->grants, grant_key(x->c->arena, buf, sizeof(buf), from_kind,
                                             from_ns, to_group, to_kind, to_ns,
                                             NULL)) ||
           strhash_get(&x->grants, grant_key(x->c->arena, buf, sizeof(buf), from_kind,
                                             from_ns, to_group, to_kind, to_ns,
                                             to_name ? to_name : ""));
}
