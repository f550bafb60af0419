/*
 * BackendTLSPolicy (docs/spec-notes.md, "BackendTLSPolicy"): a policy targets Services (optionally
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

/* What makes a CA reference unusable, or NULL (then *pem is its bundle,
 * NULL for a ConfigMap assumed to exist in the cluster and read where its
 * volume is mounted); *reason is the ResolvedRefs reason the spec gives the
 * problem. */
static const char *ca_ref_problem(struct ctx *x, const struct object *o,
                                  const struct local_ref *r, const char **pem,
                                  const char **reason)
{
    const char *ns = o->meta.namespace;
    const struct config_map *cm;
    const char *problem;

    if (!str_eq(r->group, "") || !str_eq(r->kind, "ConfigMap")) {
        *reason = "InvalidKind";
        return msgf(x, "is of kind %s, which gwc does not support (use a ConfigMap "
                       "with ca.crt)", r->kind);
    }
    cm = (const struct config_map *)model_find(x->m, KIND_CONFIG_MAP, ns, r->name);
    if (!cm && assume_exists(x, o, r->src, KIND_CONFIG_MAP, ns, r->name, CONFIG_MAP_MOUNTED))
        return NULL;
    problem = !cm ? "is not in the input" : ca_config_map_problem(x->c->arena, cm, pem);
    *reason = "InvalidCACertificateRef";
    return problem ? msgf(x, "ConfigMap '%s/%s' %s%s", ns, r->name, problem,
                          cm ? "" : name_suggestion(x, KIND_CONFIG_MAP, ns, r->name))
                   : NULL;
}

/*
 * Sets the policy's Accepted/ResolvedRefs from its CA references
 * (BackendTLSPolicyValidation).  A policy left without a usable CA still
 * applies to its targets (link_policy), whose requests then get 500.
 */
static void check_ca(struct ctx *x, struct policy_state *ps, struct conditions *cs)
{
    static const char fails[] = "; no CA of the policy is usable, so connections to the "
                                "Services it targets fail (HTTP requests get 500)";
    const struct backend_tls_validation *v = &ps->policy->validation;
    const struct object *o = &ps->policy->obj;
    const char *reason = NULL, *msg = NULL, **problems;
    size_t i, n = v->n_ca_certificate_refs;

    problems = ARENA_NEW_ARRAY(x->c->arena, const char *, n);
    for (i = 0; i < n; i++) {
        const char *pem = NULL, *why;
        problems[i] = ca_ref_problem(x, o, &v->ca_certificate_refs[i], &pem, &why);
        if (problems[i] && !reason) {
            reason = why;
            msg = msgf(x, "caCertificateRefs[%zu] %s", i, problems[i]);
        }
        /* nginx verifies with one CA file: the first usable bundle. */
        if (!problems[i] && !ps->ca) {
            struct ca_bundle *ca = ARENA_NEW(x->c->arena, struct ca_bundle);
            ca->namespace = o->meta.namespace;
            ca->name = v->ca_certificate_refs[i].name;
            ca->pem = pem;
            ps->ca = ca;
        }
    }
    for (i = 0; i < n; i++) {
        if (problems[i])
            finding(x, DIAG_POLICY_CA_INVALID, o, v->ca_certificate_refs[i].src,
                    "caCertificateRef %s%s", problems[i], ps->ca ? "" : fails);
    }
    if (n > 0 && !ps->ca) {
        conditions_set(cs, "Accepted", false, "NoValidCACertificate",
                       "no usable CA certificate");
        ps->accepted = false;
    }
    /* An implementation-defined set gwc does not know must not fall back
     * to trusting the system's. */
    if (v->well_known_ca_certificates && *v->well_known_ca_certificates &&
        !str_eq(v->well_known_ca_certificates, "System")) {
        const char *m = msgf(x, "wellKnownCACertificates '%s' is not a set gwc knows "
                                "(only System)", v->well_known_ca_certificates);
        finding(x, DIAG_POLICY_CA_INVALID, o, ynode_get(v->src, "wellKnownCACertificates"),
                "%s%s", m, fails);
        conditions_set(cs, "Accepted", false, "Invalid", m);
        ps->accepted = false;
    }
    if (reason)
        conditions_set(cs, "ResolvedRefs", false, reason, msg);
    else
        conditions_set(cs, "ResolvedRefs", true, "ResolvedRefs", "");
}

/* A Service absent from the input is reached by DNS all the same, so a
 * policy naming it applies; which port its sectionName names cannot be
 * known then, and the policy applies to all of them: TLS to a port that
 * may not want it fails, cleartext to one that needs TLS would not. */
static bool targets(const struct backend_tls_policy *p, const struct backend *b)
{
    size_t i;

    if (b->status == BACKEND_INVALID || !str_eq(p->obj.meta.namespace, b->namespace))
        return false;
    for (i = 0; i < p->n_target_refs; i++) {
        const struct policy_target_ref *t = &p->target_refs[i];
        if (str_eq(t->group, "") && str_eq(t->kind, "Service") && str_eq(t->name, b->name) &&
            (!t->section_name || !b->service || str_eq(t->section_name, b->port->name)))
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

/* Attaches the policy to those of the backends it targets; are there any? */
static bool link_backends(struct policy_state *ps, struct backend *v, size_t n)
{
    bool used = false;
    size_t i;

    for (i = 0; i < n; i++) {
        if (!targets(ps->policy, &v[i]))
            continue;
        used = true;
        if (!ps->conflicted)
            attach_to_backend(ps, &v[i]);
    }
    return used;
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
 * Gateways: those Gateways are the ancestors.  A policy that wins its
 * targets applies even when it is not accepted for want of a usable CA:
 * connections under it must fail (5xx), never go out in cleartext
 * (BackendTLSPolicyValidation.CACertificateRefs). */
static void link_policy(struct ctx *x, struct policy_state *ps,
                        const struct conditions *cs)
{
    size_t r, i, k;

    ps->ancestors = ARENA_NEW_ARRAY(x->c->arena, struct policy_ancestor,
                                    x->ctl->n_gateways);
    for (r = 0; r < x->ctl->n_routes; r++) {
        struct route_state *rs = &x->ctl->routes[r];
        bool used = false;

        for (i = 0; i < rs->n_rules; i++) {
            used |= link_backends(ps, rs->rules[i].backends, rs->rules[i].n_backends);
            used |= link_backends(ps, rs->rules[i].mirrors, rs->rules[i].n_mirrors);
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
                ps->conflicted = true;
                break;
            }
        }
        check_ca(x, ps, &cs);
        for (j = 0; j < p->n_target_refs; j++) {
            const struct policy_target_ref *t = &p->target_refs[j];
            const char *ns = p->obj.meta.namespace;
            if (!str_eq(t->kind, "Service") || model_find(x->m, KIND_SERVICE, ns, t->name) ||
                assume_exists(x, &p->obj, t->src, KIND_SERVICE, ns, t->name,
                              t->section_name
                                  ? "its ports are unknown, so the policy applies to "
                                    "every port of it that routes use"
                                  : "routes to it are resolved by DNS at run time"))
                continue;
            finding(x, DIAG_POLICY_TARGET_NOT_FOUND, &p->obj, t->src,
                    "Service '%s/%s' is not in the input: the policy protects "
                    "nothing%s", ns, t->name, name_suggestion(x, KIND_SERVICE, ns, t->name));
        }
        link_policy(x, ps, &cs);
    }
}
