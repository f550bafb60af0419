/*
 * The commands.  Each runs the pipeline as far as it needs, renders the
 * diagnostics and turns them into an exit status; nothing below the CLI
 * prints or exits.
 */
#include "cli_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/strbuf.h"
#include "load/load.h"
#include "model/model.h"
#include "importer/importer.h"
#include "controller/controller.h"
#include "plan/plan.h"
#include "schema/schema.h"
#include "emit/emit.h"
#include "explain/explain.h"
#include "base/outdir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_exit_status(const struct compilation *c, const struct options *o)
{
    if (diag_has_class_error(&c->diags, DCLASS_INPUT))
        return EXIT_USAGE;
    switch (o->fail_on) {
    case FAIL_ON_ERROR:
        return c->diags.errors ? EXIT_FINDINGS : EXIT_CLEAN;
    case FAIL_ON_WARNING:
        return c->diags.errors || c->diags.warnings ? EXIT_FINDINGS : EXIT_CLEAN;
    case FAIL_ON_NEVER:
        return EXIT_CLEAN;
    }
    return EXIT_CLEAN;
}

/* The paths of the command line, in the scope its options give; the
 * documents go to each_document as they are parsed when it is set
 * (load_scope). */
static bool load_paths(struct compilation *c, const struct options *o,
                       struct ydoc_list *docs,
                       void (*each_document)(void *, const struct ydoc_list *), void *ctx)
{
    struct load_scope scope = {o->exclude,      o->n_exclude,   o->context,
                               o->n_context,    false,          o->config_path,
                               each_document,   ctx};

    return load_inputs(c, &load_default_limits, o->paths, o->n_paths, &scope, docs);
}

/* A wrong path in CI must not pass: paths that hold no manifest at all are
 * an input error (exit 2) unless --allow-empty says that is expected.
 * Input that failed to read or parse has its own errors. */
static void require_manifests(struct compilation *c, const struct options *o,
                              const struct model *m)
{
    struct src_loc none = {SOURCE_NONE, 0, 0, 0};
    struct strbuf paths = STRBUF_INIT;
    size_t i;

    if (m->n_manifests || o->allow_empty || c->diags.errors)
        return;
    for (i = 0; i < o->n_paths; i++)
        strbuf_addf(&paths, "%s'%s'", i ? ", " : "", o->paths[i]);
    diag_report(&c->diags, DIAG_NO_MANIFESTS, none, NULL, NULL,
                "no Kubernetes manifest (a document with apiVersion and kind) in %s; "
                "check the paths, or pass --allow-empty if that is expected",
                paths.buf);
    strbuf_release(&paths);
}

bool cli_load_model(struct compilation *c, const struct options *o,
                    struct model *m, struct ydoc_list *docs)
{
    struct ydoc_list own = {0};
    struct model_options mo = {o->allow_unknown_fields, NULL};
    const char *groups[16];
    bool ok;

    if (o->command == CMD_IMPORT && imp_crd_groups(groups, 16))
        mo.read_elsewhere = groups;
    if (!docs)
        docs = &own;
    ok = load_paths(c, o, docs, NULL, NULL);
    ok = model_build(c, docs, &mo, m) && ok;
    require_manifests(c, o, m);
    return ok;
}

static void validate_options(const struct options *o, struct validate_options *vo)
{
    memset(vo, 0, sizeof(*vo));
    vo->controller_name = o->controller_name;
    vo->gateway_classes = o->gateway_classes;
    vo->n_gateway_classes = o->n_gateway_classes;
    vo->gateways = o->gateways;
    vo->n_gateways = o->n_gateways;
    vo->strict_refs = o->strict_refs;
    /* Only compile serves every Gateway from one nginx; status and check
     * answer as the cluster's controller would, whatever the flags. */
    if (o->command == CMD_COMPILE) {
        vo->one_nginx = true;
        vo->listen_address = o->listen_address;
    }
}

void cli_validate(struct compilation *c, const struct options *o,
                  const struct ydoc_list *docs, struct model *m,
                  struct controller *ctl)
{
    struct model_options mo = {o->allow_unknown_fields};
    struct validate_options vo;

    validate_options(o, &vo);
    model_build(c, docs, &mo, m);
    ctl_model(c, m, &vo, ctl);
}

static void decode_documents(void *builder, const struct ydoc_list *docs)
{
    model_add(builder, docs);
}

void cli_validate_inputs(struct compilation *c, const struct options *o, struct model *m,
                         struct controller *ctl)
{
    /* Each document is decoded as soon as it is parsed, so that its tree
     * can go before the next one's is built (model_options.check). */
    struct model_options mo = {o->allow_unknown_fields, NULL, schema_check_object};
    struct validate_options vo;
    struct model_builder *b;

