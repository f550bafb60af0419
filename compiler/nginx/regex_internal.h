/* Inside nginx/: the rewriting reader of user patterns (regex_rewrite.c),
 * which regex.c runs between its two PCRE2 compilations. */
#ifndef GWC_NGINX_REGEX_INTERNAL_H
#define GWC_NGINX_REGEX_INTERNAL_H

#include "regex.h"

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

/* Appends pattern (len bytes) to out, rewritten as regex.h says; false
 * with err filled in (refused) when it cannot be. */
bool nginx_regex_rewrite(const char *pattern, size_t len, struct strbuf *out,
                         struct regex_error *err);

#endif
