/*
 * The merge of gwc's policies on the path of a rule: Gateway, ListenerSet,
 * listener, route and named rule, the more specific level winning field by
 * field (ClientPolicy, BackendPolicy); AccessPolicies stack, or fail when
 * nginx cannot stack them.  The levels are found by their target keys,
 * which gwc_policies.c files each policy under.
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/ptrvec.h"

#include <string.h>

const char *ctl_policy_target_key(struct arena *a, const char *kind, const char *ns,
                                  const char *name, const char *section)
{
    return arena_printf(a, "%s\x1f%s\x1f%s\x1f%s", kind, ns, name, section ? section : "");
}

static struct ptrvec *policies_at(const struct controller *ctl, const char *key)
{
    return strhash_get(&ctl->policies_by_target, key);
}

struct levels {
    const char *keys[POLICY_LEVELS];
    size_t n;
};

static void listener_levels(const struct controller *ctl, const struct eff_listener *l,
                            struct arena *a, struct levels *lv)
{
    const struct gateway *g = l->gateway->gw;
    const struct object *owner = ctl_listener_owner(l);

    (void)ctl;
    lv->keys[lv->n++] = ctl_policy_target_key(a, "Gateway", g->obj.meta.namespace, g->obj.meta.name, NULL);
    if (l->set)
        lv->keys[lv->n++] = ctl_policy_target_key(a, "ListenerSet", owner->meta.namespace,
                                                  owner->meta.name, NULL);
    lv->keys[lv->n++] =
        ctl_policy_target_key(a, model_kind_name(owner->kind), owner->meta.namespace,
                              owner->meta.name, l->spec->name);
}

static const struct gwc_policy *winner(const struct ptrvec *v, enum kind k)
{
    size_t i;

    for (i = 0; v && i < v->n; i++) {
        const struct gwc_policy *gp = v->v[i];
        if (gp->obj->kind == k)
            return gp;
    }
    return NULL;
}

static void merge_client(struct policy_effective *e, const struct gwc_policy *gp)
{
    const struct client_policy *p = (const struct client_policy *)gp->obj;
    size_t i;

    if (p->present & CLIENT_GIVEN_ADDRESS_DETECTION)
        e->address_detection = &p->client_address_detection;
    if (p->timeouts.request_body)
        e->body_timeout = p->timeouts.request_body;
    if (p->timeouts.idle)
        e->idle_timeout = p->timeouts.idle;
    if (p->timeouts.send)
        e->send_timeout = p->timeouts.send;
    if (p->request_body.max_size)
        e->max_body_size = p->request_body.max_size;
    for (i = 0; i < p->request_limits.n_rate; i++) {
        struct policy_rate *r = &e->rates[e->n_rates++];
        r->policy = gp;
        r->index = i;
        r->rate = &p->request_limits.rate[i];
    }
    if (p->request_limits.concurrent != INT_UNSET)
        e->concurrent[e->n_concurrent++] = gp;
    /* Taken from the most specific policy that writes it; the CRD's
     * default only stands in when no level does. */
    if ((p->request_limits.present & LIMITS_GIVEN_REJECT_STATUS_CODE) ||
        e->reject_status == INT_UNSET)
        e->reject_status = p->request_limits.reject_status_code;
    if (p->present & CLIENT_GIVEN_HSTS)
        e->hsts = &p->hsts;
    if (p->present & CLIENT_GIVEN_ERROR_RESPONSES) {
        e->errors = p->error_responses;
        e->n_errors = p->n_error_responses;
        e->errors_from = gp;
    }
}

static void merge_backend(struct policy_effective *e, const struct backend_policy *p)
{
    if (p->timeouts.connect)
        e->connect_timeout = p->timeouts.connect;
    if (p->timeouts.send)
        e->backend_send_timeout = p->timeouts.send;
    if (p->timeouts.read)
        e->read_timeout = p->timeouts.read;
    if (p->present & BACKEND_GIVEN_LOAD_BALANCING)
        e->load_balancing = &p->load_balancing;
    if (p->buffering.response != TRI_UNSET)
        e->buffer_response = p->buffering.response;
    if (p->buffering.request != TRI_UNSET)
        e->buffer_request = p->buffering.request;
    if (p->present & BACKEND_GIVEN_KEEPALIVE) {
        const struct upstream_keepalive *k = &p->keepalive;
        e->has_keepalive = true;
        if (k->connections != INT_UNSET)
            e->keepalive.connections = k->connections;
        if (k->requests != INT_UNSET)
            e->keepalive.requests = k->requests;
        if (k->idle_timeout)
            e->keepalive.idle_timeout = k->idle_timeout;
        if (k->max_lifetime)
            e->keepalive.max_lifetime = k->max_lifetime;
    }
    if (p->present & BACKEND_GIVEN_RETRY)
        e->retry = &p->retry;
}

