/*
 * gwc test --verify-nginx: what explain predicts for each RoutingTest case,
 * checked against the real nginx serving the compiled configuration.
 *
 * The configuration is the one `gwc compile` writes, with three changes
 * that do not touch routing: it listens on 127.0.0.1, each listener port
 * is mapped to a free one, and every Service's endpoints are a stub that
 * says which Service it is.
 */
#include "verify.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/fs.h"
#include "base/str.h"
#include "base/strbuf.h"
#include "emit/emit.h"
#include "explain/explain.h"
#include "model/model.h"
#include "plan/plan.h"
#include "controller/controller.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_NGINX "/usr/sbin/nginx"

static const struct src_loc no_loc = {SOURCE_NONE, 0, 0, 0};

/* --nginx, else $GWC_NGINX, else Debian's. */
static const char *nginx_path(const struct options *o)
{
    const char *env = getenv("GWC_NGINX");

    return o->nginx ? o->nginx : env && *env ? env : DEFAULT_NGINX;
}

/* A private directory: mkdtemp's, under $TMPDIR, absolute (nginx takes
 * it as its prefix). */
static char *make_dir(struct arena *a)
{
    const char *tmp = getenv("TMPDIR");
    char *cwd = NULL, *dir;

    if (!tmp || !*tmp)
        tmp = "/tmp";
    if (tmp[0] != '/') {
        cwd = getcwd(NULL, 0);
        if (!cwd)
            return NULL;
    }
    dir = arena_printf(a, "%s%s%s/gwc-verify-XXXXXX", cwd ? cwd : "", cwd ? "/" : "", tmp);
    free(cwd);
    return mkdtemp(dir);
}

static uint32_t mapped(const struct options *o, int64_t port)
{
    size_t i;

    for (i = 0; i < o->n_port_map; i++) {
        if (o->port_map[i].from == port)
            return o->port_map[i].to;
    }
    return 0;
}

/* Every listener port gets a free loopback port; false when there are
 * more than a port map holds or no port is free. */
static bool map_ports(const struct controller *ctl, struct options *o)
{
    size_t g, l;

    o->n_port_map = 0;
    for (g = 0; g < ctl->n_gateways; g++) {
        const struct gateway_state *gs = &ctl->gateways[g];
        for (l = 0; l < gs->n_listeners; l++) {
            uint32_t port = (uint32_t)gs->listeners[l].port, to;
            if (mapped(o, port))
                continue;
            if (o->n_port_map == MAX_PORT_MAP ||
                !(to = cli_verify_free_port(o->port_map, o->n_port_map)))
                return false;
            o->port_map[o->n_port_map].from = port;
            o->port_map[o->n_port_map++].to = to;
        }
    }
    return true;
}

static bool predicted_backend(struct arena *a, const struct explain_result *x,
                              const char *service)
{
    size_t i;

    for (i = 0; i < x->n_backends; i++) {
        if (x->backends[i].backend &&
            str_eq(explain_backend_name(a, x->backends[i].backend), service))
            return true;
    }
    return false;
}

static bool predicted_share_status(const struct explain_result *x, int status)
{
    size_t i;

    for (i = 0; i < x->n_backends; i++) {
        if (!x->backends[i].backend && x->backends[i].status == status)
            return true;
    }
    return false;
}

/* Why a stub cannot stand in for the case's backends, or NULL. */
static const char *unverifiable(struct arena *a, const struct explain_case *k)
{
    const struct explain_result *x = &k->result;
    size_t i;

    if (!k->runnable)
        return "the request cannot be sent";
    if (k->request.https)
        return "HTTPS is not verified (gwc has no TLS client)";
    if (x->error)
        return arena_printf(a, "gwc predicts no answer (%s)", x->error);
    if (x->winner && x->winner->grpc)
        return "gRPC is not verified (the stubs speak HTTP/1.1)";
    for (i = 0; i < x->n_backends; i++) {
        const struct backend *b = x->backends[i].backend;
        if (b && b->tls_policy)
            return "TLS to the backend is not verified (the stubs speak plain HTTP)";
        if (b && (str_eq(ctl_backend_app_protocol(b), "kubernetes.io/h2c") ||
                  str_eq(ctl_backend_app_protocol(b), "kubernetes.io/ws")))
            return "the backend's protocol is not verified (the stubs speak HTTP/1.1)";
    }
    return NULL;
}

static const char *answer_text(struct arena *a, const struct verify_answer *ans)
{
    if (ans->service)
        return arena_printf(a, "%s (path %s, Host %s)", ans->service, ans->path ? ans->path : "?",
                            ans->host ? ans->host : "?");
    if (ans->location)
        return arena_printf(a, "status %d Location: %s", ans->status, ans->location);
    return arena_printf(a, "status %d", ans->status);
}

