/*
 * ClientPolicy clientAddressDetection source ProxyProtocol is a property of
 * a listening socket, not of a listener (docs/policies.md,
 * "clientAddressDetection").  nginx reads a PROXY header on every
 * connection to an address and port once any server there asks for it, so
 * the listeners that share a socket must agree on whether connections
 * carry one.  Where gwc's stream module reads the header (a port with TLS
 * or TCP listeners: one stream server, one set_real_ip_from list, whose
 * PROXY header to the HTTPS hop then carries the client address), they
 * must also agree on trustedProxies.  When they do not, the oldest listener
 * (Gateway age, then listener order, as for every other socket conflict)
 * decides, and each listener that cannot be served as its policy says is
 * left out: no guess serves it otherwise.
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/strbuf.h"

#include <stdlib.h>
#include <string.h>

#define MAX_BIND_ADDRESSES 16 /* spec.addresses holds at most 16 */

/* The socket keys of one Gateway (bind_keys). */
struct gateway_keys {
    const char *v[MAX_BIND_ADDRESSES];
    size_t n;
    bool cluster;
};

/* One listener on one address it listens on. */
struct proxy_entry {
    struct eff_listener *l;
    const char *where;   /* the address key: sockets meet when equal */
    bool cluster;        /* a socket the cluster shares too (status) */
    size_t rank;         /* its Gateway's place in age order */
    bool proxy;          /* its clientAddressDetection is ProxyProtocol */
    const char *trusted; /* its trustedProxies, sorted, one string */
    const struct object *policy;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *trusted_key(struct ctx *x, const struct client_address_detection *d)
{
    const char **v;
    struct strbuf sb = STRBUF_INIT;
    const char *out;
    size_t i;

    if (!d || d->n_trusted_proxies == 0)
        return "";
    v = ARENA_NEW_ARRAY(x->c->arena, const char *, d->n_trusted_proxies);
    memcpy(v, d->trusted_proxies, d->n_trusted_proxies * sizeof(*v));
    qsort(v, d->n_trusted_proxies, sizeof(*v), cmp_str);
    for (i = 0; i < d->n_trusted_proxies; i++) {
        if (i)
            strbuf_addstr(&sb, ", ");
        strbuf_addstr(&sb, v[i]);
    }
    out = arena_strndup(x->c->arena, sb.buf, sb.len);
    strbuf_release(&sb);
    return out;
}

static int cmp_gateway_age(const void *pa, const void *pb)
{
    const struct gateway_state *const *a = pa, *const *b = pb;

    return model_object_cmp_age(&(*a)->gw->obj, &(*b)->gw->obj);
}

static int cmp_entries(const void *pa, const void *pb)
{
    const struct proxy_entry *a = pa, *b = pb;
    int c;

    if (a->l->port != b->l->port)
        return a->l->port < b->l->port ? -1 : 1;
    if ((c = strcmp(a->where, b->where)) != 0)
        return c;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return a->l->order < b->l->order ? -1 : a->l->order > b->l->order;
}

/* Where a Gateway's listeners listen: the keys of the sockets they share
 * with other Gateways' listeners.  In one nginx (compile), a Gateway
 * without addresses listens on every address ("*"), or all on
 * --listen-address; in a cluster it has an address of its own. */
static size_t bind_keys(struct ctx *x, const struct gateway_state *gs, const char **out,
                        bool *cluster)
{
    size_t n = 0, k;

    *cluster = true;
    if (x->o->one_nginx && x->o->listen_address) {
        out[0] = arena_printf(x->c->arena, "=%s", x->o->listen_address);
        *cluster = false;
        return 1;
    }
    for (k = 0; k < gs->gw->n_addresses && n < MAX_BIND_ADDRESSES; k++) {
        const struct gateway_address *a = &gs->gw->addresses[k];
        if (str_eq(a->type, "IPAddress") && a->value && *a->value)
            out[n++] = arena_printf(x->c->arena, "=%s", a->value);
    }
    if (n)
        return n;
    if (x->o->one_nginx) {
        out[0] = "*";
        *cluster = false;
    } else {
        out[0] = arena_printf(x->c->arena, "gw/%s", gs->gw->obj.nsname);
    }
    return 1;
}

static const char *listener_text(struct ctx *x, const struct eff_listener *l)
{
    return ctl_msgf(x, "listener '%s' of %s", l->spec->name,
                    model_object_label(x->c, ctl_listener_owner(l)));
}

/* Leaves l out: not programmed, reported at its policy (or, when it has
 * none, at the listener). */
static void leave_out(struct ctx *x, const struct proxy_entry *e, bool status,
                      enum diag_code code, const char *why)
{
    struct eff_listener *l = e->l;
    const struct client_address_detection *d =
        e->policy ? &((const struct client_policy *)e->policy)->client_address_detection
                  : NULL;

