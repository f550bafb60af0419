/*
 * `gwc help [COMMAND]`, rendered from the tables of optable.c and wrapped
 * to 80 columns.
 */
#include "cli_internal.h"

#include "base/strbuf.h"

#include <string.h>

#define WIDTH 79
#define DESC_COL 26

const char *cli_command_name(enum command cmd)
{
    size_t i;

    for (i = 0; i < cli_n_commands; i++) {
        if (cli_commands[i].cmd == cmd)
            return cli_commands[i].name;
    }
    return NULL;
}

void cli_wrap(struct strbuf *out, const char *text, size_t indent,
              size_t first_col, size_t width)
{
    size_t col = first_col;
    bool line_empty = true;

    while (*text) {
        size_t spaces = strspn(text, " \n"), len;

        text += spaces;
        len = strcspn(text, " \n");
        if (!len)
            break;
        if (!line_empty && col + 1 + len > width) {
            strbuf_addch(out, '\n');
            strbuf_addchars(out, ' ', indent);
            col = indent;
            line_empty = true;
        } else if (!line_empty) {
            /* Two spaces after a sentence stay two. */
            size_t gap = spaces >= 2 && text[-1] == ' ' && text[-2] == ' ' ? 2 : 1;
            strbuf_addchars(out, ' ', gap);
            col += gap;
        }
        strbuf_add(out, text, len);
        col += len;
        line_empty = false;
        text += len;
    }
    strbuf_addch(out, '\n');
}

/* Paragraphs separated by blank lines; indented ones as written. */
static void add_prose(struct strbuf *out, const char *text)
{
    while (*text) {
        const char *end = strstr(text, "\n\n");
        size_t len = end ? (size_t)(end - text) : strlen(text);
        struct strbuf para = STRBUF_INIT;

        strbuf_add(&para, text, len);
        if (para.buf[0] == ' ') {
            strbuf_add(out, para.buf, para.len);
            strbuf_addch(out, '\n');
        } else {
            cli_wrap(out, para.buf, 0, 0, WIDTH);
        }
        strbuf_release(&para);
        text += len;
        if (*text) {
            text += 2;
            strbuf_addch(out, '\n');
        }
    }
}

/* "(repeatable; default: X; gwc.yaml: key)" */
static void option_notes(struct strbuf *out, const struct cli_option *opt)
{
    const char *sep = " (";

    if (opt->repeatable) {
        strbuf_addf(out, "%srepeatable%s", sep, opt->adds ? ", adds to gwc.yaml's list" : "");
        sep = "; ";
    }
    if (opt->def) {
        strbuf_addf(out, "%sdefault: %s", sep, opt->def);
        sep = "; ";
    }
    if (opt->setting) {
        strbuf_addf(out, "%sgwc.yaml: %s", sep, opt->setting);
        sep = "; ";
    }
    if (sep[0] == ';')
        strbuf_addch(out, ')');
}

static void add_option(struct strbuf *out, const struct cli_option *opt)
{
    struct strbuf desc = STRBUF_INIT;
    size_t start = out->len, col;

    strbuf_addstr(out, "  ");
    if (opt->short_name)
        strbuf_addf(out, "-%c, ", opt->short_name);
    strbuf_addf(out, "--%s", opt->name);
    if (opt->arg)
        strbuf_addf(out, " %s", opt->arg);
    col = out->len - start;
    if (col + 2 > DESC_COL) {
        strbuf_addch(out, '\n');
        col = 0;
    }
    strbuf_addchars(out, ' ', DESC_COL - col);
    strbuf_addstr(&desc, opt->help);
    option_notes(&desc, opt);
    cli_wrap(out, desc.buf, DESC_COL, DESC_COL, WIDTH);
    strbuf_release(&desc);
}

static void print(FILE *out, struct strbuf *sb)
{
    fwrite(sb->buf, 1, sb->len, out);
    strbuf_release(sb);
}

void cli_usage(FILE *out)
{
    struct strbuf sb = STRBUF_INIT;
    size_t i;

    strbuf_addstr(&sb, "usage: gwc <command> [options] PATH...\n\n");
    add_prose(&sb, cli_about);
    strbuf_addstr(&sb, "\ncommands:\n");
    for (i = 0; i < cli_n_commands; i++) {
        const struct cli_command *c = &cli_commands[i];
        size_t start = sb.len;
        strbuf_addf(&sb, "  %s%s%s", c->name, *c->args ? " " : "", c->args);
        strbuf_addchars(&sb, ' ', sb.len - start < 36 ? 36 - (sb.len - start) : 1);
        strbuf_addf(&sb, "%s\n", c->summary);
    }
    strbuf_addch(&sb, '\n');
    add_prose(&sb, cli_paths_text);
    strbuf_addstr(&sb, "\nexit status:\n");
    for (i = 0; i < cli_n_exit_statuses; i++) {
        strbuf_addf(&sb, "  %d  ", cli_exit_statuses[i].status);
        cli_wrap(&sb, cli_exit_statuses[i].meaning, 5, 5, WIDTH);
    }
    strbuf_addch(&sb, '\n');
    add_prose(&sb, cli_limits_text);
    strbuf_addstr(&sb, "\nRun 'gwc help COMMAND' for the options of a command.\n");
    print(out, &sb);
}

bool cli_help(FILE *out, const char *topic)
{
    const struct cli_command *c = cli_command_find(topic);
    struct strbuf sb = STRBUF_INIT;
    bool any = false;
    size_t i;

    if (!c)
        return false;
    strbuf_addf(&sb, "usage: gwc %s%s%s\n\n", c->name, *c->args ? " " : "", c->args);
    add_prose(&sb, c->text);
    for (i = 0; i < cli_n_options; i++) {
        if (!(cli_options[i].commands & CLI_FOR(c->cmd)))
            continue;
        if (!any)
            strbuf_addstr(&sb, "\noptions:\n");
        any = true;
        add_option(&sb, &cli_options[i]);
    }
    print(out, &sb);
    return true;
}
