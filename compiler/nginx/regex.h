/* PCRE2 as nginx 1.22 uses it: no UTF mode, default limits. */
#ifndef GWC_NGINX_REGEX_H
#define GWC_NGINX_REGEX_H

#include <stdbool.h>

struct arena;

/* Does the whole subject match the pattern (as ^(?:pattern)$)?  A pattern
 * that does not compile matches nothing. */
bool regex_full_match(const char *pattern, const char *subject);

/* The anchored pattern a header or query value match becomes: the value
 * escaped (Exact) or wrapped (RegularExpression), e.g. "^abc$". */
const char *regex_for_value(struct arena *a, const char *type, const char *value);

#endif
