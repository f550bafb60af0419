#include "url.h"

#include "str.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *url_split(const char *url, struct url_parts *out)
{
    const char *authority, *end, *host_end;
    char *port_end;

    memset(out, 0, sizeof(*out));
    if (strncmp(url, "http://", 7) == 0) {
        authority = url + 7;
    } else if (strncmp(url, "https://", 8) == 0) {
        authority = url + 8;
        out->https = true;
    } else {
        return "the URL must start with http:// or https://";
    }
    end = authority + strcspn(authority, "/?#");
    if (memchr(authority, '@', (size_t)(end - authority)))
        return "the URL must not carry user information";
    if (*authority == '[') {
        host_end = memchr(authority, ']', (size_t)(end - authority));
        if (!host_end)
            return "the URL's IPv6 address has no closing ']'";
        host_end++;
    } else {
        host_end = authority + strcspn(authority, ":/?#");
    }
    if (host_end == authority)
        return "the URL has no host";
    out->port = out->https ? 443 : 80;
    if (*host_end == ':') {
        errno = 0;
        out->port = strtol(host_end + 1, &port_end, 10);
        if (errno || port_end != end || port_end == host_end + 1 || host_end[1] == '-' ||
            host_end[1] == '+' || out->port < 1 || out->port > 65535)
            return "the URL's port must be a number from 1 to 65535";
    } else if (host_end != end) {
        return "the URL's host is followed by something other than a port";
    }
    out->authority = authority;
    out->authority_len = (size_t)(end - authority);
    out->host = authority;
    out->host_len = (size_t)(host_end - authority);
    out->rest = end;
    return NULL;
}

bool url_is_http(const char *s)
{
    struct url_parts u;
    const char *c;

    if (url_split(s, &u) || *u.rest == '#')
        return false;
    for (c = s; *c; c++) {
        if (!isalnum((unsigned char)*c) && !str_has_char("-/._~!&'()*+,;=:@?%[]", *c))
            return false;
    }
    return true;
}
