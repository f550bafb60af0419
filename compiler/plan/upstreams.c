/*
 * Upstream blocks, one per (Service, port), named "gw_<ns>_<service>_<port>"
 * (Service names and namespaces are DNS labels, so the name is unique).  A
 * Service resolved at run time by cluster DNS has no block: its handler sets
 * a variable and nginx's resolver finds it per request.
 */
#include "plan_internal.h"

#include "base/arena.h"

#include <stdio.h>
#include <string.h>

static const char *host_port(struct arena *a, const char *host, int64_t port)
{
    /* An IPv6 literal needs brackets before the port. */
    return strchr(host, ':') ? arena_printf(a, "[%s]:%lld", host, (long long)port)
                             : arena_printf(a, "%s:%lld", host, (long long)port);
}

const char *upstream_for(struct planner *p, const struct backend *b, unsigned repeat)
{
    const struct plan_endpoints *stubs = p->o->endpoints;
    const char *stub = stubs && b->status == BACKEND_OK
                           ? stubs->address(stubs->ctx, b->namespace, b->name)
                           : NULL;
    struct plan_upstream *u;
    const char *name;
    void **slot;

    if (b->status != BACKEND_OK || (!stub && !b->n_endpoints && !b->cluster_ip))
        return NULL;
    name = arena_printf(p->a, "gw_%s_%s_%lld", b->namespace, b->name,
                        (long long)b->port_number);
    if (repeat > 1)
        name = arena_printf(p->a, "%s_x%u", name, repeat);
    slot = strhash_slot(&p->sec->upstreams_by_name, name);
    if (*slot)
        return ((struct plan_upstream *)*slot)->name;
    u = ARENA_NEW(p->a, struct plan_upstream);
    *slot = u;
    u->name = name;
    /* Connection reuse is an HTTP idea; stream upstreams have no keepalive. */
    u->keepalive = p->sec == &p->http;
    u->repeat = repeat > 1 ? repeat : 1;
    if (stub) {
        u->servers = ARENA_NEW(p->a, const char *);
        u->servers[0] = stub;
        u->n_servers = 1;
    } else if (b->n_endpoints) {
        u->servers = b->endpoints;
        u->n_servers = b->n_endpoints;
    } else {
        u->servers = ARENA_NEW(p->a, const char *);
        u->servers[0] = host_port(p->a, b->cluster_ip, b->port_number);
        u->n_servers = 1;
    }
    ptrvec_push(p->a, &p->sec->upstreams, u);
    return u->name;
}
