/*
 * JUnit XML, as Jenkins and GitLab read it: one <testsuite> per input file
 * (its name and file attributes are the path), one <testcase> per object of
 * the file (name "HTTPRoute default/shop", classname the path), and one
 * testcase named after the file for what lies outside every object, when
 * something does or when the file holds no object.  A diagnostic that fails
 * the run (an error; a warning too with --fail-on=warning) is a <failure>,
 * an input that cannot be read an <error>; every other diagnostic is listed
 * in the testcase's <system-out>.  Each diagnostic is written as the text
 * format writes it.  No times or host names: the report is deterministic.
 */
#include "diag.h"

#include "arena.h"
#include "strbuf.h"
#include "xml.h"

#include <stdlib.h>
#include <string.h>

/* A testcase and the diagnostics that fall into it (indexes into the
 * sorted sink, in order). */
struct jcase {
    const char *name;
    uint32_t offset;
    bool named; /* an object; else the file's own testcase */
    size_t *diags;
    size_t n_diags;
};

struct jsuite {
    uint32_t file; /* SOURCE_NONE: the diagnostics without a file */
    const char *name;
    struct jcase *cases; /* [0] is the file's own testcase */
    size_t n_cases;
};

static bool fails(const struct diag *d, const struct diag_render_options *o)
{
    return d->severity == DIAG_ERROR || (d->severity == DIAG_WARNING && o->warnings_fail);
}

static void diag_text(const struct diag *d, const struct source_table *t,
                      struct strbuf *out)
{
    struct diag *one = (struct diag *)d;
    struct diag_sink view = {0};
    struct diag_render_options text = {0};

    text.format = DIAG_FORMAT_TEXT;
    view.v = &one;
    view.n = 1;
    diag_render_text(&view, t, &text, out);
}

/* Writes one testcase; counts it as failed or in error. */
static void write_case(struct strbuf *out, const struct diag_sink *s,
                       const struct source_table *t, const struct diag_render_options *o,
                       const char *classname, const struct jcase *c,
                       unsigned *failures, unsigned *errors)
{
    struct strbuf fail_text = STRBUF_INIT, other = STRBUF_INIT;
    const struct diag *first_fail = NULL;
    bool input_error = false;
    char code[8];
    size_t i;

    for (i = 0; i < c->n_diags; i++) {
        const struct diag *d = s->v[c->diags[i]];
        if (fails(d, o)) {
            if (!first_fail)
                first_fail = d;
            input_error = input_error || diag_info(d->code)->cls == DCLASS_INPUT;
            diag_text(d, t, &fail_text);
        } else {
            diag_text(d, t, &other);
        }
    }
    strbuf_addstr(out, "    <testcase");
    xml_attr(out, "name", c->name);
    xml_attr(out, "classname", classname);
    strbuf_addstr(out, c->n_diags ? ">\n" : "/>\n");
    if (first_fail) {
        struct strbuf msg = STRBUF_INIT;
        const char *el = input_error ? "error" : "failure";
        if (first_fail->path)
            strbuf_addf(&msg, "%s: ", first_fail->path);
        strbuf_addstr(&msg, first_fail->message);
        strbuf_addf(out, "      <%s", el);
        xml_attr(out, "message", msg.buf);
        xml_attr(out, "type", diag_code_name(first_fail->code, code));
        strbuf_addch(out, '>');
        xml_escape(out, fail_text.buf, false);
        strbuf_addf(out, "</%s>\n", el);
        strbuf_release(&msg);
        ++*(input_error ? errors : failures);
    }
    if (other.len) {
        strbuf_addstr(out, "      <system-out>");
        xml_escape(out, other.buf, false);
        strbuf_addstr(out, "</system-out>\n");
    }
    if (c->n_diags)
        strbuf_addstr(out, "    </testcase>\n");
    strbuf_release(&fail_text);
    strbuf_release(&other);
}

static void write_suite(struct strbuf *out, const struct diag_sink *s,
                        const struct source_table *t, const struct diag_render_options *o,
                        const struct jsuite *su, unsigned totals[3])
{
    struct strbuf body = STRBUF_INIT;
    unsigned tests = 0, failures = 0, errors = 0;
    size_t k;

    for (k = 0; k < su->n_cases; k++) {
        /* A mapping that is no object only ends the one before; the file's
         * own testcase shows when it has something to say, or when the
         * file holds no object. */
        if (k > 0 && !su->cases[k].named)
            continue;
        if (k == 0 && su->cases[0].n_diags == 0 && su->n_cases > 1)
            continue;
        tests++;
        write_case(&body, s, t, o, su->name, &su->cases[k], &failures, &errors);
    }
    strbuf_addstr(out, "  <testsuite");
    xml_attr(out, "name", su->name);
    strbuf_addf(out, " tests=\"%u\" failures=\"%u\" errors=\"%u\"", tests, failures,
                errors);
    if (su->file != SOURCE_NONE)
        xml_attr(out, "file", su->name);
    strbuf_addstr(out, ">\n");
    strbuf_add(out, body.buf, body.len);
    strbuf_addstr(out, "  </testsuite>\n");
    strbuf_release(&body);
    totals[0] += tests;
    totals[1] += failures;
    totals[2] += errors;
}

