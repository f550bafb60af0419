/*
 * gwc.yaml: the same settings as the flags, in a fixed schema read with
 * libcyaml.  libcyaml 1.3.1 is lenient with scalars (it reads `80abc` as 80
 * and `banana` as true), so every scalar is declared a string here and
 * converted strictly by gwc; positions come from gwc's own YAML tree, which
 * also refuses aliases and duplicate keys before libcyaml runs.
 *
 *   listenAddress: 127.0.0.1
 *   portMap: [{from: 80, to: 8080}]
 *   modulesDir: /usr/lib/nginx/modules
 *   socketDir: /run/gwc
 *   resolver: 10.96.0.10
 *   strictRefs: true
 *   strict: false
 *   gatewayClasses: [nginx]
 *   controllerName: gwc.dev/gateway-controller
 */
#include "cli_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/fs.h"
#include "base/strbuf.h"
#include "load/load.h"

#include <cyaml/cyaml.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct s_port {
    char *from;
    char *to;
};

struct s_settings {
    char *listenAddress;
    struct s_port *portMap;
    unsigned portMap_count;
    char *modulesDir;
    char *socketDir;
    char *resolver;
    char *strictRefs;
    char *strict;
    char **gatewayClasses;
    unsigned gatewayClasses_count;
    char *controllerName;
};

#define OPT_PTR (CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL)

static const cyaml_schema_field_t port_fields[] = {
    CYAML_FIELD_STRING_PTR("from", CYAML_FLAG_POINTER, struct s_port, from, 1, 5),
    CYAML_FIELD_STRING_PTR("to", CYAML_FLAG_POINTER, struct s_port, to, 1, 5),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t port_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct s_port, port_fields),
};

static const cyaml_schema_value_t string_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, CYAML_UNLIMITED),
};

