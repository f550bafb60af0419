#include "quote.h"

#include "base/arena.h"
#include "base/strbuf.h"

#include <string.h>

static bool is_control(unsigned char c)
{
    return (c < 0x20 && c != '\t') || c == 0x7f;
}

/* Length of the token body as nginx_quote_part() writes it. */
static size_t quoted_length(const char *s, enum quote_ctx ctx)
{
    size_t n = 0;

    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            n += 2;
        else if (*s == '$' && ctx == QUOTE_VALUE)
            n += sizeof("${" QUOTE_DOLLAR_VARIABLE "}") - 1;
        else
            n++;
    }
    return n;
}

const char *nginx_quote_problem_after(size_t taken, const char *s,
                                      enum quote_ctx ctx)
{
    const unsigned char *p;

    for (p = (const unsigned char *)s; *p; p++) {
        if (is_control(*p))
            return "contains a control character nginx cannot carry";
    }
    if (taken + quoted_length(s, ctx) + 2 > NGINX_MAX_WORD)
        return "is longer than an nginx config word may be (4,094 bytes)";
    return NULL;
}

const char *nginx_quote_problem(const char *s, enum quote_ctx ctx)
{
    return nginx_quote_problem_after(0, s, ctx);
}

/* Does c need more than itself inside a quoted token? */
static bool needs_escape(unsigned char c, enum quote_ctx ctx)
{
    return c == '"' || c == '\\' || (c == '$' && ctx == QUOTE_VALUE) || is_control(c);
}

void nginx_quote_part(struct strbuf *out, const char *s, enum quote_ctx ctx)
{
    while (*s) {
        size_t run = 0;

        /* Most of a config is plain text: copy it a run at a time.  Every
         * byte from '%' up but '\\' and DEL stands for itself: one test
         * for nearly all of them. */
        for (;; run++) {
            unsigned char c = (unsigned char)s[run];
            if (c >= '%' ? c == '\\' || c == 0x7f : !c || needs_escape(c, ctx))
                break;
        }
        strbuf_add(out, s, run);
        s += run;
        if (!*s)
            break;
        if (is_control((unsigned char)*s))
            BUG("unquotable character reached the emitter");
        if (*s == '$') {
            strbuf_addstr(out, "${" QUOTE_DOLLAR_VARIABLE "}");
        } else {
            strbuf_addch(out, '\\');
            strbuf_addch(out, *s);
        }
        s++;
    }
}

void nginx_quote_token(struct strbuf *out, const char *s, enum quote_ctx ctx)
{
    strbuf_addch(out, '"');
    nginx_quote_part(out, s, ctx);
    strbuf_addch(out, '"');
}

void nginx_quote_map_key(struct strbuf *out, const char *s)
{
    /* map takes "default" and "include" as keywords and a leading '~' as
     * a regex, even when quoted, and strips one leading '\'.  Such a key
     * is written with an escaped backslash, which reaches map as the one
     * '\' it strips. */
    bool escape = strcmp(s, "default") == 0 || strcmp(s, "include") == 0 ||
                  s[0] == '~' || s[0] == '\\';

    strbuf_addstr(out, escape ? "\"\\\\" : "\"");
    nginx_quote_part(out, s, QUOTE_LITERAL);
    strbuf_addch(out, '"');
}

void nginx_quote_variable(struct strbuf *out, const char *name)
{
    const char *p;

    for (p = name; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '_'))
            BUG("variable name outside [A-Za-z0-9_]");
    }
    strbuf_addstr(out, "${");
    strbuf_add(out, name, (size_t)(p - name));
    strbuf_addch(out, '}');
}

/* Is s at the first byte of NEL? */
static bool nel(const char *s)
{
    return (unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0x85;
}

/* A backslash makes any byte but an ASCII letter or digit literal, in every
 * mode a surrounding pattern may turn on.  Letters, digits, '_', '/', '-'
 * mean themselves, and so do bytes from 0x80 (nginx compiles without UTF
 * mode: one byte, one character), kept as they are so that UTF-8 stays
 * UTF-8 (the importers write these patterns into YAML).  The exception is
 * NEL (U+0085, bytes C2 85), which extended mode (?x) skips as white
 * space: it is written as hex escapes, which no mode skips. */
void nginx_quote_regex_literal(struct strbuf *out, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '_' || c == '/' || c == '-' || (c >= 0x80 && c != 0x85 && !nel(s)))
            strbuf_addch(out, (char)c);
        else if (c >= 0x80)
            strbuf_addf(out, "\\x%02x", c);
        else {
            strbuf_addch(out, '\\');
            strbuf_addch(out, (char)c);
        }
    }
}
