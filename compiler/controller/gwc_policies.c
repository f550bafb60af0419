/*
 * ClientPolicy, AccessPolicy and BackendPolicy (docs/policies.md): target
 * resolution, conflicts between policies on one target, what makes a
 * policy unusable, and status ancestors.  Their references:
 * gwc_policy_refs.c; the merge of the five levels on the path of a rule:
 * gwc_policy_merge.c.  A policy affects objects of its own namespace only,
 * so every target key carries the policy's namespace.
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/ptrvec.h"
#include "nginx/quote.h"

#include <string.h>

/* ---- what this gwc does not program yet ---- */

/* The first setting of o that gwc cannot program, as a node and a field
 * name, or NULL. */
static const struct ynode *not_programmed(const struct object *o, const char **what)
{
    if (o->kind == KIND_CLIENT_POLICY) {
        const struct client_policy *p = (const struct client_policy *)o;
        size_t i;
        for (i = 0; i < p->n_error_responses; i++) {
            if (p->error_responses[i].body ||
                (p->error_responses[i].present & ERROR_RESPONSE_GIVEN_BACKEND_REF))
                continue;
            *what = "errorResponses from a ConfigMap";
            return p->error_responses[i].src;
        }
    }
    return NULL;
}

/* Texts nginx must read back exactly (an error page body, a sign-in
 * target): one that cannot be written as one nginx word makes the policy
 * unusable, never a config nginx -t refuses. */
static bool writable(struct ctx *x, const struct object *o)
{
    const char *problem;
    size_t i;

    if (o->kind == KIND_CLIENT_POLICY) {
        const struct client_policy *p = (const struct client_policy *)o;
        for (i = 0; i < p->n_error_responses; i++) {
            const char *body = p->error_responses[i].body;
            if (body && (problem = nginx_quote_problem(body, QUOTE_VALUE))) {
                ctl_finding(x, DIAG_NGINX_UNQUOTABLE, o,
                            ynode_get(p->error_responses[i].src, "body"),
                            "the body %s; the rules this policy covers answer 500",
                            problem);
                return false;
            }
        }
    } else if (o->kind == KIND_ACCESS_POLICY) {
        const struct sign_in *si = &((const struct access_policy *)o)->external_auth.sign_in;
        const char *target = si->url ? si->url : si->path;
        if (target &&
            (problem = nginx_quote_problem(target, QUOTE_VALUE))) {
            ctl_finding(
                x, DIAG_NGINX_UNQUOTABLE, o, si->src,
                "the sign-in target %s; the rules this policy covers answer 500",
                problem);
            return false;
        }
    }
    return true;
}

/* ---- targets ---- */

static bool has_listener(const struct eff_listener *v, size_t n, const char *name)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (str_eq(v[i].spec->name, name))
            return true;
    }
    return false;
}

static bool has_rule(const struct route *r, const char *name)
{
    size_t i;

    for (i = 0; i < r->n_rules; i++) {
        if (str_eq(r->rules[i].name, name))
            return true;
    }
    return false;
}

static void add_ancestor(struct ctx *x, struct gwc_policy *gp, struct gateway_state *gs)
{
    size_t i;

    for (i = 0; i < gp->n_ancestors; i++) {
        if (gp->ancestors[i].gateway == gs)
            return;
    }
    if (gp->n_ancestors == 0)
        gp->ancestors = ARENA_NEW_ARRAY(x->c->arena, struct policy_ancestor,
                                        x->ctl->n_gateways);
    gp->ancestors[gp->n_ancestors++].gateway = gs;
}

