/*
 * Contour's virtual hosts to Gateway API: the Gateway "contour"
 * (importer/gateways.c), an HTTP listener per host, an
 * HTTPS one for a host with a certificate, a TLS (passthrough) one for an
 * HTTPProxy with tls.passthrough.  Routes stay in the namespace of the
 * object that wrote them (an included HTTPProxy's, an Ingress's); the
 * listeners admit exactly the namespaces whose routes they carry.
 *
 * A host with a certificate serves every route on HTTPS; on port 80 each
 * route is served (permitInsecure, or an Ingress without
 * force-ssl-redirect), answered with a 301 to https (HTTPProxy's default),
 * or absent (allow-http: "false").
 */
#include "ct.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

struct ct_vhost *ct_vhost_get(struct imp *im, const struct imp_src *owner,
                              const char *ns, const char *host,
                              const struct ynode *at)
{
    struct ct *ct = CT(im);
    struct ct_vhost *v = imp_index_get(&ct->vhost_index, host);

    if (host[0] == '*')
        ct_report(im, owner, at, DIAG_IMPORT_APPROXIMATED,
                  "Contour's wildcard '%s' matches one label; the Gateway's "
                  "matches one or more ('a.b%s' too)",
                  imp_report_value(im, host), imp_report_value(im, host + 1));
    if (v)
        return v;
    v = ARENA_NEW(im->a, struct ct_vhost);
    v->owner = *owner;
    v->namespace = ns;
    v->host = host;
    imp_index_put(im->a, &ct->vhost_index, host, v);
    ptrvec_push(im->a, &ct->vhosts, v);
    return v;
}

void ct_string_prefix(struct imp *im, struct ct_route *r, const char *p)
{
    r->n_matches = imp_match_string_prefix(im, r->matches, p);
}

/* "/foo" with "/foobar" on the host: Contour gives /foobar to the longer
 * prefix; the Gateway would give it to the regex that makes /foo a string
 * prefix, so that regex goes. */
static void string_prefixes(struct imp *im, struct ct_vhost *v)
{
    struct o_match **ms = ARENA_NEW_ARRAY(im->a, struct o_match *, v->routes.n + 1);
    size_t **ns = ARENA_NEW_ARRAY(im->a, size_t *, v->routes.n + 1);
    bool *narrowed = ARENA_NEW_ARRAY(im->a, bool, v->routes.n + 1);
    size_t i;

    for (i = 0; i < v->routes.n; i++) {
        struct ct_route *r = v->routes.v[i];
        ms[i] = r->matches;
        ns[i] = &r->n_matches;
    }
    imp_prefix_siblings(im, ms, ns, v->routes.n, narrowed);
    for (i = 0; i < v->routes.n; i++) {
        const struct ct_route *r = v->routes.v[i];
        if (narrowed[i])
            ct_report(im, r->path_at ? &r->path_src : &r->src,
                      r->path_at ? r->path_at : r->at,
                      DIAG_IMPORT_APPROXIMATED,
                      "Contour matches prefix '%s' string-wise ('%sX' too); "
                      "converted to PathPrefix, which matches whole segments, "
                      "because a longer prefix of the host starts with it",
                      imp_report_value(im, r->matches[0].path.value),
                      imp_report_value(im, r->matches[0].path.value));
    }
}

/* ---- one route per set of conditions ---- */

static const char *text_or_empty(const char *s)
{
    return s ? s : "";
}

/* The matches of r spelled out: equal for equal conditions. */
static const char *conditions_key(struct imp *im, const struct ct_route *r)
{
    const char *key = "";
    size_t i;

    for (i = 0; i < r->n_matches; i++) {
        const struct o_match *m = &r->matches[i];
        key = arena_printf(im->a, "%s%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1e",
                           key, m->path.type, m->path.value,
                           text_or_empty(m->header.name), text_or_empty(m->header.type),
                           text_or_empty(m->header.value), text_or_empty(m->query.name),
                           text_or_empty(m->query.type), text_or_empty(m->query.value),
                           text_or_empty(m->method));
    }
    return key;
}

/* Of two routes with equal conditions, the one Contour serves, or NULL
 * for both (two Ingresses'). */
static const struct ct_route *served(const struct ct_route *a, const struct ct_route *b)
{
    if (!a->seq && !b->seq)
        return NULL;
    if (!a->seq || !b->seq) {
        /* an Ingress's segment prefix sorts first in Envoy (another
         * condition to Contour); any other the HTTPProxy's replaces */
        const struct ct_route *ing = a->seq ? b : a;
        return ing->segment ? ing : (a->seq ? a : b);
    }
    return a->seq > b->seq ? a : b;
}

