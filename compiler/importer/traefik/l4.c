/*
 * IngressRouteTCP and IngressRouteUDP (doc.traefik.io/traefik/reference/
 * routing-configuration/kubernetes/crd/tcp/ingressroutetcp/ and
 * .../crd/udp/ingressrouteudp/):
 *   - entryPoints: each the port of a listener (entrypoints.c); none:
 *     every entry point of the protocol the import knows;
 *   - TCP routes[].match (the TCP rule language, rule.c): with
 *     tls.passthrough a TLSRoute per HostSNI name on a TLS listener in
 *     Passthrough mode; with tls.secretName Traefik ends TLS, a TLSRoute on
 *     a TLS listener in Terminate mode; without tls only HostSNI(`*`)
 *     matches (a plain connection has no SNI), a TCPRoute;
 *   - UDP routes[]: services only, a UDPRoute;
 *   - services[]: Service ports, weighted (unset: 1) when several.
 * A route with middlewares (MiddlewareTCP: ipAllowList, inFlightConn;
 * gwc's policies do not apply to TCP and TLS routes) keeps its listeners
 * with no route: gwc closes their connections, Traefik's routers ranked
 * below it do not take them, and an allow list never becomes an open
 * port (ipAllowList fails closed, GW0831).  A TCP or
 * UDP listener carries one route, so the first router of an entry point
 * in Traefik's order (priority, by default the rule's length) takes it
 * and the others are reported.
 */
#include "tr.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/strbuf.h"

#include <string.h>

enum l4_mode { L4_TCP, L4_UDP, L4_PASSTHROUGH, L4_TERMINATE };

struct l4 {
    struct tr_router r; /* src, at, namespace, name, alts, backends, secret */
    enum l4_mode mode;
    const int64_t *ports;
    size_t n_ports;
    bool closed; /* its listeners are written without the route */
};

/* The ports of the object's entry points, each reported when the import
 * cannot serve the router there.  None listed: Traefik's default, every
 * entry point (those the import knows, of the router's transport). */
static size_t entry_points(struct imp *im, const struct imp_src *src,
                           const struct crd *o, bool udp, int64_t **out)
{
    const struct ynode *eps = imp_crd_seq(ynode_get(o->spec, "entryPoints"));
    bool listed = eps && eps->n;
    size_t i, k, n = listed ? eps->n : 2 + im->o->n_entry_points, n_ports = 0;
    const char **names = ARENA_NEW_ARRAY(im->a, const char *, n);
    int64_t port;
    bool ep_udp;

    for (i = 0; i < n; i++) {
        const char *e = listed || i < 2 ? NULL : im->o->entry_points[i - 2];
        names[i] = listed  ? imp_crd_text(eps->items[i])
                   : i < 2 ? (i ? "websecure" : "web")
                           : arena_strndup(im->a, e, (size_t)(strchr(e, '=') - e));
    }
    *out = ARENA_NEW_ARRAY(im->a, int64_t, n);
    for (i = 0; i < n; i++) {
        const char *ep = names[i];
        if (!tr_entry_point(im, ep, &port, &ep_udp)) {
            tr_entry_point_unknown(im, src, eps->items[i], ep);
            continue;
        }
        if (ep_udp != udp) {
            if (listed)
                imp_report_src(im, src, eps->items[i], DIAG_IMPORT_NOT_CONVERTED,
                               "not converted: entry point '%s' listens on %s, not "
                               "%s; Traefik does not serve the router there",
                               imp_report_value(im, ep), ep_udp ? "UDP" : "TCP",
                               udp ? "UDP" : "TCP");
            continue;
        }
        for (k = 0; k < n_ports && (*out)[k] != port; k++)
            ;
        if (k == n_ports)
            (*out)[n_ports++] = port;
    }
    if (!n_ports && !listed)
        imp_report_src(im, src, o->spec, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: no entryPoints are listed and the import "
                       "knows no %s entry point to serve the routes on",
                       udp ? "UDP" : "TCP");
    return n_ports;
}

static const struct ynode *seq(const struct ynode *n)
{
    return imp_crd_seq(n);
}

/* The route's services as x's backends; false when one is not converted
 * (reported), which leaves the route out: a share of the connections
 * would otherwise go to the others. */
