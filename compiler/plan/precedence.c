/*
 * Route precedence (gateway-api §6.3 for HTTPRoute, §7 for GRPCRoute): one
 * total order over every candidate match of every route on a server.
 *
 *  1. the route hostname that matched: exact before wildcard before none,
 *     longer before shorter;
 *  2. the path: Exact, then RegularExpression, then PathPrefix (the spec
 *     leaves regex precedence to the implementation; this is nginx's own
 *     order, where any matching regex location beats every prefix one),
 *     longer before shorter within each kind; for gRPC, a longer service
 *     then a longer method;
 *  3. a method match; 4. more header matches; 5. more query matches;
 *  6. the older route (creationTimestamp; none counts as newest);
 *  7. "{namespace}/{name}" compared as one string (not namespace, then
 *     name: "a-b/x" sorts before "a/x");
 *  8. rule order, then match order.
 */
#include "plan_internal.h"

#include "base/arena.h"

#include <stdlib.h>
#include <string.h>

enum path_rank { RANK_NONE, RANK_PREFIX, RANK_REGEX, RANK_EXACT };

static int host_rank(const char *h)
{
    if (!h || strcmp(h, "*") == 0)
        return 0;
    return h[0] == '*' ? 1 : 2;
}

const char *normalize_prefix(struct arena *a, const char *value)
{
    size_t n = strlen(value);

    if (n > 1 && value[n - 1] == '/')
        return arena_strndup(a, value, n - 1);
    return value;
}

bool prefix_covers(const char *prefix, const char *path)
{
    size_t n = strlen(prefix);

    if (strcmp(prefix, "/") == 0)
        return true;
    return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static enum path_rank path_rank(const struct candidate *c, size_t *len)
{
    *len = 0;
    if (c->match) {
        const char *t = c->match->path.type;
        size_t n = strlen(c->match->path.value);
        if (str_eq(t, "Exact")) {
            *len = n;
            return RANK_EXACT;
        }
        if (str_eq(t, "RegularExpression")) {
            *len = n;
            return RANK_REGEX;
        }
        /* A trailing "/" does not count: "/foo/" is the prefix "/foo". */
        *len = n > 1 && c->match->path.value[n - 1] == '/' ? n - 1 : n;
        return RANK_PREFIX;
    }
    if (c->grpc) {
        const struct grpc_method_match *m = &c->grpc->method;
        if (!m->src)
            return RANK_PREFIX;
        /* The wire path /<service>/<method>: its length orders like a path. */
        *len = 2 + (m->service ? strlen(m->service) : 0) + (m->method ? strlen(m->method) : 0);
        if (str_eq(m->type, "RegularExpression") || !m->service)
            return RANK_REGEX;
        return m->method ? RANK_EXACT : RANK_PREFIX;
    }
    return RANK_NONE;
}

static size_t grpc_len(const struct candidate *c, bool service)
{
    const struct grpc_method_match *m;
    const char *s;

    if (!c->grpc)
        return 0;
    m = &c->grpc->method;
    s = service ? m->service : m->method;
    return s ? strlen(s) : 0;
}

/* Header matches the spec ignores do not count. */
static size_t n_headers(const struct candidate *c)
{
    const struct value_match *h = NULL;
    size_t n = 0, i, k = 0;

    if (c->match) {
        h = c->match->headers;
        n = c->match->n_headers;
    } else if (c->grpc) {
        h = c->grpc->headers;
        n = c->grpc->n_headers;
    }
    for (i = 0; i < n; i++)
        k += !model_header_ignored(h, i);
    return k;
}

static int cmp_size(size_t a, size_t b)
{
    return a < b ? -1 : a > b;
}

int candidate_cmp(const struct candidate *a, const struct candidate *b)
{
    const struct object *oa = &a->att->route->route->obj;
    const struct object *ob = &b->att->route->route->obj;
    size_t la, lb;
    int c;

    if ((c = host_rank(b->hostname) - host_rank(a->hostname)) != 0)
        return c;
    if ((c = cmp_size(b->hostname ? strlen(b->hostname) : 0,
                      a->hostname ? strlen(a->hostname) : 0)) != 0)
        return c;
    if ((c = (int)path_rank(b, &lb) - (int)path_rank(a, &la)) != 0)
        return c;
    if ((c = cmp_size(lb, la)) != 0)
        return c;
    if ((c = cmp_size(grpc_len(b, true), grpc_len(a, true))) != 0)
        return c;
    if ((c = cmp_size(grpc_len(b, false), grpc_len(a, false))) != 0)
        return c;
    if ((c = (b->match && b->match->method) - (a->match && a->match->method)) != 0)
        return c;
    if ((c = cmp_size(n_headers(b), n_headers(a))) != 0)
        return c;
    if ((c = cmp_size(b->match ? b->match->n_query_params : 0,
                      a->match ? a->match->n_query_params : 0)) != 0)
        return c;
    if ((c = object_cmp_age(oa, ob)) != 0)
        return c;
    if ((c = (int)oa->kind - (int)ob->kind) != 0)
        return c;
    if ((c = cmp_size(a->rule_index, b->rule_index)) != 0)
        return c;
    return cmp_size(a->match_index, b->match_index);
}

static int cmp_void(const void *a, const void *b)
{
    return candidate_cmp(a, b);
}

void candidates_sort(struct candidate *c, size_t n)
{
    if (n > 1)
        qsort(c, n, sizeof(*c), cmp_void);
}
