/*
 * `gwc test`, `gwc explain-request` and `gwc graph` on one input: the
 * RoutingTests in it run against the plan, a first line "# URL" is
 * explained as a request (text and JSON), and the graph is drawn in
 * every format.  For an input without errors, the answers must not depend
 * on the order of the documents: a second run on the documents in reverse
 * order must give the same case results, explanation and graph.  (With
 * duplicate objects, the first definition wins, so order matters there.)
 */
#include "fuzz.h"

#include "base/arena.h"
#include "base/strbuf.h"
#include "explain/explain.h"
#include "graph/graph.h"
#include "plan/plan.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void reverse(struct ydoc_list *docs)
{
    size_t i;

    for (i = 0; i < docs->n / 2; i++) {
        struct ydoc d = docs->v[i];
        docs->v[i] = docs->v[docs->n - 1 - i];
        docs->v[docs->n - 1 - i] = d;
    }
}

/* The URL of a first line "# URL" (a YAML comment), else NULL. */
static const char *first_line(struct arena *a, const uint8_t *data, size_t size)
{
    size_t n = 2;

    if (size < 2 || data[0] != '#' || data[1] != ' ')
        return NULL;
    while (n < size && n < 512 && data[n] != '\n' && data[n] != '\0')
        n++;
    if (n < size && data[n] == '\0')
        return NULL;
    return arena_strndup(a, (const char *)data + 2, n - 2);
}

/* False when the input has errors. */
static bool run(const uint8_t *data, size_t size, bool reversed, struct strbuf *out)
{
    struct fuzz_run r;
    struct explain_case *cases = NULL;
    struct graph g;
    size_t i, n;
    bool clean;

    fuzz_load(&r, CMD_TEST, data, size);
    if (reversed)
        reverse(&r.docs);
    fuzz_validate(&r);
    graph_build(&r.c, &r.ctl, &g);
    graph_write_dot(&g, out);
    graph_write_mermaid(&g, out);
    graph_write_json(&g, out);
    clean = !diag_has_class_error(&r.c.diags, DCLASS_INPUT) &&
            !diag_has_class_error(&r.c.diags, DCLASS_MANIFEST);
    if (clean) {
        uint32_t port_map[MAX_PORT_MAP][2];
        struct plan_options po;
        struct plan plan;
        struct explain_request req;
        const char *url = first_line(r.c.arena, data, size);

        cli_plan_options(&r.o, port_map, "/run/gwc-fuzz", &po);
        plan_build(&r.c, &r.ctl, &po, &plan);
        n = explain_run_tests(&r.c, &r.m, &plan, &po, &cases);
        for (i = 0; i < n; i++)
            strbuf_addf(out, "%s %s: %s\n", cases[i].passed ? "PASS" : "FAIL", cases[i].name,
                        cases[i].runnable ? explain_summary(r.c.arena, &cases[i].result)
                                          : "-");
        if (url && !explain_request_init(r.c.arena, &req, NULL, url, NULL, 0, NULL)) {
            struct explain_result x;
            explain_request(r.c.arena, &plan, &po, &req, &x);
            explain_write_json(&r.c, &req, &x, out);
            explain_write_text(&r.c, &req, &x, out);
        }
    }
    fuzz_diagnostics(&r);
    fuzz_release(&r);
    return clean;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

    if (run(data, size, false, &a) && run(data, size, true, &b) &&
        (a.len != b.len || memcmp(a.buf, b.buf, a.len) != 0))
        fuzz_fail("the answers differ when the documents come in reverse order:\n%s\n----\n%s",
                  a.buf, b.buf);
    strbuf_release(&a);
    strbuf_release(&b);
    return 0;
}
