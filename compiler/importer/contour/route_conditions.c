/*
 * The conditions of one HTTPProxy route (see routes.c): the include
 * chain's prefixes concatenated with the route's own prefix, exact or
 * regex ("//" collapsed), and its header and query parameter conditions,
 * as the route's matches.  Also the report every part of a route uses
 * when something is not converted.
 */
#include "ct.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"

#include <string.h>
#include <strings.h>

bool ct_route_not_converted(struct imp *im, const struct ct_proxy_ctx *x,
                            const struct ynode *at, const char *why)
{
    ct_report(im, &x->src, at, DIAG_IMPORT_NOT_CONVERTED, "not converted: %s", why);
    return false;
}

const char *ct_collapse(struct imp *im, const char *s)
{
    char *out = arena_strdup(im->a, s), *w = out;

    for (; *s; s++) {
        if (*s == '/' && w > out && w[-1] == '/')
            continue;
        *w++ = *s;
    }
    *w = '\0';
    return out;
}

/* ---- conditions ---- */

static bool literal_ok(const char *v)
{
    return v && !imp_value_unsafe_text(v);
}

/* A regex condition nginx cannot match (reported at it): true. */
static bool unmatchable(struct imp *im, const struct ct_proxy_ctx *x,
                        const struct ynode *cond, const char *regex)
{
    char err[128];

    if (!regex || !imp_re_unmatchable(regex, false, err, sizeof(err)))
        return false;
    ct_report(im, &x->src, ynode_get(cond, "regex"), DIAG_IMPORT_REGEX_UNMATCHABLE,
              "not converted: the regular expression %s", err);
    return true;
}

static const char *nocase(struct imp *im, const char *re, bool ignore)
{
    return ignore ? arena_printf(im->a, "(?i)%s", re) : re;
}

static bool header_cond(struct imp *im, const struct ct_proxy_ctx *x,
                        const struct ynode *h, struct o_header_match *out)
{
    static const char *const known[] = {"name", "present", "contains", "exact",
                                        "regex", "ignoreCase", "notpresent",
                                        "notcontains", "notexact",
                                        "treatMissingAsEmpty", NULL};
    const char *name = imp_crd_text(ynode_get(h, "name"));
    const char *exact = imp_crd_text(ynode_get(h, "exact"));
    const char *contains = imp_crd_text(ynode_get(h, "contains"));
    const char *regex = imp_crd_text(ynode_get(h, "regex"));
    bool ignore = ct_flag(ynode_get(h, "ignoreCase"));
    char err[128];

    imp_report_other_fields(im, x->src.label, x->src.root, h, known, "Contour");
    if (!name || !imp_value_header_name(name))
        return ct_route_not_converted(im, x, h, "a header condition needs a header name");
    if (ynode_get(h, "notpresent") || ynode_get(h, "notcontains") ||
        ynode_get(h, "notexact"))
        return ct_route_not_converted(im, x, h, "Gateway API has no negated header match");
    if (out->name)
        return ct_route_not_converted(im, x, h, "gwc converts one header condition per "
                                                "route (the include chain's included)");
    if (!exact && !contains && unmatchable(im, x, h, regex))
        return false;
    if (ct_flag(ynode_get(h, "present"))) {
        out->type = "RegularExpression";
        out->value = ".*";
    } else if (literal_ok(exact) && !ignore) {
        out->type = "Exact";
        out->value = exact;
    } else if (literal_ok(exact) || literal_ok(contains)) {
        const char *q = imp_re_quote(im->a, exact ? exact : contains);
        out->type = "RegularExpression";
        out->value = nocase(im, exact ? q : arena_printf(im->a, ".*%s.*", q), ignore);
    } else if (literal_ok(regex) && imp_re_ok(regex, err, sizeof(err))) {
        out->type = "RegularExpression";
        out->value = regex;
    } else {
        return ct_route_not_converted(im, x, h, "the header condition has no value gwc "
                                                "can match");
    }
    out->name = name; /* only now: a refused condition leaves no half match */
    out->at = h;
    return true;
}

