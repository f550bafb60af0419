/*
 * Listeners of different Gateways on one nginx socket (docs/spec-notes.md,
 * "Listeners of different Gateways on one socket").
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <stdlib.h>
#include <string.h>

/*
 * Gateways meet in two ways.
 *
 * In the cluster, a conformant controller gives every Gateway without
 * spec.addresses an address of its own, so Gateways only share a socket
 * when they ask for the same IPAddress.  There the distinctness rules that
 * hold inside a Gateway (the spec's listener conflicts) hold across
 * Gateways too: same port and an HTTP-family listener against a TCP or TLS
 * one, HTTP against HTTPS, two TCP or two UDP listeners, or the same
 * protocol and hostname twice.  The older Gateway (creationTimestamp, then
 * "{namespace}/{name}") keeps the socket; the younger one's listener is
 * Conflicted, not accepted and not programmed.  That is status, and
 * ctl_shared_addresses() computes it for every command alike.
 *
 * compile serves every Gateway from one nginx: a Gateway without
 * spec.addresses listens on every address (which overlaps every other
 * Gateway's), and with --listen-address all of them listen on that one
 * address.  The clashes this alone causes are judged by ctl_shared_nginx(),
 * for compile only: the younger listener is left out of the configuration
 * (valid = false) with a finding that says how to avoid it, and no status
 * changes.  Between a Gateway on every address and one on a specific
 * address, nginx binds the wildcard in one module and the address in the
 * other, so HTTP or HTTPS against TCP or TLS clashes there even where one
 * socket could have carried both.
 */

#define MAX_BIND_ADDRESSES 16 /* spec.addresses holds at most 16 */

/* Where a Gateway's listeners listen, as far as other Gateways care. */
struct bind {
    const char *addr[MAX_BIND_ADDRESSES]; /* its IPAddress addresses */
    size_t n;
    bool every; /* compile, no address, no --listen-address: every address */
};

/* The cluster's view (status), or the one nginx compile writes. */
enum pass { PASS_CLUSTER, PASS_ONE_NGINX };

/* How two Gateways' listeners meet: not at all, on one address (or both on
 * every address), or one on every address and the other on a specific one
 * (nginx then binds the port twice, in http{} and stream{} alike). */
enum overlap { OVERLAP_NONE, OVERLAP_SAME, OVERLAP_WILDCARD };

static void gateway_bind(struct ctx *x, const struct gateway_state *gs, enum pass pass,
                         struct bind *b)
{
    size_t k;

    memset(b, 0, sizeof(*b));
    for (k = 0; k < gs->gw->n_addresses && b->n < MAX_BIND_ADDRESSES; k++) {
        const struct gateway_address *a = &gs->gw->addresses[k];
        if (str_eq(a->type, "IPAddress") && a->value && *a->value)
            b->addr[b->n++] = a->value;
    }
    b->every = pass == PASS_ONE_NGINX && b->n == 0 && !x->o->listen_address;
}

static bool in_http_module(enum protocol p)
{
    return p == PROTO_HTTP || p == PROTO_HTTPS;
}

static bool in_stream_tcp(enum protocol p)
{
    return p == PROTO_TLS || p == PROTO_TCP;
}

/* Why listeners a and b of different Gateways cannot share their socket. */
static enum cond_reason socket_conflict(const struct eff_listener *a,
                                        const struct eff_listener *b,
                                        enum overlap ov)
{
    if (ov == OVERLAP_WILDCARD && a->port == b->port &&
        ((in_http_module(a->protocol) && in_stream_tcp(b->protocol)) ||
         (in_stream_tcp(a->protocol) && in_http_module(b->protocol))))
        return REASON_PROTOCOL_CONFLICT;
    return ctl_conflict_reason(a, b);
}

