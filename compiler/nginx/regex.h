/* PCRE2 as nginx 1.22 uses it: no UTF mode, default limits. */
#ifndef GWC_NGINX_REGEX_H
#define GWC_NGINX_REGEX_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* Does nginx accept the pattern (compiled as nginx does: 0, or
 * PCRE2_CASELESS for ~*, never PCRE2_UTF)?  If not, err gets PCRE2's
 * message and *offset where it failed. */
bool regex_check(const char *pattern, bool caseless, char *err, size_t errlen,
                 size_t *offset);

/* Does the whole subject match the pattern (as ^(?:pattern)$)?  A pattern
 * that does not compile matches nothing. */
bool regex_full_match(const char *pattern, const char *subject);

/* The anchored pattern a header or query value match becomes: the value
 * escaped (Exact) or wrapped (RegularExpression), e.g. "^abc$". */
const char *regex_for_value(struct arena *a, const char *type, const char *value);

#endif
