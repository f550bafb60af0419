/*
 * Conflicts between the listeners of one Gateway (with its ListenerSets)
 * on one port, and the conditions each listener ends with
 * (docs/spec-notes.md, "Listeners: validity and conflicts").
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"

#include <stdio.h>
#include <string.h>

static void mark_conflicted(struct ctx *x, struct eff_listener *l,
                            const struct eff_listener *with,
                            enum cond_reason reason)
{
    const char *msg;

    if (ctl_conditions_get(&l->conditions, COND_CONFLICTED))
        return;
    msg = ctl_msgf(x, "%s with listener '%s' of %s", ctl_reason_name(reason),
                   with->spec->name,
                   model_object_label(x->c, ctl_listener_owner(with)));
    ctl_conditions_set(&l->conditions, COND_ACCEPTED, false, reason, msg);
    ctl_conditions_set(&l->conditions, COND_CONFLICTED, true, reason, msg);
    l->accepted = false;
    ctl_finding(
        x,
        reason == REASON_HOSTNAME_CONFLICT ? DIAG_LISTENER_HOSTNAME_CONFLICT
                                           : DIAG_LISTENER_PROTOCOL_CONFLICT,
        ctl_listener_owner(l), l->spec->src,
        "listener '%s' (%s port %lld%s%s) conflicts with listener '%s' of %s: %s",
        l->spec->name, ctl_protocol_name(l->protocol), (long long)l->port,
        l->hostname ? " " : "", l->hostname ? l->hostname : "", with->spec->name,
        model_object_label(x->c, ctl_listener_owner(with)),
        ctl_reason_name(reason));
}

/* Keys of the listeners a conflict check looks up: by port and family,
 * and by port, family and hostname. */
static const char *conflict_key(struct ctx *x, char *buf, size_t cap,
                                const struct eff_listener *l, enum family f,
                                bool with_hostname)
{
    char port[24], fam[4];
    const char *parts[] = {port, fam, with_hostname ? l->hostname : NULL,
                           with_hostname ? "h" : "-"};

    snprintf(port, sizeof(port), "%lld", (long long)l->port);
    snprintf(fam, sizeof(fam), "%d", (int)f);
    return strhash_key(x->c->arena, buf, cap, parts, 4);
}

/* The earliest listener ctl_conflict_reason() pairs with b among those
 * registered so far (each key holds the first listener of its kind). */
static size_t first_conflict(struct ctx *x, const struct strhash *seen,
                             const struct eff_listener *b, size_t none)
{
    static const enum family tcp_side[] = {FAMILY_HTTP, FAMILY_TLS, FAMILY_TCP};
    enum family fb = ctl_family_of(b->protocol);
    size_t best = none, k;
    char buf[320];
    const size_t *at;

    if (b->protocol == PROTO_OTHER)
        return none;
    if (fb == FAMILY_UDP) {
        at = strhash_get(seen, conflict_key(x, buf, sizeof(buf), b, FAMILY_UDP, false));
        return at ? *at : none;
    }
    for (k = 0; k < ARRAY_SIZE(tcp_side); k++) {
        if (tcp_side[k] == fb && fb != FAMILY_TCP)
            at = strhash_get(seen, conflict_key(x, buf, sizeof(buf), b, fb, true));
        else
            at = strhash_get(seen, conflict_key(x, buf, sizeof(buf), b, tcp_side[k], false));
        if (at && *at < best)
            best = *at;
    }
    return best;
}

static void register_listener(struct ctx *x, struct strhash *seen,
                              const struct eff_listener *l, size_t i)
{
    enum family f = ctl_family_of(l->protocol);
    size_t *at = ARENA_NEW(x->c->arena, size_t);
    void **slot;
    int with;

    if (l->protocol == PROTO_OTHER)
        return;
    *at = i;
    for (with = 0; with < 2; with++) {
        slot = strhash_slot(seen, conflict_key(x, NULL, 0, l, f, with));
        if (!*slot)
            *slot = at;
    }
}

/*
 * Among a Gateway's own listeners no listener wins a conflict: all parties
 * lose (the spec forbids picking a winner).  Across the merged list the
 * earlier entry wins: the Gateway's own listeners, then ListenerSets oldest
 * first, each ListenerSet's entries in order (conformance
 * ListenerSetProtocolConflict).  A listener that lost takes no further part.
 * Own listeners are at most 64 (the CRD's limit); ListenerSets add any
 * number, each checked against an index of the earlier survivors.
 */
