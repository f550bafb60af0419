/*
 * Traefik Middlewares (doc.traefik.io/traefik/reference/routing-
 * configuration/http/middlewares/overview/), in the router's order:
 *   stripPrefix {prefixes}   URLRewrite ReplacePrefixMatch "/" on a rule
 *                            whose PathPrefix is the prefix, and the
 *                            X-Forwarded-Prefix request header it sets
 *   addPrefix {prefix}       URLRewrite: prefix + the matched prefix
 *   replacePath {path}       URLRewrite ReplaceFullPath
 *   headers {customRequestHeaders, customResponseHeaders}
 *                            header modifiers (set; "" removes: reported)
 *   redirectScheme {scheme: https, permanent}
 *                            RequestRedirect on web; on websecure Traefik
 *                            does nothing, and neither does the output
 *   chain {middlewares}      its middlewares, in order
 *   ipAllowList, ipWhiteList, basicAuth, digestAuth, forwardAuth,
 *   buffering                gwc policies (policies.c)
 *   rateLimit, inFlightReq   the router's own ClientPolicy (limits.c)
 * Every other middleware (retry, compress, ...) is reported, not
 * converted.
 */
#include "tr.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

#define MAX_CHAIN_DEPTH 8
/* Middlewares one reference may expand to, through chains: chains that
 * name each other several times grow exponentially with the depth. */
#define MAX_EXPANDED 64

static struct o_filters *filters(struct imp *im, struct tr_router *r)
{
    if (!r->filters)
        r->filters = ARENA_NEW(im->a, struct o_filters);
    return r->filters;
}

static bool header_map(struct imp *im, const struct imp_src *src,
                       const struct ynode *map, struct ptrvec *out)
{
    size_t i;
    bool ok = true;

    for (i = 0; map && map->kind == YNODE_MAP && i < map->n; i++) {
        const struct ynode *v = map->items[i];
        const char *value = imp_crd_text(v);
        struct o_header *h;

        if (!value || !*value || !imp_value_header_name(v->key) ||
            imp_value_unsafe_text(value)) {
            imp_report_src(
                im, src, v, DIAG_IMPORT_NOT_CONVERTED, "not converted: %s",
                value && !*value
                    ? "an empty value removes the header, which gwc does "
                      "not write yet"
                    : "a header name and a literal value expected");
            ok = false;
            continue;
        }
        if (strlen(value) > IMP_HEADER_VALUE_MAX) {
            imp_report_src(im, src, v, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: the value is longer than the output "
                           "can hold (2047 characters)");
            ok = false;
            continue;
        }
        h = ARENA_NEW(im->a, struct o_header);
        h->name = v->key;
        h->value = value;
        ptrvec_push(im->a, out, h);
    }
    return ok;
}

static bool headers(struct imp *im, struct tr_router *r, const struct imp_src *src,
                    const struct ynode *h)
{
    bool ok = true;
    size_t i;

    for (i = 0; h && h->kind == YNODE_MAP && i < h->n; i++) {
        const struct ynode *f = h->items[i];
        if (str_eq(f->key, "customRequestHeaders"))
            ok = header_map(im, src, f, &filters(im, r)->request_set) && ok;
        else if (str_eq(f->key, "customResponseHeaders"))
            ok = header_map(im, src, f, &filters(im, r)->response_set) && ok;
        else {
            imp_report_src(im, src, f, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: gwc converts the custom request and "
                           "response headers of this middleware");
            ok = false;
        }
    }
    return ok;
}

static bool redirect_scheme(struct imp *im, struct tr_router *r,
                            const struct imp_src *src, const struct ynode *m)
{
    const char *scheme = imp_crd_text(ynode_get(m, "scheme"));
    const struct ynode *perm = ynode_get(m, "permanent");
    bool permanent = false;

    if (!str_eq(scheme, "https") || ynode_get(m, "port")) {
        imp_report_src(im, src, m, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: gwc converts redirectScheme to https on the "
                       "default port");
        return false;
    }
    if (perm && !(perm->kind == YNODE_SCALAR &&
                  imp_value_parse_go_bool(perm->text, &permanent)))
        imp_report_src(im, src, perm, DIAG_IMPORT_BAD_VALUE,
                       "permanent is a boolean");
    r->https_redirect = permanent ? 301 : 302;
    imp_report_src(im, src, m, DIAG_IMPORT_APPROXIMATED,
                   "Traefik answers %s for GET and HEAD and %s for other methods; "
                   "the Gateway answers %lld to every method",
                   permanent ? "301" : "302", permanent ? "308" : "307",
                   (long long)r->https_redirect);
    return true;
}

