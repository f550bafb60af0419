/*
 * One HTTPProxy route (projectcontour.io/docs/main/config/request-routing/,
 * request-rewriting/, upstream weights, timeouts):
 *   - conditions (route_conditions.c): the include chain's prefixes joined to the
 *     route's prefix, exact or regex ("//" collapsed; the last decides the
 *     kind; none is prefix "/"); prefixes match string-wise; regexes
 *     (RE2) the whole path; headers exact, contains, regex, present;
 *     query parameters exact, prefix, suffix, contains, regex, present
 *     (ignoreCase: a (?i) regex).  Negations have no Gateway API match;
 *   - services: no weight anywhere is an equal split; a weight somewhere
 *     makes the unweighted ones 0 (written as 0, not Gateway API's 1); all
 *     0 is an equal split again; a mirror's weight is its percentage;
 *   - pathRewritePolicy.replacePrefix, request/responseHeadersPolicy
 *     (set, remove; Host sets the upstream host), requestRedirectPolicy,
 *     timeoutPolicy.response (15 s when unset);
 *   - retryPolicy and loadBalancerPolicy become a gwc BackendPolicy
 *     (backend.c); the virtual host's corsPolicy the CORS filter;
 *   - health checks, idle timeouts, rate limits are reported.  A
 *     condition, header, rewrite or redirect that cannot be converted, and
 *     any access control, leaves the route answering 500 (never served
 *     without it).
 */
#include "ct.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"

#include <string.h>
#include <strings.h>

/* ---- services ---- */

static bool headers_policy(struct imp *im, const struct ct_proxy_ctx *x,
                           const struct ynode *p, bool request, struct o_filters *f)
{
    static const char *const known[] = {"set", "remove", NULL};
    const struct ynode *set = imp_crd_seq(ynode_get(p, "set"));
    const struct ynode *rm = imp_crd_seq(ynode_get(p, "remove"));
    size_t i;

    imp_report_other_fields(im, x->src.label, x->src.root, p, known, "Contour");
    for (i = 0; set && i < set->n; i++) {
        struct o_header *h = ARENA_NEW(im->a, struct o_header);
        h->name = imp_crd_text(ynode_get(set->items[i], "name"));
        h->value = imp_crd_text(ynode_get(set->items[i], "value"));
        if (!h->name || !h->value || !imp_value_header_name(h->name) ||
            imp_value_unsafe_text(h->value))
            return ct_route_not_converted(im, x, set->items[i],
                                          "a header needs a name and a value without "
                                          "control characters");
        if (strchr(h->value, '%'))
            return ct_route_not_converted(im, x, set->items[i],
                                          "Gateway API sets headers to literal values; "
                                          "Envoy's %VARIABLES% have no equivalent");
        if (strlen(h->value) > IMP_HEADER_VALUE_MAX)
            return ct_route_not_converted(im, x, set->items[i],
                                          "the value is longer than the output can "
                                          "hold (2047 characters)");
        if (request && !strcasecmp(h->name, "Host")) {
            struct o_rewrite *rw = ARENA_NEW(im->a, struct o_rewrite);
            if (f->rewrite)
                *rw = *f->rewrite;
            if (!imp_value_hostname(h->value, false))
                return ct_route_not_converted(im, x, set->items[i], "Host must be a hostname");
            rw->hostname = h->value;
            f->rewrite = rw;
            continue;
        }
        ptrvec_push(im->a, request ? &f->request_set : &f->response_set, h);
    }
    for (i = 0; rm && i < rm->n; i++) {
        const char *name = imp_crd_text(rm->items[i]);
        if (!name || !imp_value_header_name(name))
            return ct_route_not_converted(im, x, rm->items[i], "not a header name");
        ptrvec_push(im->a, request ? &f->request_remove : &f->response_remove,
                    (void *)name);
    }
    return true;
}

