/* Shared between the files of the CLI only. */
#ifndef GWC_CLI_INTERNAL_H
#define GWC_CLI_INTERNAL_H

#include "cli.h"
#include "optable.h"
#include "options.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct arena;
struct strbuf;

#ifndef GWC_VERSION
#define GWC_VERSION "0.0.0"
#endif
/* The published docs/diagnostics.md (meson option diagnostics_url). */
#ifndef GWC_DIAGNOSTICS_URL
#define GWC_DIAGNOSTICS_URL "https://gwc.dev/docs/diagnostics.md"
#endif

/* Every option at its default (no command, no paths). */
void cli_defaults(struct options *o);
/* Parses argv into o (arena-owned strings).  Prints its own errors;
 * returns false on a usage error. */
bool cli_parse(struct arena *a, int argc, char **argv, struct options *o);
/* Prints "gwc COMMAND: message" (arguments in it shown escaped) and where
 * to read the command's usage; returns false. */
bool cli_usage_error(enum command cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Checks value and stores it into o as the option says; returns NULL, or
 * what was expected instead ("expected FROM=TO, ports 1-65535").  A flag's
 * value is "true" or "false". */
const char *cli_option_apply(struct arena *a, struct options *o,
                             const struct cli_option *opt, const char *value);
/* Why DIR cannot hold gwc's unix sockets, or NULL when it can. */
const char *cli_socket_dir_problem(const char *dir);
/* Reads the settings file into o, for every option by_flag (indexed by
 * enum opt_id) does not mark as given on the command line. */
bool cli_settings_load(struct arena *a, const char *path, struct options *o,
                       const bool *by_flag);

/* Help (help.c). */
const char *cli_command_name(enum command cmd);
void cli_usage(FILE *out);
/* Prints help for a command name, or returns false if there is none. */
bool cli_help(FILE *out, const char *topic);
/* Appends text wrapped at width columns, every line indented by indent
 * spaces but the first, which starts at column first_col. */
void cli_wrap(struct strbuf *out, const char *text, size_t indent,
              size_t first_col, size_t width);

/* The man page from its template (manpage.c): false when the template
 * names a directive that does not exist. */
bool cli_render_man(const char *tmpl, struct strbuf *out);
/* The bash completion script (completion.c). */
void cli_render_completion(struct strbuf *out);

struct compilation;
struct controller;
struct explain_case;
struct model;
struct plan;
struct plan_options;
struct ydoc_list;

/* Shared steps of the commands (run.c); the fuzz targets run them too, on
 * text in memory.  docs, if not NULL, receives the documents the model was
 * built from. */
bool cli_load_model(struct compilation *c, const struct options *o,
                    struct model *m, struct ydoc_list *docs);
/* Decodes and validates loaded documents as check, compile and status do. */
void cli_validate(struct compilation *c, const struct options *o,
                  const struct ydoc_list *docs, struct model *m,
                  struct controller *ctl);
/* The front of every command that reads manifests: a new compilation,
 * then load, decode, validate. */
void cli_validate_inputs(struct compilation *c, const struct options *o, struct model *m,
                         struct controller *ctl);
/* Plan options from the command line; port_map is filled (MAX_PORT_MAP). */
void cli_plan_options(const struct options *o, uint32_t (*port_map)[2],
                      const char *socket_dir, struct plan_options *po);
/* compile without its files: plans the configuration.  False, with a
 * diagnostic, when it cannot be rendered.  Unless the input has
 * RoutingTests (which read the trees after planning), the YAML trees end
 * first (compilation_drop_tree()) and the plan reuses their memory. */
bool cli_render(struct compilation *c, const struct options *o,
                const struct controller *ctl, struct plan *plan);
/* Renders the plan cli_render made into o->output, each file straight to
 * disk as it is made. */
bool cli_write_output(struct compilation *c, const struct options *o,
                      const struct plan *plan);
/* Silences what the options and gwc.dev/ignore annotations ask, then
 * writes the diagnostics where the options say (report.c); m lists the
 * objects of the input (NULL: none read).  The exit status follows what
 * is left in the sink. */
void cli_report(struct compilation *c, const struct options *o, const struct model *m);

struct cli_silenced {
    unsigned disabled; /* by --disable or gwc.yaml */
    unsigned ignored;  /* by gwc.dev/ignore annotations */
};
/* Removes the silenced diagnostics from c's sink (silence.c). */
void cli_silence(struct compilation *c, const struct options *o, const struct model *m,
                 struct cli_silenced *count);
int cli_exit_status(const struct compilation *c, const struct options *o);
/* Runs the input's RoutingTests against built (NULL: a plan made here),
 * reporting failures into c; returns the cases (cmd_test.c). */
size_t cli_routing_tests(struct compilation *c, const struct options *o,
                         const struct model *m, const struct controller *ctl,
                         const struct plan *built, struct explain_case **cases);

int cli_run_check(const struct options *o);
int cli_run_compile(const struct options *o);
int cli_run_status(const struct options *o);
int cli_run_import(const struct options *o);
int cli_run_explain_request(const struct options *o);
int cli_run_test(const struct options *o);
int cli_run_graph(const struct options *o);
int cli_run_explain(const struct options *o);
/* docs/diagnostics.md (explain.c). */
void cli_render_catalogue(struct strbuf *out);

#endif
