/*
 * Output pieces every provider builds the same way: rules with their
 * backends, and the ReferenceGrants that cross-namespace references need.
 */
#include "import_internal.h"

#include "base/arena.h"

#include <string.h>

struct o_rule *routes_rule_new(struct imp *im, const struct o_match *m, size_t n,
                        const struct o_filters *f, size_t group)
{
    struct o_rule *r = ARENA_NEW(im->a, struct o_rule);

    r->matches = ARENA_NEW_ARRAY(im->a, struct o_match, n ? n : 1);
    if (n)
        memcpy(r->matches, m, n * sizeof(*m));
    r->n_matches = n;
    r->filters = f;
    r->group = group;
    return r;
}

void routes_rule_add_backend(struct imp *im, struct o_rule *r, const struct backend *b,
                      int64_t weight)
{
    struct o_backend *v;

    if (!b->service)
        return;
    v = ARENA_NEW(im->a, struct o_backend);
    v->name = b->service;
    v->namespace = b->namespace;
    v->port = b->port;
    v->weight = weight;
    ptrvec_push(im->a, &r->backends, v);
}

void grant_add(struct imp *im, const char *ns, const char *from_kind,
               const char *from_ns, const char *to_kind, const char *to_name,
               const char *label)
{
    const char *key = arena_printf(im->a, "%s/%s/%s/%s/%s", ns, from_kind,
                                   from_ns, to_kind, to_name);
    struct o_grant *g;

    if (index_get(&im->grant_index, key))
        return;
    g = ARENA_NEW(im->a, struct o_grant);
    g->namespace = ns;
    g->from_kind = from_kind;
    g->from_namespace = from_ns;
    g->to_kind = to_kind;
    g->to_name = to_name;
    g->name = name_claim(im, arena_printf(im->a, "ReferenceGrant/%s", ns),
                         arena_printf(im->a, "%s-%s-%s", from_ns, label, to_name),
                         253);
    ptrvec_push(im->a, &im->grants, g);
    index_put(im->a, &im->grant_index, key, g);
}

static void grant_backend(struct imp *im, const struct o_route *r,
                          const struct o_backend *b, const char *label)
{
    if (b->namespace && !str_eq(b->namespace, r->namespace))
        grant_add(im, b->namespace, kind_name(r->kind), r->namespace, "Service",
                  b->name, label);
}

void grants_for_route(struct imp *im, const struct o_route *r)
{
    size_t i, k;

    for (i = 0; i < r->rules.n; i++) {
        const struct o_rule *rule = r->rules.v[i];
        for (k = 0; k < rule->backends.n; k++)
            grant_backend(im, r, rule->backends.v[k], "backend");
        if (rule->filters && rule->filters->mirror)
            grant_backend(im, r, rule->filters->mirror, "mirror");
    }
}
