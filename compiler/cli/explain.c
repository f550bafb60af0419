/*
 * The catalogue of diagnostics, explained: `gwc explain CODE...` on a
 * terminal, and docs/diagnostics.md (written by gwc-docgen), both from
 * diag_codes.def and diag_explain.def.
 */
#include "cli_internal.h"

#include "base/str.h"
#include "base/strbuf.h"

#include <string.h>

#define WIDTH 79

static void silencing(struct strbuf *out, enum diag_code code, const char *name)
{
    if (diag_can_disable(code))
        strbuf_addf(out, "yes, with --disable %s or the annotation gwc.dev/ignore: %s on "
                         "an object",
                    name, name);
    else
        strbuf_addstr(out, "no: it means the output would be invalid or the run could "
                           "not be done");
}

/* Every line of text, indented. */
static void indented(struct strbuf *out, const char *text, size_t indent)
{
    while (*text) {
        size_t len = strcspn(text, "\n");
        strbuf_addchars(out, ' ', indent);
        strbuf_add(out, text, len);
        strbuf_addch(out, '\n');
        text += len + (text[len] == '\n');
    }
}

static void explain_text(struct strbuf *out, enum diag_code code)
{
    const struct diag_info *info = diag_info(code);
    const struct diag_explanation *e = diag_explain(code);
    struct strbuf line = STRBUF_INIT;
    char name[8];

    diag_code_name(code, name);
    strbuf_addf(&line, "%s %s: %s", name, info->slug, info->summary);
    cli_wrap(out, line.buf, 2, 0, WIDTH);
    strbuf_reset(&line);
    strbuf_addf(&line, "Default severity: %s (%s).  Can be silenced: ",
                diag_severity_name(info->severity), diag_class_name(info->cls));
    silencing(&line, code, name);
    strbuf_addch(&line, '.');
    cli_wrap(out, line.buf, 0, 0, WIDTH);
    strbuf_addstr(out, "\nWhat it means:\n  ");
    cli_wrap(out, e->meaning, 2, 2, WIDTH);
    if (e->command)
        strbuf_addf(out, "\nExample (example.yaml, then gwc %s):\n", e->command);
    else
        strbuf_addstr(out, "\nExample (a shell script):\n");
    indented(out, e->example, 4);
    strbuf_addstr(out, "\nHow to fix it:\n  ");
    cli_wrap(out, e->fix, 2, 2, WIDTH);
    strbuf_release(&line);
}

int cli_run_explain(const struct options *o)
{
    struct strbuf out = STRBUF_INIT;
    size_t i;

    for (i = 0; i < o->n_paths; i++) {
        enum diag_code code = diag_lookup(o->paths[i]);
        if (code == DIAG__COUNT) {
            strbuf_release(&out);
            cli_usage_error(CMD_EXPLAIN, "'%s' is no diagnostic code (GWnnnn, or its name)",
                            o->paths[i]);
            return EXIT_USAGE;
        }
        if (i)
            strbuf_addch(&out, '\n');
        explain_text(&out, code);
    }
    fwrite(out.buf, 1, out.len, stdout);
    strbuf_release(&out);
    return EXIT_CLEAN;
}

/* Text as Markdown reads it literally. */
static void md_escape(struct strbuf *out, const char *s)
{
    for (; *s; s++) {
        if (str_has_char("\\`*_[]<>|#", *s))
            strbuf_addch(out, '\\');
        strbuf_addch(out, *s);
    }
}

void cli_render_catalogue(struct strbuf *out)
{
    char name[8], lower[8];
    size_t i, k;

    strbuf_addstr(out,
                  "# gwc diagnostics\n"
                  "\n"
                  "Every code gwc reports, what it means, an example that triggers it "
                  "and how to fix it.\n"
                  "`gwc explain CODE` prints the same.  This page is generated from "
                  "`compiler/base/diag_codes.def` and `compiler/base/diag_explain.def` "
                  "by `gwc-docgen diagnostics` at build time; do not edit it (a test "
                  "fails when it is not current).\n"
                  "\n"
                  "A code can be silenced (`--disable`, the annotation `gwc.dev/ignore`) "
                  "unless it means that the output would be invalid or the run could "
                  "not be done: the input and settings codes, and the errors the API "
                  "server would refuse.\n"
                  "\n"
                  "| code | name | default severity | can be silenced | summary |\n"
                  "|---|---|---|---|---|\n");
    for (i = 0; i < DIAG__COUNT; i++) {
        const struct diag_info *info = diag_info((enum diag_code)i);
        diag_code_name((enum diag_code)i, name);
        for (k = 0; name[k]; k++)
            lower[k] = (char)(name[k] >= 'A' && name[k] <= 'Z' ? name[k] + 32 : name[k]);
        lower[k] = '\0';
        strbuf_addf(out, "| [%s](#%s) | `%s` | %s | %s | ", name, lower, info->slug,
                    diag_severity_name(info->severity),
                    diag_can_disable((enum diag_code)i) ? "yes" : "no");
        md_escape(out, info->summary);
        strbuf_addstr(out, " |\n");
    }
    for (i = 0; i < DIAG__COUNT; i++) {
        enum diag_code code = (enum diag_code)i;
        const struct diag_info *info = diag_info(code);
        const struct diag_explanation *e = diag_explain(code);

        diag_code_name(code, name);
        strbuf_addf(out, "\n## %s\n\n`%s`: ", name, info->slug);
        md_escape(out, info->summary);
        strbuf_addf(out, ".  Default severity: %s (%s).  Can be silenced: ",
                    diag_severity_name(info->severity), diag_class_name(info->cls));
        silencing(out, code, name);
        strbuf_addstr(out, ".\n\n");
        md_escape(out, e->meaning);
        if (e->command)
            strbuf_addf(out, "\n\nExample, `gwc %s`:\n\n```yaml\n", e->command);
        else
            strbuf_addstr(out, "\n\nExample:\n\n```sh\n");
        strbuf_addstr(out, e->example);
        strbuf_addstr(out, "```\n\nFix: ");
        md_escape(out, e->fix);
        strbuf_addch(out, '\n');
    }
}
