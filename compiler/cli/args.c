/*
 * Command-line parsing from one option table (after git's parse-options).
 * Each option names the commands that accept it; the same table checks
 * misuse such as `gwc check -o out`.
 */
#include "cli_internal.h"

#include "base/arena.h"
#include "base/escape.h"
#include "base/strbuf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum opt_id {
    OPT_OUTPUT,
    OPT_FORCE,
    OPT_FORMAT,
    OPT_FAIL_ON,
    OPT_COLOR,
    OPT_STRICT,
    OPT_STRICT_REFS,
    OPT_GATEWAY_CLASS,
    OPT_CONTROLLER_NAME,
    OPT_LISTEN_ADDRESS,
    OPT_PORT_MAP,
    OPT_MODULES_DIR,
    OPT_SOCKET_DIR,
    OPT_RESOLVER,
    OPT_CONFIG,
    OPT_INGRESS_CLASS,
    OPT_NAMESPACE,
    OPT_GATEWAY_NAME,
    OPT_PROVIDER,
    OPT_HELP,
};

#define FOR_CHECK (1u << CMD_CHECK)
#define FOR_COMPILE (1u << CMD_COMPILE)
#define FOR_STATUS (1u << CMD_STATUS)
#define FOR_IMPORT (1u << CMD_IMPORT)
#define FOR_ALL (FOR_CHECK | FOR_COMPILE | FOR_STATUS | FOR_IMPORT)
#define FOR_CONTROLLER (FOR_CHECK | FOR_COMPILE | FOR_STATUS)

struct opt_spec {
    const char *name;
    char short_name;
    bool takes_value;
    unsigned commands;
    enum opt_id id;
};

static const struct opt_spec opt_specs[] = {
    {"output", 'o', true, FOR_COMPILE | FOR_IMPORT, OPT_OUTPUT},
    {"force", 0, false, FOR_COMPILE, OPT_FORCE},
    {"format", 0, true, FOR_ALL, OPT_FORMAT},
    {"fail-on", 0, true, FOR_ALL, OPT_FAIL_ON},
    {"color", 0, true, FOR_ALL, OPT_COLOR},
    {"strict", 0, false, FOR_ALL, OPT_STRICT},
    {"strict-refs", 0, false, FOR_CONTROLLER, OPT_STRICT_REFS},
    {"gateway-class", 0, true, FOR_CONTROLLER | FOR_IMPORT, OPT_GATEWAY_CLASS},
    {"controller-name", 0, true, FOR_CONTROLLER, OPT_CONTROLLER_NAME},
    {"listen-address", 0, true, FOR_COMPILE | FOR_STATUS, OPT_LISTEN_ADDRESS},
    {"port-map", 0, true, FOR_COMPILE, OPT_PORT_MAP},
    {"modules-dir", 0, true, FOR_COMPILE, OPT_MODULES_DIR},
    {"socket-dir", 0, true, FOR_COMPILE, OPT_SOCKET_DIR},
    {"resolver", 0, true, FOR_COMPILE, OPT_RESOLVER},
    {"config", 0, true, FOR_ALL, OPT_CONFIG},
    {"ingress-class", 0, true, FOR_IMPORT, OPT_INGRESS_CLASS},
    {"namespace", 0, true, FOR_IMPORT, OPT_NAMESPACE},
    {"gateway-name", 0, true, FOR_IMPORT, OPT_GATEWAY_NAME},
    {"provider", 0, true, FOR_IMPORT, OPT_PROVIDER},
    {"help", 'h', false, FOR_ALL, OPT_HELP},
};

static const struct {
    const char *name;
    enum command cmd;
} commands[] = {
    {"check", CMD_CHECK},       {"compile", CMD_COMPILE},
    {"status", CMD_STATUS},     {"import-ingress", CMD_IMPORT},
    {"help", CMD_HELP},         {"--help", CMD_HELP},
    {"-h", CMD_HELP},           {"--version", CMD_VERSION},
    {"version", CMD_VERSION},
};

