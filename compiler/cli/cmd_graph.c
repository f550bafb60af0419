/*
 * gwc graph [--format dot|mermaid|json|svg] PATH...: the routing graph of
 * the input.  SVG is Graphviz's: the DOT text is piped through `dot -Tsvg`,
 * whose output goes straight to gwc's standard output.
 */
#include "cli_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/fs.h"
#include "base/strbuf.h"
#include "graph/graph.h"
#include "model/model.h"
#include "controller/controller.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum graph_format { FORMAT_DOT, FORMAT_MERMAID, FORMAT_JSON, FORMAT_SVG };

static const char *const format_names[] = {"dot", "mermaid", "json", "svg"};

/* Graphviz's dot on PATH, or NULL. */
static const char *find_dot(struct arena *a)
{
    const char *path = getenv("PATH");

    while (path && *path) {
        size_t n = strcspn(path, ":");
        const char *f = arena_printf(a, "%.*s/dot", (int)(n ? n : 1), n ? path : ".");
        if (access(f, X_OK) == 0)
            return f;
        path += n + (path[n] == ':');
    }
    return NULL;
}

/* dot -Tsvg with the DOT text on its standard input; false, with why. */
static bool run_dot(struct arena *a, const char *dot, const struct strbuf *text,
                    const char **why)
{
    int fds[2], status;
    pid_t pid;
    void (*old)(int);
    bool wrote;

    if (pipe(fds) != 0) {
        *why = arena_printf(a, "cannot start %s: %s", dot, strerror(errno));
        return false;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        *why = arena_printf(a, "cannot start %s: %s", dot, strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return false;
    }
    if (pid == 0) {
        close(fds[1]);
        dup2(fds[0], 0);
        close(fds[0]);
        execl(dot, "dot", "-Tsvg", (char *)NULL);
        _exit(127);
    }
    close(fds[0]);
    /* A dot that dies early must not kill gwc with SIGPIPE. */
    old = signal(SIGPIPE, SIG_IGN);
    wrote = fs_write_all(fds[1], text->buf, text->len);
    close(fds[1]);
    signal(SIGPIPE, old);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!wrote || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        *why = arena_printf(a, "%s -Tsvg failed (%s)", dot,
                            WIFEXITED(status) ? arena_printf(a, "exit %d", WEXITSTATUS(status))
                                              : "killed");
        return false;
    }
    return true;
}

int cli_run_graph(const struct options *o)
{
    enum graph_format f = FORMAT_DOT;
    struct compilation c;
    struct controller ctl;
    struct model m;
    struct graph g;
    struct strbuf out = STRBUF_INIT;
    const char *dot = NULL, *why = NULL;
    int status;

    /* The parser took only one of --format's choices. */
    while (o->output_format && f < FORMAT_SVG && strcmp(o->output_format, format_names[f]) != 0)
        f++;
    cli_validate_inputs(&c, o, &m, &ctl);
    if (f == FORMAT_SVG && !(dot = find_dot(c.arena))) {
        compilation_release(&c);
        return cli_usage_error(CMD_GRAPH, "--format svg needs Graphviz's dot on PATH (Debian: apt-get "
                               "install graphviz); --format dot writes its input"),
               EXIT_USAGE;
    }
    if (!diag_has_class_error(&c.diags, DCLASS_INPUT) &&
        !diag_has_class_error(&c.diags, DCLASS_MANIFEST)) {
        graph_build(&c, &ctl, &g);
        if (f == FORMAT_MERMAID)
            graph_write_mermaid(&g, &out);
        else if (f == FORMAT_JSON)
            graph_write_json(&g, &out);
        else
            graph_write_dot(&g, &out);
        if (f != FORMAT_SVG)
            fwrite(out.buf, 1, out.len, stdout);
        else if (!run_dot(c.arena, dot, &out, &why))
            fprintf(stderr, "gwc: %s\n", why);
        fflush(stdout);
    }
    cli_report(&c, o, &m);
    status = diag_has_class_error(&c.diags, DCLASS_INPUT) ? EXIT_USAGE
             : why || diag_has_class_error(&c.diags, DCLASS_MANIFEST) ? EXIT_FINDINGS
                                                                      : EXIT_CLEAN;
    strbuf_release(&out);
    compilation_release(&c);
    return status;
}