static bool services(struct imp *im, struct l4 *x, const struct crd *o,
                     const struct ynode *rt)
{
    const struct ynode *svcs = seq(ynode_get(rt, "services"));
    bool ok = true;
    size_t i;

    if (!svcs || !svcs->n) {
        imp_report_src(im, &x->r.src, rt, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: a route without services");
        return false;
    }
    for (i = 0; i < svcs->n; i++) {
        const struct ynode *kind = ynode_get(svcs->items[i], "kind");
        if (kind) { /* TCP and UDP services are Services only */
            imp_report_src(im, &x->r.src, kind, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: the services of an %s have no kind "
                           "(TraefikService is HTTP only); the route is left out",
                           o->kind);
            ok = false;
        }
    }
    return ok && tr_services_add(im, &x->r, svcs, o->namespace);
}

/* How a TCP route is served, from the IngressRouteTCP's tls. */
static bool tls_mode(struct imp *im, struct l4 *x, const struct ynode *tls)
{
    static const char *const known[] = {"passthrough", "secretName", "options",
                                        NULL};
    const struct ynode *pt = ynode_get(tls, "passthrough");
    const struct ynode *opts = ynode_get(tls, "options");
    const char *opts_ns = imp_crd_text(ynode_get(opts, "namespace"));
    bool passthrough = false;

    x->mode = L4_TCP;
    if (!tls)
        return true;
    imp_report_other_fields(im, x->r.src.label, x->r.src.root, tls, known,
                            "Traefik");
    if (pt && !(pt->kind == YNODE_SCALAR &&
                imp_value_parse_go_bool(pt->text, &passthrough))) {
        imp_report_src(im, &x->r.src, pt, DIAG_IMPORT_BAD_VALUE,
                       "passthrough is true or false");
        return false;
    }
    if (passthrough) {
        x->mode = L4_PASSTHROUGH;
        return true;
    }
    x->r.secret = imp_crd_text(ynode_get(tls, "secretName"));
    if (x->r.secret &&
        !tr_secret_name_ok(im, &x->r.src, ynode_get(tls, "secretName"), x->r.secret))
        return false;
    if (!x->r.secret) {
        imp_report_src(
            im, &x->r.src, tls, DIAG_IMPORT_TLS,
            "not converted: TLS without secretName uses Traefik's default "
            "certificate, which the import cannot name; the routes are "
            "left out");
        return false;
    }
    x->mode = L4_TERMINATE;
    /* Terminated here, so its TLS options apply: when they ask for client
     * certificates its connections are closed (x->closed). */
    tr_tls_options(im, &x->r.src, opts ? opts : tls, opts_ns ? opts_ns : x->r.namespace,
                   imp_crd_text(ynode_get(opts, "name")), NULL, &x->r.tls);
    if (x->r.tls.cc)
        imp_report_src(im, &x->r.src, opts ? opts : tls, DIAG_IMPORT_FAIL_CLOSED,
                       "access control not converted exactly: the import converts "
                       "client certificates for HTTPS routers only; the listeners "
                       "are written without this route, so their connections are "
                       "closed instead of being served without a certificate");
    x->closed |= x->r.tls.denied || x->r.tls.cc;
    return true;
}

/* A MiddlewareTCP of the route, in the route's namespace unless it says
 * another (Traefik's allowCrossNamespace).  None converts: the route's
 * connections are closed instead (x->closed), reported at the
 * MiddlewareTCP's field once, or at the reference when it is missing. */
static void middleware(struct imp *im, struct l4 *x, const struct ynode *ref)
{
    const char *ns = imp_crd_text(ynode_get(ref, "namespace"));
    const char *name = imp_crd_text(ynode_get(ref, "name"));
    const struct crd *o = NULL;
    const struct ynode *m;
    const char *key;
    size_t i;

    x->closed = true;
    ns = ns ? ns : x->r.namespace;
    for (i = 0; name && i < TR(im)->crds.n; i++) {
        const struct crd *c = TR(im)->crds.v[i];
        if (str_eq(c->kind, "MiddlewareTCP") && str_eq(c->namespace, ns) &&
            str_eq(c->name, name))
            o = c;
    }
    if (!o) {
        imp_report_src(im, &x->r.src, ref, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: no MiddlewareTCP of that name in the input "
                       "(Traefik drops the router); the route's listeners are "
                       "written without it, so their connections are closed");
        return;
    }
    imp_report_src(im, &x->r.src, ref, DIAG_IMPORT_NOT_CONVERTED,
                   "not converted: %s (below or above); the route's listeners "
                   "are written without it, so their connections are closed "
                   "(unless another listener keeps the port: reported at the "
                   "route)",
                   o->label);
    key = arena_printf(im->a, "MiddlewareTCP %s", o->label);
    if (imp_index_get(&TR(im)->converted, key))
        return;
    imp_index_put(im->a, &TR(im)->converted, key, (void *)key);
    m = o->spec && o->spec->kind == YNODE_MAP && o->spec->n ? o->spec->items[0]
                                                            : o->root;
    if (str_eq(m->key, "ipAllowList") || str_eq(m->key, "ipWhiteList"))
        imp_report_src(im, &(struct imp_src){o->label, o->root}, m,
                       DIAG_IMPORT_FAIL_CLOSED,
                       "access control not converted: gwc has no address lists "
                       "for TCP and TLS routes; the listeners of the routes "
                       "using it are written without them, so their connections "
                       "are closed rather than served to every address");
    else
        imp_report_src(im, &(struct imp_src){o->label, o->root}, m,
                       DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: gwc has no %s for TCP and TLS routes; the "
                       "listeners of the routes using it are written without "
                       "them, so their connections are closed",
                       str_eq(m->key, "inFlightConn") ? "connection limits"
                                                      : "such middleware");
}

static struct l4 *route(struct imp *im, const struct crd *o, const struct ynode *rt,
                        size_t index, const struct ynode *tls, bool udp)
{
    static const char *const tcp_known[] = {"match",       "priority", "services",
                                            "middlewares", "syntax",   NULL};
    static const char *const udp_known[] = {"services", NULL};
    struct l4 *x = ARENA_NEW(im->a, struct l4);
    const struct ynode *match = ynode_get(rt, "match");
    const struct ynode *mws = seq(ynode_get(rt, "middlewares"));
    bool v2 = str_eq(o->group, "traefik.containo.us") ||
              str_eq(imp_crd_text(ynode_get(rt, "syntax")), "v2");
    size_t i;

    x->r.l4 = true;
    x->r.src.label = o->label;
    x->r.src.root = o->root;
    x->r.at = rt;
    x->r.namespace = o->namespace;
    x->r.name = index ? arena_printf(im->a, "%s-%zu", o->name, index + 1) : o->name;
    imp_report_other_fields(im, o->label, o->root, rt, udp ? udp_known : tcp_known,
                            "Traefik");
    if (!services(im, x, o, rt))
        return NULL;
    if (udp) { /* no rule: one alternative, any host */
        x->mode = L4_UDP;
        ptrvec_push(im->a, &x->r.alts, ARENA_NEW(im->a, struct tr_alt));
        return x;
    }
    if (!tls_mode(im, x, tls))
        return NULL;
    for (i = 0; mws && i < mws->n; i++)
        middleware(im, x, mws->items[i]);
    tr_priority(im, &x->r, rt);
    /* A closed router's rule is widened rather than left out: left out,
     * its connections would go to the routers below it, open. */
    if (!tr_rule_alternatives(im, &x->r.src, match, v2, true, x->closed, &x->r.alts,
                              NULL)) {
        imp_report_src(im, &x->r.src, rt, DIAG_IMPORT_NOT_CONVERTED,
                       "this route is not converted: its connections go to the "
                       "routers Traefik ranks below it");
        return NULL;
    }
    for (i = 0; x->mode == L4_TCP && i < x->r.alts.n; i++) {
        const struct tr_alt *a = x->r.alts.v[i];
        if (a->n_hosts) {
            imp_report_in_scalar(
                im, x->r.src.label, x->r.src.root, match, a->host_off,
                DIAG_IMPORT_NOT_CONVERTED,
                "not converted: HostSNI(`%s`) without tls never "
                "matches (a plain TCP connection has no SNI); only "
                "HostSNI(`*`) does",
                imp_report_value(im, a->hosts[0]));
            return NULL;
        }
    }
    return x;
}

static void routes_of(struct imp *im, const struct crd *o, bool udp,
                      struct ptrvec *out)
{
    static const char *const tcp_known[] = {"entryPoints", "routes", "tls",
                                            "ingressClassName", NULL};
    static const char *const udp_known[] = {"entryPoints", "routes",
                                            "ingressClassName", NULL};
    const struct ynode *routes = seq(ynode_get(o->spec, "routes"));
    const struct ynode *tls = udp ? NULL : ynode_get(o->spec, "tls");
    const struct imp_src src = {o->label, o->root};
    int64_t *ports;
    size_t i, n_ports;

    if (!tr_class_ok(im, o))
        return;
    imp_report_other_fields(im, o->label, o->root, o->spec,
                            udp ? udp_known : tcp_known, "Traefik");
    n_ports = entry_points(im, &src, o, udp, &ports);
    for (i = 0; routes && i < routes->n; i++) {
        struct l4 *x = route(im, o, routes->items[i], i, tls, udp);
        if (!x || !n_ports)
            continue;
        x->ports = ports;
        x->n_ports = n_ports;
        ptrvec_push(im->a, out, x);
    }
}

/* ---- output ---- */

static const char *const protocols[] = {"TCP", "UDP", "TLS", "TLS"};
static const enum kind kinds[] = {KIND_TCP_ROUTE, KIND_UDP_ROUTE, KIND_TLS_ROUTE,
                                  KIND_TLS_ROUTE};

/* Traefik's order, across namespaces (one Traefik served them all): the
 * higher priority first, then the name. */
static int cmp_l4(const void *pa, const void *pb)
{
    const struct l4 *a = *(const struct l4 *const *)pa;
    const struct l4 *b = *(const struct l4 *const *)pb;
    int c;

    if (a->r.priority != b->r.priority)
        return a->r.priority > b->r.priority ? -1 : 1;
    c = strcmp(a->r.namespace, b->r.namespace);
    return c ? c : strcmp(a->r.name, b->r.name);
}

struct wanted_l4 {
    const char *proto, *host;
    int64_t port;
};

/* A listener the new one cannot share its port with, as validation sees
 * it: UDP shares a port number with anything else; HTTPS and TLS tell
 * their hostnames apart by SNI; TCP takes its port alone.  Every Gateway
 * counts: one Traefik served them all, on the same addresses. */
static bool clashes(const struct o_listener *l, const void *ctx)
{
    const struct wanted_l4 *w = ctx;
    bool l_tls = str_eq(l->protocol, "HTTPS") || str_eq(l->protocol, "TLS");

    if (l->port != w->port || str_eq(l->protocol, "UDP") != str_eq(w->proto, "UDP"))
        return false;
    return !l_tls || !str_eq(w->proto, "TLS") ||
           str_eq(l->hostname ? l->hostname : "", w->host);
}

static const struct o_listener *clash(const struct imp *im, const char *proto,
                                      int64_t port, const char *host,
                                      const struct o_gateway **owner)
{
    struct wanted_l4 w = {proto, host, port};
    const struct o_listener *l = NULL;
    size_t g;

    for (g = 0; g < im->gateways.n && !l; g++)
        l = imp_listener_find(im->gateways.v[g], clashes, &w, owner);
    return l;
}

struct https_hosts {
    int64_t port;
    struct strbuf names;
    size_t n;
};

static bool https_host(const struct o_listener *l, const void *ctx)
{
    struct https_hosts *h = (struct https_hosts *)ctx;

    if (l->port == h->port && str_eq(l->protocol, "HTTPS") && l->hostname) {
        if (h->n++ < 3)
            strbuf_addf(&h->names, "%s'%s'", h->names.len ? ", " : "", l->hostname);
    }
    return false;
}

/* A TLS router for every host (HostSNI(`*`)): Traefik tries TCP routers
 * before the HTTP routers of an entry point, so it took the connections
 * of the HTTPS hosts of the port too; a Gateway gives them to their own
 * listeners, more specific than this one.  Said, since the hosts' traffic
 * now reaches other backends than in Traefik. */
static void catch_all_over_https(struct imp *im, const struct l4 *x, int64_t port)
{
    struct https_hosts h = {port, STRBUF_INIT, 0};
    const struct o_gateway *owner;
    size_t g;

    for (g = 0; g < im->gateways.n; g++)
        imp_listener_find(im->gateways.v[g], https_host, &h, &owner);
    if (h.n)
        imp_report_src(im, &x->r.src, x->r.at, DIAG_IMPORT_APPROXIMATED,
                       "this router takes the TLS connections of every host of "
                       "port %lld, and Traefik tries TCP routers before HTTP "
                       "routers: it also took those of the HTTPS host%s %s%s; "
                       "on the Gateway their own listeners keep them, and their "
                       "HTTP routes serve them",
                       (long long)port, h.n > 1 ? "s" : "", h.names.buf,
                       h.n > 3 ? " and others" : "");
    strbuf_release(&h.names);
}

static void write_one(struct imp *im, struct index *taken, const struct l4 *x)
{
    struct o_gateway *gw = imp_gateway_for(im, "traefik");
    const char *proto = protocols[x->mode];
    size_t i, k;

    for (k = 0; k < x->r.alts.n; k++) {
        const struct tr_alt *a = x->r.alts.v[k];
        const char *host = a->n_hosts ? a->hosts[0] : "";
        struct o_rule *rule = imp_routes_rule_new(im, x->r.src.root, NULL, 0, NULL, 0);
        struct ptrvec rules = {0};
        const char *base = *host ? arena_printf(im->a, "%s-%s", x->r.name,
                                                imp_name_host_label(im->a, host))
                                 : x->r.name;

        rule->backends = x->r.backends;
        ptrvec_push(im->a, &rules, rule);
        for (i = 0; i < x->n_ports; i++) {
            const char *key = arena_printf(im->a, "%s/%lld/%s", proto,
                                           (long long)x->ports[i], host);
            const struct l4 *first = imp_index_get(taken, key);
            const struct o_listener *other;
            const struct o_gateway *owner;
            const char *section;
            if (first && x->mode == L4_UDP) {
                imp_report_src(
                    im, &x->r.src, x->r.at, DIAG_IMPORT_NOT_CONVERTED,
                    "not converted: a UDP listener carries one route, and "
                    "router %s/%s, first by namespace and name, has port "
                    "%lld",
                    first->r.namespace, first->r.name, (long long)x->ports[i]);
                continue;
            }
            if (first) {
                imp_report_src(im, &x->r.src, x->r.at, DIAG_IMPORT_NOT_CONVERTED,
                               "not converted: router %s/%s (priority %lld) comes "
                               "first in Traefik's order and takes the %s "
                               "connections of port %lld%s%s",
                               first->r.namespace, first->r.name,
                               (long long)first->r.priority, proto,
                               (long long)x->ports[i], *host ? " for " : "", host);
                continue;
            }
            if ((other = clash(im, proto, x->ports[i], host, &owner)) != NULL) {
                bool http = str_eq(other->protocol, "HTTP") ||
                            str_eq(other->protocol, "HTTPS");
                imp_report_src(
                    im, &x->r.src, x->r.at, DIAG_IMPORT_NOT_CONVERTED,
                    "not converted: this %s listener on port %lld%s%s "
                    "cannot share the port with %s listener '%s' of "
                    "Gateway %s/%s%s",
                    proto, (long long)x->ports[i], *host ? " for " : "", host,
                    other->protocol, other->name, owner->namespace, owner->name,
                    !http ? ", written for a router before this one in "
                            "Traefik's order"
                    : x->closed
                        ? "; Traefik tries TCP routers before the HTTP routers of "
                          "an entry point and would give these connections to "
                          "this route, closing those its middlewares or TLS "
                          "options refuse; here the HTTP routers keep the port, "
                          "so the connections reach their routes (never this "
                          "route's services), not closed"
                        : "; Traefik tries TCP routers before the HTTP "
                          "routers of an entry point, here the HTTP routers "
                          "keep the port");
                continue;
            }
            imp_index_put(im->a, taken, key, (void *)x);
            if (!*host && str_eq(proto, "TLS"))
                catch_all_over_https(im, x, x->ports[i]);
            section = imp_listener_add_port(
                im, gw, &x->r.src, x->r.at, proto, x->ports[i], host,
                x->mode == L4_TERMINATE ? x->r.secret : NULL, x->r.namespace);
            if (x->closed) { /* no route brings the listener's origin */
                imp_origin_add(im, &gw->origins, x->r.src.root);
                continue;
            }
            imp_routes_emit(im, kinds[x->mode], x->r.namespace,
                            x->n_ports > 1 ? arena_printf(im->a, "%s-%lld", base,
                                                          (long long)x->ports[i])
                                           : base,
                            host, gw, &rules, &section, 1);
        }
    }
}

void tr_l4_routes(struct imp *im)
{
    struct ptrvec v = {0};
    struct index taken = {0};
    size_t i;

    for (i = 0; i < TR(im)->crds.n; i++) {
        const struct crd *o = TR(im)->crds.v[i];
        if (str_eq(o->kind, "IngressRouteTCP") ||
            str_eq(o->kind, "IngressRouteUDP"))
            routes_of(im, o, str_eq(o->kind, "IngressRouteUDP"), &v);
    }
    ptrvec_sort(&v, cmp_l4);
    for (i = 0; i < v.n; i++)
        write_one(im, &taken, v.v[i]);
}
