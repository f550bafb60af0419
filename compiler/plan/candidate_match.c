/*
 * What one candidate asks of a request: its path in nginx terms, whether a
 * request that reached a location can be one for it, and its runtime
 * conditions (method, headers, query; the path inside a regex location) as
 * map variables.  locations.c builds a server's locations from these.
 */
#include "candidate_match.h"

#include "nginx/quote.h"
#include "nginx/regex.h"
#include "nginx/uri.h"
#include "nginx/vars.h"

#include "base/arena.h"
#include "base/strbuf.h"

#include <string.h>

struct path_form plan_path_form_of(struct arena *a, const struct candidate *c)
{
    struct path_form f;

    if (c->match) {
        enum path_match_type t = c->match->path.type;
        f.kind = t == PATH_MATCH_EXACT   ? LOC_EXACT
                 : t == PATH_MATCH_REGEX ? LOC_REGEX
                                         : LOC_PREFIX;
        f.path =
            f.kind == LOC_PREFIX  ? plan_normalize_prefix(a, c->match->path.value)
            : f.kind == LOC_REGEX ? nginx_regex_user_body(a, c->match->path.value)
                                  : c->match->path.value;
        if (f.kind != LOC_REGEX)
            f.path = nginx_uri_decoded(a, f.path);
        return f;
    }
    {
        const struct grpc_method_match *m = &c->grpc->method;
        bool regex = m->type == MATCH_REGEX;

        if (!m->service && !m->method) {
            f.kind = LOC_PREFIX;
            f.path = "/";
            return f;
        }
        if (!regex && m->service && m->method) {
            f.kind = LOC_EXACT;
            f.path = arena_printf(a, "/%s/%s", m->service, m->method);
            return f;
        }
        if (!regex && m->service) {
            f.kind = LOC_PREFIX;
            f.path = arena_printf(a, "/%s", m->service);
            return f;
        }
        f.kind = LOC_REGEX;
        f.path = nginx_regex_grpc_path(a, m->service, m->method, regex);
        return f;
    }
}

/* ---- runtime conditions of one candidate ---- */



static void cond_add(struct arena *a, struct cond_set *cs, const char *var)
{
    const char **v = ARENA_NEW_ARRAY(a, const char *, cs->n + 1);

    if (cs->n)
        memcpy(v, cs->vars, cs->n * sizeof(*v));
    v[cs->n++] = var;
    cs->vars = v;
}

static void header_conditions(struct planner *p, struct cond_set *cs,
                              const struct value_match *h, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const char *var;
        if (model_header_ignored(h, i))
            continue;
        if (!(var = nginx_header_variable(p->a, h[i].name))) {
            cs->impossible = true;
            return;
        }
        cond_add(
            p->tmp, cs,
            plan_map_condition(
                p, var,
                nginx_regex_for_value(p->a, h[i].type == MATCH_REGEX, h[i].value)));
    }
}

struct cond_set plan_candidate_conditions(struct planner *p, const struct candidate *c,
                                  const char *path_var)
{
    struct cond_set cs = {NULL, 0, false};
    size_t i;

    if (path_var)
        cond_add(p->tmp, &cs, path_var);
    if (c->match) {
        if (c->match->method) {
            struct strbuf sb = STRBUF_INIT;
            strbuf_addf(&sb, "^%s$", c->match->method);
            cond_add(p->tmp, &cs,
                     plan_map_condition(p, "request_method",
                                        arena_strndup(p->a, sb.buf, sb.len)));
            strbuf_release(&sb);
        }
        header_conditions(p, &cs, c->match->headers, c->match->n_headers);
        for (i = 0; i < c->match->n_query_params; i++) {
            const struct value_match *q = &c->match->query_params[i];
            cond_add(
                p->tmp, &cs,
                plan_map_condition(
                    p, plan_map_query_value(p, q->name),
                    nginx_regex_for_value(p->a, q->type == MATCH_REGEX, q->value)));
        }
    } else if (c->grpc) {
        header_conditions(p, &cs, c->grpc->headers, c->grpc->n_headers);
    }
    return cs;
}

/* ---- which candidates reach a location ---- */


enum reach plan_location_reaches(const struct path_form *cand, const struct path_form *loc,
                          size_t cand_regex,
                          size_t loc_regex)
{
    switch (loc->kind) {
    case LOC_EXACT:
        if (cand->kind == LOC_EXACT)
            return strcmp(cand->path, loc->path) == 0 ? REACH_ALWAYS : REACH_NEVER;
        if (cand->kind == LOC_PREFIX)
            return plan_prefix_covers(cand->path, loc->path) ? REACH_ALWAYS
                                                             : REACH_NEVER;
        return nginx_regex_full_match(cand->path, loc->path) ? REACH_ALWAYS
                                                             : REACH_NEVER;
    case LOC_PREFIX:
        /* loc->path is the prefix P (the location is "P/", or "/"). */
        if (cand->kind != LOC_PREFIX)
            return REACH_NEVER;
        return plan_prefix_covers(cand->path, loc->path) ? REACH_ALWAYS
                                                         : REACH_NEVER;
    case LOC_REGEX:
        if (cand->kind == LOC_EXACT)
            return REACH_NEVER; /* its = location wins first */
        if (cand->kind == LOC_PREFIX)
            return strcmp(cand->path, "/") == 0 ? REACH_ALWAYS : REACH_IF_PATH;
        if (strcmp(cand->path, loc->path) == 0)
            return REACH_ALWAYS;
        /* A regex earlier in config order did not match. */
        return cand_regex < loc_regex ? REACH_NEVER : REACH_IF_PATH;
    case LOC_INTERNAL:
    case LOC_NAMED:
        break;
    }
    return REACH_NEVER;
}

/* The runtime path condition of a candidate inside a regex location. */
const char *plan_path_condition(struct planner *p, const struct path_form *f)
{
    struct strbuf sb = STRBUF_INIT;
    const char *var;

    if (f->kind == LOC_PREFIX) {
        strbuf_addch(&sb, '^');
        nginx_quote_regex_literal(&sb, f->path);
        strbuf_addstr(&sb, "(?:/|$)");
    } else {
        strbuf_addf(&sb, "^(?:%s)$", f->path);
    }
    var = plan_map_condition(p, "uri", arena_strndup(p->a, sb.buf, sb.len));
    strbuf_release(&sb);
    return var;
}

enum location_kind plan_candidate_path(struct arena *a, const struct candidate *c,
                                       const char **path)
{
    struct path_form f = plan_path_form_of(a, c);

    *path = f.path;
    return f.kind;
}
