/*
 * The generic table walker.  It alone reports the generic problems: wrong
 * node type, unknown key, missing required key, an integer out of range.
 * It sets the present bits the rows name and fills in the rows' defaults.
 * Scalars are strict, as kubectl's decoding is: `port: "80"` is a string,
 * not 80, and `name: yes` is a boolean, not the string "yes".
 */
#include "decode_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/strbuf.h"
#include "base/suggest.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void report(struct decoder *d, enum diag_code code,
                   enum diag_severity sev, struct src_loc at,
                   const struct ynode *path_node, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void report(struct decoder *d, enum diag_code code,
                   enum diag_severity sev, struct src_loc at,
                   const struct ynode *path_node, const char *fmt, ...)
{
    struct strbuf path = STRBUF_INIT;
    va_list ap;

    ynode_path(path_node, &path);
    va_start(ap, fmt);
    diag_vreport(&d->c->diags, sev, code, at, d->object, path.buf, fmt, ap);
    va_end(ap);
    strbuf_release(&path);
    if (sev == DIAG_ERROR)
        d->ok = false;
}

/* What to write instead, when the value's type makes the fix plain. */
static const char *type_hint(const struct ynode *n, const char *want, bool duration,
                             char buf[64])
{
    char fix[32];

    if (n->kind != YNODE_SCALAR)
        return "";
    /* A duration needs its unit, not quotes: "10" is no duration either. */
    if (duration && n->scalar != YSCALAR_STRING) {
        if (!model_duration_fix(n->text, fix))
            return "; write a duration such as \"10s\" or \"1h30m\"";
        snprintf(buf, 64, "; write \"%s\"", fix);
        return buf;
    }
    if (n->scalar != YSCALAR_STRING && strcmp(want, "string") == 0)
        return "; quote the value to make it a string";
    /* Unquoted, "080" would be refused as ambiguous: no hint for it. */
    if (n->scalar == YSCALAR_STRING && strcmp(want, "integer") == 0 && n->len > 0 &&
        strspn(n->text, "0123456789") == n->len && (n->text[0] != '0' || n->len == 1))
        return "; remove the quotes";
    return "";
}

static void type_error(struct decoder *d, const struct ynode *n, const char *want,
                       bool duration)
{
    struct strbuf got = STRBUF_INIT;
    char buf[64];

    strbuf_addstr(&got, ynode_type_name(n));
    if (n->kind == YNODE_SCALAR && n->len <= 40) {
        if (n->scalar == YSCALAR_STRING)
            strbuf_addf(&got, " \"%s\"", n->text);
        else
            strbuf_addf(&got, " %s", n->text);
    }
    report(d, DIAG_TYPE_MISMATCH, DIAG_ERROR, ynode_loc(d->c, n), n,
           "expected %s, got %s%s", want, got.buf,
           type_hint(n, want, duration, buf));
    strbuf_release(&got);
}

void model_decode_type_error(struct decoder *d, const struct ynode *n,
                             const char *want)
{
    type_error(d, n, want, false);
}

static bool want_scalar(struct decoder *d, const struct ynode *n, enum yscalar type,
                        const char *want, bool duration)
{
    if (n->kind == YNODE_SCALAR && n->scalar == type)
        return true;
    if (n->kind == YNODE_SCALAR && type == YSCALAR_INT &&
        n->scalar == YSCALAR_INT_OTHER) {
        report(d, DIAG_AMBIGUOUS_NUMBER, DIAG_ERROR, ynode_loc(d->c, n), n,
               "integer '%s' is written in octal, hex or with separators; "
               "write it in plain decimal", n->text);
        return false;
    }
    type_error(d, n, want, duration);
    return false;
}

static bool decode_int(struct decoder *d, const struct ynode *n, int64_t min,
                       int64_t max, int64_t *out)
{
    long long v;
    char *end;

    if (!want_scalar(d, n, YSCALAR_INT, "integer", false))
        return false;
    errno = 0;
    v = strtoll(n->text, &end, 10);
    if (errno == ERANGE || *end != '\0' || v < min || v > max) {
        report(d, DIAG_INT_RANGE, DIAG_ERROR, ynode_loc(d->c, n), n,
               "integer %s does not fit in %s", n->text,
               max == INT32_MAX ? "32 bits" : "64 bits");
        return false;
    }
    *out = v;
    return true;
}

