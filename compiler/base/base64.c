#include "base64.h"

#include "arena.h"
#include "strbuf.h"
#include "str.h"

#include <string.h>

static int value_of(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

bool base64_decode(struct arena *a, const char *text, char **out, size_t *len)
{
    size_t n = strlen(text), i, o = 0, k = 0, pad = 0;
    int group[4];
    char *buf = arena_alloc(a, n / 4 * 3 + 4, 1);

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];

        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        if (c == '=') {
            if (k < 2)
                return false; /* padding may only fill the last two places */
            pad++;
            group[k++] = 0;
        } else {
            if (pad || (group[k] = value_of(c)) < 0)
                return false; /* data after padding, or not the alphabet */
            k++;
        }
        if (k == 4) {
            unsigned v = (unsigned)group[0] << 18 | (unsigned)group[1] << 12 |
                         (unsigned)group[2] << 6 | (unsigned)group[3];
            buf[o++] = (char)(v >> 16);
            if (pad < 2)
                buf[o++] = (char)(v >> 8);
            if (pad < 1)
                buf[o++] = (char)v;
            k = 0;
            if (pad)
                break;
        }
    }
    for (i++; i < n; i++) {
        if (!str_has_char(" \n\r\t", text[i]))
            return false; /* anything after the padded group */
    }
    if (k != 0)
        return false;
    buf[o] = '\0';
    *out = buf;
    *len = o;
    return true;
}

void base64_encode(struct strbuf *out, const void *data, size_t len)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = data;
    size_t i;

    for (i = 0; i + 2 < len; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        strbuf_addch(out, alphabet[v >> 18]);
        strbuf_addch(out, alphabet[(v >> 12) & 63]);
        strbuf_addch(out, alphabet[(v >> 6) & 63]);
        strbuf_addch(out, alphabet[v & 63]);
    }
    if (i < len) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < len ? (unsigned)p[i + 1] << 8 : 0);
        strbuf_addch(out, alphabet[v >> 18]);
        strbuf_addch(out, alphabet[(v >> 12) & 63]);
        strbuf_addch(out, i + 1 < len ? alphabet[(v >> 6) & 63] : '=');
        strbuf_addch(out, '=');
    }
}
