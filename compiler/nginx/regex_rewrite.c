/*
 * The rewriting of user patterns described in regex.h, as a reader of
 * PCRE2's syntax in one pass: escapes (\Q...\E quoting included),
 * character classes (where "(?<" is three literal characters; a ']' first in
 * the class is literal; [:name:] inside one), comments (?#...), verbs
 * (*MARK:...) whose names are literal text, callouts (?C"...") whose strings
 * may hold ')', and the options that change how the rest of a group reads:
 * x (extended, '#' starts a comment) and n (no auto capture, where only
 * named groups capture).  It runs on patterns PCRE2 has already compiled;
 * regex.c checks its result with PCRE2 again.
 */
#include "regex_internal.h"

#include "base/str.h"
#include "base/strbuf.h"

#include <stdio.h>
#include <string.h>

/* PCRE2's own limit on nested parentheses is 250. */
#define MAX_NEST 256

struct frame {
    bool extended;     /* (?x): whitespace ignored, '#' starts a comment */
    bool no_capture;   /* (?n): plain groups do not capture */
    bool close_twice;  /* a named group rewritten as "(?-n:((?n)" */
};

struct scan {
    const char *p;
    size_t len, i;
    struct strbuf *out;
    struct regex_error *err;
    struct frame stack[MAX_NEST];
    size_t depth; /* stack[depth] is the innermost group */
    bool failed;
};

static void refuse(struct scan *s, size_t at, const char *what, const char *hint)
{
    if (s->failed)
        return;
    s->failed = true;
    s->err->refused = true;
    s->err->offset = at;
    snprintf(s->err->message, sizeof(s->err->message), "%s", what);
    s->err->hint = hint;
}

static void copy(struct scan *s, size_t n)
{
    if (n > s->len - s->i)
        n = s->len - s->i;
    if (s->out)
        strbuf_add(s->out, s->p + s->i, n);
    s->i += n;
}

static void emit(struct scan *s, const char *text)
{
    if (s->out)
        strbuf_addstr(s->out, text);
}

