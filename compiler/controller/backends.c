/*
 * backendRefs and mirror targets to Services (docs/spec-notes.md, "Backends and the 500 share").
 * A Service resolves to the ready addresses of its EndpointSlices (port
 * matched by name), else to its clusterIP, else to its cluster DNS name at
 * run time.  A Service absent from the input is BackendNotFound only under
 * --strict-refs; by default it is assumed to exist in the cluster.
 * Invalid references keep their share of traffic, answered with 500.
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* What a reference looks like, whether a backendRef or a mirror's. */
struct ref_view {
    const struct ynode *src;
    const char *group, *kind, *name, *namespace;
    int64_t port;
};

static void refs_failed(struct route_state *rs, enum cond_reason reason,
                        const char *message)
{
    if (rs->resolved) {
        rs->resolved = false;
        rs->refs_reason = reason;
        rs->refs_message = message;
    }
}

static const struct service_port *find_port(const struct service *s, int64_t port)
{
    size_t i;

    for (i = 0; i < s->n_ports; i++) {
        if (s->ports[i].port == port)
            return &s->ports[i];
    }
    return NULL;
}

static const char *ports_text(struct ctx *x, const struct service *s)
{
    const char *t = "";
    size_t i;

    for (i = 0; i < s->n_ports; i++)
        t = ctl_msgf(x, "%s%s%lld", t, i ? ", " : "", (long long)s->ports[i].port);
    return *t ? t : "none";
}

static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The API server stores any int32 as an EndpointSlice port; no proxy can
 * connect to port 0 or 70000, so such a port serves nothing. */
static bool port_usable(const struct endpoint_port *ep)
{
    return ep->port >= 1 && ep->port <= 65535;
}

void ctl_endpoint_slices_check(struct ctx *x)
{
    const struct ptrvec *pv = &x->m->objects[KIND_ENDPOINT_SLICE];
    size_t i, j;

    for (i = 0; i < pv->n; i++) {
        const struct endpoint_slice *es = pv->v[i];

        if (es->obj.rejected || str_eq(es->address_type, "FQDN"))
            continue;
        for (j = 0; j < es->n_ports; j++) {
            const struct endpoint_port *ep = &es->ports[j];
            if (ep->port == INT_UNSET || port_usable(ep))
                continue;
            ctl_finding(
                x, DIAG_ENDPOINT_PORT_UNUSABLE, &es->obj,
                ynode_get(ep->src, "port"),
                "port %lld is not a port number nginx can connect to (1-65535); "
                "the endpoints of this EndpointSlice are not used for it",
                (long long)ep->port);
        }
    }
}

/* "address:port", an IPv6 literal in brackets: written without printf,
 * once per endpoint of every Service a route uses. */
static const char *host_port(struct arena *a, const char *address, int64_t port)
{
    char digits[STR_DEC_MAX];
    const char *d = str_dec(digits, (uint64_t)port); /* 1-65535: port_usable() */
    size_t n = strlen(address), nd = (size_t)(digits + STR_DEC_MAX - d), at = 0;
    bool v6 = memchr(address, ':', n) != NULL;
    char *out = arena_alloc(a, n + 2 * v6 + 1 + nd + 1, 1);

    if (v6)
        out[at++] = '[';
    memcpy(out + at, address, n);
    at += n;
    if (v6)
        out[at++] = ']';
    out[at++] = ':';
    memcpy(out + at, d, nd);
    return out;
}

/* The port of an EndpointSlice that serves the Service's port sp (matched
 * by name, as kube-proxy does), or NULL; also NULL when that port is
 * unusable (reported by ctl_endpoint_slices_check()). */
static const struct endpoint_port *slice_port(const struct service *s,
                                              const struct service_port *sp,
                                              const struct endpoint_slice *es)
{
    size_t j;

    if (es->obj.rejected || !str_eq(es->obj.meta.namespace, s->obj.meta.namespace) ||
        !str_eq(model_strmap_get(&es->obj.meta.labels, "kubernetes.io/service-name"),
                s->obj.meta.name) ||
        str_eq(es->address_type, "FQDN"))
        return NULL;
    for (j = 0; j < es->n_ports; j++) {
        if (str_eq(es->ports[j].name, sp->name) && es->ports[j].port != INT_UNSET)
            return port_usable(&es->ports[j]) ? &es->ports[j] : NULL;
    }
    return NULL;
}

