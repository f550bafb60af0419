/*
 * One plain HTTP/1.1 request to nginx on loopback, as a RoutingTest case
 * describes it, and the parts of the answer explain predicts: the status,
 * the Location, and which stub answered with what it received.
 */
#include "verify.h"

#include "base/arena.h"
#include "base/fs.h"
#include "base/str.h"
#include "base/strbuf.h"
#include "explain/explain.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

/* The whole exchange, in milliseconds, and the largest answer read. */
#define HTTP_TIMEOUT_MS 10000
#define HTTP_ANSWER_MAX (1u << 20)

void cli_verify_loopback(struct sockaddr_in *sin, uint32_t port)
{
    memset(sin, 0, sizeof(*sin));
    sin->sin_family = AF_INET;
    sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sin->sin_port = htons((uint16_t)port);
}

static int connect_loopback(uint32_t port)
{
    struct sockaddr_in sin;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    cli_verify_loopback(&sin, port);
    if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* Until the server closes (the request asked it to), the size limit or
 * the deadline. */
static bool read_all(int fd, struct strbuf *out)
{
    char buf[8192];
    int left = HTTP_TIMEOUT_MS;

    while (out->len < HTTP_ANSWER_MAX) {
        struct pollfd p = {fd, POLLIN, 0};
        ssize_t n;
        if (poll(&p, 1, left) <= 0)
            return false;
        n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n == 0;
        strbuf_add(out, buf, (size_t)n);
    }
    return true;
}

/* The value of a header line in head ("Name: value\r\n"), or NULL. */
static const char *header(struct arena *a, const char *head, const char *name)
{
    size_t n = strlen(name);
    const char *line;

    for (line = strstr(head, "\r\n"); line && line[2] != '\r'; line = strstr(line + 2, "\r\n")) {
        if (strncasecmp(line + 2, name, n) == 0 && line[2 + n] == ':') {
            const char *v = line + 3 + n;
            while (*v == ' ' || *v == '\t')
                v++;
            return arena_strndup(a, v, strcspn(v, "\r\n"));
        }
    }
    return NULL;
}

/* A stub's "key value" body line, or NULL. */
static const char *body_line(struct arena *a, const char *body, const char *key)
{
    size_t n = strlen(key);
    const char *line;

    for (line = body; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] != 0)) {
        if (strncmp(line, key, n) == 0 && line[n] == ' ')
            return arena_strndup(a, line + n + 1, strcspn(line + n + 1, "\n"));
    }
    return NULL;
}

const char *cli_verify_http(struct arena *a, uint32_t port, bool proxy_protocol,
                            const struct explain_request *r,
                            struct verify_answer *out)
{
    struct strbuf req = STRBUF_INIT, resp = STRBUF_INIT;
    const char *why = NULL, *end;
    size_t i;
    int fd;

    memset(out, 0, sizeof(*out));
    /* A socket that expects a PROXY header (ClientPolicy ProxyProtocol):
     * this client names itself, as a load balancer on loopback would. */
    if (proxy_protocol)
        strbuf_addf(&req, "PROXY TCP4 127.0.0.1 127.0.0.1 1 %u\r\n", (unsigned)port);
    strbuf_addf(&req, "%s %s HTTP/1.1\r\n", r->method, r->raw_uri);
    if (!explain_header_value(r, "Host"))
        strbuf_addf(&req, "Host: %s\r\n", r->host);
    for (i = 0; i < r->n_headers; i++)
        strbuf_addf(&req, "%s: %s\r\n", r->headers[i].name, r->headers[i].value);
    strbuf_addstr(&req, "Connection: close\r\n\r\n");
    fd = connect_loopback(port);
    if (fd < 0) {
        why = arena_printf(a, "cannot connect to port %u: %s", (unsigned)port, strerror(errno));
        goto out;
    }
    if (!fs_write_all(fd, req.buf, req.len) || !read_all(fd, &resp)) {
        why = arena_printf(a, "no complete answer from port %u", (unsigned)port);
        goto out;
    }
    end = resp.len ? strstr(resp.buf, "\r\n\r\n") : NULL;
    if (!end || strncmp(resp.buf, "HTTP/1.", 7) != 0 || resp.len < 12) {
        why = "the answer is not HTTP";
        goto out;
    }
    out->status = atoi(resp.buf + 9);
    out->location = header(a, resp.buf, "Location");
    out->service = header(a, resp.buf, "X-Gwc-Service");
    if (out->service) {
        out->path = body_line(a, end + 4, "path");
        out->host = body_line(a, end + 4, "host");
    }
out:
    if (fd >= 0)
        close(fd);
    strbuf_release(&req);
    strbuf_release(&resp);
    return why;
}
