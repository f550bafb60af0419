/*
 * Unit tests: compiler/nginx/quote.c, checked by reading every result back
 * as nginx does.  conf_word() below follows ngx_conf_read_token() (nginx
 * 1.22, src/core/ngx_conf_file.c), including its 4096-byte read buffer, and
 * expand() follows ngx_http_script_compile()'s variable syntax; patterns are
 * run with PCRE2.
 */
#include "unit.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include "base/array.h"
#include "base/strbuf.h"
#include "nginx/quote.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONF_BUFFER 4096 /* NGX_CONF_BUFFER */

static const enum quote_ctx contexts[] = {QUOTE_LITERAL, QUOTE_VALUE, QUOTE_REGEX};

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* nginx's unescaping of a finished word: \" \' \\ \t \r \n. */
static void unescape(const char *s, size_t n, struct strbuf *out)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && strchr("\"'\\trn", s[i + 1])) {
            char c = s[++i];
            strbuf_addch(out, c == 't' ? '\t' : c == 'r' ? '\r' : c == 'n' ? '\n' : c);
        } else {
            strbuf_addch(out, s[i]);
        }
    }
}

/*
 * The words of the first directive of text (len bytes), as the first call
 * of ngx_conf_read_token() returns them; false where nginx reports an
 * error.  The read buffer is simulated: nginx reads CONF_BUFFER bytes, and
 * when a word in progress reaches the end of what was read it moves the
 * word to the buffer's start and reads on, failing with "too long
 * parameter" when the word already fills the buffer.
 */
static bool conf_words(const char *text, size_t len, struct strbuf *words, size_t *n_words)
{
    size_t pos = 0, start = 0, buf_end = len < CONF_BUFFER ? len : CONF_BUFFER;
    bool last_space = true, need_space = false, quoted = false, comment = false;
    bool d_quoted = false, s_quoted = false, variable = false;

    *n_words = 0;
    for (;;) {
        unsigned char ch;
        bool found = false;

        if (pos >= buf_end) {
            if (pos >= len || pos - start == CONF_BUFFER)
                return false; /* end of file in a directive; too long parameter */
            buf_end = start + CONF_BUFFER < len ? start + CONF_BUFFER : len;
        }
        ch = (unsigned char)text[pos++];
        if (ch == '\n')
            comment = false;
        if (comment)
            continue;
        if (quoted) {
            quoted = false;
            continue;
        }
        if (need_space) {
            if (is_space(ch)) {
                last_space = true;
                need_space = false;
                continue;
            }
            if (ch == ';' || ch == '{')
                return true;
            if (ch != ')')
                return false;
            last_space = true;
            need_space = false;
        }
        if (last_space) {
            start = pos - 1;
            if (is_space(ch))
                continue;
            if (ch == ';' || ch == '{')
                return *n_words > 0;
            if (ch == '}')
                return false;
            if (ch == '#') {
                comment = true;
                continue;
            }
            last_space = false;
            quoted = ch == '\\';
            d_quoted = ch == '"';
            s_quoted = ch == '\'';
            variable = ch == '$';
            if (d_quoted || s_quoted)
                start++;
            continue;
        }
        if (ch == '{' && variable)
            continue;
        variable = false;
        if (ch == '\\') {
            quoted = true;
            continue;
        }
        if (ch == '$') {
            variable = true;
            continue;
        }
        if (d_quoted) {
            if (ch == '"')
                d_quoted = false, need_space = found = true;
        } else if (s_quoted) {
            if (ch == '\'')
                s_quoted = false, need_space = found = true;
        } else if (is_space(ch) || ch == ';' || ch == '{') {
            last_space = found = true;
        }
        if (found) {
            unescape(text + start, pos - 1 - start, &words[(*n_words)++]);
            if (ch == ';' || ch == '{')
                return true;
        }
    }
}

/* The one argument of "d <token>;" placed `pad` bytes into the file. */
static bool read_back(const char *token, size_t pad, struct strbuf *word)
{
    struct strbuf text = STRBUF_INIT, words[3] = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT};
    size_t n, i;
    bool ok;

    strbuf_addchars(&text, ' ', pad);
    strbuf_addf(&text, "d %s;\nnext;\n", token);
    ok = conf_words(text.buf, text.len, words, &n) && n == 2 &&
         strcmp(words[0].buf, "d") == 0;
    if (ok)
        strbuf_add(word, words[1].buf, words[1].len);
    for (i = 0; i < 3; i++)
        strbuf_release(&words[i]);
    strbuf_release(&text);
    return ok;
}

/* A value as nginx's script engine expands it, $gw_dollar being "$";
 * false for any other variable or for what nginx refuses as one. */
