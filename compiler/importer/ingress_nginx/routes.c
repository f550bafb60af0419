/*
 * Host groups to routes.  Per host: the rules of each location (paths.c
 * gives the matches and rewrite, canary.c the header, cookie and weight
 * variants), in front of them the app-root rule; gRPC locations go to a
 * GRPCRoute, ssl-passthrough to a TLSRoute.
 *
 * ssl-redirect: ingress-nginx redirects plain-HTTP requests of a location
 * to https when its host has a certificate (force-ssl-redirect: always).
 * Redirects that nginx answers before that (permanent-redirect, app-root,
 * the trailing-slash 301) stay as they are on HTTP.  When some location
 * redirects, HTTP and HTTPS get their own routes, attached by sectionName;
 * otherwise one route serves both listeners.
 *
 * route_objects.c writes the rules as routes.
 */
#include "nx.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"

#include <stdlib.h>
#include <string.h>

/* ---- one location ---- */

static bool is_grpc(const struct location *l)
{
    return l->ing->feat.protocol == BP_GRPC || l->ing->feat.protocol == BP_GRPCS;
}

/* Only to an HTTPS listener the output has: ingress-nginx's
 * force-ssl-redirect for a host without a tls entry lands on its default
 * (self-signed) certificate, which the import cannot write (reported). */
static bool redirects_to_https(const struct location *l, bool has_tls)
{
    const struct ing_features *f = &l->ing->feat;

    return has_tls && (f->force_ssl_redirect || f->ssl_redirect);
}

static void no_https_listener(struct imp *im, const struct host_group *g,
                              struct ing *ing)
{
    if (g->secret || !ing->feat.force_ssl_redirect || ing->https_noted)
        return;
    ing->https_noted = true;
    nx_report_annotation(im, ing, "force-ssl-redirect", DIAG_IMPORT_NOT_CONVERTED,
                         "not converted for host '%s': ingress-nginx redirects "
                         "to https and answers there with its default "
                         "self-signed certificate, but the Ingress has no tls "
                         "entry for the host, so the output has no HTTPS "
                         "listener to redirect to; the paths are served on "
                         "plain HTTP.  Add a tls entry with the host's "
                         "certificate to keep the redirect",
                         *g->host ? g->host : "*");
}

static const struct o_filters *proxy_filters(struct imp *im,
                                             const struct location *l,
                                             const struct o_path_mod *path,
                                             bool rewritten)
{
    const struct ing_features *fe = &l->ing->feat;
    const char *prefix = l->ing->cfg.x_forwarded_prefix;
    struct o_filters *f = ARENA_NEW(im->a, struct o_filters);
    struct o_rewrite *rw;

    if (path->type || fe->upstream_host) {
        rw = ARENA_NEW(im->a, struct o_rewrite);
        rw->hostname = fe->upstream_host;
        rw->path = *path;
        f->rewrite = rw;
    }
    f->request_set = fe->request_set;
    if (rewritten && prefix) { /* sent only when nginx rewrites */
        struct o_header *h = ARENA_NEW(im->a, struct o_header);
        size_t i;

        memset(&f->request_set, 0, sizeof(f->request_set)); /* a copy */
        for (i = 0; i < fe->request_set.n; i++)
            ptrvec_push(im->a, &f->request_set, fe->request_set.v[i]);
        h->name = "X-Forwarded-Prefix";
        h->value = prefix;
        ptrvec_push(im->a, &f->request_set, h);
    }
    f->response_set = fe->response_set;
    f->cors = fe->cors;
    f->mirror = fe->mirror;
    f->session = l->session;
    nx_client_certs_strip(im, l, f);
    return f;
}

/* A redirect the location answers (permanent-redirect, the https
 * redirect): ingress-nginx's CORS block comes first in the location (its
 * rewrite-module `if`s run before the `return` and before lua's https
 * redirect), so a preflight gets its 204 and the redirect carries the
 * CORS headers.  gwc's CORS filter on the redirect rule does the same. */
static const struct o_filters *location_redirect(struct imp *im, const struct location *l,
                                                 const struct o_redirect *r)
{
    struct o_filters *f = nx_redirects_filters(im, r);

    f->cors = l->ing->feat.cors;
    return f;
}