bool ct_query_cond(struct imp *im, const struct ct_proxy_ctx *x,
                   const struct ynode *q, struct o_header_match *out)
{
    static const char *const known[] = {"name", "exact", "prefix", "suffix",
                                        "regex", "contains", "present",
                                        "ignoreCase", NULL};
    /* The regex around the quoted value: before, after. */
    static const char *const forms[][3] = {
        {"exact", "", ""}, {"prefix", "", ".*"}, {"suffix", ".*", ""},
        {"contains", ".*", ".*"},
    };
    const char *name = imp_crd_text(ynode_get(q, "name"));
    bool ignore = ct_flag(ynode_get(q, "ignoreCase"));
    const char *regex = imp_crd_text(ynode_get(q, "regex"));
    char err[128];
    size_t i;

    imp_report_other_fields(im, x->src.label, x->src.root, q, known, "Contour");
    if (!name || !imp_value_header_name(name))
        return ct_route_not_converted(im, x, q, "a query parameter condition needs a name "
                                                "Gateway API accepts (letters, digits and "
                                                "!#$%&'*+-.^_`|~)");
    if (out->name)
        return ct_route_not_converted(im, x, q, "gwc converts one query parameter "
                                                "condition per route, the include "
                                                "chain's included");
    if (unmatchable(im, x, q, regex))
        return false;
    out->name = name;
    out->type = "RegularExpression";
    out->at = q;
    if (ct_flag(ynode_get(q, "present"))) {
        out->value = ".*";
        return true;
    }
    for (i = 0; i < ARRAY_SIZE(forms); i++) {
        const char *v = imp_crd_text(ynode_get(q, forms[i][0]));
        if (!literal_ok(v))
            continue;
        if (i == 0 && !ignore) {
            out->type = "Exact";
            out->value = v;
        } else {
            out->value = nocase(im,
                                arena_printf(im->a, "%s%s%s", forms[i][1],
                                             imp_re_quote(im->a, v), forms[i][2]),
                                ignore);
        }
        return true;
    }
    if (literal_ok(regex) && imp_re_ok(regex, err, sizeof(err))) {
        out->value = regex;
        return true;
    }
    out->name = out->type = NULL; /* a refused condition leaves no half match */
    out->at = NULL;
    return ct_route_not_converted(im, x, q, "the query parameter condition has no value "
                                            "gwc can match");
}

static bool path_of(struct imp *im, const struct ct_proxy_ctx *x, struct ct_route *r,
                    const char *kind, const char *own, const struct ynode *at)
{
    const char *merged = ct_collapse(im, arena_printf(im->a, "%s%s",
                                                   x->chain->prefix ? x->chain->prefix : "",
                                                   own ? own : ""));
    char err[128];

    if (!*merged)
        merged = "/";
    if (str_eq(kind, "regex")) {
        /* Contour appends an included route's regex to the include's
         * prefix as text: with a top-level '|' ("/x|/admin" under "/team")
         * it matches outside the delegated prefix.  The output keeps it
         * inside: prefix(?:regex), the regex on its own a whole group. */
        size_t n = x->chain->prefix ? strlen(ct_collapse(im, x->chain->prefix)) : 0;
        if (imp_re_unmatchable(merged, true, err, sizeof(err))) {
            ct_report(im, &x->src, ynode_get(at, "regex") ? ynode_get(at, "regex") : at,
                      DIAG_IMPORT_REGEX_UNMATCHABLE,
                      "not converted: the regular expression %s", err);
            return false;
        }
        if (!imp_re_ok(merged + n, err, sizeof(err)))
            return ct_route_not_converted(im, x, at, "the regular expression does not "
                                                     "compile with nginx's PCRE");
        if (n && strchr(merged + n, '|'))
            ct_report(im, &x->src, at, DIAG_IMPORT_APPROXIMATED,
                      "Contour appends this regex to the include's prefix '%s' "
                      "as text, so its '|' alternatives may match paths outside "
                      "the prefix the including HTTPProxy delegated; converted "
                      "as one group after the prefix",
                      imp_report_value(im, x->chain->prefix));
        /* The prefix is the including proxy's: a literal for its prefix
         * routes, so a literal here too.  As text, "/v1.0" would let the
         * included regex take "/v1a0/..." from another include. */
        if (n) {
            const char *pre = arena_strndup(im->a, merged, n);
            const char *q = imp_re_quote(im->a, pre);
            if (!str_eq(q, pre))
                ct_report(im, &x->src, at, DIAG_IMPORT_APPROXIMATED,
                          "Contour appends this regex to the include's prefix "
                          "'%s' as text, so the prefix's regex characters would "
                          "match paths outside the prefix the including "
                          "HTTPProxy delegated; converted with the prefix as "
                          "a literal",
                          imp_report_value(im, pre));
            merged = arena_printf(im->a, "%s(?:%s)", q, merged + n);
            if (!imp_re_ok(merged, err, sizeof(err)))
                return ct_route_not_converted(im, x, at, "the regular expression "
                                                         "with the include's prefix "
                                                         "is past gwc's limits");
        }
        r->matches[0].path.type = "RegularExpression";
        r->matches[0].path.value = merged;
        r->n_matches = 1;
        return true;
    }
    if (!imp_value_gateway_path(merged))
        return ct_route_not_converted(im, x, at, "the path is not one Gateway API accepts");
    if (str_eq(kind, "exact")) {
        r->matches[0].path.type = "Exact";
        r->matches[0].path.value = merged;
        r->n_matches = 1;
    } else {
        ct_string_prefix(im, r, merged);
    }
    return true;
}

