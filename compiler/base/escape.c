#include "escape.h"

#include "arena.h"
#include "array.h"
#include "strbuf.h"
#include "utf8.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * Code points above U+007F that are shown escaped: C1 controls (Cc), spaces
 * other than U+0020 (Zs), line and paragraph separators (Zl, Zp), every
 * Default_Ignorable_Code_Point of Unicode's DerivedCoreProperties (bidi
 * controls, zero-width characters, variation selectors, fillers, tags), the
 * interlinear annotation controls, private use (Co) and the noncharacters
 * U+FDD0-U+FDEF (the U+xxFFFE/U+xxFFFF ones are tested apart).  Sorted.
 */
static const struct {
    uint32_t lo, hi;
} hidden[] = {
    {0x0080, 0x00a0},   {0x00ad, 0x00ad},   {0x034f, 0x034f},
    {0x061c, 0x061c},   {0x115f, 0x1160},   {0x1680, 0x1680},
    {0x17b4, 0x17b5},   {0x180b, 0x180f},   {0x2000, 0x200f},
    {0x2028, 0x202f},   {0x205f, 0x206f},   {0x3000, 0x3000},
    {0x3164, 0x3164},   {0xe000, 0xf8ff},   {0xfdd0, 0xfdef},
    {0xfe00, 0xfe0f},   {0xfeff, 0xfeff},   {0xffa0, 0xffa0},
    {0xfff0, 0xfffb},   {0x1bca0, 0x1bca3}, {0x1d173, 0x1d17a},
    {0xe0000, 0xe0fff}, {0xf0000, 0x10ffff},
};

static bool is_hidden(uint32_t cp)
{
    size_t lo = 0, hi = ARRAY_SIZE(hidden);

    if ((cp & 0xfffe) == 0xfffe)
        return true;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < hidden[mid].lo)
            hi = mid;
        else if (cp > hidden[mid].hi)
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

/* The ASCII bytes shown by a name of their own. */
static const char *const named[0x80] = {
    ['\\'] = "\\\\", ['\n'] = "\\n", ['\r'] = "\\r", ['\t'] = "\\t", ['\0'] = "\\0",
};

/* Returns how many bytes of u[0..n) it consumed (at least one). */
static size_t escape_ascii(struct strbuf *out, const unsigned char *u, size_t n)
{
    if (u[0] == '#' && n > 1 && u[1] == '#') {
        strbuf_addstr(out, "#\\x23");
        return 2;
    }
    if (named[u[0]])
        strbuf_addstr(out, named[u[0]]);
    else if (u[0] < 0x20 || u[0] == 0x7f)
        strbuf_addf(out, "\\x%02x", u[0]);
    else
        strbuf_addch(out, (char)u[0]);
    return 1;
}

void escape_text(struct strbuf *out, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        uint32_t cp;
        size_t len;

        if (u[i] < 0x80) {
            i += escape_ascii(out, u + i, n - i);
            continue;
        }
        len = utf8_decode(u + i, n - i, &cp);
        if (len == 0) {
            strbuf_addf(out, "\\x%02x", u[i]);
            i++;
        } else if (is_hidden(cp)) {
            strbuf_addf(out, cp > 0xffff ? "\\U%08x" : "\\u%04x", (unsigned)cp);
            i += len;
        } else {
            strbuf_add(out, u + i, len);
            i += len;
        }
    }
}

const char *escape_text_dup(struct arena *a, const char *s, size_t n)
{
    struct strbuf sb = STRBUF_INIT;
    const char *out;

    escape_text(&sb, s, n);
    out = arena_strndup(a, sb.buf, sb.len);
    strbuf_release(&sb);
    return out;
}

void escape_uri_path(struct strbuf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
            c == '~' || c == '/') {
            strbuf_addch(out, (char)c);
        } else {
            strbuf_addch(out, '%');
            strbuf_addch(out, hex[c >> 4]);
            strbuf_addch(out, hex[c & 15]);
        }
    }
}
