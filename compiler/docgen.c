/* gwc-docgen: the build's generator of gwc's man page and completion.
 * See compiler/cli/docgen.c. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return cli_docgen(argc, argv);
}
