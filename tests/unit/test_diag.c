/* Unit tests: diagnostic ordering and rendering in every format. */
#include "unit.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/strbuf.h"

#include <string.h>

static void setup(struct compilation *c, uint32_t *fa, uint32_t *fb)
{
    static const char a[] = "kind: A\nspec:\n  port: 70000\n";
    static const char b[] = "x: 1\n";

    compilation_init(c);
    *fb = source_add(&c->sources, "b.yaml", b, strlen(b));
    *fa = source_add(&c->sources, "a.yaml", a, strlen(a));
}

static struct src_loc at(uint32_t file, uint32_t line, uint32_t col)
{
    struct src_loc l = {file, line, col, 0};
    return l;
}

START_TEST(sorted_by_file_line_column_then_order)
{
    struct compilation c;
    uint32_t fa, fb;

    setup(&c, &fa, &fb);
    diag_report(&c.diags, DIAG_VALUE_RANGE, at(fb, 1, 1), NULL, NULL, "b1");
    diag_report(&c.diags, DIAG_VALUE_RANGE, at(fa, 3, 9), NULL, NULL, "a3");
    diag_report(&c.diags, DIAG_VALUE_RANGE, at(fa, 1, 1), NULL, NULL, "a1");
    diag_report(&c.diags, DIAG_FILE_UNREADABLE, at(SOURCE_NONE, 0, 0), NULL, NULL, "none");
    diag_sort(&c.diags, &c.sources);
    ck_assert_str_eq(c.diags.v[0]->message, "none");
    ck_assert_str_eq(c.diags.v[1]->message, "a1");
    ck_assert_str_eq(c.diags.v[2]->message, "a3");
    ck_assert_str_eq(c.diags.v[3]->message, "b1");
    ck_assert_uint_eq(c.diags.errors, 4);
    compilation_release(&c);
}
END_TEST

START_TEST(text_is_gcc_style_with_caret)
{
    struct compilation c;
    struct strbuf out = STRBUF_INIT;
    struct diag_render_options ro = {DIAG_FORMAT_TEXT, false, true, "0"};
    uint32_t fa, fb;

    setup(&c, &fa, &fb);
    diag_report(&c.diags, DIAG_VALUE_RANGE, at(fa, 3, 9), "X a/b", "spec.port",
                "port must be 1-65535, got %d", 70000);
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_str_eq(out.buf,
                     "a.yaml:3:9: error: spec.port: port must be 1-65535, got 70000 [GW0301]\n"
                     "    3 |   port: 70000\n"
                     "      |         ^\n");
    strbuf_release(&out);
    compilation_release(&c);
}
END_TEST

START_TEST(notes_follow_their_diagnostic)
{
    struct compilation c;
    struct strbuf out = STRBUF_INIT;
    struct diag_render_options ro = {DIAG_FORMAT_TEXT, false, false, "0"};
    struct diag *d;
    uint32_t fa, fb;

    setup(&c, &fa, &fb);
    d = diag_report(&c.diags, DIAG_YAML_DUPLICATE_KEY, at(fa, 3, 3), NULL, NULL, "dup");
    diag_add_note(&c.diags, d, at(fa, 1, 1), "first here");
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_str_eq(out.buf, "a.yaml:3:3: error: dup [GW0105]\n"
                              "a.yaml:1:1: note: first here\n");
    strbuf_release(&out);
    compilation_release(&c);
}
END_TEST

START_TEST(color_only_when_asked)
{
    struct compilation c;
    struct strbuf out = STRBUF_INIT;
    struct diag_render_options ro = {DIAG_FORMAT_TEXT, true, false, "0"};
    uint32_t fa, fb;

    setup(&c, &fa, &fb);
    diag_report(&c.diags, DIAG_UNKNOWN_FIELD, at(fa, 1, 1), NULL, NULL, "w");
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_ptr_nonnull(strstr(out.buf, "\033[1;35mwarning"));
    strbuf_reset(&out);
    ro.color = false;
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_ptr_null(strchr(out.buf, '\033'));
    strbuf_release(&out);
    compilation_release(&c);
}
END_TEST

START_TEST(machine_formats)
{
    struct compilation c;
    struct strbuf out = STRBUF_INIT;
    struct diag_render_options ro = {DIAG_FORMAT_GITHUB, false, false, "0.1"};
    uint32_t fa, fb;

    setup(&c, &fa, &fb);
    diag_report(&c.diags, DIAG_VALUE_RANGE, at(fa, 3, 9), NULL, "spec.port",
                "bad: 100%% wrong\nreally");
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_str_eq(out.buf, "::error file=a.yaml,line=3,col=9,title=GW0301::"
                              "spec.port: bad: 100%25 wrong%0Areally\n");
    strbuf_reset(&out);
    ro.format = DIAG_FORMAT_SARIF;
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_ptr_nonnull(strstr(out.buf, "\"ruleId\": \"GW0301\""));
    ck_assert_ptr_nonnull(strstr(out.buf, "\"startLine\": 3"));
    ck_assert_ptr_nonnull(strstr(out.buf, "\"results\": ["));
    strbuf_reset(&out);
    ro.format = DIAG_FORMAT_JSON;
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_ptr_nonnull(strstr(out.buf, "\"path\": \"spec.port\""));
    ck_assert_ptr_nonnull(strstr(out.buf, "\"errors\": 1"));
    strbuf_release(&out);
    compilation_release(&c);
}
END_TEST

START_TEST(empty_sarif_still_has_results)
{
    struct compilation c;
    struct strbuf out = STRBUF_INIT;
    struct diag_render_options ro = {DIAG_FORMAT_SARIF, false, false, "0.1"};

    compilation_init(&c);
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_ptr_nonnull(strstr(out.buf, "\"results\": []"));
    strbuf_release(&out);
    compilation_release(&c);
}
END_TEST

START_TEST(catalogue_numbers_are_unique)
{
    size_t i, j;
    char a[8], b[8];

    for (i = 0; i < DIAG__COUNT; i++) {
        ck_assert_int_eq(diag_lookup(diag_code_name((enum diag_code)i, a)), (int)i);
        ck_assert_int_eq(diag_lookup(diag_info((enum diag_code)i)->slug), (int)i);
        for (j = i + 1; j < DIAG__COUNT; j++)
            ck_assert_str_ne(diag_code_name((enum diag_code)i, a),
                             diag_code_name((enum diag_code)j, b));
    }
}
END_TEST

static Suite *diag_suite(void)
{
    Suite *s = suite_create("diag");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, sorted_by_file_line_column_then_order);
    tcase_add_test(tc, text_is_gcc_style_with_caret);
    tcase_add_test(tc, notes_follow_their_diagnostic);
    tcase_add_test(tc, color_only_when_asked);
    tcase_add_test(tc, machine_formats);
    tcase_add_test(tc, empty_sarif_still_has_results);
    tcase_add_test(tc, catalogue_numbers_are_unique);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run(diag_suite());
}
