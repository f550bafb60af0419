/*
 * The command line, parsed with the option table (optable.c): each option
 * names the commands that accept it, so the same table refuses misuse such
 * as `gwc check -o out`.  Settings come from defaults, then gwc.yaml, then
 * the flags; cli_option_apply() (apply.c) is the one place a value is
 * checked and stored, whichever of the two it comes from.
 */
#include "cli_internal.h"

#include "base/arena.h"
#include "base/escape.h"
#include "base/strbuf.h"

#include <stdarg.h>
#include <string.h>
#include <unistd.h>

bool cli_usage_error(enum command cmd, const char *fmt, ...)
{
    const char *name = cmd == CMD_NONE ? NULL : cli_command_name(cmd);
    struct strbuf msg = STRBUF_INIT, shown = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    strbuf_vaddf(&msg, fmt, ap);
    va_end(ap);
    /* Arguments are user text: shown as diagnostics show it. */
    escape_text(&shown, msg.buf, msg.len);
    fprintf(stderr, "gwc%s%s: %s\nRun 'gwc help%s%s' for usage.\n", name ? " " : "",
            name ? name : "", shown.buf, name ? " " : "", name ? name : "");
    strbuf_release(&msg);
    strbuf_release(&shown);
    return false;
}

/* What flags and gwc.yaml give together must still make sense. */
static bool merged_options_valid(const struct options *o)
{
    size_t i, j;

    for (i = 0; i < o->n_port_map; i++) {
        for (j = 0; j < i; j++) {
            if (o->port_map[i].from == o->port_map[j].from)
                return cli_usage_error(o->command, "port %u is mapped twice",
                                       o->port_map[i].from);
            if (o->port_map[i].to == o->port_map[j].to)
                return cli_usage_error(o->command, "ports %u and %u are both mapped to %u",
                                       o->port_map[j].from, o->port_map[i].from,
                                       o->port_map[i].to);
        }
    }
    return true;
}

void cli_defaults(struct options *o)
{
    memset(o, 0, sizeof(*o));
    o->controller_name = GWC_DEFAULT_CONTROLLER;
    o->modules_dir = GWC_DEFAULT_MODULES_DIR;
    o->secrets_dir = GWC_DEFAULT_SECRETS_DIR;
    o->configmaps_dir = GWC_DEFAULT_CONFIGMAPS_DIR;
    o->diag_format = DIAG_FORMAT_TEXT;
    o->status_format = STATUS_YAML;
}

static enum command find_command(const char *arg)
{
    const struct cli_command *c = cli_command_find(arg);

    if (c)
        return c->cmd;
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
        return CMD_HELP;
    if (strcmp(arg, "--version") == 0)
        return CMD_VERSION;
    return CMD_NONE;
}

/* One option as the command line gave it. */
struct given {
    const struct cli_option *opt;
    const char *value; /* "true" for a flag */
};

/* Splits argv into options and paths; checks only that each option exists
 * for the command and has a value when it needs one. */
static bool split_argv(int argc, char **argv, struct options *o,
                       struct given *given, size_t *n_given)
{
    enum command cmd = o->command;
    bool only_paths = false;
    int k;

    for (k = 2; k < argc; k++) {
        const char *arg = argv[k], *value = NULL;
        const struct cli_option *opt;
        bool exists;

        if (only_paths || arg[0] != '-' || strcmp(arg, "-") == 0) {
            o->paths[o->n_paths++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_paths = true;
            continue;
        }
        if (arg[1] == '-') {
            const char *eq = strchr(arg + 2, '=');
            opt = cli_option_find(arg + 2, eq ? (size_t)(eq - arg - 2) : strlen(arg + 2),
                                  cmd, &exists);
            if (eq)
                value = eq + 1;
        } else {
            opt = arg[2] == '\0' ? cli_option_find_short(arg[1], cmd, &exists) : NULL;
            if (arg[2] != '\0')
                exists = false;
        }
        if (!opt && exists)
            return cli_usage_error(cmd, "option '%s' does not apply to this command", arg);
        if (!opt)
            return cli_usage_error(cmd, "unknown option '%s'", arg);
        if (opt->arg && !value) {
            if (k + 1 >= argc)
                return cli_usage_error(cmd, "option '%s' needs a value", arg);
            value = argv[++k];
        } else if (!opt->arg && value) {
            return cli_usage_error(cmd, "option '%s' takes no value", arg);
        }
        given[*n_given].opt = opt;
        given[*n_given].value = value ? value : "true";
        (*n_given)++;
    }
    return true;
}

bool cli_parse(struct arena *a, int argc, char **argv, struct options *o)
{
    bool by_flag[OPT__COUNT] = {false};
    const char *config = NULL;
    struct given *given;
    size_t n_given = 0, i;
    enum command cmd;

    cli_defaults(o);
    if (argc < 2) {
        cli_usage(stderr);
        return false;
    }
    cmd = find_command(argv[1]);
    if (cmd == CMD_NONE)
        return cli_usage_error(CMD_NONE, "unknown command '%s'", argv[1]);
    o->command = cmd;
    /* An import that is only approximate must not pass CI silently. */
    if (cmd == CMD_IMPORT)
        o->fail_on = FAIL_ON_WARNING;
    if (cmd == CMD_VERSION)
        return true;
    if (cmd == CMD_HELP) {
        o->help_topic = argc > 2 ? argv[2] : NULL;
        return true;
    }
    o->paths = ARENA_NEW_ARRAY(a, const char *, (size_t)argc);
    given = ARENA_NEW_ARRAY(a, struct given, (size_t)argc);
    if (!split_argv(argc, argv, o, given, &n_given))
        return false;
    for (i = 0; i < n_given; i++) {
        if (given[i].opt->id == OPT_HELP) {
            o->help_topic = cli_command_name(cmd);
            o->command = CMD_HELP;
            return true;
        }
        if (given[i].opt->id == OPT_CONFIG)
            config = given[i].value;
        by_flag[given[i].opt->id] = true;
    }
    if (!config && access("gwc.yaml", F_OK) == 0 && cmd != CMD_EXPLAIN)
        config = "gwc.yaml";
    /* Remembered, so that a directory walk does not read it as a manifest. */
    o->config_path = config;
    if (config && !cli_settings_load(a, config, o, by_flag))
        return false;
    for (i = 0; i < n_given; i++) {
        const char *problem = cli_option_apply(a, o, given[i].opt, given[i].value);
        if (problem)
            return cli_usage_error(cmd, "bad --%s '%s': %s", given[i].opt->name,
                                   given[i].value, problem);
    }
    if (o->n_paths == 0 && cmd == CMD_EXPLAIN)
        return cli_usage_error(cmd, "no code given (gwc explain GW0605)");
    if (o->n_paths == 0)
        return cli_usage_error(cmd, "no input paths given (use - for standard input)");
    if (cmd == CMD_COMPILE && !o->output)
        return cli_usage_error(cmd, "an output directory is needed: -o DIR");
    return merged_options_valid(o);
}