/* The ready addresses of one Service port, made once and shared by every
 * backend that names the port: a Service behind many rules (a split, a
 * mirror, several routes) listed its endpoints again for each. */
struct endpoint_list {
    const char **v; /* NULL: no EndpointSlice serves the port */
    uint32_t n;
};

/* Ready addresses of the Service's EndpointSlices for one port, sorted,
 * each once.  v is NULL when no slice serves the port, so the caller falls
 * back to the clusterIP.  Counted first, so that the list is made once at
 * its size. */
static struct endpoint_list list_endpoints(struct ctx *x, const struct service *s,
                                           const struct service_port *sp)
{
    const struct ptrvec *pv = model_endpoint_slices(x->m, s->obj.meta.namespace,
                                                    s->obj.meta.name);
    struct endpoint_list l = {NULL, 0};
    const char **addrs;
    bool found = false;
    size_t i, j, k, n = 0;

    for (i = 0; pv && i < pv->n; i++) {
        const struct endpoint_slice *es = pv->v[i];
        if (!slice_port(s, sp, es))
            continue;
        found = true;
        for (j = 0; j < es->n_endpoints; j++) {
            if (es->endpoints[j].conditions.ready != TRI_FALSE)
                n += es->endpoints[j].n_addresses;
        }
    }
    if (!found)
        return l;
    addrs = ARENA_NEW_ARRAY(x->c->arena, const char *, n);
    for (i = 0, n = 0; pv && i < pv->n; i++) {
        const struct endpoint_slice *es = pv->v[i];
        const struct endpoint_port *ep = slice_port(s, sp, es);
        for (j = 0; ep && j < es->n_endpoints; j++) {
            const struct endpoint *e = &es->endpoints[j];
            if (e->conditions.ready == TRI_FALSE)
                continue; /* unset means ready (discovery/v1) */
            for (k = 0; k < e->n_addresses; k++)
                addrs[n++] = host_port(x->c->arena, e->addresses[k], ep->port);
        }
    }
    if (n > 1)
        qsort(addrs, n, sizeof(*addrs), cmp_strp);
    l.v = addrs;
    for (i = 0; i < n; i++) {
        if (l.n && strcmp(l.v[l.n - 1], addrs[i]) == 0)
            continue; /* one endpoint in two slices */
        l.v[l.n++] = addrs[i];
    }
    return l;
}

/* The shared list of the port.  A small cache keyed by the port's address
 * in the model, not a table of every port: the backends naming one Service
 * port are mostly those of one route, resolved one after another (a split,
 * a rule per path), and a table entry per port cost more memory than the
 * shared lists saved.  A port evicted and asked for again is listed again:
 * the same list, only not shared. */
static bool endpoints(struct ctx *x, const struct service *s,
                      const struct service_port *sp, struct backend *b)
{
    struct ctl_endpoint_cache *e =
        &x->endpoint_cache[((uintptr_t)sp / sizeof(*sp)) % CTL_ENDPOINT_CACHE];

    if (e->port != sp) {
        struct endpoint_list l = list_endpoints(x, s, sp);
        e->port = sp;
        e->v = l.v;
        e->n = l.n;
    }
    if (!e->v)
        return false;
    b->endpoints = e->v;
    b->n_endpoints = e->n;
    return true;
}

/* Who refers: a route (its state collects ResolvedRefs), or a policy. */
struct referrer {
    const struct object *obj;
    struct route_state *rs; /* NULL for a policy */
};

/* hint: what the finding adds to the status message ("; did you mean"). */
static void invalid_hint(struct ctx *x, const struct referrer *from,
                         struct backend *b, enum diag_code code,
                         const struct ref_view *r, enum cond_reason reason,
                         const char *message, const char *hint)
{
    b->status = BACKEND_INVALID;
    if (from->rs)
        refs_failed(from->rs, reason, message);
    ctl_finding(x, code, from->obj, r->src, "%s (%s)%s", message,
                ctl_reason_name(reason), hint);
}

static void invalid(struct ctx *x, const struct referrer *from, struct backend *b,
                    enum diag_code code, const struct ref_view *r,
                    enum cond_reason reason, const char *message)
{
    invalid_hint(x, from, b, code, r, reason, message, "");
}

