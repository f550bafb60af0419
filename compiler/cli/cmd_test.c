/*
 * RoutingTests: `gwc test` runs them and prints a result per case;
 * `gwc check` and `gwc compile` run them too (cli_routing_tests, run.c),
 * so that a change that reroutes a case fails with an error at the case.
 */
#include "cli_internal.h"
#include "verify.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/escape.h"
#include "base/jsonw.h"
#include "base/strbuf.h"
#include "base/xml.h"
#include "explain/explain.h"
#include "load/load.h"
#include "model/model.h"
#include "plan/plan.h"
#include "controller/controller.h"

#include <stdio.h>
#include <string.h>

/* A case passes when the plan answers as it expects and, verified, nginx
 * answers as the plan says. */
static bool case_passed(const struct explain_case *k, const struct verify_verdict *v)
{
    return k->passed && (!v || v->result != VERIFY_DISAGREES);
}

static const char *verdict_text(const struct verify_verdict *v)
{
    return v->result == VERIFY_AGREES ? "nginx agrees: "
           : v->result == VERIFY_SKIPPED ? "not verified with nginx: "
                                         : "nginx disagrees: ";
}

static void write_text(struct compilation *c, const struct explain_case *k, size_t n,
                       const struct verify_verdict *v, struct strbuf *out)
{
    size_t i, failed = 0, skipped = 0;

    for (i = 0; i < n; i++) {
        const struct src_loc loc = ynode_loc(c, k[i].rcase->src);
        const struct source *s = source_get(&c->sources, loc.file);
        bool passed = case_passed(&k[i], v ? &v[i] : NULL);
        failed += !passed;
        strbuf_addf(out, "%s ", passed ? "PASS" : "FAIL");
        escape_text(out, k[i].test->obj.nsname, strlen(k[i].test->obj.nsname));
        strbuf_addstr(out, ": ");
        escape_text(out, k[i].name, strlen(k[i].name));
        if (!k[i].passed && s) {
            strbuf_addstr(out, "\n     ");
            escape_text(out, s->name, strlen(s->name));
            strbuf_addf(out, ":%u:%u: ", loc.line, loc.col);
            if (k[i].failure)
                escape_text(out, k[i].failure, strlen(k[i].failure));
            else
                strbuf_addstr(out, "the request cannot be sent");
        }
        if (v) {
            skipped += v[i].result == VERIFY_SKIPPED;
            strbuf_addf(out, "\n     %s", verdict_text(&v[i]));
            escape_text(out, v[i].detail, strlen(v[i].detail));
        }
        strbuf_addch(out, '\n');
    }
    strbuf_addf(out, "%zu passed, %zu failed", n - failed, failed);
    if (v)
        strbuf_addf(out, ", %zu not verified with nginx", skipped);
    strbuf_addch(out, '\n');
}

/* Where a case is written, "file:line:col", or NULL. */
static const char *case_source(struct compilation *c, const struct explain_case *k)
{
    const struct src_loc loc = ynode_loc(c, k->rcase->src);
    const struct source *s = source_get(&c->sources, loc.file);

    return s ? arena_printf(c->arena, "%s:%u:%u", s->name, loc.line, loc.col) : NULL;
}

