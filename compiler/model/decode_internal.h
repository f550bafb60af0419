/*
 * Field tables and the generic walker that applies them (after nginx's
 * ngx_command_t tables).  Shared by the files of the model stage only.
 */
#ifndef GWC_DECODE_INTERNAL_H
#define GWC_DECODE_INTERNAL_H

#include "model.h"

#include <stdalign.h>
#include <stddef.h>

enum ftype {
    FT_STRING,
    FT_INT32,
    FT_INT64,
    FT_BOOL,
    FT_ENUM,        /* a string from 'names', stored as its index (model.h) */
    FT_OBJECT,      /* nested mapping, decoded at offset with 'sub' */
    FT_LIST,        /* list of mappings: pointer at offset, count at count */
    FT_STRING_LIST, /* const char ** */
    FT_INT_LIST,    /* int64_t * */
    FT_MAP,         /* struct strmap of string to string */
    FT_INT_OR_STRING,
    FT_NODE,   /* keep the raw node (const struct ynode *) */
    FT_IGNORE, /* any value, dropped (status, managedFields, ...) */
};

enum {
    FIELD_REQUIRED = 1u << 0,
    /* A Gateway API Duration ("10s"): a bare number there needs a unit,
     * not quotes, and the type error says so. */
    FIELD_DURATION = 1u << 1,
};

struct table;

struct field {
    const char *key;
    enum ftype type;
    unsigned flags;
    size_t offset;
    size_t count_offset;
    const struct table *sub;
    const char *const *names; /* FT_ENUM: model_*_names */
};

struct table {
    const char *name;  /* Go type name, for messages */
    size_t size;       /* element size when used in a list */
    size_t align;
    size_t src_offset; /* where the mapping node is stored */
    bool open;         /* unknown keys ignored: a kind gwc reads in part */
    const struct field *fields;
};

#define FIELD(k, ty, fl, T, m) {k, ty, fl, offsetof(T, m), 0, NULL}
#define FIELD_ENUM(k, fl, T, m, names) \
    {k, FT_ENUM, fl, offsetof(T, m), 0, NULL, names}
#define FIELD_OBJ(k, fl, T, m, sub) {k, FT_OBJECT, fl, offsetof(T, m), 0, &sub}
#define FIELD_LIST(k, fl, T, m, sub) \
    {k, FT_LIST, fl, offsetof(T, m), offsetof(T, n_##m), &sub}
#define FIELD_STRS(k, fl, T, m) \
    {k, FT_STRING_LIST, fl, offsetof(T, m), offsetof(T, n_##m), NULL}
#define FIELD_INTS(k, fl, T, m) \
    {k, FT_INT_LIST, fl, offsetof(T, m), offsetof(T, n_##m), NULL}
#define FIELD_END {NULL, FT_IGNORE, 0, 0, 0, NULL}
#define TABLE(T, go_name, fields) {go_name, sizeof(T), alignof(T), 0, false, fields}

struct decoder {
    struct compilation *c;
    const char *object; /* "HTTPRoute default/shop" once known */
    bool allow_unknown_fields;
    bool ok;
    size_t suggest_budget; /* for "did you mean": one object's share */
};

/* Decodes mapping 'map' into dst with table t; a null or absent map is
 * left unset.  Errors go to the sink and clear d->ok. */
void model_decode_mapping(struct decoder *d, const struct table *t,
                          const struct ynode *map, void *dst);
void model_decode_type_error(struct decoder *d, const struct ynode *n,
                             const char *want);

struct kind_info {
    enum kind kind;
    const char *name;
    const char *group;            /* "" for the core group */
    const char *const *versions;  /* served versions, NULL-terminated */
    bool namespaced;
    size_t size, align;
    const struct table *top; /* the whole object: metadata, spec, ... */
};

extern const struct kind_info model_kind_infos[KIND__COUNT];

/* Parses RFC 3339; returns false when the text is not a timestamp. */
bool model_parse_rfc3339(const char *s, int64_t *seconds);
/* Fills the defaults the CRDs declare, before any validation. */
void model_apply_defaults(struct compilation *c, struct object *o);
/* Builds the model's lookup tables once the kinds are sorted (index.c). */
void model_index(struct compilation *c, struct model *m);

#endif
