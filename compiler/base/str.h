/* Small string predicates shared by every stage. */
#ifndef GWC_STR_H
#define GWC_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

/* Equal, with NULL read as "" (absent optional fields compare as empty). */
static inline bool str_eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Equal ignoring ASCII case (header names, hostnames). */
static inline bool str_eq_nocase(const char *a, const char *b)
{
    return strcasecmp(a, b) == 0;
}

/* c is one of the characters of set.  Unlike strchr(set, c), never true
 * for c == '\0': a scanner testing the byte after its string's end stops. */
static inline bool str_has_char(const char *set, char c)
{
    return c != '\0' && strchr(set, c) != NULL;
}

/* s begins with prefix (an annotation key with its controller's prefix). */
static inline bool str_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* s is one of the n strings of v. */
static inline bool str_in(const char *const *v, size_t n, const char *s)
{
    size_t i;

    for (i = 0; i < n && !str_eq(v[i], s); i++)
        ;
    return i < n;
}

/* Room for any uint64_t in decimal (20 digits). */
#define STR_DEC_MAX 20

/* v in decimal at the end of buf[STR_DEC_MAX] (no NUL): returns where the
 * digits start, for the keys and addresses made too often for printf. */
static inline const char *str_dec(char buf[STR_DEC_MAX], uint64_t v)
{
    char *p = buf + STR_DEC_MAX;

    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return p;
}

#endif
