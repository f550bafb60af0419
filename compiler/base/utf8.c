#include "utf8.h"

size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    uint32_t c;
    size_t len, i;

    if (n == 0)
        return 0;
    c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        c &= 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        c &= 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        c &= 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) || c > 0x10ffff ||
        (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return len;
}

size_t utf8_advance(const char *s, size_t n, size_t chars)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;

    while (chars > 0 && i < n) {
        uint32_t cp;
        size_t len = utf8_decode(u + i, n - i, &cp);
        i += len ? len : 1;
        chars--;
    }
    return i;
}

size_t utf8_count(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, count = 0;

    while (i < n) {
        uint32_t cp;
        size_t len = utf8_decode(u + i, n - i, &cp);
        i += len ? len : 1;
        count++;
    }
    return count;
}
