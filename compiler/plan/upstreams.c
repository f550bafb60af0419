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
    char num[STR_DEC_MAX + 1];
    const char *p = port < 0 ? NULL : plan_dec(num, (uint64_t)port);

    if (!p)
        return strchr(host, ':') ? arena_printf(a, "[%s]:%lld", host, (long long)port)
                                 : arena_printf(a, "%s:%lld", host, (long long)port);
    return strchr(host, ':') ? plan_cat(a, "[", host, "]:", p, NULL)
                             : plan_cat(a, host, ":", p, NULL);
}

const char *plan_upstream_for(struct planner *p, const struct backend *b,
                              unsigned repeat)
{
    return plan_upstream_balanced(p, b, repeat, NULL);
}

/* Upstreams differ by load balancing too: "_lc" for least_conn, "_h" and
 * the key's hash for a consistent hash. */
const char *plan_upstream_balanced(struct planner *p, const struct backend *b,
                                   unsigned repeat,
                                   const struct upstream_options *o)
{
    const struct load_balancing *lb = o ? o->lb : NULL;
    const struct upstream_keepalive *k = o ? o->keepalive : NULL;
    const struct plan_endpoints *stubs = p->o->endpoints;
    const char *stub = stubs && b->status == BACKEND_OK
                           ? stubs->address(stubs->ctx, b->namespace, b->name)
                           : NULL;
    struct plan_upstream *u;
    const char *name;
    char num[STR_DEC_MAX + 1];
    void **slot;

    if (b->status != BACKEND_OK || (!stub && !b->n_endpoints && !b->cluster_ip))
        return NULL;
    /* `repeat` tries need only that many peers: copies of the servers
     * beyond one per try would only be more dead peers to pick. */
    if (!stub && b->n_endpoints > 1)
        repeat = (unsigned)((repeat + b->n_endpoints - 1) / b->n_endpoints);
    name = b->port_number >= 0
               ? plan_cat(p->a, "gw_", b->namespace, "_", b->name, "_",
                          plan_dec(num, (uint64_t)b->port_number), NULL)
               : arena_printf(p->a, "gw_%s_%s_%lld", b->namespace, b->name,
                              (long long)b->port_number);
    if (repeat > 1)
        name = arena_printf(p->a, "%s_x%u", name, repeat);
    if (lb && str_eq(lb->method, "LeastConnections"))
        name = arena_printf(p->a, "%s_lc", name);
    else if (lb && str_eq(lb->method, "ConsistentHash"))
        name = arena_printf(p->a, "%s_h%s", name, plan_hashed_id(p, o->hash_key));
    if (k)
        name = arena_printf(
            p->a, "%s_k%s", name,
            plan_hashed_id(
                p, arena_printf(p->a, "%lld/%lld/%s/%s", (long long)k->connections,
                                (long long)k->requests,
                                k->idle_timeout ? k->idle_timeout : "",
                                k->max_lifetime ? k->max_lifetime : "")));
    slot = strhash_slot(&p->sec->upstreams_by_name, name);
    if (*slot)
        return ((struct plan_upstream *)*slot)->name;
    u = ARENA_NEW(p->a, struct plan_upstream);
    *slot = u;
    u->name = name;
    /* Connection reuse is an HTTP idea; stream upstreams have no keepalive. */
    u->keepalive = p->sec == &p->http;
    u->repeat = repeat > 1 ? repeat : 1;
    u->least_conn = lb && str_eq(lb->method, "LeastConnections");
    u->hash_key = lb && str_eq(lb->method, "ConsistentHash") ? o->hash_key : NULL;
    u->copies_are_backups = u->repeat > 1 && !u->hash_key;
    u->keepalive_connections = k && k->connections != INT_UNSET ? k->connections
                                                         : PLAN_DEFAULT_KEEPALIVE;
    u->keepalive_requests = k ? k->requests : INT_UNSET;
    u->keepalive_timeout = k ? k->idle_timeout : NULL;
    u->keepalive_time = k ? k->max_lifetime : NULL;
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

/* The CA bundle of a BackendTLSPolicy, written once under certs/. */
static const char *ca_file(struct planner *p, const struct policy_state *ps)
{
    const struct object *o = &ps->policy->obj;

    return plan_ca_bundle_file(
        p, ps->ca,
        arena_printf(p->a, "certs/ca_%s_%s.pem", o->meta.namespace, o->meta.name));
}

struct plan_target plan_target_of(struct planner *p, const struct backend *b,
                                  bool grpc, const struct gateway_state *gs)
{
    struct plan_target t = {0};

    /* nginx speaks HTTP/2 cleartext to backends only through grpc_pass,
     * which carries plain HTTP requests as well. */
    t.grpc = grpc || str_eq(ctl_backend_app_protocol(b), "kubernetes.io/h2c");
    if (b->status == BACKEND_INVALID) {
        t.status = 500;
        return t;
    }
    if (b->status == BACKEND_UNAVAILABLE) {
        t.status = 503;
        return t;
    }
    if (b->tls_policy && (!b->tls_policy->accepted || b->tls_policy->unverifiable)) {
        t.status = 500; /* the policy is unusable: fail, never fall back */
        return t;
    }
    t.upstream = plan_upstream_for(p, b, 1);
    if (!t.upstream) {
        t.address = arena_printf(p->a, "%s:%lld", b->dns_name, (long long)b->port_number);
        p->sec->needs_resolver = true;
    }
    t.websocket = str_eq(ctl_backend_app_protocol(b), "kubernetes.io/ws");
    if (b->tls_policy) {
        struct plan_target_tls *tls = ARENA_NEW(p->a, struct plan_target_tls);
        tls->name = b->tls_policy->policy->validation.hostname;
        tls->ca_file = b->tls_policy->ca ? ca_file(p, b->tls_policy) : PLAN_SYSTEM_CA_FILE;
        if (gs->backend_client_cert) {
            struct cert_files f = plan_certificate_files(p, gs->backend_client_cert);
            tls->client_cert_file = f.cert;
            tls->client_key_file = f.key;
        }
        t.tls = tls;
    }
    return t;
}