/* Contour keeps one route per set of conditions on a host
 * (VirtualHost.AddRoute keys a map by them): the last it adds, an
 * including proxy's own route over its includes', a later include's over
 * an earlier's, an HTTPProxy's over an Ingress's.  Gateway API would give
 * the tie to the first rule of a route, else the oldest route or the
 * first by namespace and name: another namespace's route could take the
 * paths, and drop the access control of the one Contour serves.  So the
 * others are left out. */
static void replaced(struct imp *im, struct ct_vhost *v)
{
    struct index seen = {0};
    struct ptrvec kept = {0};
    bool *gone = ARENA_NEW_ARRAY(im->a, bool, v->routes.n + 1);
    size_t i;

    for (i = 0; i < v->routes.n; i++) {
        struct ct_route *r = v->routes.v[i];
        const char *key;
        size_t *at;
        const struct ct_route *o, *win, *lose;
        const struct ynode *cond;
        if (r->widened)
            continue;
        key = conditions_key(im, r);
        if (!(at = imp_index_get(&seen, key))) {
            at = ARENA_NEW(im->a, size_t);
            *at = i;
            imp_index_put(im->a, &seen, key, at);
            continue;
        }
        o = v->routes.v[*at];
        if (!(win = served(o, r)))
            continue;
        lose = win == r ? o : r;
        cond = ynode_get(lose->at, "conditions");
        ct_report(im, &lose->src, cond ? cond : lose->at, DIAG_IMPORT_CONFLICT,
                  "not converted: the route of %s/%s has the same conditions "
                  "on host '%s', and Contour serves that one only; so does "
                  "the output",
                  win->namespace, win->owner, *v->host ? v->host : "*");
        gone[win == r ? *at : i] = true;
        if (win == r)
            *at = i;
    }
    for (i = 0; i < v->routes.n; i++) {
        if (!gone[i])
            ptrvec_push(im->a, &kept, v->routes.v[i]);
    }
    v->routes = kept;
}

/* ---- output ---- */

static struct o_rule *rule_of(struct imp *im, const struct ct_vhost *v,
                              const struct ct_route *r, size_t group,
                              bool redirect)
{
    bool denied = r->denied || v->denied;
    struct o_rule *rule;

    if (redirect) {
        struct o_filters *f = ARENA_NEW(im->a, struct o_filters);
        struct o_redirect *rd = ARENA_NEW(im->a, struct o_redirect);
        rd->scheme = "https";
        rd->code = 301;
        f->redirect = rd;
        /* Contour gives the insecure virtual host the corsPolicy too:
         * Envoy's CORS filter answers a preflight before the redirect. */
        f->cors = r->filters ? r->filters->cors : NULL;
        return imp_routes_rule_new(im, r->src.root, r->matches, r->n_matches, f,
                                   group);
    }
    rule = imp_routes_rule_new(im, r->src.root, r->matches, r->n_matches,
                               denied ? NULL : ct_client_certs_filters(im, v, r->filters),
                               group);
    if (!denied)
        rule->backends = r->backends;
    rule->source = r; /* backend.c: its BackendPolicy targets the rule */
    return rule;
}

static const char *listener(struct imp *im, struct o_gateway *gw,
                            const struct ct_vhost *v, const char *proto,
                            const char *secret)
{
    return imp_listener_add(im, gw, &v->owner, v->owner.root, proto, v->host, secret,
                            v->secret_namespace ? v->secret_namespace : v->namespace);
}

/* The rules of one object on a host: an HTTPRoute per listener. */
struct group {
    const char *namespace, *owner;
    struct ptrvec plain, secure; /* struct o_rule * */
};

static struct group *group_of(struct imp *im, struct index *groups,
                              struct ptrvec *order, const struct ct_route *r)
{
    const char *key = arena_printf(im->a, "%s/%s", r->namespace, r->owner);
    struct group *g = imp_index_get(groups, key);

    if (g)
        return g;
    g = ARENA_NEW(im->a, struct group);
    g->namespace = r->namespace;
    g->owner = r->owner;
    imp_index_put(im->a, groups, key, g);
    ptrvec_push(im->a, order, g);
    return g;
}