static char at(const struct scan *s, size_t i)
{
    return i < s->len ? s->p[i] : '\0';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Index of the first 'c' at or after i, or len. */
static size_t find(const struct scan *s, size_t i, char c)
{
    const char *q = i < s->len ? memchr(s->p + i, c, s->len - i) : NULL;

    return q ? (size_t)(q - s->p) : s->len;
}

/* [+-]?digits over p[b..e). */
static bool is_number(const struct scan *s, size_t b, size_t e)
{
    if (b < e && (s->p[b] == '+' || s->p[b] == '-'))
        b++;
    if (b == e)
        return false;
    for (; b < e; b++) {
        if (!is_digit(s->p[b]))
            return false;
    }
    return true;
}

static bool is_zero(const struct scan *s, size_t b, size_t e)
{
    return is_number(s, b, e) && strspn(s->p + b, "0") >= e - b;
}

static void by_name(struct scan *s, size_t start)
{
    refuse(s, start, "refers to a group by name",
           "; gwc removes group names, which nginx would make variables of the "
           "whole configuration: refer to the group by number (\\N, \\g{N} or (?N))");
}

static void whole_pattern(struct scan *s, size_t start)
{
    refuse(s, start, "recurses into the whole pattern",
           ", which gwc wraps in ^(?:...)$: put the pattern in a group and "
           "recurse into that group by number");
}

/* \Q...\E: literal up to \E; an open \Q is closed, so that it cannot
 * swallow the ")$" gwc appends. */
static void quoted(struct scan *s)
{
    size_t e;

    copy(s, 2);
    for (e = s->i; e + 1 < s->len && !(s->p[e] == '\\' && s->p[e + 1] == 'E'); e++)
        ;
    if (e + 1 < s->len) {
        copy(s, e + 2 - s->i);
    } else {
        copy(s, s->len - s->i);
        emit(s, "\\E");
    }
}

/* \g{..}, \g<..>, \g'..': by number (back-reference or call), or by name. */
static void escape_g(struct scan *s)
{
    char open = at(s, s->i + 2);
    char close = open == '{' ? '}' : open == '<' ? '>' : open == '\'' ? '\'' : 0;
    size_t start = s->i, e;

    if (!close) { /* \gN, \g-N */
        copy(s, 2);
        return;
    }
    e = find(s, s->i + 3, close);
    if (!is_number(s, s->i + 3, e))
        by_name(s, start);
    else if (open != '{' && is_zero(s, s->i + 3, e))
        whole_pattern(s, start);
    copy(s, e + 1 - s->i);
}

static void escape(struct scan *s)
{
    switch (at(s, s->i + 1)) {
    case 'Q':
        quoted(s);
        break;
    case 'k':
        by_name(s, s->i);
        copy(s, 2);
        break;
    case 'g':
        escape_g(s);
        break;
    case 'c': /* \cX: X is taken as it is, even '[', '(' or '\' */
        copy(s, 3);
        break;
    default:
        copy(s, 2);
    }
}

/* PCRE2's check_posix_syntax(): p[i] is the terminator after '['; the
 * index of the terminator before the closing ']', or 0. */
static size_t posix_end(const struct scan *s, size_t i)
{
    char t = s->p[i];

    for (i++; i + 1 < s->len; i++) {
        if (s->p[i] == '\\' && (s->p[i + 1] == ']' || s->p[i + 1] == '\\'))
            i++;
        else if ((s->p[i] == '[' && s->p[i + 1] == t) || s->p[i] == ']')
            return 0;
        else if (s->p[i] == t && s->p[i + 1] == ']')
            return i;
    }
    return 0;
}

/* A character class, as pcre2_compile() reads one. */
static void char_class(struct scan *s)
{
    bool negated = false, first = true, in_q = false;

    copy(s, 1);
    for (;;) { /* \E, \Q\E and one '^' may come before the first member */
        if (at(s, s->i) == '\\' && at(s, s->i + 1) == 'E')
            copy(s, 2);
        else if (s->i + 4 <= s->len && memcmp(s->p + s->i, "\\Q\\E", 4) == 0)
            copy(s, 4);
        else if (!negated && at(s, s->i) == '^')
            negated = true, copy(s, 1);
        else
            break;
    }
    while (s->i < s->len) {
        char c = s->p[s->i];
        size_t end;

        if (in_q) {
            in_q = !(c == '\\' && at(s, s->i + 1) == 'E');
            copy(s, in_q ? 1 : 2);
        } else if (c == ']' && !first) {
            copy(s, 1);
            return;
        } else if (c == '\\') {
            in_q = at(s, s->i + 1) == 'Q';
            copy(s, at(s, s->i + 1) == 'c' ? 3 : 2);
        } else if (c == '[' && at(s, s->i + 1) && str_has_char(":.=", at(s, s->i + 1)) &&
                   (end = posix_end(s, s->i + 1)) != 0) {
            copy(s, end + 2 - s->i);
        } else {
            copy(s, 1);
        }
        first = false;
    }
    refuse(s, s->len, "has a character class without its closing ']'", "");
}

static struct frame *top(struct scan *s)
{
    return &s->stack[s->depth];
}

static void push(struct scan *s, struct frame f)
{
    if (s->depth + 1 >= MAX_NEST) {
        refuse(s, s->i, "nests groups too deeply", "");
        return;
    }
    f.close_twice = false;
    s->stack[++s->depth] = f;
}

/* (?<name>, (?'name' or (?P<name>: a plain capturing group.  Where (?n)
 * is in force plain groups do not capture, so the group turns n off for
 * itself and back on for its contents. */
static void named_group(struct scan *s, size_t name_start, char close)
{
    size_t e = find(s, name_start, close);
    struct frame f = *top(s);

    emit(s, f.no_capture ? "(?-n:((?n)" : "(");
    s->i = e + 1;
    push(s, f);
    top(s)->close_twice = f.no_capture;
}

/* (?C), (?Cn), (?C"text") with any of PCRE2's string delimiters, where a
 * doubled delimiter stands for itself. */
static void callout(struct scan *s)
{
    static const char open[] = "`'\"^%#${", close[] = "`'\"^%#$}";
    const char *d = at(s, s->i + 3) ? strchr(open, at(s, s->i + 3)) : NULL;
    size_t e = s->i + 3;

    if (d) {
        char c = close[d - open];
        for (e++; e < s->len; e++) {
            if (s->p[e] == c && at(s, e + 1) == c)
                e++;
            else if (s->p[e] == c)
                break;
        }
        e++;
    }
    copy(s, find(s, e, ')') + 1 - s->i);
}

/* (?(condition)...: by number, recursion, DEFINE and VERSION keep their
 * meaning; any condition naming a group does not. */
static void conditional(struct scan *s)
{
    size_t b = s->i + 3, e;

    push(s, *top(s));
    if (at(s, b) == '?' || at(s, b) == '*') { /* an assertion as condition */
        copy(s, 2);
        return; /* its '(' opens a group of its own */
    }
    e = find(s, b, ')');
    if (!is_number(s, b, e) && !(at(s, b) == 'R' && (b + 1 == e || is_number(s, b + 1, e))) &&
        !(e - b == 6 && memcmp(s->p + b, "DEFINE", 6) == 0) &&
        !(e - b >= 7 && memcmp(s->p + b, "VERSION", 7) == 0))
        by_name(s, s->i);
    copy(s, e + 1 - s->i);
}

/* (?flags) changes the rest of the current group, (?flags: opens one. */
static void options(struct scan *s)
{
    struct frame f = *top(s);
    bool set = true;
    size_t j;

    for (j = s->i + 2; j < s->len && !str_has_char(":)", s->p[j]); j++) {
        switch (s->p[j]) {
        case '^':
            f.extended = f.no_capture = false;
            break;
        case '-':
            set = false;
            break;
        case 'x':
            f.extended = set;
            break;
        case 'n':
            f.no_capture = set;
            break;
        }
    }
    if (at(s, j) == ':')
        push(s, f);
    else
        top(s)->extended = f.extended, top(s)->no_capture = f.no_capture;
    copy(s, j + 1 - s->i);
}

/* (*VERB) or (*VERB:name), whose name is literal text up to ')'; or an
 * alphabetic assertion such as (*pla:...), which opens a group. */
static void star(struct scan *s)
{
    size_t j = s->i + 2;
    bool lower = true;

    for (; j < s->len && (s->p[j] == '_' || (s->p[j] >= 'a' && s->p[j] <= 'z') ||
                          (s->p[j] >= 'A' && s->p[j] <= 'Z'));
         j++)
        lower &= s->p[j] == '_' || (s->p[j] >= 'a' && s->p[j] <= 'z');
    if (j > s->i + 2 && lower && at(s, j) == ':') {
        push(s, *top(s));
        copy(s, j + 1 - s->i);
        return;
    }
    copy(s, find(s, j, ')') + 1 - s->i);
}

static void group_open(struct scan *s)
{
    size_t k = s->i + 2;
    char c = at(s, k);

    if (at(s, s->i + 1) == '*') {
        star(s);
        return;
    }
    if (at(s, s->i + 1) != '?') {
        push(s, *top(s));
        copy(s, 1);
        return;
    }
    switch (c) {
    case '#':
        copy(s, find(s, k, ')') + 1 - s->i);
        return;
    case '<':
        if (at(s, k + 1) && str_has_char("=!*", at(s, k + 1))) { /* lookbehind */
            push(s, *top(s));
            copy(s, 4);
        } else {
            named_group(s, k + 1, '>');
        }
        return;
    case '\'':
        named_group(s, k + 1, '\'');
        return;
    case 'P':
        if (at(s, k + 1) == '<') {
            named_group(s, k + 2, '>');
            return;
        }
        by_name(s, s->i); /* (?P=name), (?P>name) */
        copy(s, find(s, k, ')') + 1 - s->i);
        return;
    case '&':
        by_name(s, s->i);
        copy(s, find(s, k, ')') + 1 - s->i);
        return;
    case 'R':
        whole_pattern(s, s->i);
        copy(s, find(s, k, ')') + 1 - s->i);
        return;
    case 'C':
        callout(s);
        return;
    case '(':
        conditional(s);
        return;
    case '=': case '!': case ':': case '|': case '>': case '*':
        push(s, *top(s));
        copy(s, 3);
        return;
    }
    if (is_digit(c) || ((c == '+' || c == '-') && is_digit(at(s, k + 1)))) {
        size_t e = find(s, k, ')');
        if (is_zero(s, k, e))
            whole_pattern(s, s->i);
        copy(s, e + 1 - s->i);
        return;
    }
    options(s);
}

static void group_close(struct scan *s)
{
    if (s->depth == 0) {
        refuse(s, s->i, "has an unmatched ')'", "");
        return;
    }
    emit(s, top(s)->close_twice ? "))" : ")");
    s->depth--;
    s->i++;
}

static void scan(struct scan *s)
{
    while (s->i < s->len && !s->failed) {
        char c = s->p[s->i];

        if (c == '\\')
            escape(s);
        else if (c == '[')
            char_class(s);
        else if (c == '(')
            group_open(s);
        else if (c == ')')
            group_close(s);
        else if (c == '#' && top(s)->extended)
            refuse(s, s->i, "starts a comment with '#' in extended mode (?x)",
                   ", which would run past the end of the ^(?:...)$ gwc wraps the "
                   "pattern in: write \\# for a literal '#'");
        else
            copy(s, 1);
    }
}

bool nginx_regex_rewrite(const char *pattern, size_t len, struct strbuf *out,
                         struct regex_error *err)
{
    struct scan s = {.p = pattern, .len = len, .out = out, .err = err};

    scan(&s);
    return !s.failed;
}