/* "listener 'x' of Gateway ns/gw", or of a ListenerSet of that Gateway. */
static const char *listener_label(struct ctx *x, const struct eff_listener *l)
{
    if (l->set)
        return ctl_msgf(x, "listener '%s' of %s (on Gateway %s)", l->spec->name,
                        model_object_label(x->c, &l->set->ls->obj),
                        l->gateway->gw->obj.nsname);
    return ctl_msgf(x, "listener '%s' of %s", l->spec->name,
                    model_object_label(x->c, &l->gateway->gw->obj));
}

/* Listener l loses its socket to the older Gateway's listener 'with';
 * address is where they meet (NULL: both listen on every address). */
static void lose_socket(struct ctx *x, struct eff_listener *l,
                        const struct eff_listener *with, enum cond_reason reason,
                        enum overlap ov, const char *address, enum pass pass)
{
    enum diag_code code = reason == REASON_HOSTNAME_CONFLICT
                              ? DIAG_LISTENER_HOSTNAME_CONFLICT
                              : DIAG_LISTENER_PROTOCOL_CONFLICT;
    const char *what = ctl_msgf(
        x, "%s port %lld%s%s", ctl_protocol_name(l->protocol), (long long)l->port,
        l->hostname ? " " : "", l->hostname ? l->hostname : "");
    const char *where, *msg;

    l->valid = false;
    where = !address ? "every address"
            : ov == OVERLAP_WILDCARD
                ? ctl_msgf(x, "%s (one of them listens on every address)", address)
                : address;
    if (pass == PASS_ONE_NGINX) {
        ctl_finding(
            x, code, ctl_listener_owner(l), l->spec->src,
            "listener '%s' (%s) is left out of the nginx configuration: in one "
            "nginx it shares %s%s with %s, and Gateway %s is older (%s); %s "
            "(status is unchanged: in a cluster every Gateway has addresses "
            "of its own)",
            l->spec->name, what, where,
            x->o->listen_address ? " (--listen-address)" : "",
            listener_label(x, with), with->gateway->gw->obj.nsname,
            ctl_reason_name(reason),
            x->o->listen_address
                ? "compile each Gateway on its own with --gateway "
                  "NAMESPACE/NAME, or drop --listen-address and give the "
                  "Gateways distinct spec.addresses"
                : "give the Gateways distinct spec.addresses, or compile each "
                  "on its own with --gateway NAMESPACE/NAME");
        return;
    }
    msg = ctl_msgf(x, "%s with %s, whose Gateway is older and also listens on %s",
                   ctl_reason_name(reason), listener_label(x, with), where);
    ctl_conditions_set(&l->conditions, COND_ACCEPTED, false, reason, msg);
    ctl_conditions_set(&l->conditions, COND_CONFLICTED, true, reason, msg);
    ctl_conditions_set(&l->conditions, COND_PROGRAMMED, false, reason, msg);
    l->accepted = false;
    ctl_finding(
        x, code, ctl_listener_owner(l), l->spec->src,
        "listener '%s' (%s) conflicts with %s: both Gateways listen on %s, and "
        "Gateway %s is older, so only its listener is programmed (%s)",
        l->spec->name, what, listener_label(x, with), where,
        with->gateway->gw->obj.nsname, ctl_reason_name(reason));
}

/*
 * The pass below compares each listener with what older Gateways already
 * claim on its port rather than with each of their listeners.  Claims are
 * kept per address (a Gateway naming several addresses claims on each),
 * for the Gateways on every address, and for all Gateways that name an
 * address together (what a Gateway on every address overlaps).  A claim
 * set holds the first programmed listener of each protocol and the first
 * of each (family, hostname): exactly the listeners a newcomer can first
 * conflict with, so the result is that of comparing every pair of
 * listeners, at a cost that does not grow with the number of Gateways.
 */

struct claim {
    struct eff_listener *l; /* NULL: none */
    size_t rank;            /* its Gateway's place in age order */
};

/* The claims of one set on the port being checked. */
struct claim_set {
    struct claim first[PROTO_OTHER]; /* by protocol */
};