static void merge_access(struct policy_effective *e, const struct ptrvec *v)
{
    size_t i;

    for (i = 0; v && i < v->n; i++) {
        const struct gwc_policy *gp = v->v[i];
        const struct access_policy *p = (const struct access_policy *)gp->obj;
        if (gp->obj->kind != KIND_ACCESS_POLICY)
            continue;
        if (e->n_access == POLICY_LEVELS || !gp->usable ||
            ((p->present & ACCESS_GIVEN_BASIC_AUTH) && e->basic_auth) ||
            ((p->present & ACCESS_GIVEN_EXTERNAL_AUTH) && e->external_auth) ||
            e->satisfy_any ||
            (str_eq(p->satisfy, "Any") && e->n_access))
            e->fail = true;
        if (e->n_access < POLICY_LEVELS)
            e->access[e->n_access++] = gp;
        if (p->present & ACCESS_GIVEN_BASIC_AUTH)
            e->basic_auth = gp;
        if (p->present & ACCESS_GIVEN_EXTERNAL_AUTH)
            e->external_auth = gp;
        e->satisfy_any |= str_eq(p->satisfy, "Any");
    }
}

void ctl_policy_effective(const struct controller *ctl,
                          const struct eff_listener *l,
                          const struct route_state *rs, size_t rule,
                          struct policy_effective *out)
{
    struct arena *a = ctl->policies_by_target.a;
    const struct object *ro = &rs->route->obj;
    const char *name = rs->route->rules[rule].name;
    struct levels lv = {{0}, 0};
    size_t i;

    memset(out, 0, sizeof(*out));
    out->reject_status = INT_UNSET;
    out->keepalive.connections = out->keepalive.requests = INT_UNSET;
    if (!a || ctl->n_gwc_policies == 0)
        return;
    listener_levels(ctl, l, a, &lv);
    lv.keys[lv.n++] = ctl_policy_target_key(a, model_kind_name(ro->kind), ro->meta.namespace,
                                            ro->meta.name, NULL);
    if (name)
        lv.keys[lv.n++] = ctl_policy_target_key(a, model_kind_name(ro->kind),
                                                ro->meta.namespace, ro->meta.name, name);
    for (i = 0; i < lv.n; i++) {
        const struct ptrvec *v = policies_at(ctl, lv.keys[i]);
        const struct gwc_policy *c = winner(v, KIND_CLIENT_POLICY);
        const struct gwc_policy *b = winner(v, KIND_BACKEND_POLICY);
        out->any |= v && v->n;
        if (c) {
            out->fail |= !c->usable;
            merge_client(out, c);
        }
        if (b) {
            out->fail |= !b->usable;
            merge_backend(out, (const struct backend_policy *)b->obj);
        }
        merge_access(out, v);
    }
}

const struct client_address_detection *
ctl_policy_address_detection(const struct controller *ctl,
                             const struct eff_listener *l, const struct object **from)
{
    struct arena *a = ctl->policies_by_target.a;
    const struct client_address_detection *d = NULL;
    struct levels lv = {{0}, 0};
    size_t i;

    if (from)
        *from = NULL;
    if (!a || ctl->n_gwc_policies == 0)
        return NULL;
    listener_levels(ctl, l, a, &lv);
    for (i = 0; i < lv.n; i++) {
        const struct gwc_policy *c = winner(policies_at(ctl, lv.keys[i]), KIND_CLIENT_POLICY);
        if (c && c->usable &&
            (((const struct client_policy *)c->obj)->present &
             CLIENT_GIVEN_ADDRESS_DETECTION)) {
            d = &((const struct client_policy *)c->obj)->client_address_detection;
            if (from)
                *from = c->obj;
        }
    }
    return d;
}