    l->valid = false;
    if (e->policy)
        ctl_finding(x, code, e->policy, ynode_get(d->src, "source"),
                    "%s is not programmed: %s", listener_text(x, l), why);
    else
        ctl_finding(x, code, ctl_listener_owner(l), l->spec->src,
                    "%s is not programmed: %s", listener_text(x, l), why);
    if (status)
        ctl_conditions_set(&l->conditions, COND_PROGRAMMED, false, REASON_INVALID,
                           ctl_msgf(x, "not programmed: %s", why));
}

/* How e's socket would have to be served for it. */
static const char *mode_text(struct ctx *x, const struct proxy_entry *e, bool stream)
{
    if (!e->proxy)
        return "without a PROXY protocol header";
    if (!stream)
        return "with a PROXY protocol header";
    return ctl_msgf(x, "with a PROXY protocol header, trusted from [%s]", e->trusted);
}

/* Who asks for that. */
static const char *asker_text(struct ctx *x, const struct proxy_entry *e)
{
    if (e->policy)
        return ctl_msgf(x, "whose ClientPolicy %s asks for connections",
                        e->policy->nsname);
    return "which has no ClientPolicy clientAddressDetection and so takes connections";
}

/* One socket: e[0..n), oldest first. */
static void judge_socket(struct ctx *x, struct proxy_entry *e, size_t n)
{
    const struct proxy_entry *first = NULL;
    bool stream = false, any_proxy = false;
    size_t i;

    for (i = 0; i < n; i++) {
        stream |= e[i].l->protocol == PROTO_TLS || e[i].l->protocol == PROTO_TCP;
        any_proxy |= e[i].proxy;
    }
    if (!any_proxy)
        return;
    for (i = 0; i < n; i++) {
        const char *why;
        if (!e[i].l->valid)
            continue;
        if (!first) {
            first = &e[i];
            continue;
        }
        if (first->proxy == e[i].proxy &&
            (!stream || !e[i].proxy || str_eq(first->trusted, e[i].trusted)))
            continue;
        why = ctl_msgf(
            x,
            "it shares port %lld%s%s with the older %s, %s %s, while this "
            "listener, %s %s; PROXY protocol is a property of the socket%s",
            (long long)e[i].l->port, e[i].where[0] == '=' ? " on " : "",
            e[i].where[0] == '=' ? e[i].where + 1 : "", listener_text(x, first->l),
            asker_text(x, first), mode_text(x, first, stream), asker_text(x, &e[i]),
            mode_text(x, &e[i], stream),
            stream ? " (and where gwc's stream front reads it, so are its "
                     "trustedProxies)"
                   : "");
        leave_out(x, &e[i],
                  e[i].cluster || first->l->gateway == e[i].l->gateway,
                  DIAG_PROXY_PROTOCOL_SOCKET_CONFLICT, why);
    }
}

/* Does any ClientPolicy ask for the PROXY protocol?  Most inputs have
 * none, and then no listener needs looking at. */
static bool any_proxy_policy(const struct ctx *x)
{
    const struct ptrvec *pv = &x->m->objects[KIND_CLIENT_POLICY];
    size_t i;

    for (i = 0; i < pv->n; i++) {
        const struct client_policy *p = pv->v[i];
        if (!p->obj.rejected &&
            str_eq(p->client_address_detection.source, "ProxyProtocol"))
            return true;
    }
    return false;
}

void ctl_proxy_sockets(struct ctx *x)
{
    struct controller *ctl = x->ctl;
    size_t ng = ctl->n_gateways, total = 0, n = 0, i, j, k;
    struct gateway_state **order;
    struct gateway_keys *keys;
    struct proxy_entry *e;
    bool any = false;

    if (ctl->n_gwc_policies == 0 || ng == 0 || !any_proxy_policy(x))
        return;
    order = ARENA_NEW_ARRAY(x->c->arena, struct gateway_state *, ng);
    keys = ARENA_NEW_ARRAY(x->c->arena, struct gateway_keys, ng);
    for (i = 0; i < ng; i++)
        order[i] = &ctl->gateways[i];
    qsort(order, ng, sizeof(*order), cmp_gateway_age);
    for (i = 0; i < ng; i++) {
        keys[i].n = bind_keys(x, order[i], keys[i].v, &keys[i].cluster);
        total += order[i]->n_listeners * keys[i].n;
    }
    e = ARENA_NEW_ARRAY(x->c->arena, struct proxy_entry, total + 1);
    for (i = 0; i < ng; i++) {
        for (j = 0; j < order[i]->n_listeners; j++) {
            struct eff_listener *l = &order[i]->listeners[j];
            const struct object *from;
            const struct client_address_detection *d;
            struct proxy_entry one;
            if (!l->valid)
                continue;
            d = ctl_policy_address_detection(ctl, l, &from);
            memset(&one, 0, sizeof(one));
            one.l = l;
            one.rank = i;
            one.cluster = keys[i].cluster;
            one.proxy = d && str_eq(d->source, "ProxyProtocol");
            one.trusted = one.proxy ? trusted_key(x, d) : "";
            one.policy = from;
            if (one.proxy && l->protocol == PROTO_UDP) {
                leave_out(x, &one, true, DIAG_PROXY_PROTOCOL_UDP,
                          "it is a UDP listener, and nginx reads PROXY protocol "
                          "headers on TCP connections only");
                continue;
            }
            if (l->protocol == PROTO_UDP)
                continue; /* a socket of its own, never PROXY */
            any |= one.proxy;
            for (k = 0; k < keys[i].n; k++) {
                e[n] = one;
                e[n++].where = keys[i].v[k];
            }
        }
    }
    if (!any)
        return;
    qsort(e, n, sizeof(*e), cmp_entries);
    for (i = 0; i < n; i = j) {
        for (j = i; j < n && e[j].l->port == e[i].l->port && str_eq(e[j].where, e[i].where);
             j++)
            ;
        judge_socket(x, e + i, j - i);
    }
}