static void service_fields(struct imp *im, const struct ct_proxy_ctx *x,
                           const struct ynode *s)
{
    static const char *const known[] = {"name", "port", "weight", "mirror",
                                        "protocol", "requestHeadersPolicy",
                                        "responseHeadersPolicy", NULL};
    const char *proto = imp_crd_text(ynode_get(s, "protocol"));

    imp_report_other_fields(im, x->src.label, x->src.root, s, known, "Contour");
    if (proto)
        ct_route_not_converted(im, x, ynode_get(s, "protocol"),
                               "the Gateway speaks HTTP/1.1 in clear to Services; "
                               "h2, h2c and tls upstreams need a BackendTLSPolicy or "
                               "appProtocol on the Service port");
}

static bool named(const struct ptrvec *v, bool headers, const char *name)
{
    size_t i;

    for (i = 0; i < v->n; i++) {
        const char *n = headers ? ((const struct o_header *)v->v[i])->name
                                : (const char *)v->v[i];
        if (!strcasecmp(n, name))
            return true;
    }
    return false;
}

/* Does a header the service sets or removes (set, rm) also change on the
 * route (rset, rrm)? */
static bool clash(const struct ptrvec *set, const struct ptrvec *rm,
                  const struct ptrvec *rset, const struct ptrvec *rrm)
{
    size_t i;

    for (i = 0; i < set->n; i++) {
        const char *n = ((const struct o_header *)set->v[i])->name;
        if (named(rset, true, n) || named(rrm, false, n))
            return true;
    }
    for (i = 0; i < rm->n; i++) {
        if (named(rset, true, rm->v[i]) || named(rrm, false, rm->v[i]))
            return true;
    }
    return false;
}

/* A service's own header policies: filters of its backendRef, applied
 * (after the route's) to the requests it gets and its responses; its Host
 * (Envoy's host rewrite of the service's weighted cluster) a URLRewrite
 * hostname there.  Not converted: the route answers 500 rather than
 * forward without them. */
static const struct o_filters *service_headers(struct imp *im,
                                               const struct ct_proxy_ctx *x,
                                               const struct ynode *s,
                                               struct ct_route *r)
{
    const struct ynode *req = ynode_get(s, "requestHeadersPolicy");
    const struct ynode *resp = ynode_get(s, "responseHeadersPolicy");
    struct o_filters *f;

    if (!req && !resp)
        return NULL;
    f = ARENA_NEW(im->a, struct o_filters);
    if ((req && !headers_policy(im, x, req, true, f)) ||
        (resp && !headers_policy(im, x, resp, false, f))) {
        r->denied = true;
        return NULL;
    }
    if (f->rewrite && r->filters->rewrite && r->filters->rewrite->hostname) {
        ct_route_not_converted(im, x, s,
                               "the service and its route both set Host (Envoy's host "
                               "rewrite of the route and of the service's cluster), and "
                               "Gateway API leaves the order of a rule's and a "
                               "backendRef's URLRewrite open; the route answers 500");
        r->denied = true;
        return NULL;
    }
    if (clash(&f->request_set, &f->request_remove, &r->filters->request_set,
              &r->filters->request_remove) ||
        clash(&f->response_set, &f->response_remove, &r->filters->response_set,
              &r->filters->response_remove)) {
        ct_route_not_converted(im, x, s,
                               "the service and its route change the same header: "
                               "Envoy applies the route's change last, Gateway API "
                               "leaves the order of a rule's and a backendRef's filters "
                               "open; the route answers 500");
        r->denied = true;
        return NULL;
    }
    return f;
}

