/* Unit tests: diagnostic ordering and rendering in every format. */
#include "unit.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/escape.h"
#include "base/strbuf.h"
#include "base/utf8.h"

#include <stdio.h>
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

/* On a long line the quote is a window around the caret, so a thousand
 * diagnostics on one minified 100 KB line print a thousand short quotes,
 * not 100 MB. */
START_TEST(long_lines_are_quoted_around_the_caret)
{
    enum { KEYS = 10000, EVERY = 10, BYTES_PER_DIAG = 512 };
    struct compilation c;
    struct strbuf text = STRBUF_INIT, out = STRBUF_INIT;
    struct diag_render_options ro = {DIAG_FORMAT_TEXT, false, true, "0"};
    const char *quote, *caret_line;
    size_t i;
    uint32_t f;

    for (i = 0; i < KEYS; i++)
        strbuf_addf(&text, "%s\"k%05zu\u00e9\": 1", i ? ", " : "{", i);
    strbuf_addstr(&text, "}\n");
    compilation_init(&c);
    f = source_add(&c.sources, "min.json", text.buf, text.len);
    for (i = 0; i < KEYS; i += EVERY) {
        char key[16];
        snprintf(key, sizeof(key), "\"k%05zu", i);
        diag_report(&c.diags, DIAG_UNKNOWN_FIELD,
                    source_loc_from_offset(&c.sources, f,
                                           (size_t)(strstr(text.buf, key) - text.buf)),
                    NULL, NULL, "unknown field");
    }
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_uint_le(out.len, KEYS / EVERY * BYTES_PER_DIAG);
    /* The first key is near the start: no cut on the left, 60 characters
     * of context on the right. */
    quote = strstr(out.buf, "    1 | ");
    ck_assert(strncmp(quote + 8, "{\"k00000\u00e9\": 1, \"k00001",
                      strlen("{\"k00000\u00e9\": 1, \"k00001")) == 0);
    /* The second is cut on both sides, with its caret under the key's
     * opening quote, 60 characters (not bytes) after the cut. */
    quote = strstr(quote + 8, "    1 | ...");
    ck_assert_ptr_nonnull(quote);
    caret_line = strchr(quote, '\n') + 1;
    ck_assert_int_eq(caret_line[8 + 63], '^');
    ck_assert_int_eq(quote[8 + utf8_advance(quote + 8, 400, 63)], '"');
    ck_assert(strncmp(caret_line - 4, "...\n", 4) == 0);
    compilation_release(&c);
    strbuf_release(&text);
    strbuf_release(&out);
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
    diag_report(&c.diags, DIAG_NGINX_APPROXIMATED, at(fa, 1, 1), NULL, NULL, "w");
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
                              "spec.port: bad: 100%25 wrong\\nreally\n");
    strbuf_reset(&out);
    ro.format = DIAG_FORMAT_SARIF;
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_ptr_nonnull(strstr(out.buf, "\"ruleId\": \"GW0301\""));
    ck_assert_ptr_nonnull(strstr(out.buf, "\"results\": ["));
    /* Without artifacts, a file is named as it was given. */
    ck_assert_ptr_nonnull(strstr(out.buf, "\"uri\": \"a.yaml\""));
    ck_assert_ptr_null(strstr(out.buf, "uriBaseId"));
    {
        struct diag_artifact files[2] = {{NULL, false}, {NULL, false}};
        files[fa].uri = "a.yaml";
        files[fa].relative = true;
        ro.artifacts = files;
        ro.root_uri = "file:///repo/";
        strbuf_reset(&out);
        diag_render(&c.diags, &c.sources, &ro, &out);
        ck_assert_ptr_nonnull(strstr(out.buf, "\"startLine\": 3"));
        ck_assert_ptr_nonnull(strstr(out.buf, "\"uriBaseId\": \"%SRCROOT%\""));
        ck_assert_ptr_nonnull(strstr(out.buf, "\"uri\": \"file:///repo/\""));
        ro.artifacts = NULL;
        ro.root_uri = NULL;
    }
    strbuf_reset(&out);
    ro.format = DIAG_FORMAT_JSON;
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_ptr_nonnull(strstr(out.buf, "\"path\": \"spec.port\""));
    ck_assert_ptr_nonnull(strstr(out.buf, "\"errors\": 1"));
    strbuf_release(&out);
    compilation_release(&c);
}
END_TEST

/* The one rendering of user text: printable text as itself, everything
 * else as a YAML double-quoted escape. */
