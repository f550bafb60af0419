/*
 * gwc test --verify-nginx: the RoutingTests' requests sent to the real
 * nginx serving the compiled configuration, with one stub backend per
 * Service that answers with its own name.  Everything runs on 127.0.0.1,
 * in a private temporary directory gwc creates and removes, and every
 * process is stopped by the PID gwc got when it started it.
 */
#ifndef GWC_CLI_VERIFY_H
#define GWC_CLI_VERIFY_H

#include "cli_internal.h"
#include "base/ptrvec.h"
#include "base/strhash.h"
#include "plan/plan.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct arena;
struct explain_case;
struct explain_request;

#define VERIFY_ADDRESS "127.0.0.1"

/* ---- verify.c ---- */

enum verify_result { VERIFY_AGREES, VERIFY_DISAGREES, VERIFY_SKIPPED };

struct verify_verdict {
    enum verify_result result;
    const char *detail; /* what nginx answered, or why it was not asked */
};

/* Runs the input's RoutingTests as cli_routing_tests does, against a
 * configuration compiled for loopback, then asks nginx each case.
 * *verdicts is one per case, or NULL when nginx could not be asked (the
 * reason is a diagnostic in c). */
size_t cli_verify_nginx(struct compilation *c, const struct options *o,
                        const struct model *m, const struct controller *ctl,
                        struct explain_case **cases,
                        struct verify_verdict **verdicts);

/* ---- verify_stub.c: the stand-ins for Services ---- */

/* A listening socket per Service, opened when the plan first asks for the
 * Service's address; then one child process answers on all of them. */
struct verify_stubs {
    struct arena *a;
    struct plan_endpoints endpoints; /* for plan_options */
    struct strhash by_name;          /* "ns/name" -> struct verify_stub * */
    struct ptrvec all;
    int error;    /* errno of the first socket that could not be opened */
    pid_t pid;    /* the answering child, or 0 */
    int stop_fd;  /* closing it tells the child to exit */
};

void cli_verify_stubs_init(struct verify_stubs *s, struct arena *a);
/* Starts the child; false with errno set. */
bool cli_verify_stubs_start(struct verify_stubs *s);
/* Stops the child (if started) and closes every socket. */
void cli_verify_stubs_stop(struct verify_stubs *s);

/* ---- verify_proc.c: nginx ---- */

/* A loopback port free for TCP and UDP, not a destination of taken[0..n);
 * 0 if none. */
uint32_t cli_verify_free_port(const struct port_map_entry *taken, size_t n);

struct verify_nginx {
    pid_t pid;       /* the master, leader of its own process group */
    const char *dir; /* its prefix */
};

/* Starts nginx on dir (a compiled output) and waits until it has bound its
 * listeners.  NULL, or why it did not start (with what nginx said). */
const char *cli_verify_nginx_start(struct arena *a, const char *nginx,
                                   const char *dir, struct verify_nginx *out);
/* Stops it: graceful, then its whole process group killed after a grace
 * period; reaps the master. */
void cli_verify_nginx_stop(struct verify_nginx *n);

/* ---- verify_http.c: one request ---- */

struct sockaddr_in;
/* 127.0.0.1:port (0: any free port, for bind). */
void cli_verify_loopback(struct sockaddr_in *sin, uint32_t port);

struct verify_answer {
    int status;
    const char *location; /* NULL: none */
    const char *service;  /* the stub that answered ("ns/name"), or NULL */
    const char *path;     /* what the stub received */
    const char *host;
};

/* Sends r to 127.0.0.1:port over plain HTTP (after a PROXY header that
 * names 127.0.0.1 when the socket expects one) and reads the answer; NULL,
 * or why there is none. */
const char *cli_verify_http(struct arena *a, uint32_t port, bool proxy_protocol,
                            const struct explain_request *r,
                            struct verify_answer *out);

#endif