bool ct_route_conditions(struct imp *im, const struct ct_proxy_ctx *x,
                         const struct ynode *conds, struct ct_route *r)
{
    static const char *const known[] = {"prefix", "exact", "regex", "header",
                                        "queryParameter", NULL};
    static const char *const kinds[] = {"prefix", "exact", "regex", NULL};
    struct o_header_match header = x->chain->header, query = x->chain->query;
    const char *kind = "prefix", *own = NULL;
    const struct ynode *at = conds;
    bool ok = true;
    size_t i, k;

    for (i = 0; imp_crd_seq(conds) && i < conds->n; i++) {
        const struct ynode *c = conds->items[i];
        imp_report_other_fields(im, x->src.label, x->src.root, c, known, "Contour");
        for (k = 0; kinds[k]; k++) {
            const char *v = imp_crd_text(ynode_get(c, kinds[k]));
            if (!v)
                continue;
            if (own || v[0] != '/')
                return ct_route_not_converted(im, x, c, "Contour rejects a route with more "
                                                        "than one prefix, exact or regex "
                                                        "condition, or one not starting "
                                                        "with '/'");
            kind = kinds[k];
            own = v;
            at = c;
        }
        if (ynode_get(c, "header"))
            ok = header_cond(im, x, ynode_get(c, "header"), &header) && ok;
        if (ynode_get(c, "queryParameter"))
            ok = ct_query_cond(im, x, ynode_get(c, "queryParameter"), &query) && ok;
    }
    if (!path_of(im, x, r, kind, own, at ? at : r->at))
        return false;
    r->path_at = own ? ynode_get(at, kind) : x->chain->prefix_at;
    r->path_src = own ? x->src : x->chain->prefix_src;
    for (i = 0; i < r->n_matches; i++) {
        r->matches[i].header = header;
        r->matches[i].query = query;
    }
    return ok;
}

/* The conditions of include inc alone, out of c (its chain): Contour's
 * 502 route for an include it cannot follow (addStatusBadGatewayRoute)
 * takes include.Conditions, not those of the includes above it. */
struct ct_chain ct_include_own(struct imp *im, const struct ct_proxy_ctx *x,
                               const struct ynode *inc, const struct ct_chain *c)
{
    const struct ynode *conds = imp_crd_seq(ynode_get(inc, "conditions"));
    struct ct_chain own = *c;
    size_t i;

    own.prefix = NULL;
    for (i = 0; conds && i < conds->n; i++) {
        const char *p = imp_crd_text(ynode_get(conds->items[i], "prefix"));
        if (p)
            own.prefix = arena_strdup(im->a, p);
    }
    if (c->header_at == x->chain->header_at)
        memset(&own.header, 0, sizeof(own.header));
    if (c->query.name == x->chain->query.name)
        memset(&own.query, 0, sizeof(own.query));
    return own;
}

void ct_include_fails(struct imp *im, const struct ct_proxy_ctx *x,
                      const struct ynode *inc, const struct ct_chain *c)
{
    struct ct_route *r;
    const char *p;

    if (!c->prefix && !c->header.name && !c->query.name)
        return;
    r = ARENA_NEW(im->a, struct ct_route);
    r->src = x->src;
    r->at = inc;
    r->namespace = x->o->namespace;
    r->owner = x->o->name;
    r->plain = CT_PLAIN_REDIRECT;
    r->denied = true;
    r->seq = ++CT(im)->seq; /* among the includes, as Contour adds it */
    p = c->prefix ? ct_collapse(im, c->prefix) : "/";
    if (imp_value_gateway_path(p)) {
        ct_string_prefix(im, r, p);
    } else {
        /* Contour takes any text after the '/' (a ' ', a '#'); PathPrefix
         * does not, a regex of the same string prefix does, and past
         * gwc's limits the whole host answers 500. */
        /* Past gwc's limits, the string prefix of its first 256
         * characters: more paths than the include's, never fewer. */
        const char *head = strlen(p) > 256 ? arena_strndup(im->a, p, 256) : p;
        const char *re = arena_printf(im->a, "%s.*", imp_re_quote(im->a, head));
        char err[128];
        r->matches[0].path.type = "RegularExpression";
        r->matches[0].path.value = imp_re_ok(re, err, sizeof(err)) ? re : "/.*";
        r->n_matches = 1;
    }
    r->matches[0].header = r->matches[1].header = c->header;
    r->matches[0].query = r->matches[1].query = c->query;
    ptrvec_push(im->a, &x->vh->routes, r);
}
