#include "cli_internal.h"

int run_graph(const struct options *o)
{
    (void)o;
    return cli_usage_error("gwc graph: not yet"), EXIT_USAGE;
}
