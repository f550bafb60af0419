/*
 * HTTPRoute rules (httproute_types.go): matches, the rule-level CEL rules
 * about filters, timeouts, and the experimental retry.  Filters themselves
 * are in filter.c.
 */
#include "schema_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/strbuf.h"
#include "base/utf8.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

static bool ends_with(const char *v, const char *suffix)
{
    size_t n = strlen(v), k = strlen(suffix);

    return n >= k && strcmp(v + n - k, suffix) == 0;
}

static void add_problem(struct strbuf *why, const char *fmt, ...)
    SCHEMA_PRINTF(2, 3);

static void add_problem(struct strbuf *why, const char *fmt, ...)
{
    va_list ap;

    strbuf_addstr(why, why->len ? "; " : "");
    va_start(ap, fmt);
    strbuf_vaddf(why, fmt, ap);
    va_end(ap);
}

/*
 * The CEL rules of HTTPPathMatch for types Exact and PathPrefix: an
 * absolute path with no "//", "/./", "/../", "%2f", "%2F" or "#", not ending
 * in "/.." or "/.", of path characters only.  Every broken rule is named in
 * one diagnostic.
 */
static void check_path_value(struct schema *s, const struct ynode *at,
                             enum path_match_type type, const char *v)
{
    static const char *const forbidden[] = {"//",  "/./", "/../",
                                            "%2f", "%2F", "#"};
    struct strbuf why = STRBUF_INIT;
    size_t i, bad = schema_path_char_error(v);

    if (v[0] != '/')
        add_problem(&why, "must start with '/'");
    for (i = 0; i < ARRAY_SIZE(forbidden); i++) {
        if (strstr(v, forbidden[i]))
            add_problem(&why, "must not contain '%s'", forbidden[i]);
    }
    if (ends_with(v, "/.."))
        add_problem(&why, "must not end with '/..'");
    if (ends_with(v, "/."))
        add_problem(&why, "must not end with '/.'");
    if (bad != SIZE_MAX)
        add_problem(&why,
                    "has '%.*s' at character %zu, but only %s are allowed",
                    (int)utf8_advance(v + bad, strlen(v + bad), 1), v + bad,
                    utf8_count(v, bad) + 1, PATH_CHARS_WORDS);
    if (why.len)
        schema_report(s, DIAG_PATH_VALUE, at, "%s path '%s' %s",
                      model_path_type_names[type], schema_quote(s, v), why.buf);
    strbuf_release(&why);
}

static void check_path_match(struct schema *s, const struct path_match *p)
{
    const struct ynode *at = schema_field_node(p->src, "value");

    if (!p->src || !p->value)
        return; /* the default (PathPrefix "/"), or no value */
    if (p->type == PATH_MATCH_EXACT || p->type == PATH_MATCH_PREFIX)
        check_path_value(s, at, p->type, p->value);
    else if (p->type == PATH_MATCH_REGEX)
        schema_check_regex(s, at, p->value);
}

/* HTTP and gRPC header matches and query parameter matches: a list keyed
 * by name (listType=map: exact duplicates are refused; names differing in
 * case are distinct keys to the API server). */
void schema_check_value_matches(struct schema *s, const char *key,
                                const struct value_match *v, size_t n)
{
    struct seen names;
    size_t i;

    schema_seen_init(&names, s->c->tree, n, false);
    for (i = 0; i < n; i++) {
        const struct value_match *m = &v[i];
        if (!m->src)
            continue;
        if (m->value && m->type == MATCH_REGEX)
            schema_check_regex(s, schema_field_node(m->src, "value"), m->value);
        if (m->name)
            schema_seen_repeat(s, &names, m->name, schema_field_node(m->src, "name"),
                               i, "first listed here", DIAG_DUPLICATE_LIST_KEY,
                               "%s lists name '%s' more than once; names must be "
                               "unique",
                               key, schema_quote(s, m->name));
    }
}

static void check_http_match(struct schema *s, const struct http_match *m)
{
    check_path_match(s, &m->path);
    schema_check_value_matches(s, "headers", m->headers, m->n_headers);
    schema_check_value_matches(s, "queryParams", m->query_params,
                               m->n_query_params);
}

/* CEL: a rule with backendRefs has no filter with requestRedirect. */
static void check_redirect_with_backends(struct schema *s,
                                         const struct route_rule *r)
{
    size_t i;

    if (r->n_backend_refs == 0)
        return;
    for (i = 0; i < r->n_filters; i++) {
        if (r->filters[i].request_redirect->src)
            schema_report(s, DIAG_REDIRECT_WITH_BACKENDS,
                          r->filters[i].request_redirect->src,
                          "RequestRedirect cannot be combined with backendRefs "
                          "in the same rule: the redirect answers the request "
                          "itself");
    }
}

/* The filter of v[0..n) that replaces the prefix match, when exactly one
 * does (CEL exists_one), else NULL. */
static const struct route_filter *
one_prefix_filter(const struct route_filter *v, size_t n, bool redirect)
{
    const struct route_filter *found = NULL;
    size_t i;

    for (i = 0; i < n; i++) {
        if (!schema_filter_replaces_prefix(&v[i], redirect))
            continue;
        if (found)
            return NULL;
        found = &v[i];
    }
    return found;
}