/* (set, family, hostname) -> the first listener claiming it. */
struct name_slot {
    const char *hostname; /* NULL: empty slot */
    size_t set;
    enum family family;
    struct claim claim;
};

struct name_table {
    struct name_slot *v;
    size_t mask;
};

static size_t name_hash(size_t set, enum family f, const char *h)
{
    size_t v = 2166136261u ^ (set * 31u + (size_t)f);

    for (; *h; h++)
        v = (v ^ (unsigned char)*h) * 16777619u;
    return v;
}

static struct name_slot *name_find(struct name_table *t, size_t set, enum family f,
                                   const char *h)
{
    size_t i = name_hash(set, f, h) & t->mask;

    while (t->v[i].hostname && !(t->v[i].set == set && t->v[i].family == f &&
                                 strcmp(t->v[i].hostname, h) == 0))
        i = (i + 1) & t->mask;
    return &t->v[i];
}

struct socket_entry {
    struct eff_listener *l;
    size_t rank; /* the Gateway's place in age order */
};

static int cmp_gateway_age(const void *pa, const void *pb)
{
    const struct gateway_state *const *a = pa, *const *b = pb;

    return model_object_cmp_age(&(*a)->gw->obj, &(*b)->gw->obj);
}

static int cmp_entries(const void *pa, const void *pb)
{
    const struct socket_entry *a = pa, *b = pb;

    if (a->l->port != b->l->port)
        return a->l->port < b->l->port ? -1 : 1;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return a->l->order < b->l->order ? -1 : a->l->order > b->l->order;
}

/* Claim sets: SET_EVERY, SET_NAMED (every Gateway that names an address;
 * with --listen-address in one nginx, every Gateway), then one per
 * address, SET_ADDRESS + the address's id. */
enum { SET_EVERY, SET_NAMED, SET_ADDRESS };

/* What one pass knows: Gateways in age order, their binds, and a number
 * for each distinct address they name (addr_id[rank][k] for addr[k]). */
struct sockets {
    struct ctx *x;
    enum pass pass;
    bool one_address; /* one nginx on --listen-address: everyone meets */
    struct bind *binds;
    size_t **addr_id;
    size_t n_addresses;
};

struct addr_ref {
    const char *addr;
    size_t rank, k;
};

static int cmp_addr_refs(const void *pa, const void *pb)
{
    const struct addr_ref *a = pa, *b = pb;

    return strcmp(a->addr, b->addr);
}

static void number_addresses(struct sockets *so, size_t ng)
{
    struct arena *arena = so->x->c->arena;
    struct addr_ref *v;
    size_t total = 0, n = 0, i, k;

    so->addr_id = ARENA_NEW_ARRAY(arena, size_t *, ng);
    for (i = 0; i < ng; i++) {
        so->addr_id[i] = ARENA_NEW_ARRAY(arena, size_t, MAX_BIND_ADDRESSES);
        total += so->binds[i].n;
    }
    v = ARENA_NEW_ARRAY(arena, struct addr_ref, total);
    for (i = 0; i < ng; i++) {
        for (k = 0; k < so->binds[i].n; k++) {
            v[n].addr = so->binds[i].addr[k];
            v[n].rank = i;
            v[n++].k = k;
        }
    }
    qsort(v, n, sizeof(*v), cmp_addr_refs);
    for (i = 0; i < n; i++) {
        if (i > 0 && strcmp(v[i].addr, v[i - 1].addr) != 0)
            so->n_addresses++;
        so->addr_id[v[i].rank][v[i].k] = so->n_addresses;
    }
    if (n)
        so->n_addresses++;
}

/* The listener a newcomer loses to: the earliest it conflicts with. */
struct verdict {
    struct claim with;
    enum cond_reason reason;
    enum overlap ov;
    const char *address; /* NULL: every address */
};

