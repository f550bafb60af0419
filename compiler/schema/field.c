/*
 * Reporting, and the checks of one field against one CRD constraint: the
 * OpenAPI keywords minLength/maxLength, pattern, minimum/maximum, enum,
 * minItems/maxItems, maxProperties and required.  Lengths are counted in
 * characters, as the API server counts them.
 */
#include "schema_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/strbuf.h"
#include "base/suggest.h"
#include "base/utf8.h"
#include "nginx/regex.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

/* Longest value quoted whole in a message, in characters. */
#define QUOTE_MAX 64

static const char *object_text(struct schema *s)
{
    if (!s->label)
        s->label = model_object_label(s->c, s->obj);
    return s->label;
}

static struct diag *vreport(struct schema *s, enum diag_code code,
                            struct src_loc loc, const struct ynode *path_node,
                            const char *path_suffix, const char *fmt,
                            va_list ap) SCHEMA_PRINTF(6, 0);

static struct diag *vreport(struct schema *s, enum diag_code code,
                            struct src_loc loc, const struct ynode *path_node,
                            const char *path_suffix, const char *fmt,
                            va_list ap)
{
    struct strbuf path = STRBUF_INIT;
    struct diag *d;

    ynode_path(path_node, &path);
    if (path_suffix)
        strbuf_addf(&path, "%s%s", path.len ? "." : "", path_suffix);
    d = diag_vreport(&s->c->diags, diag_info(code)->severity, code, loc,
                     object_text(s), path.buf, fmt, ap);
    strbuf_release(&path);
    s->obj->rejected = true;
    return d;
}

struct diag *schema_vreport(struct schema *s, enum diag_code code,
                            const struct ynode *at, const char *fmt, va_list ap)
{
    if (!at)
        at = s->obj->src;
    return vreport(s, code, ynode_loc(s->c, at), at, NULL, fmt, ap);
}

struct diag *schema_report(struct schema *s, enum diag_code code,
                           const struct ynode *at, const char *fmt, ...)
{
    struct diag *d;
    va_list ap;

    va_start(ap, fmt);
    d = schema_vreport(s, code, at, fmt, ap);
    va_end(ap);
    return d;
}

struct diag *schema_report_key(struct schema *s, enum diag_code code,
                               const struct ynode *value, const char *fmt, ...)
{
    struct diag *d;
    va_list ap;

    va_start(ap, fmt);
    d = vreport(s, code, ynode_key_loc(s->c, value), value, NULL, fmt, ap);
    va_end(ap);
    return d;
}

static void report_path(struct schema *s, enum diag_code code,
                        const struct ynode *at, const char *path_suffix,
                        const char *fmt, ...) SCHEMA_PRINTF(5, 6);

static void report_path(struct schema *s, enum diag_code code,
                        const struct ynode *at, const char *path_suffix,
                        const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(s, code, ynode_loc(s->c, at), at, path_suffix, fmt, ap);
    va_end(ap);
}

void schema_note(struct schema *s, struct diag *d, const struct ynode *at,
                 const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_add_vnote(&s->c->diags, d, ynode_loc(s->c, at), fmt, ap);
    va_end(ap);
}

const char *schema_quote(struct schema *s, const char *v)
{
    size_t len = strlen(v), keep = utf8_advance(v, len, QUOTE_MAX - 4);

    if (keep + 4 > len)
        return v;
    return arena_printf(s->c->arena, "%.*s...", (int)keep, v);
}

const struct ynode *schema_field_node(const struct ynode *map, const char *key)
{
    const struct ynode *n = ynode_get(map, key);

    return n ? n : map;
}

