/*
 * The man page gwc.1: a hand-written roff template (docs/gwc.1.in) whose
 * lines @COMMANDS@, @OPTIONS@, @SETTINGS@, @EXIT_STATUS@, @PATHS@ and
 * @LIMITS@ are filled from the tables of optable.c, and @VERSION@ from the
 * build.
 */
#include "cli_internal.h"

#include "base/array.h"
#include "base/strbuf.h"

#include <string.h>

/* Text as roff reads it literally: backslashes escaped, hyphens as the
 * ASCII hyphen-minus of options, no line starting with a control
 * character. */
static void roff_escape(struct strbuf *out, const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        bool line_start = out->len == 0 || out->buf[out->len - 1] == '\n';
        if (line_start && (s[i] == '.' || s[i] == '\''))
            strbuf_addstr(out, "\\&");
        if (s[i] == '\\')
            strbuf_addstr(out, "\\e");
        else if (s[i] == '-')
            strbuf_addstr(out, "\\-");
        else
            strbuf_addch(out, s[i]);
    }
}

static void roff_str(struct strbuf *out, const char *s)
{
    roff_escape(out, s, strlen(s));
}

/* Prose paragraphs: filled by roff; indented ones kept as written.  The
 * first paragraph continues whatever came before it. */
static void roff_prose(struct strbuf *out, const char *text)
{
    bool first = true;

    while (*text) {
        const char *end = strstr(text, "\n\n");
        size_t len = end ? (size_t)(end - text) : strlen(text);

        if (!first)
            strbuf_addstr(out, ".PP\n");
        if (text[0] == ' ') {
            strbuf_addstr(out, ".RS 4\n.nf\n");
            roff_escape(out, text, len);
            strbuf_addstr(out, "\n.fi\n.RE\n");
        } else {
            roff_escape(out, text, len);
            strbuf_addch(out, '\n');
        }
        first = false;
        text += len;
        if (*text)
            text += 2;
    }
}

/* "--name" in bold. */
static void option_name(struct strbuf *out, const struct cli_option *opt)
{
    strbuf_addstr(out, "\\fB\\-\\-");
    roff_str(out, opt->name);
    strbuf_addstr(out, "\\fR");
}

static void option_head(struct strbuf *out, const struct cli_option *opt)
{
    strbuf_addstr(out, ".TP\n");
    if (opt->short_name)
        strbuf_addf(out, "\\fB\\-%c\\fR, ", opt->short_name);
    option_name(out, opt);
    if (opt->arg) {
        strbuf_addstr(out, " \\fI");
        roff_str(out, opt->arg);
        strbuf_addstr(out, "\\fR");
    }
    strbuf_addch(out, '\n');
}

static void command_list(struct strbuf *out, unsigned commands)
{
    size_t i, n = 0, total = 0;

    for (i = 0; i < cli_n_commands; i++)
        total += (commands & CLI_FOR(cli_commands[i].cmd)) != 0;
    for (i = 0; i < cli_n_commands; i++) {
        if (!(commands & CLI_FOR(cli_commands[i].cmd)))
            continue;
        n++;
        strbuf_addf(out, "\\fB%s\\fR%s", cli_commands[i].name,
                    n == total ? "" : n + 1 == total ? " and " : ", ");
    }
}

static void add_options(struct strbuf *out)
{
    size_t i;

    for (i = 0; i < cli_n_options; i++) {
        const struct cli_option *opt = &cli_options[i];

        option_head(out, opt);
        /* Help starts lowercase, as a phrase after the option; here it is
         * a sentence. */
        if (opt->help[0] >= 'a' && opt->help[0] <= 'z')
            strbuf_addch(out, (char)(opt->help[0] - 'a' + 'A'));
        roff_str(out, opt->help + (opt->help[0] >= 'a' && opt->help[0] <= 'z'));
        strbuf_addstr(out, ".\n");
        if (opt->more) {
            roff_str(out, opt->more);
            strbuf_addch(out, '\n');
        }
        if (opt->repeatable)
            strbuf_addstr(out, opt->adds ? "Repeatable; adds to the list of gwc.yaml.\n"
                                         : "Repeatable.\n");
        if (opt->def) {
            strbuf_addstr(out, "Default: ");
            roff_str(out, opt->def);
            strbuf_addstr(out, ".\n");
        }
        if (opt->setting)
            strbuf_addf(out, "In gwc.yaml: \\fB%s\\fR.\n", opt->setting);
        strbuf_addstr(out, "For ");
        command_list(out, opt->commands);
        strbuf_addstr(out, ".\n");
    }
}

