/*
 * VirtualServer and VirtualServerRoute (k8s.nginx.org/v1; reference:
 * docs.nginx.com/nginx-ingress-controller/configuration/
 * virtualserver-and-virtualserverroute-resources/):
 *   - host, tls.secret, tls.redirect {enable (default off), code 301};
 *   - routes[].path: "/p" a string prefix, "^~/p" the same, "=/p" exact,
 *     "~ re" / "~* re" regular expressions;
 *   - action.pass, action.proxy {upstream, rewritePath,
 *     requestHeaders.set}, action.redirect {url, code}; splits (weights);
 *   - matches: first match wins in NIC; Gateway API ranks matches with more
 *     header and query conditions first, so a reordering is reported;
 *   - route: "[ns/]name" of a VirtualServerRoute, which NIC takes whole
 *     or not at all (validateVirtualServerRouteSubroutes): its subroutes
 *     share one kind of path; under a prefix route each starts with the
 *     prefix (string-wise), under an exact route it is the one path, and
 *     under regular expression routes the subroutes' paths are exactly
 *     the routes' paths (the blanks after a modifier aside).  Anything
 *     else would let another namespace's VirtualServerRoute take paths it
 *     was not given (a '~ ^/team/|^/admin' subroute "starts with" the
 *     delegated '~ ^/team/'): the VirtualServerRoute is not converted and
 *     the delegated paths answer 500;
 *   - policies: spec-level, route-level and subroute-level references,
 *     the more specific level replacing a Policy type (policy_refs.c).
 * A location whose action cannot be converted answers 500 too, so its
 * requests never fall through to a shorter path that would serve them.
 */
#include "nic.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

/* ---- paths and matches ---- */

static bool route_path(struct imp *im, struct nic_loc *l, const char *p)
{
    if (strncmp(p, "=", 1) == 0) {
        nic_path_matches(im, l, p + 1, true, NULL);
    } else if (strncmp(p, "~*", 2) == 0 || strncmp(p, "~", 1) == 0) {
        bool nocase = p[1] == '*';
        const char *re = p + (nocase ? 2 : 1);
        /* NIC's generatePath drops one space after the modifier, no more
         * and nothing else: further blanks, a tab, belong to the regex
         * of its location (a leading one before '^' matches nothing). */
        if (*re == ' ')
            re++;
        /* (a tab or another control character: refused below, as in any
         * pattern) */
        if (*re == ' ')
            imp_report_src(im, &l->src,
                           ynode_get(l->at, "path") ? ynode_get(l->at, "path") : l->at,
                           DIAG_IMPORT_DETAIL,
                           "NIC drops one space after '%s' and keeps the rest: the "
                           "regular expression of its location starts with blanks "
                           "that the path must hold (a '^' after them matches "
                           "nothing); converted the same way",
                           nocase ? "~*" : "~");
        nic_regex_path(im, l, re, nocase);
    } else {
        nic_path_matches(im, l, strncmp(p, "^~", 2) == 0 ? p + 2 : p, false, NULL);
    }
    return l->n_matches > 0;
}

/* nginx map values compare case-insensitively. */
static bool condition(struct imp *im, const struct vs_ctx *v, const struct ynode *c,
                      struct o_match *m)
{
    const char *value = nic_vs_text(ynode_get(c, "value"));
    const char *h = nic_vs_text(ynode_get(c, "header")), *arg = nic_vs_text(ynode_get(c, "argument"));
    const char *var = nic_vs_text(ynode_get(c, "variable"));
    struct o_header_match *slot;

    if (!value || value[0] == '!' || value[0] == '~' || value[0] == '\\') {
        nic_vs_not_converted(im, v, c, "negated and regular expression conditions");
        return false;
    }
    if (str_eq(var, "$request_method") && !m->method) {
        /* nginx takes any token as a method; Gateway API nine. */
        if (!(m->method = imp_value_http_method(value))) {
            nic_vs_not_converted(im, v, ynode_get(c, "value"),
                                 "Gateway API matches the methods GET, HEAD, "
                                 "POST, PUT, DELETE, CONNECT, OPTIONS, TRACE and "
                                 "PATCH only");
            return false;
        }
        return true;
    }
    slot = h && !m->header.name ? &m->header : arg && !m->query.name ? &m->query : NULL;
    /* A header or argument name is a token (NIC's argument names are
     * letters, digits and '_'); another would make the output invalid. */
    if (!slot || !imp_value_header_name(h ? h : arg)) {
        nic_vs_not_converted(im, v, c, "cookie and variable conditions, more than one "
                                       "header or argument condition per match, and "
                                       "names other than tokens");
        return false;
    }
    slot->type = "RegularExpression";
    slot->name = h ? h : arg;
    slot->at = c;
    slot->value = arena_printf(im->a, "(?i)%s", imp_re_quote(im->a, value));
    return true;
}

