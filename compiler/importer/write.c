/*
 * The output objects, each built as a document tree and rendered by
 * libyaml's emitter (base/doc.c, via output.c): quoting is libyaml's job,
 * so no value of the input can change the structure of the output.  Each
 * carries the gwc.dev/source annotation of its origins (origin.c).  Order:
 * by kind (Gateways, ListenerSets, routes, BackendTLSPolicies, gwc
 * policies, grants, ConfigMaps), then namespace and name; inside an
 * object, the order the passes produced, which is itself derived only
 * from the input's content.  A Gateway of the input (--gateway) is
 * carried as written, amended.  Here: the order, and imp_write_output();
 * one object and the queue: write_object.c; each kind: write_gateway.c,
 * write_route.c, write_policy.c.
 */
#include "write_internal.h"

#include "base/doc.h"

#include <string.h>

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
