/*
 * Field tables and the generic walker that applies them (after nginx's
 * ngx_command_t tables).  Shared by the files of the model stage only.
 */
#ifndef GWC_DECODE_INTERNAL_H
#define GWC_DECODE_INTERNAL_H

#include "model.h"

#include <stdalign.h>
#include <stddef.h>

#define FIELD(k, ty, fl, T, m) {k, ty, fl, offsetof(T, m), 0, NULL}
#define FIELD_ENUM(k, fl, T, m, names) \
    {k, FT_ENUM, fl, offsetof(T, m), 0, NULL, names}
#define FIELD_OBJ(k, fl, T, m, sub) {k, FT_OBJECT, fl, offsetof(T, m), 0, &sub}
#define FIELD_OBJ_PTR(k, fl, T, m, sub) \
    {k, FT_OBJECT_PTR, fl, offsetof(T, m), 0, &sub}
#define FIELD_LIST(k, fl, T, m, sub) \
    {k, FT_LIST, fl, offsetof(T, m), offsetof(T, n_##m), &sub}
#define FIELD_STRS(k, fl, T, m) \
    {k, FT_STRING_LIST, fl, offsetof(T, m), offsetof(T, n_##m), NULL}
#define FIELD_INTS(k, fl, T, m) \
    {k, FT_INT_LIST, fl, offsetof(T, m), offsetof(T, n_##m), NULL}
#define FIELD_END {NULL, FT_IGNORE, 0, 0, 0, NULL}

/* Rows with limits: FIELD_L and FIELD_LIST_L, FIELD_STRS_L, FIELD_INTS_L
 * take one of the LIM_ constructors below as their last argument. */
#define FIELD_L(k, ty, fl, T, m, lim) \
    {k, ty, fl, offsetof(T, m), 0, NULL, NULL, lim}
#define FIELD_LIST_L(k, fl, T, m, sub, lim) \
    {k, FT_LIST, fl, offsetof(T, m), offsetof(T, n_##m), &sub, NULL, lim}
#define FIELD_STRS_L(k, fl, T, m, lim) \
    {k, FT_STRING_LIST, fl, offsetof(T, m), offsetof(T, n_##m), NULL, NULL, lim}
#define FIELD_INTS_L(k, fl, T, m, lim) \
    {k, FT_INT_LIST, fl, offsetof(T, m), offsetof(T, n_##m), NULL, NULL, lim}

#define LIM_(...) (&(const struct field_limits){__VA_ARGS__})
/* An integer in [lo, hi]. */
#define LIM_RANGE(lo, hi) LIM_(.ranged = true, .min = (lo), .max = (hi))
/* A GEP-2257 duration of lo to hi milliseconds. */
#define LIM_DURATION(lo, hi) \
    LIM_(.format = FMT_DURATION, .ranged = true, .min = (lo), .max = (hi))
/* Milliseconds of h hours, m minutes, s seconds and ms, for LIM_DURATION. */
#define MS(h, m, s, ms) ((((int64_t)(h) * 60 + (m)) * 60 + (s)) * 1000 + (ms))
/* A string of format f. */
#define LIM_FMT(f) LIM_(.format = (f))
/* A list of lo to hi items. */
#define LIM_ITEMS(lo, hi) LIM_(.min_items = (lo), .max_items = (hi))
/* A list of lo to hi strings of format f, each called 'what'. */
#define LIM_STRS(lo, hi, f, what) \
    LIM_(.min_items = (lo), .max_items = (hi), .format = (f), .item = (what))
/* A list of at most hi addresses and CIDR blocks, distinct. */
#define LIM_CIDRS(hi) \
    LIM_(.max_items = (hi), .format = FMT_CIDR, .item = "address")
/* A string that is one of the given values. */
#define LIM_ONE_OF(...) LIM_(.allowed = (const char *const[]){__VA_ARGS__, NULL})
/* A list of lo to hi strings, each one of the given values and called
 * 'what'. */
#define LIM_STRS_ONE_OF(lo, hi, what, ...)                       \
    LIM_(.min_items = (lo), .max_items = (hi), .item = (what),   \
         .allowed = (const char *const[]){__VA_ARGS__, NULL})
/* A map of at most hi entries (0: any number), values of format f. */
#define LIM_MAP(hi, f) LIM_(.max_items = (hi), .format = (f))
/* Rows with a CRD default: FIELD_D (any scalar, limits or NULL) and
 * FIELD_ENUM_D take one of the DEF_ constructors as their last argument. */
#define FIELD_D(k, ty, fl, T, m, lim, def) \
    {k, ty, fl, offsetof(T, m), 0, NULL, NULL, lim, def}
#define FIELD_ENUM_D(k, fl, T, m, names, def) \
    {k, FT_ENUM, fl, offsetof(T, m), 0, NULL, names, NULL, def}
#define DEF_(...) (&(const struct field_default){__VA_ARGS__})
#define DEF_STR(s) DEF_(.str = (s))
#define DEF_INT(n) DEF_(.num = (n))
#define DEF_BOOL(b) DEF_(.num = (b))

#define TABLE(T, go_name, fields) {go_name, sizeof(T), alignof(T), 0, false, fields}
/* A table whose rows name *_GIVEN_* bits of T's 'present' byte. */
#define TABLE_GIVEN(T, go_name, fields) \
    {go_name, sizeof(T), alignof(T), 0, false, fields, offsetof(T, present)}

/* The empty instance of each table an FT_OBJECT_PTR row points at when
 * its key is absent: one per table and model, never written. */
struct decode_empties {
    const struct table *table[16];
    void *instance[16];
    size_t n;
};

struct decoder {
    struct compilation *c;
    const char *object; /* "HTTPRoute default/shop" once known */
    bool allow_unknown_fields;
    bool ok;
    size_t suggest_budget; /* for "did you mean": one object's share */
    struct decode_empties *empties;
};

/* Decodes mapping 'map' into dst with table t, filling in the defaults of
 * its rows; a null or absent map is left unset.  Errors go to the sink and
 * clear d->ok. */
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

/* Builds the model's lookup tables once the kinds are sorted (index.c). */
void model_index(struct compilation *c, struct model *m);

#endif
