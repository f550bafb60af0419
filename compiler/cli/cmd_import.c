/*
 * `gwc import-ingress`: the Ingress objects and CRDs of another controller
 * (--provider, or the one the inputs name) to Gateway API YAML, on
 * standard output or atomically into -o FILE, and the report of
 * everything converted approximately or not at all on standard error.  The YAML is written even when something could not be carried
 * over (the exit status says so); unreadable input writes nothing.
 */
#include "cli_internal.h"

#include "base/compilation.h"
#include "base/fs.h"
#include "base/strbuf.h"
#include "importer/importer.h"
#include "load/load.h"
#include "model/model.h"

#include <errno.h>
#include <string.h>

static void write_yaml(struct compilation *c, const char *path,
                       const struct strbuf *yaml)
{
    struct src_loc none = {SOURCE_NONE, 0, 0, 0};

    if (!path) {
        if (fwrite(yaml->buf, 1, yaml->len, stdout) == yaml->len &&
            fflush(stdout) == 0)
            return;
        diag_report(&c->diags, DIAG_OUTPUT_FAILED, none, NULL, NULL,
                    "cannot write standard output: %s", strerror(errno));
        return;
    }
    if (!fs_write_atomic(path, yaml->buf, yaml->len, 0644))
        diag_report(&c->diags, DIAG_OUTPUT_FAILED, none, NULL, NULL,
                    "cannot write '%s': %s", path, strerror(errno));
}

int cli_run_import(const struct options *o)
{
    struct import_options io = {o->import_provider, o->import_gateway_class,
                                o->import_gateway_name, o->import_gateway,
                                o->import_gateway_namespace, o->ingress_classes,
                                o->n_ingress_classes, o->import_namespace,
                                o->allow_insecure_import, o->entry_points,
                                o->n_entry_points};
    const char *problem = imp_options_problem(&io);
    struct strbuf yaml = STRBUF_INIT;
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
        imp_ingress(&c, &m, &docs, &io, &yaml);
        write_yaml(&c, o->output, &yaml);
    }
    cli_report(&c, o, &m);
    status = cli_exit_status(&c, o);
    strbuf_release(&yaml);
    compilation_release(&c);
    return status;
}
