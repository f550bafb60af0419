/*
 * Canaries, with the traffic decision of ingress-nginx's balancer.lua
 * (route_to_alternative_balancer), in this order:
 *   1. canary-by-header H: with canary-by-header-value V, H == V goes to
 *      the canary and anything else falls through; with
 *      canary-by-header-pattern P (when no value), a PCRE match anywhere in
 *      H goes to the canary, else falls through; with neither, "always"
 *      goes to the canary, "never" to the main backend, else falls through;
 *   2. canary-by-cookie C: "always" canary, "never" main, else falls
 *      through;
 *   3. canary-weight W of canary-weight-total T: math.random(max(100, T))
 *      <= W, so a total of 100 or less counts as 100 (i2gw uses T as
 *      given: 5 of 10 becomes 50% instead of 5%).
 * As Gateway API rules on the same path: header rules first (one header
 * match each, in this order, so ties between them go by rule order as the
 * Lua checks go), then the cookie rules, then the weighted split without a
 * header match, which Gateway API ranks below every header rule.  A
 * "never" rule is written only when a later rule could choose the canary.
 */
#include "nx.h"

#include "base/arena.h"
#include "base/array.h"

#include <string.h>

static bool cookie_name_ok(const char *s)
{
    return *s && imp_value_in_alphabet(s, "-._~");
}

static void header_rules(struct imp *im, struct ing *ing)
{
    struct ing_config *c = &ing->cfg;
    struct ing_features *f = &ing->feat;
    char err[128];

    if (!c->canary_by_header) {
        if (c->canary_by_header_value)
            nx_report_annotation(im, ing, "canary-by-header-value",
                                 DIAG_IMPORT_IGNORED,
                                 "ignored without canary-by-header");
        if (c->canary_by_header_pattern)
            nx_report_annotation(im, ing, "canary-by-header-pattern",
                                 DIAG_IMPORT_IGNORED,
                                 "ignored without canary-by-header");
        return;
    }
    if (!imp_value_header_name(c->canary_by_header) ||
        strchr(c->canary_by_header, '/') || strchr(c->canary_by_header, ':')) {
        nx_report_annotation(im, ing, "canary-by-header", DIAG_IMPORT_BAD_VALUE,
                             "not an HTTP header name; not converted");
        return;
    }
    f->canary_header = c->canary_by_header;
    if (c->canary_by_header_value) {
        f->canary_value = c->canary_by_header_value;
        if (c->canary_by_header_pattern)
            nx_report_annotation(
                im, ing, "canary-by-header-pattern", DIAG_IMPORT_IGNORED,
                "ignored: canary-by-header-value takes precedence");
        return;
    }
    if (!c->canary_by_header_pattern)
        return;
    /* ngx.re.match finds the pattern anywhere in the value; Gateway API
     * regexes must match the whole value. */
    f->canary_pattern = arena_printf(im->a, ".*(?:%s).*",
                                     c->canary_by_header_pattern);
    if (imp_re_unmatchable(f->canary_pattern, false, err, sizeof(err))) {
        nx_report_annotation(im, ing, "canary-by-header-pattern",
                             DIAG_IMPORT_REGEX_UNMATCHABLE,
                             "the pattern %s; not converted", err);
        f->canary_pattern = NULL;
        f->canary_header = NULL;
    } else if (!imp_re_ok(f->canary_pattern, err, sizeof(err))) {
        nx_report_annotation(im, ing, "canary-by-header-pattern",
                             DIAG_IMPORT_BAD_VALUE,
                             "PCRE2 refuses the pattern: %s; not converted", err);
        f->canary_pattern = NULL;
        f->canary_header = NULL;
    }
}

static void cookie_rules(struct imp *im, struct ing *ing)
{
    const char *name = ing->cfg.canary_by_cookie, *q;
    struct ing_features *f = &ing->feat;

    if (!name)
        return;
    if (!cookie_name_ok(name)) {
        nx_report_annotation(im, ing, "canary-by-cookie", DIAG_IMPORT_BAD_VALUE,
                             "not a cookie name; not converted");
        return;
    }
    /* nginx's $cookie_C: the name case-insensitively, the value exactly. */
    q = imp_re_quote(im->a, name);
    f->canary_cookie_always =
        arena_printf(im->a, "(?:.*;[ \\t]*)?(?i:%s)=always(?:;.*)?", q);
    f->canary_cookie_never =
        arena_printf(im->a, "(?:.*;[ \\t]*)?(?i:%s)=never(?:;.*)?", q);
    nx_report_annotation(im, ing, "canary-by-cookie", DIAG_IMPORT_APPROXIMATED,
                         "Gateway API has no cookie match: converted to "
                         "RegularExpression matches on the Cookie header, which "
                         "implementations support optionally");
}

