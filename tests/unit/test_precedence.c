/*
 * Unit tests: route precedence (docs/spec-notes.md, "Route precedence") as
 * ordered pairs, and hostname intersection ("Hostnames and their intersection") as a table covering every branch.
 */
#include "unit.h"

#include "base/array.h"

#include "plan/plan_internal.h"
#include "controller/controller.h"

#include <stdint.h>
#include <string.h>

/* One candidate match, described compactly. */
struct spec {
    const char *host;  /* the route hostname that matched; NULL: none */
    enum path_match_type ptype; /* HTTP path type; PATH_MATCH_UNSET: gRPC */
    const char *path;  /* HTTP path value; gRPC "service/method" ("" part: unset;
                          a leading '~': RegularExpression; NULL: no method match) */
    const char *method;
    size_t headers, queries;
    int64_t created; /* INT_UNSET: no creationTimestamp */
    const char *nsname;
    size_t rule, match;
};

/* Storage for one candidate and everything it points to. */
struct built {
    struct route route;
    struct route_state state;
    struct attachment att;
    struct rule_state rule;
    struct http_match http;
    struct grpc_match grpc;
    struct value_match values[8];
    char service[64], method[64];
    struct candidate c;
};

static const struct candidate *build(struct built *b, const struct spec *s)
{
    memset(b, 0, sizeof(*b));
    b->route.obj.kind = s->ptype ? KIND_HTTP_ROUTE : KIND_GRPC_ROUTE;
    b->route.obj.nsname = s->nsname ? s->nsname : "default/r";
    b->route.obj.created = s->created;
    b->state.route = &b->route;
    b->att.route = &b->state;
    b->c.att = &b->att;
    b->c.rule = &b->rule;
    b->c.rule_index = s->rule;
    b->c.match_index = s->match;
    b->c.hostname = s->host;
    if (s->ptype) {
        b->http.path.type = s->ptype;
        b->http.path.value = s->path;
        b->http.method = s->method;
        b->http.headers = b->values;
        b->http.n_headers = s->headers;
        b->http.query_params = b->values;
        b->http.n_query_params = s->queries;
        b->c.match = &b->http;
    } else {
        b->grpc.headers = b->values;
        b->grpc.n_headers = s->headers;
        b->c.grpc = &b->grpc;
        if (s->path) {
            bool regex = s->path[0] == '~';
            const char *sm = s->path + regex, *slash = strchr(sm, '/');
            memcpy(b->service, sm, (size_t)(slash - sm));
            strcpy(b->method, slash + 1);
            b->grpc.method.src = (const struct ynode *)b; /* "a method match is present" */
            b->grpc.method.type = regex ? MATCH_REGEX : MATCH_EXACT;
            b->grpc.method.service = *b->service ? b->service : NULL;
            b->grpc.method.method = *b->method ? b->method : NULL;
        }
    }
    return &b->c;
}

#define T INT_UNSET
#define HTTP(host, type, path) host, type, path
#define GRPC(host, sm) host, PATH_MATCH_UNSET, sm