START_TEST(user_text_is_shown_escaped)
{
    static const struct {
        const char *in;
        size_t len;
        const char *want;
    } cases[] = {
#define CASE(in, want) {in, sizeof(in) - 1, want}
        CASE("plain /a-b_c.d~e ok", "plain /a-b_c.d~e ok"),
        CASE("caf\xc3\xa9 \xe2\x82\xac \xe6\x97\xa5 \xf0\x9f\x98\x80",
             "caf\xc3\xa9 \xe2\x82\xac \xe6\x97\xa5 \xf0\x9f\x98\x80"),
        CASE("/a\nb", "/a\\nb"),
        CASE("a\r\nb\tc", "a\\r\\nb\\tc"),
        CASE("a\0b", "a\\0b"),
        CASE("\x1b[31mred\x07\x7f", "\\x1b[31mred\\x07\\x7f"),
        CASE("back\\slash \\n", "back\\\\slash \\\\n"),
        CASE("nel\xc2\x85 c1\xc2\x9b nbsp\xc2\xa0 shy\xc2\xad",
             "nel\\u0085 c1\\u009b nbsp\\u00a0 shy\\u00ad"),
        CASE("\xe2\x80\xae" "evil\xe2\x80\xac \xe2\x81\xa6x\xe2\x81\xa9 \xd8\x9c \xe2\x80\x8e\xe2\x80\x8f",
             "\\u202eevil\\u202c \\u2066x\\u2069 \\u061c \\u200e\\u200f"),
        CASE("z\xe2\x80\x8bw\xe2\x80\x8dj \xef\xbb\xbf \xe2\x80\xa8\xe2\x80\xa9 \xe3\x80\x80",
             "z\\u200bw\\u200dj \\ufeff \\u2028\\u2029 \\u3000"),
        CASE("tag\xf3\xa0\x81\x81 pua\xee\x80\x80 non\xef\xbf\xbe\xf0\x9f\xbf\xbf",
             "tag\\U000e0041 pua\\ue000 non\\ufffe\\U0001ffff"),
        CASE("bad\xff \xc0\xaf \xed\xa0\x80 \xe2\x80", "bad\\xff \\xc0\\xaf \\xed\\xa0\\x80 \\xe2\\x80"),
        CASE("##[error]x ### #", "#\\x23[error]x #\\x23# #"),
#undef CASE
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cases); i++) {
        struct strbuf out = STRBUF_INIT;
        escape_text(&out, cases[i].in, cases[i].len);
        ck_assert_str_eq(out.buf, cases[i].want);
        strbuf_release(&out);
    }
}
END_TEST

/* A message, its object, its field path and its note can quote anything;
 * each diagnostic stays one line. */
START_TEST(messages_are_one_line)
{
    struct compilation c;
    struct strbuf out = STRBUF_INIT;
    struct diag_render_options ro = {DIAG_FORMAT_TEXT, false, false, "0"};
    struct diag *d;
    uint32_t fa, fb;

    setup(&c, &fa, &fb);
    d = diag_report(&c.diags, DIAG_VALUE_RANGE, at(fa, 3, 9), "X a\nb",
                    "spec[\"k\x1b\"]", "path '%s' is bad", "/a\nb.yaml:1:1: error: forged");
    diag_add_note(&c.diags, d, at(fa, 1, 1), "see '%s'", "\r\xe2\x80\xae");
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_str_eq(out.buf,
                     "a.yaml:3:9: error: spec[\"k\\x1b\"]: path '/a\\nb.yaml:1:1: error: "
                     "forged' is bad [GW0301]\n"
                     "a.yaml:1:1: note: see '\\r\\u202e'\n");
    ck_assert_str_eq(c.diags.v[0]->object, "X a\\nb");
    strbuf_release(&out);
    compilation_release(&c);
}
END_TEST

/* The quoted source line is user bytes too (even those the loader refused,
 * since the refusal is quoted): escaped, with the caret under the escape of
 * the character at the column. */
START_TEST(source_quote_is_escaped)
{
    static const char text[] = "a\x1b\xe2\x80\xae\tb: \xc3\xa9\0x\n";
    struct compilation c;
    struct strbuf out = STRBUF_INIT;
    struct diag_render_options ro = {DIAG_FORMAT_TEXT, false, true, "0"};
    uint32_t f;

    compilation_init(&c);
    f = source_add(&c.sources, "s.yaml", text, sizeof(text) - 1);
    diag_report(&c.diags, DIAG_CONTROL_CHARACTER, at(f, 1, 5), NULL, NULL, "b");
    diag_report(&c.diags, DIAG_CONTROL_CHARACTER, at(f, 1, 9), NULL, NULL, "nul");
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_str_eq(out.buf,
                     "s.yaml:1:5: error: b [GW0107]\n"
                     "    1 | a\\x1b\\u202e\\tb: \xc3\xa9\\0x\n"
                     "      |              ^\n"
                     "s.yaml:1:9: error: nul [GW0107]\n"
                     "    1 | a\\x1b\\u202e\\tb: \xc3\xa9\\0x\n"
                     "      |                  ^\n");
    strbuf_release(&out);
    compilation_release(&c);
}
END_TEST

