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

void cli_validate_options(const struct options *o, struct validate_options *vo)
{
    vo->controller_name = o->controller_name;
    vo->gateway_classes = o->gateway_classes;
    vo->n_gateway_classes = o->n_gateway_classes;
    vo->strict_refs = o->strict_refs;
    vo->listen_address = o->listen_address;
}

int run_check(const struct options *o)
{
    struct compilation c;
    struct validate_options vo;
    struct controller ctl;
    struct model m;
    int status;

    compilation_init(&c);
    cli_load_model(&c, o, &m);
    cli_validate_options(o, &vo);
    validate_model(&c, &m, &vo, &ctl);
    cli_print_diagnostics(&c, o);
    status = cli_exit_status(&c, o);
    compilation_release(&c);
    return status;
}

int run_compile(const struct options *o)
{
    (void)o;
    fputs("gwc: compile is not implemented yet\n", stderr);
    return EXIT_INTERNAL;
}

int run_status(const struct options *o)
{
    struct compilation c;
    struct validate_options vo;
    struct controller ctl;
    struct strbuf out = STRBUF_INIT;
    struct model m;
    int status;

    compilation_init(&c);
    cli_load_model(&c, o, &m);
    cli_validate_options(o, &vo);
    validate_model(&c, &m, &vo, &ctl);
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

int run_import(const struct options *o)
{
    (void)o;
    fputs("gwc: import-ingress is not implemented yet\n", stderr);
    return EXIT_INTERNAL;
}