static void consider(const struct claim *c, struct eff_listener *b, enum overlap ov,
                     const char *address, struct verdict *v)
{
    enum cond_reason r;

    if (!c->l || (v->with.l && (c->rank > v->with.rank ||
                                (c->rank == v->with.rank &&
                                 c->l->order >= v->with.l->order))))
        return;
    if ((r = socket_conflict(c->l, b, ov)) == REASON_NONE)
        return;
    v->with = *c;
    v->reason = r;
    v->ov = ov;
    v->address = address;
}

/* Listener b against one claim set; address NULL: the claimant's own. */
static void against(struct claim_set *sets, struct name_table *names, size_t set,
                    struct eff_listener *b, enum overlap ov, const char *address,
                    const struct bind *binds, struct verdict *v)
{
    struct claim before = v->with;
    struct name_slot *ns;
    size_t p;

    for (p = 0; p < PROTO_OTHER; p++)
        consider(&sets[set].first[p], b, ov, address, v);
    if (b->protocol != PROTO_TCP && b->protocol != PROTO_UDP) {
        ns = name_find(names, set, ctl_family_of(b->protocol),
                       b->hostname ? b->hostname : "");
        if (ns->hostname)
            consider(&ns->claim, b, ov, address, v);
    }
    /* Against the named Gateways from every address: where they meet is
     * the address the winner names. */
    if (set == SET_NAMED && ov == OVERLAP_WILDCARD && v->with.l != before.l)
        v->address = binds[v->with.rank].addr[0];
}

static void claim(struct claim_set *sets, struct name_table *names, size_t set,
                  struct eff_listener *l, size_t rank)
{
    struct claim me = {l, rank};
    struct name_slot *ns;

    if (!sets[set].first[l->protocol].l)
        sets[set].first[l->protocol] = me;
    if (l->protocol == PROTO_TCP || l->protocol == PROTO_UDP)
        return;
    ns = name_find(names, set, ctl_family_of(l->protocol),
                   l->hostname ? l->hostname : "");
    if (!ns->hostname) {
        ns->hostname = l->hostname ? l->hostname : "";
        ns->set = set;
        ns->family = ctl_family_of(l->protocol);
        ns->claim = me;
    }
}

/* One port: entries e[0..n), sorted by Gateway age then listener order.
 * set_of[address id] is SIZE_MAX on entry and on return. */