/* The index of s in an enum's name table, or that of its terminating NULL
 * (the _OTHER value) when the table lacks it. */
static int enum_value(const char *const *names, const char *s)
{
    int i;

    for (i = 1; names[i]; i++) {
        if (strcmp(names[i], s) == 0)
            break;
    }
    return i;
}

static void decode_strmap(struct decoder *d, const struct ynode *n,
                          struct strmap *out)
{
    uint32_t i, k = 0;

    if (n->kind != YNODE_MAP) {
        model_decode_type_error(d, n, "mapping");
        return;
    }
    out->v = ARENA_NEW_ARRAY(d->c->arena, struct strmap_entry, n->n);
    for (i = 0; i < n->n; i++) {
        const struct ynode *v = n->items[i];

        if (ynode_is_null(v)) {
            /* kubectl drops null map values; so do we. */
            continue;
        }
        if (!want_scalar(d, v, YSCALAR_STRING, "string", false))
            continue;
        out->v[k].key = v->key;
        out->v[k].value = v->text;
        out->v[k].src = v;
        k++;
    }
    out->n = k;
    model_strmap_sort(out);
}

/* A Gateway API Duration ("10s"): a bare number there needs a unit, not
 * quotes, and the type error says so. */
static void init_fields(struct decoder *d, const struct table *t, void *dst);

static bool is_duration(const struct field *f)
{
    return f->lim && f->lim->format == FMT_DURATION;
}

static void decode_field(struct decoder *d, const struct field *f,
                         const struct ynode *n, void *base)
{
    char *dst = (char *)base + f->offset;
    uint32_t i;

    if (ynode_is_null(n))
        return; /* null means unset, as in Kubernetes (already initialised) */
    switch (f->type) {
    case FT_STRING:
        if (want_scalar(d, n, YSCALAR_STRING, "string", is_duration(f)))
            *(const char **)dst = n->text;
        return;
    case FT_ENUM:
        if (want_scalar(d, n, YSCALAR_STRING, "string", false))
            *(int *)dst = enum_value(f->names, n->text);
        return;
    case FT_INT32:
        decode_int(d, n, INT32_MIN, INT32_MAX, (int64_t *)dst);
        return;
    case FT_INT64:
        decode_int(d, n, INT64_MIN + 1, INT64_MAX, (int64_t *)dst);
        return;
    case FT_BOOL:
        if (want_scalar(d, n, YSCALAR_BOOL, "boolean", false))
            *(enum tri *)dst = ynode_bool_value(n) ? TRI_TRUE : TRI_FALSE;
        return;
    case FT_OBJECT:
        model_decode_mapping(d, f->sub, n, dst);
        return;
    case FT_OBJECT_PTR: {
        void *sub = arena_alloc(d->c->arena, f->sub->size, f->sub->align);
        model_decode_mapping(d, f->sub, n, sub);
        *(void **)dst = sub;
        return;
    }
    case FT_LIST: {
        char *items;
        if (n->kind != YNODE_SEQ) {
            model_decode_type_error(d, n, "list");
            return;
        }
        items = arena_alloc_array(d->c->arena, n->n, f->sub->size, f->sub->align);
        for (i = 0; i < n->n; i++) {
            if (n->items[i]->kind != YNODE_MAP) {
                /* Still an item later stages read: unset, with its
                 * out-of-line members at their empty instances. */
                init_fields(d, f->sub, items + i * f->sub->size);
                model_decode_type_error(d, n->items[i], "mapping");
                continue;
            }
            model_decode_mapping(d, f->sub, n->items[i], items + i * f->sub->size);
        }
        *(void **)dst = items;
        *(size_t *)((char *)base + f->count_offset) = n->n;
        return;
    }
    case FT_STRING_LIST: {
        const char **v;
        if (n->kind != YNODE_SEQ) {
            model_decode_type_error(d, n, "list");
            return;
        }
        v = ARENA_NEW_ARRAY(d->c->arena, const char *, n->n);
        for (i = 0; i < n->n; i++) {
            if (want_scalar(d, n->items[i], YSCALAR_STRING, "string", false))
                v[i] = n->items[i]->text;
            else
                v[i] = "";
        }
        *(const char ***)dst = v;
        *(size_t *)((char *)base + f->count_offset) = n->n;
        return;
    }
    case FT_INT_LIST: {
        int64_t *v;
        if (n->kind != YNODE_SEQ) {
            model_decode_type_error(d, n, "list");
            return;
        }
        v = ARENA_NEW_ARRAY(d->c->arena, int64_t, n->n);
        for (i = 0; i < n->n; i++)
            decode_int(d, n->items[i], INT32_MIN, INT32_MAX, &v[i]);
        *(int64_t **)dst = v;
        *(size_t *)((char *)base + f->count_offset) = n->n;
        return;
    }
    case FT_MAP:
        decode_strmap(d, n, (struct strmap *)dst);
        return;
    case FT_INT_OR_STRING: {
        struct int_or_string *is = (struct int_or_string *)dst;
        is->src = n;
        if (n->kind == YNODE_SCALAR && n->scalar == YSCALAR_STRING) {
            is->s = n->text;
        } else if (decode_int(d, n, INT32_MIN, INT32_MAX, &is->i)) {
            is->is_int = true;
        }
        return;
    }
    case FT_NODE:
        *(const struct ynode **)dst = n;
        return;
    case FT_IGNORE:
        return;
    }
}

