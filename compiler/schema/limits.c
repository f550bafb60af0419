/*
 * The limits the field tables carry (model.h, struct field_limits),
 * checked by walking a decoded object with its table, each through the
 * generic check of its kind (field.c), so a limit reads the same wherever
 * it is written.  Structs and list items the manifest does not give (no
 * source node: absent, or CRD defaults) hold nothing of the user's and are
 * skipped; so are values decode refused.
 */
#include "schema_internal.h"

#include "base/arena.h"

static void check_struct(struct schema *s, const struct table *t, const char *base);

/* A list of strings or integers: its item count, and each string item. */
static void check_items(struct schema *s, const struct field *f,
                        const struct ynode *map, const char *base)
{
    const struct field_limits *l = f->lim;
    size_t i, n = *(const size_t *)(base + f->count_offset);
    const char *const *v;

    if (l->max_items)
        schema_check_count(s, map, f->key, n, l->min_items, l->max_items);
    if (f->type != FT_STRING_LIST)
        return;
    v = *(const char *const *const *)(base + f->offset);
    if (l->format == FMT_CIDR)
        schema_check_cidrs(s, map, f->key, v, n);
    else if (l->format)
        schema_check_str_list(s, map, f->key, l->item, v, n,
                              schema_formats[l->format]);
    for (i = 0; l->allowed && i < n; i++) {
        const struct ynode *at = schema_string_item(map, f->key, i);

        if (at)
            schema_check_enum_at(s, at, l->item, v[i], l->allowed);
    }
}

static void check_list(struct schema *s, const struct field *f,
                       const struct ynode *map, const char *base)
{
    const char *items = *(const char *const *)(base + f->offset);
    size_t i, n = *(const size_t *)(base + f->count_offset);

    if (f->lim && f->lim->max_items)
        schema_check_count(s, map, f->key, n, f->lim->min_items, f->lim->max_items);
    for (i = 0; i < n; i++)
        check_struct(s, f->sub, items + i * f->sub->size);
}

static void check_string(struct schema *s, const char *key, const struct ynode *map,
                         const char *v, const struct field_limits *l)
{
    const struct ynode *at = schema_field_node(map, key);
    bool ok = true;

    if (!v)
        return;
    if (l->format)
        ok = schema_check_string(s, at, key, v, schema_formats[l->format]);
    if (l->allowed)
        schema_check_enum_at(s, at, key, v, l->allowed);
    if (ok && l->ranged)
        schema_check_duration(s, at, key, v, l->min, l->max);
}

/* The row's *_GIVEN_* bit: every row the schema requires has one. */
static bool given(const struct table *t, const struct field *f, const char *base)
{
    uint8_t bit = FIELD_GIVEN_BIT(f->flags);

    if (!bit || !t->present_offset)
        BUG("a row required in the schema has no present bit");
    return base[t->present_offset] & bit;
}

static void check_field(struct schema *s, const struct table *t,
                        const struct field *f, const struct ynode *map,
                        const char *base)
{
    const char *p = base + f->offset;
    const struct field_limits *l = f->lim;

    if ((f->flags & FIELD_REQUIRED_IN_SCHEMA) &&
        !schema_check_required(s, map, given(t, f, base), f->key, t->name))
        return;

    switch (f->type) {
    case FT_STRING:
        if (l)
            check_string(s, f->key, map, *(const char *const *)p, l);
        return;
    case FT_INT32:
    case FT_INT64:
        if (l && l->ranged)
            schema_check_int(s, map, f->key, *(const int64_t *)p, l->min, l->max);
        return;
    case FT_ENUM:
        if (!(f->flags & FIELD_ENUM_BY_RULE))
            schema_check_enum_field(s, map, f->key, *(const int *)p, f->names);
        return;
    case FT_OBJECT:
        check_struct(s, f->sub, p);
        return;
    case FT_OBJECT_PTR:
        check_struct(s, f->sub, *(const char *const *)p);
        return;
    case FT_LIST:
        check_list(s, f, map, base);
        return;
    case FT_STRING_LIST:
    case FT_INT_LIST:
        if (l)
            check_items(s, f, map, base);
        return;
    case FT_MAP:
        if (l)
            schema_check_map(s, map, f->key, (const struct strmap *)p,
                             l->max_items ? l->max_items : SIZE_MAX,
                             schema_formats[l->format]);
        return;
    case FT_BOOL:
    case FT_INT_OR_STRING:
    case FT_NODE:
    case FT_IGNORE:
        return;
    }
}

static void check_struct(struct schema *s, const struct table *t, const char *base)
{
    const struct ynode *map = *(const struct ynode *const *)(base + t->src_offset);
    const struct field *f;

    if (!map)
        return;
    for (f = t->fields; f->key; f++)
        check_field(s, t, f, map, base);
}

void schema_check_limits(struct schema *s)
{
    check_struct(s, model_kind_table(s->obj->kind), (const char *)s->obj);
}
