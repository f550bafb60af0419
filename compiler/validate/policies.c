/*
 * BackendTLSPolicy (gateway-api §11): a policy targets Services (optionally
 * one port, by sectionName = port name) and makes nginx speak TLS to them,
 * verifying the backend with the policy's CA bundle and hostname.  Two
 * policies on the same target and sectionName conflict: the oldest, then
 * "{namespace}/{name}", wins.  Status is reported per ancestor: each of our
 * Gateways through which a route reaches a targeted Service.
 */
#include "validate_internal.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

/* Does an older policy claim the same target and sectionName? */
static const struct backend_tls_policy *
older_claim(struct ctx *x, const struct backend_tls_policy *p,
            const struct policy_target_ref *t)
{
    const struct ptrvec *pv = &x->m->objects[KIND_BACKEND_TLS_POLICY];
    size_t i, j;

    for (i = 0; i < pv->n; i++) {
        const struct backend_tls_policy *q = pv->v[i];
        if (q == p || q->obj.rejected ||
            !str_eq(q->obj.meta.namespace, p->obj.meta.namespace) ||
            object_cmp_age(&q->obj, &p->obj) > 0)
            continue;
        for (j = 0; j < q->n_target_refs; j++) {
            const struct policy_target_ref *u = &q->target_refs[j];
            if (str_eq(u->group, t->group) && str_eq(u->kind, t->kind) &&
                str_eq(u->name, t->name) && str_eq(u->section_name, t->section_name))
                return q;
        }
    }
    return NULL;
}

/* Sets the policy's Accepted/ResolvedRefs from its CA references. */
static void check_ca(struct ctx *x, struct policy_state *ps, struct conditions *cs)
{
    const struct backend_tls_validation *v = &ps->policy->validation;
    const struct object *o = &ps->policy->obj;
    const char *reason = NULL, *msg = NULL;
    size_t i;

    for (i = 0; i < v->n_ca_certificate_refs; i++) {
        const struct local_ref *r = &v->ca_certificate_refs[i];
        const struct config_map *cm;
        const char *problem, *pem;

        if (!str_eq(r->group, "") || !str_eq(r->kind, "ConfigMap")) {
            finding(x, DIAG_POLICY_CA_INVALID, o, r->src,
                    "caCertificateRef to %s '%s' is not supported; use a ConfigMap "
                    "with ca.crt", r->kind, r->name);
            if (!reason) {
                reason = "InvalidKind";
                msg = msgf(x, "unsupported kind %s", r->kind);
            }
            continue;
        }
        cm = (const struct config_map *)model_find(x->m, KIND_CONFIG_MAP,
                                                   o->meta.namespace, r->name);
        problem = !cm ? "does not exist" : ca_config_map_problem(x->c->arena, cm, &pem);
        if (problem) {
            finding(x, DIAG_POLICY_CA_INVALID, o, r->src, "ConfigMap '%s/%s' %s",
                    o->meta.namespace, r->name, problem);
            if (!reason) {
                reason = "InvalidCACertificateRef";
                msg = msgf(x, "ConfigMap %s %s", r->name, problem);
            }
            continue;
        }
        if (!ps->ca_pem)
            ps->ca_pem = pem;
    }
    if (v->n_ca_certificate_refs > 0 && !ps->ca_pem) {
        conditions_set(cs, "Accepted", false, "NoValidCACertificate",
                       "no usable CA certificate");
        ps->accepted = false;
    }
    if (reason)
        conditions_set(cs, "ResolvedRefs", false, reason, msg);
    else
        conditions_set(cs, "ResolvedRefs", true, "ResolvedRefs", "");
}

static bool targets(const struct backend_tls_policy *p, const struct backend *b)
{
    size_t i;

    if (!b->service || !b->port || !str_eq(p->obj.meta.namespace, b->namespace))
        return false;
    for (i = 0; i < p->n_target_refs; i++) {
        const struct policy_target_ref *t = &p->target_refs[i];
        if (str_eq(t->group, "") && str_eq(t->kind, "Service") && str_eq(t->name, b->name) &&
            (!t->section_name || str_eq(t->section_name, b->port->name)))
            return true;
    }
    return false;
}