static bool services(struct imp *im, const struct ct_proxy_ctx *x,
                     const struct ynode *svcs, struct ct_route *r)
{
    int64_t sum = 0, w;
    bool weighted = false;
    size_t i;

    for (i = 0; i < svcs->n; i++) {
        const struct ynode *wn = ynode_get(svcs->items[i], "weight");
        if (wn && !ct_flag(ynode_get(svcs->items[i], "mirror"))) {
            if (wn->kind != YNODE_SCALAR ||
                !imp_value_parse_decimal(wn->text, 0, 1000000, &w))
                return ct_route_not_converted(im, x, wn, "a weight is a whole number");
            weighted = true;
            sum += w;
        }
    }
    for (i = 0; i < svcs->n; i++) {
        const struct ynode *s = svcs->items[i], *wn = ynode_get(s, "weight");
        const struct ynode *port = ynode_get(s, "port");
        struct backend b;
        int64_t p;

        service_fields(im, x, s);
        memset(&b, 0, sizeof(b));
        b.src = s;
        b.namespace = x->o->namespace;
        b.service = imp_crd_text(ynode_get(s, "name"));
        if (!b.service || !imp_value_dns_label(b.service) || !port ||
            port->kind != YNODE_SCALAR ||
            !imp_value_parse_decimal(port->text, 1, 65535, &p))
            return ct_route_not_converted(im, x, s, "a service needs a name and a port");
        b.port = p;
        w = -1;
        if (wn)
            imp_value_parse_decimal(wn->text, 0, 1000000, &w);
        if (ct_flag(ynode_get(s, "mirror"))) {
            struct o_rule tmp;
            if (r->filters->mirror)
                return ct_route_not_converted(im, x, s, "Contour takes one mirror per route");
            if (ynode_get(s, "requestHeadersPolicy") || ynode_get(s, "responseHeadersPolicy"))
                ct_report(im, &x->src, s, DIAG_IMPORT_APPROXIMATED,
                          "the header policies of a mirror service are left out: "
                          "Gateway API's RequestMirror takes no header changes, so "
                          "the mirrored requests go without them (the answers "
                          "clients get do not change)");
            memset(&tmp, 0, sizeof(tmp));
            imp_routes_rule_add_backend(im, &tmp, &b, -1);
            r->filters->mirror = tmp.backends.v[0];
            r->filters->mirror_percent = w > 0 && w < 100 ? w : 0;
            continue;
        }
        if (weighted && sum > 0 && !wn)
            ct_report(im, &x->src, s, DIAG_IMPORT_DETAIL,
                      "Contour gives a service without a weight 0 when another "
                      "service of the route has one; written as weight: 0 "
                      "(Gateway API's default is 1)");
        {
            struct o_rule tmp;
            memset(&tmp, 0, sizeof(tmp));
            tmp.backends = r->backends;
            imp_routes_rule_add_backend(im, &tmp, &b,
                                        weighted && sum > 0 ? (w < 0 ? 0 : w) : -1);
            if (tmp.backends.n > r->backends.n) /* b.service is checked above */
                ((struct o_backend *)tmp.backends.v[tmp.backends.n - 1])->filters =
                    service_headers(im, x, s, r);
            r->backends = tmp.backends;
        }
    }
    if (!r->backends.n)
        return ct_route_not_converted(im, x, svcs, "Contour needs a service that is not "
                                                   "a mirror");
    return true;
}

/* ---- policies ---- */

/* ReplacePrefixMatch needs one PathPrefix match: the string-prefix regex
 * goes (reported). */
static bool one_prefix(struct imp *im, const struct ct_proxy_ctx *x,
                       const struct ynode *at, struct ct_route *r)
{
    if (!str_eq(r->matches[0].path.type, "PathPrefix"))
        return ct_route_not_converted(im, x, at, "a prefix replacement on an exact or "
                                                 "regular expression path");
    if (r->denied)
        return true; /* written without filters: it keeps '/pX' (route()) */
    if (r->n_matches == 2)
        ct_report(im, &x->src, at, DIAG_IMPORT_APPROXIMATED,
                  "Contour matches prefix '%s' string-wise ('%sX' too); with the "
                  "prefix replaced, the Gateway matches whole segments only",
                  imp_report_value(im, r->matches[0].path.value),
                  imp_report_value(im, r->matches[0].path.value));
    r->n_matches = 1;
    return true;
}

