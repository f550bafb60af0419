/*
 * The YAML node tree the load stage builds: lookups, the field path and
 * source position of a node, and copies that outlive their document.
 */
#include "load_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/strbuf.h"

#include <string.h>

/* The pruned copy's record of its original (load_internal.h). */
static void check_pruned(const struct ynode *n, const char *key, size_t item)
{
#ifdef GWC_ARENA_DEBUG
    const struct ynode_pruned *p;
    uint32_t i;

    if (!n->pruned)
        return;
    p = (const struct ynode_pruned *)(const void *)n;
    if (n->kind == YNODE_SEQ && item < p->n)
        BUG("item of a pruned sequence: keep its items (FIELD_KEEP_NODE)");
    for (i = 0; key && n->kind == YNODE_MAP && i < p->n; i++) {
        if (strcmp(p->keys[i], key) == 0)
            BUG("key dropped from a pruned mapping: keep it (FIELD_KEEP_NODE)");
    }
#else
    (void)n;
    (void)key;
    (void)item;
#endif
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
    check_pruned(map, key, 0);
    return NULL;
}

const struct ynode *ynode_item(const struct ynode *map, const char *key, size_t i)
{
    const struct ynode *list = ynode_get(map, key);

    if (list && list->kind == YNODE_SEQ && i >= list->n)
        check_pruned(list, NULL, i);
    return list && list->kind == YNODE_SEQ && i < list->n ? list->items[i] : map;
}

bool ynode_bool_value(const struct ynode *n)
{
    const char *s = n->text;

    switch (s[0]) {
    case 'y':
    case 'Y':
    case 't':
    case 'T':
        return true;
    case 'o':
    case 'O':
        return s[1] == 'n' || s[1] == 'N';
    default:
        return false;
    }
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

const struct ynode *ynode_keep(struct arena *a, const struct ynode *n)
{
    struct ynode *copy;

    if (!n)
        return NULL;
    copy = load_pruned_copy(a, n);
    copy->parent = ynode_keep(a, n->parent);
    return copy;
}

struct src_loc ynode_loc(const struct compilation *c, const struct ynode *n)
{
    if (!n) {
        struct src_loc none = {SOURCE_NONE, 0, 0, 0};
        return none;
    }
    return source_loc_from_index(&c->sources, ynode_file(n), n->pos);
}

struct src_loc ynode_key_loc(const struct compilation *c,
                             const struct ynode *value)
{
    if (!value || !value->key)
        return ynode_loc(c, value);
    return source_loc_from_index(&c->sources, ynode_file(value), value->key_pos);
}