/* An unknown key is an error, as kubectl's strict field validation has it,
 * with the field of the same table it is likely a misspelling of. */
static void unknown_field(struct decoder *d, const struct table *t,
                          const struct ynode *v)
{
    const struct field *f;
    struct suggest s;
    const char *best;

    suggest_begin(&s, v->key, &d->suggest_budget);
    for (f = t->fields; f->key; f++)
        suggest_add(&s, f->key);
    best = suggest_result(&s);
    report(d, DIAG_UNKNOWN_FIELD, d->allow_unknown_fields ? DIAG_WARNING : DIAG_ERROR,
           ynode_key_loc(d->c, v), v, "unknown field '%s' in %s" SUGGEST_FMT, v->key,
           t->name, SUGGEST_ARGS(best));
}

/* Fields a mapping lacks are reported at the mapping's own position. */
static void report_missing(struct decoder *d, const struct table *t,
                           const struct ynode *map, const struct field *f)
{
    struct strbuf path = STRBUF_INIT;

    ynode_path(map, &path);
    if (path.len)
        strbuf_addch(&path, '.');
    strbuf_addstr(&path, f->key);
    diag_report(&d->c->diags, DIAG_MISSING_FIELD, ynode_loc(d->c, map), d->object,
                path.buf, "required field '%s' of %s is missing", f->key, t->name);
    d->ok = false;
    strbuf_release(&path);
}

static const void *empty_instance(struct decoder *d, const struct table *t);

/* Integers start unset, in nested objects too, so that an absent field is
 * never mistaken for an explicit 0. */
static void init_fields(struct decoder *d, const struct table *t, void *dst)
{
    const struct field *f;

    if (t->init_as)
        t = t->init_as;
    for (f = t->fields; f->key; f++) {
        char *p = (char *)dst + f->offset;
        if (f->type == FT_INT32 || f->type == FT_INT64)
            *(int64_t *)p = INT_UNSET;
        else if (f->type == FT_OBJECT)
            init_fields(d, f->sub, p);
        else if (f->type == FT_OBJECT_PTR)
            *(const void **)p = empty_instance(d, f->sub);
    }
}

static const void *empty_instance(struct decoder *d, const struct table *t)
{
    struct decode_empties *e = d->empties;
    void *inst;
    size_t i;

    for (i = 0; i < e->n; i++) {
        if (e->table[i] == t)
            return e->instance[i];
    }
    if (e->n == ARRAY_SIZE(e->table))
        BUG("more tables decoded out of line than decode_empties holds");
    inst = arena_alloc(d->c->arena, t->size, t->align);
    init_fields(d, t, inst);
    e->table[e->n] = t;
    e->instance[e->n++] = inst;
    return inst;
}

/* A row's default (model.h, struct field_default) where the value is
 * unset: the key is absent, null, or was refused (the object is then
 * rejected anyway). */