static bool expand(const char *s, struct strbuf *out)
{
    const char *dollar = "${" QUOTE_DOLLAR_VARIABLE "}";

    while (*s) {
        if (*s != '$') {
            strbuf_addch(out, *s++);
        } else if (strncmp(s, dollar, strlen(dollar)) == 0) {
            strbuf_addch(out, '$');
            s += strlen(dollar);
        } else {
            return false;
        }
    }
    return true;
}

/* What nginx makes of s quoted in ctx; false when it reads something else
 * or cannot read it. */
static bool round_trip(const char *s, enum quote_ctx ctx, size_t pad)
{
    struct strbuf token = STRBUF_INIT, word = STRBUF_INIT, value = STRBUF_INIT;
    bool ok;

    nginx_quote_token(&token, s, ctx);
    ok = read_back(token.buf, pad, &word);
    if (ok && ctx == QUOTE_VALUE)
        ok = expand(word.buf, &value) && strcmp(value.buf, s) == 0;
    else if (ok)
        ok = strcmp(word.buf, s) == 0 && word.len == strlen(s);
    strbuf_release(&token);
    strbuf_release(&word);
    strbuf_release(&value);
    return ok;
}

START_TEST(every_byte_reads_back_or_is_refused)
{
    unsigned b;
    size_t c;

    for (c = 0; c < ARRAY_SIZE(contexts); c++) {
        for (b = 1; b < 256; b++) {
            char alone[2] = {(char)b, 0}, inside[4] = {'a', (char)b, 'b', 0};
            bool control = (b < 0x20 && b != '\t') || b == 0x7f;

            ck_assert_msg((nginx_quote_problem(alone, contexts[c]) != NULL) ==
                              control,
                          "byte 0x%02x in context %zu", b, c);
            ck_assert((nginx_quote_problem(inside, contexts[c]) != NULL) ==
                      control);
            if (control)
                continue;
            ck_assert_msg(round_trip(alone, contexts[c], 0), "byte 0x%02x, context %zu", b, c);
            ck_assert_msg(round_trip(inside, contexts[c], 0), "byte 0x%02x, context %zu", b, c);
        }
    }
}
END_TEST

START_TEST(nginx_syntax_is_inert)
{
    static const char *const hostile[] = {
        "", "$", "${", "${host}", "$host", "$1", "$$", "{", "}", "{}", ";", "\"", "'",
        "\\", "\\\\", "\\\"", "\\'", "\\t", "\\n", "#", "# comment", "a b", " ", "\t",
        "\"; return 200 x; #", "'; } server { listen 1; } #", "${" QUOTE_DOLLAR_VARIABLE "}",
        "ends with \\", ")", "(", "\"\"", "é", "\xff\xfe",
    };
    size_t i, c;

    for (c = 0; c < ARRAY_SIZE(contexts); c++) {
        for (i = 0; i < ARRAY_SIZE(hostile); i++) {
            ck_assert_ptr_null(nginx_quote_problem(hostile[i], contexts[c]));
            ck_assert_msg(round_trip(hostile[i], contexts[c], 0), "'%s' in context %zu",
                          hostile[i], c);
        }
    }
}
END_TEST

/* n copies of fill, in s. */
static const char *repeat(struct strbuf *s, char fill, size_t n)
{
    strbuf_reset(s);
    strbuf_addchars(s, fill, n);
    return s->buf;
}

/* The longest word nginx_quote_problem() lets through reads back wherever the
 * 4096-byte read buffer cuts the file (the word starting before the first
 * cut, at it, or after it); one byte more is refused. */
static void check_longest(char fill, enum quote_ctx ctx)
{
    static const size_t pads[] = {0, 1, 2, 3, 7, 1000, 4088, 4089, 4090, 4091, 4092,
                                  4093, 4094, 4095, 4096, 4097, 6000};
    struct strbuf s = STRBUF_INIT;
    size_t lo = 0, hi = 2 * CONF_BUFFER, i;

    ck_assert_ptr_nonnull(nginx_quote_problem(repeat(&s, fill, hi), ctx));
    while (hi - lo > 1) { /* nginx_quote_problem() is NULL at lo, not at hi */
        size_t mid = lo + (hi - lo) / 2;
        if (nginx_quote_problem(repeat(&s, fill, mid), ctx))
            hi = mid;
        else
            lo = mid;
    }
    ck_assert_ptr_nonnull(
        strstr(nginx_quote_problem(repeat(&s, fill, hi), ctx), "longer"));
    ck_assert_uint_gt(lo, 0);
    repeat(&s, fill, lo);
    for (i = 0; i < ARRAY_SIZE(pads); i++)
        ck_assert_msg(round_trip(s.buf, ctx, pads[i]), "%zu x '%c' at offset %zu", lo,
                      fill, pads[i]);
    strbuf_release(&s);
}

