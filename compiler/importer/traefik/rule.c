/*
 * Traefik router rules as Gateway API matches.  rule_parse.c reads the
 * rule (its grammar and matchers are described there).
 *
 * The rule becomes alternatives (OR of ANDs), each one Gateway API match
 * plus its hostnames.  Go regular expressions search the string (RE2,
 * unanchored); Gateway API's match it whole, so they are widened with .*.
 * PathPrefix is a string prefix in Traefik: PathPrefix /p plus the regex
 * /p[^/].* for /pX.  Negations, ClientIP, HostRegexp and v2 path
 * templates have no Gateway API match; neither have ALPN and
 * HostSNIRegexp.
 */
#include "tr.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>
#include <strings.h>

#define MAX_ALTS 16 /* alternatives of one rule */

/* One matcher argument, possibly negated, of an alternative. */
struct lit {
    const struct tr_expr *m;
    size_t arg; /* v2 multi-argument matchers: which argument */
    bool neg;
};

struct conj {
    struct lit *v;
    size_t n;
};

struct dnf {
    struct conj *v;
    size_t n;
    bool too_many;
};

static void dnf_push(struct arena *a, struct dnf *d, struct conj c)
{
    if (d->n == MAX_ALTS) {
        d->too_many = true;
        return;
    }
    if (!d->v)
        d->v = ARENA_NEW_ARRAY(a, struct conj, MAX_ALTS);
    d->v[d->n++] = c;
}

/* v2 matchers whose arguments are alternatives (Headers takes a name and
 * a value; Query's "k=v" arguments all apply). */
static bool args_are_alternatives(const struct tr_expr *m)
{
    return !strstr(m->name, "Headers") && !str_eq(m->name, "Query");
}

static struct dnf to_dnf(struct arena *a, const struct tr_expr *e, bool neg, bool v2)
{
    struct dnf d = {0}, l, r;
    size_t i, k;

    if (e->op == TR_NOT)
        return to_dnf(a, e->l, !neg, v2);
    if (e->op == TR_MATCHER) {
        /* v2 multi-argument matchers are an OR of their arguments. */
        size_t n = v2 && !neg && args_are_alternatives(e) ? e->n_args : 1;
        for (i = 0; i < n; i++) {
            struct conj c = {ARENA_NEW(a, struct lit), 1};
            c.v[0].m = e;
            c.v[0].arg = i;
            c.v[0].neg = neg; /* never converted: one literal says so */
            dnf_push(a, &d, c);
        }
        return d;
    }
    l = to_dnf(a, e->l, neg, v2);
    r = to_dnf(a, e->r, neg, v2);
    if ((e->op == TR_OR) != neg) { /* OR (or a negated AND) */
        for (i = 0; i < r.n; i++)
            dnf_push(a, &l, r.v[i]);
        l.too_many |= r.too_many;
        return l;
    }
    for (i = 0; i < l.n; i++) {
        for (k = 0; k < r.n; k++) {
            struct conj c = {ARENA_NEW_ARRAY(a, struct lit, l.v[i].n + r.v[k].n),
                             l.v[i].n + r.v[k].n};
            memcpy(c.v, l.v[i].v, l.v[i].n * sizeof(*c.v));
            memcpy(c.v + l.v[i].n, r.v[k].v, r.v[k].n * sizeof(*c.v));
            dnf_push(a, &d, c);
        }
    }
    d.too_many |= l.too_many || r.too_many;
    return d;
}

struct conv {
    struct imp *im;
    const struct imp_src *src;
    const struct ynode *at;
    bool v2, loose;
    bool ok;
    bool tcp; /* loose: its connections are closed, not answered 500 */
    struct index reported; /* "<offset>/<why>": a token is reported once,
                            * though every alternative holding it meets it */
};

/* code: what a strict conversion reports (a loose one approximates). */
static void refused(struct conv *cv, const struct lit *l, size_t off,
                    enum diag_code code, const char *why)
{
    const char *key = arena_printf(cv->im->a, "%zu/%s", off, why);

