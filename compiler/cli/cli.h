/* The command line: the only part of gwc that prints or chooses an exit
 * status. */
#ifndef GWC_CLI_H
#define GWC_CLI_H

/* Exit statuses (documented in `gwc help`). */
enum {
    EXIT_CLEAN = 0,    /* no errors */
    EXIT_FINDINGS = 1, /* errors found (warnings too with --fail-on=warning) */
    EXIT_USAGE = 2,    /* bad usage, or input that cannot be read */
    EXIT_INTERNAL = 3, /* gwc itself failed */
};

int cli_main(int argc, char **argv);
/* The build's generator of the man page and completion (gwc-docgen). */
int cli_docgen(int argc, char **argv);

#endif