static bool rewrite(struct imp *im, const struct ct_proxy_ctx *x,
                    const struct ynode *p, struct ct_route *r)
{
    const struct ynode *rp = imp_crd_seq(ynode_get(p, "replacePrefix"));
    const char *prefix = r->matches[0].path.value, *to = NULL;
    struct o_rewrite *rw = ARENA_NEW(im->a, struct o_rewrite);
    size_t i;

    for (i = 0; rp && i < rp->n && !to; i++) {
        const char *pre = imp_crd_text(ynode_get(rp->items[i], "prefix"));
        if (!pre || str_eq(ct_collapse(im, pre), prefix))
            to = imp_crd_text(ynode_get(rp->items[i], "replacement"));
    }
    if (!to || !imp_value_gateway_path(to))
        return ct_route_not_converted(im, x, p, "no replacePrefix entry for the route's "
                                                "prefix with a replacement path");
    if (!one_prefix(im, x, p, r))
        return false;
    if (to[strlen(to) - 1] == '/' && prefix[strlen(prefix) - 1] != '/' && !r->denied)
        ct_report(im, &x->src, p, DIAG_IMPORT_APPROXIMATED,
                  "Envoy replaces the prefix '%s' string-wise ('%s/x' becomes "
                  "'%s/x'); the Gateway does not double the slash",
                  imp_report_value(im, prefix), imp_report_value(im, prefix),
                  imp_report_value(im, to));
    if (r->filters->rewrite)
        *rw = *r->filters->rewrite;
    rw->path.type = "ReplacePrefixMatch";
    rw->path.value = to;
    r->filters->rewrite = rw;
    return true;
}

static bool redirect(struct imp *im, const struct ct_proxy_ctx *x,
                     const struct ynode *p, struct ct_route *r)
{
    static const char *const known[] = {"scheme", "hostname", "port", "statusCode",
                                        "path", "prefix", NULL};
    struct o_redirect *rd = ARENA_NEW(im->a, struct o_redirect);
    const struct ynode *code = ynode_get(p, "statusCode"), *port = ynode_get(p, "port");
    const char *path = imp_crd_text(ynode_get(p, "path")),
               *prefix = imp_crd_text(ynode_get(p, "prefix"));

    imp_report_other_fields(im, x->src.label, x->src.root, p, known, "Contour");
    rd->code = 302;
    rd->scheme = imp_crd_text(ynode_get(p, "scheme"));
    rd->hostname = imp_crd_text(ynode_get(p, "hostname"));
    if ((code && (code->kind != YNODE_SCALAR ||
                  !imp_value_parse_decimal(code->text, 301, 302, &rd->code))) ||
        (port && (port->kind != YNODE_SCALAR ||
                  !imp_value_parse_decimal(port->text, 1, 65535, &rd->port))) ||
        (rd->scheme && !str_eq(rd->scheme, "http") &&
         !str_eq(rd->scheme, "https")) ||
        (rd->hostname && !imp_value_hostname(rd->hostname, false)) ||
        (path && !imp_value_gateway_path(path)) ||
        (prefix && !imp_value_gateway_path(prefix)))
        return ct_route_not_converted(im, x, p, "a redirect needs a scheme http or https, "
                                                "a hostname, a port, a path and a status "
                                                "301 or 302 Gateway API accepts");
    if (path) {
        rd->path.type = "ReplaceFullPath";
        rd->path.value = path;
    } else if (prefix) {
        if (!one_prefix(im, x, p, r))
            return false;
        rd->path.type = "ReplacePrefixMatch";
        rd->path.value = prefix;
    }
    r->filters->redirect = rd;
    return true;
}

static void timeouts(struct imp *im, const struct ct_proxy_ctx *x,
                     const struct ynode *t, struct ct_route *r, bool *noted)
{
    static const char *const known[] = {"response", NULL};
    const char *resp = imp_crd_text(ynode_get(t, "response"));

    imp_report_other_fields(im, x->src.label, x->src.root, t, known, "Contour");
    r->filters->request_timeout = resp ? ct_duration(im, resp) : NULL;
    if (resp && !r->filters->request_timeout)
        ct_route_not_converted(im, x, ynode_get(t, "response"),
                               "the timeout is not a duration Gateway API can write "
                               "(such as 30s, 1m or infinity); Contour's 15s default is "
                               "written instead");
    if (!r->filters->request_timeout) {
        r->filters->request_timeout = ct_default_timeout;
        if (!*noted)
            ct_report(im, &x->src, r->at, DIAG_IMPORT_DETAIL,
                      "Contour's default response timeout is 15s (Envoy's route "
                      "timeout); written as timeouts.request: 15s on the "
                      "routes of this HTTPProxy without timeoutPolicy.response");
        *noted = true;
    }
}