    validate_options(o, &vo);
    compilation_init(c);
    b = model_begin(c, &mo, m);
    /* What did load is decoded, so one broken file does not hide the
     * others' problems. */
    load_paths(c, o, NULL, decode_documents, b);
    model_end(b);
    ctl_model(c, m, &vo, ctl);
    require_manifests(c, o, m);
}

int cli_run_check(const struct options *o)
{
    struct compilation c;
    struct controller ctl;
    struct model m;
    struct explain_case *cases;
    int status;

    cli_validate_inputs(&c, o, &m, &ctl);
    if (!diag_has_class_error(&c.diags, DCLASS_MANIFEST))
        cli_routing_tests(&c, o, &m, &ctl, NULL, &cases);
    cli_report(&c, o, &m);
    status = cli_exit_status(&c, o);
    compilation_release(&c);
    return status;
}

void cli_plan_options(const struct options *o, uint32_t (*port_map)[2],
                      const char *socket_dir, struct plan_options *po)
{
    size_t i;

    for (i = 0; i < o->n_port_map; i++) {
        port_map[i][0] = o->port_map[i].from;
        port_map[i][1] = o->port_map[i].to;
    }
    memset(po, 0, sizeof(*po));
    po->listen_address = o->listen_address;
    po->port_map = (const uint32_t (*)[2])port_map;
    po->n_port_map = o->n_port_map;
    po->resolver = o->resolver;
    po->socket_dir = socket_dir;
    po->secrets_dir = o->secrets_dir;
    po->configmaps_dir = o->configmaps_dir;
    po->endpoints = o->endpoints;
}

/* Explain writes no file; the plan only names its unix sockets. */
#define TEST_SOCKET_DIR "/run/gwc-test"

size_t cli_routing_tests(struct compilation *c, const struct options *o,
                         const struct model *m, const struct controller *ctl,
                         const struct plan *built, struct explain_case **cases)
{
    uint32_t port_map[MAX_PORT_MAP][2];
    struct plan_options po;
    struct plan plan;

    *cases = NULL;
    if (m->objects[KIND_ROUTING_TEST].n == 0 || diag_has_class_error(&c->diags, DCLASS_INPUT))
        return 0;
    cli_plan_options(o, port_map, o->socket_dir ? o->socket_dir : TEST_SOCKET_DIR, &po);
    if (!built) {
        plan_build(c, ctl, &po, &plan);
        built = &plan;
    }
    return explain_run_tests(c, m, built, &po, cases);
}

/* The emitter's text goes to the staged file as it is made. */
static void sink_begin(void *ctx, const char *path)
{
    outdir_begin(ctx, path, 0644);
}

static void sink_write(void *ctx, const char *data, size_t len)
{
    outdir_write(ctx, data, len);
}

/* The files of a compilation, entry point last: outdir.h renames them in
 * this order, so nginx.conf names a complete set once it changes. */
bool cli_write_output(struct compilation *c, const struct options *o,
                      const struct plan *plan)
{
    const char *dirs[] = {"logs", "tmp", "certs", "sockets"};
    const char **paths = ARENA_NEW_ARRAY(c->arena, const char *,
                                         plan->n_files + EMIT_MAX_FILES);
    struct emit_options eopt = {o->modules_dir};
    struct src_loc none = {SOURCE_NONE, 0, 0, 0};
    struct strbuf why = STRBUF_INIT;
    struct outdir *d;
    enum outdir_result r;
    size_t i;

    for (i = 0; i < plan->n_files; i++)
        paths[i] = plan->files[i].path;
    r = outdir_open(c->arena, o->output, paths,
                    plan->n_files + emit_files(plan, paths + plan->n_files), o->force,
                    &why, &d);
    if (r == OUTDIR_OK) {
        struct emit_sink sink = {sink_begin, sink_write, d};

        for (i = 0; i < plan->n_files; i++) {
            outdir_begin(d, plan->files[i].path, plan->files[i].mode);
            outdir_write(d, plan->files[i].data, plan->files[i].len);
        }
        emit_nginx_to(plan, &eopt, &sink);
        /* DIR/sockets only when the sockets live there. */
        r = outdir_commit(d, dirs, o->socket_dir || !plan->uses_socket_dir ? 3 : 4);
    }
    if (r != OUTDIR_OK)
        diag_report(&c->diags, r == OUTDIR_REFUSED ? DIAG_OUTPUT_NOT_OURS : DIAG_OUTPUT_FAILED,
                    none, NULL, NULL, "%s", why.buf);
    strbuf_release(&why);
    return r == OUTDIR_OK;
}

