/* Unit tests: user regexes as data (nginx/regex.c). */
#include "unit.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include "base/strbuf.h"
#include "nginx/regex.h"

#include <pcre2.h>
#include <stdio.h>
#include <string.h>

/* pcre2_pattern_info() of a pattern compiled as nginx does. */
static uint32_t raw_info(const char *text, uint32_t what)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *re;
    uint32_t v = 0;

    re = pcre2_compile((PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED, 0, &code, &off, NULL);
    ck_assert_msg(re != NULL, "'%s' does not compile", text);
    pcre2_pattern_info(re, what, &v);
    pcre2_code_free(re);
    return v;
}

/* The same of ^(?:text)$, the form gwc writes. */
static uint32_t info(const char *text, uint32_t what)
{
    char wrapped[512];

    snprintf(wrapped, sizeof(wrapped), "^(?:%s)$", text);
    return raw_info(wrapped, what);
}

static void expect_body(const char *pattern, const char *body)
{
    struct strbuf sb = STRBUF_INIT;
    struct regex_error err;

    ck_assert_msg(nginx_regex_user(pattern, &sb, &err), "'%s' refused: %s", pattern,
                  err.message);
    ck_assert_str_eq(sb.buf, body);
    ck_assert_uint_eq(info(sb.buf, PCRE2_INFO_NAMECOUNT), 0);
    strbuf_release(&sb);
}

static void expect_refused(const char *pattern, size_t offset, const char *what)
{
    struct strbuf sb = STRBUF_INIT;
    struct regex_error err;

    ck_assert_msg(!nginx_regex_user(pattern, &sb, &err), "'%s' accepted as '%s'",
                  pattern, sb.buf);
    ck_assert_uint_eq(sb.len, 0);
    ck_assert_msg(err.refused, "'%s': %s", pattern, err.message);
    ck_assert_uint_eq(err.offset, offset);
    ck_assert_msg(strstr(err.message, what), "'%s': %s", pattern, err.message);
    strbuf_release(&sb);
}

static void expect_invalid(const char *pattern, size_t offset)
{
    struct regex_error err;

    ck_assert_msg(!nginx_regex_user(pattern, NULL, &err), "'%s' accepted", pattern);
    ck_assert_msg(!err.refused, "'%s': %s", pattern, err.message);
    ck_assert_uint_eq(err.offset, offset);
}

START_TEST(named_groups_become_plain_groups)
{
    expect_body("/x/(?<http_x_admin>.*)", "/x/(.*)");
    expect_body("(?'args'x)", "(x)");
    expect_body("(?P<host>.*)", "(.*)");
    expect_body("(?<a>x)(?<b>(?<c>y))z", "(x)((y))z");
    /* Numbered references keep pointing at the same groups. */
    expect_body("(?<a>x)\\1\\g{1}\\g{-1}\\g1(?1)(?-1)(?+1)(y)", "(x)\\1\\g{1}\\g{-1}\\g1(?1)(?-1)(?+1)(y)");
    expect_body("(?|(?<a>x)|(?<a>y))", "(?|(x)|(y))");
    expect_body("(?J)(?<a>x)|(?<a>y)", "(?J)(x)|(y)");
    expect_body("(?(DEFINE)(?<d>[0-9]))(?1)", "(?(DEFINE)([0-9]))(?1)");
}
END_TEST

START_TEST(other_groups_are_kept)
{
    expect_body("(?<=a)(?<!b)(?<*c)(?=d)(?!e)(?*f)(?:g)(?>h)(?i:j)(?|k)",
                "(?<=a)(?<!b)(?<*c)(?=d)(?!e)(?*f)(?:g)(?>h)(?i:j)(?|k)");
    expect_body("(*pla:(?<x>a))a", "(*pla:(a))a");
    expect_body("(*positive_lookbehind:a)(?<x>b)", "(*positive_lookbehind:a)(b)");
    expect_body("(?(1)a|b)(x)", "(?(1)a|b)(x)");
    expect_body("(x)(?(R)a|b)(?(R1)c)(?(+1)d)(y)", "(x)(?(R)a|b)(?(R1)c)(?(+1)d)(y)");
    expect_body("(?(?=a)(?<x>a)|b)", "(?(?=a)(a)|b)");
    expect_body("(?(VERSION>=10.0)a|b)", "(?(VERSION>=10.0)a|b)");
}
END_TEST

START_TEST(literal_text_is_not_a_group)
{
    /* In a class, "(?<x>" is five characters. */
    expect_body("[(?<x>a)]", "[(?<x>a)]");
    expect_body("[]a(?<x>](?<y>b)", "[]a(?<x>](b)");
    expect_body("[^](?<x>]", "[^](?<x>]");
    expect_body("[\\]](?<y>b)", "[\\]](b)");
    expect_body("[[:alpha:](?<x>](?<y>b)", "[[:alpha:](?<x>](b)");
    expect_body("[[:(?<x>]", "[[:(?<x>]");
    expect_body("[\\Q](?<x>\\E](?<y>b)", "[\\Q](?<x>\\E](b)");
    expect_body("[\\E](?<x>]", "[\\E](?<x>]");
    /* \cX takes X as it is: here the ']' that would close the class. */
    expect_body("[\\c]](?<x>a)", "[\\c]](a)");
    expect_body("\\c[(?<x>a)", "\\c[(a)");
    /* Quoted text, comments, verb names and callout strings. */
    expect_body("\\Q(?<x>\\E(?<y>b)", "\\Q(?<x>\\E(b)");
    expect_body("(?#(?<x>)(?<y>a)", "(?#(?<x>)(a)");
    expect_body("(*MARK:(?<x>)a(?<y>b)", "(*MARK:(?<x>)a(b)");
    expect_body("(?C\"(?<x>)\"\"y\")(?<y>a)", "(?C\"(?<x>)\"\"y\")(a)");
    expect_body("(?C{x}}y})(?<y>a)", "(?C{x}}y})(a)");
    expect_body("\\(?<x>a\\)", "\\(?<x>a\\)");
}
END_TEST