/* File names come from the command line and from directory listings. */
START_TEST(file_names_are_shown_escaped)
{
    struct compilation c;
    struct strbuf out = STRBUF_INIT;
    struct diag_render_options ro = {DIAG_FORMAT_TEXT, false, false, "0"};
    uint32_t f1, f2, f3;

    compilation_init(&c);
    f1 = source_add(&c.sources, "a\nb.yaml", "", 0);
    f2 = source_add(&c.sources, "::error::x,y%.yaml", "", 0);
    f3 = source_add(&c.sources, "d/a b\xff\xe2\x80\xae.yaml", "", 0);
    diag_report(&c.diags, DIAG_NGINX_APPROXIMATED, at(f1, 0, 0), NULL, NULL, "m1");
    diag_report(&c.diags, DIAG_NGINX_APPROXIMATED, at(f2, 0, 0), NULL, NULL, "m2");
    diag_report(&c.diags, DIAG_NGINX_APPROXIMATED, at(f3, 0, 0), NULL, NULL, "m3");
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_str_eq(out.buf, "a\\nb.yaml: warning: m1 [GW0703]\n"
                              "./::error::x,y%.yaml: warning: m2 [GW0703]\n"
                              "d/a b\\xff\\u202e.yaml: warning: m3 [GW0703]\n");
    strbuf_reset(&out);
    ro.format = DIAG_FORMAT_GITHUB;
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_str_eq(out.buf,
                     "::warning file=a\\nb.yaml,title=GW0703::m1\n"
                     "::warning file=%3A%3Aerror%3A%3Ax%2Cy%25.yaml,title=GW0703::m2\n"
                     "::warning file=d/a b\\xff\\u202e.yaml,title=GW0703::m3\n");
    strbuf_reset(&out);
    ro.format = DIAG_FORMAT_SARIF;
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_ptr_nonnull(strstr(out.buf, "\"uri\": \"a%0Ab.yaml\""));
    ck_assert_ptr_nonnull(strstr(out.buf, "\"uri\": \"d/a%20b%FF%E2%80%AE.yaml\""));
    strbuf_reset(&out);
    ro.format = DIAG_FORMAT_JSON;
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_ptr_nonnull(strstr(out.buf, "\"file\": \"a\\\\nb.yaml\""));
    ck_assert_ptr_nonnull(strstr(out.buf, "\"file\": \"d/a b\\\\xff\\\\u202e.yaml\""));
    strbuf_release(&out);
    compilation_release(&c);
}
END_TEST

/* A diagnostic belongs to the last object starting at or before it; one
 * in a mapping that is no object, or before every object, to the file. */
START_TEST(junit_testcases_per_object)
{
    struct compilation c;
    struct strbuf out = STRBUF_INIT;
    struct diag_render_options ro = {0};
    struct diag_subject subjects[3];
    uint32_t fa, fb;

    setup(&c, &fa, &fb);
    subjects[0].file = fa, subjects[0].offset = 0, subjects[0].name = "A one";
    subjects[1].file = fa, subjects[1].offset = 8, subjects[1].name = NULL;
    subjects[2].file = fb, subjects[2].offset = 0, subjects[2].name = "B two";
    diag_report(&c.diags, DIAG_VALUE_RANGE, source_loc_from_offset(&c.sources, fa, 2),
                NULL, NULL, "in one");
    diag_report(&c.diags, DIAG_VALUE_RANGE, source_loc_from_offset(&c.sources, fa, 20),
                NULL, NULL, "after one");
    diag_report(&c.diags, DIAG_ENDPOINT_PORT_UNUSABLE, source_loc_from_offset(&c.sources, fb, 1),
                NULL, NULL, "a warning");
    ro.format = DIAG_FORMAT_JUNIT;
    ro.subjects = subjects;
    ro.n_subjects = 3;
    diag_sort(&c.diags, &c.sources);
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_ptr_nonnull(strstr(out.buf, "<testcase name=\"a.yaml\" classname=\"a.yaml\">\n"
                                          "      <failure message=\"after one\""));
    ck_assert_ptr_nonnull(strstr(out.buf, "<testcase name=\"A one\" classname=\"a.yaml\">\n"
                                          "      <failure message=\"in one\""));
    ck_assert_ptr_nonnull(strstr(out.buf, "<testcase name=\"B two\" classname=\"b.yaml\">\n"
                                          "      <system-out>b.yaml:1:2: warning: a warning"));
    ck_assert_ptr_nonnull(strstr(out.buf, "<testsuites name=\"gwc\" tests=\"3\" "
                                          "failures=\"2\" errors=\"0\">"));
    /* With --fail-on=warning a warning fails its testcase. */
    ro.warnings_fail = true;
    strbuf_reset(&out);
    diag_render(&c.diags, &c.sources, &ro, &out);
    ck_assert_ptr_nonnull(strstr(out.buf, "failures=\"3\""));
    strbuf_release(&out);
    compilation_release(&c);
}
END_TEST

