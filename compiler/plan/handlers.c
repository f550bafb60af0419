/*
 * What a rule does to a request, for one server: its filters in the spec's
 * terms turned into nginx-shaped actions (docs/spec-notes.md, "Redirects and rewrites", "Backends and the 500 share"), and where
 * the request goes: one backend, or a weighted split over per-backend
 * handlers (each carrying the rule's filters plus its own).
 */
#include "plan_internal.h"

#include "nginx/vars.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/strbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static void header_filter(struct planner *p, struct plan_handler *h,
                          const struct header_filter *f, bool request)
{
    struct plan_header **v = request ? &h->request_headers : &h->response_headers;
    size_t *n = request ? &h->n_request_headers : &h->n_response_headers;
    size_t i;

    for (i = 0; i < f->n_set; i++) {
        struct plan_header x = {HEADER_SET, f->set[i].name, f->set[i].value, NULL};
        plan_header_push(p->a, v, n, x);
    }
    for (i = 0; i < f->n_add; i++) {
        struct plan_header x = {HEADER_ADD, f->add[i].name, f->add[i].value, NULL};
        const char *var =
            request ? nginx_header_variable(p->a, f->add[i].name) : NULL;
        if (var)
            x.add_variable = plan_map_header_prefix(p, var);
        plan_header_push(p->a, v, n, x);
    }
    for (i = 0; i < f->n_remove; i++) {
        struct plan_header x = {HEADER_REMOVE, f->remove[i], "", NULL};
        plan_header_push(p->a, v, n, x);
    }
}

static const char *matched_prefix(struct planner *p, const struct candidate *c)
{
    if (c->match && c->match->path.type == PATH_MATCH_PREFIX)
        return plan_normalize_prefix(p->a, c->match->path.value);
    return "/";
}

/* Location: scheme and port as HTTPRequestRedirectFilter says.  The request's scheme is the
 * listener's; without a scheme in the filter the port is the listener's;
 * with one, the scheme's well-known port, which is never printed. */
static struct plan_redirect *redirect(struct planner *p,
                                      const struct request_redirect *rr,
                                      const struct candidate *c,
                                      const struct eff_listener *l)
{
    struct plan_redirect *r = ARENA_NEW(p->a, struct plan_redirect);
    const char *scheme = rr->scheme ? rr->scheme
                                    : l->protocol == PROTO_HTTPS ? "https" : "http";
    int64_t port = rr->port != INT_UNSET ? rr->port : rr->scheme ? 0 : l->port;

    r->status = (int)rr->status_code;
    r->scheme = scheme;
    r->hostname = rr->hostname;
    if ((str_eq(scheme, "http") && port == 80) || (str_eq(scheme, "https") && port == 443))
        port = 0;
    r->port = port;
    switch (rr->path.type) {
    case MODIFIER_FULL_PATH:
        r->path_kind = REDIRECT_PATH_FULL;
        r->path = rr->path.replace_full_path;
        break;
    case MODIFIER_PREFIX_MATCH:
        r->path_kind = REDIRECT_PATH_PREFIX;
        r->path = rr->path.replace_prefix_match;
        r->prefix = matched_prefix(p, c);
        break;
    case MODIFIER_UNSET:
    case MODIFIER_OTHER:
        break;
    }
    plan_redirect_steps(p, r);
    return r;
}

static void url_rewrite(struct planner *p, struct plan_handler *h,
                        const struct url_rewrite *u, const struct candidate *c)
{
    struct plan_handler_extra *x = plan_handler_extra_mut(p, h);

    if (u->hostname)
        x->rewrite_host = u->hostname;
    switch (u->path.type) {
    case MODIFIER_FULL_PATH:
        x->rewrite = REWRITE_FULL;
        x->rewrite_path = u->path.replace_full_path;
        break;
    case MODIFIER_PREFIX_MATCH:
        x->rewrite = REWRITE_PREFIX;
        x->rewrite_path = u->path.replace_prefix_match;
        x->rewrite_prefix = matched_prefix(p, c);
        break;
    case MODIFIER_UNSET: /* the host alone */
    case MODIFIER_OTHER:
        return;
    }
    plan_rewrite_steps(p, x);
}