/* Likewise over backendRefs: the filter of the one backendRef with exactly
 * one such filter, when exactly one backendRef has one. */
static const struct route_filter *
one_backend_prefix_filter(const struct route_rule *r, bool redirect)
{
    const struct route_filter *found = NULL, *f;
    size_t i;

    for (i = 0; i < r->n_backend_refs; i++) {
        f = one_prefix_filter(r->backend_refs[i].filters,
                              r->backend_refs[i].n_filters, redirect);
        if (!f)
            continue;
        if (found)
            return NULL;
        found = f;
    }
    return found;
}

size_t schema_http_match_count(const struct route_rule *r)
{
    const struct ynode *m = ynode_get(r->src, "matches");

    return m && m->kind == YNODE_SEQ && m->n == 0 ? 0 : r->n_matches;
}

static void report_prefix_match(struct schema *s, const struct route_rule *r,
                                const struct route_filter *f, bool redirect)
{
    const struct path_modifier *p =
        redirect ? &f->request_redirect->path : &f->url_rewrite->path;
    size_t n = schema_http_match_count(r);

    if (n != 1)
        schema_report(s, DIAG_REPLACE_PREFIX_MATCH,
                      schema_field_node(p->src, "replacePrefixMatch"),
                      "ReplacePrefixMatch needs the rule to have exactly one "
                      "match, of type PathPrefix; this rule has %zu matches",
                      n);
    else
        schema_report(s, DIAG_REPLACE_PREFIX_MATCH,
                      schema_field_node(p->src, "replacePrefixMatch"),
                      "ReplacePrefixMatch needs the rule's match to be of type "
                      "PathPrefix, not %s",
                      schema_enum_text(r->matches[0].path.src, "type",
                                       r->matches[0].path.type,
                                       model_path_type_names));
}

/*
 * The four ReplacePrefixMatch CEL rules (RequestRedirect or URLRewrite, in
 * the rule's filters or in a backendRef's): when there is one such filter,
 * the rule has exactly one match and its path is a PathPrefix.  The rules
 * test "exists_one", so two such filters in different backendRefs escape
 * them; replicated as written.
 */
static void check_replace_prefix(struct schema *s, const struct route_rule *r)
{
    int redirect;

    if (schema_http_match_count(r) == 1 &&
        r->matches[0].path.type == PATH_MATCH_PREFIX)
        return;
    for (redirect = 0; redirect <= 1; redirect++) {
        const struct route_filter *f =
            one_prefix_filter(r->filters, r->n_filters, redirect);
        if (f)
            report_prefix_match(s, r, f, redirect);
        f = one_backend_prefix_filter(r, redirect);
        if (f)
            report_prefix_match(s, r, f, redirect);
    }
}

/* CEL: backendRequest must not be longer than request, unless request is
 * zero (no timeout). */
static void check_timeouts(struct schema *s, const struct route_timeouts *t)
{
    int64_t request, backend;

    if (!t->src)
        return;
    if (t->request && t->backend_request &&
        model_parse_duration(t->request, &request) &&
        model_parse_duration(t->backend_request, &backend) && request != 0 &&
        backend > request)
        schema_report(s, DIAG_TIMEOUT_ORDER,
                      schema_field_node(t->src, "backendRequest"),
                      "backendRequest timeout %s is longer than the request "
                      "timeout %s; one backend request cannot outlast the "
                      "whole request",
                      t->backend_request, t->request);
}

/* Experimental channel: codes are a set of 400-599, attempts >= 1. */
static void check_retry(struct schema *s, const struct route_retry *r)
{
    struct seen codes;
    size_t i;

    if (!r->src)
        return;
    schema_seen_init(&codes, s->c->tree, r->n_codes, false);
    for (i = 0; i < r->n_codes; i++) {
        const struct ynode *at = ynode_item(r->src, "codes", i);

        if (at->kind != YNODE_SCALAR || at->scalar != YSCALAR_INT)
            continue; /* decode reported it */
        if (r->codes[i] < 400 || r->codes[i] > 599)
            schema_report(
                s, DIAG_VALUE_RANGE, at,
                "retry code must be between 400 and 599, got %" PRId64,
                r->codes[i]);
        schema_seen_repeat(s, &codes, arena_printf(s->c->arena, "%" PRId64, r->codes[i]),
                           at, i, "first listed here", DIAG_DUPLICATE_LIST_KEY,
                           "codes lists %" PRId64 " more than once; its entries "
                           "must be unique",
                           r->codes[i]);
    }
}

void schema_check_http_rule(struct schema *s, const struct route_rule *r)
{
    size_t i;

    for (i = 0; i < r->n_matches; i++) {
        if (r->matches[i].src)
            check_http_match(s, &r->matches[i]);
    }
    schema_check_filters(s, r->filters, r->n_filters, FILTERS_HTTP);
    check_redirect_with_backends(s, r);
    check_replace_prefix(s, r);
    check_timeouts(s, r->timeouts);
    check_retry(s, r->retry);
}