/* Unix socket paths are limited to 108 bytes (sun_path, with its NUL);
 * gwc appends at most 36: "/gw-<port>_<n>-<kind>.sock". */
const char *socket_dir_problem(const char *dir)
{
    if (dir[0] != '/')
        return "must be an absolute path";
    if (strlen(dir) > 64)
        return "longer than 64 bytes, too long for unix socket paths";
    return NULL;
}

bool cli_usage_error(const char *fmt, ...)
{
    struct strbuf msg = STRBUF_INIT, shown = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    strbuf_vaddf(&msg, fmt, ap);
    va_end(ap);
    /* Arguments are user text: shown as diagnostics show it. */
    escape_text(&shown, msg.buf, msg.len);
    fprintf(stderr, "gwc: %s\nRun 'gwc help' for usage.\n", shown.buf);
    strbuf_release(&msg);
    strbuf_release(&shown);
    return false;
}

static bool parse_port(const char *s, uint32_t *out)
{
    char *end;
    long v;

    if (!*s || strspn(s, "0123456789") != strlen(s))
        return false;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || v < 1 || v > 65535)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* What flags and gwc.yaml give together must still make sense. */
static bool merged_options_valid(const struct options *o)
{
    unsigned char buf[sizeof(struct in6_addr)];
    size_t i, j;

    if (o->listen_address && inet_pton(AF_INET, o->listen_address, buf) != 1 &&
        inet_pton(AF_INET6, o->listen_address, buf) != 1)
        return cli_usage_error("listen address '%s' is not an IPv4 or IPv6 address "
                           "(write IPv6 without brackets)", o->listen_address);
    for (i = 0; i < o->n_port_map; i++) {
        for (j = 0; j < i; j++) {
            if (o->port_map[i].from == o->port_map[j].from)
                return cli_usage_error("port %u is mapped twice", o->port_map[i].from);
            if (o->port_map[i].to == o->port_map[j].to)
                return cli_usage_error("ports %u and %u are both mapped to %u",
                                   o->port_map[j].from, o->port_map[i].from,
                                   o->port_map[i].to);
        }
    }
    return true;
}

static bool parse_port_map(const char *s, struct options *o)
{
    const char *eq = strchr(s, '=');
    char from[8];
    size_t n;

    if (!eq || (n = (size_t)(eq - s)) == 0 || n >= sizeof(from))
        return false;
    memcpy(from, s, n);
    from[n] = '\0';
    if (o->n_port_map == MAX_PORT_MAP)
        return false;
    if (!parse_port(from, &o->port_map[o->n_port_map].from) ||
        !parse_port(eq + 1, &o->port_map[o->n_port_map].to))
        return false;
    o->n_port_map++;
    return true;
}