/* The unix sockets' default home: DIR/sockets, absolute, since nginx takes
 * a unix: path as it is, not relative to its prefix. */
static const char *default_socket_dir(struct arena *a, const char *out)
{
    struct strbuf sb = STRBUF_INIT;
    const char *dir;
    size_t n = strlen(out);

    if (out[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        strbuf_addstr(&sb, cwd ? cwd : ".");
        free(cwd);
        while (n >= 2 && out[0] == '.' && out[1] == '/') {
            out += 2;
            n -= 2;
            while (n && *out == '/') {
                out++;
                n--;
            }
        }
        if (strcmp(out, ".") == 0)
            n = 0;
        if (n)
            strbuf_addch(&sb, '/');
    }
    while (n > 1 && out[n - 1] == '/')
        n--;
    strbuf_add(&sb, out, n);
    if (!strbuf_ends_with(&sb, "/"))
        strbuf_addch(&sb, '/');
    strbuf_addstr(&sb, "sockets");
    dir = arena_strndup(a, sb.buf, sb.len);
    strbuf_release(&sb);
    return dir;
}

bool cli_render(struct compilation *c, const struct options *o,
                const struct controller *ctl, struct plan *plan)
{
    uint32_t port_map[MAX_PORT_MAP][2];
    const char *socket_dir = o->socket_dir ? o->socket_dir
                                           : default_socket_dir(c->arena, o->output);
    struct plan_options po;

    cli_plan_options(o, port_map, socket_dir, &po);
    /* Planning needs the model's values, not the YAML positions: the plan
     * reuses the trees' memory.  RoutingTests read them, and the plan's
     * route candidates, after planning. */
    if (ctl->model->objects[KIND_ROUTING_TEST].n == 0) {
        compilation_drop_tree(c);
        po.no_explain = true;
    }
    plan_build(c, ctl, &po, plan);
    /* What of the trees' memory the plan left unused goes back before
     * the output is written. */
    arena_trim(c->arena);
    if (plan->uses_socket_dir && !o->socket_dir &&
        cli_socket_dir_problem(socket_dir)) {
        struct src_loc none = {SOURCE_NONE, 0, 0, 0};
        diag_report(&c->diags, DIAG_SOCKET_DIR_TOO_LONG, none, NULL, NULL,
                    "nginx needs unix sockets between stream{} and http{} here, "
                    "by default in '%s', which is %s; pass --socket-dir with a "
                    "shorter absolute directory, or compile into a shorter path",
                    socket_dir, cli_socket_dir_problem(socket_dir));
        return false;
    }
    return true;
}

int cli_run_compile(const struct options *o)
{
    struct explain_case *cases;
    struct compilation c;
    struct controller ctl;
    struct model m;
    int status;

    cli_validate_inputs(&c, o, &m, &ctl);
    /* What the API server would refuse is never compiled: DIR stays as it
     * was.  Controller findings are compiled around, as a controller does. */
    if (!diag_has_class_error(&c.diags, DCLASS_INPUT) &&
        !diag_has_class_error(&c.diags, DCLASS_MANIFEST)) {
        struct plan plan;
        bool rendered = cli_render(&c, o, &ctl, &plan);

        cli_routing_tests(&c, o, &m, &ctl, &plan, &cases);
        if (rendered)
            cli_write_output(&c, o, &plan);
    }
    cli_report(&c, o, &m);
    status = cli_exit_status(&c, o);
    compilation_release(&c);
    return status;
}

static void write_stdout(struct strbuf *text, void *failed)
{
    if (fwrite(text->buf, 1, text->len, stdout) != text->len)
        *(bool *)failed = true;
}

int cli_run_status(const struct options *o)
{
    struct compilation c;
    struct controller ctl;
    struct strbuf out = STRBUF_INIT;
    struct model m;
    bool failed = false;
    int status;

    cli_validate_inputs(&c, o, &m, &ctl);
    if (!diag_has_class_error(&c.diags, DCLASS_INPUT)) {
        ctl_status_write(&ctl,
                         o->status_format == STATUS_JSON ? DOC_FORMAT_JSON
                                                         : DOC_FORMAT_YAML,
                         &out, write_stdout, &failed);
        if (failed || fflush(stdout) != 0) {
            struct src_loc none = {SOURCE_NONE, 0, 0, 0};
            diag_report(&c.diags, DIAG_OUTPUT_FAILED, none, NULL, NULL,
                        "cannot write standard output: %s", strerror(errno));
        }
    }
    cli_report(&c, o, &m);
    status = cli_exit_status(&c, o);
    strbuf_release(&out);
    compilation_release(&c);
    return status;
}