/* What may be silenced follows the class; an error that makes the output
 * invalid is kept whatever its code. */
START_TEST(silencing_follows_the_catalogue)
{
    struct compilation c;
    struct diag *d;

    ck_assert(!diag_can_disable(DIAG_FILE_UNREADABLE));
    ck_assert(!diag_can_disable(DIAG_SETTINGS_INVALID));
    ck_assert(!diag_can_disable(DIAG_TYPE_MISMATCH));
    ck_assert(diag_can_disable(DIAG_UNKNOWN_KIND));
    ck_assert(diag_can_disable(DIAG_REF_ASSUMED));
    ck_assert(diag_can_disable(DIAG_NGINX_APPROXIMATED));
    ck_assert(diag_can_disable(DIAG_IMPORT_SNIPPET));
    /* An unknown field is an error unless --allow-unknown-fields. */
    ck_assert(!diag_can_disable(DIAG_UNKNOWN_FIELD));
    compilation_init(&c);
    d = diag_report_sev(&c.diags, DIAG_ERROR, DIAG_UNKNOWN_KIND, at(SOURCE_NONE, 0, 0),
                        NULL, NULL, "raised");
    ck_assert(diag_can_disable(DIAG_UNKNOWN_KIND));
    ck_assert(!diag_can_silence(d));
    d = diag_report(&c.diags, DIAG_UNKNOWN_KIND, at(SOURCE_NONE, 0, 0), NULL, NULL, "note");
    ck_assert(diag_can_silence(d));
    compilation_release(&c);
}
END_TEST

static bool keep_errors(const struct diag *d, void *ctx)
{
    (void)ctx;
    return d->severity == DIAG_ERROR;
}

START_TEST(filter_recounts)
{
    struct compilation c;

    compilation_init(&c);
    diag_report(&c.diags, DIAG_ENDPOINT_PORT_UNUSABLE, at(SOURCE_NONE, 0, 0), NULL, NULL, "w");
    diag_report(&c.diags, DIAG_PARENT_NOT_FOUND, at(SOURCE_NONE, 0, 0), NULL, NULL, "e");
    diag_report(&c.diags, DIAG_YAML_SYNTAX, at(SOURCE_NONE, 0, 0), NULL, NULL, "e");
    ck_assert_uint_eq(c.diags.warnings, 1);
    diag_filter(&c.diags, keep_errors, NULL);
    ck_assert_uint_eq(c.diags.n, 2);
    ck_assert_uint_eq(c.diags.errors, 2);
    ck_assert_uint_eq(c.diags.warnings, 0);
    ck_assert(diag_has_class_error(&c.diags, DCLASS_MANIFEST));
    ck_assert(diag_has_class_error(&c.diags, DCLASS_FINDING));
    compilation_release(&c);
}
END_TEST

START_TEST(every_code_is_explained)
{
    size_t i;

    for (i = 0; i < DIAG__COUNT; i++) {
        const struct diag_explanation *e = diag_explain((enum diag_code)i);
        char name[8];
        diag_code_name((enum diag_code)i, name);
        ck_assert_msg(e->meaning && *e->meaning, "%s has no meaning", name);
        ck_assert_msg(e->example && *e->example, "%s has no example", name);
        ck_assert_msg(e->fix && *e->fix, "%s has no fix", name);
    }
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
    tcase_add_test(tc, long_lines_are_quoted_around_the_caret);
    tcase_add_test(tc, notes_follow_their_diagnostic);
    tcase_add_test(tc, color_only_when_asked);
    tcase_add_test(tc, machine_formats);
    tcase_add_test(tc, user_text_is_shown_escaped);
    tcase_add_test(tc, messages_are_one_line);
    tcase_add_test(tc, source_quote_is_escaped);
    tcase_add_test(tc, file_names_are_shown_escaped);
    tcase_add_test(tc, empty_sarif_still_has_results);
    tcase_add_test(tc, junit_testcases_per_object);
    tcase_add_test(tc, silencing_follows_the_catalogue);
    tcase_add_test(tc, filter_recounts);
    tcase_add_test(tc, every_code_is_explained);
    tcase_add_test(tc, catalogue_numbers_are_unique);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run(diag_suite());
}