/* Finds the target; adds its Gateways as ancestors; NULL or why not. */
static const char *resolve_target(struct ctx *x, struct gwc_policy *gp,
                                  const struct policy_target_ref *t,
                                  const struct strhash *routes)
{
    const char *ns = gp->obj->meta.namespace, *sec = t->section_name;
    size_t i;

    if (str_eq(t->kind, "Gateway")) {
        struct gateway_state *gs = ctl_find_gateway(x, ns, t->name);
        if (!gs)
            return model_find(x->m, KIND_GATEWAY, ns, t->name)
                       ? NULL /* another controller's: not ours to report */
                       : ctl_msgf(x, "Gateway '%s/%s' is not in the input", ns,
                                  t->name);
        if (sec && !has_listener(gs->listeners, gs->n_own, sec))
            return ctl_msgf(x, "Gateway '%s/%s' has no listener '%s'", ns, t->name,
                            sec);
        add_ancestor(x, gp, gs);
    } else if (str_eq(t->kind, "ListenerSet")) {
        struct listener_set_state *ls = ctl_find_listener_set(x, ns, t->name);
        if (!ls)
            return model_find(x->m, KIND_LISTENER_SET, ns, t->name)
                       ? NULL
                       : ctl_msgf(x, "ListenerSet '%s/%s' is not in the input", ns,
                                  t->name);
        if (sec && !has_listener(ls->listeners, ls->n_listeners, sec))
            return ctl_msgf(x, "ListenerSet '%s/%s' has no listener '%s'", ns,
                            t->name, sec);
        if (ls->parent)
            add_ancestor(x, gp, ls->parent);
    } else {
        enum kind k = str_eq(t->kind, "GRPCRoute") ? KIND_GRPC_ROUTE : KIND_HTTP_ROUTE;
        const struct route *r = (const struct route *)model_find(x->m, k, ns, t->name);
        const struct route_state *rs =
            strhash_get(routes, ctl_policy_target_key(x->c->arena, t->kind, ns,
                                                      t->name, NULL));
        if (!r || r->obj.rejected)
            return ctl_msgf(x, "%s '%s/%s' is not in the input", t->kind, ns,
                            t->name);
        if (sec && !has_rule(r, sec))
            return ctl_msgf(x, "%s '%s/%s' has no rule named '%s'", t->kind, ns,
                            t->name, sec);
        for (i = 0; rs && i < rs->n_parents; i++) {
            const struct ptrvec *ls = &rs->parents[i].listeners;
            size_t j;
            for (j = 0; rs->parents[i].accepted && j < ls->n; j++)
                add_ancestor(x, gp, ((struct eff_listener *)ls->v[j])->gateway);
        }
    }
    return NULL;
}

static void index_target(struct ctx *x, struct gwc_policy *gp,
                         const struct policy_target_ref *t, struct conditions *cs,
                         bool *lost)
{
    const char *key = ctl_policy_target_key(x->c->arena, t->kind,
                                            gp->obj->meta.namespace, t->name,
                                            t->section_name);
    struct ptrvec **slot = (struct ptrvec **)strhash_slot(&x->ctl->policies_by_target, key);
    size_t i;

    if (!*slot)
        *slot = ARENA_NEW(x->c->arena, struct ptrvec);
    /* Objects come oldest first (see gwc_policies_build), so an earlier
     * entry of the same kind is the older one, which applies there. */
    for (i = 0; gp->obj->kind != KIND_ACCESS_POLICY && i < (*slot)->n; i++) {
        const struct gwc_policy *q = (*slot)->v[i];
        if (q->obj->kind == gp->obj->kind) {
            const char *m =
                ctl_msgf(x, "the older %s %s targets the same %s '%s'%s%s",
                         model_kind_name(q->obj->kind), q->obj->nsname, t->kind,
                         t->name, t->section_name ? " sectionName " : "",
                         t->section_name ? t->section_name : "");
            ctl_finding(x, DIAG_POLICY_CONFLICT, gp->obj, t->src,
                        "%s; this policy does "
                        "not apply there",
                        m);
            ctl_conditions_set(cs, COND_ACCEPTED, false, REASON_CONFLICTED, m);
            *lost = true;
            return;
        }
    }
    ptrvec_push(x->c->arena, *slot, gp);
}

static int cmp_age(const void *a, const void *b)
{
    return model_object_cmp_age(*(const struct object *const *)a,
                                *(const struct object *const *)b);
}

/* trustedProxies of 0.0.0.0/0 or ::/0 lets every client name itself. */
static void check_trust_all(struct ctx *x, const struct object *o)
{
    const struct client_address_detection *d =
        &((const struct client_policy *)o)->client_address_detection;
    size_t i;

    for (i = 0; i < d->n_trusted_proxies; i++) {
        if (str_eq(d->trusted_proxies[i], "0.0.0.0/0") || str_eq(d->trusted_proxies[i], "::/0"))
            ctl_finding(
                x, DIAG_TRUST_ALL, o, ynode_get(d->src, "trustedProxies"),
                "trustedProxies %s trusts every peer: any client can choose the "
                "address that allow lists and rate limits see; list your proxies",
                d->trusted_proxies[i]);
    }
}

/* Ports with a TLS listener: an HTTPS listener there is served through
 * gwc's stream front, whose PROXY header carries the peer's address. */
struct tls_ports {
    unsigned char bits[65536 / 8];
};