static const struct o_filters *slash_redirect(struct imp *im, const char *to)
{
    struct o_redirect *r = ARENA_NEW(im->a, struct o_redirect);

    r->path.type = "ReplaceFullPath";
    r->path.value = to;
    r->code = 301;
    return nx_redirects_filters(im, r);
}

static struct o_match *path_matches(struct imp *im, const struct path_plan *p)
{
    struct o_match *m = ARENA_NEW_ARRAY(im->a, struct o_match, p->n_forms);
    size_t i;

    for (i = 0; i < p->n_forms; i++)
        m[i].path = p->forms[i];
    return m;
}

static struct o_rule *push_rule(struct imp *im, struct ptrvec *rules,
                                const struct o_match *m, size_t n,
                                const struct o_filters *f, size_t group)
{
    struct o_rule *r = imp_routes_rule_new(im, NULL, m, n, f, group);

    ptrvec_push(im->a, rules, r);
    return r;
}

/* A rewrite idiom is PathPrefix P, case-sensitive and by whole segments;
 * ingress-nginx's regex location also took P in any case ("/ADMIN/x")
 * and, for "P/?(.*)", "Pxyz", under the Ingress's access control (or
 * rate limits).  Those
 * requests would reach the host's other paths without it: they answer
 * 500 (a rule without backends; the regex leaves P's own to PathPrefix). */
static void idiom_closed(struct imp *im, const struct location *l, size_t group,
                         struct ptrvec *rules)
{
    const struct path_plan *p = l->plan;
    const struct o_gwc_policy *limits = nx_pol_find(l->ing, "ClientPolicy");
    const char *q;
    struct o_match m;
    char err[128];

    if (!p->idiom_prefix || !p->idiom_tail ||
        !(nx_pol_find(l->ing, "AccessPolicy") ||
          (limits && (limits->n_rates || limits->concurrent))))
        return; /* a body size alone is no access control */
    q = imp_re_quote(im->a, p->idiom_prefix);
    memset(&m, 0, sizeof(m));
    m.path.type = "RegularExpression";
    m.path.value = arena_printf(im->a, "(?!%s(?:/|$))(?i:%s)%s", q, q, p->idiom_tail);
    if (!imp_re_ok(m.path.value, err, sizeof(err)))
        return; /* past gwc's limits: the path itself was not written */
    nx_report_annotation(im, l->ing, "rewrite-target", DIAG_IMPORT_FAIL_CLOSED,
                         "access control not converted exactly: ingress-nginx "
                         "also sent '%s' in any case%s to this path, under the "
                         "Ingress's access control or rate limits; PathPrefix "
                         "'%s' does not "
                         "take them, so they answer 500 instead of reaching the "
                         "host's other paths",
                         p->idiom_prefix,
                         str_eq(p->idiom_tail, ".*") ? " and its extensions ('xyz')" : "",
                         p->idiom_prefix);
    push_rule(im, rules, &m, 1, NULL, group);
}

/* The rules of an HTTP location, in precedence order among themselves. */
static void http_location(struct imp *im, const struct location *l,
                          size_t group, struct ptrvec *rules)
{
    const struct path_plan *p = l->plan;
    const struct o_match *base = path_matches(im, p);
    struct o_match exact;

    if (!p->n_forms)
        return;
    if (l->ing->feat.redirect) {
        push_rule(im, rules, base, p->n_forms,
                  location_redirect(im, l, l->ing->feat.redirect), group);
        return;
    }
    if (p->exact) {
        memset(&exact, 0, sizeof(exact));
        exact.path.type = "Exact";
        exact.path.value = p->exact;
        if (p->exact_rewrite.type)
            nx_canary_rules(im, l, &exact, 1,
                            proxy_filters(im, l, &p->exact_rewrite, true), group,
                            rules);
        else
            push_rule(im, rules, &exact, 1,
                      slash_redirect(im, arena_printf(im->a, "%s/", p->exact)),
                      group);
    }
    nx_canary_rules(im, l, base, p->n_forms,
                    proxy_filters(im, l, &p->rewrite, p->rewritten), group, rules);
    idiom_closed(im, l, group, rules);
}

/* ---- gRPC ---- */

static bool grpc_service_ok(const char *s)
{
    if (*s == '.')
        s++;
    return *s && !(*s >= '0' && *s <= '9') && imp_value_in_alphabet(s, "._") &&
           !strstr(s, "..") && s[strlen(s) - 1] != '.';
}

