/*
 * cli_option_apply(): the one place an option's value is checked and
 * stored, whether it came from a flag (args.c) or from gwc.yaml
 * (settings.c), so both accept exactly the same values.
 */
#include "cli_internal.h"

#include "base/arena.h"
#include "base/strbuf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Why DIR cannot be where Secret and ConfigMap volumes are mounted: nginx
 * would read a relative path from its prefix. */
static const char *mount_dir_problem(const char *dir)
{
    return dir[0] != '/' ? "must be an absolute path" : NULL;
}

/* Unix socket paths are limited to 108 bytes (sun_path, with its NUL);
 * gwc appends at most 36: "/gw-<port>_<n>-<kind>.sock". */
const char *cli_socket_dir_problem(const char *dir)
{
    if (dir[0] != '/')
        return "must be an absolute path";
    if (strlen(dir) > 64)
        return "longer than 64 bytes, too long for unix socket paths";
    return NULL;
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

static bool parse_port_map(const char *s, struct port_map_entry *e)
{
    const char *eq = strchr(s, '=');
    char from[8];
    size_t n;

    if (!eq || (n = (size_t)(eq - s)) == 0 || n >= sizeof(from))
        return false;
    memcpy(from, s, n);
    from[n] = '\0';
    return parse_port(from, &e->from) && parse_port(eq + 1, &e->to);
}

/* "expected text, json or sarif" from "text|json|sarif". */
static const char *expected_choices(struct arena *a, const char *choices)
{
    struct strbuf sb = STRBUF_INIT;
    const char *p = choices, *out;

    strbuf_addstr(&sb, "expected ");
    while (*p) {
        size_t len = strcspn(p, "|");
        strbuf_add(&sb, p, len);
        p += len + (p[len] == '|');
        if (*p)
            strbuf_addstr(&sb, strchr(p, '|') ? ", " : " or ");
    }
    out = arena_strdup(a, sb.buf);
    strbuf_release(&sb);
    return out;
}

/* In the order of --format's choices. */
static const enum diag_format diag_formats[] = {
    DIAG_FORMAT_TEXT, DIAG_FORMAT_TEXT,  DIAG_FORMAT_JSON,
    DIAG_FORMAT_SARIF, DIAG_FORMAT_GITHUB, DIAG_FORMAT_JUNIT,
};

static const char *add_to(const char **list, size_t *n, size_t max, const char *v)
{
    if (*n == max)
        return "too many values";
    list[(*n)++] = v;
    return NULL;
}

/* "GW0605,GW0401": each a code that may be silenced. */
static const char *disable_codes(struct arena *a, struct options *o, const char *v)
{
    while (*v) {
        size_t len = strcspn(v, ",");
        char *name = arena_strndup(a, v, len);
        enum diag_code code;

        name += strspn(name, " ");
        name[strcspn(name, " ")] = '\0';
        code = diag_lookup(name);
        if (code == DIAG__COUNT)
            return arena_printf(a, "'%s' is no diagnostic code (GWnnnn)", name);
        if (!diag_can_disable(code))
            return arena_printf(a, "%s cannot be silenced: it means the output would be "
                                   "invalid or the input could not be read",
                                name);
        o->disabled[code] = true;
        v += len + (v[len] == ',');
    }
    return NULL;
}

/* The options stored as given: a string, or a flag (checked above to be
 * "true" or "false"); cli_option_apply()'s switch has the others. */
enum store { STORE_NOT, STORE_STRING, STORE_FLAG };
/* The sizeof term adds nothing but makes a member of another type a
 * compile error (distinct pointer types). */
#define MEMBER_OF_TYPE(m, T) \
    (offsetof(struct options, m) + 0 * sizeof(&((struct options *)0)->m == (T *)0))
#define AS_STRING(id, m) [id] = {STORE_STRING, MEMBER_OF_TYPE(m, const char *)}
#define AS_FLAG(id, m) [id] = {STORE_FLAG, MEMBER_OF_TYPE(m, bool)}
static const struct {
    enum store how;
    size_t offset;
} stored[OPT__COUNT] = {
    AS_STRING(OPT_OUTPUT, output),
    AS_STRING(OPT_REPORT, report_path),
    AS_STRING(OPT_ROOT, root),
    AS_STRING(OPT_CONTROLLER_NAME, controller_name),
    AS_STRING(OPT_MODULES_DIR, modules_dir),
    AS_STRING(OPT_RESOLVER, resolver),
    AS_STRING(OPT_CONFIG, config_path),
    AS_STRING(OPT_IMPORT_GATEWAY_CLASS, import_gateway_class),
    AS_STRING(OPT_GATEWAY_NAME, import_gateway_name),
    AS_STRING(OPT_GATEWAY_NAMESPACE, import_gateway_namespace),
    AS_STRING(OPT_CONTROLLER_CONFIG, controller_config),
    AS_STRING(OPT_NAMESPACE, import_namespace),
    AS_STRING(OPT_EXPLAIN_FORMAT, output_format),
    AS_STRING(OPT_TEST_FORMAT, output_format),
    AS_STRING(OPT_GRAPH_FORMAT, output_format),
    AS_STRING(OPT_METHOD, method),
    AS_STRING(OPT_SNI, sni),
    AS_STRING(OPT_SUMMARY, summary_path),
    AS_STRING(OPT_NGINX, nginx),
    AS_STRING(OPT_PROVIDER, import_provider),
    AS_FLAG(OPT_FORCE, force),
    AS_FLAG(OPT_QUIET, quiet),
    AS_FLAG(OPT_ALLOW_UNKNOWN_FIELDS, allow_unknown_fields),
    AS_FLAG(OPT_ALLOW_EMPTY, allow_empty),
    AS_FLAG(OPT_STRICT_REFS, strict_refs),
    AS_FLAG(OPT_ALLOW_INSECURE_IMPORT, allow_insecure_import),
    AS_FLAG(OPT_INCLUDE_INPUTS, include_inputs),
    AS_FLAG(OPT_VERIFY_NGINX, verify_nginx),
};

const char *cli_option_apply(struct arena *a, struct options *o,
                             const struct cli_option *opt, const char *v)
{
    int choice = opt->choices ? cli_choice(opt, v) : 0;

    if (choice < 0)
        return expected_choices(a, opt->choices);
    if (!opt->arg && strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
        return "expected true or false";
    if (stored[opt->id].how == STORE_STRING) {
        *(const char **)((char *)o + stored[opt->id].offset) = v;
        return NULL;
    }
    if (stored[opt->id].how == STORE_FLAG) {
        *(bool *)((char *)o + stored[opt->id].offset) = v[0] == 't';
        return NULL;
    }
    switch (opt->id) {
    case OPT_FORMAT:
        o->diag_format = diag_formats[choice];
        return NULL;
    case OPT_STATUS_FORMAT:
        o->status_format = choice == 0 ? STATUS_YAML : STATUS_JSON;
        return NULL;
    case OPT_FAIL_ON:
        o->fail_on = (enum fail_on)choice;
        return NULL;
    case OPT_COLOR:
        o->color = (enum color_mode)choice;
        return NULL;
    case OPT_EXCLUDE:
        return add_to(o->exclude, &o->n_exclude, MAX_PATHS, v);
    case OPT_CONTEXT:
        return add_to(o->context, &o->n_context, MAX_PATHS, v);
    case OPT_DISABLE:
        return disable_codes(a, o, v);
    case OPT_STRICT:
        return NULL; /* deprecated: unknown fields are errors by default */
    case OPT_GATEWAY:
    case OPT_IMPORT_GATEWAY: {
        const char *slash = strchr(v, '/');
        if (!slash || slash == v || !slash[1] || strchr(slash + 1, '/'))
            return "expected NAMESPACE/NAME";
        if (opt->id == OPT_IMPORT_GATEWAY) {
            o->import_gateway = v;
            return NULL;
        }
        return add_to(o->gateways, &o->n_gateways, MAX_GATEWAYS, v);
    }
    case OPT_GATEWAY_CLASS:
        return add_to(o->gateway_classes, &o->n_gateway_classes, MAX_CLASSES, v);
    case OPT_LISTEN_ADDRESS: {
        unsigned char buf[sizeof(struct in6_addr)];
        if (inet_pton(AF_INET, v, buf) != 1 && inet_pton(AF_INET6, v, buf) != 1)
            return "expected an IPv4 or IPv6 address (IPv6 without brackets)";
        o->listen_address = v;
        return NULL;
    }
    case OPT_PORT_MAP:
        if (o->n_port_map == MAX_PORT_MAP)
            return "too many values";
        if (!parse_port_map(v, &o->port_map[o->n_port_map]))
            return "expected FROM=TO, ports 1-65535";
        o->n_port_map++;
        return NULL;
    case OPT_SOCKET_DIR:
        if (cli_socket_dir_problem(v))
            return cli_socket_dir_problem(v);
        o->socket_dir = v;
        return NULL;
    case OPT_SECRETS_DIR:
    case OPT_CONFIGMAPS_DIR:
        if (mount_dir_problem(v))
            return mount_dir_problem(v);
        *(opt->id == OPT_SECRETS_DIR ? &o->secrets_dir : &o->configmaps_dir) = v;
        return NULL;
    case OPT_INGRESS_CLASS:
        return add_to(o->ingress_classes, &o->n_ingress_classes, MAX_CLASSES, v);
    case OPT_ENTRY_POINT:
        return add_to(o->entry_points, &o->n_entry_points, MAX_ENTRY_POINTS, v);
    case OPT_HEADER:
        return add_to(o->headers, &o->n_headers, MAX_HEADERS, v);
    case OPT_HELP: /* handled by cli_parse */
    default: /* stored[] */
        break;
    }
    return NULL;
}