/* An origin pattern as a regex.  "*" alone is any origin; a host of "*"
 * alone ("https://" then "*") is any host of that scheme; a leading star
 * in the host ("https://" then "*.bar.com") stands for any number of
 * labels; a missing port also admits the scheme's default port, which
 * browsers omit. */
static void origin_regex(struct arena *a, struct strbuf *re, const char *origin)
{
    const char *sep = strstr(origin, "://"), *host, *colon;
    size_t host_len;

    if (strcmp(origin, "*") == 0) {
        strbuf_addstr(re, ".+");
        return;
    }
    host = sep ? sep + 3 : origin;
    nginx_quote_regex_literal(re,
                              arena_strndup(a, origin, (size_t)(host - origin)));
    if (strcmp(host, "*") == 0) {
        strbuf_addstr(re, "[^/]+");
        return;
    }
    if (strncmp(host, "*.", 2) == 0) {
        /* DNS labels only: "https://evil.com#.bar.com" is no subdomain */
        strbuf_addstr(re, "(?:[A-Za-z0-9_-]+\\.)+");
        host += 2;
    }
    colon = strchr(host, ':');
    host_len = colon ? (size_t)(colon - host) : strlen(host);
    nginx_quote_regex_literal(re, arena_strndup(a, host, host_len));
    if (colon)
        nginx_quote_regex_literal(re, colon);
    else
        strbuf_addstr(re, strncmp(origin, "https", 5) == 0 ? "(?::443)?" : "(?::80)?");
}

static const char *joined(struct arena *a, const char *const *v, size_t n)
{
    struct strbuf sb = STRBUF_INIT;
    const char *s;
    size_t i;

    for (i = 0; i < n; i++)
        strbuf_addf(&sb, "%s%s", i ? ", " : "", v[i]);
    s = arena_strndup(a, sb.buf, sb.len);
    strbuf_release(&sb);
    return s;
}

static bool is_star(const char *const *v, size_t n)
{
    return n == 1 && strcmp(v[0], "*") == 0;
}

/*
 * CORS (HTTPCORSFilter, apis/v1/httproute_types.go): a map echoes the
 * request's Origin when it is allowed, and every other header's value is a
 * map of that one, empty when the Origin is not allowed, so such a request
 * gets no cross-origin header at all (nginx adds none with an empty
 * value).  Preflights are answered by nginx.  With credentials, wildcards
 * echo what the request asks for, never "*"; an exposeHeaders wildcard has
 * no such echo and is left out (validate warns).
 */
static void cors_header(struct planner *p, struct plan_cors *c, const char *origin,
                        const char *name, struct plan_text value)
{
    struct plan_cors_header *h = &c->headers[c->n_headers++];

    h->name = name;
    h->variable = plan_map_when_set(p, origin, value);
}

/* A list header: its entries, a wildcard, or the request's own header
 * (echo_variable; NULL: none) for a wildcard with credentials. */
static void cors_list(struct planner *p, struct plan_cors *c, const char *origin,
                      const char *name, const char *const *v, size_t n, bool creds,
                      const char *echo_variable)
{
    if (n == 0)
        return;
    if (!is_star(v, n) || !creds)
        cors_header(p, c, origin, name,
                    plan_text_literal(p->a, joined(p->a, v, n)));
    else if (echo_variable)
        cors_header(p, c, origin, name, plan_text_variable(p->a, echo_variable));
}

static struct plan_cors *cors(struct planner *p, const struct cors_filter *f)
{
    struct plan_cors *c = ARENA_NEW(p->a, struct plan_cors);
    const char **patterns = ARENA_NEW_ARRAY(p->a, const char *, f->n_allow_origins);
    const char *origin;
    bool creds = f->allow_credentials == TRI_TRUE;
    size_t i;