/* "/" is every method; "/pkg.Svc" or "/pkg.Svc/" a service; Exact
 * "/pkg.Svc/Method" one method.  Anything else has no GRPCRoute match. */
static bool grpc_method(struct imp *im, const struct location *l,
                        struct o_grpc_method *m)
{
    const char *v = l->value, *slash;
    size_t n = strlen(v);

    memset(m, 0, sizeof(*m));
    if (!l->path || strcmp(v, "/") == 0)
        return true;
    slash = strchr(v + 1, '/');
    if (l->type == PT_EXACT && slash && slash[1] && !strchr(slash + 1, '/')) {
        m->service = arena_strndup(im->a, v + 1, (size_t)(slash - v - 1));
        m->method = slash + 1;
        return grpc_service_ok(m->service) &&
               imp_value_in_alphabet(m->method, "_") &&
               !(m->method[0] >= '0' && m->method[0] <= '9');
    }
    if (l->type != PT_EXACT && (!slash || (size_t)(slash - v) == n - 1)) {
        m->service = arena_strndup(im->a, v + 1, slash ? n - 2 : n - 1);
        return grpc_service_ok(m->service);
    }
    return false;
}

static void grpc_location(struct imp *im, const struct host_group *g,
                          const struct location *l, size_t group,
                          struct ptrvec *rules)
{
    const struct ing_features *fe = &l->ing->feat;
    struct o_filters *f = ARENA_NEW(im->a, struct o_filters);
    struct o_grpc_method method;
    struct o_match any;
    size_t first = rules->n, i;

    if (g->regex || !grpc_method(im, l, &method)) {
        nx_report_node(im, l->ing, l->path ? ynode_get(l->path->src, "path") : NULL,
                       DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: a gRPC path must be '/', '/<service>' or an "
                       "Exact '/<service>/<method>' to become a GRPCRoute match");
        return;
    }
    f->request_set = fe->request_set;
    f->response_set = fe->response_set;
    f->mirror = fe->mirror;
    f->session = l->session;
    nx_client_certs_strip(im, l, f);
    memset(&any, 0, sizeof(any));
    nx_canary_rules(im, l, &any, 1, f, group, rules);
    for (i = first; i < rules->n; i++) {
        struct o_rule *r = rules->v[i];
        r->grpc = method;
    }
}

/* What a GRPCRoute cannot carry, once per Ingress. */
static void grpc_limits(struct imp *im, const struct ing *ing)
{
    static const struct {
        const char *key, *what;
    } http_only[] = {
        {"rewrite-target", "URL rewrites"},
        {"x-forwarded-prefix", "URL rewrites"},
        {"upstream-vhost", "URL rewrites"},
        {"permanent-redirect", "redirects"},
        {"permanent-redirect-code", "redirects"},
        {"temporal-redirect", "redirects"},
        {"temporal-redirect-code", "redirects"},
        {"app-root", "redirects"},
        {"enable-cors", "CORS"},
        {"cors-allow-origin", "CORS"},
        {"cors-allow-methods", "CORS"},
        {"cors-allow-headers", "CORS"},
        {"cors-expose-headers", "CORS"},
        {"cors-allow-credentials", "CORS"},
        {"cors-max-age", "CORS"},
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(http_only); i++) {
        if (nx_report_annotation_node(ing, http_only[i].key))
            nx_report_annotation(
                im, ing, http_only[i].key, DIAG_IMPORT_NOT_CONVERTED,
                "not converted: GRPCRoute has no %s", http_only[i].what);
    }
}

/* ---- routes ---- */

struct route_set {
    struct ptrvec https, http, grpc, grpc_http;
    bool split; /* some location redirects HTTP to https */
};

static int cmp_nginx_regex_order(const void *pa, const void *pb)
{
    const struct location *a = *(const struct location *const *)pa;
    const struct location *b = *(const struct location *const *)pb;
    size_t na = strlen(a->value), nb = strlen(b->value);
    int c;

    if (!a->path != !b->path)
        return !a->path ? 1 : -1; /* default backends last */
    if (na != nb)
        return na > nb ? -1 : 1;
    if ((c = strcmp(b->value, a->value)) != 0)
        return c;
    return a->ing->order < b->ing->order ? -1 : a->ing->order > b->ing->order;
}

