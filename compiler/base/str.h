/* Small string predicates shared by every stage. */
#ifndef GWC_STR_H
#define GWC_STR_H

#include <stdbool.h>
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

#endif
