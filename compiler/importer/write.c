/*
 * The output objects, each built as a document tree and rendered by
 * libyaml's emitter (base/doc.c, via output.c): quoting is libyaml's job,
 * so no value of the input can change the structure of the output.  Each
 * carries the gwc.dev/source annotation of its origins (origin.c).  Order:
 * by kind (Gateways, ListenerSets, routes, BackendTLSPolicies, gwc
 * policies, grants, ConfigMaps), then namespace and name; inside an
 * object, the order the passes produced, which is itself derived only
 * from the input's content.  A Gateway of the input (--gateway) is
 * carried as written, amended.
 */
#include "write_internal.h"

#include "base/arena.h"
#include "base/doc.h"

#include <string.h>

/* An object of the output, rendered when it is complete (imp_write_output)
 * as the comment naming its origins, then its YAML. */
struct pending {
    struct doc *d;
    const char *kind, *namespace, *comment;
};

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

/* ---- order ---- */

static int kind_rank(enum kind k)
{
    switch (k) {
    case KIND_HTTP_ROUTE:
        return 0;
    case KIND_GRPC_ROUTE:
        return 1;
    case KIND_TLS_ROUTE:
        return 2;
    case KIND_TCP_ROUTE:
        return 3;
    default:
        return 4;
    }
}

static int cmp_routes(const void *pa, const void *pb)
{
    const struct o_route *a = *(const struct o_route *const *)pa;
    const struct o_route *b = *(const struct o_route *const *)pb;
    int c = kind_rank(a->kind) - kind_rank(b->kind);

    if (c)
        return c;
    if ((c = strcmp(a->namespace, b->namespace)) != 0)
        return c;
    return strcmp(a->name, b->name);
}

/* The other outputs sort by namespace, then name. */
#define BY_NS_NAME(fn, T)                                         \
    static int fn(const void *pa, const void *pb)                 \
    {                                                             \
        const T *a = *(const T *const *)pa;                       \
        const T *b = *(const T *const *)pb;                       \
        int c = strcmp(a->namespace, b->namespace);               \
        return c ? c : strcmp(a->name, b->name);                  \
    }
BY_NS_NAME(cmp_gateways, struct o_gateway)
BY_NS_NAME(cmp_policies, struct o_policy)
BY_NS_NAME(cmp_grants, struct o_grant)
BY_NS_NAME(cmp_config_maps, struct o_config_map)

static int cmp_gwc_policies(const void *pa, const void *pb)
{
    const struct o_gwc_policy *a = *(const struct o_gwc_policy *const *)pa;
    const struct o_gwc_policy *b = *(const struct o_gwc_policy *const *)pb;
    int c = strcmp(a->kind, b->kind);

    if (c)
        return c;
    if ((c = strcmp(a->namespace, b->namespace)) != 0)
        return c;
    return strcmp(a->name, b->name);
}

void imp_write_output(struct imp *im, struct import_output *out)
{
    struct writer w = {im, im->a, {0}, NULL};
    size_t i;

    imp_origins_derive(im);

    ptrvec_sort(&im->gateways, cmp_gateways);
    ptrvec_sort(&im->routes, cmp_routes);
    ptrvec_sort(&im->policies, cmp_policies);
    ptrvec_sort(&im->gwc_policies, cmp_gwc_policies);
    ptrvec_sort(&im->grants, cmp_grants);
    ptrvec_sort(&im->config_maps, cmp_config_maps);
    for (i = 0; i < im->gateways.n; i++)
        imp_write_gateway(&w, im->gateways.v[i]);
    for (i = 0; i < im->gateways.n; i++) {
        const struct o_gateway *g = im->gateways.v[i];
        size_t k;
        for (k = 0; k < g->sets.n; k++)
            imp_write_listener_set(&w, g->sets.v[k]);
    }
    for (i = 0; i < im->routes.n; i++)
        imp_write_route(&w, im->routes.v[i]);
    for (i = 0; i < im->policies.n; i++)
        imp_write_policy(&w, im->policies.v[i]);
    for (i = 0; i < im->gwc_policies.n; i++)
        imp_write_gwc_policy(&w, im->gwc_policies.v[i]);
    for (i = 0; i < im->grants.n; i++)
        imp_write_grant(&w, im->grants.v[i]);
    for (i = 0; i < im->config_maps.n; i++)
        imp_write_config_map(&w, im->config_maps.v[i]);
    for (i = 0; i < w.pending.n; i++) {
        const struct pending *p = w.pending.v[i];
        imp_output_add(im->a, out, p->kind, p->namespace, p->comment, p->d);
    }
}
