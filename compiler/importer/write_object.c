/*
 * One object of the output: its apiVersion, kind and metadata, the
 * annotation naming its origins (origin.c), its place in the queue that
 * imp_write_output() renders; and the small document helpers the writers
 * of each kind share.
 */
#include "write_internal.h"

#include "base/arena.h"
#include "base/doc.h"

/* d, an object of the output, with the annotation naming its origins. */
void imp_write_pending_add(struct writer *w, struct doc *d, const char *kind,
                           const char *ns, const char *name,
                           const struct ptrvec *origins)
{
    struct pending *p = ARENA_NEW(w->a, struct pending);
    struct imp_written *written = ARENA_NEW(w->a, struct imp_written);
    const char *annotation;

    imp_origins_render(w->im, origins, &annotation, &p->comment);
    if (annotation) {
        struct doc *meta = imp_write_map_at(w, d, "metadata", doc_map);
        struct doc *ann = imp_write_map_at(w, meta, "annotations", doc_map);
        if (ann->kind != DOC_MAP) /* annotations: null */
            imp_write_put_replace(w, meta, "annotations", ann = doc_map(w->a));
        imp_write_put_replace(w, ann, IMP_SOURCE_ANNOTATION, doc_str(w->a, annotation));
    }
    p->d = d;
    p->kind = kind;
    p->namespace = ns;
    ptrvec_push(w->a, &w->pending, p);
    written->kind = kind;
    written->label = arena_printf(w->a, "%s/%s/%s", kind, ns, name);
    written->origins = origins;
    ptrvec_push(w->a, &w->im->written, written);
}


/* annotations: struct o_header *, or NULL for none. */
struct doc *imp_write_object_annotated(struct writer *w, const char *api_version,
                                       const char *kind, const char *ns,
                                       const char *name,
                                       const struct ptrvec *annotations,
                                       const struct ptrvec *origins)
{
    struct doc *d = doc_map(w->a), *meta, *ann;
    size_t i;

    doc_put_str(w->a, d, "apiVersion", api_version);
    doc_put_str(w->a, d, "kind", kind);
    meta = doc_put(w->a, d, "metadata", doc_map(w->a));
    doc_put_str(w->a, meta, "name", name);
    doc_put_str(w->a, meta, "namespace", ns);
    if (annotations && annotations->n) {
        ann = doc_put(w->a, meta, "annotations", doc_map(w->a));
        for (i = 0; i < annotations->n; i++) {
            const struct o_header *h = annotations->v[i];
            doc_put_str(w->a, ann, h->name, h->value);
        }
    }
    imp_write_pending_add(w, d, kind, ns, name, origins);
    return d;
}

struct doc *imp_write_object(struct writer *w, const char *api_version,
                             const char *kind, const char *ns, const char *name,
                             const struct ptrvec *origins)
{
    return imp_write_object_annotated(w, api_version, kind, ns, name, NULL, origins);
}

void imp_write_put_opt(struct writer *w, struct doc *map, const char *key,
                       const char *value)
{
    if (value)
        doc_put_str(w->a, map, key, value);
}

struct doc *imp_write_strings(struct writer *w, const char *const *v, size_t n)
{
    struct doc *seq = doc_seq(w->a);
    size_t i;

    for (i = 0; i < n; i++)
        doc_push(w->a, seq, doc_str(w->a, v[i]));
    return seq;
}
/* The value of key in map d, replaced by (or added as) v. */
void imp_write_put_replace(struct writer *w, struct doc *d, const char *key,
                           struct doc *v)
{
    size_t i;

    for (i = 0; i < d->n; i++) {
        if (str_eq(d->keys[i], key)) {
            d->items[i] = v;
            return;
        }
    }
    doc_put(w->a, d, key, v);
}

struct doc *imp_write_map_at(struct writer *w, struct doc *d, const char *key,
                             struct doc *(*make)(struct arena *))
{
    size_t i;

    for (i = 0; i < d->n; i++) {
        if (str_eq(d->keys[i], key))
            return d->items[i];
    }
    return doc_put(w->a, d, key, make(w->a));
}
