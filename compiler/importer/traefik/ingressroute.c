/*
 * IngressRoute (doc.traefik.io/traefik/reference/routing-configuration/
 * kubernetes/crd/http/ingressroute/):
 *   - entryPoints: web (port 80), websecure (443); none: both;
 *   - routes[]: match (the rule), priority (default: the rule's length),
 *     syntax (v2 for the v2 grammar), services, middlewares (in order);
 *   - tls.secretName: the certificate of the route's hosts on websecure;
 *   - services[]: a Service port (weight: 1 when unset) or a
 *     TraefikService: weighted (weights multiply when nested) or
 *     mirroring (a mirror at 100 percent becomes RequestMirror).
 * IngressRouteTCP and IngressRouteUDP: l4.c.
 */
#include "tr.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

#define MAX_SERVICE_DEPTH 4
/* Services one reference may expand to: TraefikServices that name each
 * other several times grow exponentially with the depth. */
#define MAX_EXPANDED_SERVICES 64

static const struct ynode *seq(const struct ynode *n)
{
    return n && n->kind == YNODE_SEQ ? n : NULL;
}

static void other_fields(struct imp *im, const struct imp_src *src,
                         const struct ynode *map, const char *const *known)
{
    imp_report_other_fields(im, src->label, src->root, map, known, "Traefik");
}

/* What becomes of a route whose service is not converted. */
static const char *fate(const struct tr_router *r)
{
    return r->l4 ? "the route is left out" : "the route answers 500";
}

bool tr_backend_add(struct imp *im, struct tr_router *r, const struct ynode *at,
                    const char *ns, const char *name, int64_t number,
                    const char *port_name, int64_t weight)
{
    const struct object *o = imp_find_object(im, KIND_SERVICE, ns, name);
    const struct service *svc = (const struct service *)o;
    struct backend b;
    struct o_rule tmp;
    size_t i;

    memset(&b, 0, sizeof(b));
    b.src = at;
    b.namespace = ns;
    b.service = name;
    b.port = number;
    for (i = 0; svc && port_name && !b.port && i < svc->n_ports; i++) {
        if (str_eq(svc->ports[i].name, port_name))
            b.port = svc->ports[i].port;
    }
    if (!b.port) {
        imp_report_src(
            im, &r->src, at, DIAG_IMPORT_NOT_CONVERTED,
            "not converted: a Service port number, or the name of a port "
            "of Service %s/%s in the input, expected; %s",
            ns, name, fate(r));
        return false;
    }
    memset(&tmp, 0, sizeof(tmp));
    tmp.backends = r->backends;
    imp_routes_rule_add_backend(im, &tmp, &b, weight);
    r->backends = tmp.backends;
    return true;
}

/* One reference's expansion: the budget of services left, and the
 * TraefikServices being expanded, outermost first (chain[d] at depth d),
 * so that one naming itself is seen as a cycle and said once, rather than
 * walked round until the depth limit, saying its errors at every turn. */
struct expand {
    size_t left;
    const struct crd *chain[MAX_SERVICE_DEPTH + 1];
};

static bool service_add(struct imp *im, struct tr_router *r, const struct ynode *svc,
                        const char *ns, int64_t weight, int depth, struct expand *e);

