/*
 * Everything a run can be told, from flags and from gwc.yaml.  Flags win
 * over the settings file, which wins over the defaults.
 */
#ifndef GWC_OPTIONS_H
#define GWC_OPTIONS_H

#include "base/diag.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct plan_endpoints;

enum command {
    CMD_NONE,
    CMD_CHECK,
    CMD_COMPILE,
    CMD_STATUS,
    CMD_IMPORT,
    CMD_EXPLAIN_REQUEST,
    CMD_TEST,
    CMD_GRAPH,
    CMD_EXPLAIN,
    CMD_HELP,
    CMD_VERSION,
};

enum fail_on { FAIL_ON_ERROR, FAIL_ON_WARNING, FAIL_ON_NEVER };
enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };
enum status_format { STATUS_YAML, STATUS_JSON };

struct port_map_entry {
    uint32_t from, to;
};

#define MAX_PORT_MAP 256
#define MAX_CLASSES 64
#define MAX_ENTRY_POINTS 64 /* import-ingress --entry-point */
#define MAX_PATHS 256 /* --exclude and --context each */
#define MAX_HEADERS 256 /* explain-request -H */
#define MAX_GATEWAYS 256

struct options {
    enum command command;
    const char *help_topic;
    const char **paths;
    size_t n_paths;
    const char *exclude[MAX_PATHS]; /* globs */
    size_t n_exclude;
    const char *context[MAX_PATHS]; /* read, but not reported on */
    size_t n_context;

    /* diagnostics */
    enum diag_format diag_format;
    enum fail_on fail_on;
    enum color_mode color;
    bool allow_unknown_fields; /* unknown fields are warnings, not errors */
    bool allow_empty;          /* no manifest in the paths is not an error */
    bool disabled[DIAG__COUNT]; /* --disable */
    bool quiet;
    const char *report_path; /* --report FILE */
    const char *root;        /* --root DIR: what SARIF URIs are relative to */

    /* controller */
    bool strict_refs;
    const char *controller_name;
    const char *gateway_classes[MAX_CLASSES];
    size_t n_gateway_classes;
    const char *gateways[MAX_GATEWAYS]; /* --gateway NAMESPACE/NAME */
    size_t n_gateways;

    /* compile */
    const char *output;
    bool force; /* write into a directory gwc did not write before */
    const char *listen_address;
    const char *modules_dir;
    const char *socket_dir; /* NULL: DIR/sockets */
    const char *secrets_dir;
    const char *configmaps_dir;
    const char *resolver;
    struct port_map_entry port_map[MAX_PORT_MAP];
    size_t n_port_map;

    /* status */
    enum status_format status_format;

    /* import-ingress */
    const char *import_provider;
    const char *ingress_classes[MAX_CLASSES];
    size_t n_ingress_classes;
    const char *entry_points[MAX_ENTRY_POINTS]; /* "NAME=PORT[/udp]" */
    size_t n_entry_points;
    const char *import_namespace;
    const char *import_gateway_class;
    const char *import_gateway_name;
    const char *import_gateway_namespace;
    const char *controller_config; /* import-ingress --controller-config */
    const char *import_gateway; /* --gateway NAMESPACE/NAME */
    bool allow_insecure_import;
    bool include_inputs; /* import-ingress --include-inputs */
    const char *summary_path; /* import-ingress --summary FILE */

    /* explain-request, test and graph */
    const char *output_format; /* their --format: one of the option's choices */
    const char *method;
    const char *headers[MAX_HEADERS]; /* "Name: value" */
    size_t n_headers;
    const char *sni;
    bool verify_nginx;
    const char *nginx; /* test --verify-nginx: the nginx binary */

    /* Set by a command, never by a flag: test --verify-nginx points every
     * Service at a stub of its own. */
    const struct plan_endpoints *endpoints;

    const char *config_path; /* the settings file read, or NULL */
};

#define GWC_DEFAULT_CONTROLLER "gwc.dev/gateway-controller"
#define GWC_DEFAULT_MODULES_DIR "/usr/lib/nginx/modules"
#define GWC_DEFAULT_SECRETS_DIR "/etc/gwc/secrets"
#define GWC_DEFAULT_CONFIGMAPS_DIR "/etc/gwc/configmaps"

#endif