static int cmp_cases(const void *pa, const void *pb)
{
    const struct jcase *a = pa, *b = pb;

    if (a->offset != b->offset)
        return a->offset < b->offset ? -1 : 1;
    return 0;
}

static int cmp_suites(const void *pa, const void *pb)
{
    const struct jsuite *a = pa, *b = pb;
    int c;

    if ((a->file == SOURCE_NONE) != (b->file == SOURCE_NONE))
        return a->file == SOURCE_NONE ? 1 : -1;
    if ((c = strcmp(a->name, b->name)) != 0)
        return c;
    return a->file < b->file ? -1 : a->file > b->file;
}

/* The testcase of each diagnostic of one file: the last object that starts
 * at or before it, else the file's own.  The diagnostics come in position
 * order, the cases in offset order: one merge. */
static void place(struct arena *a, const struct diag_sink *s, struct jsuite *su,
                  const size_t *diags, size_t n)
{
    size_t *of = ARENA_NEW_ARRAY(a, size_t, n + 1);
    size_t i, k = 0;

    for (i = 0; i < n; i++) {
        const struct diag *d = s->v[diags[i]];
        while (k + 1 < su->n_cases && su->cases[k + 1].offset <= d->loc.offset)
            k++;
        of[i] = d->loc.line == 0 || !su->cases[k].named ? 0 : k;
        su->cases[of[i]].n_diags++;
    }
    for (k = 0; k < su->n_cases; k++) {
        su->cases[k].diags = ARENA_NEW_ARRAY(a, size_t, su->cases[k].n_diags + 1);
        su->cases[k].n_diags = 0;
    }
    for (i = 0; i < n; i++) {
        struct jcase *c = &su->cases[of[i]];
        c->diags[c->n_diags++] = diags[i];
    }
}

void diag_render_junit(const struct diag_sink *s, const struct source_table *t,
                       const struct diag_render_options *o, struct strbuf *out)
{
    struct arena *a = arena_create(1 << 16);
    size_t n_suites = t->n + 1, i;
    struct jsuite *suites = ARENA_NEW_ARRAY(a, struct jsuite, n_suites);
    size_t *n_diags = ARENA_NEW_ARRAY(a, size_t, n_suites);
    size_t **diags = ARENA_NEW_ARRAY(a, size_t *, n_suites);
    unsigned totals[3] = {0, 0, 0};
    struct strbuf body = STRBUF_INIT;

    /* Suite t->n holds what has no file. */
    for (i = 0; i < n_suites; i++) {
        suites[i].file = i < t->n ? (uint32_t)i : SOURCE_NONE;
        suites[i].name = i < t->n ? t->v[i]->name : "gwc";
        suites[i].n_cases = 1;
    }
    for (i = 0; i < o->n_subjects; i++)
        suites[o->subjects[i].file].n_cases++;
    for (i = 0; i < n_suites; i++) {
        suites[i].cases = ARENA_NEW_ARRAY(a, struct jcase, suites[i].n_cases);
        suites[i].cases[0].name = suites[i].name;
        suites[i].n_cases = 1;
    }
    for (i = 0; i < o->n_subjects; i++) {
        const struct diag_subject *sj = &o->subjects[i];
        struct jsuite *su = &suites[sj->file];
        struct jcase *c = &su->cases[su->n_cases++];
        c->name = sj->name;
        c->offset = sj->offset;
        c->named = sj->name != NULL;
    }
    for (i = 0; i < s->n; i++) {
        uint32_t f = s->v[i]->loc.file;
        n_diags[f == SOURCE_NONE ? t->n : f]++;
    }
    for (i = 0; i < n_suites; i++) {
        diags[i] = ARENA_NEW_ARRAY(a, size_t, n_diags[i] + 1);
        n_diags[i] = 0;
    }
    for (i = 0; i < s->n; i++) {
        uint32_t f = s->v[i]->loc.file == SOURCE_NONE ? (uint32_t)t->n : s->v[i]->loc.file;
        diags[f][n_diags[f]++] = i;
    }
    for (i = 0; i < n_suites; i++) {
        qsort(suites[i].cases + 1, suites[i].n_cases - 1, sizeof(struct jcase), cmp_cases);
        place(a, s, &suites[i], diags[i], n_diags[i]);
    }
    qsort(suites, n_suites, sizeof(*suites), cmp_suites);
    for (i = 0; i < n_suites; i++) {
        if (suites[i].file == SOURCE_NONE && suites[i].cases[0].n_diags == 0)
            continue;
        if (suites[i].file != SOURCE_NONE && t->v[suites[i].file]->context)
            continue; /* read to resolve references, not checked */
        write_suite(&body, s, t, o, &suites[i], totals);
    }
    strbuf_addstr(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites");
    xml_attr(out, "name", "gwc");
    strbuf_addf(out, " tests=\"%u\" failures=\"%u\" errors=\"%u\">\n", totals[0],
                totals[1], totals[2]);
    strbuf_add(out, body.buf, body.len);
    strbuf_addstr(out, "</testsuites>\n");
    strbuf_release(&body);
    arena_destroy(a);
}
