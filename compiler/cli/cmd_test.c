#include "cli_internal.h"

int run_test(const struct options *o)
{
    (void)o;
    return cli_usage_error("gwc test: not yet"), EXIT_USAGE;
}
