/*
 * Regular expressions met by the importer (use-regex paths, canary header
 * patterns) are checked by the rule gwc compiles them with (nginx_regex_user():
 * PCRE2, the engine nginx links, and no references to groups by name), so
 * a pattern the import accepts is one compile accepts; and literal text is
 * quoted when it becomes part of one.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "import_internal.h"

#include "base/arena.h"
#include "base/strbuf.h"
#include "nginx/quote.h"
#include "nginx/regex.h"
#include "nginx/uri.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Checked inside a group as well: a pattern must end where it is written,
 * so that what the import puts after it (".*", a ")") stays outside it; a
 * trailing '\' or an open \Q would take it in. */
bool imp_re_ok(const char *pattern, char *err, size_t errlen)
{
    struct regex_error why;
    size_t n = strlen(pattern);
    char *grouped;
    bool ok;

    if (n > IMP_RE_MAX) {
        snprintf(err, errlen, "longer than %d characters", IMP_RE_MAX);
        return false;
    }
    if (imp_value_unsafe_text(pattern)) {
        /* compile drops a rule whose pattern nginx cannot carry */
        snprintf(err, errlen, "it holds %s", imp_value_unsafe_text(pattern));
        return false;
    }
    if (!nginx_regex_user(pattern, NULL, &why)) {
        snprintf(err, errlen, "%s", why.message);
        return false;
    }
    grouped = malloc(n + 5);
    if (!grouped)
        arena_die_oom(n + 5);
    snprintf(grouped, n + 5, "(?:%s)", pattern);
    ok = nginx_regex_user(grouped, NULL, &why);
    free(grouped);
    if (!ok)
        snprintf(err, errlen, "it does not end where it is written (a "
                              "trailing '\\' or an open \\Q)");
    return ok;
}

bool imp_re_unmatchable(const char *pattern, bool path, char *err, size_t errlen)
{
    const unsigned char *p;
    const char *why;

    /* What compile drops (controller/nginx_limits.c): a byte nginx cannot
     * carry in a quoted word, ... */
    for (p = (const unsigned char *)pattern; *p; p++) {
        if ((*p < 0x20 && *p != '\t') || *p == 0x7f) {
            snprintf(err, errlen, "has a control character (byte 0x%02x), which "
                                  "nginx cannot carry in its configuration", *p);
            return true;
        }
    }
    /* ... and what imp_re_ok() refuses in any pattern besides (a tab,
     * invalid UTF-8, bidirectional and zero-width characters), ... */
    if ((why = imp_value_unsafe_text(pattern))) {
        snprintf(err, errlen, "holds %s, which gwc does not write into nginx's "
                              "configuration", why);
        return true;
    }
    /* ... and in a path, an encoded one: nginx matches the decoded path. */
    if (path && nginx_uri_encodes_control(pattern)) {
        snprintf(err, errlen, "has '%%0', '%%1' or '%%7F', an encoded control "
                              "character, which nginx cannot match in a path");
        return true;
    }
    return false;
}

/* A '|' at depth 0, or text that hides the structure from this scan. */
static bool top_level_alternation(const char *re)
{
    int depth = 0;

    if (strstr(re, "\\Q") || strstr(re, "(?#") || strstr(re, "(*"))
        return true;
    for (; *re; re++) {
        if (*re == '\\' && re[1]) {
            re++;
        } else if (*re == '[') {
            re++; /* a class: ']' first is a member */
            if (*re == '^')
                re++;
            if (*re == ']')
                re++;
            while (*re && *re != ']') {
                if (*re == '\\' && re[1])
                    re++;
                re++;
            }
            if (!*re)
                return true;
        } else if (*re == '(') {
            depth++;
        } else if (*re == ')') {
            depth--;
        } else if (*re == '|' && depth <= 0) {
            return true;
        }
    }
    return false;
}

const char *imp_re_literal_start(struct arena *a, const char *re, bool anchored,
                                 size_t max)
{
    size_t n = 0;

    if (re[0] == '^') {
        re++;
        anchored = true;
    }
    if (!anchored || top_level_alternation(re))
        return "";
    /* '%' stops it too: nginx matches the decoded path, the source
     * controller may not. */
    while (re[n] && n < max &&
           ((re[n] >= 'a' && re[n] <= 'z') || (re[n] >= 'A' && re[n] <= 'Z') ||
            (re[n] >= '0' && re[n] <= '9') || str_has_char("/-_~,=:@!&;'", re[n])))
        n++;
    if (n && re[n] && str_has_char("?*{", re[n]))
        n--; /* the last character may be absent */
    return arena_strndup(a, re, n);
}

struct re {
    pcre2_code *code;
    pcre2_match_data *md;
};

/* The pattern as gwc compiles Gateway API regex matches: the whole
 * subject, ^(?:body)$.  NULL when gwc refuses it. */
struct re *imp_re_compile(const char *pattern)
{
    struct strbuf sb = STRBUF_INIT;
    struct re *re = malloc(sizeof(*re));
    struct regex_error why;
    int code;
    PCRE2_SIZE off;

    if (!re)
        arena_die_oom(sizeof(*re));
    strbuf_addstr(&sb, "^(?:");
    if (!nginx_regex_user(pattern, &sb, &why)) {
        strbuf_release(&sb);
        free(re);
        return NULL;
    }
    strbuf_addstr(&sb, ")$");
    re->code = pcre2_compile((PCRE2_SPTR)sb.buf, sb.len, 0, &code, &off, NULL);
    strbuf_release(&sb);
    re->md = re->code ? pcre2_match_data_create_from_pattern(re->code, NULL) : NULL;
    if (!re->md) {
        imp_re_free(re);
        return NULL;
    }
    return re;
}

bool imp_re_matches(const struct re *re, const char *subject)
{
    return pcre2_match(re->code, (PCRE2_SPTR)subject, strlen(subject), 0, 0,
                       re->md, NULL) >= 0;
}

void imp_re_free(struct re *re)
{
    if (!re)
        return;
    pcre2_match_data_free(re->md);
    pcre2_code_free(re->code);
    free(re);
}

/* Literal text inside a pattern the import writes: nginx/quote.c's rule,
 * the one compile uses, so both sides quote alike. */
const char *imp_re_quote(struct arena *a, const char *literal)
{
    struct strbuf sb = STRBUF_INIT;
    const char *out;

    nginx_quote_regex_literal(&sb, literal);
    out = arena_strndup(a, sb.buf, sb.len);
    strbuf_release(&sb);
    return out;
}