/* The Policies and settings of l, once its upstreams are known. */
static void policies(struct imp *im, const struct vs_ctx *v, const struct nic_server *s,
                     struct nic_loc *l, const struct nic_level *const *levels)
{
    const struct nic_level *all[4] = {
        levels[0], levels[1], levels[2],
        nic_settings_common(im, &v->src, l->at,
                            (const struct nic_level *const *)l->upstreams.v,
                            l->upstreams.n)};

    l->pols = nic_policy_effective(im, &(struct imp_src){v->owner->label, v->owner->root},
                                   v->owner->name, s->namespace, all, 4, &l->denied);
}

/* Gateway API's order among matches of one path: a method match first,
 * then more headers, then more query parameters. */
static unsigned rank(const struct o_match *m)
{
    return (m->method ? 4u : 0u) + (m->header.name ? 2u : 0u) + (m->query.name ? 1u : 0u);
}

static void matches(struct imp *im, const struct vs_ctx *v, const struct ynode *ms,
                    const struct nic_loc *base, struct nic_server *s,
                    const struct nic_level *const *levels)
{
    unsigned lowest = ~0u;
    size_t i, k;

    for (i = 0; i < ms->n; i++) {
        const struct ynode *conds = nic_vs_seq(ynode_get(ms->items[i], "conditions"));
        const struct ynode *sp;
        struct nic_loc *l = ARENA_NEW(im->a, struct nic_loc);
        bool ok = conds && conds->n;

        *l = *base;
        l->at = ms->items[i];
        memset(&l->backends, 0, sizeof(l->backends));
        memset(&l->upstreams, 0, sizeof(l->upstreams));
        l->filters = NULL;
        for (k = 0; ok && k < conds->n; k++)
            ok = condition(im, v, conds->items[k], &l->matches[0]);
        for (k = 1; k < l->n_matches; k++) {
            l->matches[k].header = l->matches[0].header;
            l->matches[k].query = l->matches[0].query;
            l->matches[k].method = l->matches[0].method;
        }
        /* A match's own splits are its action, as on a route. */
        sp = nic_vs_seq(ynode_get(ms->items[i], "splits"));
        ok = ok && (sp ? nic_vs_splits(im, v, sp, l)
                       : nic_vs_action(im, v, ynode_get(ms->items[i], "action"), l));
        l->denied |= !ok;
        policies(im, v, s, l, levels);
        if (rank(&l->matches[0]) > lowest)
            imp_report_src(im, &v->src, ms->items[i], DIAG_IMPORT_APPROXIMATED,
                           "NIC tries matches in order, first match wins; Gateway "
                           "API tries this one before an earlier one (a method "
                           "condition first, then more headers, then more "
                           "query parameters)");
        if (rank(&l->matches[0]) < lowest)
            lowest = rank(&l->matches[0]);
        ptrvec_push(im->a, &s->locs, l);
    }
}

/* ---- routes ---- */

static void subroutes(struct imp *im, const struct vs_ctx *v,
                      const struct ynode *route, const char *prefix,
                      struct nic_server *s, const struct nic_level *lv);

/* Raw nginx configuration is never imported, and a snippet may restrict
 * access (allow/deny): the paths it covers answer 500, as with the
 * server-snippets and location-snippets annotations. */
static void snippets(struct imp *im, const struct vs_ctx *v, const struct ynode *map,
                     const char *key, struct nic_level *lv)
{
    const struct ynode *at = ynode_get(map, key);

    if (!at)
        return;
    lv->deny = true;
    imp_report_src(im, &v->src, at, DIAG_IMPORT_SNIPPET,
                   "not converted: raw nginx configuration is never imported, "
                   "and a snippet may restrict access (allow/deny); the paths "
                   "it covers answer 500 instead of being served without it");
}

