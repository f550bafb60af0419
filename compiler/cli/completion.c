/*
 * Bash completion for gwc, rendered from the option table: commands, the
 * options of each command, the values of options with choices, files or
 * directories where an option takes one, and input paths.  The script
 * needs nothing but bash (no bash-completion helpers).
 */
#include "cli_internal.h"

#include "base/strbuf.h"

#include <string.h>

/* The words of a choice list, "text|json" to "text json". */
static void add_words(struct strbuf *out, const char *choices)
{
    for (; *choices; choices++)
        strbuf_addch(out, *choices == '|' ? ' ' : *choices);
}

static void value_arm(struct strbuf *out, const struct cli_option *opt)
{
    const char *sep = "    ";
    size_t i;

    for (i = 0; i < cli_n_commands; i++) {
        if (!(opt->commands & CLI_FOR(cli_commands[i].cmd)))
            continue;
        strbuf_addf(out, "%s%s:--%s", sep, cli_commands[i].name, opt->name);
        sep = "|";
        if (opt->short_name)
            strbuf_addf(out, "|%s:-%c", cli_commands[i].name, opt->short_name);
    }
    strbuf_addstr(out, ")\n        ");
    if (opt->choices) {
        strbuf_addstr(out, "COMPREPLY=($(compgen -W '");
        add_words(out, opt->choices);
        strbuf_addstr(out, "' -- \"$cur\"))");
    } else if (opt->complete == COMPLETE_DIR) {
        strbuf_addstr(out, "COMPREPLY=($(compgen -d -- \"$cur\"))");
    } else if (opt->complete == COMPLETE_FILE) {
        strbuf_addstr(out, "COMPREPLY=($(compgen -f -- \"$cur\"))");
    } else {
        strbuf_addstr(out, "COMPREPLY=()");
    }
    strbuf_addstr(out, "\n        return ;;\n");
}

static void command_words(struct strbuf *out)
{
    size_t i;

    for (i = 0; i < cli_n_commands; i++)
        strbuf_addf(out, "%s%s", i ? " " : "", cli_commands[i].name);
}

static void code_words(struct strbuf *out)
{
    char name[8];
    size_t i;

    for (i = 0; i < DIAG__COUNT; i++)
        strbuf_addf(out, "%s%s", i ? " " : "", diag_code_name((enum diag_code)i, name));
}

void cli_render_completion(struct strbuf *out)
{
    size_t i, j;

    strbuf_addstr(out,
                  "# bash completion for gwc; generated from gwc's option table.\n"
                  "_gwc()\n"
                  "{\n"
                  "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
                  "    local opts\n"
                  "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
                  "        COMPREPLY=($(compgen -W '");
    command_words(out);
    strbuf_addstr(out, " --help --version' -- \"$cur\"))\n"
                       "        return\n"
                       "    fi\n"
                       "    if [ \"${COMP_WORDS[1]}\" = help ]; then\n"
                       "        [ \"$COMP_CWORD\" -eq 2 ] && COMPREPLY=($(compgen -W '");
    command_words(out);
    strbuf_addstr(out, "' -- \"$cur\"))\n"
                       "        return\n"
                       "    fi\n"
                       "    if [ \"${COMP_WORDS[1]}\" = explain ] && [[ $cur != -* ]]; then\n"
                       "        COMPREPLY=($(compgen -W '");
    code_words(out);
    strbuf_addstr(out, "' -- \"$cur\"))\n"
                       "        return\n"
                       "    fi\n"
                       "    case \"${COMP_WORDS[1]}:$prev\" in\n");
    for (i = 0; i < cli_n_options; i++) {
        if (cli_options[i].arg)
            value_arm(out, &cli_options[i]);
    }
    strbuf_addstr(out, "    esac\n"
                       "    case \"${COMP_WORDS[1]}\" in\n");
    for (i = 0; i < cli_n_commands; i++) {
        const struct cli_command *c = &cli_commands[i];
        const char *sep = "";

        strbuf_addf(out, "    %s) opts='", c->name);
        for (j = 0; j < cli_n_options; j++) {
            const struct cli_option *opt = &cli_options[j];
            if (!(opt->commands & CLI_FOR(c->cmd)))
                continue;
            strbuf_addf(out, "%s--%s", sep, opt->name);
            sep = " ";
            if (opt->short_name)
                strbuf_addf(out, " -%c", opt->short_name);
        }
        strbuf_addstr(out, "' ;;\n");
    }
    strbuf_addstr(out, "    *) return ;;\n"
                       "    esac\n"
                       "    if [[ $cur == -* ]]; then\n"
                       "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
                       "    else\n"
                       "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
                       "    fi\n"
                       "}\n"
                       "complete -o filenames -F _gwc gwc\n");
}
