/*
 * The gwc policies the Policies became, written: their targets (the rules
 * of the locations with that set), the policies, and a report for every
 * Policy, converted or not referenced.
 */
#include "nic_policy.h"

#include "base/arena.h"
#include "base/compilation.h"


struct targeting {
    struct imp *im;
    const struct o_route *r;
    int which; /* 0: the AccessPolicy of the locations, 1: ClientPolicy, 2: BackendPolicy */
};

static const void *owner_of(void *ctx, const struct o_rule *rule)
{
    const struct targeting *t = ctx;
    const struct nic_loc *l = rule->source;

    if (!l || l->denied || !l->pols)
        return NULL;
    return t->which == 0   ? (const void *)l->pols->access
           : t->which == 1 ? (const void *)l->pols->client
                           : (const void *)l->pols->backend;
}

/* "<owner>-<n>": the route's n-th rule. */
static const char *rule_name(void *ctx, const void *owner, struct o_rule *rule)
{
    const struct targeting *t = ctx;
    const struct nic_gwc *g = owner;
    size_t i;

    for (i = 0; i < t->r->rules.n && t->r->rules.v[i] != rule; i++)
        ;
    return imp_name_claim(t->im,
                          arena_printf(t->im->a, "rule/%s/%s", t->r->namespace,
                                       t->r->name),
                          arena_printf(t->im->a, "%s-%zu", g->owner, i + 1), 253);
}

static void add_target(void *ctx, const void *owner, const struct o_route *r,
                       const char *section)
{
    struct nic_gwc *g = (struct nic_gwc *)owner;

    imp_target_add(((const struct targeting *)ctx)->im, &g->targets, r, section);
}

/* The field of its gwc policy a Policy or setting annotation became. */
static const char *field(const struct nic_policy *np)
{
    return np->kind == NP_ACCESS    ? "spec.clientAddresses"
           : np->kind == NP_BASIC   ? "spec.basicAuth"
           : np->kind == NP_HSTS    ? "spec.hsts"
           : np->kind == NP_SETTING ? nic_setting_infos[np->setting].field
                                    : "spec.requestLimits.rate";
}

static void report(struct imp *im, const struct nic_gwc *g, size_t parts)
{
    size_t i;

    for (i = 0; i < g->from.n; i++) {
        struct nic_policy *np = g->from.v[i];
        imp_report_src(im, &np->src, np->at, DIAG_IMPORT_POLICY,
                       "converted to gwc policy %s %s/%s%s (%s) for %s",
                       g->p.kind, g->p.namespace, g->p.name,
                       parts > 1 ? " and its parts -02, ..." : "", field(np),
                       g->owner);
        if (np->kind != NP_RATE)
            continue;
        if (!np->counted_by)
            np->counted_by = g->p.name;
        else if (!str_eq(np->counted_by, g->p.name))
            imp_report_src(im, &np->src, np->at, DIAG_IMPORT_RATE_LIMIT,
                           "NIC counts this limit once for all paths of %s that "
                           "refer to it; ClientPolicies %s and %s count apart",
                           g->owner, np->counted_by, g->p.name);
    }
}

void nic_policies_write(struct imp *im, size_t first_route)
{
    const struct ptrvec *all = &NIC(im)->gwc_list;
    size_t i, k;

    for (i = first_route; i < im->routes.n; i++) {
        for (k = 0; k < 3; k++) {
            struct targeting t = {im, im->routes.v[i], (int)k};
            const struct rule_owners ro = {owner_of, rule_name, add_target, &t};
            imp_policy_targets(im->routes.v[i], &ro);
        }
    }
    for (i = 0; i < all->n; i++) {
        const struct nic_gwc *g = all->v[i];
        size_t parts = imp_policy_emit(im, &g->p, &g->targets);
        if (parts)
            report(im, g, parts);
        if (parts > 1 && g->p.n_rates)
            imp_report_src(im, &((const struct nic_policy *)g->from.v[0])->src,
                           ((const struct nic_policy *)g->from.v[0])->at,
                           DIAG_IMPORT_RATE_LIMIT,
                           "the paths of %s with these limits need %zu "
                           "ClientPolicies (at most %d targets each), and each "
                           "counts apart",
                           g->owner, parts, MAX_POLICY_TARGETS);
    }
    for (i = 0; i < NIC(im)->crds->n; i++) {
        const struct crd *o = NIC(im)->crds->v[i];
        const struct ynode *klass = ynode_get(o->spec, "ingressClassName");
        struct imp_src src = {o->label, o->root};
        if (!str_eq(o->kind, "Policy"))
            continue;
        if (imp_crd_text(klass) && !str_eq(imp_crd_text(klass), nic_class(im)))
            imp_report_src(im, &src, klass, DIAG_IMPORT_SKIPPED,
                           "ingress class '%s' is not converted", klass->text);
        else if (!imp_index_get(&NIC(im)->policies, o->label))
            imp_report_src(im, &src, ynode_get(o->root, "metadata"), DIAG_IMPORT_IGNORED,
                           "no VirtualServer, VirtualServerRoute or Ingress of the "
                           "input that is converted refers to this Policy; nothing "
                           "to convert");
    }
}