static void resolve(struct ctx *x, const struct referrer *rs, const struct ref_view *r,
                    struct backend *b)
{
    const struct object *route_obj = rs->obj;
    const char *ns = r->namespace ? r->namespace : route_obj->meta.namespace;
    const char *cluster_ip;
    const struct service *s;

    b->namespace = ns;
    b->name = r->name;
    b->port_number = r->port;
    b->status = BACKEND_OK;
    if (!str_eq(r->group, "") || !str_eq(r->kind, "Service")) {
        invalid(x, rs, b, DIAG_BACKEND_INVALID_KIND, r, REASON_INVALID_KIND,
                ctl_msgf(x,
                         "backend kind %s%s%s is not supported; gwc routes to core "
                         "Services",
                         *r->group ? r->group : "", *r->group ? "/" : "", r->kind));
        return;
    }
    /* The CRD lets a backendRef name be any string of 1-253 characters,
     * but a Service name is a DNS-1035 label: anything else names no
     * Service that can exist, and must never become a DNS name (or an
     * upstream name) in the output. */
    if (!schema_is_service_name(r->name)) {
        invalid(x, rs, b, DIAG_BACKEND_NOT_FOUND, r, REASON_BACKEND_NOT_FOUND,
                ctl_msgf(x,
                         "'%s' cannot name a Service: Service names are DNS-1035 "
                         "labels (lowercase letters, digits and '-', starting with "
                         "a letter, at most 63 characters)",
                         r->name));
        return;
    }
    if (!ctl_grant_allows(x, model_kind_name(route_obj->kind),
                          route_obj->meta.namespace, "", "Service", ns, r->name)) {
        invalid(x, rs, b, DIAG_REF_NOT_PERMITTED, r, REASON_REF_NOT_PERMITTED,
                ctl_msgf(x,
                         "Service '%s/%s' is in another namespace and no "
                         "ReferenceGrant there allows %s from '%s'",
                         ns, r->name, model_kind_name(route_obj->kind),
                         route_obj->meta.namespace));
        return;
    }
    if (r->port == INT_UNSET) {
        invalid(
            x, rs, b, DIAG_BACKEND_PORT_NOT_FOUND, r, REASON_BACKEND_NOT_FOUND,
            ctl_msgf(x, "reference to Service '%s/%s' has no port", ns, r->name));
        return;
    }
    s = (const struct service *)model_find(x->m, KIND_SERVICE, ns, r->name);
    if (s && s->obj.rejected) {
        invalid(x, rs, b, DIAG_BACKEND_NOT_FOUND, r, REASON_BACKEND_NOT_FOUND,
                ctl_msgf(x, "Service '%s/%s' is invalid and would not be stored",
                         ns, r->name));
        return;
    }
    if (!s) {
        if (!ctl_assume_exists(x, route_obj, r->src, KIND_SERVICE, ns, r->name,
                               "resolved by DNS at run time")) {
            invalid_hint(
                x, rs, b, DIAG_BACKEND_NOT_FOUND, r, REASON_BACKEND_NOT_FOUND,
                ctl_msgf(x, "Service '%s/%s' is not in the input", ns, r->name),
                ctl_name_suggestion(x, KIND_SERVICE, ns, r->name));
            return;
        }
        b->dns_name = ctl_msgf(x, "%s.%s.svc.cluster.local", r->name, ns);
        return;
    }
    b->service = s;
    b->port = find_port(s, r->port);
    if (!b->port) {
        invalid(x, rs, b, DIAG_BACKEND_PORT_NOT_FOUND, r, REASON_BACKEND_NOT_FOUND,
                ctl_msgf(x, "Service '%s/%s' has no port %lld (its ports: %s)", ns,
                         r->name, (long long)r->port, ports_text(x, s)));
        return;
    }
    if (str_eq(s->type, "ExternalName")) {
        /* The API server guarantees a DNS subdomain, perhaps with the
         * trailing dot of a fully qualified name, which nginx's resolver
         * does not want. */
        size_t n = strlen(s->external_name);
        b->dns_name = n && s->external_name[n - 1] == '.'
                          ? arena_strndup(x->c->arena, s->external_name, n - 1)
                          : s->external_name;
        return;
    }
    if (endpoints(x, s, b->port, b)) {
        if (b->n_endpoints == 0)
            b->status = BACKEND_UNAVAILABLE;
        return;
    }
    /* The API server fills clusterIP from clusterIPs[0] when only the list
     * is given. */
    cluster_ip = s->cluster_ip && *s->cluster_ip ? s->cluster_ip
                 : s->n_cluster_ips            ? s->cluster_ips[0]
                                               : NULL;
    if (cluster_ip && !str_eq(cluster_ip, "None")) {
        b->cluster_ip = cluster_ip;
        return;
    }
    b->dns_name = ctl_msgf(x, "%s.%s.svc.cluster.local", r->name, ns);
    ctl_finding(
        x, DIAG_BACKEND_DNS, route_obj, r->src,
        "Service '%s/%s' has neither EndpointSlices nor a clusterIP in the input; "
        "nginx resolves %s at run time",
        ns, r->name, b->dns_name);
}