static bool names_policies(const struct nic_level *lv)
{
    return lv && (lv->allow.n || lv->deny_lists.n || lv->rates.n || lv->basic ||
                  lv->hsts || lv->egress_named || lv->deny);
}

/* NIC (configs/virtualserver.go) gives a subroute that names Policies
 * those alone, dropping every Policy of the VirtualServer route that
 * delegates to it; gwc replaces them type by type, as between the other
 * levels, so that the delegate's namespace cannot lift the delegating
 * route's access control by naming, say, a rate limit.  Said where the
 * two differ. */
static void subroute_policies(struct imp *im, const struct vs_ctx *v,
                              const struct ynode *r, const struct nic_level *lv)
{
    if (!v->levels[1] || !names_policies(v->levels[1]) || !names_policies(lv))
        return;
    imp_report_src(im, &v->src, ynode_get(r, "policies"), DIAG_IMPORT_APPROXIMATED,
                   "NIC applies a subroute's Policies in place of all of the "
                   "VirtualServer route's; the output keeps the route's "
                   "Policies of the types this subroute does not name (stricter "
                   "than NIC: clients NIC admits may be refused)");
}

static void route(struct imp *im, const struct vs_ctx *v, const struct ynode *r,
                  struct nic_server *s)
{
    static const char *const known[] = {"path", "action", "splits", "matches",
                                        "route", "policies", "location-snippets",
                                        NULL};
    const char *path = nic_vs_text(ynode_get(r, "path"));
    struct nic_loc *l = ARENA_NEW(im->a, struct nic_loc);
    const struct ynode *sp = nic_vs_seq(ynode_get(r, "splits"));
    const struct ynode *ms = nic_vs_seq(ynode_get(r, "matches"));
    struct nic_level *lv = ARENA_NEW(im->a, struct nic_level);
    const struct nic_level *levels[3];
    bool ok;

    nic_vs_other_fields(im, v, r, known);
    l->src = v->src;
    l->at = r;
    l->route = r;
    if (!path) {
        nic_vs_not_converted(im, v, r, "a route without a path");
        return;
    }
    nic_policy_refs(im, &v->src, ynode_get(r, "policies"), v->o->namespace, false,
                    lv);
    snippets(im, v, r, "location-snippets", lv);
    subroute_policies(im, v, r, lv);
    if (ynode_get(r, "route")) {
        subroutes(im, v, r, path, s, lv);
        return;
    }
    levels[0] = v->levels[0];
    levels[1] = v->levels[1];
    levels[2] = lv;
    l->location = nic_path_location(im, path);
    l->egress = nic_policy_egress(levels, 3);
    if (!route_path(im, l, path))
        return;
    if (ms)
        matches(im, v, ms, l, s, levels);
    ok = sp ? nic_vs_splits(im, v, sp, l) : nic_vs_action(im, v, ynode_get(r, "action"), l);
    l->denied |= !ok;
    policies(im, v, s, l, levels);
    ptrvec_push(im->a, &s->locs, l);
}

/* A route whose paths are not served: they answer 500 (NIC 502). */
static void route_fails(struct imp *im, const struct vs_ctx *v, const struct ynode *r,
                        const char *path, struct nic_server *s)
{
    struct nic_loc *l = ARENA_NEW(im->a, struct nic_loc);

    l->src = v->src;
    l->at = r;
    l->location = nic_path_location(im, path);
    l->route = r;
    l->denied = true;
    if (route_path(im, l, path))
        ptrvec_push(im->a, &s->locs, l);
}

static void subroutes(struct imp *im, const struct vs_ctx *v,
                      const struct ynode *r, const char *prefix,
                      struct nic_server *s, const struct nic_level *lv)
{
    const struct crd *o = nic_vsr_find(im, nic_vsr_key(im, v->o->namespace, r));
    const char *why;
    const struct ynode *at;
    struct vs_ctx sub;
    const struct ynode *subs;
    size_t i;

