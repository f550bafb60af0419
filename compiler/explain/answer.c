/*
 * What the winning candidate's handler does with the request, read from
 * the plan handler the emitter writes: a status nginx returns itself (a
 * redirect with its Location, a CORS preflight, a fixed 500), or the
 * backends a split may choose and the request they receive.
 */
#include "explain_internal.h"

#include "base/arena.h"
#include "base/str.h"
#include "base/strbuf.h"

#include <string.h>

/* The prefix as the emitted rewrite matches it: "/" matches nothing
 * before the rest of the path. */
static const char *matched(const char *prefix)
{
    return strcmp(prefix, "/") == 0 ? "" : prefix;
}

/* ReplacePrefixMatch: the replacement without its final '/', then the
 * rest of the path after the prefix; exactly the prefix gives the
 * replacement, or "/" when that is empty.  NULL when the path does not
 * start with the prefix as written. */
static const char *replace_prefix(struct arena *a, const char *path, const char *prefix,
                                  const char *repl)
{
    size_t rl = strlen(repl), pl = strlen(matched(prefix));

    if (rl && repl[rl - 1] == '/')
        rl--;
    if (strncmp(path, matched(prefix), pl) != 0)
        return NULL;
    if (path[pl] == '\0')
        return rl ? arena_strndup(a, repl, rl) : "/";
    if (path[pl] != '/')
        return NULL;
    return arena_printf(a, "%.*s%s", (int)rl, repl, path + pl);
}

static const char *redirect_location(struct arena *a, const struct explain_request *r,
                                     const struct plan_redirect *rd)
{
    struct strbuf sb = STRBUF_INIT;
    const char *s, *q, *p;

    strbuf_addf(&sb, "%s://%s", rd->scheme, rd->hostname ? rd->hostname : r->hostname);
    if (rd->port)
        strbuf_addf(&sb, ":%lld", (long long)rd->port);
    switch (rd->path_kind) {
    case REDIRECT_PATH_KEEP:
        strbuf_addstr(&sb, r->raw_uri);
        break;
    case REDIRECT_PATH_FULL:
        strbuf_addf(&sb, "%s%s%s", rd->path, *r->args ? "?" : "", r->args);
        break;
    case REDIRECT_PATH_PREFIX:
        /* On the raw URI, so that its encoding survives. */
        q = strchr(r->raw_uri, '?');
        p = arena_strndup(a, r->raw_uri, q ? (size_t)(q - r->raw_uri) : strlen(r->raw_uri));
        s = replace_prefix(a, p, rd->prefix, rd->path);
        strbuf_addf(&sb, "%s%s", s ? s : p, q ? q : "");
        break;
    }
    s = arena_strndup(a, sb.buf, sb.len);
    strbuf_release(&sb);
    return s;
}

static void push_header(struct arena *a, struct explain_upstream *u, const char *name,
                        const char *value)
{
    struct explain_header *v = ARENA_NEW_ARRAY(a, struct explain_header, u->n_set + 1);

    if (u->n_set)
        memcpy(v, u->set, u->n_set * sizeof(*v));
    v[u->n_set].name = name;
    v[u->n_set++].value = value;
    u->set = v;
}

/* A rewritten path as nginx's proxy module sends it when the request's URI
 * held escapes: the decoded path escaped again, but only where nginx's
 * URI escaping does (controls, space, '#', '%', '?', and bytes from 0x7f),
 * so "/a%20b" arrives as sent and "%41" as "A". */
static const char *reescaped(struct arena *a, const struct explain_request *r, const char *path)
{
    struct strbuf sb = STRBUF_INIT;
    const unsigned char *c;
    const char *out;

    if (!strchr(r->raw_uri, '%'))
        return path;
    for (c = (const unsigned char *)path; *c; c++) {
        if (*c <= ' ' || *c == '#' || *c == '%' || *c == '?' || *c >= 0x7f)
            strbuf_addf(&sb, "%%%02X", *c);
        else
            strbuf_addch(&sb, (char)*c);
    }
    out = arena_strndup(a, sb.buf, sb.len);
    strbuf_release(&sb);
    return out;
}