static void add_commands(struct strbuf *out)
{
    size_t i, j;

    for (i = 0; i < cli_n_commands; i++) {
        const struct cli_command *c = &cli_commands[i];
        bool any = false;

        strbuf_addf(out, ".SS \"gwc %s", c->name);
        if (*c->args) {
            strbuf_addch(out, ' ');
            roff_str(out, c->args);
        }
        strbuf_addstr(out, "\"\n");
        roff_prose(out, c->text);
        for (j = 0; j < cli_n_options; j++) {
            const struct cli_option *opt = &cli_options[j];
            if (!(opt->commands & CLI_FOR(c->cmd)))
                continue;
            strbuf_addstr(out, any ? ",\n" : ".PP\nOptions: ");
            option_name(out, opt);
            any = true;
        }
        if (any)
            strbuf_addstr(out, ".\n");
    }
}

static void add_settings(struct strbuf *out)
{
    size_t i;

    for (i = 0; i < cli_n_options; i++) {
        const struct cli_option *opt = &cli_options[i];

        if (!opt->setting)
            continue;
        strbuf_addf(out, ".TP\n\\fB%s\\fR: ", opt->setting);
        strbuf_addstr(out, !opt->arg          ? "\\fBtrue\\fR or \\fBfalse\\fR"
                           : opt->repeatable ? "a list of \\fI"
                                             : "\\fI");
        if (opt->arg) {
            roff_str(out, opt->arg);
            strbuf_addstr(out, "\\fR");
        }
        strbuf_addstr(out, "\nAs ");
        option_name(out, opt);
        strbuf_addstr(out, ".\n");
    }
}

static void add_exit_statuses(struct strbuf *out)
{
    size_t i;

    for (i = 0; i < cli_n_exit_statuses; i++) {
        strbuf_addf(out, ".TP\n\\fB%d\\fR\n", cli_exit_statuses[i].status);
        roff_str(out, cli_exit_statuses[i].meaning);
        strbuf_addstr(out, ".\n");
    }
}

static void add_paths(struct strbuf *out)
{
    roff_prose(out, cli_paths_text);
}

static void add_limits(struct strbuf *out)
{
    roff_prose(out, cli_limits_text);
}

static bool directive(struct strbuf *out, const char *line, size_t len)
{
    static const struct {
        const char *name;
        void (*fill)(struct strbuf *);
    } fills[] = {
        {"@COMMANDS@", add_commands},
        {"@OPTIONS@", add_options},
        {"@SETTINGS@", add_settings},
        {"@EXIT_STATUS@", add_exit_statuses},
        {"@PATHS@", add_paths},
        {"@LIMITS@", add_limits},
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(fills); i++) {
        if (strlen(fills[i].name) == len && memcmp(fills[i].name, line, len) == 0) {
            fills[i].fill(out);
            return true;
        }
    }
    return false;
}

bool cli_render_man(const char *tmpl, struct strbuf *out)
{
    const char *line = tmpl;

    while (*line) {
        size_t len = strcspn(line, "\n");
        const char *v = memchr(line, '@', len);

        if (line[0] == '@') {
            if (!directive(out, line, len))
                return false;
        } else if (v && len - (size_t)(v - line) >= 9 && memcmp(v, "@VERSION@", 9) == 0) {
            strbuf_add(out, line, (size_t)(v - line));
            strbuf_addstr(out, GWC_VERSION);
            strbuf_add(out, v + 9, len - (size_t)(v - line) - 9);
            strbuf_addch(out, '\n');
        } else {
            strbuf_add(out, line, len);
            strbuf_addch(out, '\n');
        }
        line += len + (line[len] == '\n');
    }
    return true;
}