    for (i = 0; i < f->n_allow_origins; i++) {
        struct strbuf re = STRBUF_INIT;
        strbuf_addstr(&re, "^");
        origin_regex(p->a, &re, f->allow_origins[i]);
        strbuf_addstr(&re, "$");
        patterns[i] = arena_strndup(p->a, re.buf, re.len);
        strbuf_release(&re);
    }
    origin =
        plan_map_allowed(p, "gw_co", "http_origin", patterns, f->n_allow_origins);
    c->headers[c->n_headers].name = "Access-Control-Allow-Origin";
    c->headers[c->n_headers++].variable = origin;
    if (creds)
        cors_header(p, c, origin, "Access-Control-Allow-Credentials",
                    plan_text_literal(p->a, "true"));
    cors_list(p, c, origin, "Access-Control-Allow-Methods", f->allow_methods,
              f->n_allow_methods, creds, "http_access_control_request_method");
    cors_list(p, c, origin, "Access-Control-Allow-Headers", f->allow_headers,
              f->n_allow_headers, creds, "http_access_control_request_headers");
    cors_list(p, c, origin, "Access-Control-Expose-Headers", f->expose_headers,
              f->n_expose_headers, creds, NULL);
    cors_header(
        p, c, origin, "Access-Control-Max-Age",
        plan_text_literal(p->a, arena_printf(p->a, "%lld", (long long)f->max_age)));
    c->preflight_variable = "gw_cors_preflight";
    return c;
}

/* A mirror copy: the rule's request headers, then the mirror backend. */
static struct plan_handler *mirror_handler(struct planner *p,
                                           const struct server_ctx *sc,
                                           const struct plan_handler *h,
                                           const struct request_mirror *rm,
                                           const struct backend *b, size_t k)
{
    struct plan_handler *m = ARENA_NEW(p->a, struct plan_handler);
    int64_t hundredths = 10000;

    m->id = arena_printf(p->a, "%s/m%zu", h->id, k);
    m->by_uri = true; /* the mirror directive takes a URI */
    m->request_headers = h->request_headers;
    m->n_request_headers = h->n_request_headers;
    m->target = plan_target_of(p, b, h->grpc, sc->listener->gateway);
    m->grpc = m->target.grpc;
    if (rm->percent != INT_UNSET)
        hundredths = rm->percent * 100;
    else if ((rm->present & MIRROR_GIVEN_FRACTION) && rm->fraction.denominator > 0)
        hundredths = rm->fraction.numerator * 10000 / rm->fraction.denominator;
    if (hundredths < 10000) {
        /* The k-th mirror of a rule samples on its own salted key, apart
         * from the rule's other mirrors and its weighted split: a 25% and
         * a 33% sample must not nest, nor a sample follow one backend. */
        struct plan_split_entry e = {(unsigned)hundredths, "1"};
        struct plan_split s = {NULL, &e, hundredths > 0 ? 1 : 0,
                               arena_printf(p->a, "m%zu:", k)};
        plan_handler_extra_mut(p, m)->sample_variable = plan_split_shared(p, "gw_ms", &s);
    }
    return m;
}

static void add_mirror(struct planner *p, struct plan_handler *h,
                       struct plan_handler *m)
{
    struct plan_handler_extra *x = plan_handler_extra_mut(p, h);
    struct plan_handler **v = ARENA_NEW_ARRAY(p->a, struct plan_handler *,
                                              x->n_mirrors + 1);

    if (x->n_mirrors)
        memcpy(v, x->mirrors, x->n_mirrors * sizeof(*v));
    v[x->n_mirrors++] = m;
    x->mirrors = v;
}