START_TEST(quoting_is_closed_before_the_wrapping)
{
    expect_body("a\\Q(?<x>", "a\\Q(?<x>\\E");
    expect_body("a\\Q", "a\\Q\\E");
}
END_TEST

START_TEST(extended_mode_comments_are_refused)
{
    expect_refused("(?x)a # c", 6, "comment");
    expect_refused("(?xx)a#", 6, "comment");
    expect_body("(?x)a\\#b(?<n>c)", "(?x)a\\#b(c)");
    expect_body("(?x)[#](?<n>c)", "(?x)[#](c)");
    expect_body("(?x:a)#b", "(?x:a)#b");
    expect_body("(?x)(?-x)#", "(?x)(?-x)#");
    expect_body("(?x)(?^)#", "(?x)(?^)#");
    expect_body("(?x)\\Q#\\E", "(?x)\\Q#\\E");
    expect_body("((?x)a)#", "((?x)a)#");
}
END_TEST

START_TEST(references_by_name_are_refused)
{
    expect_refused("(?<n>a)\\k<n>", 7, "by name");
    expect_refused("(?<n>a)\\k'n'", 7, "by name");
    expect_refused("(?<n>a)\\k{n}", 7, "by name");
    expect_refused("(?<n>a)\\g{n}", 7, "by name");
    expect_refused("(?<n>a)\\g<n>", 7, "by name");
    expect_refused("(?<n>a)\\g'n'", 7, "by name");
    expect_refused("(?P<n>a)(?P=n)", 8, "by name");
    expect_refused("(?P<n>a)(?P>n)", 8, "by name");
    expect_refused("(?<n>a)(?&n)", 7, "by name");
    expect_refused("(?<n>a)(?(<n>)a|b)", 7, "by name");
    expect_refused("(?<n>a)(?('n')a|b)", 7, "by name");
    expect_refused("(?<n>a)(?(n)a|b)", 7, "by name");
    expect_refused("(?<n>a)(?(R&n)a|b)", 7, "by name");
}
END_TEST

START_TEST(whole_pattern_recursion_is_refused)
{
    expect_refused("a(?R)?b", 1, "whole pattern");
    expect_refused("a(?0)?b", 1, "whole pattern");
    expect_refused("a\\g<0>?b", 1, "whole pattern");
    expect_refused("a\\g'0'?b", 1, "whole pattern");
    expect_body("(a(?1)?b)", "(a(?1)?b)");
}
END_TEST

START_TEST(no_auto_capture_keeps_numbering)
{
    /* Under (?n) only named groups capture: the rewritten group must too. */
    expect_body("(?n)(?<a>x)(y)\\1", "(?n)(?-n:((?n)x))(y)\\1");
    ck_assert_uint_eq(info("(?n)(?-n:((?n)x(z)))(y)\\1", PCRE2_INFO_CAPTURECOUNT), 1);
    expect_body("(?n:(?<a>x))(y)", "(?n:(?-n:((?n)x)))(y)");
    expect_body("(?n)(?-n)(?<a>x)", "(?n)(?-n)(x)");
}
END_TEST

START_TEST(invalid_patterns_point_at_the_error)
{
    expect_invalid("/café(?<n", 10); /* bytes, as PCRE2 counts */
    expect_invalid("/(api", 5);
    expect_invalid("(?<1a>x)", 3);
    /* Valid alone, not inside gwc's ^(?:...)$. */
    expect_invalid("(*UTF)a", 5);
}
END_TEST

/* Random patterns from the characters that matter: whatever is accepted
 * compiles without names and with the captures of the original. */
START_TEST(random_patterns_never_keep_a_name)
{
    static const char alphabet[] = "()?<>'P=&!:|*#[]^\\QEkgcxn-a1{}C\"R";
    unsigned seed = 12345;
    char pattern[24];
    int n, i, accepted = 0;

    for (n = 0; n < 50000; n++) {
        struct strbuf sb = STRBUF_INIT;
        struct regex_error err;
        int len = 1 + n % 20;

        for (i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            pattern[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
        }
        pattern[len] = '\0';
        if (nginx_regex_user(pattern, &sb, &err)) {
            accepted++;
            ck_assert_uint_eq(info(sb.buf, PCRE2_INFO_NAMECOUNT), 0);
            ck_assert_uint_eq(info(sb.buf, PCRE2_INFO_CAPTURECOUNT),
                              raw_info(pattern, PCRE2_INFO_CAPTURECOUNT));
        } else {
            ck_assert_uint_le(err.offset, strlen(pattern));
        }
        strbuf_release(&sb);
    }
    ck_assert_int_gt(accepted, 1000);
}
END_TEST

static Suite *regex_suite(void)
{
    Suite *s = suite_create("regex");
    TCase *tc = tcase_create("user patterns");

    tcase_add_test(tc, named_groups_become_plain_groups);
    tcase_add_test(tc, other_groups_are_kept);
    tcase_add_test(tc, literal_text_is_not_a_group);
    tcase_add_test(tc, quoting_is_closed_before_the_wrapping);
    tcase_add_test(tc, extended_mode_comments_are_refused);
    tcase_add_test(tc, references_by_name_are_refused);
    tcase_add_test(tc, whole_pattern_recursion_is_refused);
    tcase_add_test(tc, no_auto_capture_keeps_numbering);
    tcase_add_test(tc, invalid_patterns_point_at_the_error);
    tcase_add_test(tc, random_patterns_never_keep_a_name);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run(regex_suite());
}
