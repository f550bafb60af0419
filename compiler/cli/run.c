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
#include "validate/validate.h"
#include "plan/plan.h"
#include "emit/emit.h"
#include "base/fs.h"

#include <errno.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool use_color(const struct options *o)
{
    const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");

    if (o->color == COLOR_ALWAYS)
        return true;
    if (o->color == COLOR_NEVER)
        return false;
    return isatty(2) && !(no_color && *no_color) && !(term && strcmp(term, "dumb") == 0);
}

/* Machine formats of check and compile go to standard output, which those
 * commands do not otherwise use; status and import keep stdout for their
 * own output. */
void cli_print_diagnostics(struct compilation *c, const struct options *o)
{
    struct diag_render_options ro = {o->diag_format, use_color(o),
                                     o->diag_format == DIAG_FORMAT_TEXT && isatty(2),
                                     GWC_VERSION};
    bool own_stdout = o->command == CMD_STATUS || o->command == CMD_IMPORT;
    FILE *out = stderr;
    struct strbuf text = STRBUF_INIT;

    if (o->command == CMD_STATUS)
        ro.format = DIAG_FORMAT_TEXT;
    if (ro.format != DIAG_FORMAT_TEXT && !own_stdout)
        out = stdout;
    diag_sort(&c->diags, &c->sources);
    diag_render(&c->diags, &c->sources, &ro, &text);
    if (ro.format == DIAG_FORMAT_TEXT && (c->diags.errors || c->diags.warnings))
        strbuf_addf(&text, "gwc: %u error%s, %u warning%s\n", c->diags.errors,
                    c->diags.errors == 1 ? "" : "s", c->diags.warnings,
                    c->diags.warnings == 1 ? "" : "s");
    fwrite(text.buf, 1, text.len, out);
    fflush(out);
    strbuf_release(&text);
}

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

bool cli_load_model(struct compilation *c, const struct options *o,
                    struct model *m)
{
    struct ydoc_list docs = {0};
    struct model_options mo = {o->strict};
    bool ok;

    ok = load_inputs(c, &load_default_limits, o->paths, o->n_paths, &docs);
    /* Decode what did load, so one broken file does not hide the others'
     * problems. */
    ok = model_build(c, &docs, &mo, m) && ok;
    return ok;
}

/* The front of check, compile and status: load, decode, validate. */
static void validate_inputs(struct compilation *c, const struct options *o,
                            struct model *m, struct controller *ctl)
{
    struct validate_options vo;

    memset(&vo, 0, sizeof(vo));
    vo.controller_name = o->controller_name;
    vo.gateway_classes = o->gateway_classes;
    vo.n_gateway_classes = o->n_gateway_classes;
    vo.strict_refs = o->strict_refs;
    vo.listen_address = o->listen_address;
    compilation_init(c);
    cli_load_model(c, o, m);
    validate_model(c, m, &vo, ctl);
}

int run_check(const struct options *o)
{
    struct compilation c;
    struct controller ctl;
    struct model m;
    int status;

    validate_inputs(&c, o, &m, &ctl);
    cli_print_diagnostics(&c, o);
    status = cli_exit_status(&c, o);
    compilation_release(&c);
    return status;
}

/* Writes the output set into a staging directory and swaps it into place:
 * readers see the old set or the new one, never a mix. */
static bool write_output(struct compilation *c, const char *dir,
                         const struct plan *plan, const struct emit_output *eo)
{
    struct fs_staging st;
    bool ok;
    size_t i;

    if (!fs_staging_begin(&st, dir))
        goto fail;
    ok = fs_staging_write(&st, "nginx.conf", eo->nginx_conf->buf, eo->nginx_conf->len, 0644) &&
         fs_staging_write(&st, "http.conf", eo->http_conf->buf, eo->http_conf->len, 0644) &&
         fs_staging_mkdir(&st, "logs") && fs_staging_mkdir(&st, "tmp") &&
         fs_staging_mkdir(&st, "certs");
    if (ok && eo->stream_conf->len)
        ok = fs_staging_write(&st, "stream.conf", eo->stream_conf->buf,
                              eo->stream_conf->len, 0644);
    for (i = 0; ok && i < plan->n_files; i++)
        ok = fs_staging_write(&st, plan->files[i].path, plan->files[i].data,
                              plan->files[i].len, plan->files[i].mode);
    if (!ok) {
        fs_staging_abort(&st);
        goto fail;
    }
    if (fs_staging_commit(&st))
        return true;
fail:
    {
        struct src_loc none = {SOURCE_NONE, 0, 0, 0};
        diag_report(&c->diags, DIAG_OUTPUT_FAILED, none, NULL, NULL,
                    "cannot write '%s': %s", dir, strerror(errno));
    }
    return false;
}

int run_compile(const struct options *o)
{
    struct compilation c;
    struct controller ctl;
    struct model m;
    int status;

    validate_inputs(&c, o, &m, &ctl);
    /* What the API server would refuse is never compiled: DIR stays as it
     * was.  Controller findings are compiled around, as a controller does. */
    if (!diag_has_class_error(&c.diags, DCLASS_INPUT) &&
        !diag_has_class_error(&c.diags, DCLASS_MANIFEST)) {
        struct strbuf nginx_conf = STRBUF_INIT, http_conf = STRBUF_INIT;
        struct strbuf stream_conf = STRBUF_INIT;
        struct emit_output eo = {&nginx_conf, &http_conf, &stream_conf};
        struct emit_options eopt = {o->modules_dir};
        uint32_t port_map[MAX_PORT_MAP][2];
        struct plan_options po = {o->listen_address, (const uint32_t (*)[2])port_map,
                                  o->n_port_map, o->resolver, o->socket_dir};
        struct plan plan;
        size_t i;

        for (i = 0; i < o->n_port_map; i++) {
            port_map[i][0] = o->port_map[i].from;
            port_map[i][1] = o->port_map[i].to;
        }
        plan_build(&c, &ctl, &po, &plan);
        emit_nginx(&plan, &eopt, &eo);
        write_output(&c, o->output, &plan, &eo);
        strbuf_release(&nginx_conf);
        strbuf_release(&http_conf);
        strbuf_release(&stream_conf);
    }
    cli_print_diagnostics(&c, o);
    status = cli_exit_status(&c, o);
    compilation_release(&c);
    return status;
}

int run_status(const struct options *o)
{
    struct compilation c;
    struct controller ctl;
    struct strbuf out = STRBUF_INIT;
    struct model m;
    int status;

    validate_inputs(&c, o, &m, &ctl);
    if (!diag_has_class_error(&c.diags, DCLASS_INPUT)) {
        status_write(&ctl, o->status_format == STATUS_JSON, &out);
        fwrite(out.buf, 1, out.len, stdout);
        fflush(stdout);
    }
    cli_print_diagnostics(&c, o);
    status = cli_exit_status(&c, o);
    strbuf_release(&out);
    compilation_release(&c);
    return status;
}


