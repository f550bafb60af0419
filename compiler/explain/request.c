/*
 * A request as nginx receives it: the URL split into what selects the
 * listener (scheme, port), the server (Host, SNI) and the location ($uri,
 * which nginx decodes and normalizes before matching).
 */
#include "explain.h"

#include "base/arena.h"
#include "base/str.h"
#include "base/strbuf.h"
#include "base/url.h"
#include "nginx/uri.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Merges slashes and resolves "." and ".." segments, as nginx does for
 * $uri (merge_slashes on); NULL when ".." climbs above the root, which
 * nginx answers with 400. */
static const char *normalize_path(struct arena *a, const char *path)
{
    size_t n = strlen(path), len = 0, i = 0;
    char *out = ARENA_NEW_ARRAY(a, char, n + 2);

    while (i < n) {
        size_t start, seg;
        while (i < n && path[i] == '/')
            i++;
        start = i;
        while (i < n && path[i] != '/')
            i++;
        seg = i - start;
        if (seg == 1 && path[start] == '.') {
            if (i == n)
                out[len++] = '/';
            continue;
        }
        if (seg == 2 && path[start] == '.' && path[start + 1] == '.') {
            if (len == 0)
                return NULL;
            while (len > 0 && out[len - 1] != '/')
                len--;
            if (len > 0)
                len--; /* the slash before the dropped segment */
            if (i == n || len == 0)
                out[len++] = '/';
            continue;
        }
        if (seg == 0) {
            if (len == 0 || out[len - 1] != '/')
                out[len++] = '/';
            continue;
        }
        if (len == 0 || out[len - 1] != '/')
            out[len++] = '/';
        memcpy(out + len, path + start, seg);
        len += seg;
    }
    if (len == 0)
        out[len++] = '/';
    out[len] = '\0';
    return out;
}

/* A host as nginx compares it with server names: lowercase, without the
 * port or a final dot. */
static const char *server_hostname(struct arena *a, const char *s, size_t n)
{
    char *h = arena_strndup(a, s, n);
    size_t i;

    for (i = 0; h[i]; i++)
        h[i] = (char)tolower((unsigned char)h[i]);
    if (i > 1 && h[i - 1] == '.')
        h[i - 1] = '\0';
    return h;
}

static bool bad_chars(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s <= ' ' || *s == 0x7f)
            return true;
    }
    return false;
}

const char *explain_request_init(struct arena *a, struct explain_request *r,
                                 const char *method, const char *url,
                                 const char *const *header_lines, size_t n_headers,
                                 const char *sni)
{
    struct url_parts u;
    const char *slash, *url_host, *why;
    size_t i, n;

    memset(r, 0, sizeof(*r));
    r->method = method ? method : "GET";
    r->url = url;
    if (!*r->method || strspn(r->method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(r->method))
        return "the method must be upper-case letters (GET, POST, ...)";
    if (bad_chars(url))
        return "the URL has spaces or control characters (percent-encode them)";
    if ((why = url_split(url, &u)) != NULL)
        return why;
    r->https = u.https;
    r->port = u.port;
    slash = u.rest;
    r->host = arena_strndup(a, u.authority, u.authority_len);
    url_host = server_hostname(a, u.host, u.host_len);
    r->hostname = url_host;
    /* Clients send no fragment. */
    n = strcspn(slash, "#");
    r->raw_uri = *slash == '/' ? arena_strndup(a, slash, n)
                               : arena_printf(a, "/%.*s", (int)n, slash);
    n = strcspn(r->raw_uri, "?");
    r->args = r->raw_uri[n] ? r->raw_uri + n + 1 : "";
    r->uri =
        normalize_path(a, nginx_uri_decoded(a, arena_strndup(a, r->raw_uri, n)));
    if (!r->uri)
        return "the path climbs above '/' with '..' (nginx answers 400)";
    r->headers = ARENA_NEW_ARRAY(a, struct explain_header, n_headers + 1);
    for (i = 0; i < n_headers; i++) {
        const char *line = header_lines[i], *sep = strchr(line, ':'), *v;
        size_t k;

        if (!sep || sep == line)
            return arena_printf(a, "header '%s' is not 'Name: value'", line);
        for (k = 0; line + k < sep; k++) {
            if (!isgraph((unsigned char)line[k]))
                return arena_printf(a, "header name '%.*s' has spaces or control characters",
                                    (int)(sep - line), line);
        }
        v = sep + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        if (strpbrk(v, "\r\n"))
            return "a header value must not contain line breaks";
        r->headers[r->n_headers].name = arena_strndup(a, line, (size_t)(sep - line));
        r->headers[r->n_headers++].value = v;
        if (str_eq_nocase(r->headers[r->n_headers - 1].name, "Host")) {
            r->host = v;
            r->hostname = server_hostname(a, v, *v == '[' ? strcspn(v, "]") + 1
                                                          : strcspn(v, ":"));
        }
    }
    if (r->https)
        r->sni = sni ? sni : url_host; /* as curl sends it, whatever Host says */
    else if (sni)
        return "--sni is for https:// URLs";
    if (r->sni && !*r->sni)
        r->sni = NULL; /* --sni '': a client that sends no server name */
    return NULL;
}

const char *explain_header_value(const struct explain_request *r, const char *name)
{
    size_t i;

    for (i = 0; i < r->n_headers; i++) {
        if (str_eq_nocase(r->headers[i].name, name))
            return r->headers[i].value;
    }
    return NULL;
}