/* Fields reported, not converted; the route is served without them. */
static void reported(struct imp *im, const struct ct_proxy_ctx *x,
                     const struct ynode *route)
{
    static const struct {
        const char *field, *why;
    } table[] = {
        {"healthCheckPolicy", "active health checks have no Gateway API "
                              "equivalent; nginx checks passively"},
        {"rateLimitPolicy", "rate limits need a gwc ClientPolicy"},
        {"cookieRewritePolicies", "Set-Cookie rewriting has no Gateway API "
                                  "equivalent"},
        {"internalRedirectPolicy", "internal redirects have no Gateway API "
                                   "equivalent"},
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(table); i++) {
        const struct ynode *at = ynode_get(route, table[i].field);
        if (at)
            ct_route_not_converted(im, x, at, table[i].why);
    }
    if (ynode_get(route, "enableWebsockets"))
        ct_report(im, &x->src, ynode_get(route, "enableWebsockets"),
                  DIAG_IMPORT_IGNORED,
                  "nothing to convert: the Gateway forwards WebSocket upgrades "
                  "on every route");
}

/* The paths a route whose path gwc cannot write may match: every path
 * starting with the literal start of its merged path (the include chain's
 * prefix and its own prefix, exact or regex, as Contour joins them; a
 * regex is matched over the whole path, so from its start).  Never fewer
 * than the route took; "/" when nothing narrower is sure. */
static const char *widest(struct imp *im, const struct ct_proxy_ctx *x,
                          const struct ynode *conds)
{
    static const char *const kinds[] = {"prefix", "exact", "regex"};
    const char *own = NULL, *lit;
    size_t i, k;

    for (i = 0; imp_crd_seq(conds) && i < conds->n; i++) {
        for (k = 0; k < 3; k++) {
            const char *v = imp_crd_text(ynode_get(conds->items[i], kinds[k]));
            if (v && *v)
                own = v;
        }
    }
    /* Read as a regex, a prefix or exact path gives the same literal or a
     * shorter one (it stops at '.', '?' ...).  Room for quoting and ".*"
     * within gwc's regex length. */
    lit = imp_re_literal_start(
        im->a,
        ct_collapse(im, arena_printf(im->a, "%s%s",
                                     x->chain->prefix ? x->chain->prefix : "",
                                     own ? own : "")),
        true, IMP_RE_MAX / 2 - 4);
    if (!imp_value_gateway_path(lit))
        lit = x->chain->prefix && imp_value_gateway_path(x->chain->prefix)
                  ? x->chain->prefix
                  : "/";
    return lit;
}

/* A route with access control of its own whose path condition gwc cannot
 * write (a regex or path past its limits, which Contour takes): left out,
 * its requests would reach the host's other routes without that control,
 * so it takes every path under the literal start of its path (widest())
 * and answers 500, as a regular expression: gwc ranks it above every
 * prefix, whatever the order of the routes. */
static void widen(struct imp *im, const struct ct_proxy_ctx *x, struct ct_route *r,
                  const struct ynode *item)
{
    const char *p = widest(im, x, ynode_get(item, "conditions"));

    ct_report(im, &x->src, ynode_get(item, "conditions") ? ynode_get(item, "conditions")
                                                         : item,
              DIAG_IMPORT_FAIL_CLOSED,
              "access control not converted exactly: this route's path is not "
              "converted (above); left out, its requests would reach the host's "
              "other routes without its access control, so it takes every path "
              "starting with '%s' and answers 500",
              imp_report_value(im, p));
    /* a regular expression, which ranks above every prefix of the host */
    r->matches[0].path.type = "RegularExpression";
    r->matches[0].path.value = arena_printf(im->a, "%s.*", imp_re_quote(im->a, p));
    r->n_matches = 1;
    r->widened = true;
}

/* Contour answers such a route itself, with the policy's status and body;
 * the output has no fixed answer, only a rule without backends (500 and
 * nginx's page).  A route with no action at all never gets here: route
 * validity refuses its proxy. */
static bool direct_response(struct imp *im, const struct ct_proxy_ctx *x,
                            const struct ynode *p)
{
    const char *code = imp_crd_text(ynode_get(p, "statusCode"));
    const struct ynode *n = ynode_get(p, "statusCode");

    if (!code && n && n->kind == YNODE_SCALAR)
        code = n->text; /* an integer: imp_crd_text takes strings only */
    return ct_route_not_converted(
        im, x, p,
        arena_printf(im->a,
                     "Contour answers this route itself (status %s and the "
                     "policy's body); Gateway API has no such answer",
                     code ? imp_report_value(im, code) : "unset"));
}

