/*
 * BackendTLSPolicy (docs/spec-notes.md, "BackendTLSPolicy"): a policy targets Services (optionally
 * one port, by sectionName = port name) and makes nginx speak TLS to them,
 * verifying the backend with the policy's CA bundle and hostname.  Two
 * policies on the same target and sectionName conflict: the oldest, then
 * "{namespace}/{name}", wins.  Status is reported per ancestor: each of our
 * Gateways through which a route reaches a targeted Service.
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"

#include <string.h>

/* The policies (not rejected, in nsname order) that claim one target. */
static const char *claim_key(struct ctx *x, const struct backend_tls_policy *p,
                             const struct policy_target_ref *t)
{
    const char *parts[] = {p->obj.meta.namespace, t->group, t->kind, t->name,
                           t->section_name};

    return strhash_key(x->c->arena, NULL, 0, parts, ARRAY_SIZE(parts));
}

/* The oldest other policy claiming the same target and sectionName, when
 * it is older than p (claims holds each target's oldest claimant). */
static const struct backend_tls_policy *
older_claim(struct ctx *x, const struct strhash *claims,
            const struct backend_tls_policy *p, const struct policy_target_ref *t)
{
    const struct backend_tls_policy *q = strhash_get(claims, claim_key(x, p, t));

    return q && q != p && model_object_cmp_age(&q->obj, &p->obj) <= 0 ? q : NULL;
}

static void index_claims(struct ctx *x, struct strhash *claims)
{
    const struct ptrvec *pv = &x->m->objects[KIND_BACKEND_TLS_POLICY];
    size_t i, j;

    strhash_init(claims, x->c->arena);
    for (i = 0; i < pv->n; i++) {
        const struct backend_tls_policy *p = pv->v[i];
        for (j = 0; !p->obj.rejected && j < p->n_target_refs; j++) {
            void **slot = strhash_slot(claims, claim_key(x, p, &p->target_refs[j]));
            if (!*slot || model_object_cmp_age(&p->obj, *slot) < 0)
                *slot = (void *)p;
        }
    }
}

/* What makes a CA reference unusable, or NULL (then *pem is its bundle,
 * NULL for a ConfigMap assumed to exist in the cluster and read where its
 * volume is mounted); *reason is the ResolvedRefs reason the spec gives the
 * problem. */
static const char *ca_ref_problem(struct ctx *x, const struct object *o,
                                  const struct local_ref *r, const char **pem,
                                  enum cond_reason *reason)
{
    const char *ns = o->meta.namespace;
    const struct config_map *cm;
    const char *problem;

    if (!str_eq(r->group, "") || !str_eq(r->kind, "ConfigMap")) {
        *reason = REASON_INVALID_KIND;
        return ctl_msgf(
            x,
            "is of kind %s, which gwc does not support (use a ConfigMap "
            "with ca.crt)",
            r->kind);
    }
    cm = (const struct config_map *)model_find(x->m, KIND_CONFIG_MAP, ns, r->name);
    if (!cm && ctl_assume_exists(x, o, r->src, KIND_CONFIG_MAP, ns, r->name,
                                 CONFIG_MAP_MOUNTED))
        return NULL;
    problem = !cm ? "is not in the input"
                  : ctl_ca_config_map_problem(x->c->arena, cm, pem);
    *reason = REASON_INVALID_CA_CERTIFICATE_REF;
    return problem
               ? ctl_msgf(x, "ConfigMap '%s/%s' %s%s", ns, r->name, problem,
                          cm ? ""
                             : ctl_name_suggestion(x, KIND_CONFIG_MAP, ns, r->name))
               : NULL;
}

/*
 * Sets the policy's Accepted/ResolvedRefs from its CA references
 * (BackendTLSPolicyValidation).  A policy left without a usable CA still
 * applies to its targets (link_backends), whose requests then get 500.
 */
