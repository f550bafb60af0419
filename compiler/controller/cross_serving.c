/*
 * HTTPRoutes against GRPCRoutes on one listener (GRPCRoute spec.hostnames,
 * apis/v1/grpcroute_types.go): when a route of one kind is attached to a
 * listener that already has a route of the other kind, and their hostnames
 * intersect, exactly one of the two is accepted, the oldest by
 * creationTimestamp, then the first by "{namespace}/{name}"; the other
 * raises Accepted=False.  The spec names no reason; gwc says
 * HostnameConflict, the word the listener conditions use for the same clash.
 *
 * Routes are taken oldest first and each is kept unless it meets a kept
 * route of the other kind.  The hostnames kept per kind are indexed so that
 * testing a route costs a few lookups per hostname and label, whatever the
 * number of routes on the listener.
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/strhash.h"

#include <string.h>

/* What the kept routes of one kind serve on the listener.  Values are the
 * attachment that put the name there, for the message. */
struct served {
    struct attachment *any;  /* a route without hostnames: every host */
    struct attachment *some; /* any kept route at all */
    struct strhash exact;    /* "a.b.c" */
    struct strhash wild;     /* "b.c" for "*.b.c" */
    struct strhash under;    /* every domain that has a served name strictly
                                below it, and each wildcard's own domain */
};

static void put_first(struct strhash *h, const char *key, struct attachment *a)
{
    void **slot = strhash_slot(h, key);

    if (!*slot)
        *slot = a;
}

/* Each proper domain suffix of s ("b.c", "c" for "a.b.c"), in turn. */
static const char *next_suffix(const char *s)
{
    const char *dot = strchr(s, '.');

    return dot ? dot + 1 : NULL;
}

static void serve(struct served *sv, struct attachment *a)
{
    size_t i;

    if (!sv->some)
        sv->some = a;
    if (a->n_hostnames == 0 && !sv->any)
        sv->any = a;
    for (i = 0; i < a->n_hostnames; i++) {
        const char *h = a->hostnames[i], *s;
        bool wild = h[0] == '*';

        if (wild) {
            put_first(&sv->wild, h + 2, a);
            put_first(&sv->under, h + 2, a);
        } else {
            put_first(&sv->exact, h, a);
        }
        for (s = next_suffix(wild ? h + 2 : h); s; s = next_suffix(s))
            put_first(&sv->under, s, a);
    }
}

/* The kept route that shares hostname h (NULL: every host) with sv, or
 * NULL. */
static struct attachment *shared(const struct served *sv, const char *h)
{
    struct attachment *a;
    const char *s;

    if (!h || sv->any)
        return sv->any ? sv->any : sv->some;
    if (h[0] == '*') {
        /* "*.s" meets any name below s, and every wildcard over it. */
        if ((a = strhash_get(&sv->under, h + 2)))
            return a;
        h += 2;
    } else if ((a = strhash_get(&sv->exact, h))) {
        return a;
    }
    for (s = next_suffix(h); s; s = next_suffix(s)) {
        if ((a = strhash_get(&sv->wild, s)))
            return a;
    }
    return NULL;
}

static bool is_grpc(const struct attachment *a)
{
    return a->route->route->obj.kind == KIND_GRPC_ROUTE;
}

/* The kept route in sv that shares a hostname with a, and that hostname
 * (NULL: every host), or NULL. */
static struct attachment *rival(const struct served *sv, const struct attachment *a,
                                const char **host)
{
    struct attachment *r = NULL;
    size_t i;

    *host = NULL;
    if (!sv->some)
        return NULL;
    if (a->n_hostnames == 0)
        return shared(sv, NULL);
    for (i = 0; i < a->n_hostnames && !r; i++)
        r = shared(sv, *host = a->hostnames[i]);
    return r;
}

static int cmp_age(const void *pa, const void *pb)
{
    const struct attachment *a = *(const struct attachment *const *)pa;
    const struct attachment *b = *(const struct attachment *const *)pb;
    int c = model_object_cmp_age(&a->route->route->obj, &b->route->route->obj);

    return c ? c : (int)a->route->route->obj.kind - (int)b->route->route->obj.kind;
}

/* The route lost listener l: the parentRefs that reached it through l lose
 * it, and those left with no listener are not accepted. */
static void reject(struct ctx *x, struct eff_listener *l, struct attachment *loser,
                   const struct attachment *winner, const char *host)
{
    struct route_state *rs = loser->route;
    const struct ynode *at = NULL;
    const char *why;
    size_t i, j, k;

    why = ctl_msgf(x,
                   "not accepted on listener '%s': %s (older, or first by "
                   "namespace/name) already serves %s%s%s there; a listener gives "
                   "each hostname to HTTPRoutes or to GRPCRoutes, not both",
                   l->spec->name,
                   model_object_label(x->c, &winner->route->route->obj),
                   host ? "a hostname intersecting '" : "hostnames of the listener",
                   host ? host : "", host ? "'" : "");
    for (i = 0; i < rs->n_parents; i++) {
        struct route_parent *rp = &rs->parents[i];
        for (j = k = 0; j < rp->listeners.n; j++) {
            if (rp->listeners.v[j] != l)
                rp->listeners.v[k++] = rp->listeners.v[j];
        }
        if (k == rp->listeners.n)
            continue;
        rp->listeners.n = k;
        if (!at)
            at = rp->ref->src;
        if (k == 0 && rp->accepted) {
            rp->accepted = false;
            ctl_conditions_set(&rp->conditions, COND_ACCEPTED, false,
                               REASON_HOSTNAME_CONFLICT, why);
        }
    }
    l->attached_routes--;
    ctl_finding(x, DIAG_ROUTE_CONFLICT, &rs->route->obj, at, "route %s", why);
}

void ctl_cross_serving(struct ctx *x, struct eff_listener *l)
{
    struct served sv[2];
    struct ptrvec order = {0};
    size_t i, kept, n_grpc = 0;

    if (l->protocol != PROTO_HTTP && l->protocol != PROTO_HTTPS)
        return;
    for (i = 0; i < l->attachments.n; i++)
        n_grpc += is_grpc(l->attachments.v[i]);
    if (n_grpc == 0 || n_grpc == l->attachments.n)
        return;
    memset(sv, 0, sizeof(sv));
    for (i = 0; i < 2; i++) {
        strhash_init(&sv[i].exact, x->c->arena);
        strhash_init(&sv[i].wild, x->c->arena);
        strhash_init(&sv[i].under, x->c->arena);
    }
    for (i = 0; i < l->attachments.n; i++)
        ptrvec_push(x->c->arena, &order, l->attachments.v[i]);
    ptrvec_sort(&order, cmp_age);
    for (i = 0; i < order.n; i++) {
        struct attachment *a = order.v[i], *winner;
        const char *host;

        if (!(winner = rival(&sv[!is_grpc(a)], a, &host))) {
            serve(&sv[is_grpc(a)], a);
            continue;
        }
        /* Marks the loser: no earlier pass clears it on HTTP listeners. */
        a->carries_traffic = false;
        reject(x, l, a, winner, host);
    }
    /* The losers leave the listener, keeping the others' order. */
    for (i = kept = 0; i < l->attachments.n; i++) {
        struct attachment *a = l->attachments.v[i];
        if (a->carries_traffic)
            l->attachments.v[kept++] = a;
    }
    l->attachments.n = kept;
}