static bool on_tls_port(const struct tls_ports *tp, int64_t port)
{
    return port > 0 && port < 65536 && (tp->bits[port / 8] & (1u << (port % 8)));
}

static void check_detection_ports(struct ctx *x, const struct gwc_policy *gp,
                                  const struct tls_ports *tp)
{
    const struct client_policy *p = (const struct client_policy *)gp->obj;
    const struct client_address_detection *d = &p->client_address_detection;
    size_t i, j;

    if (!str_eq(d->source, "Header"))
        return;
    for (i = 0; i < p->targets.n; i++) {
        const struct policy_target_ref *t = &p->targets.v[i];
        struct gateway_state *gs =
            str_eq(t->kind, "Gateway")
                ? ctl_find_gateway(x, p->obj.meta.namespace, t->name)
                : NULL;
        for (j = 0; gs && j < gs->n_listeners; j++) {
            const struct eff_listener *l = &gs->listeners[j];
            if (l->protocol != PROTO_HTTPS || !on_tls_port(tp, l->port) ||
                (t->section_name && !str_eq(t->section_name, l->spec->name)))
                continue;
            ctl_finding(
                x, DIAG_CLIENT_ADDRESS_CONFLICT, gp->obj,
                ynode_get(d->src, "source"),
                "listener '%s' of Gateway %s shares port %lld with TLS listeners, "
                "so "
                "gwc serves it through its stream front, where a header cannot be "
                "trusted; address lists and rate limits there answer 500",
                l->spec->name, gs->gw->obj.nsname, (long long)l->port);
            return;
        }
    }
}

static void build_one(struct ctx *x, struct gwc_policy *gp, const struct strhash *routes)
{
    const struct policy_targets *ts = model_policy_targets(gp->obj);
    struct conditions cs = {0};
    const char *what = NULL;
    const struct ynode *np = not_programmed(gp->obj, &what);
    size_t i, lost = 0;

    gp->usable = true;
    ctl_conditions_set(&cs, COND_ACCEPTED, true, REASON_ACCEPTED, "");
    if (gp->obj->kind == KIND_ACCESS_POLICY)
        gp->usable = ctl_access_policy_refs(x, gp, &cs);
    if (gp->obj->kind == KIND_CLIENT_POLICY) {
        check_trust_all(x, gp->obj);
        gp->usable = ctl_client_policy_refs(x, gp, &cs);
    }
    if (!writable(x, gp->obj)) {
        ctl_conditions_set(&cs, COND_ACCEPTED, false, REASON_INVALID,
                           "a value nginx cannot read back");
        gp->usable = false;
    }
    if (np) {
        const char *m =
            ctl_msgf(x,
                     "%s is not programmed by this gwc; the rules this policy "
                     "covers answer 500 rather than run without it",
                     what);
        ctl_finding(x, DIAG_POLICY_NOT_PROGRAMMED, gp->obj, np, "%s", m);
        ctl_conditions_set(&cs, COND_ACCEPTED, false, REASON_INVALID, m);
        gp->usable = false;
    }
    gp->missing = ARENA_NEW_ARRAY(x->c->arena, struct policy_missing_target, ts->n);
    for (i = 0; i < ts->n; i++) {
        const struct policy_target_ref *t = &ts->v[i];
        const char *why = resolve_target(x, gp, t, routes);
        bool l = false;
        if (why) {
            ctl_finding(x, DIAG_POLICY_TARGET_NOT_FOUND, gp->obj, t->src,
                        "%s: the policy protects nothing there", why);
            gp->missing[gp->n_missing].ref = t;
            gp->missing[gp->n_missing++].message = why;
            continue;
        }
        index_target(x, gp, t, &cs, &l);
        lost += l;
    }
    if (lost && lost < ts->n)
        ctl_conditions_set(
            &cs, COND_ACCEPTED, true, REASON_ACCEPTED,
            "applies to its targets except those an older policy holds");
    for (i = 0; i < gp->n_ancestors; i++)
        gp->ancestors[i].conditions = cs;
}

/* Reports the AccessPolicies that cannot be stacked on the path of a rule
 * (nginx checks one htpasswd file and one auth_request per location). */