static void resolve_conflicts(struct ctx *x, struct gateway_state *gs)
{
    struct strhash seen;
    size_t i, j;

    for (i = 0; i < gs->n_own; i++) {
        for (j = i + 1; j < gs->n_own; j++) {
            struct eff_listener *a = &gs->listeners[i], *b = &gs->listeners[j];
            enum cond_reason why = ctl_conflict_reason(a, b);
            if (why != REASON_NONE) {
                mark_conflicted(x, a, b, why);
                mark_conflicted(x, b, a, why);
            }
        }
    }
    strhash_init(&seen, x->c->arena);
    for (i = 0; i < gs->n_listeners; i++) {
        struct eff_listener *b = &gs->listeners[i];
        if (i >= gs->n_own &&
            !ctl_conditions_get(&b->conditions, COND_CONFLICTED)) {
            size_t a = first_conflict(x, &seen, b, gs->n_listeners);
            if (a < gs->n_listeners)
                mark_conflicted(x, b, &gs->listeners[a],
                                ctl_conflict_reason(&gs->listeners[a], b));
        }
        if (!ctl_conditions_get(&b->conditions, COND_CONFLICTED))
            register_listener(x, &seen, b, i);
    }
}

/* Overlapping hostnames on one HTTPS port: certificate choice by SNI is then
 * ambiguous for some names (OverlappingTLSConfig, negative polarity).  Each
 * hostname is filed under every wildcard that may cover it ("*.b.c" and
 * "*.c" for "a.b.c"), so a wildcard listener finds its candidates at once. */
static void overlapping_tls(struct ctx *x, struct gateway_state *gs)
{
    struct strhash under;
    size_t i, j;

    strhash_init(&under, x->c->arena);
    for (i = 0; i < gs->n_listeners; i++) {
        const struct eff_listener *b = &gs->listeners[i];
        if (b->protocol != PROTO_HTTPS || !b->accepted || !b->hostname)
            continue;
        for (j = 1; b->hostname[j]; j++) {
            char port[24];
            const char *parts[] = {port, NULL};
            struct ptrvec **v;
            if (b->hostname[j] != '.')
                continue;
            snprintf(port, sizeof(port), "%lld", (long long)b->port);
            parts[1] = arena_printf(x->c->arena, "*%s", b->hostname + j);
            v = (struct ptrvec **)strhash_slot(&under,
                                               strhash_key(x->c->arena, NULL, 0, parts, 2));
            if (!*v)
                *v = ARENA_NEW(x->c->arena, struct ptrvec);
            ptrvec_push(x->c->arena, *v, (void *)b);
        }
    }
    for (i = 0; i < gs->n_listeners; i++) {
        struct eff_listener *a = &gs->listeners[i];
        char port[24], buf[320];
        const char *parts[] = {port, a->hostname};
        const struct ptrvec *v;

        if (a->protocol != PROTO_HTTPS || !a->accepted || !a->hostname ||
            a->hostname[0] != '*')
            continue;
        snprintf(port, sizeof(port), "%lld", (long long)a->port);
        v = strhash_get(&under, strhash_key(x->c->arena, buf, sizeof(buf), parts, 2));
        for (j = 0; v && j < v->n; j++) {
            const struct eff_listener *b = v->v[j];
            if (b == a || str_eq(a->hostname, b->hostname) ||
                !ctl_hostname_matches(a->hostname, b->hostname))
                continue;
            ctl_conditions_set(&a->conditions, COND_OVERLAPPING_TLS_CONFIG, true,
                               REASON_OVERLAPPING_HOSTNAMES,
                               ctl_msgf(x,
                                        "hostname %s overlaps listener '%s' (%s)",
                                        a->hostname, b->spec->name, b->hostname));
            break;
        }
    }
}

static void listener_final_conditions(struct ctx *x, struct eff_listener *l)
{
    const struct condition *rr =
        ctl_conditions_get(&l->conditions, COND_RESOLVED_REFS);
    const struct condition *acc = ctl_conditions_get(&l->conditions, COND_ACCEPTED);
    /* Kinds it cannot serve only narrow what attaches (supportedKinds
     * keeps the valid ones); the listener is programmed with those. */
    bool resolved = !rr || rr->status || rr->reason == REASON_INVALID_ROUTE_KINDS;
    const struct condition *conflicted;

    (void)x;
    if (!rr)
        ctl_conditions_set(&l->conditions, COND_RESOLVED_REFS, true,
                           REASON_RESOLVED_REFS, "");
    conflicted = ctl_conditions_get(&l->conditions, COND_CONFLICTED);
    if (!conflicted)
        ctl_conditions_set(&l->conditions, COND_CONFLICTED, false,
                           REASON_NO_CONFLICTS, "");
    l->valid = l->accepted && resolved;
    if (l->valid)
        ctl_conditions_set(&l->conditions, COND_PROGRAMMED, true, REASON_PROGRAMMED,
                           "");
    else if (!l->accepted && acc && conflicted && conflicted->status)
        ctl_conditions_set(&l->conditions, COND_PROGRAMMED, false, acc->reason,
                           acc->message);
    else
        ctl_conditions_set(&l->conditions, COND_PROGRAMMED, false, REASON_INVALID,
                           "the listener cannot be programmed");
}

void ctl_listener_conflicts(struct ctx *x, struct gateway_state *gs)
{
    size_t i;

    resolve_conflicts(x, gs);
    overlapping_tls(x, gs);
    for (i = 0; i < gs->n_listeners; i++)
        listener_final_conditions(x, &gs->listeners[i]);
}