static const cyaml_schema_field_t settings_fields[] = {
    CYAML_FIELD_STRING_PTR("listenAddress", OPT_PTR, struct s_settings,
                           listenAddress, 1, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("portMap", OPT_PTR, struct s_settings, portMap,
                         &port_entry, 0, MAX_PORT_MAP),
    CYAML_FIELD_STRING_PTR("modulesDir", OPT_PTR, struct s_settings, modulesDir,
                           1, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("socketDir", OPT_PTR, struct s_settings, socketDir,
                           1, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("resolver", OPT_PTR, struct s_settings, resolver,
                           1, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("strictRefs", OPT_PTR, struct s_settings, strictRefs,
                           1, 16),
    CYAML_FIELD_STRING_PTR("strict", OPT_PTR, struct s_settings, strict, 1, 16),
    CYAML_FIELD_SEQUENCE("gatewayClasses", OPT_PTR, struct s_settings,
                         gatewayClasses, &string_entry, 0, MAX_CLASSES),
    CYAML_FIELD_STRING_PTR("controllerName", OPT_PTR, struct s_settings,
                           controllerName, 1, CYAML_UNLIMITED),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t settings_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct s_settings, settings_fields),
};

struct reader {
    struct compilation c;
    const struct ynode *root;
    struct strbuf cyaml_log;
};

__attribute__((format(printf, 3, 0)))
static void capture_log(cyaml_log_t level, void *ctx, const char *fmt,
                        va_list args)
{
    struct reader *r = ctx;

    if (level >= CYAML_LOG_ERROR)
        strbuf_vaddf(&r->cyaml_log, fmt, args);
}

static void report(struct reader *r, const struct ynode *at, const char *fmt,
                   ...) __attribute__((format(printf, 3, 4)));

static void report(struct reader *r, const struct ynode *at, const char *fmt,
                   ...)
{
    struct strbuf path = STRBUF_INIT, msg = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    strbuf_vaddf(&msg, fmt, ap);
    va_end(ap);
    ynode_path(at, &path);
    diag_report(&r->c.diags, DIAG_SETTINGS_INVALID, ynode_loc(&r->c, at), NULL,
                path.buf, "%s", msg.buf);
    strbuf_release(&path);
    strbuf_release(&msg);
}

/* Where libcyaml could not place an error, gwc's tree can: an unknown key is
 * found by name, anything else is reported at the mapping. */
static void report_cyaml_failure(struct reader *r, cyaml_err_t err)
{
    const char *log = r->cyaml_log.buf;
    const char *unexpected = strstr(log, "Unexpected key: ");
    uint32_t i;

    if (unexpected && r->root) {
        const char *k = unexpected + strlen("Unexpected key: ");
        size_t n = strcspn(k, "\n");
        for (i = 0; i < r->root->n; i++) {
            const struct ynode *v = r->root->items[i];
            if (strlen(v->key) == n && memcmp(v->key, k, n) == 0) {
                diag_report(&r->c.diags, DIAG_SETTINGS_INVALID, ynode_key_loc(&r->c, v),
                            NULL, NULL,
                            "unknown setting '%s' (known: listenAddress, portMap, "
                            "modulesDir, socketDir, resolver, strictRefs, strict, "
                            "gatewayClasses, controllerName)", v->key);
                return;
            }
        }
    }
    {
        size_t n = strcspn(log, "\n");
        struct strbuf msg = STRBUF_INIT;
        if (strncmp(log, "Load: ", 6) == 0)
            strbuf_add(&msg, log + 6, n > 6 ? n - 6 : 0);
        else if (n)
            strbuf_add(&msg, log, n);
        else
            strbuf_addstr(&msg, cyaml_strerror(err));
        report(r, r->root, "%s", msg.buf);
        strbuf_release(&msg);
    }
}

static const struct ynode *node_at(const struct ynode *map, const char *key,
                                   int index, const char *subkey)
{
    const struct ynode *n = ynode_get(map, key);

    if (index >= 0 && n && n->kind == YNODE_SEQ && (uint32_t)index < n->n)
        n = n->items[index];
    if (subkey)
        n = ynode_get(n, subkey);
    return n;
}

static bool parse_bool(struct reader *r, const char *key, const char *text,
                       bool *out)
{
    if (strcmp(text, "true") == 0) {
        *out = true;
        return true;
    }
    if (strcmp(text, "false") == 0) {
        *out = false;
        return true;
    }
    report(r, node_at(r->root, key, -1, NULL), "expected true or false, got '%s'",
           text);
    return false;
}

static bool parse_port(struct reader *r, int index, const char *key,
                       const char *text, uint32_t *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(text, &end, 10);
    if (!*text || strspn(text, "0123456789") != strlen(text) || errno || *end ||
        v < 1 || v > 65535) {
        report(r, node_at(r->root, "portMap", index, key),
               "expected a port number 1-65535, got '%s'", text);
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

static char *keep(struct arena *a, const char *s)
{
    return s ? arena_strdup(a, s) : NULL;
}

static bool apply(struct reader *r, struct arena *a, const struct s_settings *s,
                  struct options *o, const bool *flag_set)
{
    bool ok = true, b;
    unsigned i;

    if (s->listenAddress && !flag_set[SET_LISTEN_ADDRESS])
        o->listen_address = keep(a, s->listenAddress);
    if (s->modulesDir && !flag_set[SET_MODULES_DIR])
        o->modules_dir = keep(a, s->modulesDir);
    if (s->socketDir && !flag_set[SET_SOCKET_DIR]) {
        const char *problem = socket_dir_problem(s->socketDir);
        if (problem) {
            report(r, node_at(r->root, "socketDir", -1, NULL), "%s", problem);
            ok = false;
        } else {
            o->socket_dir = keep(a, s->socketDir);
        }
    }
    if (s->resolver && !flag_set[SET_RESOLVER])
        o->resolver = keep(a, s->resolver);
    if (s->controllerName && !flag_set[SET_CONTROLLER_NAME])
        o->controller_name = keep(a, s->controllerName);
    if (s->strictRefs && (ok = parse_bool(r, "strictRefs", s->strictRefs, &b) && ok) &&
        !flag_set[SET_STRICT_REFS])
        o->strict_refs = b;
    if (s->strict && (ok = parse_bool(r, "strict", s->strict, &b) && ok) &&
        !flag_set[SET_STRICT])
        o->strict = b;
    if (!flag_set[SET_GATEWAY_CLASSES]) {
        for (i = 0; i < s->gatewayClasses_count; i++)
            o->gateway_classes[o->n_gateway_classes++] = keep(a, s->gatewayClasses[i]);
    }
    for (i = 0; i < s->portMap_count; i++) {
        struct port_map_entry e;
        if (!parse_port(r, (int)i, "from", s->portMap[i].from, &e.from) ||
            !parse_port(r, (int)i, "to", s->portMap[i].to, &e.to)) {
            ok = false;
            continue;
        }
        if (!flag_set[SET_PORT_MAP])
            o->port_map[o->n_port_map++] = e;
    }
    return ok;
}

bool settings_load(struct arena *a, const char *path, struct options *o,
                   const bool *flag_set)
{
    struct reader r;
    struct ydoc_list docs = {0};
    cyaml_config_t cfg = {
        .log_fn = capture_log,
        .log_ctx = &r,
        .mem_fn = cyaml_mem,
        .log_level = CYAML_LOG_ERROR,
        .flags = CYAML_CFG_NO_ALIAS,
    };
    const struct source *src;
    struct s_settings *s = NULL;
    bool ok = false;
    cyaml_err_t err;

    compilation_init(&r.c);
    strbuf_init(&r.cyaml_log);
    r.root = NULL;
    if (!load_inputs(&r.c, &load_default_limits, &path, 1, &docs))
        goto out;
    if (docs.n == 0) {
        ok = true; /* an empty settings file sets nothing */
        goto out;
    }
    if (docs.n > 1) {
        report(&r, docs.v[1].root, "the settings file holds one document, not %s",
               "several");
        goto out;
    }
    r.root = docs.v[0].root;
    src = source_get(&r.c.sources, docs.v[0].file);
    err = cyaml_load_data((const uint8_t *)src->data, src->len, &cfg,
                          &settings_schema, (cyaml_data_t **)&s, NULL);
    if (err != CYAML_OK) {
        report_cyaml_failure(&r, err);
        goto out;
    }
    ok = apply(&r, a, s, o, flag_set);
    cyaml_free(&cfg, &settings_schema, s, 0);
out:
    if (r.c.diags.n) {
        struct diag_render_options ro = {DIAG_FORMAT_TEXT, false, false, GWC_VERSION};
        struct strbuf text = STRBUF_INIT;
        diag_sort(&r.c.diags, &r.c.sources);
        diag_render(&r.c.diags, &r.c.sources, &ro, &text);
        fputs(text.buf, stderr);
        strbuf_release(&text);
    }
    ok = ok && r.c.diags.errors == 0;
    strbuf_release(&r.cyaml_log);
    compilation_release(&r.c);
    return ok;
}
