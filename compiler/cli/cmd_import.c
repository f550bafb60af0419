/* `gwc import-ingress`: placeholder until the importer lands. */
#include "cli_internal.h"

int run_import(const struct options *o)
{
    (void)o;
    fputs("gwc: import-ingress is not implemented yet\n", stderr);
    return EXIT_INTERNAL;
}