static void port_sockets(struct sockets *so, struct socket_entry *e, size_t n,
                         size_t *set_of)
{
    struct arena *arena = so->x->c->arena;
    const char *la = so->x->o->listen_address;
    size_t n_sets = SET_ADDRESS, n_used = 0, addresses = 0, cap = 4, i, j, k, a;
    struct claim_set *sets;
    struct name_table names;
    size_t *used;

    for (i = 0; i < n; i++)
        addresses += so->binds[e[i].rank].n;
    sets = ARENA_NEW_ARRAY(arena, struct claim_set, SET_ADDRESS + addresses);
    used = ARENA_NEW_ARRAY(arena, size_t, addresses + 1);
    /* each listener claims names in at most two sets and one per address */
    while (cap < 2 * (2 * n + addresses))
        cap *= 2;
    names.v = ARENA_NEW_ARRAY(arena, struct name_slot, cap);
    names.mask = cap - 1;
    for (i = 0; i < n; i = j) {
        const struct bind *bd = &so->binds[e[i].rank];
        const size_t *ids = so->addr_id[e[i].rank];

        for (j = i; j < n && e[j].rank == e[i].rank; j++)
            ;
        /* e[i..j): one Gateway's listeners, against older Gateways' claims */
        for (k = i; k < j; k++) {
            struct verdict v = {{NULL, 0}, REASON_NONE, OVERLAP_NONE, NULL};
            struct eff_listener *b = e[k].l;

            if (!b->valid)
                continue;
            if (so->one_address) {
                against(sets, &names, SET_NAMED, b, OVERLAP_SAME, la, so->binds, &v);
            } else if (bd->every) {
                against(sets, &names, SET_EVERY, b, OVERLAP_SAME, NULL, so->binds, &v);
                against(sets, &names, SET_NAMED, b, OVERLAP_WILDCARD, NULL, so->binds,
                        &v);
            } else if (bd->n) {
                against(sets, &names, SET_EVERY, b, OVERLAP_WILDCARD, bd->addr[0],
                        so->binds, &v);
                for (a = 0; a < bd->n; a++) {
                    if (set_of[ids[a]] != SIZE_MAX)
                        against(sets, &names, set_of[ids[a]], b, OVERLAP_SAME,
                                bd->addr[a], so->binds, &v);
                }
            }
            if (v.with.l)
                lose_socket(so->x, b, v.with.l, v.reason, v.ov, v.address, so->pass);
        }
        /* what this Gateway now claims, for the younger ones */
        for (k = i; k < j; k++) {
            if (!e[k].l->valid)
                continue;
            if (so->one_address) {
                claim(sets, &names, SET_NAMED, e[k].l, e[k].rank);
                continue;
            }
            if (bd->every)
                claim(sets, &names, SET_EVERY, e[k].l, e[k].rank);
            if (bd->n)
                claim(sets, &names, SET_NAMED, e[k].l, e[k].rank);
            for (a = 0; a < bd->n; a++) {
                if (set_of[ids[a]] == SIZE_MAX) {
                    set_of[ids[a]] = n_sets++;
                    used[n_used++] = ids[a];
                }
                claim(sets, &names, set_of[ids[a]], e[k].l, e[k].rank);
            }
        }
    }
    for (i = 0; i < n_used; i++)
        set_of[used[i]] = SIZE_MAX;
}

/* Every programmed listener against what older Gateways claim on its
 * port. */
static void judge(struct ctx *x, enum pass pass)
{
    struct controller *ctl = x->ctl;
    size_t ng = ctl->n_gateways, total = 0, n = 0, i, j;
    struct sockets so = {x, pass, pass == PASS_ONE_NGINX && x->o->listen_address,
                         NULL, NULL, 0};
    struct gateway_state **order;
    struct socket_entry *e;
    size_t *set_of;

    if (ng < 2)
        return;
    order = ARENA_NEW_ARRAY(x->c->arena, struct gateway_state *, ng);
    for (i = 0; i < ng; i++) {
        order[i] = &ctl->gateways[i];
        total += ctl->gateways[i].n_listeners;
    }
    qsort(order, ng, sizeof(*order), cmp_gateway_age);
    so.binds = ARENA_NEW_ARRAY(x->c->arena, struct bind, ng);
    for (i = 0; i < ng; i++)
        gateway_bind(x, order[i], pass, &so.binds[i]);
    number_addresses(&so, ng);
    set_of = ARENA_NEW_ARRAY(x->c->arena, size_t, so.n_addresses + 1);
    for (i = 0; i <= so.n_addresses; i++)
        set_of[i] = SIZE_MAX;
    e = ARENA_NEW_ARRAY(x->c->arena, struct socket_entry, total);
    for (i = 0; i < ng; i++) {
        for (j = 0; j < order[i]->n_listeners; j++) {
            if (!order[i]->listeners[j].valid)
                continue;
            e[n].l = &order[i]->listeners[j];
            e[n++].rank = i;
        }
    }
    qsort(e, n, sizeof(*e), cmp_entries);
    for (i = 0; i < n; i = j) {
        for (j = i; j < n && e[j].l->port == e[i].l->port; j++)
            ;
        port_sockets(&so, e + i, j - i, set_of);
    }
}

void ctl_shared_addresses(struct ctx *x)
{
    judge(x, PASS_CLUSTER);
}

void ctl_shared_nginx(struct ctx *x)
{
    judge(x, PASS_ONE_NGINX);
}