static struct ref_view view_backend(const struct backend_ref *b)
{
    struct ref_view v = {b->src, b->group, b->kind, b->name, b->namespace, b->port};
    return v;
}

static struct ref_view view_object(const struct backend_object_ref *b)
{
    struct ref_view v = {b->src, b->group, b->kind, b->name, b->namespace, b->port};
    return v;
}

/* Filters gwc cannot program must fail closed, never be skipped. */
static void rule_filters(struct ctx *x, struct route_state *rs,
                         struct rule_state *st, const struct route_filter *f,
                         size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (f[i].type == FILTER_EXTENSION_REF) {
            st->fixed_status = 500;
            refs_failed(rs, REASON_INVALID_KIND,
                        ctl_msgf(x, "ExtensionRef %s '%s' is not supported",
                                 f[i].extension_ref->kind, f[i].extension_ref->name));
            ctl_finding(x, DIAG_EXTENSION_REF, &rs->route->obj, f[i].src,
                        "ExtensionRef filter %s/%s '%s' is not supported; matching "
                        "requests get 500",
                        f[i].extension_ref->group, f[i].extension_ref->kind,
                        f[i].extension_ref->name);
        } else if (f[i].type == FILTER_EXTERNAL_AUTH) {
            st->fixed_status = 500;
            ctl_finding(
                x, DIAG_NGINX_UNSUPPORTED, &rs->route->obj, f[i].src,
                "ExternalAuth needs njs or auth_request with a response "
                "contract gwc does not implement; matching requests get 500 "
                "(failing closed)");
        }
    }
}

static size_t count_mirrors(const struct route_rule *r)
{
    size_t i, n = 0;

    for (i = 0; i < r->n_filters; i++)
        n += r->filters[i].type == FILTER_REQUEST_MIRROR;
    return n;
}

bool ctl_backend_resolve_for(struct ctx *x, const struct object *from,
                             const struct backend_object_ref *ref,
                             struct backend *b)
{
    struct referrer who = {from, NULL};
    struct ref_view v = view_object(ref);

    resolve(x, &who, &v, b);
    return b->status != BACKEND_INVALID;
}

void ctl_backends_resolve(struct ctx *x, struct route_state *rs)
{
    const struct route *r = rs->route;
    struct referrer who = {&r->obj, rs};
    size_t i, j;

    rs->resolved = true;
    rs->n_rules = r->n_rules;
    rs->rules = ARENA_NEW_ARRAY(x->c->arena, struct rule_state, r->n_rules);
    for (i = 0; i < r->n_rules; i++) {
        const struct route_rule *rule = &r->rules[i];
        struct rule_state *st = &rs->rules[i];

        st->rule = rule;
        st->n_backends = rule->n_backend_refs;
        st->backends = ARENA_NEW_ARRAY(x->c->arena, struct backend, st->n_backends);
        for (j = 0; j < rule->n_backend_refs; j++) {
            struct ref_view v = view_backend(&rule->backend_refs[j]);
            st->backends[j].ref = &rule->backend_refs[j];
            resolve(x, &who, &v, &st->backends[j]);
        }
        st->mirrors = ARENA_NEW_ARRAY(x->c->arena, struct backend, count_mirrors(rule));
        for (j = 0; j < rule->n_filters; j++) {
            struct ref_view v;
            if (rule->filters[j].type != FILTER_REQUEST_MIRROR)
                continue;
            v = view_object(&rule->filters[j].request_mirror->backend_ref);
            resolve(x, &who, &v, &st->mirrors[st->n_mirrors++]);
        }
        rule_filters(x, rs, st, rule->filters, rule->n_filters);
    }
}