void schema_check_union_member(struct schema *s, const struct schema_union *u,
                               const char *key, const char *owner, bool mine,
                               bool given)
{
    if (mine && !given)
        schema_report(s, u->code, schema_field_node(u->map, u->discriminator),
                      "%s %s%s needs %s", u->discriminator, owner,
                      u->defaulted ? " (the default)" : "", key);
    else if (!mine && given)
        schema_report(s, u->code, schema_field_node(u->map, key),
                      "%s must not be set when %s is '%s'", key,
                      u->discriminator, schema_quote(s, u->value));
}

const struct ynode *schema_string_item(const struct ynode *map, const char *key,
                                       size_t i)
{
    const struct ynode *item = ynode_item(map, key, i);

    if (item == map || item->kind != YNODE_SCALAR || item->scalar != YSCALAR_STRING)
        return NULL;
    return item;
}

bool schema_check_string(struct schema *s, const struct ynode *at, const char *what,
                         const char *v, const struct str_format *f)
{
    size_t len = strlen(v), chars;
    bool ok = true;

    if (len == 0 && f->min > 0) {
        schema_report(s, DIAG_STRING_EMPTY, at, "%s must not be empty", what);
        return false;
    }
    /* Characters never outnumber bytes: count them only when it matters. */
    chars = f->max && len > f->max ? utf8_count(v, len) : len;
    if (f->max && chars > f->max) {
        schema_report(s, DIAG_STRING_TOO_LONG, at,
                      "%s must be at most %zu characters, got %zu", what,
                      f->max, chars);
        ok = false;
    }
    if (f->match && !f->match(v)) {
        char buf[32];
        const char *fix = f->fix ? f->fix(v, buf) : NULL;

        schema_report(s, DIAG_PATTERN_MISMATCH, at,
                      "%s '%s' is not a valid %s: %s%s%s%s", what, schema_quote(s, v),
                      f->name, f->allowed, fix ? "; write '" : "", fix ? fix : "",
                      fix ? "'" : "");
        ok = false;
    }
    return ok;
}

void schema_check_str(struct schema *s, const struct ynode *map, const char *key,
                      const char *v, const struct str_format *f)
{
    if (v)
        schema_check_string(s, schema_field_node(map, key), key, v, f);
}

void schema_check_str_list(struct schema *s, const struct ynode *map,
                           const char *key, const char *what, const char *const *v,
                           size_t n, const struct str_format *f)
{
    size_t i;

    for (i = 0; i < n; i++) {
        const struct ynode *item = schema_string_item(map, key, i);
        if (item)
            schema_check_string(s, item, what, v[i], f);
    }
}

void schema_check_int(struct schema *s, const struct ynode *map, const char *key,
                      int64_t v, int64_t min, int64_t max)
{
    const struct ynode *at = schema_field_node(map, key);

    if (v == INT_UNSET || (v >= min && v <= max))
        return;
    if (max == NO_MAX)
        schema_report(s, DIAG_VALUE_RANGE, at,
                      "%s must be at least %" PRId64 ", got %" PRId64, key, min,
                      v);
    else
        schema_report(s, DIAG_VALUE_RANGE, at,
                      "%s must be between %" PRId64 " and %" PRId64
                      ", got %" PRId64,
                      key, min, max, v);
}

void schema_check_enum_at(struct schema *s, const struct ynode *at,
                          const char *what, const char *v,
                          const char *const *allowed)
{
    struct strbuf list = STRBUF_INIT;
    const char *const *a;
    const char *best;

    for (a = allowed; *a; a++) {
        if (strcmp(*a, v) == 0)
            return;
    }
    for (a = allowed; *a; a++)
        strbuf_addf(&list, "%s%s", a == allowed ? "" : ", ", *a);
    best = suggest_among(v, allowed);
    schema_report(s, DIAG_ENUM_VALUE, at,
                  "%s '%s' is not supported: must be one of %s" SUGGEST_FMT, what,
                  schema_quote(s, v), list.buf, SUGGEST_ARGS(best));
    strbuf_release(&list);
}

