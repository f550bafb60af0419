/*
 * Rewrites and redirects as nginx performs them: the regex that takes the
 * request's URI apart and the text that makes the new one.  Decided here
 * so that the emitter only prints (docs/nginx-recipes.md, "Redirects").
 *
 * A prefix is replaced segment-wise, as HTTPPathModifier's
 * ReplacePrefixMatch says: the rest keeps its leading '/', a replacement's
 * trailing '/' is dropped ("/xyz/" and "/xyz" replace alike), and an empty
 * result is "/".
 */
#include "plan_internal.h"

#include "nginx/quote.h"

#include "base/arena.h"
#include "base/strbuf.h"

#include <string.h>

/* "^PREFIX" then rest; "/" as the prefix matches from the start. */
static const char *prefix_regex(struct planner *p, const char *prefix, const char *rest)
{
    struct strbuf re = STRBUF_INIT;
    const char *s;

    strbuf_addch(&re, '^');
    nginx_quote_regex_literal(&re, strcmp(prefix, "/") == 0 ? "" : prefix);
    strbuf_addstr(&re, rest);
    s = arena_strndup(p->a, re.buf, re.len);
    strbuf_release(&re);
    return s;
}

static const char *without_trailing_slash(struct planner *p, const char *path)
{
    size_t n = strlen(path);

    return arena_strndup(p->a, path, n && path[n - 1] == '/' ? n - 1 : n);
}

/* Step *n of a list of `steps`, its text of at most `parts` parts: both
 * made at their size, as every redirect of a big repository has its own. */
static struct plan_uri_step *add_step(struct planner *p, struct plan_uri_step **v,
                                      size_t *n, size_t steps, const char *regex,
                                      size_t parts)
{
    struct plan_uri_step *s;

    if (!*v)
        *v = ARENA_NEW_ARRAY(p->a, struct plan_uri_step, steps);
    s = &(*v)[(*n)++];
    s->regex = regex;
    s->text = plan_text_new(p->a, parts);
    return s;
}

/* scheme://host[:port] */
static void origin(struct planner *p, const struct plan_redirect *r, struct plan_text *t)
{
    plan_text_lit(t, r->scheme);
    plan_text_lit(t, "://");
    if (r->hostname)
        plan_text_lit(t, r->hostname);
    else
        plan_text_var(t, "host");
    if (r->port)
        plan_text_lit(t, arena_printf(p->a, ":%lld", (long long)r->port));
}

/* A step whose text is the origin and at most `more` parts. */
static struct plan_text *redirect_step(struct planner *p, struct plan_redirect *r,
                                       const char *regex, size_t more)
{
    size_t steps = r->path_kind == REDIRECT_PATH_PREFIX ? 3 : 1;
    struct plan_uri_step *s = add_step(p, &r->steps, &r->n_steps, steps, regex,
                                       (r->port ? 4 : 3) + more);

    origin(p, r, &s->text);
    return &s->text;
}

/* The Location is built from the raw $request_uri, so that its percent
 * encoding reaches the client unchanged. */
void plan_redirect_steps(struct planner *p, struct plan_redirect *r)
{
    const char *repl, *trimmed;
    struct plan_text *t;

    if (r->path_kind == REDIRECT_PATH_KEEP) {
        plan_text_var(redirect_step(p, r, NULL, 1), "request_uri");
        return;
    }
    if (r->path_kind == REDIRECT_PATH_FULL) {
        t = redirect_step(p, r, NULL, 3);
        plan_text_lit(t, r->path);
        plan_text_var(t, "is_args");
        plan_text_var(t, "args");
        return;
    }
    repl = r->path ? r->path : "";
    trimmed = without_trailing_slash(p, repl);
    /* Exactly the prefix: the replacement, or "/" when it is empty. */
    t = redirect_step(p, r, prefix_regex(p, r->prefix, "(?<gw_q>\\?.*)?$"), 2);
    plan_text_lit(t, *trimmed ? trimmed : "/");
    plan_text_var(t, "gw_q");
    /* The prefix and more: the replacement, then the rest. */
    t = redirect_step(p, r, prefix_regex(p, r->prefix, "(?<gw_r>/[^?]*)(?<gw_q>\\?.*)?$"), 3);
    plan_text_lit(t, trimmed);
    plan_text_var(t, "gw_r");
    plan_text_var(t, "gw_q");
    /* A raw URI that does not spell the prefix as matched (encoded
     * letters): the path stays as it is. */
    plan_text_var(redirect_step(p, r, NULL, 1), "request_uri");
}

/*
 * A rewrite replacement is a path, never a redirect.  nginx answers with a
 * redirect when the replacement's text starts with "http://", "https://"
 * or "$scheme" (ngx_http_rewrite()); a value that does not start with '/'
 * ("http://evil.example/" is valid Gateway API) is therefore set into a
 * variable first, and the backend is asked for exactly that value, as
 * "replace the path" says.
 */
static void rewrite_head(struct plan_handler_extra *x, const char *path,
                         struct plan_text *t)
{
    if (*path == '/') {
        plan_text_lit(t, path);
        return;
    }
    x->rewrite_set = path;
    plan_text_var(t, "gw_rewrite");
}

void plan_rewrite_steps(struct planner *p, struct plan_handler_extra *x)
{
    const char *trimmed;
    struct plan_text *t;

    x->rewrite_set = NULL;
    x->rewrites = NULL;
    x->n_rewrites = 0;
    if (x->rewrite == REWRITE_FULL) {
        /* An empty path is "/", as HTTP sends it (RFC 9112, 3.2.1). */
        t = &add_step(p, &x->rewrites, &x->n_rewrites, 1, "^", 1)->text;
        rewrite_head(x, *x->rewrite_path ? x->rewrite_path : "/", t);
        return;
    }
    trimmed = without_trailing_slash(p, x->rewrite_path);
    t = &add_step(p, &x->rewrites, &x->n_rewrites, 2,
                  prefix_regex(p, x->rewrite_prefix, "$"), 1)->text;
    rewrite_head(x, *trimmed ? trimmed : "/", t);
    t = &add_step(p, &x->rewrites, &x->n_rewrites, 2,
                  prefix_regex(p, x->rewrite_prefix, "(?<gw_rest>/.*)$"), 2)->text;
    if (*trimmed)
        rewrite_head(x, trimmed, t);
    plan_text_var(t, "gw_rest");
}