/* Filters of a rule or a backendRef, in list order. */
static void apply_filters(struct planner *p, struct plan_handler *h,
                          const struct route_filter *f, size_t n,
                          const struct candidate *c, const struct server_ctx *sc,
                          const struct backend *mirrors, size_t *next_mirror)
{
    size_t i;

    for (i = 0; i < n; i++) {
        switch (f[i].type) {
        case FILTER_REQUEST_HEADER_MODIFIER:
            header_filter(p, h, f[i].request_header_modifier, true);
            break;
        case FILTER_RESPONSE_HEADER_MODIFIER:
            header_filter(p, h, f[i].response_header_modifier, false);
            break;
        case FILTER_REQUEST_REDIRECT:
            h->redirect = redirect(p, f[i].request_redirect, c, sc->listener);
            break;
        case FILTER_URL_REWRITE:
            url_rewrite(p, h, f[i].url_rewrite, c);
            break;
        case FILTER_CORS:
            plan_handler_extra_mut(p, h)->cors = cors(p, f[i].cors);
            break;
        case FILTER_REQUEST_MIRROR:
            if (mirrors) {
                const struct backend *b = &mirrors[(*next_mirror)++];
                if (b->status == BACKEND_OK)
                    add_mirror(p, h,
                               mirror_handler(p, sc, h, f[i].request_mirror, b,
                                              plan_handler_extra(h)->n_mirrors));
            }
            break;
        case FILTER_EXTENSION_REF: /* the rule answers 500 (controller/backends.c) */
        case FILTER_EXTERNAL_AUTH:
        case FILTER_UNSET:
        case FILTER_OTHER:
            break;
        }
    }
}

/*
 * One split_clients block per distinct set of shares and salt.  Blocks with
 * the same salt hash the same key (the request id), so two of them with the
 * same shares would choose alike for every request anyway; and a request
 * meets one rule, so only splits of one rule need to differ (their salts
 * do).  Sharing keeps the number of variables, which nginx looks up
 * linearly while loading, independent of the number of rules.  The draft
 * is copied when it is new.
 */
const char *plan_split_shared(struct planner *p, const char *prefix,
                              const struct plan_split *draft)
{
    struct strbuf key = STRBUF_INIT;
    struct plan_split *s;
    void **slot;
    size_t i;

    strbuf_addstr(&key, prefix);
    strbuf_addch(&key, '|');
    strbuf_addstr(&key, draft->salt ? draft->salt : "");
    for (i = 0; i < draft->n_entries; i++) {
        char num[STR_DEC_MAX + 1];
        const char *v = draft->entries[i].value;
        strbuf_addch(&key, '|');
        strbuf_addstr(&key, plan_dec(num, draft->entries[i].hundredths));
        strbuf_addch(&key, ':');
        strbuf_addstr(&key, plan_dec(num, strlen(v)));
        strbuf_addch(&key, ':');
        strbuf_addstr(&key, v);
    }
    /* The key is kept only for a new split: most are found again. */
    s = strhash_get(&p->sec->splits_by_content, key.buf);
    if (s) {
        strbuf_release(&key);
        return s->variable;
    }
    slot = strhash_slot(&p->sec->splits_by_content, arena_strndup(p->a, key.buf, key.len));
    strbuf_release(&key);
    s = plan_split_new(p, prefix);
    s->entries = ARENA_NEW_ARRAY(p->a, struct plan_split_entry, draft->n_entries);
    if (draft->n_entries)
        memcpy(s->entries, draft->entries, draft->n_entries * sizeof(*s->entries));
    s->n_entries = draft->n_entries;
    s->salt = draft->salt;
    *slot = s;
    return s->variable;
}

struct plan_split *plan_split_new(struct planner *p, const char *prefix)
{
    struct plan_split *s = ARENA_NEW(p->a, struct plan_split);

    s->variable = arena_printf(p->a, "%s%u", prefix, p->sec->n_splits++);
    ptrvec_push(p->a, &p->sec->splits, s);
    return s;
}

void plan_split_weights(struct planner *p, struct plan_split *s,
                        const int64_t *weights, const char *const *values, size_t n)
{
    int64_t total = 0;
    size_t i;

    s->entries = ARENA_NEW_ARRAY(p->a, struct plan_split_entry, n);
    for (i = 0; i < n; i++)
        total += weights[i];
    for (i = 0; i < n; i++) {
        /* Hundredths of a percent, rounded down; the last entry takes the
         * rest ("*"), so shares always add up to 100%. */
        unsigned share = (unsigned)(weights[i] * 10000 / total);
        if (i + 1 == n)
            share = 0;
        else if (share == 0)
            continue; /* nginx refuses 0%: a tiny share rounds to none */
        s->entries[s->n_entries].hundredths = share;
        s->entries[s->n_entries++].value = values[i];
    }
}