/* The request a backend handler sends on. */
static void upstream_of(struct arena *a, const struct explain_request *r,
                        const struct plan_handler *h, struct explain_upstream *u)
{
    const struct plan_handler_extra *ex = plan_handler_extra(h);
    const char *path = NULL, *q = *r->args ? "?" : "";
    size_t i;

    memset(u, 0, sizeof(*u));
    if (ex->rewrite == REWRITE_FULL) /* empty: "/", as the emitter writes it */
        path = *ex->rewrite_path ? ex->rewrite_path : "/";
    else if (ex->rewrite == REWRITE_PREFIX)
        path = replace_prefix(a, r->uri, ex->rewrite_prefix, ex->rewrite_path);
    if (path)
        path = reescaped(a, r, path);
    u->path = path ? arena_printf(a, "%s%s%s", path, q, r->args) : r->raw_uri;
    u->host = ex->rewrite_host ? ex->rewrite_host : r->host;
    u->removed = ARENA_NEW_ARRAY(a, const char *, h->n_request_headers + 1);
    for (i = 0; i < h->n_request_headers; i++) {
        const struct plan_header *x = &h->request_headers[i];
        const char *old = explain_header_value(r, x->name);
        if (x->op == HEADER_REMOVE)
            u->removed[u->n_removed++] = x->name;
        else if (x->op == HEADER_ADD && old)
            push_header(a, u, x->name, arena_printf(a, "%s,%s", old, x->value));
        else
            push_header(a, u, x->name, x->value);
    }
}

static void add_backend(struct explain_result *out, const struct plan_handler *h,
                        int64_t weight)
{
    struct explain_backend *b = &out->backends[out->n_backends++];

    b->weight = weight;
    b->status = h->target.status;
    b->backend = h->target.status ? NULL : h->backend;
}

/* Can the split choose backend handler b of h?  A share that rounds to
 * nothing is left out of the plan's split. */
static bool in_split(const struct plan *plan, const struct plan_handler *h,
                     const struct plan_handler *b)
{
    const char *value = b->id + strlen(h->id) + 1;
    size_t i, j;

    for (i = 0; i < plan->http.n_splits; i++) {
        const struct plan_split *s = &plan->http.splits[i];
        if (!str_eq(s->variable, h->split->variable))
            continue;
        for (j = 0; j < s->n_entries; j++) {
            if (str_eq(s->entries[j].value, value))
                return true;
        }
    }
    return false;
}

void explain_answer(struct arena *a, const struct plan *plan, const struct explain_request *r,
                    const struct candidate *winner, const struct plan_handler *h,
                    struct explain_result *out)
{
    const struct route_rule *rule = winner->rule->rule;
    const char *acrm = explain_header_value(r, "Access-Control-Request-Method");
    size_t i;

    out->filters = ARENA_NEW_ARRAY(a, const char *, rule->n_filters + 1);
    for (i = 0; i < rule->n_filters; i++)
        out->filters[out->n_filters++] =
            model_filter_type_names[rule->filters[i].type];
    if (plan_handler_extra(h)->cors && str_eq(r->method, "OPTIONS") && acrm && *acrm) {
        out->status = 204;
        out->status_reason = "a CORS preflight, answered by nginx";
        return;
    }
    if (h->status) {
        out->status = h->status;
        out->status_reason = "the rule has no usable backend";
        return;
    }
    if (h->redirect) {
        out->status = h->redirect->status;
        out->location = redirect_location(a, r, h->redirect);
        out->status_reason = "RequestRedirect";
        return;
    }
    out->backends = ARENA_NEW_ARRAY(a, struct explain_backend,
                                    (h->split ? h->split->n_backends : 0) + 1);
    if (!h->split)
        add_backend(out, h, h->weight ? h->weight : 1);
    for (i = 0; h->split && i < h->split->n_backends; i++) {
        if (in_split(plan, h, h->split->backends[i]))
            add_backend(out, h->split->backends[i], h->split->backends[i]->weight);
    }
    if (out->n_backends == 1 && out->backends[0].status) {
        out->status = out->backends[0].status;
        out->status_reason = out->status == 503 ? "the backend has no ready endpoints"
                                                : "the backend reference is invalid";
        return;
    }
    upstream_of(a, r, h, &out->upstream);
}