static int64_t gcd(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Traefik balances each weighted list by its own weights: a nested
 * TraefikService gets its weight's share of the list, which its own list
 * then splits.  The backends r->backends[from[i], from[i + 1]) came from
 * the list's entry i (weight w[i]); they are scaled so that their totals
 * stand as the w[i], then reduced.  False when a weight would pass Gateway
 * API's 1000000 (reported). */
static bool balance(struct imp *im, struct tr_router *r, const struct ynode *at,
                    const size_t *from, const int64_t *w, size_t n)
{
    struct o_backend **b = (struct o_backend **)r->backends.v;
    int64_t m = 1, g = 0, t, f;
    size_t i, k;
    bool ok = true;

    for (i = 0; i < n; i++) {
        for (t = 0, k = from[i]; k < from[i + 1]; k++)
            t += b[k]->weight;
        if (t && w[i] && __builtin_mul_overflow(m / gcd(m, t / gcd(t, w[i])),
                                                t / gcd(t, w[i]), &m))
            ok = false;
    }
    for (i = 0; ok && i < n; i++) {
        for (t = 0, k = from[i]; k < from[i + 1]; k++)
            t += b[k]->weight;
        f = t ? m / (t / gcd(t, w[i])) * (w[i] / gcd(t, w[i])) : 0;
        for (k = from[i]; ok && k < from[i + 1]; k++) {
            ok = !__builtin_mul_overflow(b[k]->weight, f, &b[k]->weight);
            g = gcd(g, b[k]->weight);
        }
    }
    for (k = from[0]; ok && g > 1 && k < from[n]; k++)
        b[k]->weight /= g;
    for (k = from[0]; ok && k < from[n]; k++)
        ok = b[k]->weight <= 1000000;
    if (!ok)
        imp_report_src(im, &r->src, at, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: the shares of these nested weighted "
                       "services need weights past Gateway API's 1000000; %s",
                       fate(r));
    return ok;
}

static bool traefik_service(struct imp *im, struct tr_router *r,
                            const struct ynode *at, const struct crd *ts,
                            int64_t weight, int depth, struct expand *e)
{
    const struct ynode *w = ynode_get(ts->spec, "weighted");
    const struct ynode *mi = ynode_get(ts->spec, "mirroring");
    const struct ynode *list = seq(ynode_get(w, "services"));
    size_t i;

    if (w && list) {
        size_t *from = ARENA_NEW_ARRAY(im->a, size_t, list->n + 1);
        int64_t *subs = ARENA_NEW_ARRAY(im->a, int64_t, list->n + 1);
        bool ok = true;
        for (i = 0; i < list->n; i++) {
            const struct ynode *wn = ynode_get(list->items[i], "weight");
            subs[i] = 1;
            if (wn && !tr_int(wn, 0, 1000000, &subs[i])) {
                imp_report_src(im, &r->src, wn, DIAG_IMPORT_BAD_VALUE,
                               "a weight is an integer from 0 to 1000000");
                return false;
            }
            from[i] = r->backends.n;
            ok = service_add(im, r, list->items[i], ts->namespace, subs[i],
                             depth + 1, e) &&
                 ok;
        }
        from[list->n] = r->backends.n;
        (void)weight; /* the list that names this one balances it */
        return ok && balance(im, r, at, from, subs, list->n);
    }
    if (mi) {
        const struct ynode *mirrors = seq(ynode_get(mi, "mirrors"));
        struct tr_router tmp;

        if (!service_add(im, r, mi, ts->namespace, weight, depth + 1, e))
            return false;
        if (mirrors && mirrors->n > 1) {
            imp_report_src(im, &r->src, mirrors, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: Gateway API rules take one mirror per "
                           "backend list here; only the first is kept");
        }
        if (!mirrors || !mirrors->n)
            return true;
        {
            const struct ynode *pct = ynode_get(mirrors->items[0], "percent");
            int64_t p = 100;
            if (pct && (!tr_int(pct, 0, 100, &p) || p != 100)) {
                imp_report_src(im, &r->src, pct, DIAG_IMPORT_NOT_CONVERTED,
                               "not converted: gwc writes mirrors of every request "
                               "(percent 100); this mirror is left out");
                return true;
            }
        }
        memset(&tmp, 0, sizeof(tmp));
        tmp.src = r->src;
        if (service_add(im, &tmp, mirrors->items[0], ts->namespace, -1, depth + 1,
                        e) &&
            tmp.backends.n) {
            if (!r->filters)
                r->filters = ARENA_NEW(im->a, struct o_filters);
            r->filters->mirror = tmp.backends.v[0];
        }
        return true;
    }
    imp_report_src(im, &r->src, at, DIAG_IMPORT_NOT_CONVERTED,
                   "not converted: TraefikService %s/%s is neither weighted nor "
                   "mirroring (failover and highestRandomWeight need a policy); %s",
                   ts->namespace, ts->name, fate(r));
    return false;
}

static bool service_add(struct imp *im, struct tr_router *r, const struct ynode *svc,
                        const char *ns, int64_t weight, int depth, struct expand *e)
{
    static const char *const known[] = {"name", "namespace", "kind", "port",
                                        "weight", "mirrors", NULL};
    const char *name = imp_crd_text(ynode_get(svc, "name"));
    const char *kind = imp_crd_text(ynode_get(svc, "kind"));
    const char *sns = imp_crd_text(ynode_get(svc, "namespace"));
    const struct ynode *port = ynode_get(svc, "port");
    int64_t number = 0;

    if (e->left <= 1) { /* 1: the budget is spent, and not yet said */
        if (e->left)
            imp_report_src(im, &r->src, svc, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: the TraefikServices expand to more "
                           "than %d services; %s",
                           MAX_EXPANDED_SERVICES, fate(r));
        e->left = 0;
        return false;
    }
    --e->left;
    other_fields(im, &r->src, svc, known);
    if (depth > MAX_SERVICE_DEPTH) {
        imp_report_src(im, &r->src, svc, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: TraefikServices nested more than %d deep",
                       MAX_SERVICE_DEPTH);
        return false;
    }
    if (!name) {
        imp_report_src(im, &r->src, svc, DIAG_IMPORT_BAD_VALUE,
                       "a service needs a name");
        return false;
    }
    if (sns && !str_eq(sns, ns)) {
        /* allowCrossNamespace is off by default: Traefik refuses it. */
        imp_report_src(
            im, &r->src, ynode_get(svc, "namespace"), DIAG_IMPORT_NOT_CONVERTED,
            "not converted: Traefik refuses a service in another namespace "
            "unless allowCrossNamespace is set; %s",
            fate(r));
        return false;
    }
    if (str_eq(kind, "TraefikService")) {
        const struct crd *ts = tr_crd_find(im, "TraefikService", ns, name);
        if (!ts) {
            imp_report_src(
                im, &r->src, svc, DIAG_IMPORT_NOT_CONVERTED,
                "not converted: no TraefikService %s/%s in the input; %s", ns, name,
                fate(r));
            return false;
        }
        for (int d = 0; d < depth; d++) {
            if (e->chain[d] == ts) {
                imp_report_src(im, &r->src, svc, DIAG_IMPORT_NOT_CONVERTED,
                               "not converted: TraefikService %s/%s names itself "
                               "(a cycle, which reaches no Service); %s",
                               ns, name, fate(r));
                return false;
            }
        }
        e->chain[depth] = ts;
        return traefik_service(im, r, svc, ts, weight < 0 ? 1 : weight, depth, e);
    }
    if (kind && !str_eq(kind, "Service")) {
        imp_report_src(im, &r->src, ynode_get(svc, "kind"), DIAG_IMPORT_BAD_VALUE,
                       "kind is Service or TraefikService");
        return false;
    }
    if (!imp_value_service_name(name)) {
        imp_report_src(im, &r->src, ynode_get(svc, "name"), DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: '%s' is no Service name (a DNS-1035 "
                       "label); %s",
                       imp_report_value(im, name), fate(r));
        return false;
    }
    tr_int(port, 1, 65535, &number);
    return tr_backend_add(im, r, port ? port : svc, ns, name, number,
                          imp_crd_text(port), weight);
}

bool tr_service_add(struct imp *im, struct tr_router *r, const struct ynode *svc,
                    const char *ns, int64_t weight, int depth)
{
    struct expand e;

    memset(&e, 0, sizeof(e));
    e.left = MAX_EXPANDED_SERVICES + 1;
    return service_add(im, r, svc, ns, weight, depth, &e);
}

bool tr_services_add(struct imp *im, struct tr_router *r, const struct ynode *svcs,
                     const char *ns)
{
    bool ok = true;
    size_t i;

    size_t *from = ARENA_NEW_ARRAY(im->a, size_t, svcs->n + 1);
    int64_t *ws = ARENA_NEW_ARRAY(im->a, int64_t, svcs->n + 1);

    for (i = 0; i < svcs->n; i++) {
        const struct ynode *wn = ynode_get(svcs->items[i], "weight");
        ws[i] = svcs->n > 1 ? 1 : -1;
        if (wn && !tr_int(wn, 0, 1000000, &ws[i]))
            imp_report_src(im, &r->src, wn, DIAG_IMPORT_BAD_VALUE,
                           "a weight is an integer from 0 to 1000000");
        from[i] = r->backends.n;
        ok = tr_service_add(im, r, svcs->items[i], ns, ws[i], 0) && ok;
    }
    from[svcs->n] = r->backends.n;
    return ok && (svcs->n < 2 || balance(im, r, svcs, from, ws, svcs->n));
}

void tr_priority(struct imp *im, struct tr_router *r, const struct ynode *rt)
{
    const struct ynode *prio = ynode_get(rt, "priority");
    const char *rule = imp_crd_text(ynode_get(rt, "match"));
    int64_t length = rule ? (int64_t)strlen(rule) : 0;

    r->priority = length;
    if (prio && !tr_int(prio, 0, INT32_MAX, &r->priority))
        imp_report_src(im, &r->src, prio, DIAG_IMPORT_BAD_VALUE,
                       "priority is a non-negative integer");
    else if (prio && r->priority == 0)
        r->priority = length;
}

/* spec.ingressClassName, else the kubernetes.io/ingress.class annotation
 * (crd/kubernetes*.go shouldProcessIngress): an IngressRoute another
 * Traefik serves, an internal one say, is not this one's to publish. */
bool tr_class_ok(struct imp *im, const struct crd *o)
{
    const struct imp_src src = {o->label, o->root};
    const struct ynode *at = ynode_get(o->spec, "ingressClassName");
    const char *klass;

    if (!at)
        at = ynode_get(ynode_get(ynode_get(o->root, "metadata"), "annotations"),
                       "kubernetes.io/ingress.class");
    klass = imp_crd_text(at);
    if (klass && *klass &&
        !str_eq(klass, im->o->n_ingress_classes ? im->o->ingress_classes[0]
                                                : "traefik")) {
        imp_report_src(im, &src, at, DIAG_IMPORT_SKIPPED,
                       "ingress class '%s' is not converted", klass);
        return false;
    }
    return true;
}

/* ---- IngressRoute ---- */

static void entry_points(struct imp *im, struct tr_router *r, const struct ynode *eps)
{
    size_t i;

    if (!seq(eps) || !eps->n) {
        r->web = r->websecure = true;
        return;
    }
    for (i = 0; i < eps->n; i++)
        tr_http_entry_point(im, r, &r->src, eps->items[i],
                            imp_crd_text(eps->items[i]));
}

/* topts: the TLS options of the IngressRoute (denied: the route answers
 * 500 whatever it holds). */
static void route(struct imp *im, const struct crd *o, const struct ynode *rt,
                  size_t index, const struct ynode *eps, bool tls,
                  const char *secret, const struct tr_tls_opts *topts)
{
    static const char *const known[] = {"kind", "match", "priority", "services",
                                        "middlewares", "syntax", NULL};
    struct tr_router *r = ARENA_NEW(im->a, struct tr_router);
    const struct ynode *mws = seq(ynode_get(rt, "middlewares"));
    const struct ynode *svcs = seq(ynode_get(rt, "services"));
    const char *syntax = imp_crd_text(ynode_get(rt, "syntax"));
    bool v2 = str_eq(o->group, "traefik.containo.us") || str_eq(syntax, "v2");
    bool ok = true, guarded, widened = false;
    size_t i;

    r->src.label = o->label;
    r->src.root = o->root;
    r->at = rt;
    r->rule = ynode_get(rt, "match");
    r->namespace = o->namespace;
    r->name = index ? arena_printf(im->a, "%s-%zu", o->name, index + 1) : o->name;
    r->tls = *topts;
    r->denied = topts->denied;
    other_fields(im, &r->src, rt, known);
    entry_points(im, r, eps);
    if (tls) {
        r->default_cert = r->websecure && !secret;
        r->websecure &= secret != NULL;
        /* reported once, at the IngressRoute's entryPoints */
        tr_tls_only(im, r, !index && seq(eps) && eps->n ? eps : NULL);
    }
    r->secret = secret;
    tr_priority(im, r, rt);
    /* Middlewares first: a router that answers 500 anyway may widen its
     * match where the rule cannot be converted exactly. */
    for (i = 0; mws && i < mws->n; i++) {
        const char *name = imp_crd_text(ynode_get(mws->items[i], "name"));
        const char *ns = imp_crd_text(ynode_get(mws->items[i], "namespace"));
        if (!tr_middleware_apply(im, r, mws->items[i], ns ? ns : o->namespace, name))
            ok = false;
    }
    /* Left out, a router's requests go to the routers ranked below it:
     * past its access control, when it has some.  Such a router answers
     * 500 on its widened match instead. */
    guarded = !r->denied && tr_policies_guard(r);
    if (!tr_rule_alternatives(im, &r->src, ynode_get(rt, "match"), v2, false,
                              r->denied || guarded, &r->alts, &widened)) {
        imp_report_src(im, &r->src, rt, DIAG_IMPORT_NOT_CONVERTED,
                       "this route is not converted: its requests go to the routes "
                       "Traefik ranks below it");
        return;
    }
    if (guarded && widened) {
        imp_report_src(im, &r->src, r->rule ? r->rule : rt, DIAG_IMPORT_FAIL_CLOSED,
                       "access control not converted exactly: this route's rule "
                       "is not converted exactly, and left out, its requests "
                       "would reach the routes ranked below it without its "
                       "Middlewares' access control; it answers 500 on the "
                       "wider match instead");
        r->denied = true;
    }
    if (svcs)
        ok = tr_services_add(im, r, svcs, o->namespace) && ok;
    if (!svcs || !svcs->n) {
        imp_report_src(im, &r->src, rt, DIAG_IMPORT_NOT_CONVERTED,
                       "a route without services answers nothing Gateway API can "
                       "express; it answers 500");
        ok = false;
    }
    if (!ok && !r->denied)
        imp_report_src(im, &r->src, rt, DIAG_IMPORT_NOT_CONVERTED,
                       "part of this route is not converted (above); it answers "
                       "500 rather than serve requests without it");
    r->denied |= !ok;
    ptrvec_push(im->a, &TR(im)->routers, r);
}

bool tr_secret_name_ok(struct imp *im, const struct imp_src *src,
                       const struct ynode *at, const char *secret)
{
    if (imp_value_dns_subdomain(secret))
        return true;
    imp_report_src(im, src, at, DIAG_IMPORT_TLS,
                   "not converted: Traefik looks the Secret up by name in the "
                   "route's namespace, and this is no Secret name (another "
                   "namespace's Secret cannot be named); it serves the routes "
                   "with its default certificate, which the import cannot "
                   "name; the routes are left out");
    return false;
}

static void ingress_route(struct imp *im, const struct crd *o)
{
    static const char *const known[] = {"entryPoints", "routes", "tls",
                                        "ingressClassName", "parentRefs", NULL};
    static const char *const tls_known[] = {"secretName", "options", NULL};
    const struct imp_src src = {o->label, o->root};
    const struct ynode *tls = ynode_get(o->spec, "tls");
    const struct ynode *routes = seq(ynode_get(o->spec, "routes"));
    const char *secret = imp_crd_text(ynode_get(tls, "secretName"));
    const struct ynode *opts = ynode_get(tls, "options");
    const char *opts_ns = imp_crd_text(ynode_get(opts, "namespace"));
    struct tr_tls_opts topts = {0};
    size_t i;

    if (!tr_class_ok(im, o))
        return;
    other_fields(im, &src, o->spec, known);
    other_fields(im, &src, tls, tls_known);
    if (secret && !tr_secret_name_ok(im, &src, ynode_get(tls, "secretName"), secret))
        secret = NULL;
    else if (tls && !secret)
        imp_report_src(
            im, &src, tls, DIAG_IMPORT_NOT_CONVERTED,
            "not converted: TLS without secretName uses Traefik's default "
            "certificate, which the import cannot name; the routes are "
            "left out");
    if (tls)
        tr_tls_options(im, &src, opts ? opts : tls, opts_ns ? opts_ns : o->namespace,
                       imp_crd_text(ynode_get(opts, "name")), NULL, &topts);
    /* Multi-layer routing: Traefik reaches these routes only through the
     * parent routers, after their middlewares (authentication, say).
     * Served on their own, they would skip them. */
    if (ynode_get(o->spec, "parentRefs")) {
        imp_report_src(im, &src, ynode_get(o->spec, "parentRefs"),
                       DIAG_IMPORT_FAIL_CLOSED,
                       "not converted: Traefik serves these routes only under "
                       "their parent routers, after the parents' middlewares "
                       "(access control among them), which the Gateway cannot "
                       "chain; the routes answer 500 instead of being served "
                       "without them");
        topts.denied = true;
    }
    for (i = 0; routes && i < routes->n; i++)
        route(im, o, routes->items[i], i, ynode_get(o->spec, "entryPoints"),
              tls != NULL, secret, &topts);
}

void tr_ingress_routes(struct imp *im)
{
    size_t i;

    for (i = 0; i < TR(im)->crds.n; i++) {
        const struct crd *o = TR(im)->crds.v[i];
        const struct imp_src src = {o->label, o->root};

        if (str_eq(o->kind, "IngressRoute"))
            ingress_route(im, o);
        else if (!str_eq(o->kind, "Middleware") && !str_eq(o->kind, "TraefikService") &&
                 !str_eq(o->kind, "TLSOption") && /* tlsoptions.c */
                 !str_eq(o->kind, "IngressRouteTCP") && !str_eq(o->kind, "IngressRouteUDP") &&
                 !str_eq(o->kind, "MiddlewareTCP")) /* reported where used (l4.c) */
            imp_report_src(im, &src, o->root, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: gwc does not convert %s", o->kind);
    }
}
