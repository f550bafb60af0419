/*
 * Does one candidate accept the request?  The same tests nginx makes with
 * the plan's locations and condition maps: the path as its location kind
 * matches $uri, the method as ^METHOD$ on $request_method, header values
 * on $http_<name> (empty when absent), query values on the first
 * occurrence of the exact parameter name in $args.
 */
#include "explain_internal.h"

#include "base/arena.h"
#include "base/str.h"
#include "nginx/regex.h"
#include "nginx/vars.h"

#include <string.h>

static const char *path_why_not(struct arena *a, const struct candidate *c,
                                const struct explain_request *r)
{
    const char *path;
    enum location_kind k = plan_candidate_path(a, c, &path);
    bool ok = k == LOC_EXACT    ? strcmp(path, r->uri) == 0
              : k == LOC_PREFIX ? plan_prefix_covers(path, r->uri)
                                : nginx_regex_full_match(path, r->uri);

    if (ok)
        return NULL;
    if (c->grpc)
        return arena_printf(a, "path %s is not the gRPC method %s", r->uri, path);
    return arena_printf(a, "path %s does not match %s %s", r->uri,
                        model_path_type_names[c->match->path.type],
                        c->match->path.value);
}

/* What nginx puts in $http_<name>: the first header of that name whose
 * name it does not drop, or "" (NULL when there is none). */
static const char *request_header(struct arena *a, const struct explain_request *r,
                                  const char *name)
{
    size_t i;

    for (i = 0; i < r->n_headers; i++) {
        if (str_eq_nocase(r->headers[i].name, name) &&
            nginx_header_variable(a, r->headers[i].name))
            return r->headers[i].value;
    }
    return NULL;
}

static const char *value_why_not(struct arena *a, const char *what, const char *name,
                                 const struct value_match *m, const char *got)
{
    bool regex = m->type == MATCH_REGEX;

    if (nginx_regex_full_match(nginx_regex_for_value(a, regex, m->value),
                               got ? got : ""))
        return NULL;
    if (!got)
        return arena_printf(a, "%s %s is absent", what, name);
    return arena_printf(a, "%s %s is \"%s\", not %s\"%s\"", what, name, got,
                        regex ? "a match of " : "", m->value);
}

static const char *headers_why_not(struct arena *a, const struct value_match *h, size_t n,
                                   const struct explain_request *r)
{
    const char *why;
    size_t i;

    for (i = 0; i < n; i++) {
        if (model_header_ignored(h, i))
            continue;
        if (!nginx_header_variable(a, h[i].name))
            return arena_printf(a, "header %s never reaches a route: nginx drops header "
                                   "names with characters other than letters, digits and '-'",
                                h[i].name);
        if ((why = value_why_not(a, "header", h[i].name, &h[i],
                                 request_header(a, r, h[i].name))) != NULL)
            return why;
    }
    return NULL;
}

/* The first value of the parameter, raw, as the plan's query maps take it. */
static const char *query_value(struct arena *a, const char *args, const char *name)
{
    size_t n = strlen(name);
    const char *p = args;

    while (*p) {
        size_t len = strcspn(p, "&");
        if (len > n && strncmp(p, name, n) == 0 && p[n] == '=')
            return arena_strndup(a, p + n + 1, len - n - 1);
        p += len;
        if (*p)
            p++;
    }
    return NULL;
}

const char *explain_why_not(struct arena *a, const struct candidate *c,
                            const struct explain_request *r)
{
    const char *why;
    size_t i;

    if ((why = path_why_not(a, c, r)) != NULL)
        return why;
    if (c->grpc)
        return headers_why_not(a, c->grpc->headers, c->grpc->n_headers, r);
    if (c->match->method && strcmp(c->match->method, r->method) != 0)
        return arena_printf(a, "method %s is not %s", r->method, c->match->method);
    if ((why = headers_why_not(a, c->match->headers, c->match->n_headers, r)) != NULL)
        return why;
    for (i = 0; i < c->match->n_query_params; i++) {
        const struct value_match *q = &c->match->query_params[i];
        if ((why = value_why_not(a, "query parameter", q->name, q,
                                 query_value(a, r->args, q->name))) != NULL)
            return why;
    }
    return NULL;
}
