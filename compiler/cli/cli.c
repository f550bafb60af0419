#include "cli_internal.h"

#include "base/arena.h"

#include <stdio.h>

/* The commands that run on the options alone (CMD_VERSION is the last
 * command). */
static int (*const commands[CMD_VERSION + 1])(const struct options *o) = {
    [CMD_CHECK] = cli_run_check,
    [CMD_COMPILE] = cli_run_compile,
    [CMD_STATUS] = cli_run_status,
    [CMD_IMPORT] = cli_run_import,
    [CMD_EXPLAIN_REQUEST] = cli_run_explain_request,
    [CMD_TEST] = cli_run_test,
    [CMD_GRAPH] = cli_run_graph,
    [CMD_EXPLAIN] = cli_run_explain,
};

int cli_main(int argc, char **argv)
{
    struct arena *a = arena_create(1 << 16);
    struct options o;
    int status = EXIT_USAGE;

    if (!cli_parse(a, argc, argv, &o))
        goto out;
    switch (o.command) {
    case CMD_VERSION:
        printf("gwc %s\n", GWC_VERSION);
        status = EXIT_CLEAN;
        break;
    case CMD_HELP:
        if (!o.help_topic) {
            cli_usage(stdout);
            status = EXIT_CLEAN;
        } else if (cli_help(stdout, o.help_topic)) {
            status = EXIT_CLEAN;
        } else {
            cli_usage_error(CMD_HELP, "no help for '%s'", o.help_topic);
        }
        break;
    default:
        if (commands[o.command])
            status = commands[o.command](&o);
        break;
    }
out:
    arena_destroy(a);
    return status;
}
