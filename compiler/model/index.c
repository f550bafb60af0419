/*
 * The model's lookups: objects by kind and "{namespace}/{name}", and
 * EndpointSlices by the Service they serve.  Built once after sorting, so
 * that a reference costs one hash probe, never a scan of every object of a
 * kind (a repository holds tens of thousands of Services and slices).
 */
#include "decode_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/strbuf.h"

#include <stdio.h>
#include <string.h>

/* "{namespace}/{name}" as nsname spells it, in buf when it fits (one per
 * reference: without printf). */
static const char *nsname_key(struct strbuf *sb, char *buf, size_t cap,
                              const char *ns, const char *name)
{
    size_t ns_len, name_len;

    if (!ns)
        return name;
    ns_len = strlen(ns);
    name_len = strlen(name);
    if (ns_len + name_len + 2 <= cap) {
        memcpy(buf, ns, ns_len);
        buf[ns_len] = '/';
        memcpy(buf + ns_len + 1, name, name_len + 1);
        return buf;
    }
    strbuf_addstr(sb, ns);
    strbuf_addch(sb, '/');
    strbuf_addstr(sb, name);
    return sb->buf;
}

void model_index(struct compilation *c, struct model *m)
{
    const struct ptrvec *slices = &m->objects[KIND_ENDPOINT_SLICE];
    size_t k, i;

    for (k = 0; k < KIND__COUNT; k++) {
        const struct ptrvec *pv = &m->objects[k];
        strhash_init(&m->by_nsname[k], c->arena);
        strhash_reserve(&m->by_nsname[k], pv->n);
        for (i = 0; i < pv->n; i++) {
            struct object *o = pv->v[i];
            void **slot = strhash_slot(&m->by_nsname[k], o->nsname);
            if (!*slot)
                *slot = o; /* duplicates were reported; the first stands */
        }
    }
    strhash_init(&m->slices_by_service, c->arena);
    strhash_reserve(&m->slices_by_service, slices->n);
    for (i = 0; i < slices->n; i++) {
        struct endpoint_slice *es = slices->v[i];
        const char *svc =
            model_strmap_get(&es->obj.meta.labels, "kubernetes.io/service-name");
        struct ptrvec **list;

        if (!svc)
            continue;
        list = (struct ptrvec **)strhash_slot(
            &m->slices_by_service,
            ARENA_JOIN(c->arena, es->obj.meta.namespace, "/", svc));
        if (!*list)
            *list = ARENA_NEW(c->arena, struct ptrvec);
        ptrvec_push(c->arena, *list, es);
    }
}

struct object *model_find(const struct model *m, enum kind kind,
                          const char *namespace, const char *name)
{
    struct strbuf sb = STRBUF_INIT;
    char buf[320];
    struct object *o;

    if (!name)
        return NULL;
    o = strhash_get(&m->by_nsname[kind],
                    nsname_key(&sb, buf, sizeof(buf),
                               model_kind_infos[kind].namespaced ? namespace : NULL,
                               name));
    strbuf_release(&sb);
    return o;
}

const struct ptrvec *model_endpoint_slices(const struct model *m,
                                           const char *namespace, const char *name)
{
    struct strbuf sb = STRBUF_INIT;
    char buf[320];
    const struct ptrvec *v;

    v = strhash_get(&m->slices_by_service,
                    nsname_key(&sb, buf, sizeof(buf), namespace, name));
    strbuf_release(&sb);
    return v;
}
