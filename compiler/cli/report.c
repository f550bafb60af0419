/*
 * Where a command's diagnostics go, one rule for every command: text goes
 * to standard error; a machine format (json, sarif, github, junit) goes to
 * standard output, or to standard error when the command's own output is
 * on standard output (import-ingress without -o, status); --report FILE
 * writes the report to FILE instead, and then the text goes to standard
 * error as well, so that a CI log stays readable.
 */
/* realpath() is an X/Open interface. */
#define _XOPEN_SOURCE 700

#include "cli_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/escape.h"
#include "base/fs.h"
#include "base/strbuf.h"
#include "load/load.h"
#include "model/model.h"

#include <errno.h>
#include <limits.h>
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

/* SARIF's view of the files: each one relative to the root when it lies
 * below it (symbolic links resolved on both sides), else absolute. */
static const char *sarif_artifacts(struct compilation *c, const struct options *o,
                                   struct diag_render_options *ro)
{
    struct diag_artifact *v = ARENA_NEW_ARRAY(c->arena, struct diag_artifact,
                                              c->sources.n + 1);
    char *root = realpath(o->root ? o->root : ".", NULL);
    struct strbuf prefix = STRBUF_INIT, sb = STRBUF_INIT;
    const char *root_uri;
    size_t i;

    ro->artifacts = v;
    if (!root)
        return NULL;
    strbuf_addstr(&prefix, root);
    if (!strbuf_ends_with(&prefix, "/"))
        strbuf_addch(&prefix, '/');
    strbuf_addstr(&sb, "file://");
    escape_uri_path(&sb, prefix.buf, prefix.len);
    root_uri = arena_strdup(c->arena, sb.buf);
    for (i = 0; i < c->sources.n; i++) {
        const char *name = c->sources.v[i]->name;
        char *abs = strcmp(name, "<stdin>") == 0 ? NULL : realpath(name, NULL);

        if (!abs)
            continue;
        strbuf_reset(&sb);
        v[i].relative = strncmp(abs, prefix.buf, prefix.len) == 0;
        if (v[i].relative) {
            escape_uri_path(&sb, abs + prefix.len, strlen(abs + prefix.len));
        } else {
            strbuf_addstr(&sb, "file://");
            escape_uri_path(&sb, abs, strlen(abs));
        }
        v[i].uri = arena_strdup(c->arena, sb.buf);
        free(abs);
    }
    free(root);
    strbuf_release(&prefix);
    strbuf_release(&sb);
    return root_uri;
}

/* JUnit's testcases: every object of the input, at its position. */
static void junit_subjects(struct compilation *c, const struct model *m,
                           struct diag_render_options *ro)
{
    struct diag_subject *v = ARENA_NEW_ARRAY(c->arena, struct diag_subject,
                                             m->inputs.n + 1);
    size_t i;

    for (i = 0; i < m->inputs.n; i++) {
        const struct model_input *in = m->inputs.v[i];
        v[i].file = in->loc.file;
        v[i].offset = in->loc.offset;
        v[i].name = in->label;
    }
    ro->subjects = v;
    ro->n_subjects = m->inputs.n;
}

/* What a report shows: the sink, or with --quiet the part of it that
 * fails the run; the counts of the summary line. */
struct shown {
    struct diag_sink sink;
    unsigned errors, warnings; /* all of them, shown or not */
    struct cli_silenced silenced;
    unsigned hidden;
};

static void choose(struct compilation *c, const struct options *o, struct shown *sh)
{
    size_t i;

    sh->sink = c->diags;
    sh->errors = c->diags.errors;
    sh->warnings = c->diags.warnings;
    sh->hidden = 0;
    if (!o->quiet)
        return;
    sh->sink.v = ARENA_NEW_ARRAY(c->arena, struct diag *, c->diags.n + 1);
    sh->sink.n = 0;
    for (i = 0; i < c->diags.n; i++) {
        struct diag *d = c->diags.v[i];
        if (d->severity == DIAG_ERROR ||
            (d->severity == DIAG_WARNING && o->fail_on == FAIL_ON_WARNING))
            sh->sink.v[sh->sink.n++] = d;
        else
            sh->hidden++;
    }
}

/* "gwc: 1 error, 2 warnings, 3 silenced (--disable: 2, gwc.dev/ignore: 1),
 * 4 not shown (--quiet)" */
static void summary(const struct shown *sh, struct strbuf *out)
{
    unsigned silenced = sh->silenced.disabled + sh->silenced.ignored;

    if (!sh->errors && !sh->warnings && !silenced && !sh->hidden)
        return;
    strbuf_addf(out, "gwc: %u error%s, %u warning%s", sh->errors,
                sh->errors == 1 ? "" : "s", sh->warnings, sh->warnings == 1 ? "" : "s");
    if (silenced)
        strbuf_addf(out, ", %u silenced (--disable: %u, gwc.dev/ignore: %u)", silenced,
                    sh->silenced.disabled, sh->silenced.ignored);
    if (sh->hidden)
        strbuf_addf(out, ", %u not shown (--quiet)", sh->hidden);
    strbuf_addch(out, '\n');
}

/* The report as it is written, with the text format's summary line. */
static void render(struct compilation *c, const struct shown *sh,
                   const struct diag_render_options *ro, struct strbuf *out)
{
    diag_render(&sh->sink, &c->sources, ro, out);
    if (ro->format == DIAG_FORMAT_TEXT)
        summary(sh, out);
}

static void print(struct compilation *c, const struct shown *sh,
                  const struct diag_render_options *ro, FILE *out)
{
    struct strbuf text = STRBUF_INIT;

    render(c, sh, ro, &text);
    fwrite(text.buf, 1, text.len, out);
    fflush(out);
    strbuf_release(&text);
}

void cli_report(struct compilation *c, const struct options *o, const struct model *m)
{
    struct diag_render_options ro = {0};
    bool own_stdout = o->command == CMD_STATUS || (o->command == CMD_IMPORT && !o->output);
    struct shown sh = {0};

    cli_silence(c, o, m, &sh.silenced);
    diag_sort(&c->diags, &c->sources);
    choose(c, o, &sh);
    ro.format = o->command == CMD_STATUS ? DIAG_FORMAT_TEXT : o->diag_format;
    ro.tool_version = GWC_VERSION;
    ro.warnings_fail = o->fail_on == FAIL_ON_WARNING;
    ro.help_uri = GWC_DIAGNOSTICS_URL;
    if (ro.format == DIAG_FORMAT_SARIF)
        ro.root_uri = sarif_artifacts(c, o, &ro);
    if (ro.format == DIAG_FORMAT_JUNIT && m)
        junit_subjects(c, m, &ro);
    if (o->report_path) {
        struct strbuf report = STRBUF_INIT;
        render(c, &sh, &ro, &report);
        if (!fs_write_atomic(o->report_path, report.buf, report.len, 0644)) {
            struct src_loc none = {SOURCE_NONE, 0, 0, 0};
            diag_report(&c->diags, DIAG_OUTPUT_FAILED, none, NULL, NULL,
                        "cannot write the report '%s': %s", o->report_path,
                        strerror(errno));
            choose(c, o, &sh);
        }
        strbuf_release(&report);
    } else if (ro.format != DIAG_FORMAT_TEXT) {
        print(c, &sh, &ro, own_stdout ? stderr : stdout);
        return;
    }
    ro.format = DIAG_FORMAT_TEXT;
    ro.color = use_color(o);
    ro.source_lines = isatty(2);
    print(c, &sh, &ro, stderr);
}
