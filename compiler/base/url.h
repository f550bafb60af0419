/*
 * http(s) URLs split into the parts gwc uses: the one reading of a URL for
 * RoutingTest requests (explain/) and for the URLs a policy calls (an
 * external auth service, a sign-in page).  No user information ("u@h"), a
 * port from 1 to 65535, IPv6 hosts in brackets.
 */
#ifndef GWC_URL_H
#define GWC_URL_H

#include <stdbool.h>
#include <stddef.h>

struct url_parts {
    bool https;
    const char *authority; /* host[:port], as written */
    size_t authority_len;
    const char *host; /* without the port; an IPv6 host keeps its brackets */
    size_t host_len;
    long port;        /* the URL's, or 80 / 443 */
    const char *rest; /* from the first '/', '?' or '#' on; may be "" */
};

/* NULL and *out filled, or what is wrong ("the URL must ...").  The parts
 * point into url. */
const char *url_split(const char *url, struct url_parts *out);
/* A URL gwc writes into nginx as it is (a policy's auth or sign-in URL):
 * url_split() takes it, it has no fragment, and every character is a
 * letter, a digit or one of -/._~!&'()*+,;=:@?%[] (no '$', quotes,
 * spaces or controls). */
bool url_is_http(const char *s);

#endif
