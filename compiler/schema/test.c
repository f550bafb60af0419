/*
 * RoutingTest (gwc.dev/v1alpha1), checked as its CRD would be: the string
 * formats its table names (defined here), the backends map (kept as a raw
 * node), and the rules between fields.  Whether a URL is one nginx can be
 * sent is decided when the case runs (explain/), where a request is
 * parsed.
 */
#include "schema_internal.h"

#include "load/load.h"

#include <stdlib.h>
#include <string.h>

#define MAX_BACKENDS 16

static bool is_method(const char *s)
{
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen(s);
}

static bool is_http_url(const char *s)
{
    return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

const struct str_format schema_fmt_test_case_name = {"case name", 1, 253, NULL,
                                                     NULL};
const struct str_format schema_fmt_test_method = {
    "method", 1, 16, is_method, "upper-case letters, such as GET"};
const struct str_format schema_fmt_test_url = {
    "URL", 8, 4096, is_http_url, "http:// or https:// and the rest of a URL"};
const struct str_format schema_fmt_test_sni = {"server name", 0, 253, NULL, NULL};
const struct str_format schema_fmt_test_backend = {"backend name", 1, 317, NULL,
                                                   NULL};
const struct str_format schema_fmt_test_location = {"location", 1, 4096, NULL,
                                                    NULL};

static void check_backends(struct schema *s, const struct ynode *map)
{
    uint32_t i;

    if (!map)
        return;
    if (map->kind != YNODE_MAP) {
        schema_report(s, DIAG_TYPE_MISMATCH, map,
                      "backends must be a mapping of backend names to weights");
        return;
    }
    if (map->n == 0 || map->n > MAX_BACKENDS)
        schema_report(s, map->n ? DIAG_TOO_MANY_ITEMS : DIAG_TOO_FEW_ITEMS, map,
                      "backends must have 1 to %d entries, got %u", MAX_BACKENDS, map->n);
    for (i = 0; i < map->n; i++) {
        const struct ynode *w = map->items[i];
        schema_check_string(s, w, "backend name", w->key, &schema_fmt_test_backend);
        if (w->kind != YNODE_SCALAR || w->scalar != YSCALAR_INT)
            schema_report(s, DIAG_TYPE_MISMATCH, w, "the weight of %s must be an integer",
                          w->key);
        else
            schema_check_int(s, map, w->key, strtoll(w->text, NULL, 10), 0,
                             1000000);
    }
}

static void check_case(struct schema *s, const struct routing_case *k)
{
    const struct routing_expect *e = &k->expect;

    if (!e->src)
        return;
    if (!e->backend && !e->backends && e->status == INT_UNSET)
        schema_report(s, DIAG_ROUTING_TEST_INVALID, e->src,
                      "expect must name a backend, backends or a status");
    if (e->backend && e->backends)
        schema_report(s, DIAG_ROUTING_TEST_INVALID, e->backends,
                      "expect takes backend or backends, not both");
    check_backends(s, e->backends);
}

void schema_routing_test(struct schema *s)
{
    const struct routing_test *t = (const struct routing_test *)s->obj;
    size_t i;

    for (i = 0; i < t->n_cases; i++)
        check_case(s, &t->cases[i]);
}