/* tls_host: port 80 redirects the routes without permitInsecure (even
 * when a tcpproxy leaves no HTTPS listener for them). */
static void http_routes(struct imp *im, const struct ct_vhost *v,
                        struct o_gateway *gw, const char *http, const char *https,
                        bool tls_host)
{
    const char *host = *v->host ? imp_name_host_label(im->a, v->host) : "all-hosts";
    struct index groups = {0};
    struct ptrvec order = {0};
    size_t i;

    for (i = 0; i < v->routes.n; i++) {
        const struct ct_route *r = v->routes.v[i];
        struct group *g = group_of(im, &groups, &order, r);
        if (https)
            ptrvec_push(im->a, &g->secure, rule_of(im, v, r, i, false));
        if (!tls_host || r->plain == CT_PLAIN_SERVE)
            ptrvec_push(im->a, &g->plain, rule_of(im, v, r, i, false));
        else if (r->plain == CT_PLAIN_REDIRECT)
            ptrvec_push(im->a, &g->plain, rule_of(im, v, r, i, true));
    }
    for (i = 0; i < order.n; i++) {
        const struct group *g = order.v[i];
        const char *base = arena_printf(im->a, "%s-%s", g->owner, host);
        imp_routes_emit(im, KIND_HTTP_ROUTE, g->namespace,
                        tls_host ? arena_printf(im->a, "%s-http", base) : base,
                        v->host, gw, &g->plain, &http, 1);
        if (https)
            imp_routes_emit(im, KIND_HTTP_ROUTE, g->namespace, base, v->host, gw,
                            &g->secure, &https, 1);
    }
}

static void tls_route(struct imp *im, const struct ct_vhost *v,
                      struct o_gateway *gw)
{
    const char *section = v->tls;
    struct o_rule *rule = imp_routes_rule_new(im, v->owner.root, NULL, 0, NULL, 0);
    struct ptrvec rules = {0};

    rule->backends = v->tls_backends;
    ptrvec_push(im->a, &rules, rule);
    imp_routes_emit(im, KIND_TLS_ROUTE, v->namespace,
                    arena_printf(im->a, "%s-%s", v->tls_owner,
                                 imp_name_host_label(im->a, v->host)),
                    v->host, gw, &rules, &section, 1);
}

/* Its listeners, before any route: client certificates are decided per
 * port, once every listener is known. */
static void vhost_listeners(struct imp *im, struct ct_vhost *v)
{
    struct o_gateway *gw = imp_gateway_for(im, "contour");

    ct_client_certs_behind_termination(im, v);
    /* Denied, the listener is written without the route: its connections
     * are closed, and no other listener of the port takes the host. */
    if ((v->passthrough || v->terminate) && v->tls_backends.n)
        v->tls = listener(im, gw, v, "TLS", v->terminate ? v->secret : NULL);
    if (!v->routes.n)
        return;
    v->http = listener(im, gw, v, "HTTP", NULL);
    if (v->secret && !v->passthrough && !v->terminate)
        v->https = listener(im, gw, v, "HTTPS", v->secret);
    ct_client_certs_ask(im, v, gw);
}

static void vhost_write(struct imp *im, struct ct_vhost *v)
{
    struct o_gateway *gw = imp_gateway_for(im, "contour");

    string_prefixes(im, v);
    if (v->tls && v->denied) /* no route brings the listener's origin */
        imp_origin_add(im, &gw->origins, v->owner.root);
    else if (v->tls)
        tls_route(im, v, gw);
    if (!v->routes.n)
        return;
    ct_client_certs_refused(im, v);
    http_routes(im, v, gw, v->http, v->https, v->secret && !v->passthrough);
}

static int cmp_vhosts(const void *pa, const void *pb)
{
    const struct ct_vhost *a = *(const struct ct_vhost *const *)pa;
    const struct ct_vhost *b = *(const struct ct_vhost *const *)pb;
    int c = strcmp(a->namespace, b->namespace);

    return c ? c : strcmp(a->host, b->host);
}

void ct_vhosts_write(struct imp *im)
{
    struct ptrvec *vs = &CT(im)->vhosts;
    size_t i;

    ptrvec_sort(vs, cmp_vhosts);
    for (i = 0; i < vs->n; i++) {
        replaced(im, vs->v[i]);
        vhost_listeners(im, vs->v[i]);
    }
    imp_client_certs_resolve(im);
    for (i = 0; i < vs->n; i++)
        vhost_write(im, vs->v[i]);
}