/* The split over h's backends.  Its values are the part of each backend's
 * handler id after h's ("b0"), so rules that split alike share it; h then
 * sends a request to the location named '@', its id, "/", and the value. */
static void weighted_split(struct planner *p, struct plan_handler *h,
                           struct plan_handler **backends, size_t n)
{
    struct plan_handler_split *s = ARENA_NEW(p->a, struct plan_handler_split);
    size_t prefix = strlen(h->id) + 1, i;
    int64_t *weights = ARENA_NEW_ARRAY(p->a, int64_t, n);
    const char **values = ARENA_NEW_ARRAY(p->a, const char *, n);
    struct plan_split draft = {NULL, NULL, 0, NULL};

    for (i = 0; i < n; i++) {
        weights[i] = backends[i]->weight;
        values[i] = backends[i]->id + prefix;
    }
    plan_split_weights(p, &draft, weights, values, n);
    s->variable = plan_split_shared(p, "gw_s", &draft);
    s->target = plan_text_new(p->a, 2);
    plan_text_lit(&s->target, plan_cat(p->a, "@", h->id, "/", NULL));
    plan_text_var(&s->target, s->variable);
    s->backends = backends;
    s->n_backends = n;
    h->split = s;
}

static const char *kind_slug(enum kind k)
{
    return k == KIND_GRPC_ROUTE ? "grpc" : "http";
}

/* Retry (docs/spec-notes.md, "Retries and timeouts"): connection errors and timeouts always, plus
 * the codes nginx can retry on (validate reported the others). */
static void apply_retry(struct planner *p, struct plan_handler *h,
                        const struct route_rule *rule)
{
    static const int64_t retryable[] = {403, 404, 429, 500, 502, 503, 504};
    const struct route_retry *r = rule->retry;
    const char *on = "error timeout";
    struct plan_handler_extra *x;
    size_t i, j;

    if (!(rule->present & RULE_GIVEN_RETRY))
        return;
    for (i = 0; i < ARRAY_SIZE(retryable); i++) {
        for (j = 0; j < r->n_codes; j++) {
            if (r->codes[j] == retryable[i]) {
                on = arena_printf(p->a, "%s http_%lld", on, (long long)retryable[i]);
                break;
            }
        }
    }
    x = plan_handler_extra_mut(p, h);
    x->retry_on = on;
    x->retry_tries = (unsigned)(r->attempts == INT_UNSET ? 1 : r->attempts) + 1;
    x->retry_within = plan_nginx_time(p->a, rule->timeouts->request, NO_TIMEOUT);
}

static void apply_timeouts(struct planner *p, struct plan_handler *h,
                           const struct route_rule *rule)
{
    const struct route_timeouts *t = rule->timeouts;
    struct plan_handler_extra *x;

    if (!(rule->present & RULE_GIVEN_TIMEOUTS))
        return;
    /* nginx has no total request timeout; a read timeout is the closest it
     * comes (validate reported the approximation). */
    x = plan_handler_extra_mut(p, h);
    x->read_timeout = plan_nginx_time(
        p->a, t->backend_request ? t->backend_request : t->request, NO_TIMEOUT);
    x->connect_timeout = plan_nginx_time(p->a, t->backend_request, NO_TIMEOUT);
}

static struct plan_handler *keep(struct planner *p, const struct plan_handler *h)
{
    struct plan_handler *kept = ARENA_NEW(p->a, struct plan_handler);

    *kept = *h;
    return kept;
}

/* "/_gw/http/<namespace>/<name>/r<index>" */
static const char *rule_id(struct planner *p, const struct route *r, size_t index)
{
    char num[STR_DEC_MAX + 1];

    return plan_cat(p->a, "/_gw/", kind_slug(r->obj.kind), "/", r->obj.meta.namespace,
                    "/", r->obj.meta.name, "/r", plan_dec(num, index), NULL);
}