static bool path_field(struct imp *im, const struct imp_src *src, const struct ynode *m,
                       const char *key, const struct ynode **at, const char **out)
{
    const char *v = imp_crd_text(ynode_get(m, key));

    if (!v || v[0] != '/' || !imp_value_gateway_path(v)) {
        imp_report_src(im, src, ynode_get(m, key) ? ynode_get(m, key) : m,
                       DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: a literal path starting with '/' expected");
        return false;
    }
    *at = ynode_get(m, key);
    *out = v;
    return true;
}

static bool apply(struct imp *im, struct tr_router *r, const struct imp_src *at_src,
                  const struct ynode *at, const char *ns, const char *name, int depth,
                  size_t *left);

/* at (of at_src's object) is the reference that named o. */
static bool one(struct imp *im, struct tr_router *r, const struct imp_src *at_src,
                const struct ynode *at, const struct crd *o, int depth, size_t *left)
{
    const struct imp_src src = {o->label, o->root};
    const struct ynode *spec = o->spec;
    const struct ynode *m;
    const char *kind;

    if (!spec || spec->kind != YNODE_MAP || spec->n != 1) {
        imp_report_src(im, &src, spec ? spec : o->root, DIAG_IMPORT_BAD_VALUE,
                       "a Middleware's spec holds exactly one middleware");
        return false;
    }
    m = spec->items[0];
    kind = m->key;
    if (tr_policy_kind(kind))
        return tr_policy_apply(im, r, o, m);
    if (tr_limit_kind(kind))
        return tr_limit_apply(im, r, at_src, at, o, m);
    if (str_eq(kind, "stripPrefix")) {
        const struct ynode *p = ynode_get(m, "prefixes");
        if (!p || p->kind != YNODE_SEQ || p->n != 1 || ynode_get(m, "forceSlash")) {
            imp_report_src(
                im, &src, m, DIAG_IMPORT_NOT_CONVERTED,
                "not converted: gwc converts stripPrefix with one prefix");
            return false;
        }
        r->strip_at = p->items[0];
        r->strip = imp_crd_text(p->items[0]);
        return r->strip != NULL;
    }
    if (str_eq(kind, "addPrefix"))
        return path_field(im, &src, m, "prefix", &r->add_at, &r->add);
    if (str_eq(kind, "replacePath"))
        return path_field(im, &src, m, "path", &r->replace_at, &r->replace);
    if (str_eq(kind, "headers"))
        return headers(im, r, &src, m);
    if (str_eq(kind, "redirectScheme"))
        return redirect_scheme(im, r, &src, m);
    if (str_eq(kind, "chain")) {
        const struct ynode *list = ynode_get(m, "middlewares");
        bool ok = true;
        size_t i;
        for (i = 0; list && list->kind == YNODE_SEQ && i < list->n; i++) {
            const char *mns = imp_crd_text(ynode_get(list->items[i], "namespace"));
            ok =
                apply(im, r, &src, list->items[i], mns ? mns : o->namespace,
                      imp_crd_text(ynode_get(list->items[i], "name")), depth + 1,
                      left) &&
                ok;
        }
        return ok;
    }
    imp_report_src(im, &src, m, DIAG_IMPORT_NOT_CONVERTED,
                   "not converted: gwc has no filter or policy for the %s "
                   "middleware",
                   kind);
    return false;
}

static bool apply(struct imp *im, struct tr_router *r, const struct imp_src *at_src,
                  const struct ynode *at, const char *ns, const char *name, int depth,
                  size_t *left)
{
    const struct crd *o = tr_crd_find(im, "Middleware", ns, name);

    if (!*left) {
        if (!r->denied)
            imp_report_src(im, &r->src, at, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: the chains expand to more than %d "
                           "middlewares; the route answers 500",
                           MAX_EXPANDED);
        r->denied = true;
        return false;
    }
    --*left;
    if (depth > MAX_CHAIN_DEPTH || !o || !str_eq(ns, r->namespace)) {
        /* Traefik drops a router whose middleware it cannot find. */
        r->denied = true;
        imp_report_src(im, &r->src, at, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: %s; the route answers 500",
                       depth > MAX_CHAIN_DEPTH ? "chains nested too deeply"
                       : !o ? "no Middleware of that name in the input"
                            : "Traefik refuses a Middleware of another namespace "
                              "unless allowCrossNamespace is set");
        return false;
    }
    return one(im, r, at_src, at, o, depth, left);
}

bool tr_middleware_apply(struct imp *im, struct tr_router *r,
                         const struct ynode *at, const char *ns, const char *name)
{
    size_t left = MAX_EXPANDED;

    return apply(im, r, &r->src, at, ns, name, 0, &left);
}

/* ---- rewrites, once the rule is known ---- */

static bool same_prefix(const struct tr_router *r, const char *type, const char *p)
{
    size_t i;

    for (i = 0; i < r->alts.n; i++) {
        const struct tr_alt *a = r->alts.v[i];
        if (!str_eq(a->m[0].path.type, type) || !str_eq(a->m[0].path.value, p))
            return false;
    }
    return r->alts.n > 0;
}

bool tr_middleware_paths(struct imp *im, struct tr_router *r)
{
    const struct tr_alt *first = r->alts.n ? r->alts.v[0] : NULL;
    struct o_rewrite *rw = ARENA_NEW(im->a, struct o_rewrite);
    size_t i;

    if (!r->strip && !r->add && !r->replace)
        return true;
    if (!!r->strip + !!r->add + !!r->replace > 1) {
        /* at the route's middlewares (an Ingress: its path) */
        const struct ynode *mws = ynode_get(r->at, "middlewares");
        imp_report_src(im, &r->src, mws ? mws : r->at, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: one rule takes one URL rewrite; these "
                       "middlewares rewrite the path twice");
        return false;
    }
    if (r->replace) {
        rw->path.type = "ReplaceFullPath";
        rw->path.value = r->replace;
        imp_report_src(im, &r->src, r->replace_at, DIAG_IMPORT_APPROXIMATED,
                       "Traefik also sends the original path in X-Replaced-Path; "
                       "the Gateway does not");
    } else if (r->strip) {
        if (!same_prefix(r, "PathPrefix", r->strip)) {
            imp_report_src(
                im, &r->src, r->strip_at, DIAG_IMPORT_NOT_CONVERTED,
                "not converted: gwc converts stripPrefix when the rule is "
                "PathPrefix of the same prefix");
            return false;
        }
        rw->path.type = "ReplacePrefixMatch";
        rw->path.value = "/";
        {
            struct o_header *h = ARENA_NEW(im->a, struct o_header);
            h->name = "X-Forwarded-Prefix";
            h->value = r->strip;
            ptrvec_push(im->a, &filters(im, r)->request_set, h);
        }
    } else {
        const char *type = first ? first->m[0].path.type : NULL;
        const char *p = first ? first->m[0].path.value : NULL;
        if (!type || str_eq(type, "RegularExpression") || !same_prefix(r, type, p)) {
            imp_report_src(
                im, &r->src, r->add_at, DIAG_IMPORT_NOT_CONVERTED,
                "not converted: gwc converts addPrefix when every "
                "alternative of the rule has the same Path or PathPrefix");
            return false;
        }
        rw->path.type = str_eq(type, "Exact") ? "ReplaceFullPath" : "ReplacePrefixMatch";
        rw->path.value = str_eq(p, "/") ? r->add : arena_printf(im->a, "%s%s", r->add, p);
    }
    /* A prefix rewrite needs a PathPrefix match: the string-prefix regex
     * twin goes. */
    for (i = 0; i < r->alts.n; i++) {
        struct tr_alt *a = r->alts.v[i];
        if (a->n_m == 2 && !str_eq(rw->path.type, "ReplaceFullPath")) {
            a->n_m = 1;
            a->twin = true;
            tr_report_path(im, r, a, DIAG_IMPORT_APPROXIMATED,
                           "Traefik's PathPrefix %s also matches %sX; with the "
                           "rewrite, the Gateway matches whole segments only",
                           a->m[0].path.value, a->m[0].path.value);
        }
    }
    filters(im, r)->rewrite = rw;
    return true;
}
