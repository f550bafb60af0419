/*
 * `gwc import-ingress`: the Ingress objects and CRDs of another controller
 * (--provider, or the one the inputs name) to Gateway API YAML, on
 * standard output, atomically into -o FILE, or as one file per namespace
 * and kind into -o DIR (base/outdir.h: gwc never overwrites or removes a
 * file it did not write); the report of everything converted
 * approximately or not at all on standard error.  The YAML is written
 * even when something could not be carried over (the exit status says
 * so); unreadable input writes nothing.
 */
#include "cli_internal.h"

#include "base/compilation.h"
#include "base/escape.h"
#include "base/fs.h"
#include "base/outdir.h"
#include "base/strbuf.h"
#include "importer/importer.h"
#include "load/load.h"
#include "model/model.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static const struct src_loc nowhere = {SOURCE_NONE, 0, 0, 0};

/* -o names a directory when it ends in '/' or is one. */
static bool output_is_dir(const char *path)
{
    struct stat st;
    size_t n = path ? strlen(path) : 0;

    return n && (path[n - 1] == '/' || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)));
}

static void write_dir(struct compilation *c, const struct options *o,
                      const struct import_output *out)
{
    struct outdir_file *files;
    size_t n = imp_output_files(c->arena, out, &files);
    struct strbuf why = STRBUF_INIT;
    enum outdir_result r =
        outdir_replace(c->arena, o->output, files, n, NULL, 0, o->force, &why);

    if (r != OUTDIR_OK)
        diag_report(&c->diags,
                    r == OUTDIR_REFUSED ? DIAG_OUTPUT_NOT_OURS : DIAG_OUTPUT_FAILED,
                    nowhere, NULL, NULL, "%s", why.buf);
    strbuf_release(&why);
}

static void write_stream(struct compilation *c, const char *path,
                         const struct import_output *out)
{
    struct strbuf yaml = STRBUF_INIT;

    imp_output_stream(out, &yaml);
    if (!path) {
        if (fwrite(yaml.buf, 1, yaml.len, stdout) != yaml.len || fflush(stdout) != 0)
            diag_report(&c->diags, DIAG_OUTPUT_FAILED, nowhere, NULL, NULL,
                        "cannot write standard output: %s", strerror(errno));
    } else if (!fs_write_atomic(path, yaml.buf, yaml.len, 0644)) {
        diag_report(&c->diags, DIAG_OUTPUT_FAILED, nowhere, NULL, NULL,
                    "cannot write '%s': %s", path, strerror(errno));
    }
    strbuf_release(&yaml);
}

/* The summary, after the report: as text where the text report goes
 * (standard error), as JSON into --summary FILE. */
static void summarize(struct compilation *c, const struct options *o,
                      struct imp_summary *s)
{
    struct strbuf sb = STRBUF_INIT;

    if (!o->quiet && (o->report_path || o->diag_format == DIAG_FORMAT_TEXT)) {
        imp_summary_text(c, s, &sb);
        fwrite(sb.buf, 1, sb.len, stderr);
        fflush(stderr);
    }
    if (o->summary_path) {
        strbuf_reset(&sb);
        imp_summary_json(c, s, &sb);
        /* The report is out already: said here, and counted in the exit
         * status. */
        if (!fs_write_atomic(o->summary_path, sb.buf, sb.len, 0644)) {
            const char *why = strerror(errno);
            strbuf_reset(&sb);
            escape_text(&sb, o->summary_path, strlen(o->summary_path));
            fprintf(stderr, "gwc: error: cannot write the summary '%s': %s [GW0902]\n",
                    sb.buf, why);
            diag_report(&c->diags, DIAG_OUTPUT_FAILED, nowhere, NULL, NULL,
                        "cannot write the summary '%s': %s", o->summary_path, why);
        }
    }
    strbuf_release(&sb);
}

int cli_run_import(const struct options *o)
{
    struct import_options io = {o->import_provider, o->import_gateway_class,
                                o->import_gateway_name, o->import_gateway,
                                o->import_gateway_namespace, o->ingress_classes,
                                o->n_ingress_classes, o->import_namespace,
                                o->allow_insecure_import, o->entry_points,
                                o->n_entry_points, o->include_inputs,
                                o->controller_config};
    const char *problem = imp_options_problem(&io);
    struct import_output out = {.summary = NULL};
    struct ydoc_list docs = {0};
    struct compilation c;
    struct model m;
    int status;

    if (problem) {
        cli_usage_error(CMD_IMPORT, "%s", problem);
        return EXIT_USAGE;
    }
    compilation_init(&c);
    cli_load_model(&c, o, &m, &docs);
    if (!diag_has_class_error(&c.diags, DCLASS_INPUT)) {
        imp_ingress(&c, &m, &docs, &io, &out);
        if (output_is_dir(o->output))
            write_dir(&c, o, &out);
        else
            write_stream(&c, o->output, &out);
    }
    cli_report(&c, o, &m);
    if (out.summary)
        summarize(&c, o, out.summary);
    status = cli_exit_status(&c, o);
    compilation_release(&c);
    return status;
}
