/*
 * Hostname intersection and matching (docs/spec-notes.md, "Hostnames and their intersection").
 * A wildcard "*.example.com" stands for one or more labels in front of
 * ".example.com", never for "example.com" itself.
 */
#include "controller_internal.h"

#include <stdbool.h>
#include <string.h>

static bool is_any(const char *h)
{
    return !h || strcmp(h, "*") == 0;
}

static bool is_wild(const char *h)
{
    return h[0] == '*' && h[1] == '.';
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Does a concrete name lie under the wildcard (at least one more label)? */
static bool under_wildcard(const char *wild, const char *name)
{
    const char *suffix = wild + 1; /* keeps the dot: ".example.com" */

    return strlen(name) > strlen(suffix) && ends_with(name, suffix);
}

const char *ctl_hostname_intersect(const char *listener, const char *route)
{
    if (is_any(listener))
        return route ? route : "*";
    if (is_any(route))
        return listener;
    if (!is_wild(listener) && !is_wild(route))
        return strcmp(listener, route) == 0 ? listener : NULL;
    if (is_wild(listener) && !is_wild(route))
        return under_wildcard(listener, route) ? route : NULL;
    if (!is_wild(listener) && is_wild(route))
        return under_wildcard(route, listener) ? listener : NULL;
    /* Both wildcards: the more specific one survives. */
    if (ends_with(listener + 1, route + 1))
        return listener;
    if (ends_with(route + 1, listener + 1))
        return route;
    return NULL;
}

bool ctl_hostname_matches(const char *pattern, const char *host)
{
    if (is_any(pattern))
        return true;
    if (is_wild(pattern))
        return under_wildcard(pattern, host);
    return strcmp(pattern, host) == 0;
}
