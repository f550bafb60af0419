/*
 * The stand-ins for Services: a loopback socket per Service, bound when
 * the plan first names the Service (so its port is known before nginx's
 * configuration is written), served by one child process that answers
 * every request with the Service's name and what it received.
 */
#include "verify.h"

#include "base/arena.h"
#include "base/fs.h"
#include "base/strbuf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* The largest request head a stub reads; nginx sends far less. */
#define STUB_HEAD_MAX 65536
/* How long a stub waits for a request head, in milliseconds. */
#define STUB_READ_MS 5000

struct verify_stub {
    const char *name; /* "ns/name" */
    const char *address;
    int fd;
};

static int listen_loopback(uint16_t *port)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof(sin);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    cli_verify_loopback(&sin, 0);
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 || bind(fd, (struct sockaddr *)&sin, len) != 0 ||
        listen(fd, 64) != 0 || getsockname(fd, (struct sockaddr *)&sin, &len) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    *port = ntohs(sin.sin_port);
    return fd;
}

static const char *stub_address(void *ctx, const char *ns, const char *name)
{
    struct verify_stubs *s = ctx;
    const char *key = arena_printf(s->a, "%s/%s", ns, name);
    void **slot = strhash_slot(&s->by_name, key);
    struct verify_stub *st = *slot;
    uint16_t port;

    if (st)
        return st->address;
    st = ARENA_NEW(s->a, struct verify_stub);
    st->name = key;
    st->fd = listen_loopback(&port);
    if (st->fd < 0) {
        if (!s->error)
            s->error = errno;
        /* An address nothing listens on: nginx answers 502, never a real
         * endpoint; verification stops on s->error anyway. */
        port = 1;
    }
    st->address = arena_printf(s->a, VERIFY_ADDRESS ":%u", (unsigned)port);
    *slot = st;
    ptrvec_push(s->a, &s->all, st);
    return st->address;
}

void cli_verify_stubs_init(struct verify_stubs *s, struct arena *a)
{
    memset(s, 0, sizeof(*s));
    s->a = a;
    strhash_init(&s->by_name, a);
    s->endpoints.address = stub_address;
    s->endpoints.ctx = s;
    s->stop_fd = -1;
}

/* The request's target and Host header, from its head. */
static void parse_head(const char *head, struct strbuf *target, struct strbuf *host)
{
    const char *sp = strchr(head, ' '), *line;
    size_t n;

    if (sp) {
        n = strcspn(sp + 1, " \r\n");
        strbuf_add(target, sp + 1, n);
    }
    for (line = strstr(head, "\r\n"); line && line[2] != '\r'; line = strstr(line + 2, "\r\n")) {
        if (strncasecmp(line + 2, "Host:", 5) == 0) {
            const char *v = line + 7;
            while (*v == ' ' || *v == '\t')
                v++;
            strbuf_add(host, v, strcspn(v, "\r\n"));
        }
    }
}

/* Reads one request head and answers it; the body names the Service and
 * what it received, one "key value" line each. */
static void answer(const struct verify_stub *st, int fd)
{
    char *head = malloc(STUB_HEAD_MAX + 1);
    size_t len = 0;
    struct strbuf target = STRBUF_INIT, host = STRBUF_INIT, body = STRBUF_INIT;
    struct strbuf resp = STRBUF_INIT;

    if (!head)
        return;
    while (len < STUB_HEAD_MAX) {
        struct pollfd p = {fd, POLLIN, 0};
        ssize_t r;
        if (poll(&p, 1, STUB_READ_MS) <= 0)
            break;
        r = read(fd, head + len, STUB_HEAD_MAX - len);
        if (r <= 0)
            break;
        len += (size_t)r;
        head[len] = '\0';
        if (strstr(head, "\r\n\r\n"))
            break;
    }
    head[len] = '\0';
    parse_head(head, &target, &host);
    strbuf_addf(&body, "service %s\npath %s\nhost %s\n", st->name, target.len ? target.buf : "",
                host.len ? host.buf : "");
    strbuf_addf(&resp,
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Gwc-Service: %s\r\n"
                "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                st->name, body.len);
    strbuf_add(&resp, body.buf, body.len);
    fs_write_all(fd, resp.buf, resp.len);
    strbuf_release(&target);
    strbuf_release(&host);
    strbuf_release(&body);
    strbuf_release(&resp);
    free(head);
}

/* The child: until the parent closes its end of the pipe (or dies). */
static _Noreturn void serve(const struct verify_stubs *s, int stop)
{
    size_t n = s->all.n, i;
    struct pollfd *p = calloc(n + 1, sizeof(*p));

    if (!p)
        _exit(1);
    /* A client gone mid-answer must not kill the stub. */
    signal(SIGPIPE, SIG_IGN);
    for (i = 0; i < n; i++) {
        p[i].fd = ((const struct verify_stub *)s->all.v[i])->fd;
        p[i].events = POLLIN;
    }
    p[n].fd = stop;
    p[n].events = POLLIN;
    for (;;) {
        if (poll(p, n + 1, -1) < 0 && errno != EINTR)
            _exit(1);
        if (p[n].revents)
            _exit(0);
        for (i = 0; i < n; i++) {
            int c;
            if (!(p[i].revents & POLLIN))
                continue;
            c = accept(p[i].fd, NULL, NULL);
            if (c >= 0) {
                answer(s->all.v[i], c);
                close(c);
            }
        }
    }
}

bool cli_verify_stubs_start(struct verify_stubs *s)
{
    int pipefd[2];
    pid_t pid;

    if (pipe(pipefd) != 0)
        return false;
    fcntl(pipefd[0], F_SETFD, FD_CLOEXEC);
    fcntl(pipefd[1], F_SETFD, FD_CLOEXEC);
    fflush(NULL); /* the child must not write the parent's buffers twice */
    pid = fork();
    if (pid < 0) {
        int e = errno;
        close(pipefd[0]);
        close(pipefd[1]);
        errno = e;
        return false;
    }
    if (pid == 0) {
        close(pipefd[1]);
        serve(s, pipefd[0]);
    }
    close(pipefd[0]);
    s->pid = pid;
    s->stop_fd = pipefd[1];
    return true;
}

void cli_verify_stubs_stop(struct verify_stubs *s)
{
    size_t i;

    if (s->stop_fd >= 0) {
        close(s->stop_fd);
        s->stop_fd = -1;
    }
    if (s->pid > 0) {
        /* It exits on the closed pipe; a stub stuck on a slow client is
         * at most STUB_READ_MS away from seeing it. */
        while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
            ;
        s->pid = 0;
    }
    for (i = 0; i < s->all.n; i++) {
        struct verify_stub *st = s->all.v[i];
        if (st->fd >= 0)
            close(st->fd);
        st->fd = -1;
    }
}
