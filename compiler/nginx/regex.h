/* PCRE2 as nginx 1.22 uses it: no UTF mode, default limits. */
#ifndef GWC_NGINX_REGEX_H
#define GWC_NGINX_REGEX_H

#include <stdbool.h>

/* Does the whole subject match the pattern (as ^(?:pattern)$)?  A pattern
 * that does not compile matches nothing. */
bool regex_full_match(const char *pattern, const char *subject);

#endif
