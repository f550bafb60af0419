/*
 * One listener on its own: its protocol, the route kinds it serves, its
 * TLS material (listener_tls.c) and the conditions that follow; conflicts
 * with other listeners are conflicts.c's.
 */
#include "controller_internal.h"

#include "base/array.h"

#include <string.h>

static enum protocol parse_protocol(const char *p)
{
    static const struct {
        const char *name;
        enum protocol proto;
    } names[] = {{"HTTP", PROTO_HTTP}, {"HTTPS", PROTO_HTTPS}, {"TLS", PROTO_TLS},
                 {"TCP", PROTO_TCP},   {"UDP", PROTO_UDP}};
    size_t i;

    for (i = 0; i < ARRAY_SIZE(names); i++) {
        if (str_eq(p, names[i].name))
            return names[i].proto;
    }
    return PROTO_OTHER;
}

static void default_kinds(struct eff_listener *l, enum kind *kinds, size_t *n)
{
    static const struct {
        size_t n;
        enum kind v[2];
    } by_protocol[] = {
        [PROTO_HTTP] = {2, {KIND_HTTP_ROUTE, KIND_GRPC_ROUTE}},
        [PROTO_HTTPS] = {2, {KIND_HTTP_ROUTE, KIND_GRPC_ROUTE}},
        [PROTO_TLS] = {1, {KIND_TLS_ROUTE}},
        [PROTO_TCP] = {1, {KIND_TCP_ROUTE}},
        [PROTO_UDP] = {1, {KIND_UDP_ROUTE}},
        [PROTO_OTHER] = {0, {0}},
    };
    size_t i;

    *n = by_protocol[l->protocol].n;
    for (i = 0; i < *n; i++)
        kinds[i] = by_protocol[l->protocol].v[i];
}

/* supportedKinds: the protocol's kinds, narrowed by allowedRoutes.kinds;
 * kinds the listener cannot serve make ResolvedRefs False/InvalidRouteKinds
 * while the valid ones stay supported. */
static const char *listener_kinds(struct ctx *x, struct eff_listener *l,
                                  const struct object *owner)
{
    const struct allowed_routes *ar = &l->spec->allowed_routes;
    enum kind kinds[4];
    const char *problem = NULL;
    size_t n, i, j;

    default_kinds(l, kinds, &n);
    if (ar->n_kinds == 0) {
        memcpy(l->supported_kinds, kinds, n * sizeof(*kinds));
        l->n_supported_kinds = n;
        return NULL;
    }
    for (i = 0; i < ar->n_kinds; i++) {
        const struct route_group_kind *rk = &ar->kinds[i];
        bool ok = false;

        for (j = 0; j < n && !ok; j++) {
            if (str_eq(rk->group, GATEWAY_GROUP) &&
                str_eq(rk->kind, model_kind_name(kinds[j]))) {
                bool dup = false;
                size_t k;
                for (k = 0; k < l->n_supported_kinds; k++)
                    dup |= l->supported_kinds[k] == kinds[j];
                if (!dup)
                    l->supported_kinds[l->n_supported_kinds++] = kinds[j];
                ok = true;
            }
        }
        if (!ok) {
            ctl_finding(x, DIAG_LISTENER_ROUTE_KINDS, owner, rk->src,
                        "listener '%s' (%s) cannot serve routes of kind %s/%s",
                        l->spec->name, ctl_protocol_name(l->protocol), rk->group,
                        rk->kind);
            problem =
                ctl_msgf(x, "%s/%s is not a route kind this listener supports",
                         rk->group, rk->kind);
        }
    }
    return problem;
}


void ctl_listener_init(struct ctx *x, struct gateway_state *gs,
                       struct listener_set_state *set,
                       const struct listener *spec, struct eff_listener *l)
{
    (void)x;
    l->spec = spec;
    l->gateway = gs;
    l->set = set;
    l->protocol = parse_protocol(spec->protocol);
    l->hostname = spec->hostname;
    l->port = spec->port;
    l->passthrough = l->protocol == PROTO_TLS && spec->tls.mode == TLS_PASSTHROUGH;
    l->accepted = true;
}

/* Everything about one listener except its conflicts with others. */
void ctl_listener_check(struct ctx *x, struct eff_listener *l)
{
    const struct object *owner = ctl_listener_owner(l);
    enum cond_reason ref_reason = REASON_NONE;
    const char *ref_message = NULL;
    const char *kinds_problem;

    if (l->protocol == PROTO_OTHER) {
        ctl_finding(
            x, DIAG_LISTENER_UNSUPPORTED_PROTOCOL, owner,
            ynode_get(l->spec->src, "protocol"),
            "listener '%s' uses protocol '%s'; gwc serves HTTP, HTTPS, TLS, TCP "
            "and UDP",
            l->spec->name, l->spec->protocol);
        ctl_conditions_set(
            &l->conditions, COND_ACCEPTED, false, REASON_UNSUPPORTED_PROTOCOL,
            ctl_msgf(x, "protocol %s is not supported", l->spec->protocol));
        l->accepted = false;
        return;
    }
    kinds_problem = listener_kinds(x, l, owner);
    if (l->protocol == PROTO_HTTPS || (l->protocol == PROTO_TLS && !l->passthrough))
        ctl_listener_certificates(x, l, &ref_reason, &ref_message);
    if (l->protocol == PROTO_HTTPS) {
        const struct frontend_validation *v = ctl_frontend_for(l->gateway->gw, l->port);
        if (v && !ctl_listener_client_ca(x, l, v, &ref_reason, &ref_message)) {
            ctl_conditions_set(&l->conditions, COND_ACCEPTED, false,
                               REASON_NO_VALID_CA_CERTIFICATE,
                               "no usable CA certificate for client validation");
            l->accepted = false;
        }
    }
    /* A certificate or CA problem is the one to show: it keeps the
     * listener from being programmed, route kinds do not. */
    if (kinds_problem && ref_reason == REASON_NONE) {
        ref_reason = REASON_INVALID_ROUTE_KINDS;
        ref_message = kinds_problem;
    }
    if (l->accepted)
        ctl_conditions_set(&l->conditions, COND_ACCEPTED, true, REASON_ACCEPTED,
                           "");
    if (ref_reason != REASON_NONE)
        ctl_conditions_set(&l->conditions, COND_RESOLVED_REFS, false, ref_reason,
                           ref_message);
}
