/*
 * The limits the field tables carry (model.h, struct field_limits),
 * checked by walking a decoded object with its table: one check per
 * field, reported exactly as the hand-written check of that field would
 * be.  Structs and list items the manifest does not give (no source
 * node: absent, or CRD defaults) hold nothing of the user's and are
 * skipped; so are values decode refused.
 */
#include "schema_internal.h"

static void check_struct(struct schema *s, const struct table *t, const char *base);

static void check_strings(struct schema *s, const struct field *f,
                          const struct ynode *map, const char *base)
{
    const char *const *v = *(const char *const *const *)(base + f->offset);
    size_t i, n = *(const size_t *)(base + f->count_offset);

    if (f->lim->max_items)
        schema_check_count(s, map, f->key, n, f->lim->min_items, f->lim->max_items);
    if (f->lim->format)
        schema_check_str_list(s, map, f->key, f->lim->item, v, n,
                              schema_formats[f->lim->format]);
    if (f->lim->allowed)
        for (i = 0; i < n; i++) {
            const struct ynode *at = schema_string_item(map, f->key, i);
            if (at)
                schema_check_enum_at(s, at, f->lim->item, v[i], f->lim->allowed);
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

static void check_field(struct schema *s, const struct field *f,
                        const struct ynode *map, const char *base)
{
    const char *p = base + f->offset;
    const struct field_limits *l = f->lim;

    switch (f->type) {
    case FT_STRING:
        if (l && l->format)
            schema_check_str(s, map, f->key, *(const char *const *)p,
                             schema_formats[l->format]);
        if (l && l->allowed)
            schema_check_enum(s, map, f->key, *(const char *const *)p, l->allowed);
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
    case FT_LIST:
        check_list(s, f, map, base);
        return;
    case FT_STRING_LIST:
    case FT_INT_LIST:
        if (l)
            check_strings(s, f, map, base);
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
        check_field(s, f, map, base);
}

void schema_check_limits(struct schema *s)
{
    check_struct(s, model_kind_table(s->obj->kind), (const char *)s->obj);
}