static bool set_value(struct options *o, bool *flag_set, enum opt_id id,
                      const char *v)
{
    switch (id) {
    case OPT_OUTPUT:
        o->output = v;
        return true;
    case OPT_FORMAT:
        if (o->command == CMD_STATUS) {
            if (strcmp(v, "yaml") == 0)
                o->status_format = STATUS_YAML;
            else if (strcmp(v, "json") == 0)
                o->status_format = STATUS_JSON;
            else
                return cli_usage_error("unknown status format '%s' (yaml or json)", v);
            return true;
        }
        if (strcmp(v, "text") == 0 || strcmp(v, "gcc") == 0)
            o->diag_format = DIAG_FORMAT_TEXT;
        else if (strcmp(v, "json") == 0)
            o->diag_format = DIAG_FORMAT_JSON;
        else if (strcmp(v, "sarif") == 0)
            o->diag_format = DIAG_FORMAT_SARIF;
        else if (strcmp(v, "github") == 0)
            o->diag_format = DIAG_FORMAT_GITHUB;
        else
            return cli_usage_error("unknown format '%s' (text, json, sarif or github)", v);
        return true;
    case OPT_FAIL_ON:
        if (strcmp(v, "error") == 0)
            o->fail_on = FAIL_ON_ERROR;
        else if (strcmp(v, "warning") == 0)
            o->fail_on = FAIL_ON_WARNING;
        else if (strcmp(v, "never") == 0)
            o->fail_on = FAIL_ON_NEVER;
        else
            return cli_usage_error("unknown --fail-on level '%s' (error, warning or never)", v);
        return true;
    case OPT_COLOR:
        if (strcmp(v, "auto") == 0)
            o->color = COLOR_AUTO;
        else if (strcmp(v, "always") == 0)
            o->color = COLOR_ALWAYS;
        else if (strcmp(v, "never") == 0)
            o->color = COLOR_NEVER;
        else
            return cli_usage_error("unknown --color value '%s' (auto, always or never)", v);
        return true;
    case OPT_GATEWAY_CLASS:
        if (o->command == CMD_IMPORT) {
            o->import_gateway_class = v;
            return true;
        }
        if (o->n_gateway_classes == MAX_CLASSES)
            return cli_usage_error("too many --gateway-class options");
        if (!flag_set[SET_GATEWAY_CLASSES])
            o->n_gateway_classes = 0;
        o->gateway_classes[o->n_gateway_classes++] = v;
        flag_set[SET_GATEWAY_CLASSES] = true;
        return true;
    case OPT_CONTROLLER_NAME:
        o->controller_name = v;
        flag_set[SET_CONTROLLER_NAME] = true;
        return true;
    case OPT_LISTEN_ADDRESS:
        o->listen_address = v;
        flag_set[SET_LISTEN_ADDRESS] = true;
        return true;
    case OPT_PORT_MAP:
        if (!flag_set[SET_PORT_MAP])
            o->n_port_map = 0;
        flag_set[SET_PORT_MAP] = true;
        if (!parse_port_map(v, o))
            return cli_usage_error("bad --port-map '%s' (want FROM=TO, ports 1-65535)", v);
        return true;
    case OPT_MODULES_DIR:
        o->modules_dir = v;
        flag_set[SET_MODULES_DIR] = true;
        return true;
    case OPT_SOCKET_DIR:
        if (socket_dir_problem(v))
            return cli_usage_error("bad --socket-dir '%s': %s", v, socket_dir_problem(v));
        o->socket_dir = v;
        flag_set[SET_SOCKET_DIR] = true;
        return true;
    case OPT_RESOLVER:
        o->resolver = v;
        flag_set[SET_RESOLVER] = true;
        return true;
    case OPT_CONFIG:
        o->config_path = v;
        return true;
    case OPT_INGRESS_CLASS:
        if (o->n_ingress_classes == MAX_CLASSES)
            return cli_usage_error("too many --ingress-class options");
        o->ingress_classes[o->n_ingress_classes++] = v;
        return true;
    case OPT_GATEWAY_NAME:
        o->import_gateway_name = v;
        return true;
    case OPT_NAMESPACE:
        o->import_namespace = v;
        return true;
    case OPT_PROVIDER:
        o->import_provider = v;
        return true;
    case OPT_FORCE:
    case OPT_STRICT:
    case OPT_STRICT_REFS:
    case OPT_HELP:
        break;
    }
    return true;
}

static bool set_flag(struct options *o, bool *flag_set, enum opt_id id)
{
    switch (id) {
    case OPT_FORCE:
        o->force = true;
        return true;
    case OPT_STRICT:
        o->strict = true;
        flag_set[SET_STRICT] = true;
        return true;
    case OPT_STRICT_REFS:
        o->strict_refs = true;
        flag_set[SET_STRICT_REFS] = true;
        return true;
    case OPT_HELP:
        o->help_topic = o->command == CMD_IMPORT    ? "import-ingress"
                        : o->command == CMD_CHECK   ? "check"
                        : o->command == CMD_COMPILE ? "compile"
                                                    : "status";
        o->command = CMD_HELP;
        return true;
    default:
        return true;
    }
}

