/* Shared between the files of the CLI only. */
#ifndef GWC_CLI_INTERNAL_H
#define GWC_CLI_INTERNAL_H

#include "cli.h"
#include "options.h"

#include <stdbool.h>
#include <stdio.h>

struct arena;

#ifndef GWC_VERSION
#define GWC_VERSION "0.0.0"
#endif

/* Every option at its default (no command, no paths). */
void cli_defaults(struct options *o);
/* Parses argv into o (arena-owned strings).  Prints its own errors;
 * returns false on a usage error. */
bool cli_parse(struct arena *a, int argc, char **argv, struct options *o);
/* Prints "gwc: MESSAGE" (arguments in it shown escaped) and where to find
 * usage; returns false. */
bool cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Why DIR cannot hold gwc's unix sockets, or NULL when it can. */
const char *socket_dir_problem(const char *dir);
/* Reads the settings file into o for every setting no flag gave. */
bool settings_load(struct arena *a, const char *path, struct options *o,
                   const bool *flag_set);
void cli_usage(FILE *out);
/* Prints help for a command name, or returns false if there is none. */
bool cli_help(FILE *out, const char *topic);

struct compilation;
struct controller;
struct emit_output;
struct model;
struct plan;
struct ydoc_list;

/* Shared steps of the commands (run.c); the fuzz targets run them too, on
 * text in memory. */
bool cli_load_model(struct compilation *c, const struct options *o,
                    struct model *m);
/* Decodes and validates loaded documents as check, compile and status do. */
void cli_validate(struct compilation *c, const struct options *o,
                  const struct ydoc_list *docs, struct model *m,
                  struct controller *ctl);
/* compile without its files: ends the YAML trees (compilation_drop_tree()),
 * then plans and renders the configuration into memory.  False, with a
 * diagnostic, when it cannot be rendered. */
bool cli_render(struct compilation *c, const struct options *o,
                const struct controller *ctl, struct plan *plan,
                struct emit_output *eo);
void cli_print_diagnostics(struct compilation *c, const struct options *o);
int cli_exit_status(const struct compilation *c, const struct options *o);

int run_check(const struct options *o);
int run_compile(const struct options *o);
int run_status(const struct options *o);
int run_import(const struct options *o);

/* Setting identifiers, to remember which ones a flag gave. */
enum setting {
    SET_LISTEN_ADDRESS,
    SET_PORT_MAP,
    SET_MODULES_DIR,
    SET_SOCKET_DIR,
    SET_RESOLVER,
    SET_STRICT_REFS,
    SET_GATEWAY_CLASSES,
    SET_CONTROLLER_NAME,
    SET_STRICT,
    SET__COUNT
};

#endif