START_TEST(longest_words_fit_nginx_buffer)
{
    size_t c;

    for (c = 0; c < ARRAY_SIZE(contexts); c++) {
        check_longest('a', contexts[c]);
        check_longest('"', contexts[c]);
        check_longest('$', contexts[c]);
    }
    /* The limit is nginx's: a word of 4,096 bytes is too long to read. */
    {
        struct strbuf w = STRBUF_INIT, word = STRBUF_INIT;
        strbuf_addchars(&w, 'a', CONF_BUFFER);
        ck_assert(!read_back(w.buf, 0, &word));
        strbuf_release(&w);
        strbuf_release(&word);
    }
}
END_TEST

START_TEST(parts_join_into_one_word)
{
    struct strbuf token = STRBUF_INIT, word = STRBUF_INIT, value = STRBUF_INIT;

    strbuf_addch(&token, '"');
    nginx_quote_part(&token, "a\"$", QUOTE_VALUE);
    nginx_quote_variable(&token, QUOTE_DOLLAR_VARIABLE);
    nginx_quote_part(&token, "; b", QUOTE_VALUE);
    strbuf_addch(&token, '"');
    ck_assert(read_back(token.buf, 0, &word));
    ck_assert(expand(word.buf, &value));
    ck_assert_str_eq(value.buf, "a\"$$; b");
    strbuf_release(&token);
    strbuf_release(&word);
    strbuf_release(&value);
}
END_TEST

/* ngx_http_map(): "default" and "include" are keywords, a leading '~' makes
 * a regex and one leading '\' is dropped. */
static void map_key_reads_back(const char *key)
{
    struct strbuf token = STRBUF_INIT, word = STRBUF_INIT;
    const char *k;

    nginx_quote_map_key(&token, key);
    ck_assert(read_back(token.buf, 0, &word));
    k = word.buf;
    ck_assert_msg(strcmp(k, "default") != 0 && strcmp(k, "include") != 0 && k[0] != '~',
                  "key '%s' read as the keyword or regex '%s'", key, k);
    if (k[0] == '\\')
        k++;
    ck_assert_str_eq(k, key);
    strbuf_release(&token);
    strbuf_release(&word);
}

START_TEST(map_keys_are_never_keywords)
{
    static const char *const keys[] = {
        "default", "include", "~", "~x", "~*x", "\\", "\\x", "\\\\", "hostnames",
        "volatile", "x", "\"", "a b", "$host", "",
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(keys); i++)
        map_key_reads_back(keys[i]);
}
END_TEST

/* Every byte, escaped, matches itself and only itself. */
START_TEST(regex_literals_match_themselves)
{
    unsigned b;

    for (b = 1; b < 256; b++) {
        char lit[4] = {'x', (char)b, 'y', 0}, other[4] = {'x', (char)(b == 'z' ? 'w' : 'z'), 'y', 0};
        struct strbuf re = STRBUF_INIT;
        pcre2_code *code;
        pcre2_match_data *md;
        int err;
        PCRE2_SIZE off;

        strbuf_addch(&re, '^');
        nginx_quote_regex_literal(&re, lit);
        strbuf_addch(&re, '$');
        code = pcre2_compile((PCRE2_SPTR)re.buf, re.len, 0, &err, &off, NULL);
        ck_assert_msg(code != NULL, "byte 0x%02x: '%s' does not compile", b, re.buf);
        md = pcre2_match_data_create_from_pattern(code, NULL);
        ck_assert_msg(pcre2_match(code, (PCRE2_SPTR)lit, 3, 0, 0, md, NULL) >= 0,
                      "byte 0x%02x: '%s'", b, re.buf);
        ck_assert_msg(pcre2_match(code, (PCRE2_SPTR)other, 3, 0, 0, md, NULL) < 0,
                      "byte 0x%02x: '%s' matches '%s'", b, re.buf, other);
        pcre2_match_data_free(md);
        pcre2_code_free(code);
        strbuf_release(&re);
    }
}
END_TEST

/* Hostile literals inside patterns as gwc and its importers build them:
 * each matches exactly itself, in nginx's mode (no UTF) and in the modes a
 * user's or an importer's pattern may switch on around it, and reads back
 * from its nginx token unchanged. */
