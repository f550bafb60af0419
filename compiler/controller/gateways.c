/*
 * Gateways: the passes over GatewayClasses, Gateways, ListenerSets and
 * listeners in their order (ctl_gateways_build), and what the Gateway
 * itself decides (addresses, parametersRef, the backend client
 * certificate) and its conditions.  Elsewhere: the lookups by name
 * (gateway_index.c), which Gateways are ours (gateway_classes.c), one
 * listener (listeners.c, listener_tls.c), ListenerSets (listener_sets.c),
 * and the conflicts between listeners on one port, within a Gateway and
 * across Gateways that share an address (conflicts.c, shared_sockets.c;
 * docs/spec-notes.md, "Listeners: validity and conflicts").
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

/* ---- Gateways ---- */

static void gateway_listeners(struct ctx *x, struct gateway_state *gs,
                              const struct ptrvec *sets)
{
    struct gateway *g = gs->gw;
    size_t total = g->n_listeners, i, j, k;

    for (i = 0; i < sets->n; i++)
        total += ((struct listener_set_state *)sets->v[i])->ls->n_listeners;
    gs->listeners = ARENA_NEW_ARRAY(x->c->arena, struct eff_listener, total);
    for (i = 0; i < g->n_listeners; i++)
        ctl_listener_init(x, gs, NULL, &g->listeners[i], &gs->listeners[i]);
    gs->n_own = g->n_listeners;
    k = g->n_listeners;
    for (i = 0; i < sets->n; i++) {
        struct listener_set_state *st = sets->v[i];
        st->listeners = &gs->listeners[k];
        st->n_listeners = st->ls->n_listeners;
        for (j = 0; j < st->ls->n_listeners; j++)
            ctl_listener_init(x, gs, st, &st->ls->listeners[j], &gs->listeners[k++]);
    }
    gs->n_listeners = k;
    for (i = 0; i < gs->n_listeners; i++) {
        gs->listeners[i].order = (uint32_t)i;
        ctl_listener_check(x, &gs->listeners[i]);
    }
    ctl_listener_conflicts(x, gs);
}

static bool address_type_supported(const char *type)
{
    return str_eq(type, "IPAddress");
}

/* spec.addresses: IP addresses are where the Gateway listens.  With
 * --listen-address, compile puts every Gateway on that one address: one it
 * asks for elsewhere is then not where nginx listens, which the compile run
 * reports; the cluster's controller would use it, so status does not
 * change. */
static void gateway_addresses(struct ctx *x, struct gateway_state *gs,
                              enum cond_reason *accepted_reason,
                              const char **message)
{
    const struct gateway *g = gs->gw;
    size_t i;

    for (i = 0; i < g->n_addresses; i++) {
        const struct gateway_address *a = &g->addresses[i];
        if (!address_type_supported(a->type)) {
            ctl_finding(
                x, DIAG_GATEWAY_ADDRESS, &g->obj, a->src,
                "address type '%s' is not supported; gwc listens on IP addresses",
                a->type);
            *accepted_reason = REASON_UNSUPPORTED_ADDRESS;
            *message = ctl_msgf(x, "address type %s is not supported", a->type);
        } else if (a->value && *a->value && x->o->listen_address &&
                   !str_eq(a->value, x->o->listen_address)) {
            ctl_finding(
                x, DIAG_GATEWAY_ADDRESS, &g->obj, a->src,
                "address %s is not where this nginx listens: --listen-address %s "
                "puts every Gateway on that address (drop --listen-address to "
                "listen on the Gateways' own addresses)",
                a->value, x->o->listen_address);
        }
    }
}

/* spec.infrastructure.parametersRef: gwc takes no parameters, so a reference
 * is only acceptable when it names an existing ConfigMap (ignored). */
static const char *gateway_parameters(struct ctx *x, struct gateway_state *gs)
{
    const struct local_ref *p = &gs->gw->infrastructure.parameters_ref;

    const char *ns = gs->gw->obj.meta.namespace, *hint = "";

    if (!(gs->gw->infrastructure.present & INFRA_GIVEN_PARAMETERS_REF))
        return NULL;
    if (str_eq(p->group, "") && str_eq(p->kind, "ConfigMap")) {
        if (model_find(x->m, KIND_CONFIG_MAP, ns, p->name) ||
            ctl_assume_exists(x, &gs->gw->obj, p->src, KIND_CONFIG_MAP, ns, p->name,
                              "gwc takes no parameters from it"))
            return NULL;
        hint = ctl_name_suggestion(x, KIND_CONFIG_MAP, ns, p->name);
    }
    ctl_finding(x, DIAG_GATEWAY_PARAMETERS, &gs->gw->obj, p->src,
                "infrastructure.parametersRef to %s '%s' cannot be resolved%s",
                p->kind, p->name, hint);
    return ctl_msgf(x, "parametersRef %s %s cannot be resolved", p->kind, p->name);
}

