/*
 * Every command, option, gwc.yaml key and exit status of gwc, described
 * once.  The parser, `gwc help`, the man page and the bash completion are
 * all rendered from these tables, so none of them can say something the
 * others do not.
 */
#ifndef GWC_OPTABLE_H
#define GWC_OPTABLE_H

#include "options.h"

#include <stdbool.h>
#include <stddef.h>

enum opt_id {
    OPT_OUTPUT,
    OPT_FORCE,
    OPT_FORMAT,
    OPT_STATUS_FORMAT,
    OPT_FAIL_ON,
    OPT_REPORT,
    OPT_ROOT,
    OPT_COLOR,
    OPT_DISABLE,
    OPT_EXCLUDE,
    OPT_CONTEXT,
    OPT_QUIET,
    OPT_STRICT,
    OPT_ALLOW_UNKNOWN_FIELDS,
    OPT_ALLOW_EMPTY,
    OPT_STRICT_REFS,
    OPT_GATEWAY,
    OPT_GATEWAY_CLASS,
    OPT_CONTROLLER_NAME,
    OPT_LISTEN_ADDRESS,
    OPT_PORT_MAP,
    OPT_MODULES_DIR,
    OPT_SOCKET_DIR,
    OPT_SECRETS_DIR,
    OPT_CONFIGMAPS_DIR,
    OPT_RESOLVER,
    OPT_CONFIG,
    OPT_IMPORT_GATEWAY_CLASS,
    OPT_GATEWAY_NAME,
    OPT_IMPORT_GATEWAY,
    OPT_GATEWAY_NAMESPACE,
    OPT_CONTROLLER_CONFIG,
    OPT_INGRESS_CLASS,
    OPT_ENTRY_POINT,
    OPT_NAMESPACE,
    OPT_EXPLAIN_FORMAT,
    OPT_TEST_FORMAT,
    OPT_GRAPH_FORMAT,
    OPT_METHOD,
    OPT_HEADER,
    OPT_SNI,
    OPT_VERIFY_NGINX,
    OPT_NGINX,
    OPT_PROVIDER,
    OPT_ALLOW_INSECURE_IMPORT,
    OPT_INCLUDE_INPUTS,
    OPT_SUMMARY,
    OPT_HELP,
    OPT__COUNT
};

#define CLI_FOR(cmd) (1u << (cmd))
/* The commands that plan the routes as compile does. */
#define CLI_FOR_ROUTING (CLI_FOR(CMD_EXPLAIN_REQUEST) | CLI_FOR(CMD_TEST))
/* The commands that validate as a controller does. */
#define CLI_FOR_CONTROLLER                                                        \
    (CLI_FOR(CMD_CHECK) | CLI_FOR(CMD_COMPILE) | CLI_FOR(CMD_STATUS) | CLI_FOR_ROUTING | \
     CLI_FOR(CMD_GRAPH))
#define CLI_FOR_INPUT (CLI_FOR_CONTROLLER | CLI_FOR(CMD_IMPORT))

/* How the shell completes an option's value. */
enum cli_complete { COMPLETE_NONE, COMPLETE_FILE, COMPLETE_DIR };

struct cli_option {
    enum opt_id id;
    const char *name;  /* long name, without "--" */
    char short_name;   /* or 0 */
    const char *arg;   /* metavariable ("DIR"); NULL for a flag */
    bool repeatable;   /* given again, it adds a value */
    unsigned commands; /* CLI_FOR() bits; names may repeat across commands */
    const char *choices;  /* "text|json": the only values accepted, or NULL */
    enum cli_complete complete; /* for a value without choices */
    const char *setting;  /* gwc.yaml key, or NULL */
    const char *def;      /* the default, as documentation shows it, or NULL */
    const char *help;     /* prose; `gwc help` wraps it */
    const char *more;     /* further prose for the man page only, or NULL */
    bool adds; /* flags add to gwc.yaml's list instead of replacing it */
};

struct cli_command {
    enum command cmd;
    const char *name;
    const char *args;    /* what follows the name in a synopsis */
    const char *summary; /* one line for the command list */
    /* Paragraphs separated by blank lines; a paragraph whose lines start
     * with two spaces is shown as it is written. */
    const char *text;
};

struct cli_exit_status {
    int status;
    const char *meaning;
};

extern const struct cli_option cli_options[];
extern const size_t cli_n_options;
extern const struct cli_command cli_commands[];
extern const size_t cli_n_commands;
extern const struct cli_exit_status cli_exit_statuses[];
extern const size_t cli_n_exit_statuses;
/* Paragraphs shown by plain `gwc help` and in the man page. */
extern const char cli_about[];
extern const char cli_paths_text[];
extern const char cli_limits_text[];

const struct cli_command *cli_command_find(const char *name);
/* The option called name (length len) for cmd; *exists says whether the
 * name is an option of any command. */
const struct cli_option *cli_option_find(const char *name, size_t len,
                                         enum command cmd, bool *exists);
const struct cli_option *cli_option_find_short(char c, enum command cmd,
                                               bool *exists);
const struct cli_option *cli_option_by_setting(const char *key);
/* The index of value among opt->choices, or -1. */
int cli_choice(const struct cli_option *opt, const char *value);

#endif
