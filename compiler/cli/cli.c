#include "cli_internal.h"

#include "base/arena.h"

#include <stdio.h>

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
    case CMD_CHECK:
        status = cli_run_check(&o);
        break;
    case CMD_COMPILE:
        status = cli_run_compile(&o);
        break;
    case CMD_STATUS:
        status = cli_run_status(&o);
        break;
    case CMD_IMPORT:
        status = cli_run_import(&o);
        break;
    case CMD_EXPLAIN_REQUEST:
        status = cli_run_explain_request(&o);
        break;
    case CMD_TEST:
        status = cli_run_test(&o);
        break;
    case CMD_GRAPH:
        status = cli_run_graph(&o);
        break;
    case CMD_EXPLAIN:
        status = cli_run_explain(&o);
        break;
    case CMD_NONE:
        break;
    }
out:
    arena_destroy(a);
    return status;
}