/* spec.tls.backend.clientCertificateRef: the certificate nginx presents to
 * TLS backends. */
static void gateway_client_certificate(struct ctx *x, struct gateway_state *gs)
{
    const struct secret_ref *r = &gs->gw->tls.backend.client_certificate_ref;
    const struct gateway *g = gs->gw;
    const char *ns, *problem = NULL, *hint = "";
    enum cond_reason reason = REASON_INVALID_CLIENT_CERTIFICATE_REF;
    const struct secret *s;
    struct certificate cert;

    if (!(g->tls.backend.present & BACKEND_TLS_GIVEN_CLIENT_CERTIFICATE_REF)) {
        ctl_conditions_set(&gs->conditions, COND_RESOLVED_REFS, true,
                           REASON_RESOLVED_REFS, "");
        return;
    }
    ns = r->namespace ? r->namespace : g->obj.meta.namespace;
    if (!str_eq(r->group, "") || !str_eq(r->kind, "Secret")) {
        problem = ctl_msgf(x, "clientCertificateRef to %s/%s is not supported",
                           *r->group ? r->group : "core", r->kind);
    } else if (!ctl_grant_allows(x, "Gateway", g->obj.meta.namespace, "", "Secret",
                                 ns, r->name)) {
        reason = REASON_REF_NOT_PERMITTED;
        problem = ctl_msgf(x, "Secret %s/%s needs a ReferenceGrant", ns, r->name);
    } else if (!(s = (const struct secret *)model_find(x->m, KIND_SECRET, ns,
                                                       r->name))) {
        if (ctl_assume_exists(x, &g->obj, r->src, KIND_SECRET, ns, r->name,
                              SECRET_MOUNTED)) {
            ctl_mounted_certificate(&cert, ns, r->name);
        } else {
            problem = ctl_msgf(x, "Secret %s/%s is not in the input", ns, r->name);
            hint = ctl_name_suggestion(x, KIND_SECRET, ns, r->name);
        }
    } else if ((problem = ctl_tls_secret_problem(x->c->arena, s, &cert)) != NULL) {
        problem = ctl_msgf(x, "Secret %s/%s %s", ns, r->name, problem);
    }
    if (!problem) {
        gs->backend_client_cert = ARENA_NEW(x->c->arena, struct certificate);
        *gs->backend_client_cert = cert;
        ctl_conditions_set(&gs->conditions, COND_RESOLVED_REFS, true,
                           REASON_RESOLVED_REFS, "");
        return;
    }
    ctl_finding(x,
                reason == REASON_REF_NOT_PERMITTED ? DIAG_REF_NOT_PERMITTED
                                                   : DIAG_CERT_REF_INVALID,
                &g->obj, r->src, "%s%s", problem, hint);
    ctl_conditions_set(&gs->conditions, COND_RESOLVED_REFS, false, reason, problem);
}

static bool insecure_fallback(const struct gateway *g)
{
    size_t i;

    if (g->tls.frontend.default_.validation.mode ==
        FRONTEND_ALLOW_INSECURE_FALLBACK)
        return true;
    for (i = 0; i < g->tls.frontend.n_per_port; i++) {
        if (g->tls.frontend.per_port[i].tls.validation.mode ==
            FRONTEND_ALLOW_INSECURE_FALLBACK)
            return true;
    }
    return false;
}

/* What the Gateway itself (not its listeners) decides about its status. */
struct gateway_verdict {
    enum cond_reason accepted_reason; /* Accepted=False, or REASON_NONE */
    const char *message;
};

/*
 * Accepted is "valid enough to produce some configuration in the data
 * plane" (gateway_types.go): a Gateway refused for its addresses or its
 * parametersRef produces none, so none of its listeners, nor those of its
 * ListenerSets, is programmed.
 */
static void gateway_verdict(struct ctx *x, struct gateway_state *gs,
                            struct gateway_verdict *v)
{
    const char *params, *msg;
    size_t i;