/* NULL when nginx answered as predicted, else how it differs. */
static const char *disagreement(struct arena *a, const struct explain_result *x,
                                const struct verify_answer *ans)
{
    if (x->status) {
        /* A stub answers 200: a Service's body with the predicted status
         * and path / is an errorResponses page rendered by that Service
         * (nginx keeps the status), which explain does not model. */
        bool error_page = ans->service && str_eq(ans->path, "/");
        if ((ans->service && !error_page) || ans->status != x->status)
            return "a different answer";
        if (x->location && !str_eq(ans->location, x->location))
            return "a different Location";
        return NULL;
    }
    if (!ans->service)
        return predicted_share_status(x, ans->status) ? NULL : "no backend";
    if (!predicted_backend(a, x, ans->service))
        return "a backend gwc does not predict";
    if (x->upstream.path && !str_eq(ans->path, x->upstream.path))
        return "a different path for the backend";
    if (x->upstream.host && !str_eq(ans->host, x->upstream.host))
        return "a different Host for the backend";
    return NULL;
}

/* Does the http{} socket on port read a PROXY header from its clients? */
static bool reads_proxy_protocol(const struct plan *plan, uint32_t port)
{
    size_t i;

    for (i = 0; i < plan->n_servers; i++) {
        const struct plan_listen *l = &plan->servers[i]->listen;
        if (!l->unix_path && l->port == (int64_t)port)
            return l->proxy_protocol;
    }
    return false;
}

static void ask(struct compilation *c, const struct options *o, const struct plan *plan,
                struct explain_case *k, struct verify_verdict *v)
{
    struct arena *a = c->arena;
    struct verify_answer ans;
    const char *why = unverifiable(a, k), *differs;

    v->result = VERIFY_SKIPPED;
    if (why) {
        v->detail = why;
        return;
    }
    why = cli_verify_http(a, mapped(o, k->request.port),
                          reads_proxy_protocol(plan, mapped(o, k->request.port)),
                          &k->request, &ans);
    v->result = VERIFY_DISAGREES;
    if (why) {
        v->detail = why;
    } else if ((differs = disagreement(a, &k->result, &ans)) != NULL) {
        v->detail = arena_printf(a, "%s: %s", differs, answer_text(a, &ans));
    } else {
        v->result = VERIFY_AGREES;
        v->detail = answer_text(a, &ans);
        return;
    }
    diag_report(&c->diags, DIAG_ROUTING_TEST_NGINX, ynode_loc(c, k->rcase->src),
                model_object_label(c, &k->test->obj), model_path(c, k->rcase->src),
                "%s: gwc predicts %s; nginx: %s", k->name,
                explain_summary(a, &k->result), v->detail);
}

/* Compiles into dir/out; false (reported) when it cannot. */
static bool compile_into(struct compilation *c, const struct options *o,
                         const struct controller *ctl, struct plan *plan)
{
    return cli_render(c, o, ctl, plan) && cli_write_output(c, o, plan);
}

size_t cli_verify_nginx(struct compilation *c, const struct options *o,
                        const struct model *m, const struct controller *ctl,
                        struct explain_case **cases,
                        struct verify_verdict **verdicts)
{
    struct options vo = *o;
    struct verify_stubs stubs;
    struct verify_nginx nginx = {0, NULL};
    struct plan plan;
    const char *dir, *why = NULL;
    size_t n = 0, i;

    *cases = NULL;
    *verdicts = NULL;
    cli_verify_stubs_init(&stubs, c->arena);
    if (!(dir = make_dir(c->arena))) {
        diag_report(&c->diags, DIAG_VERIFY_FAILED, no_loc, NULL, NULL,
                    "cannot create a temporary directory: %s", strerror(errno));
        return 0;
    }
    vo.output = arena_printf(c->arena, "%s/out", dir);
    vo.socket_dir = arena_printf(c->arena, "%s/sockets", dir);
    vo.listen_address = VERIFY_ADDRESS;
    vo.endpoints = &stubs.endpoints;
    if (!map_ports(ctl, &vo)) {
        why = "no free loopback port for every listener";
    } else if (mkdir(vo.socket_dir, 0700) != 0 || !compile_into(c, &vo, ctl, &plan)) {
        why = "the configuration could not be written";
    } else if (stubs.error) {
        why = arena_printf(c->arena, "cannot open a stub backend: %s", strerror(stubs.error));
    } else {
        n = cli_routing_tests(c, &vo, m, ctl, &plan, cases);
        if (n && !cli_verify_stubs_start(&stubs))
            why = arena_printf(c->arena, "cannot start the stub backends: %s", strerror(errno));
        else if (n)
            why =
                cli_verify_nginx_start(c->arena, nginx_path(o), vo.output, &nginx);
    }
    if (why) {
        diag_report(&c->diags, DIAG_VERIFY_FAILED, no_loc, NULL, NULL,
                    "cannot verify the RoutingTests with nginx: %s", why);
    } else if (n) {
        *verdicts = ARENA_NEW_ARRAY(c->arena, struct verify_verdict, n);
        for (i = 0; i < n; i++)
            ask(c, &vo, &plan, &(*cases)[i], &(*verdicts)[i]);
    }
    cli_verify_nginx_stop(&nginx);
    cli_verify_stubs_stop(&stubs);
    if (!fs_remove_tree(dir))
        diag_report(&c->diags, DIAG_VERIFY_FAILED, no_loc, NULL, NULL,
                    "cannot remove the temporary directory %s: %s", dir, strerror(errno));
    return n;
}