static void weight(struct imp *im, struct ing *ing)
{
    struct ing_features *f = &ing->feat;
    int64_t total = ing->cfg.canary_weight_total;

    f->canary_weight = ing->cfg.canary_weight == INT_UNSET ? 0
                                                           : ing->cfg.canary_weight;
    f->canary_total = total != INT_UNSET && total > 100 ? total : 100;
    if (total != INT_UNSET && total < 100)
        nx_report_annotation(im, ing, "canary-weight-total", DIAG_IMPORT_IGNORED,
                             "ingress-nginx counts a total of 100 or less as 100 "
                             "(balancer.lua): the canary gets %lld%%, not %lld of "
                             "%lld",
                             (long long)f->canary_weight,
                             (long long)f->canary_weight, (long long)total);
    if (f->canary_weight > f->canary_total)
        nx_report_annotation(im, ing, "canary-weight", DIAG_IMPORT_IGNORED,
                             "more than the total %lld: ingress-nginx sends all "
                             "traffic to the canary",
                             (long long)f->canary_total);
}

/* ingress-nginx reads session affinity on a canary for its own upstream;
 * Gateway API keeps sessions per rule, shared by both backends. */
static void canary_affinity(struct imp *im, struct ing *ing)
{
    static const char *const keys[] = {
        "affinity", "session-cookie-name", "session-cookie-path",
        "session-cookie-expires", "session-cookie-max-age"};
    size_t i;

    for (i = 0; i < ARRAY_SIZE(keys); i++) {
        if (nx_report_annotation_node(ing, keys[i]))
            nx_report_annotation(im, ing, keys[i], DIAG_IMPORT_NOT_CONVERTED,
                                 "not converted: session persistence is per "
                                 "rule, shared by the canary and the main "
                                 "backend");
    }
}

void nx_canary_feature(struct imp *im, struct ing *ing)
{
    if (ing->cfg.canary != TRI_TRUE)
        return; /* annotations.c reported canary-* as ignored */
    canary_affinity(im, ing);
    header_rules(im, ing);
    cookie_rules(im, ing);
    weight(im, ing);
}

/* The base matches, each with one more header condition. */
static struct o_match *with_header(struct imp *im, const struct o_match *base,
                                   size_t n, const char *type, const char *name,
                                   const char *value, const struct ynode *at)
{
    struct o_match *m = ARENA_NEW_ARRAY(im->a, struct o_match, n);
    size_t i;

    for (i = 0; i < n; i++) {
        m[i] = base[i];
        m[i].header.type = type;
        m[i].header.name = name;
        m[i].header.value = value;
        m[i].header.at = at;
        m[i].header.at_off = 0;
    }
    return m;
}

/* A rule of the canary's header condition; ing and its annotation key
 * (NULL: a fixed value) place a report of the value (too long for the
 * output) at the annotation that set it. */
static void header_rule(struct imp *im, const struct o_match *base, size_t n,
                        const char *type, const char *name, const char *value,
                        const struct ing *ing, const char *key,
                        const struct o_filters *f, size_t group,
                        const struct backend *b, struct ptrvec *rules)
{
    const struct ynode *at = key ? nx_report_annotation_node(ing, key) : NULL;
    struct o_rule *r = imp_routes_rule_new(
        im, at ? ing->src->obj.src : NULL,
        with_header(im, base, n, type, name, value, at), n, f, group);

    imp_routes_rule_add_backend(im, r, b, -1);
    ptrvec_push(im->a, rules, r);
}

void nx_canary_rules(struct imp *im, const struct location *l,
                     const struct o_match *base, size_t n_base,
                     const struct o_filters *f, size_t group, struct ptrvec *rules)
{
    const struct backend *main = &l->backend, *can = &l->canary_backend;
    const struct ing_features *cf = l->canary ? &l->canary->feat : NULL;
    /* A "never" rule matters only when a later rule could pick the canary. */
    bool cookie = cf && cf->canary_cookie_always;
    bool weighted = cf && cf->canary_weight > 0;
    struct o_rule *r;

    if (cf && cf->canary_header) {
        const char *h = cf->canary_header;
        if (cf->canary_value) {
            header_rule(im, base, n_base, "Exact", h, cf->canary_value, l->canary,
                        "canary-by-header-value", f, group, can, rules);
        } else if (cf->canary_pattern) {
            header_rule(im, base, n_base, "RegularExpression", h,
                        cf->canary_pattern, l->canary, "canary-by-header-pattern",
                        f, group, can, rules);
        } else {
            header_rule(im, base, n_base, "Exact", h, "always", l->canary, NULL,
                        f, group, can, rules);
            if (cookie || weighted)
                header_rule(im, base, n_base, "Exact", h, "never", l->canary,
                            NULL, f, group, main, rules);
        }
    }
    if (cookie) {
        header_rule(im, base, n_base, "RegularExpression", "Cookie",
                    cf->canary_cookie_always, l->canary, "canary-by-cookie", f,
                    group, can, rules);
        if (weighted)
            header_rule(im, base, n_base, "RegularExpression", "Cookie",
                        cf->canary_cookie_never, l->canary, "canary-by-cookie",
                        f, group, main, rules);
    }
    r = imp_routes_rule_new(im, NULL, base, n_base, f, group);
    if (!cf || cf->canary_weight <= 0) {
        imp_routes_rule_add_backend(im, r, main, -1);
    } else if (cf->canary_weight >= cf->canary_total) {
        imp_routes_rule_add_backend(im, r, can, -1);
    } else {
        imp_routes_rule_add_backend(im, r, main,
                                    cf->canary_total - cf->canary_weight);
        imp_routes_rule_add_backend(im, r, can, cf->canary_weight);
    }
    ptrvec_push(im->a, rules, r);
}
