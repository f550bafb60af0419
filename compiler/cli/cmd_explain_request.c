/*
 * gwc explain-request [options] URL PATH...: which listener, route, rule
 * and match answer one request, with what, and why the other candidates
 * lost; read from the plan `gwc compile` would write.
 */
#include "cli_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/strbuf.h"
#include "explain/explain.h"
#include "model/model.h"
#include "plan/plan.h"
#include "controller/controller.h"

#include <stdio.h>
#include <string.h>

/* Where the plan would put unix sockets: explain writes no file, but the
 * plan names them. */
#define EXPLAIN_SOCKET_DIR "/run/gwc-explain"

int cli_run_explain_request(const struct options *o)
{
    struct options in = *o;
    struct compilation c;
    struct controller ctl;
    struct model m;
    struct explain_request r;
    struct explain_result x;
    struct strbuf out = STRBUF_INIT;
    const char *why;
    bool json;
    int status;

    json = o->output_format && strcmp(o->output_format, "json") == 0;
    if (o->n_paths < 2)
        return cli_usage_error(CMD_EXPLAIN_REQUEST, "a URL and input paths are needed"), EXIT_USAGE;
    in.paths = o->paths + 1;
    in.n_paths = o->n_paths - 1;
    cli_validate_inputs(&c, &in, &m, &ctl);
    why = explain_request_init(c.arena, &r, o->method, o->paths[0], o->headers,
                               o->n_headers, o->sni);
    if (why) {
        compilation_release(&c);
        return cli_usage_error(CMD_EXPLAIN_REQUEST, "bad request '%s': %s", o->paths[0], why), EXIT_USAGE;
    }
    if (!diag_has_class_error(&c.diags, DCLASS_INPUT) &&
        !diag_has_class_error(&c.diags, DCLASS_MANIFEST)) {
        uint32_t port_map[MAX_PORT_MAP][2];
        struct plan_options po;
        struct plan plan;

        cli_plan_options(o, port_map, o->socket_dir ? o->socket_dir : EXPLAIN_SOCKET_DIR,
                         &po);
        plan_build(&c, &ctl, &po, &plan);
        explain_request(c.arena, &plan, &po, &r, &x);
        if (json)
            explain_write_json(&c, &r, &x, &out);
        else
            explain_write_text(&c, &r, &x, &out);
        fwrite(out.buf, 1, out.len, stdout);
        fflush(stdout);
    }
    cli_report(&c, o, &m);
    /* Findings about the manifests do not stop an explanation; what the
     * API server would refuse does. */
    status = diag_has_class_error(&c.diags, DCLASS_INPUT)      ? EXIT_USAGE
             : diag_has_class_error(&c.diags, DCLASS_MANIFEST) ? EXIT_FINDINGS
                                                               : EXIT_CLEAN;
    strbuf_release(&out);
    compilation_release(&c);
    return status;
}