static void check_stacking(struct ctx *x)
{
    struct strhash reported;
    size_t r, p, l, i;

    strhash_init(&reported, x->c->arena);
    for (r = 0; r < x->ctl->n_routes; r++) {
        const struct route_state *rs = &x->ctl->routes[r];
        for (p = 0; p < rs->n_parents; p++) {
            const struct ptrvec *ls = &rs->parents[p].listeners;
            for (l = 0; l < ls->n; l++) {
                for (i = 0; i < rs->n_rules; i++) {
                    struct policy_effective e;
                    const struct gwc_policy *a, *b;
                    size_t k;
                    ctl_policy_effective(x->ctl, ls->v[l], rs, i, &e);
                    for (k = 1; k < e.n_access; k++) {
                        const struct access_policy *pa, *pb;
                        a = e.access[k - 1];
                        b = e.access[k];
                        pa = (const struct access_policy *)a->obj;
                        pb = (const struct access_policy *)b->obj;
                        unsigned both = pa->present & pb->present;
                        const char *m;
                        void **seen;
                        if (!(both & (ACCESS_GIVEN_BASIC_AUTH |
                                      ACCESS_GIVEN_EXTERNAL_AUTH)) &&
                            !str_eq(pa->satisfy, "Any") && !str_eq(pb->satisfy, "Any"))
                            continue;
                        m = ctl_msgf(x, "%s|%s|%s|%zu", a->obj->nsname,
                                     b->obj->nsname, rs->route->obj.nsname, i);
                        seen = strhash_slot(&reported, m);
                        if (*seen)
                            continue;
                        *seen = (void *)m;
                        ctl_finding(
                            x, DIAG_POLICY_CONFLICT, b->obj,
                            both & ACCESS_GIVEN_BASIC_AUTH ? pb->basic_auth.src
                            : both & ACCESS_GIVEN_EXTERNAL_AUTH
                                ? pb->external_auth.src
                                : ynode_get(pb->spec_src, "satisfy"),
                            "AccessPolicy %s and %s both apply to rule '%s' of %s "
                            "and "
                            "cannot be enforced together (one basicAuth, one "
                            "externalAuth, satisfy Any alone); that rule answers "
                            "500",
                            a->obj->nsname, b->obj->nsname,
                            rs->route->rules[i].name ? rs->route->rules[i].name
                                                     : ctl_msgf(x, "%zu", i),
                            model_object_label(x->c, &rs->route->obj));
                    }
                }
            }
        }
    }
}

void ctl_gwc_policies_build(struct ctx *x)
{
    static const enum kind kinds[] = {KIND_CLIENT_POLICY, KIND_ACCESS_POLICY,
                                      KIND_BACKEND_POLICY};
    struct ptrvec all = {0};
    struct strhash routes;
    struct tls_ports *tp;
    size_t i, k;

    strhash_init(&x->ctl->policies_by_target, x->c->arena);
    strhash_init(&routes, x->c->arena);
    for (k = 0; k < ARRAY_SIZE(kinds); k++) {
        const struct ptrvec *pv = &x->m->objects[kinds[k]];
        for (i = 0; i < pv->n; i++) {
            if (!((const struct object *)pv->v[i])->rejected)
                ptrvec_push(x->c->arena, &all, pv->v[i]);
        }
    }
    ptrvec_sort(&all, cmp_age);
    /* The routes by name, for the policies' targets: none to look up
     * without policies (at 10,000 routes the table was 1.9 MB). */
    if (all.n)
        strhash_reserve(&routes, x->ctl->n_routes);
    for (i = 0; all.n && i < x->ctl->n_routes; i++) {
        const struct object *o = &x->ctl->routes[i].route->obj;
        strhash_put(&routes,
                    ctl_policy_target_key(x->c->arena, model_kind_name(o->kind),
                                          o->meta.namespace, o->meta.name, NULL),
                    &x->ctl->routes[i]);
    }
    tp = ARENA_NEW(x->c->arena, struct tls_ports);
    for (i = 0; i < x->ctl->n_gateways; i++) {
        const struct gateway_state *gs = &x->ctl->gateways[i];
        for (k = 0; k < gs->n_listeners; k++) {
            int64_t port = gs->listeners[k].port;
            if (gs->listeners[k].protocol == PROTO_TLS && port > 0 && port < 65536)
                tp->bits[port / 8] |= (unsigned char)(1u << (port % 8));
        }
    }
    x->ctl->gwc_policies = ARENA_NEW_ARRAY(x->c->arena, struct gwc_policy, all.n);
    for (i = 0; i < all.n; i++) {
        struct gwc_policy *gp = &x->ctl->gwc_policies[x->ctl->n_gwc_policies++];
        gp->obj = all.v[i];
        build_one(x, gp, &routes);
        if (gp->obj->kind == KIND_CLIENT_POLICY)
            check_detection_ports(x, gp, tp);
    }
    check_stacking(x);
}
