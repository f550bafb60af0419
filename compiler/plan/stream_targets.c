/*
 * Where a stream{} connection goes: the proxy_pass target of a route's
 * backends (one upstream, or a weighted split per connection), and the
 * unix-socket hop that adds TLS to a backend a BackendTLSPolicy covers.
 * stream.c builds the servers around these.
 */
#include "plan_internal.h"

#include "base/arena.h"

#include <string.h>

/* A unix socket for a hop between stream{} and http{}. */
const char *plan_stream_socket_path(struct planner *p, const char *name)
{
    p->plan->uses_socket_dir = true;
    return arena_printf(p->a, "%s/%s", p->o->socket_dir, name);
}

/* A backend a BackendTLSPolicy puts behind TLS.  proxy_ssl is set per
 * stream server, not per destination, so each such backend gets its own
 * server on a unix socket that adds TLS; returns "unix:<socket>". */
static const char *tls_hop(struct planner *p, const struct plan_target *t)
{
    const char *dest = t->upstream ? t->upstream : t->address;
    struct plan_stream_server *h;
    size_t i;

    for (i = 0; i < p->stream_servers.n; i++) {
        const struct plan_target *o;
        h = p->stream_servers.v[i];
        o = h->tls_to;
        /* One hop per destination and TLS settings: Gateways may present
         * different client certificates to the same Service. */
        if (o && strcmp(o->upstream ? o->upstream : o->address, dest) == 0 &&
            str_eq(o->tls->name, t->tls->name) && str_eq(o->tls->ca_file, t->tls->ca_file) &&
            str_eq(o->tls->client_cert_file, t->tls->client_cert_file))
            return arena_printf(p->a, "unix:%s", h->listen.unix_path);
    }
    h = plan_stream_new_server(p, NULL, 0, false);
    h->listen.unix_path = plan_stream_socket_path(p, arena_printf(p->a, "gw-backend%u.sock",
                                                      p->n_tls_hops++));
    h->tls_to = ARENA_NEW(p->a, struct plan_target);
    *(struct plan_target *)h->tls_to = *t;
    if (t->upstream) {
        h->pass_upstream = t->upstream;
    } else {
        /* A name for the resolver: through a variable, as for splits. */
        int64_t one = 1;
        struct plan_split *sp = plan_split_new(p, "gw_l4s");
        plan_split_weights(p, sp, &one, &t->address, 1);
        h->pass_variable = sp->variable;
    }
    return arena_printf(p->a, "unix:%s", h->listen.unix_path);
}

/* The proxy_pass value for a set of backends: an upstream name, a split
 * variable (as "$name"), or "" to close.  Invalid shares close too.
 * Passthrough leaves the client's TLS alone: no BackendTLSPolicy there,
 * not even one that would refuse the backend. */
const char *plan_stream_backends_target(struct planner *p, const struct attachment *a,
                                        bool *variable)
{
    const struct route_state *rs = a->route;
    size_t total = 0, n = 0, n_ok = 0, i, j;
    int64_t *weights;
    const char **values;
    struct plan_target only = {0};

    for (i = 0; i < rs->n_rules; i++)
        total += rs->rules[i].n_backends;
    weights = ARENA_NEW_ARRAY(p->a, int64_t, total);
    values = ARENA_NEW_ARRAY(p->a, const char *, total);
    *variable = false;
    for (i = 0; i < rs->n_rules; i++) {
        for (j = 0; j < rs->rules[i].n_backends; j++) {
            struct backend b = rs->rules[i].backends[j];
            struct plan_target t;
            if (b.ref->weight <= 0)
                continue;
            if (a->listener->passthrough)
                b.tls_policy = NULL;
            t = plan_target_of(p, &b, false, a->listener->gateway);
            only = t;
            weights[n] = b.ref->weight;
            values[n++] = t.status  ? ""
                          : t.tls   ? tls_hop(p, &t)
                          : t.upstream ? t.upstream
                                       : t.address;
            n_ok += !t.status;
        }
    }
    if (n_ok == 0)
        return "";
    if (n == 1 && (only.upstream || only.tls))
        return values[0]; /* an upstream or a TLS hop's "unix:" socket */
    {
        /* A run-time name, a failing share or several backends: a split
         * per connection, whose values proxy_pass takes from a variable. */
        struct plan_split *sp = plan_split_new(p, "gw_l4s");
        plan_split_weights(p, sp, weights, values, n);
        *variable = true;
        return sp->variable;
    }
}

struct plan_stream_server *plan_stream_new_server(struct planner *p, const char *address,
                                                  int64_t port, bool udp)
{
    struct plan_stream_server *srv = ARENA_NEW(p->a, struct plan_stream_server);

    srv->listen.address = address;
    srv->listen.port = port;
    srv->listen.udp = udp;
    ptrvec_push(p->a, &p->stream_servers, srv);
    return srv;
}