static void check_ca(struct ctx *x, struct policy_state *ps, struct conditions *cs)
{
    static const char fails[] = "; no CA of the policy is usable, so connections to the "
                                "Services it targets fail (HTTP requests get 500)";
    const struct backend_tls_validation *v = &ps->policy->validation;
    const struct object *o = &ps->policy->obj;
    enum cond_reason reason = REASON_NONE;
    const char *msg = NULL, **problems;
    size_t i, n = v->n_ca_certificate_refs;

    problems = ARENA_NEW_ARRAY(x->c->arena, const char *, n);
    for (i = 0; i < n; i++) {
        const char *pem = NULL;
        enum cond_reason why;
        problems[i] = ca_ref_problem(x, o, &v->ca_certificate_refs[i], &pem, &why);
        if (problems[i] && reason == REASON_NONE) {
            reason = why;
            msg = ctl_msgf(x, "caCertificateRefs[%zu] %s", i, problems[i]);
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
            ctl_finding(x, DIAG_POLICY_CA_INVALID, o, v->ca_certificate_refs[i].src,
                        "caCertificateRef %s%s", problems[i], ps->ca ? "" : fails);
    }
    if (n > 0 && !ps->ca) {
        ctl_conditions_set(cs, COND_ACCEPTED, false, REASON_NO_VALID_CA_CERTIFICATE,
                           "no usable CA certificate");
        ps->accepted = false;
    }
    /* An implementation-defined set gwc does not know must not fall back
     * to trusting the system's. */
    if (v->well_known_ca_certificates && *v->well_known_ca_certificates &&
        !str_eq(v->well_known_ca_certificates, "System")) {
        const char *m =
            ctl_msgf(x,
                     "wellKnownCACertificates '%s' is not a set gwc knows "
                     "(only System)",
                     v->well_known_ca_certificates);
        ctl_finding(x, DIAG_POLICY_CA_INVALID, o,
                    ynode_get(v->src, "wellKnownCACertificates"), "%s%s", m, fails);
        ctl_conditions_set(cs, COND_ACCEPTED, false, REASON_INVALID, m);
        ps->accepted = false;
    }
    if (reason != REASON_NONE)
        ctl_conditions_set(cs, COND_RESOLVED_REFS, false, reason, msg);
    else
        ctl_conditions_set(cs, COND_RESOLVED_REFS, true, REASON_RESOLVED_REFS, "");
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

/* The policies that may target a Service: by namespace and name. */
static void index_targets(struct ctx *x, struct strhash *by_service)
{
    size_t i, j;

    strhash_init(by_service, x->c->arena);
    for (i = 0; i < x->ctl->n_policies; i++) {
        struct policy_state *ps = &x->ctl->policies[i];
        const struct backend_tls_policy *p = ps->policy;
        for (j = 0; j < p->n_target_refs; j++) {
            const char *parts[] = {p->obj.meta.namespace, p->target_refs[j].name};
            struct ptrvec **v;
            if (!str_eq(p->target_refs[j].group, "") ||
                !str_eq(p->target_refs[j].kind, "Service"))
                continue;
            v = (struct ptrvec **)strhash_slot(
                by_service, strhash_key(x->c->arena, NULL, 0, parts, 2));
            if (!*v)
                *v = ARENA_NEW(x->c->arena, struct ptrvec);
            if (!(*v)->n || (*v)->v[(*v)->n - 1] != ps)
                ptrvec_push(x->c->arena, *v, ps);
        }
    }
}

/* The Gateway a route's parentRef reaches, if it is ours. */
static struct gateway_state *parent_gateway(struct ctx *x, const struct route_state *rs,
                                            const struct parent_ref *p)
{
    const char *ns = p->namespace ? p->namespace : rs->route->obj.meta.namespace;

    if (str_eq(p->kind, "Gateway"))
        return ctl_find_gateway(x, ns, p->name);
    if (str_eq(p->kind, "ListenerSet")) {
        struct listener_set_state *ls = ctl_find_listener_set(x, ns, p->name);
        return ls ? ls->parent : NULL;
    }
    return NULL;
}

/* Linking one route's backends to the policies that target them. */
struct link {
    struct strhash by_service; /* index_targets() */
    struct ptrvec used;        /* the policies the route reaches, once each */
    size_t *last;              /* per policy: 1 + the route that last used it */
    size_t route;
};

/* Attaches the policies targeting each backend (attach_to_backend() decides
 * between them) and notes them as used by the route.  A
 * policy that wins its targets applies even when it is not accepted for
 * want of a usable CA: connections under it must fail (5xx), never go out
 * in cleartext (BackendTLSPolicyValidation.CACertificateRefs). */
static void link_backends(struct ctx *x, struct link *l, struct backend *v, size_t n)
{
    size_t i, k;

    for (i = 0; i < n; i++) {
        const char *parts[] = {v[i].namespace, v[i].name};
        char buf[320];
        const struct ptrvec *ps_of;

        if (v[i].status == BACKEND_INVALID)
            continue;
        ps_of = strhash_get(&l->by_service,
                            strhash_key(x->c->arena, buf, sizeof(buf), parts, 2));
        for (k = 0; ps_of && k < ps_of->n; k++) {
            struct policy_state *ps = ps_of->v[k];
            size_t at = (size_t)(ps - x->ctl->policies);
            if (!targets(ps->policy, &v[i]))
                continue;
            if (l->last[at] != l->route + 1) {
                l->last[at] = l->route + 1;
                ptrvec_push(x->c->arena, &l->used, ps);
            }
            if (!ps->conflicted)
                attach_to_backend(ps, &v[i]);
        }
    }
}

/*
 * Every backend a policy targets, reached through routes attached to our
 * Gateways: those Gateways are the policy's ancestors, in route order.
 * Policies reach a backend in policy order.
 */
static void link_policies(struct ctx *x, const struct conditions *cs)
{
    struct link l = {0};
    size_t i, k;

    index_targets(x, &l.by_service);
    l.last = ARENA_NEW_ARRAY(x->c->arena, size_t, x->ctl->n_policies + 1);
    for (l.route = 0; l.route < x->ctl->n_routes; l.route++) {
        struct route_state *rs = &x->ctl->routes[l.route];

        l.used.n = 0;
        for (i = 0; i < rs->n_rules; i++) {
            link_backends(x, &l, rs->rules[i].backends, rs->rules[i].n_backends);
            link_backends(x, &l, rs->rules[i].mirrors, rs->rules[i].n_mirrors);
        }
        for (k = 0; k < l.used.n; k++) {
            struct policy_state *ps = l.used.v[k];
            for (i = 0; i < rs->n_parents; i++) {
                struct gateway_state *gs = parent_gateway(x, rs, rs->parents[i].ref);
                if (gs)
                    add_ancestor(x, ps, gs, &cs[ps - x->ctl->policies]);
            }
        }
    }
}

void ctl_policies_build(struct ctx *x)
{
    const struct ptrvec *pv = &x->m->objects[KIND_BACKEND_TLS_POLICY];
    struct conditions *cs = ARENA_NEW_ARRAY(x->c->arena, struct conditions, pv->n + 1);
    struct strhash claims;
    size_t i, j;

    index_claims(x, &claims);
    x->ctl->policies = ARENA_NEW_ARRAY(x->c->arena, struct policy_state, pv->n);
    for (i = 0; i < pv->n; i++) {
        struct backend_tls_policy *p = pv->v[i];
        struct conditions *c = &cs[x->ctl->n_policies];
        struct policy_state *ps;

        if (p->obj.rejected)
            continue;
        ps = &x->ctl->policies[x->ctl->n_policies++];
        ps->policy = p;
        ps->accepted = true;
        ps->ancestors = ARENA_NEW_ARRAY(x->c->arena, struct policy_ancestor,
                                        x->ctl->n_gateways);
        ctl_conditions_set(c, COND_ACCEPTED, true, REASON_ACCEPTED, "");
        for (j = 0; j < p->n_target_refs; j++) {
            const struct backend_tls_policy *older =
                older_claim(x, &claims, p, &p->target_refs[j]);
            if (older) {
                const char *m =
                    ctl_msgf(x,
                             "the older BackendTLSPolicy %s targets the "
                             "same Service and sectionName",
                             older->obj.nsname);
                ctl_conditions_set(c, COND_ACCEPTED, false, REASON_CONFLICTED, m);
                ctl_finding(x, DIAG_POLICY_CONFLICT, &p->obj, p->target_refs[j].src,
                            "%s", m);
                ps->accepted = false;
                ps->conflicted = true;
                break;
            }
        }
        check_ca(x, ps, c);
        for (j = 0; j < p->n_target_refs; j++) {
            const struct policy_target_ref *t = &p->target_refs[j];
            const char *ns = p->obj.meta.namespace;
            if (!str_eq(t->kind, "Service") ||
                model_find(x->m, KIND_SERVICE, ns, t->name) ||
                ctl_assume_exists(
                    x, &p->obj, t->src, KIND_SERVICE, ns, t->name,
                    t->section_name
                        ? "its ports are unknown, so the policy applies to "
                          "every port of it that routes use"
                        : "routes to it are resolved by DNS at run time"))
                continue;
            ctl_finding(x, DIAG_POLICY_TARGET_NOT_FOUND, &p->obj, t->src,
                        "Service '%s/%s' is not in the input: the policy protects "
                        "nothing%s",
                        ns, t->name,
                        ctl_name_suggestion(x, KIND_SERVICE, ns, t->name));
        }
    }
    link_policies(x, cs);
}