    cv->ok = false;
    if (imp_index_get(&cv->reported, key))
        return;
    imp_index_put(cv->im->a, &cv->reported, key, (void *)key);
    imp_report_in_scalar(cv->im, cv->src->label, cv->src->root, cv->at, off,
                         cv->loose ? DIAG_IMPORT_APPROXIMATED : code,
                         "%s%s: %s%s", l->neg ? "!" : "", l->m->name, why,
                         !cv->loose ? ""
                         : cv->tcp  ? "; left out, so the route matches more "
                                      "connections (and closes them)"
                                    : "; left out, so the route matches more "
                                      "requests (and answers them 500)");
}

static void unsupported(struct conv *cv, const struct lit *l, size_t off,
                        const char *why)
{
    refused(cv, l, off, DIAG_IMPORT_NOT_CONVERTED, why);
}

const char *tr_regex_whole(struct imp *im, const char *re)
{
    size_t n = strlen(re);
    bool head = re[0] == '^';
    bool tail = n > 1 && re[n - 1] == '$' && re[n - 2] != '\\';

    if (head && tail)
        return re;
    return arena_printf(im->a, "%s(?:%s)%s", head ? "" : ".*", re, tail ? "" : ".*");
}

/* path: a PathRegexp, which nginx matches against the decoded path. */
static bool regex_ok(struct conv *cv, const struct lit *l, size_t off,
                     const char *re, bool path)
{
    char err[128];

    if (imp_re_unmatchable(re, path, err, sizeof(err))) {
        refused(cv, l, off, DIAG_IMPORT_REGEX_UNMATCHABLE,
                arena_printf(cv->im->a, "the regular expression %s", err));
        return false;
    }
    if (imp_re_ok(re, err, sizeof(err)))
        return true;
    unsupported(cv, l, off, arena_printf(cv->im->a, "the regular expression "
                                                    "does not compile: %s",
                                         err));
    return false;
}

static bool set_header(struct conv *cv, const struct lit *l, struct o_header_match *h,
                       const char *type, const char *name, const char *value,
                       const char *what)
{
    if (h->name) {
        unsupported(cv, l, l->m->off,
                    arena_printf(cv->im->a, "gwc converts one %s match per "
                                            "alternative",
                                 what));
        return false;
    }
    h->type = type;
    h->name = name;
    h->value = value;
    return true;
}

/* Where the rule spells h's value, for the core's report of a value too
 * long for the output (build.c). */
static void where(const struct conv *cv, struct o_header_match *h, size_t off)
{
    h->at = cv->at;
    h->at_off = off + 1;
}

static bool set_path(struct conv *cv, const struct lit *l, struct tr_alt *alt,
                     const char *type, const char *value)
{
    if (alt->m[0].path.type) {
        unsupported(cv, l, l->m->off, "a second path matcher in one alternative");
        return false;
    }
    alt->m[0].path.type = type;
    alt->m[0].path.value = value;
    alt->path_off = l->m->off;
    return true;
}