    if (!o || !str_eq(nic_vs_text(ynode_get(o->spec, "host")), s->host)) {
        nic_vs_not_converted(im, v, ynode_get(r, "route"),
                             o ? "the VirtualServerRoute's host is not the "
                                 "VirtualServer's (NIC rejects it)"
                               : "no VirtualServerRoute of that name in the input; "
                                 "its paths answer 500 in the output");
        if (!o)
            route_fails(im, v, r, prefix, s);
        return;
    }
    memset(&sub, 0, sizeof(sub));
    sub.o = o;
    sub.src.label = o->label;
    sub.src.root = o->root;
    if ((why = nic_vsr_refused(im, &v->refs, o, &at)) != NULL) {
        imp_report_src(im, &sub.src, at, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: NIC refuses this VirtualServerRoute "
                       "for %s: %s; the paths delegated to it answer 500",
                       v->o->label, why);
        route_fails(im, v, r, prefix, s);
        return;
    }
    sub.upstreams = ynode_get(o->spec, "upstreams");
    sub.levels[0] = v->levels[0];
    sub.levels[1] = lv;
    sub.owner = v->owner;
    nic_vs_upstream_fields_check(im, &sub);
    subs = nic_vs_seq(ynode_get(o->spec, "subroutes"));
    for (i = 0; subs && i < subs->n; i++) {
        /* Under several regex routes, each takes the subroute of its own
         * path. */
        if (nic_path_delegated(im, prefix, nic_vs_text(ynode_get(subs->items[i], "path"))))
            route(im, &sub, subs->items[i], s);
    }
}

/* false when NIC refuses the VirtualServer for its tls (reported). */
static bool tls(struct imp *im, const struct vs_ctx *v, const struct ynode *t,
                struct nic_server *s)
{
    static const char *const known[] = {"secret", "redirect", NULL};
    static const char *const redirect_known[] = {"enable", "code", "basedOn", NULL};
    const struct ynode *r = ynode_get(t, "redirect");
    const struct ynode *code = ynode_get(r, "code");
    const struct ynode *based = ynode_get(r, "basedOn");
    const char *based_on = nic_vs_text(based);
    bool on = false, valid = true;
    int64_t c = 301;

    nic_vs_other_fields(im, v, t, known);
    nic_vs_other_fields(im, v, r, redirect_known);
    s->secret = nic_vs_text(ynode_get(t, "secret"));
    valid = nic_vs_bool(im, v, ynode_get(r, "enable"), &on);
    if (code && (!imp_value_parse_decimal(code->text, 301, 308, &c) ||
                 (c != 301 && c != 302 && c != 307 && c != 308)))
        nic_vs_not_converted(im, v, code, "the code must be 301, 302, 307 or 308");
    /* NIC's validation takes "scheme" or "x-forwarded-proto" only and
     * refuses the VirtualServer otherwise: it does not fall back to
     * scheme. */
    if (based && !str_eq(based_on, "scheme") && !str_eq(based_on, "x-forwarded-proto")) {
        imp_report_src(im, &v->src, based, DIAG_IMPORT_BAD_VALUE,
                       "basedOn must be 'scheme' or 'x-forwarded-proto': NIC "
                       "refuses the VirtualServer; its paths answer 500");
        valid = false;
    }
    if (!valid)
        return false;
    if (str_eq(based_on, "x-forwarded-proto")) {
        s->xfp_redirect = on;
        s->xfp_code = c;
    } else if (on && s->secret) {
        s->redirect_code = c;
    }
    return true;
}