static const char *const regex_hostile[] = {
    "\\", "^", "$", ".", "[", "]", "|", "(", ")", "?", "*", "+", "{", "}", "-", "/",
    "#", " ", "\t", "\\^$.[]|()?*+{}", "a.b", "a|b", "(?i)", "(?x)", "(?#c)", "[^a]",
    "\\Q", "\\E", "\\Qa.b\\E", "a\\E.b", "\\Q.*", ".*\\E", "\\\\Q", "\\x41", "\\1", "\\d",
    "\\p{L}", "\\N{U+0041}", "{1}", "a{2}", "{1,3}", "x{", "${host}", "$1", "{}", "a{,}",
    "\x01", "\x1f", "\x7f", "a\nb", "a\rb", "\x0b\x0c", "# not a comment", "a #b",
    "é", "日本", "\xf0\x9f\x98\x80", "\xff\xfe", "\xc3", "caf\xc3\xa9.*", "\xc2\x85", "a\xe2\x80\xa8\x62" /* a U+2028 b */, "\x85",
    "/a;return 200 pwned;", "/a\" ; return 200 \"x", "'; } server { listen 1; } #",
};

/* Does prefix + quote(s) + "$", anchored, match subject?  Compiled as
 * nginx compiles (no UTF mode: UTF-8 text is bytes). */
static bool quoted_matches(const char *prefix, const char *s, const char *subject,
                           size_t n)
{
    struct strbuf re = STRBUF_INIT;
    pcre2_code *code;
    pcre2_match_data *md;
    int err, rc;
    PCRE2_SIZE off;

    strbuf_addf(&re, "%s^", prefix);
    nginx_quote_regex_literal(&re, s);
    strbuf_addch(&re, '$');
    code = pcre2_compile((PCRE2_SPTR)re.buf, re.len, 0, &err, &off, NULL);
    ck_assert_msg(code != NULL, "'%s' does not compile (error %d at %zu)", re.buf, err,
                  (size_t)off);
    md = pcre2_match_data_create_from_pattern(code, NULL);
    rc = pcre2_match(code, (PCRE2_SPTR)subject, n, 0, 0, md, NULL);
    pcre2_match_data_free(md);
    pcre2_code_free(code);
    strbuf_release(&re);
    return rc >= 0;
}

START_TEST(regex_literals_are_exact)
{
    static const char *const modes[] = {"", "(?x)", "(?s)", "(?m)", "(?xx)", "(?n)"};
    size_t i, m, k;

    for (i = 0; i < ARRAY_SIZE(regex_hostile); i++) {
        const char *s = regex_hostile[i];
        size_t n = strlen(s);
        struct strbuf re = STRBUF_INIT, longer = STRBUF_INIT;

        for (m = 0; m < ARRAY_SIZE(modes); m++) {
            ck_assert_msg(quoted_matches(modes[m], s, s, n), "'%s' in mode %s", s,
                          modes[m]);
            /* Any byte changed, or one more, and it no longer matches. */
            for (k = 0; k < n; k++) {
                char *other = strdup(s);
                other[k] = s[k] == 'Z' ? 'Y' : 'Z';
                ck_assert_msg(!quoted_matches(modes[m], s, other, n),
                              "'%s' matches '%s' in mode %s", s, other, modes[m]);
                free(other);
            }
            strbuf_reset(&longer);
            strbuf_addf(&longer, "%s%s", s, s[0] == 'Z' ? "Y" : "Z");
            ck_assert(!quoted_matches(modes[m], s, longer.buf, longer.len));
        }
        /* Case-insensitive, as the importers write some: only case changes. */
        ck_assert(quoted_matches("(?i)", s, s, n));
        /* In nginx.conf the pattern is one token that reads back as itself. */
        nginx_quote_regex_literal(&re, s);
        if (!nginx_quote_problem(re.buf, QUOTE_REGEX))
            ck_assert_msg(round_trip(re.buf, QUOTE_REGEX, 0), "'%s'", re.buf);
        else
            ck_assert_msg(nginx_quote_problem(s, QUOTE_REGEX) != NULL,
                          "'%s' is writable but its quoted form is not", s);
        strbuf_release(&re);
        strbuf_release(&longer);
    }
}
END_TEST

static Suite *quote_suite(void)
{
    Suite *s = suite_create("quote");
    TCase *tc = tcase_create("read back");

    tcase_add_test(tc, every_byte_reads_back_or_is_refused);
    tcase_add_test(tc, nginx_syntax_is_inert);
    tcase_add_test(tc, longest_words_fit_nginx_buffer);
    tcase_add_test(tc, parts_join_into_one_word);
    tcase_add_test(tc, map_keys_are_never_keywords);
    tcase_add_test(tc, regex_literals_match_themselves);
    tcase_add_test(tc, regex_literals_are_exact);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run(quote_suite());
}