static void literal(struct conv *cv, const struct lit *l, struct tr_alt *alt)
{
    struct imp *im = cv->im;
    const struct tr_expr *m = l->m;
    const char *arg = m->args[l->arg], *name = m->name;
    size_t off = m->arg_offs[l->arg];

    if (l->neg) {
        unsupported(cv, l, m->off, "Gateway API has no negated match");
        return;
    }
    if (str_eq(name, "HostSNI") && str_eq(arg, "*"))
        return; /* any name, and connections without SNI */
    if (str_eq(name, "HostSNI") && arg[0] == '*') {
        /* Its matcher takes letters, digits, '.' and '-' (matcher.go
         * hostSNI) and refuses the router otherwise. */
        unsupported(cv, l, off, "Traefik refuses a wildcard in HostSNI (only "
                                "`*` or a name; HostSNIRegexp takes patterns) "
                                "and serves no connection through this router");
        return;
    }
    if (str_eq(name, "Host") || str_eq(name, "HostHeader") || str_eq(name, "HostSNI")) {
        const char *h = imp_value_ascii_lower(im->a, arg);
        if (!imp_value_hostname(h, false)) {
            unsupported(cv, l, off, "not a hostname Gateway API accepts");
            return;
        }
        if (alt->n_hosts && !str_eq(alt->hosts[0], h)) {
            unsupported(cv, l, m->off, "two different hosts in one alternative "
                                       "never match");
            return;
        }
        alt->hosts = ARENA_NEW_ARRAY(im->a, const char *, 1);
        alt->hosts[0] = h;
        alt->n_hosts = 1;
        alt->host_off = off;
        alt->tls_host |= str_eq(name, "Host");
    } else if (str_eq(name, "Path") || str_eq(name, "PathPrefix")) {
        if (arg[0] != '/' || !imp_value_gateway_path(arg) ||
            (cv->v2 && strchr(arg, '{'))) {
            unsupported(cv, l, off, "a path starting with '/' without "
                                    "templates or variables expected");
            return;
        }
        if (!set_path(cv, l, alt, str_eq(name, "Path") ? "Exact" : "PathPrefix", arg))
            return;
        if (str_eq(name, "PathPrefix") && strlen(arg) > 1 && arg[strlen(arg) - 1] != '/') {
            alt->m[1] = alt->m[0];
            alt->m[1].path.type = "RegularExpression";
            alt->m[1].path.value =
                arena_printf(im->a, "%s[^/].*", imp_re_quote(im->a, arg));
            alt->n_m = 2;
        }
    } else if (str_eq(name, "PathRegexp")) {
        if (regex_ok(cv, l, off, arg, true)) {
            set_path(cv, l, alt, "RegularExpression", tr_regex_whole(im, arg));
        } else if (cv->loose) {
            /* The route answers 500 on a wider match: the paths under the
             * regex's literal start (it matched no other), else every path. */
            const char *lit = imp_re_literal_start(im->a, arg, false, IMP_RE_MAX / 2 - 4);
            if (imp_value_gateway_path(lit) && !str_eq(lit, "/"))
                set_path(cv, l, alt, "RegularExpression",
                         arena_printf(im->a, "%s.*", imp_re_quote(im->a, lit)));
        }
    } else if (str_eq(name, "Method")) {
        if (alt->m[0].method) {
            unsupported(cv, l, m->off, "two methods in one alternative never match");
            return;
        }
        alt->m[0].method = imp_value_http_method(arg);
        if (!alt->m[0].method)
            unsupported(cv, l, off, "not a method Gateway API matches");
    } else if (str_eq(name, "Header") || str_eq(name, "Headers") ||
               str_eq(name, "HeaderRegexp") || str_eq(name, "HeadersRegexp")) {
        bool re = strstr(name, "Regexp") != NULL;
        const char *v = m->args[1];
        if (!imp_value_header_name(arg) || imp_value_unsafe_text(v)) {
            unsupported(cv, l, off, "not a header name, or a value with "
                                    "control characters");
            return;
        }
        if (re && !regex_ok(cv, l, m->arg_offs[1], v, false))
            return;
        if (set_header(cv, l, &alt->m[0].header, re ? "RegularExpression" : "Exact",
                       arg, re ? tr_regex_whole(im, v) : v, "header"))
            where(cv, &alt->m[0].header, m->arg_offs[1]);
    } else if (str_eq(name, "Query") || str_eq(name, "QueryRegexp")) {
        const char *k = arg, *v = m->n_args > 1 ? m->args[1] : NULL;
        const char *eq = strchr(arg, '=');
        bool re = str_eq(name, "QueryRegexp");
        if (cv->v2 && m->n_args > 1) {
            unsupported(cv, l, m->off, "gwc converts one query match per "
                                       "alternative");
            return;
        }
        if (cv->v2) { /* Query(`k=v`); Query(`k`): k with any value */
            k = eq ? arena_strndup(im->a, arg, (size_t)(eq - arg)) : arg;
            v = eq ? eq + 1 : ".*";
            re = !eq;
            if (!eq)
                imp_report_in_scalar(
                    im, cv->src->label, cv->src->root, cv->at, off,
                    DIAG_IMPORT_APPROXIMATED,
                    "Query(`%s`): Traefik v2 matches requests that "
                    "have the parameter; the import matches any "
                    "value, so requests without it too",
                    imp_report_value(im, k));
        } else if (!v) {
            unsupported(cv, l, m->off, "a parameter with an empty value has no "
                                       "Gateway API match");
            return;
        }
        if (!*k || !imp_value_in_alphabet(k, "-_.~") || imp_value_unsafe_text(v)) {
            unsupported(cv, l, off, "a query parameter name Gateway API accepts "
                                    "expected");
            return;
        }
        if (re && !regex_ok(cv, l, m->arg_offs[1], v, false))
            return;
        if (set_header(cv, l, &alt->m[0].query, re ? "RegularExpression" : "Exact", k,
                       re ? tr_regex_whole(im, v) : v, "query"))
            where(cv, &alt->m[0].query, m->n_args > 1 ? m->arg_offs[1] : off);
    } else if (str_eq(name, "ALPN")) {
        unsupported(cv, l, m->off, "TLSRoute has no ALPN match; an "
                                   "implementation policy is needed");
    } else if (str_eq(name, "ClientIP")) {
        unsupported(cv, l, m->off, "client address matches have no Gateway API "
                                   "equivalent; an implementation policy is needed");
    } else {
        unsupported(cv, l, m->off, "host regular expressions have no Gateway API "
                                   "match (hostnames are literal or *.wildcards)");
    }
}

