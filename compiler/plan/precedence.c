/*
 * Route precedence: one total order over every candidate match of every
 * route on a server.
 *
 *  1. the route hostname that matched: exact before wildcard before none,
 *     longer before shorter;
 *  2. HTTPRoute before GRPCRoute (a server never serves both for one
 *     hostname; the step only keeps the order total);
 *  3. HTTPRoute (HTTPRouteRule.Matches): the path: Exact, then
 *     RegularExpression, then PathPrefix (the spec leaves regex precedence
 *     to the implementation; this is nginx's own order, where any matching
 *     regex location beats every prefix one), longer before shorter within
 *     each kind; then a method match, more header matches, more query
 *     matches;
 *     GRPCRoute (GRPCRouteRule.Matches): more characters in the service,
 *     then in the method (a regex counts its pattern; a part not matched
 *     counts 0), then more header matches.  Exact and regex are not ranked
 *     apart: the spec ranks by characters only;
 *  4. the older route (creationTimestamp; none counts as newest);
 *  5. "{namespace}/{name}" compared as one string (not namespace, then
 *     name: "a-b/x" sorts before "a/x");
 *  6. rule order, then match order.
 * The locations planner (locations.c) honours any such order: it decides
 * within each nginx location which candidates can still apply.
 */
#include "plan_internal.h"

#include "base/arena.h"

#include <stdlib.h>
#include <string.h>

enum path_rank { RANK_PREFIX, RANK_REGEX, RANK_EXACT };

static int host_rank(const char *h)
{
    if (!h || strcmp(h, "*") == 0)
        return 0;
    return h[0] == '*' ? 1 : 2;
}

const char *plan_normalize_prefix(struct arena *a, const char *value)
{
    size_t n = strlen(value);

    if (n > 1 && value[n - 1] == '/')
        return arena_strndup(a, value, n - 1);
    return value;
}

bool plan_prefix_covers(const char *prefix, const char *path)
{
    size_t n = strlen(prefix);

    if (strcmp(prefix, "/") == 0)
        return true;
    return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static enum path_rank path_rank(const struct http_match *m, size_t *len)
{
    size_t n = strlen(m->path.value);

    *len = n;
    if (m->path.type == PATH_MATCH_EXACT)
        return RANK_EXACT;
    if (m->path.type == PATH_MATCH_REGEX)
        return RANK_REGEX;
    /* A trailing "/" does not count: "/foo/" is the prefix "/foo". */
    if (n > 1 && m->path.value[n - 1] == '/')
        *len = n - 1;
    return RANK_PREFIX;
}

/* Characters of the service (or method) a gRPC match names; 0 if none. */
static size_t grpc_len(const struct grpc_match *g, bool service)
{
    const char *s = service ? g->method.service : g->method.method;

    return s ? strlen(s) : 0;
}

/* Header matches the spec ignores do not count. */
static size_t n_headers(const struct value_match *h, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++)
        k += !model_header_ignored(h, i);
    return k;
}

static int cmp_size(size_t a, size_t b)
{
    return a < b ? -1 : a > b;
}

/* Each comparison below also says which step of the order decided. */
static int http_cmp(const struct http_match *a, const struct http_match *b,
                    enum plan_precedence *step)
{
    size_t la, lb;
    int c;

    if ((*step = PREC_PATH_KIND, c = (int)path_rank(b, &lb) - (int)path_rank(a, &la)) != 0)
        return c;
    if ((*step = PREC_PATH_LEN, c = cmp_size(lb, la)) != 0)
        return c;
    if ((*step = PREC_METHOD, c = (b->method != NULL) - (a->method != NULL)) != 0)
        return c;
    if ((*step = PREC_HEADERS, c = cmp_size(n_headers(b->headers, b->n_headers),
                                            n_headers(a->headers, a->n_headers))) != 0)
        return c;
    *step = PREC_QUERY;
    return cmp_size(b->n_query_params, a->n_query_params);
}

static int grpc_cmp(const struct grpc_match *a, const struct grpc_match *b,
                    enum plan_precedence *step)
{
    int c;

    if ((*step = PREC_GRPC_SERVICE, c = cmp_size(grpc_len(b, true), grpc_len(a, true))) != 0)
        return c;
    if ((*step = PREC_GRPC_METHOD, c = cmp_size(grpc_len(b, false), grpc_len(a, false))) != 0)
        return c;
    *step = PREC_HEADERS;
    return cmp_size(n_headers(b->headers, b->n_headers), n_headers(a->headers, a->n_headers));
}

static int compare(const struct candidate *a, const struct candidate *b,
                   enum plan_precedence *step)
{
    const struct object *oa = &a->att->route->route->obj;
    const struct object *ob = &b->att->route->route->obj;
    int c;

    if ((*step = PREC_HOSTNAME, c = host_rank(b->hostname) - host_rank(a->hostname)) != 0)
        return c;
    if ((*step = PREC_HOSTNAME_LEN,
         c = cmp_size(b->hostname ? strlen(b->hostname) : 0,
                      a->hostname ? strlen(a->hostname) : 0)) != 0)
        return c;
    if ((*step = PREC_KIND, c = (a->grpc != NULL) - (b->grpc != NULL)) != 0)
        return c;
    if (a->grpc) {
        if ((c = grpc_cmp(a->grpc, b->grpc, step)) != 0)
            return c;
    } else if ((c = http_cmp(a->match, b->match, step)) != 0) {
        return c;
    }
    if ((*step = PREC_AGE, c = model_object_cmp_age(oa, ob)) != 0)
        return c;
    if ((*step = PREC_RULE, c = cmp_size(a->rule_index, b->rule_index)) != 0)
        return c;
    *step = PREC_MATCH;
    if ((c = cmp_size(a->match_index, b->match_index)) == 0)
        *step = PREC_SAME;
    return c;
}

int plan_candidate_cmp(const struct candidate *a, const struct candidate *b)
{
    enum plan_precedence step;

    return compare(a, b, &step);
}

enum plan_precedence plan_precedence_step(const struct candidate *a,
                                          const struct candidate *b)
{
    enum plan_precedence step;

    compare(a, b, &step);
    return step;
}

static int cmp_void(const void *a, const void *b)
{
    return plan_candidate_cmp(a, b);
}

void plan_candidates_sort(struct candidate *c, size_t n)
{
    if (n > 1)
        qsort(c, n, sizeof(*c), cmp_void);
}
