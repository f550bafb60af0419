/*
 * PCRE2 as nginx 1.22 uses it (no UTF mode, default limits), and user
 * regular expressions as data.
 *
 * nginx gives every named group of every regex it compiles (location ~,
 * map ~key, if ~, rewrite) a variable of that name, shared by the whole
 * configuration: a route's (?<http_x_admin>.*) would replace the header
 * variable every other route matches on, (?<host>...) makes nginx -t fail.
 * So a user's pattern never reaches nginx as written: nginx_regex_user() rewrites
 * each named group to a plain capturing group (same numbering, so numbered
 * back-references keep their meaning) and refuses what the rewrite would
 * change (references by name) or what gwc's ^(?:...)$ wrapping would
 * change (whole-pattern recursion, a '#' comment in extended mode).  The
 * named captures gwc writes itself (gw_*) are therefore only ever set by
 * gwc's own regexes, each read right after its regex ran; gwc never reads
 * the numbered captures $1..$9.
 */
#ifndef GWC_NGINX_REGEX_H
#define GWC_NGINX_REGEX_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct strbuf;

struct regex_error {
    bool refused;      /* false: PCRE2 does not compile it; true: gwc refuses it */
    char message[160]; /* PCRE2's words, or what gwc refuses ("refers to ...") */
    const char *hint;  /* "" or what to do, to follow "at character N" */
    size_t offset;     /* byte offset in the user's pattern */
};

/* The body gwc writes for a user's pattern inside its own ^(?:...)$:
 * appended to body (when not NULL), true; or false with *err. */
bool nginx_regex_user(const char *pattern, struct strbuf *body,
                      struct regex_error *err);

/* nginx_regex_user() for a pattern validation already accepted. */
const char *nginx_regex_user_body(struct arena *a, const char *pattern);

/* The pattern of a gRPC method match, whose wire path is /service/method:
 * each part the user's pattern (regex), the method's literal text, or any
 * name when absent. */
const char *nginx_regex_grpc_path(struct arena *a, const char *service,
                                  const char *method, bool regex);

/* Does the whole subject match the pattern (as ^(?:pattern)$)?  A pattern
 * that does not compile matches nothing. */
bool nginx_regex_full_match(const char *pattern, const char *subject);

/* The anchored pattern a header or query value match becomes: the value
 * escaped (Exact) or the user's pattern wrapped (regex: RegularExpression),
 * e.g. "^abc$". */
const char *nginx_regex_for_value(struct arena *a, bool regex, const char *value);

#endif