static void redirect_rule(struct imp *im, struct ptrvec *rules,
                          const struct location *l, size_t group)
{
    if (l->plan->n_forms)
        imp_origin_add(im,
                       &push_rule(im, rules, path_matches(im, l->plan),
                                  l->plan->n_forms,
                                  location_redirect(im, l, nx_redirects_https(im)),
                                  group)->origins,
                       l->ing->src->obj.src);
}

/* lua_ingress.lua strips one trailing '/' from the URI of its https
 * redirect unless preserve-trailing-slash; once per Ingress, at the
 * annotation that asks for the redirect, or else at the tls entry that
 * turns it on. */
static void slash_note(struct imp *im, const struct host_group *g, struct ing *ing)
{
    const char *key = ing->cfg.force_ssl_redirect == TRI_TRUE ? "force-ssl-redirect"
                                                               : "ssl-redirect";
    const struct ynode *at = nx_report_annotation_node(ing, key);
    const struct ing *owner = ing;

    if (ing->cfg.preserve_trailing_slash == TRI_TRUE || ing->slash_noted)
        return;
    ing->slash_noted = true;
    if (!at && g->tls_ing && nx_tls_entry_for(g->tls_ing, g->host)) {
        owner = g->tls_ing;
        at = nx_tls_entry_for(owner, g->host)->src;
        if (owner != ing && owner->slash_noted)
            return; /* said there already */
        ((struct ing *)owner)->slash_noted = true;
    }
    nx_report_node(im, owner, at, DIAG_IMPORT_DETAIL,
                   "ingress-nginx's redirect to https drops one trailing "
                   "'/' of the URI ('/a/' becomes '/a') unless "
                   "preserve-trailing-slash is true; the Gateway API "
                   "redirect keeps the URI as it is");
}

/* The rules of a location come from its Ingress: its gwc policies target
 * them (policies.c).  A canary's Ingress is an origin too. */
static void own_rules(struct imp *im, const struct location *l,
                      struct ptrvec *rules, size_t first)
{
    size_t i;

    for (i = first; i < rules->n; i++) {
        struct o_rule *r = rules->v[i];
        r->source = l->ing;
        imp_origin_add(im, &r->origins, l->ing->src->obj.src);
        if (l->canary)
            imp_origin_add(im, &r->origins, l->canary->src->obj.src);
    }
}

static void location_routes(struct imp *im, const struct host_group *g,
                            const struct location *l, size_t group,
                            struct route_set *rs)
{
    bool tls = g->secret != NULL, up = redirects_to_https(l, tls);
    struct ptrvec rules = {0};
    size_t i;

    no_https_listener(im, g, l->ing);
    if (is_grpc(l)) {
        struct ptrvec *grpc = tls ? &rs->grpc : &rs->grpc_http;
        size_t first = grpc->n;

        grpc_location(im, g, l, group, grpc);
        own_rules(im, l, grpc, first);
        if (tls && up && l->plan->n_forms) {
            redirect_rule(im, &rs->http, l, group);
            rs->split = true;
        }
        return;
    }
    http_location(im, l, group, &rules);
    own_rules(im, l, &rules, 0);
    for (i = 0; i < rules.n; i++) {
        struct o_rule *r = rules.v[i];
        if (tls)
            ptrvec_push(im->a, &rs->https, r);
        if (!up || r->filters->redirect)
            ptrvec_push(im->a, &rs->http, r);
    }
    if (up && !l->ing->feat.redirect) {
        redirect_rule(im, &rs->http, l, group);
        rs->split = true;
        slash_note(im, g, l->ing);
    }
}

/* Rules every name of the host answers before any location. */
static void server_rules(struct imp *im, const struct host_group *g,
                         struct route_set *rs)
{
    struct o_match m;
    struct o_redirect *r;
    struct o_rule *rule;