/* A loose rule gwc cannot read or convert at all: one alternative that
 * matches every request of the router's entry points, so that none of
 * the requests Traefik gives the router reaches a route ranked below it
 * (they answer 500, and so do the routes that would take them: the
 * precedence passes). */
#define WIDEST(tcp)                                                        \
    ((tcp) ? "; taken to match every connection of its entry points, which "  \
             "are closed where the Gateway would give them this route"        \
           : "; taken to match every request of its entry points, which "     \
             "answer 500 where the Gateway would give them this route")

static bool widest(struct imp *im, struct ptrvec *out, bool *widened)
{
    struct tr_alt *alt = ARENA_NEW(im->a, struct tr_alt);

    alt->n_m = 1;
    ptrvec_push(im->a, out, alt);
    if (widened)
        *widened = true;
    return true;
}

bool tr_rule_alternatives(struct imp *im, const struct imp_src *src,
                          const struct ynode *at, bool v2, bool tcp, bool loose,
                          struct ptrvec *out, bool *widened)
{
    const char *rule = imp_crd_text(at), *err = NULL;
    size_t err_off = 0, i, k;
    const struct tr_expr *e;
    struct conv cv = {im, src, at, v2, loose, true, tcp};
    struct dnf d;
    bool own = false;

    if (!rule) {
        imp_report_src(im, src, at, DIAG_IMPORT_NOT_CONVERTED,
                       "a rule string expected");
        return false;
    }
    e = tr_rule_parse(im->a, rule, v2, tcp, &err_off, &err, &own);
    if (!e && !own) {
        imp_report_in_scalar(im, src->label, src->root, at, err_off,
                             DIAG_IMPORT_BAD_VALUE,
                             "rule not read: %s (Traefik rejects a malformed "
                             "rule)",
                             err);
        return false;
    }
    if (!e) { /* Traefik serves it: past gwc's limit, fail closed */
        imp_report_in_scalar(im, src->label, src->root, at, err_off,
                             loose ? DIAG_IMPORT_APPROXIMATED
                                   : DIAG_IMPORT_NOT_CONVERTED,
                             "rule not read: %s, though Traefik reads it%s", err,
                             loose ? WIDEST(tcp) : "");
        return loose && widest(im, out, widened);
    }
    d = to_dnf(im->a, e, false, v2);
    if (d.too_many) {
        imp_report_src(im, src, at,
                       loose ? DIAG_IMPORT_APPROXIMATED : DIAG_IMPORT_NOT_CONVERTED,
                       "the rule has more than %d alternatives (OR of ANDs), which "
                       "gwc does not convert%s",
                       MAX_ALTS, loose ? WIDEST(tcp) : "");
        return loose && widest(im, out, widened);
    }
    for (i = 0; i < d.n; i++) {
        struct tr_alt *alt = ARENA_NEW(im->a, struct tr_alt);
        alt->n_m = 1;
        for (k = 0; k < d.v[i].n; k++)
            literal(&cv, &d.v[i].v[k], alt);
        alt->m[1].header = alt->m[0].header;
        alt->m[1].query = alt->m[0].query;
        alt->m[1].method = alt->m[0].method;
        ptrvec_push(im->a, out, alt);
    }
    if (widened)
        *widened = !cv.ok;
    return cv.ok || loose;
}