/* A policy naming the port wins over one for the whole Service. */
static void attach_to_backend(struct policy_state *ps, struct backend *b)
{
    const struct policy_state *cur = b->tls_policy;
    bool specific = false;
    size_t i;

    for (i = 0; i < ps->policy->n_target_refs; i++)
        specific |= ps->policy->target_refs[i].section_name != NULL;
    if (!cur) {
        b->tls_policy = ps;
        return;
    }
    for (i = 0; i < cur->policy->n_target_refs; i++) {
        if (cur->policy->target_refs[i].section_name)
            return;
    }
    if (specific)
        b->tls_policy = ps;
}

static void add_ancestor(struct ctx *x, struct policy_state *ps,
                         struct gateway_state *gs, const struct conditions *cs)
{
    size_t i;

    for (i = 0; i < ps->n_ancestors; i++) {
        if (ps->ancestors[i].gateway == gs)
            return;
    }
    ps->ancestors[ps->n_ancestors].gateway = gs;
    ps->ancestors[ps->n_ancestors++].conditions = *cs;
    (void)x;
}

/* Every backend the policy targets, reached through routes attached to our
 * Gateways: those Gateways are the ancestors. */
static void link_policy(struct ctx *x, struct policy_state *ps,
                        const struct conditions *cs)
{
    size_t r, i, j, k;

    ps->ancestors = ARENA_NEW_ARRAY(x->c->arena, struct policy_ancestor,
                                    x->ctl->n_gateways);
    for (r = 0; r < x->ctl->n_routes; r++) {
        struct route_state *rs = &x->ctl->routes[r];
        bool used = false;

        for (i = 0; i < rs->n_rules; i++) {
            for (j = 0; j < rs->rules[i].n_backends; j++) {
                struct backend *b = &rs->rules[i].backends[j];
                if (targets(ps->policy, b)) {
                    used = true;
                    if (ps->accepted)
                        attach_to_backend(ps, b);
                }
            }
        }
        if (!used)
            continue;
        for (i = 0; i < rs->n_parents; i++) {
            const struct parent_ref *p = rs->parents[i].ref;
            const char *ns = p->namespace ? p->namespace : rs->route->obj.meta.namespace;
            struct gateway_state *gs = NULL;
            if (str_eq(p->kind, "Gateway"))
                gs = find_gateway(x->ctl, ns, p->name);
            else if (str_eq(p->kind, "ListenerSet")) {
                struct listener_set_state *ls = find_listener_set(x->ctl, ns, p->name);
                gs = ls ? ls->parent : NULL;
            }
            for (k = 0; gs && k < ps->n_ancestors; k++) {
                if (ps->ancestors[k].gateway == gs)
                    gs = NULL;
            }
            if (gs)
                add_ancestor(x, ps, gs, cs);
        }
    }
}

void policies_build(struct ctx *x)
{
    const struct ptrvec *pv = &x->m->objects[KIND_BACKEND_TLS_POLICY];
    size_t i, j;

    x->ctl->policies = ARENA_NEW_ARRAY(x->c->arena, struct policy_state, pv->n);
    for (i = 0; i < pv->n; i++) {
        struct backend_tls_policy *p = pv->v[i];
        struct policy_state *ps;
        struct conditions cs = {0};

        if (p->obj.rejected)
            continue;
        ps = &x->ctl->policies[x->ctl->n_policies++];
        ps->policy = p;
        ps->accepted = true;
        conditions_set(&cs, "Accepted", true, "Accepted", "");
        for (j = 0; j < p->n_target_refs; j++) {
            const struct backend_tls_policy *older = older_claim(x, p, &p->target_refs[j]);
            if (older) {
                const char *m = msgf(x, "the older BackendTLSPolicy %s targets the "
                                        "same Service and sectionName", older->obj.nsname);
                conditions_set(&cs, "Accepted", false, "Conflicted", m);
                finding(x, DIAG_POLICY_CONFLICT, &p->obj, p->target_refs[j].src, "%s", m);
                ps->accepted = false;
                break;
            }
        }
        check_ca(x, ps, &cs);
        for (j = 0; x->o->strict_refs && j < p->n_target_refs; j++) {
            const struct policy_target_ref *t = &p->target_refs[j];
            if (str_eq(t->kind, "Service") &&
                !model_find(x->m, KIND_SERVICE, p->obj.meta.namespace, t->name))
                finding(x, DIAG_POLICY_TARGET_NOT_FOUND, &p->obj, t->src,
                        "Service '%s/%s' is not in the input: the policy protects "
                        "nothing", p->obj.meta.namespace, t->name);
        }
        link_policy(x, ps, &cs);
    }
}