    memset(&m, 0, sizeof(m));
    if (g->www_target) {
        r = ARENA_NEW(im->a, struct o_redirect);
        r->hostname = g->www_target;
        r->code = 308;
        rule = imp_routes_rule_new(im, g->www_ing->src->obj.src, NULL, 0,
                                   nx_redirects_filters(im, r), 0);
        ptrvec_push(im->a, &rs->http, rule);
        ptrvec_push(im->a, &rs->https, rule);
    }
    if (g->app_root) {
        r = ARENA_NEW(im->a, struct o_redirect);
        r->path.type = "ReplaceFullPath";
        r->path.value = g->app_root->ing->feat.app_root;
        r->code = 302;
        m.path.type = "Exact";
        m.path.value = "/";
        rule = imp_routes_rule_new(im, g->app_root->ing->src->obj.src, &m, 1,
                                   nx_redirects_filters(im, r), 0);
        ptrvec_push(im->a, &rs->http, rule);
        ptrvec_push(im->a, &rs->https, rule);
    }
}

/* Does the host put an HTTPRoute on port 80? */
static bool plain_http(const struct host_group *g)
{
    size_t j;

    if (!g->http_listener)
        return false;
    if (g->www_target || g->app_root)
        return true;
    for (j = 0; j < g->locations.n; j++) {
        const struct location *l = g->locations.v[j];
        if (!is_grpc(l) || (g->secret && redirects_to_https(l, true)))
            return true;
    }
    return false;
}

static void group_routes(struct imp *im, struct host_group *g)
{
    struct route_set rs;
    struct ptrvec order = {0};
    size_t i;

    if (g->passthrough)
        nx_routes_tls(im, g);
    if (!g->gateway || !g->http_listener)
        return;
    memset(&rs, 0, sizeof(rs));
    if (g->unwritable)
        nx_paths_unwritable(im, g);
    for (i = 0; i < g->locations.n; i++) {
        struct location *l = g->locations.v[i];
        l->plan = ARENA_NEW(im->a, struct path_plan);
        nx_paths_plan(im, g, l, l->plan);
        ptrvec_push(im->a, &order, l);
    }
    nx_paths_precedence(im, g);
    if (g->regex) /* nginx's order of regex locations decides their ties */
        ptrvec_sort(&order, cmp_nginx_regex_order);
    server_rules(im, g, &rs);
    for (i = 0; i < order.n; i++)
        location_routes(im, g, order.v[i], i + 1, &rs);
    if (!g->secret) {
        nx_routes_emit(im, g, KIND_HTTP_ROUTE, "", &rs.http, true, false);
    } else if (rs.split) {
        nx_routes_emit(im, g, KIND_HTTP_ROUTE, "", &rs.https, false, true);
        nx_routes_emit(im, g, KIND_HTTP_ROUTE, "-http", &rs.http, true, false);
    } else {
        nx_routes_emit(im, g, KIND_HTTP_ROUTE, "", &rs.https, true, true);
    }
    nx_routes_emit(im, g, KIND_GRPC_ROUTE, "", &rs.grpc, false, true);
    /* nginx 1.22 (gwc's target) serves h2c or HTTP/1.1 on a cleartext
     * port, not both; ingress-nginx on nginx 1.25+ tells them apart by the
     * HTTP/2 preface. */
    if (rs.grpc_http.n && g->gateway->http1_on_80) {
        const struct o_rule *r = rs.grpc_http.v[0];
        const struct location *l = order.v[r->group - 1];
        nx_report_annotation(im, l->ing, "backend-protocol",
                             DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: gRPC without TLS needs HTTP/2 "
                             "cleartext on port 80, which HTTP routes of Gateway "
                             "'%s' use for HTTP/1.1 (nginx 1.22 cannot serve both "
                             "on one port); give host '%s' a tls entry",
                             g->gateway->name, *g->host ? g->host : "*");
        return;
    }
    nx_routes_emit(im, g, KIND_GRPC_ROUTE, "", &rs.grpc_http, true, false);
}

void nx_routes_build(struct imp *im)
{
    size_t i;

    for (i = 0; i < NX(im)->ings.n; i++) {
        const struct ing *ing = NX(im)->ings.v[i];
        if (ing->cfg.canary != TRI_TRUE &&
            (ing->feat.protocol == BP_GRPC || ing->feat.protocol == BP_GRPCS))
            grpc_limits(im, ing);
    }
    for (i = 0; i < NX(im)->groups.n; i++) {
        const struct host_group *g = NX(im)->groups.v[i];
        if (g->gateway && plain_http(g))
            g->gateway->http1_on_80 = true;
    }
    for (i = 0; i < NX(im)->groups.n; i++)
        group_routes(im, NX(im)->groups.v[i]);
}