static void virtual_server(struct imp *im, const struct crd *o)
{
    static const char *const known[] = {"host", "tls", "upstreams", "routes",
                                        "policies", "ingressClassName",
                                        "server-snippets", NULL};
    const char *host = nic_vs_text(ynode_get(o->spec, "host"));
    const char *klass = nic_vs_text(ynode_get(o->spec, "ingressClassName"));
    struct vs_ctx v;
    struct nic_server *s;
    struct nic_level *spec_level;
    const struct ynode *routes;
    size_t i, first;

    memset(&v, 0, sizeof(v));
    v.o = o;
    v.src.label = o->label;
    v.src.root = o->root;
    v.upstreams = ynode_get(o->spec, "upstreams");
    v.owner = o;
    if (klass && !str_eq(klass, nic_class(im))) {
        imp_report_src(im, &v.src, ynode_get(o->spec, "ingressClassName"),
                       DIAG_IMPORT_SKIPPED, "ingress class '%s' is not converted",
                       klass);
        return;
    }
    if (!host) {
        nic_vs_not_converted(im, &v, o->spec ? o->spec : o->root, "a VirtualServer needs a host");
        return;
    }
    if (!imp_ingress_host_ok(im, &v.src, ynode_get(o->spec, "host"), host))
        return;
    s = nic_server_claim(im, &v.src, o->namespace, host);
    if (!s) {
        imp_report_src(
            im, &v.src, ynode_get(o->spec, "host"), DIAG_IMPORT_CONFLICT,
            "host '%s' already belongs to %s: NIC keeps the oldest of "
            "them (creationTimestamp); this VirtualServer is not "
            "converted",
            host, nic_host_winner(im, host));
        nic_host_lost(im, host, &v.src, ynode_get(o->spec, "host"));
        return;
    }
    nic_vs_other_fields(im, &v, o->spec, known);
    nic_vs_upstream_fields_check(im, &v);
    spec_level = ARENA_NEW(im->a, struct nic_level);
    nic_policy_refs(im, &v.src, ynode_get(o->spec, "policies"), o->namespace, true,
                    spec_level);
    snippets(im, &v, o->spec, "server-snippets", spec_level);
    v.levels[0] = spec_level;
    s->spec = spec_level;
    /* An invalid tls: NIC answers 500 on the host's paths, as for an
     * invalid Secret name below. */
    if (ynode_get(o->spec, "tls") && !tls(im, &v, ynode_get(o->spec, "tls"), s))
        spec_level->deny = true;
    if (s->secret && !imp_value_dns_subdomain(s->secret)) {
        /* NIC's validation (validateSecretName): a Secret of the
         * VirtualServer's namespace, by name; "namespace/name" is none. */
        imp_report_src(im, &v.src, ynode_get(ynode_get(o->spec, "tls"), "secret"),
                       DIAG_IMPORT_TLS,
                       "not converted: NIC takes a Secret name of the "
                       "VirtualServer's namespace here and refuses the "
                       "VirtualServer otherwise; its paths answer 500");
        s->secret = NULL;
        s->redirect_code = 0; /* there is no HTTPS listener to send to */
        spec_level->deny = true;
    }
    if (spec_level->hsts && !s->secret) {
        imp_report_src(im, &v.src, ynode_get(o->spec, "policies"),
                       DIAG_IMPORT_POLICY_INVALID,
                       "NIC refuses an HSTS Policy on a VirtualServer without "
                       "TLS and answers 500 on its paths; so does the output");
        spec_level->deny = true;
    }
    routes = nic_vs_seq(ynode_get(o->spec, "routes"));
    nic_vsr_refs(im, &v.refs, o->namespace, routes);
    first = s->locs.n;
    for (i = 0; routes && i < routes->n; i++)
        route(im, &v, routes->items[i], s);
    nic_duplicate_locations(im, s, first);
}

/* A VirtualServer's claim on its host, before any Ingress takes it. */
void nic_virtual_servers_bid(struct imp *im)
{
    size_t i;

    for (i = 0; i < NIC(im)->crds->n; i++) {
        const struct crd *o = NIC(im)->crds->v[i];
        const char *host = nic_vs_text(ynode_get(o->spec, "host"));
        const char *klass = nic_vs_text(ynode_get(o->spec, "ingressClassName"));

        if (!str_eq(o->kind, "VirtualServer") || !host ||
            (klass && !str_eq(klass, nic_class(im))))
            continue;
        nic_host_bid(im, host, &(struct imp_src){o->label, o->root},
                     arena_printf(im->a, "%s/%s", o->namespace, o->name));
    }
}

void nic_virtual_servers(struct imp *im)
{
    size_t i;

    for (i = 0; i < NIC(im)->crds->n; i++) {
        const struct crd *o = NIC(im)->crds->v[i];
        if (str_eq(o->kind, "VirtualServer"))
            virtual_server(im, o);
        else if (!str_eq(o->kind, "VirtualServerRoute") && !str_eq(o->kind, "Policy"))
            imp_report_src(im, &(struct imp_src){o->label, o->root}, o->root,
                           DIAG_IMPORT_NOT_CONVERTED, "%s is not converted",
                           o->kind);
    }
}
