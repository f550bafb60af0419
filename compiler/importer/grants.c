/*
 * The ReferenceGrants the output needs: one per namespace, referring kind
 * and namespace, and referred object, for a route's backends and mirrors
 * in another namespace and a policy's Secrets and Services.
 */
#include "import_internal.h"

#include "base/arena.h"
#include "base/compilation.h"

void imp_grant_add(struct imp *im, const char *ns, const char *from_kind,
                   const char *from_ns, const char *to_kind, const char *to_name,
                   const char *label)
{
    const char *key = arena_printf(im->a, "%s/%s/%s/%s/%s", ns, from_kind,
                                   from_ns, to_kind, to_name);
    struct o_grant *g;

    if (imp_index_get(&im->grant_index, key))
        return;
    g = ARENA_NEW(im->a, struct o_grant);
    g->namespace = ns;
    g->from_group = str_eq(from_kind, "AccessPolicy") ||
                            str_eq(from_kind, "ClientPolicy") ||
                            str_eq(from_kind, "BackendPolicy")
                        ? GWC_GROUP
                        : GATEWAY_GROUP;
    g->from_kind = from_kind;
    g->from_namespace = from_ns;
    g->to_kind = to_kind;
    g->to_name = to_name;
    g->name = imp_name_claim(
        im, arena_printf(im->a, "ReferenceGrant/%s", ns),
        arena_printf(im->a, "%s-%s-%s", from_ns, label, to_name), 253);
    ptrvec_push(im->a, &im->grants, g);
    imp_index_put(im->a, &im->grant_index, key, g);
}

static void grant_backend(struct imp *im, const struct o_route *r,
                          const struct o_backend *b, const char *label)
{
    if (b->namespace && !str_eq(b->namespace, r->namespace))
        imp_grant_add(im, b->namespace, model_kind_name(r->kind), r->namespace,
                      "Service", b->name, label);
}

void imp_grants_for_route(struct imp *im, const struct o_route *r)
{
    size_t i, k;

    for (i = 0; i < r->rules.n; i++) {
        const struct o_rule *rule = r->rules.v[i];
        if (rule->refused)
            continue; /* written without backends */
        for (k = 0; k < rule->backends.n; k++)
            grant_backend(im, r, rule->backends.v[k], "backend");
        if (rule->filters && rule->filters->mirror)
            grant_backend(im, r, rule->filters->mirror, "mirror");
    }
}

static void grant_ref(struct imp *im, const struct o_gwc_policy *p,
                      const struct o_ref *r, const char *kind, const char *label)
{
    if (r && r->namespace && !str_eq(r->namespace, p->namespace))
        imp_grant_add(im, r->namespace, p->kind, p->namespace, kind, r->name,
                      label);
}

void imp_grants_for_policy(struct imp *im, const struct o_gwc_policy *p)
{
    grant_ref(im, p, p->basic_secret, "Secret", "auth");
    if (p->ext_auth)
        grant_ref(im, p, &p->ext_auth->service, "Service", "auth");
    grant_ref(im, p, p->error_service, "Service", "errors");
}