static void write_json(struct compilation *c, const struct explain_case *k, size_t n,
                       const struct verify_verdict *v, struct strbuf *out)
{
    static const char *const results[] = {"agrees", "disagrees", "not verified"};
    struct jsonw w;
    size_t i;

    jsonw_init(&w, out, false);
    jsonw_array_begin(&w);
    for (i = 0; i < n; i++) {
        const char *where = case_source(c, &k[i]);
        jsonw_object_begin(&w);
        jsonw_kv_string(&w, "test", k[i].test->obj.nsname);
        jsonw_kv_string(&w, "case", k[i].name);
        if (where)
            jsonw_kv_string(&w, "source", where);
        jsonw_kv_string(&w, "result", case_passed(&k[i], v ? &v[i] : NULL) ? "pass" : "fail");
        if (!k[i].passed)
            jsonw_kv_string(&w, "failure", k[i].failure ? k[i].failure
                                                        : "the request cannot be sent");
        if (k[i].runnable)
            jsonw_kv_string(&w, "answer", explain_summary(c->arena, &k[i].result));
        if (v) {
            jsonw_kv_object_begin(&w, "nginx");
            jsonw_kv_string(&w, "result", results[v[i].result]);
            jsonw_kv_string(&w, "detail", v[i].detail);
            jsonw_object_end(&w);
        }
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    strbuf_addch(out, '\n');
}

/* One <testcase>; its failure is the plan's when the plan fails the case,
 * else nginx's when nginx disagrees.  What gwc and nginx answered goes to
 * <system-out> either way. */
static void junit_case(struct compilation *c, const struct explain_case *k,
                       const struct verify_verdict *v, struct strbuf *out)
{
    struct strbuf text = STRBUF_INIT;
    const char *where = case_source(c, k);

    strbuf_addstr(out, "    <testcase");
    xml_attr(out, "name", k->name);
    xml_attr(out, "classname", arena_printf(c->arena, "RoutingTest %s", k->test->obj.nsname));
    strbuf_addstr(out, ">\n");
    if (!k->passed || (v && v->result == VERIFY_DISAGREES)) {
        const char *why = !k->passed ? (k->failure ? k->failure : "the request cannot be sent")
                                     : arena_printf(c->arena, "nginx disagrees: %s", v->detail);
        strbuf_addstr(out, "      <failure");
        xml_attr(out, "message", why);
        xml_attr(out, "type", !k->passed ? "gwc" : "nginx");
        strbuf_addch(out, '>');
        xml_escape(out, where ? arena_printf(c->arena, "%s: %s", where, why) : why, false);
        strbuf_addstr(out, "</failure>\n");
    }
    if (k->runnable)
        strbuf_addf(&text, "gwc answers: %s\n", explain_summary(c->arena, &k->result));
    if (v)
        strbuf_addf(&text, "%s%s\n", verdict_text(v), v->detail);
    if (text.len) {
        strbuf_addstr(out, "      <system-out>");
        xml_escape(out, text.buf, false);
        strbuf_addstr(out, "</system-out>\n");
    }
    strbuf_addstr(out, "    </testcase>\n");
    strbuf_release(&text);
}

/* JUnit XML: a <testsuite> per RoutingTest (its cases are consecutive),
 * a <testcase> per case.  No times or host names: deterministic. */
static void write_junit(struct compilation *c, const struct explain_case *k, size_t n,
                        const struct verify_verdict *v, struct strbuf *out)
{
    struct strbuf body = STRBUF_INIT;
    size_t i = 0, j, failed = 0;

    while (i < n) {
        const struct routing_test *t = k[i].test;
        const struct src_loc loc = ynode_loc(c, t->obj.src);
        const struct source *s = source_get(&c->sources, loc.file);
        size_t suite_failed = 0;

        for (j = i; j < n && k[j].test == t; j++)
            suite_failed += !case_passed(&k[j], v ? &v[j] : NULL);
        strbuf_addstr(&body, "  <testsuite");
        xml_attr(&body, "name", t->obj.nsname);
        strbuf_addf(&body, " tests=\"%zu\" failures=\"%zu\" errors=\"0\"", j - i,
                    suite_failed);
        if (s)
            xml_attr(&body, "file", s->name);
        strbuf_addstr(&body, ">\n");
        for (; i < j; i++)
            junit_case(c, &k[i], v ? &v[i] : NULL, &body);
        strbuf_addstr(&body, "  </testsuite>\n");
        failed += suite_failed;
    }
    strbuf_addstr(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
    xml_attr(out, "name", "gwc test");
    strbuf_addf(out, " tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", n, failed);
    strbuf_add(out, body.buf, body.len);
    strbuf_addstr(out, "</testsuites>\n");
    strbuf_release(&body);
}

int cli_run_test(const struct options *o)
{
    struct options in = *o;
    struct compilation c;
    struct controller ctl;
    struct model m;
    struct explain_case *cases = NULL;
    struct verify_verdict *verdicts = NULL;
    struct strbuf out = STRBUF_INIT;
    size_t n = 0;
    int status;
    const char *format = o->output_format ? o->output_format : "text";
    /* Verified, the Gateways' addresses are loopback from the start: they
     * decide which listeners share a socket. */
    if (o->verify_nginx)
        in.listen_address = VERIFY_ADDRESS;
    cli_validate_inputs(&c, &in, &m, &ctl);
    if (!diag_has_class_error(&c.diags, DCLASS_MANIFEST))
        n = o->verify_nginx ? cli_verify_nginx(&c, &in, &m, &ctl, &cases, &verdicts)
                            : cli_routing_tests(&c, o, &m, &ctl, NULL, &cases);
    if (strcmp(format, "json") == 0)
        write_json(&c, cases, n, verdicts, &out);
    else if (strcmp(format, "junit") == 0)
        write_junit(&c, cases, n, verdicts, &out);
    else
        write_text(&c, cases, n, verdicts, &out);
    fwrite(out.buf, 1, out.len, stdout);
    fflush(stdout);
    cli_report(&c, o, &m);
    status = diag_has_class_error(&c.diags, DCLASS_INPUT) ? EXIT_USAGE
             : c.diags.errors                             ? EXIT_FINDINGS
                                                          : EXIT_CLEAN;
    if (status == EXIT_CLEAN && n == 0) {
        fputs("gwc: no RoutingTest in the input\n", stderr);
        status = EXIT_FINDINGS;
    }
    strbuf_release(&out);
    compilation_release(&c);
    return status;
}
