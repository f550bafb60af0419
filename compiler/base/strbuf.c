#include "strbuf.h"

#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char strbuf_empty_[1];

void strbuf_init(struct strbuf *sb)
{
    sb->buf = strbuf_empty_;
    sb->len = 0;
    sb->cap = 0;
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
    size_t want, cap;
    char *p;

    if (extra > SIZE_MAX - sb->len - 1)
        arena_die_oom(SIZE_MAX);
    want = sb->len + extra + 1;
    if (want <= sb->cap)
        return;
    cap = sb->cap ? sb->cap : 64;
    while (cap < want)
        cap = cap > SIZE_MAX / 2 ? want : cap * 2;
    p = realloc(sb->cap ? sb->buf : NULL, cap);
    if (!p)
        arena_die_oom(cap);
    if (!sb->cap)
        p[0] = '\0';
    sb->buf = p;
    sb->cap = cap;
}

/* Whether n more bytes and the NUL fit: the test made before every append,
 * which then calls strbuf_grow() only when they do not. */
static bool fits(const struct strbuf *sb, size_t n)
{
    return sb->cap - sb->len > n;
}

/* n more bytes (n > 0) at the end, terminated after them, for the
 * caller to fill. */
static char *extend(struct strbuf *sb, size_t n)
{
    char *p;

    if (!fits(sb, n))
        strbuf_grow(sb, n);
    p = sb->buf + sb->len;
    sb->len += n;
    sb->buf[sb->len] = '\0';
    return p;
}

void strbuf_add(struct strbuf *sb, const void *data, size_t n)
{
    if (n)
        memcpy(extend(sb, n), data, n);
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
    strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, char c)
{
    *extend(sb, 1) = c;
}

void strbuf_addchars(struct strbuf *sb, char c, size_t n)
{
    if (n)
        memset(extend(sb, n), c, n);
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list cp;
    int n;

    va_copy(cp, ap);
    n = vsnprintf(sb->buf + sb->len, sb->cap ? sb->cap - sb->len : 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        BUG("vsnprintf failed");
    if (sb->cap == 0 || (size_t)n >= sb->cap - sb->len) {
        strbuf_grow(sb, (size_t)n);
        n = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
        if (n < 0)
            BUG("vsnprintf failed");
    }
    sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    strbuf_vaddf(sb, fmt, ap);
    va_end(ap);
}

void strbuf_setlen(struct strbuf *sb, size_t len)
{
    if (len > sb->len)
        BUG("strbuf_setlen beyond length");
    sb->len = len;
    if (sb->cap)
        sb->buf[len] = '\0';
}

void strbuf_reset(struct strbuf *sb)
{
    strbuf_setlen(sb, 0);
}

void strbuf_release(struct strbuf *sb)
{
    if (sb->cap)
        free(sb->buf);
    strbuf_init(sb);
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
    char *p;

    if (!sb->cap)
        strbuf_grow(sb, 0);
    p = sb->buf;
    if (len)
        *len = sb->len;
    strbuf_init(sb);
    return p;
}

bool strbuf_ends_with(const struct strbuf *sb, const char *suffix)
{
    size_t n = strlen(suffix);

    return sb->len >= n && memcmp(sb->buf + sb->len - n, suffix, n) == 0;
}