static void default_scalar(const struct field *f, char *p)
{
    switch (f->type) {
    case FT_STRING:
        if (!*(const char **)p)
            *(const char **)p = f->def->str;
        return;
    case FT_ENUM:
        if (!*(int *)p)
            *(int *)p = enum_value(f->names, f->def->str);
        return;
    case FT_INT32:
    case FT_INT64:
        if (*(int64_t *)p == INT_UNSET)
            *(int64_t *)p = f->def->num;
        return;
    case FT_BOOL:
        if (*(enum tri *)p == TRI_UNSET)
            *(enum tri *)p = f->def->num ? TRI_TRUE : TRI_FALSE;
        return;
    default:
        return;
    }
}

static void apply_defaults(struct decoder *d, const struct table *t,
                           const struct ynode *map, void *dst);

/* An object or list the CRD defaults to {} or [{}], built when the
 * manifest lacks it from its rows' defaults alone: it has no source node,
 * so diagnostics about it point at the nearest node that exists. */
static void default_empty(struct decoder *d, const struct field *f,
                          const struct ynode *map, char *base)
{
    char *p = base + f->offset;
    size_t *n = (size_t *)(base + f->count_offset);

    if (f->type == FT_OBJECT) {
        if (!*(const struct ynode **)(p + f->sub->src_offset))
            apply_defaults(d, f->sub, NULL, p);
        return;
    }
    if (f->type == FT_OBJECT_PTR) {
        const char *cur = *(const char **)p;
        if (!*(const struct ynode *const *)(cur + f->sub->src_offset)) {
            /* Never into the shared empty instance: a copy of its own. */
            void *sub = arena_alloc(d->c->arena, f->sub->size, f->sub->align);
            memcpy(sub, cur, f->sub->size);
            apply_defaults(d, f->sub, NULL, sub);
            *(void **)p = sub;
        }
        return;
    }
    /* An empty list is the API server's to keep, unless the field says
     * otherwise. */
    if (*n || (!(f->flags & FIELD_EMPTY_AS_ABSENT) &&
               !ynode_is_null(ynode_get(map, f->key))))
        return;
    *(void **)p = arena_alloc_array(d->c->arena, 1, f->sub->size, f->sub->align);
    *n = 1;
    init_fields(d, f->sub, *(void **)p);
    apply_defaults(d, f->sub, NULL, *(void **)p);
}

/* The CRD defaults of t's rows, as the API server applies them on
 * admission: before any validation, since CEL rules read defaulted fields
 * (validating first gives false alarms, as fluxcd/flux-schema#60 found).
 * Only rows of a mapping that is given (or is itself defaulted) default. */
static void apply_defaults(struct decoder *d, const struct table *t,
                           const struct ynode *map, void *dst)
{
    const struct field *f;

    for (f = t->fields; f->key; f++) {
        if (f->def)
            default_scalar(f, (char *)dst + f->offset);
        else if (f->flags & FIELD_DEFAULT_EMPTY)
            default_empty(d, f, map, dst);
    }
}

void model_decode_mapping(struct decoder *d, const struct table *t,
                          const struct ynode *map, void *dst)
{
    const struct field *f;
    uint32_t i;

    init_fields(d, t, dst);
    if (ynode_is_null(map))
        return;
    if (map->kind != YNODE_MAP) {
        model_decode_type_error(d, map, "mapping");
        return;
    }
    *(const struct ynode **)((char *)dst + t->src_offset) = map;
    for (i = 0; i < map->n; i++) {
        const struct ynode *v = map->items[i];
        const char *key = v->key;

        for (f = t->fields; f->key; f++) {
            if (f->key[0] == key[0] && strcmp(f->key, key) == 0)
                break;
        }
        if (f->key) {
            decode_field(d, f, v, dst);
            if (FIELD_GIVEN_BIT(f->flags) && !ynode_is_null(v))
                *((uint8_t *)dst + t->present_offset) |= FIELD_GIVEN_BIT(f->flags);
        } else if (!t->open) {
            unknown_field(d, t, v);
        }
    }
    for (f = t->fields; f->key; f++) {
        const struct ynode *v;

        if (!(f->flags & FIELD_REQUIRED))
            continue;
        /* "name: null" leaves a required field unset: the API server says
         * "Required value" for it too. */
        v = ynode_get(map, f->key);
        if (!v || ynode_is_null(v))
            report_missing(d, t, map, f);
    }
    apply_defaults(d, t, map, dst);
}
