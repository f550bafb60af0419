#include "load_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/fs.h"
#include "base/strbuf.h"

#include <errno.h>
#include <string.h>

const struct load_limits load_default_limits = {
    .max_file_bytes = 32u << 20,
    .max_depth = 64,
    .max_nodes = 1000000,
};

static bool is_manifest_name(const char *name)
{
    size_t n = strlen(name);

    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
           (n > 5 && strcmp(name + n - 5, ".json") == 0);
}

static bool load_text(struct compilation *c, const struct load_limits *lim,
                      const char *name, const char *data, size_t len,
                      struct ydoc_list *out)
{
    uint32_t file = source_add(&c->sources, name, data, len);

    if (!load_prescan(c, file, data, len))
        return false;
    return load_parse(c, lim, file, out);
}

bool load_buffer(struct compilation *c, const struct load_limits *lim,
                 const char *name, const char *data, size_t len,
                 struct ydoc_list *out)
{
    return load_text(c, lim, name, arena_strndup(c->arena, data, len), len, out);
}

static bool load_file(struct compilation *c, const struct load_limits *lim,
                      const char *path, struct ydoc_list *out)
{
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    char *data;
    size_t len;

    switch (fs_read(c->arena, path, lim->max_file_bytes, &data, &len)) {
    case FS_OK:
        return load_text(c, lim, name, data, len, out);
    case FS_TOO_LARGE: {
        uint32_t file = source_add(&c->sources, name, "", 0);
        struct src_loc loc = {file, 0, 0, 0};
        diag_report(&c->diags, DIAG_FILE_TOO_LARGE, loc, NULL, NULL,
                    "file is larger than the limit of %zu MiB",
                    lim->max_file_bytes >> 20);
        return false;
    }
    case FS_FAILED: {
        struct src_loc loc = {SOURCE_NONE, 0, 0, 0};
        diag_report(&c->diags, DIAG_FILE_UNREADABLE, loc, NULL, NULL,
                    "cannot read '%s': %s", name, strerror(errno));
        return false;
    }
    }
    return false;
}

bool load_inputs(struct compilation *c, const struct load_limits *lim,
                 const char *const *paths, size_t n_paths,
                 struct ydoc_list *out)
{
    bool ok = true;
    size_t i, j;

    for (i = 0; i < n_paths; i++) {
        struct fs_list files = {0};
        const char *bad = NULL;

        if (!fs_is_dir(paths[i])) {
            ok = load_file(c, lim, paths[i], out) && ok;
            continue;
        }
        if (!fs_list_tree(c->arena, paths[i], is_manifest_name, &files, &bad)) {
            struct src_loc loc = {SOURCE_NONE, 0, 0, 0};
            diag_report(&c->diags, DIAG_FILE_UNREADABLE, loc, NULL, NULL,
                        "cannot read '%s': %s", bad, strerror(errno));
            ok = false;
            continue;
        }
        if (files.n == 0) {
            struct src_loc loc = {SOURCE_NONE, 0, 0, 0};
            diag_report(&c->diags, DIAG_NO_MANIFESTS, loc, NULL, NULL,
                        "no *.yaml, *.yml or *.json files under '%s'", paths[i]);
        }
        for (j = 0; j < files.n; j++)
            ok = load_file(c, lim, files.v[j], out) && ok;
    }
    return ok;
}

const struct ynode *ynode_get(const struct ynode *map, const char *key)
{
    uint32_t i;

    if (!map || map->kind != YNODE_MAP)
        return NULL;
    for (i = 0; i < map->n; i++) {
        const char *k = map->items[i]->key;
        /* Keys rarely share a first letter: test it before strcmp. */
        if (k[0] == key[0] && strcmp(k, key) == 0)
            return map->items[i];
    }
    return NULL;
}

bool ynode_is_null(const struct ynode *n)
{
    return !n || (n->kind == YNODE_SCALAR && n->scalar == YSCALAR_NULL);
}

const char *ynode_type_name(const struct ynode *n)
{
    if (n->kind == YNODE_SEQ)
        return "list";
    if (n->kind == YNODE_MAP)
        return "mapping";
    switch ((enum yscalar)n->scalar) {
    case YSCALAR_STRING:
        return "string";
    case YSCALAR_NULL:
        return "null";
    case YSCALAR_BOOL:
        return "boolean";
    case YSCALAR_INT:
    case YSCALAR_INT_OTHER:
        return "integer";
    case YSCALAR_FLOAT:
        return "number";
    }
    return "scalar";
}

/* A key that is not a plain identifier is written as ["key"], as kubectl
 * writes label keys in paths (metadata.labels["app.kubernetes.io/name"]). */
static bool simple_key(const char *k)
{
    for (; *k; k++) {
        if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
              (*k >= '0' && *k <= '9') || *k == '_' || *k == '-'))
            return false;
    }
    return true;
}

void ynode_path(const struct ynode *n, struct strbuf *out)
{
    if (!n || !n->parent)
        return;
    ynode_path(n->parent, out);
    if (n->parent->kind == YNODE_SEQ) {
        strbuf_addf(out, "[%u]", n->index);
    } else if (n->key) {
        if (simple_key(n->key))
            strbuf_addf(out, "%s%s", out->len ? "." : "", n->key);
        else
            strbuf_addf(out, "[\"%s\"]", n->key);
    }
}

uint32_t ynode_file(const struct ynode *n)
{
    while (n->parent)
        n = n->parent;
    return n->file;
}

struct src_loc ynode_loc(const struct compilation *c, const struct ynode *n)
{
    if (!n) {
        struct src_loc none = {SOURCE_NONE, 0, 0, 0};
        return none;
    }
    return source_loc_from_mark(&c->sources, ynode_file(n), n->line, n->col);
}

struct src_loc ynode_key_loc(const struct compilation *c,
                             const struct ynode *value)
{
    if (!value || !value->key)
        return ynode_loc(c, value);
    return source_loc_from_mark(&c->sources, ynode_file(value), value->key_line,
                                value->key_col);
}