struct plan_handler *plan_handler_for_rule(struct planner *p,
                                           const struct server_ctx *sc,
                                           const struct candidate *c)
{
    const struct route *r = c->att->route->route;
    const struct rule_state *rs = c->rule;
    /* The rule's handler is built here and kept only if it is not one of
     * its backends' (most rules have one backend). */
    struct plan_handler rule_handler, *h = &rule_handler, *one, **backends;
    struct upstream_options up = {NULL, NULL, NULL};
    size_t next_mirror = 0, i, live = 0, n = 0;

    memset(h, 0, sizeof(*h));

    h->id = rule_id(p, r, c->rule_index);
    h->grpc = r->obj.kind == KIND_GRPC_ROUTE;
    if (rs->fixed_status) {
        h->status = rs->fixed_status;
        return keep(p, h);
    }
    apply_filters(p, h, rs->rule->filters, rs->rule->n_filters, c, sc, rs->mirrors,
                  &next_mirror);
    if (!plan_policy_apply(p, sc, c, h, &up)) {
        /* A policy gwc cannot program exactly: fail closed. */
        memset(h, 0, sizeof(*h));
        h->id = rule_id(p, r, c->rule_index);
        h->status = 500;
        return keep(p, h);
    }
    if (h->redirect)
        return keep(p, h); /* CEL: a redirect has no backends */
    apply_timeouts(p, h, rs->rule);
    apply_retry(p, h, rs->rule);
    for (i = 0; i < rs->n_backends; i++) {
        live += rs->backends[i].ref->weight > 0;
    }
    if (live == 0) {
        /* No backendRefs, or every weight 0: nothing valid to route to. */
        h->status = 500;
        return keep(p, h);
    }
    backends = live > 1 ? ARENA_NEW_ARRAY(p->a, struct plan_handler *, live) : &one;
    for (i = 0; i < rs->n_backends; i++) {
        const struct backend *b = &rs->backends[i];
        struct plan_handler *child;
        unsigned tries;
        size_t unused = 0;
        char num[STR_DEC_MAX + 1];

        if (b->ref->weight == 0)
            continue;
        child = ARENA_NEW(p->a, struct plan_handler);
        *child = *h;
        if (h->extra) { /* the child's filters must not change the rule's */
            child->extra = ARENA_NEW(p->a, struct plan_handler_extra);
            *child->extra = *h->extra;
        }
        child->id = live == 1 ? h->id : plan_cat(p->a, h->id, "/b", plan_dec(num, i), NULL);
        child->weight = b->ref->weight;
        apply_filters(p, child, b->ref->filters, b->ref->n_filters, c, sc, NULL, &unused);
        child->target = plan_target_of(p, b, h->grpc, sc->listener->gateway);
        child->backend = b;
        plan_policy_error_context(p, child, r, b);
        child->grpc = child->target.grpc;
        tries = plan_handler_extra(h)->retry_tries;
        if (child->target.upstream && (tries > 1 || up.lb || up.keepalive))
            child->target.upstream = plan_upstream_balanced(p, b, tries, &up);
        backends[n++] = child;
    }
    if (n == 1) {
        /* One backend: it is the rule's handler, under the rule's name. */
        one->id = h->id;
        return one;
    }
    h = keep(p, h);
    weighted_split(p, h, backends, n);
    return h;
}

void plan_handler_dependents(struct arena *a, const struct plan_handler *h,
                             struct ptrvec *out)
{
    size_t i;

    for (i = 0; h->split && i < h->split->n_backends; i++) {
        ptrvec_push(a, out, h->split->backends[i]);
        plan_handler_dependents(a, h->split->backends[i], out);
    }
    for (i = 0; i < plan_handler_extra(h)->n_mirrors; i++)
        ptrvec_push(a, out, plan_handler_extra(h)->mirrors[i]);
}
