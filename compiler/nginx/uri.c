#include "uri.h"

#include "base/arena.h"

#include <ctype.h>
#include <string.h>

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

const char *nginx_uri_decoded(struct arena *a, const char *s)
{
    char *out, *o;

    if (!strchr(s, '%'))
        return s;
    out = o = arena_strdup(a, s);
    for (; *s; s++) {
        int hi, lo;
        if (*s == '%' && (hi = hex_value(s[1])) >= 0 && (lo = hex_value(s[2])) >= 0) {
            *o++ = (char)(hi * 16 + lo);
            s += 2;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

bool nginx_uri_encodes_control(const char *path)
{
    return strstr(path, "%0") || strstr(path, "%1") || strstr(path, "%7f") ||
           strstr(path, "%7F");
}
