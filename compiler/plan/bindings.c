/*
 * Bindings: each valid listener on each address its Gateway binds, with its
 * port as mapped, and the listen sockets they share.  servers.c makes the
 * HTTP and HTTPS sockets http{} servers, stream.c the TCP, TLS and UDP ones
 * stream{} servers.
 */
#include "plan_internal.h"

#include "base/arena.h"

int64_t plan_mapped_port(const struct plan_options *o, int64_t port)
{
    size_t i;

    for (i = 0; i < o->n_port_map; i++) {
        if (o->port_map[i][0] == port)
            return o->port_map[i][1];
    }
    return port;
}

/* --listen-address, else the Gateway's IPAddress addresses, else every
 * address (one NULL entry). */
#define MAX_BIND 16 /* spec.addresses holds at most 16 */
static size_t bind_addresses(const struct planner *p, const struct gateway_state *gs,
                             const char **out)
{
    size_t n = 0, k;

    if (p->o->listen_address) {
        out[0] = p->o->listen_address;
        return 1;
    }
    for (k = 0; k < gs->gw->n_addresses && n < MAX_BIND; k++) {
        const struct gateway_address *a = &gs->gw->addresses[k];
        if (str_eq(a->type, "IPAddress") && a->value && *a->value)
            out[n++] = a->value;
    }
    if (n == 0)
        out[n++] = NULL;
    return n;
}

struct plan_binding *plan_bindings(struct planner *p, size_t *n_out)
{
    struct plan_binding *v = NULL;
    size_t n = 0, cap = 0, g, i, k;

    for (g = 0; g < p->ctl->n_gateways; g++) {
        const struct gateway_state *gs = &p->ctl->gateways[g];
        const char *addrs[MAX_BIND];
        size_t n_addrs = bind_addresses(p, gs, addrs);

        for (i = 0; i < gs->n_listeners; i++) {
            struct eff_listener *l = &gs->listeners[i];

            for (k = 0; l->valid && k < n_addrs; k++) {
                ARENA_GROW(p->a, struct plan_binding, v, n, cap, 16);
                v[n].l = l;
                v[n].address = addrs[k];
                v[n++].port = plan_mapped_port(p->o, l->port);
            }
        }
    }
    *n_out = n;
    return v;
}

struct plan_socket *plan_sockets(struct planner *p, unsigned protocols, size_t *n_out)
{
    size_t n_b, n = 0, cap = 0, i, k;
    const struct plan_binding *b = plan_bindings(p, &n_b);
    struct plan_socket *v = NULL;

    for (i = 0; i < n_b; i++) {
        bool udp = b[i].l->protocol == PROTO_UDP;

        if (!(protocols & 1u << b[i].l->protocol))
            continue;
        for (k = 0; k < n; k++) {
            if (v[k].udp == udp &&
                plan_same_socket(v[k].address, v[k].port, b[i].address, b[i].port))
                break;
        }
        if (k == n) {
            ARENA_GROW(p->a, struct plan_socket, v, n, cap, 8);
            v[n++] = (struct plan_socket){b[i].address, b[i].port, udp, {0}};
        }
        ptrvec_push(p->a, &v[k].listeners, b[i].l);
    }
    *n_out = n;
    return v;
}