    gateway_addresses(x, gs, &v->accepted_reason, &v->message);
    if (v->accepted_reason == REASON_NONE &&
        (params = gateway_parameters(x, gs)) != NULL) {
        v->accepted_reason = REASON_INVALID_PARAMETERS;
        v->message = params;
    }
    gs->accepted = v->accepted_reason == REASON_NONE;
    if (gs->accepted)
        return;
    msg = ctl_msgf(x, "the Gateway is not accepted: %s", v->message);
    for (i = 0; i < gs->n_listeners; i++) {
        struct eff_listener *l = &gs->listeners[i];
        if (!l->valid)
            continue;
        l->valid = false;
        ctl_conditions_set(&l->conditions, COND_PROGRAMMED, false, REASON_INVALID,
                           msg);
    }
}

static void gateway_conditions(struct ctx *x, struct gateway_state *gs,
                               const struct gateway_verdict *v)
{
    size_t i, valid = 0;

    for (i = 0; i < gs->n_own; i++)
        valid += gs->listeners[i].valid;
    if (v->accepted_reason != REASON_NONE) {
        ctl_conditions_set(&gs->conditions, COND_ACCEPTED, false,
                           v->accepted_reason, v->message);
        ctl_conditions_set(&gs->conditions, COND_PROGRAMMED, false, REASON_INVALID,
                           v->message);
    } else {
        bool all_valid = valid == gs->n_own;
        const char *lmsg = all_valid ? "" : "some listeners are not valid";
        ctl_conditions_set(&gs->conditions, COND_ACCEPTED, valid > 0,
                           all_valid ? REASON_ACCEPTED : REASON_LISTENERS_NOT_VALID,
                           lmsg);
        if (valid > 0)
            ctl_conditions_set(&gs->conditions, COND_PROGRAMMED, true,
                               REASON_PROGRAMMED, "");
        else
            ctl_conditions_set(&gs->conditions, COND_PROGRAMMED, false,
                               REASON_INVALID, "no listener can be programmed");
    }
    gateway_client_certificate(x, gs);
    if (insecure_fallback(gs->gw))
        ctl_conditions_set(
            &gs->conditions, COND_INSECURE_FRONTEND_VALIDATION, true,
            REASON_CONFIGURATION_CHANGED,
            "client certificate validation allows insecure fallback");
}

void ctl_gateways_build(struct ctx *x)
{
    const struct ptrvec *pv = &x->m->objects[KIND_GATEWAY];
    struct gateway_verdict *verdicts;
    struct ptrvec *sets; /* per Gateway: its accepted ListenerSets, oldest first */
    size_t i;

    ctl_classes_build(x);
    ctl_gateway_selection_check(x);
    x->ctl->gateways = ARENA_NEW_ARRAY(x->c->arena, struct gateway_state, pv->n);
    strhash_init(&x->gateways, x->c->arena);
    for (i = 0; i < pv->n; i++) {
        struct gateway *g = pv->v[i];
        if (ctl_gateway_is_ours(x, g)) {
            struct gateway_state *gs = &x->ctl->gateways[x->ctl->n_gateways++];
            gs->gw = g;
            ctl_index_object(x, &x->gateways, &g->obj, gs);
        }
    }
    ctl_listener_sets_collect(x);
    sets = ARENA_NEW_ARRAY(x->c->arena, struct ptrvec, x->ctl->n_gateways + 1);
    for (i = 0; i < x->ctl->n_listener_sets; i++) {
        struct listener_set_state *st = &x->ctl->listener_sets[i];
        if (st->accepted)
            ptrvec_push(x->c->arena, &sets[st->parent - x->ctl->gateways], st);
    }
    for (i = 0; i < x->ctl->n_gateways; i++)
        gateway_listeners(x, &x->ctl->gateways[i], &sets[i]);
    verdicts = ARENA_NEW_ARRAY(x->c->arena, struct gateway_verdict, x->ctl->n_gateways);
    for (i = 0; i < x->ctl->n_gateways; i++)
        gateway_verdict(x, &x->ctl->gateways[i], &verdicts[i]);
    ctl_shared_addresses(x);
    for (i = 0; i < x->ctl->n_listener_sets; i++) {
        struct listener_set_state *st = &x->ctl->listener_sets[i];
        ctl_listener_set_conditions(x, st);
        if (st->accepted)
            st->parent->attached_listener_sets++;
    }
    for (i = 0; i < x->ctl->n_gateways; i++)
        gateway_conditions(x, &x->ctl->gateways[i], &verdicts[i]);
    if (x->o->one_nginx)
        ctl_shared_nginx(x);
}