static void route(struct imp *im, const struct ct_proxy_ctx *x,
                  const struct ynode *item, size_t index, bool *noted)
{
    static const char *const known[] = {
        "conditions", "services", "permitInsecure", "timeoutPolicy",
        "pathRewritePolicy", "requestHeadersPolicy", "responseHeadersPolicy",
        "requestRedirectPolicy", "directResponsePolicy", "retryPolicy",
        "loadBalancerPolicy",
        "healthCheckPolicy", "rateLimitPolicy", "cookieRewritePolicies",
        "internalRedirectPolicy", "enableWebsockets", "authPolicy",
        "ipAllowPolicy", "ipDenyPolicy", "jwtVerificationPolicy", NULL};
    struct ct_route *r = ARENA_NEW(im->a, struct ct_route);
    const struct ynode *svcs = imp_crd_seq(ynode_get(item, "services"));
    const struct ynode *p;
    bool ok, guarded;
    size_t full;

    r->src = x->src;
    r->at = item;
    r->namespace = x->o->namespace;
    r->owner = x->o->name;
    r->plain = ct_flag(ynode_get(item, "permitInsecure")) ? CT_PLAIN_SERVE
                                                       : CT_PLAIN_REDIRECT;
    r->filters = ARENA_NEW(im->a, struct o_filters);
    r->filters->cors = x->cors;
    r->rule_name = arena_printf(im->a, "route-%zu", index + 1);
    imp_report_other_fields(im, x->src.label, x->src.root, item, known, "Contour");
    ok = ct_route_conditions(im, x, ynode_get(item, "conditions"), r);
    /* a denied host or include answers 500 on all its paths already */
    guarded = !x->denied && !x->chain->denied &&
              ct_access_control(im, &x->src, item, "route");
    r->denied = x->denied || x->chain->denied || guarded;
    if (!r->n_matches && guarded)
        widen(im, x, r, item);
    if (!r->n_matches)
        return; /* no path to answer on: nothing is written */
    full = r->n_matches;
    reported(im, x, item);
    r->backend = ct_route_backend(im, &x->src, item);
    timeouts(im, x, ynode_get(item, "timeoutPolicy"), r, noted);
    if ((p = ynode_get(item, "requestHeadersPolicy")))
        ok = headers_policy(im, x, p, true, r->filters) && ok;
    if ((p = ynode_get(item, "responseHeadersPolicy")))
        ok = headers_policy(im, x, p, false, r->filters) && ok;
    if ((p = ynode_get(item, "pathRewritePolicy")))
        ok = rewrite(im, x, p, r) && ok;
    if ((p = ynode_get(item, "requestRedirectPolicy")))
        ok = redirect(im, x, p, r) && ok;
    else if ((p = ynode_get(item, "directResponsePolicy")))
        ok = direct_response(im, x, p) && ok;
    else if (svcs)
        ok = services(im, x, svcs, r) && ok;
    else /* route validity refuses the proxy first; kept for safety */
        ok = ct_route_not_converted(im, x, item, "the route has no services");
    if (!ok && !r->denied)
        ct_report(im, &x->src, item, DIAG_IMPORT_NOT_CONVERTED,
                  "part of this route is not converted (above); it answers "
                  "500 rather than serve requests without it");
    r->denied |= !ok;
    /* Denied, it is written without its rewrite or redirect, which alone
     * wanted one PathPrefix: it answers 500 on '/pX' too, which Contour
     * serves with it, rather than leave those to a shorter prefix. */
    if (r->denied)
        r->n_matches = full;
    ptrvec_push(im->a, &x->vh->routes, r);
}

void ct_proxy_routes(struct imp *im, const struct ct_proxy_ctx *x)
{
    const struct ynode *routes = imp_crd_seq(ynode_get(x->o->spec, "routes"));
    bool noted = false;
    size_t i;

    for (i = 0; routes && i < routes->n; i++)
        route(im, x, routes->items[i], i, &noted);
}