static const struct opt_spec *find_long(const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < sizeof(opt_specs) / sizeof(opt_specs[0]); i++) {
        if (strlen(opt_specs[i].name) == len &&
            memcmp(opt_specs[i].name, name, len) == 0)
            return &opt_specs[i];
    }
    return NULL;
}

static const struct opt_spec *find_short(char c)
{
    size_t i;

    for (i = 0; i < sizeof(opt_specs) / sizeof(opt_specs[0]); i++) {
        if (opt_specs[i].short_name == c)
            return &opt_specs[i];
    }
    return NULL;
}

void cli_defaults(struct options *o)
{
    memset(o, 0, sizeof(*o));
    o->controller_name = GWC_DEFAULT_CONTROLLER;
    o->modules_dir = GWC_DEFAULT_MODULES_DIR;
    o->resolver = GWC_DEFAULT_RESOLVER;
    o->diag_format = DIAG_FORMAT_TEXT;
    o->status_format = STATUS_YAML;
}

bool cli_parse(struct arena *a, int argc, char **argv, struct options *o)
{
    bool flag_set[SET__COUNT] = {false};
    bool only_paths = false;
    enum command cmd = CMD_NONE;
    const char *config = NULL;
    size_t i;
    int k;

    cli_defaults(o);
    if (argc < 2) {
        cli_usage(stderr);
        return false;
    }
    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        if (strcmp(argv[1], commands[i].name) == 0)
            cmd = commands[i].cmd;
    }
    if (cmd == CMD_NONE)
        return cli_usage_error("unknown command '%s'", argv[1]);
    o->command = cmd;
    /* An import that is only approximate must not pass CI silently. */
    if (cmd == CMD_IMPORT)
        o->fail_on = FAIL_ON_WARNING;
    if (cmd == CMD_VERSION)
        return true;
    if (cmd == CMD_HELP) {
        o->help_topic = argc > 2 ? argv[2] : NULL;
        return true;
    }
    o->paths = ARENA_NEW_ARRAY(a, const char *, (size_t)argc);
    for (k = 2; k < argc; k++) {
        const char *arg = argv[k], *value = NULL;
        const struct opt_spec *spec;

        if (only_paths || arg[0] != '-' || strcmp(arg, "-") == 0) {
            o->paths[o->n_paths++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_paths = true;
            continue;
        }
        if (arg[1] == '-') {
            const char *eq = strchr(arg + 2, '=');
            spec = find_long(arg + 2, eq ? (size_t)(eq - arg - 2) : strlen(arg + 2));
            if (eq)
                value = eq + 1;
        } else {
            spec = arg[2] == '\0' ? find_short(arg[1]) : NULL;
        }
        if (!spec)
            return cli_usage_error("unknown option '%s'", arg);
        if (!(spec->commands & (1u << cmd)))
            return cli_usage_error("option '%s' does not apply to this command", arg);
        if (spec->takes_value) {
            if (!value) {
                if (k + 1 >= argc)
                    return cli_usage_error("option '%s' needs a value", arg);
                value = argv[++k];
            }
            if (spec->id == OPT_CONFIG)
                config = value;
            if (!set_value(o, flag_set, spec->id, value))
                return false;
        } else {
            if (value)
                return cli_usage_error("option '%s' takes no value", arg);
            set_flag(o, flag_set, spec->id);
        }
    }
    if (o->command == CMD_HELP)
        return true;
    if (cmd != CMD_IMPORT) {
        if (config && !settings_load(a, config, o, flag_set))
            return false;
        if (!config && access("gwc.yaml", F_OK) == 0 &&
            !settings_load(a, "gwc.yaml", o, flag_set))
            return false;
    }
    if (o->n_paths == 0)
        return cli_usage_error("no input paths given (use - for standard input)");
    if (cmd == CMD_COMPILE && !o->output)
        return cli_usage_error("compile needs an output directory: -o DIR");
    return merged_options_valid(o);
}