void schema_check_enum(struct schema *s, const struct ynode *map, const char *key,
                       const char *v, const char *const *allowed)
{
    if (v)
        schema_check_enum_at(s, schema_field_node(map, key), key, v, allowed);
}

const char *schema_enum_text(const struct ynode *map, const char *key, int v,
                             const char *const *names)
{
    const struct ynode *n;

    if (names[v])
        return names[v];
    n = v ? ynode_get(map, key) : NULL;
    return n ? n->text : "";
}

void schema_check_enum_field(struct schema *s, const struct ynode *map,
                             const char *key, int v, const char *const *names)
{
    if (v && !names[v])
        schema_check_enum_at(s, schema_field_node(map, key), key,
                             schema_enum_text(map, key, v, names), names + 1);
}

void schema_check_count(struct schema *s, const struct ynode *map, const char *key,
                        size_t n, size_t min, size_t max)
{
    const struct ynode *list = ynode_get(map, key);

    if (ynode_is_null(list))
        return;
    if (n > max)
        schema_report(s, DIAG_TOO_MANY_ITEMS, list,
                      "%s must have at most %zu item%s, got %zu", key, max,
                      max == 1 ? "" : "s", n);
    else if (n < min && n == 0)
        schema_report(s, DIAG_TOO_FEW_ITEMS, list, "%s must not be empty", key);
    else if (n < min)
        schema_report(s, DIAG_TOO_FEW_ITEMS, list,
                      "%s must have at least %zu items, got %zu", key, min, n);
}

void schema_check_map(struct schema *s, const struct ynode *map, const char *key,
                      const struct strmap *m, size_t max,
                      const struct str_format *values)
{
    size_t i;

    if (m->n > max)
        schema_report(s, DIAG_TOO_MANY_ITEMS, schema_field_node(map, key),
                      "%s must have at most %zu entries, got %zu", key, max, m->n);
    for (i = 0; i < m->n; i++)
        schema_check_string(s, m->v[i].src, "value", m->v[i].value, values);
}

bool schema_check_required(struct schema *s, const struct ynode *map, bool given,
                           const char *key, const char *type_name)
{
    if (!map || given)
        return true;
    /* At the mapping, with the path of the missing field, as decode's own
     * report of a missing field reads. */
    report_path(s, DIAG_MISSING_FIELD, map, key,
                "required field '%s' of %s is missing", key, type_name);
    return false;
}

/* A bound for a message, in its largest exact unit: "0s", "1ms", "75s",
 * "5m", "24h". */
static const char *duration_text(struct schema *s, int64_t ms)
{
    static const struct {
        int64_t ms;
        const char *unit;
    } units[] = {{3600000, "h"}, {60000, "m"}, {1000, "s"}, {1, "ms"}};
    size_t i;

    if (ms == 0)
        return "0s";
    for (i = 0; ms % units[i].ms; i++)
        ;
    return arena_printf(s->c->arena, "%" PRId64 "%s", ms / units[i].ms, units[i].unit);
}

void schema_check_duration(struct schema *s, const struct ynode *at, const char *key,
                           const char *v, int64_t min_ms, int64_t max_ms)
{
    int64_t ms;

    if (strlen(v) > 32 || !model_parse_duration(v, &ms))
        return;
    if (ms < min_ms || ms > max_ms)
        schema_report(s, DIAG_DURATION_RANGE, at, "%s '%s' is outside %s-%s", key,
                      schema_quote(s, v), duration_text(s, min_ms),
                      duration_text(s, max_ms));
}

void schema_check_regex(struct schema *s, const struct ynode *at,
                        const char *pattern)
{
    struct regex_error err;

    if (nginx_regex_user(pattern, NULL, &err))
        return;
    schema_report(s, DIAG_INVALID_REGEX, at, "regular expression '%s' %s%s at character %zu%s",
                  schema_quote(s, pattern), err.refused ? "" : "does not compile: ",
                  err.message, utf8_count(pattern, err.offset) + 1, err.hint);
}