/* In each pair the first takes precedence over the second. */
static const struct {
    const char *why;
    struct spec first, second;
} pairs[] = {
    {"exact hostname over wildcard",
     {HTTP("a.example.com", PATH_MATCH_PREFIX, "/"), NULL, 0, 0, T, NULL, 0, 0},
     {HTTP("*.example.com", PATH_MATCH_PREFIX, "/"), NULL, 0, 0, T, NULL, 0, 0}},
    {"wildcard hostname over none",
     {HTTP("*.example.com", PATH_MATCH_PREFIX, "/"), NULL, 0, 0, T, NULL, 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 0, T, NULL, 0, 0}},
    {"longer wildcard over shorter",
     {HTTP("*.a.example.com", PATH_MATCH_PREFIX, "/"), NULL, 0, 0, T, NULL, 0, 0},
     {HTTP("*.example.com", PATH_MATCH_PREFIX, "/"), NULL, 0, 0, T, NULL, 0, 0}},
    {"hostname before path: exact host with / over wildcard host with Exact",
     {HTTP("a.example.com", PATH_MATCH_PREFIX, "/"), NULL, 0, 0, T, NULL, 0, 0},
     {HTTP("*.example.com", PATH_MATCH_EXACT, "/very/long/path"), NULL, 0, 0, T,
      NULL, 0, 0}},
    {"Exact over PathPrefix of the same value",
     {HTTP(NULL, PATH_MATCH_EXACT, "/foo"), NULL, 0, 0, T, NULL, 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/foo"), NULL, 0, 0, T, NULL, 0, 0}},
    {"a short Exact over a long PathPrefix",
     {HTTP(NULL, PATH_MATCH_EXACT, "/a"), NULL, 0, 0, T, NULL, 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/abcdef/ghi"), NULL, 0, 0, T, NULL, 0, 0}},
    {"Exact over RegularExpression",
     {HTTP(NULL, PATH_MATCH_EXACT, "/a"), NULL, 0, 0, T, NULL, 0, 0},
     {HTTP(NULL, PATH_MATCH_REGEX, "/a.*/long"), NULL, 0, 0, T, NULL, 0, 0}},
    {"RegularExpression over PathPrefix (nginx's order)",
     {HTTP(NULL, PATH_MATCH_REGEX, "/a"), NULL, 0, 0, T, NULL, 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/abcdef"), NULL, 0, 0, T, NULL, 0, 0}},
    {"longer RegularExpression over shorter",
     {HTTP(NULL, PATH_MATCH_REGEX, "/api/v[0-9]+"), NULL, 0, 0, T, NULL, 0, 0},
     {HTTP(NULL, PATH_MATCH_REGEX, "/api/.*"), NULL, 0, 0, T, NULL, 0, 0}},
    {"longer prefix over shorter",
     {HTTP(NULL, PATH_MATCH_PREFIX, "/foo/bar"), NULL, 0, 0, T, NULL, 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/foo"), NULL, 0, 0, T, NULL, 0, 0}},
    {"a trailing slash adds no length: the older route wins",
     {HTTP(NULL, PATH_MATCH_PREFIX, "/foo"), NULL, 0, 0, 100, "default/b", 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/foo/"), NULL, 0, 0, 200, "default/a", 0, 0}},
    {"a trailing slash adds no length, the other way round",
     {HTTP(NULL, PATH_MATCH_PREFIX, "/foo/"), NULL, 0, 0, 100, "default/b", 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/foo"), NULL, 0, 0, 200, "default/a", 0, 0}},
    {"a method match over none",
     {HTTP(NULL, PATH_MATCH_PREFIX, "/foo"), "GET", 0, 0, T, NULL, 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/foo"), NULL, 0, 0, T, NULL, 0, 0}},
    {"path before method",
     {HTTP(NULL, PATH_MATCH_PREFIX, "/foo/bar"), NULL, 0, 0, T, NULL, 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/foo"), "GET", 0, 0, T, NULL, 0, 0}},
    {"two header matches over one",
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 2, 0, T, NULL, 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 1, 0, T, NULL, 0, 0}},
    {"one header match over none",
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 1, 0, T, NULL, 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 0, T, NULL, 0, 0}},
    {"method before headers",
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), "POST", 0, 0, T, NULL, 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 3, 0, T, NULL, 0, 0}},
    {"headers before query parameters",
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 1, 0, T, NULL, 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 3, T, NULL, 0, 0}},
    {"two query matches over one",
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 2, T, NULL, 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 1, T, NULL, 0, 0}},
    {"query matches before age",
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 1, 500, NULL, 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 0, 100, NULL, 0, 0}},
    {"the older route",
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 0, 100, "z/z", 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 0, 200, "a/a", 0, 0}},
    {"a creationTimestamp over none (none counts as newest)",
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 0, 100, "z/z", 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 0, T, "a/a", 0, 0}},
    {"\"{namespace}/{name}\" as one string: a-b/x before a/x",
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 0, 100, "a-b/x", 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 0, 100, "a/x", 0, 0}},
    {"alphabetical name within a namespace",
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 0, T, "default/a", 0, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 0, T, "default/b", 0, 0}},
    {"rule order",
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 0, T, NULL, 0, 1},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 0, T, NULL, 1, 0}},
    {"match order",
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 0, T, NULL, 2, 0},
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 0, T, NULL, 2, 1}},
    {"gRPC: service and method over service alone",
     {GRPC(NULL, "pkg.Svc/Get"), NULL, 0, 0, T, NULL, 0, 0},
     {GRPC(NULL, "pkg.Svc/"), NULL, 0, 0, T, NULL, 0, 0}},
    {"gRPC: a longer service over a shorter one",
     {GRPC(NULL, "pkg.LongService/"), NULL, 0, 0, T, NULL, 0, 0},
     {GRPC(NULL, "pkg.Svc/"), NULL, 0, 0, T, NULL, 0, 0}},
    {"gRPC: header matches break a method tie",
     {GRPC(NULL, "pkg.Svc/Get"), NULL, 1, 0, T, NULL, 0, 0},
     {GRPC(NULL, "pkg.Svc/Get"), NULL, 0, 0, T, NULL, 0, 0}},
    /* GRPCRouteRule.Matches ranks by characters of the service, then of
     * the method, then header matches, never by the kind of match. */
    {"gRPC: a service alone over a method alone",
     {GRPC(NULL, "pkg.Svc/"), NULL, 0, 0, T, NULL, 0, 0},
     {GRPC(NULL, "/Get"), NULL, 0, 0, T, NULL, 0, 0}},
    {"gRPC: service characters before method characters",
     {GRPC(NULL, "pkg.LongService/"), NULL, 0, 0, T, NULL, 0, 0},
     {GRPC(NULL, "pkg.Svc/GetEverything"), NULL, 0, 0, T, NULL, 0, 0}},
    {"gRPC: a longer service regex over a shorter exact service and method",
     {GRPC(NULL, "~pkg[.]Svc.*/"), NULL, 0, 0, T, NULL, 0, 0},
     {GRPC(NULL, "pkg.Svc/Get"), NULL, 0, 0, T, NULL, 0, 0}},
    {"gRPC: a longer method over a shorter one",
     {GRPC(NULL, "pkg.Svc/GetAll"), NULL, 0, 0, T, NULL, 0, 0},
     {GRPC(NULL, "pkg.Svc/Get"), NULL, 0, 0, T, NULL, 0, 0}},
    {"gRPC: a longer method regex over a shorter exact method",
     {GRPC(NULL, "~/Get.*"), NULL, 0, 0, T, NULL, 0, 0},
     {GRPC(NULL, "/Get"), NULL, 0, 0, T, NULL, 0, 0}},
    {"gRPC: method characters before header matches",
     {GRPC(NULL, "pkg.Svc/Get"), NULL, 0, 0, T, NULL, 0, 0},
     {GRPC(NULL, "pkg.Svc/"), NULL, 3, 0, T, NULL, 0, 0}},
    {"gRPC: header matches before age",
     {GRPC(NULL, "pkg.Svc/"), NULL, 1, 0, 500, NULL, 0, 0},
     {GRPC(NULL, "pkg.Svc/"), NULL, 0, 0, 100, NULL, 0, 0}},
    {"gRPC: exact and regex of equal length tie, then the older route",
     {GRPC(NULL, "~pkg.Svc/"), NULL, 0, 0, 100, "z/z", 0, 0},
     {GRPC(NULL, "pkg.Svc/"), NULL, 0, 0, 200, "a/a", 0, 0}},
    {"gRPC: exact and regex of equal length tie, the other way round",
     {GRPC(NULL, "pkg.Svc/"), NULL, 0, 0, 100, "z/z", 0, 0},
     {GRPC(NULL, "~pkg.Svc/"), NULL, 0, 0, 200, "a/a", 0, 0}},
    {"gRPC: a method alone over a rule without matches, even a younger one",
     {GRPC(NULL, "/Get"), NULL, 0, 0, 200, NULL, 0, 0},
     {GRPC(NULL, NULL), NULL, 0, 0, 100, NULL, 0, 0}},
    {"gRPC: the hostname before the service",
     {GRPC("a.example.com", NULL), NULL, 0, 0, T, NULL, 0, 0},
     {GRPC("*.example.com", "pkg.Svc/Get"), NULL, 0, 0, T, NULL, 0, 0}},
    {"HTTPRoute before GRPCRoute for one hostname",
     {HTTP(NULL, PATH_MATCH_PREFIX, "/"), NULL, 0, 0, 200, "b/b", 1, 0},
     {GRPC(NULL, "pkg.Svc/Get"), NULL, 0, 0, 100, "a/a", 0, 0}},
};

START_TEST(pair_is_ordered_both_ways)
{
    struct built a, b;
    const struct candidate *ca = build(&a, &pairs[_i].first);
    const struct candidate *cb = build(&b, &pairs[_i].second);

    ck_assert_msg(plan_candidate_cmp(ca, cb) < 0, "%s: first should come first",
                  pairs[_i].why);
    ck_assert_msg(plan_candidate_cmp(cb, ca) > 0, "%s: order is not antisymmetric",
                  pairs[_i].why);
    ck_assert_msg(plan_candidate_cmp(ca, ca) == 0, "%s: not reflexive",
                  pairs[_i].why);
}
END_TEST

START_TEST(sorting_follows_the_pairs)
{
    /* Every pair, shuffled into one array and sorted: each first element
     * must land before its second. */
    enum { N = ARRAY_SIZE(pairs) };
    static struct built store[2 * N];
    struct candidate all[2 * N];
    size_t i, j;

    for (i = 0; i < N; i++) {
        all[2 * N - 1 - 2 * i] = *build(&store[2 * i], &pairs[i].first);
        all[2 * N - 2 - 2 * i] = *build(&store[2 * i + 1], &pairs[i].second);
    }
    plan_candidates_sort(all, 2 * N);
    for (i = 1; i < 2 * N; i++)
        ck_assert_int_le(plan_candidate_cmp(&all[i - 1], &all[i]), 0);
    for (i = 0; i < N; i++) {
        size_t first = 2 * N, second = 2 * N;
        for (j = 0; j < 2 * N; j++) {
            if (all[j].rule == &store[2 * i].rule)
                first = j;
            if (all[j].rule == &store[2 * i + 1].rule)
                second = j;
        }
        ck_assert_msg(first < second, "%s: out of order after sorting", pairs[i].why);
    }
}
END_TEST

/* Hostname intersection, one row per branch of ctl_hostname_intersect(). */
static const struct {
    const char *listener, *route, *want; /* want NULL: no intersection */
} intersections[] = {
    {NULL, NULL, "*"},
    {NULL, "a.com", "a.com"},
    {"*", "a.com", "a.com"},
    {"*", "*.a.com", "*.a.com"},
    {"a.com", NULL, "a.com"},
    {"a.com", "*", "a.com"},
    {"*.a.com", NULL, "*.a.com"},
    {"a.com", "a.com", "a.com"},
    {"a.com", "b.com", NULL},
    {"*.a.com", "x.a.com", "x.a.com"},
    {"*.a.com", "y.x.a.com", "y.x.a.com"},
    {"*.a.com", "a.com", NULL},  /* a wildcard never covers its apex */
    {"*.a.com", "xa.com", NULL}, /* nor a name that merely ends alike */
    {"x.a.com", "*.a.com", "x.a.com"},
    {"a.com", "*.a.com", NULL},
    {"*.a.com", "*.a.com", "*.a.com"},
    {"*.a.com", "*.x.a.com", "*.x.a.com"},
    {"*.x.a.com", "*.a.com", "*.x.a.com"},
    {"*.example.com", "*.com", "*.example.com"},
    {"*.a.com", "*.b.com", NULL},
};

START_TEST(intersection_row)
{
    const char *got =
        ctl_hostname_intersect(intersections[_i].listener, intersections[_i].route);
    const char *want = intersections[_i].want;

    if (!want)
        ck_assert_msg(got == NULL, "%s ∩ %s: got %s, want none",
                      intersections[_i].listener ? intersections[_i].listener : "(none)",
                      intersections[_i].route ? intersections[_i].route : "(none)", got);
    else
        ck_assert_msg(got && strcmp(got, want) == 0, "%s ∩ %s: got %s, want %s",
                      intersections[_i].listener ? intersections[_i].listener : "(none)",
                      intersections[_i].route ? intersections[_i].route : "(none)",
                      got ? got : "none", want);
}
END_TEST

START_TEST(hostname_and_prefix_matching)
{
    ck_assert(ctl_hostname_matches(NULL, "anything.example"));
    ck_assert(ctl_hostname_matches("*", "anything.example"));
    ck_assert(ctl_hostname_matches("a.com", "a.com"));
    ck_assert(!ctl_hostname_matches("a.com", "b.a.com"));
    ck_assert(ctl_hostname_matches("*.a.com", "b.a.com"));
    ck_assert(ctl_hostname_matches("*.a.com", "c.b.a.com"));
    ck_assert(!ctl_hostname_matches("*.a.com", "a.com"));
    ck_assert(!ctl_hostname_matches("*.a.com", "ba.com"));

    ck_assert(plan_prefix_covers("/", "/anything"));
    ck_assert(plan_prefix_covers("/foo", "/foo"));
    ck_assert(plan_prefix_covers("/foo", "/foo/"));
    ck_assert(plan_prefix_covers("/foo", "/foo/bar"));
    ck_assert(!plan_prefix_covers("/foo", "/foobar"));
    ck_assert(!plan_prefix_covers("/foo/bar", "/foo"));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("precedence");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, pair_is_ordered_both_ways, 0,
                        (int)(ARRAY_SIZE(pairs)));
    tcase_add_test(tc, sorting_follows_the_pairs);
    tcase_add_loop_test(tc, intersection_row, 0,
                        (int)(ARRAY_SIZE(intersections)));
    tcase_add_test(tc, hostname_and_prefix_matching);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run(suite());
}
