#include "doc.h"

#include "arena.h"
#include "jsonw.h"
#include "strbuf.h"
#include "str.h"

#include <stdio.h>
#include <string.h>
#include <yaml.h>

static struct doc *new_doc(struct arena *a, enum doc_kind kind)
{
    struct doc *d = ARENA_NEW(a, struct doc);

    d->kind = kind;
    return d;
}

struct doc *doc_map(struct arena *a) { return new_doc(a, DOC_MAP); }
struct doc *doc_seq(struct arena *a) { return new_doc(a, DOC_SEQ); }

struct doc *doc_str(struct arena *a, const char *s)
{
    struct doc *d = new_doc(a, DOC_STR);

    d->str = arena_strdup(a, s);
    return d;
}

struct doc *doc_int(struct arena *a, int64_t v)
{
    struct doc *d = new_doc(a, DOC_INT);

    d->i = v;
    return d;
}

struct doc *doc_bool(struct arena *a, bool v)
{
    struct doc *d = new_doc(a, DOC_BOOL);

    d->i = v;
    return d;
}

static void grow(struct arena *a, struct doc *d)
{
    size_t cap;
    struct doc **items;
    const char **keys;

    if (d->n < d->cap)
        return;
    cap = d->cap ? d->cap * 2 : 4;
    items = ARENA_NEW_ARRAY(a, struct doc *, cap);
    keys = ARENA_NEW_ARRAY(a, const char *, cap);
    if (d->n) {
        memcpy(items, d->items, d->n * sizeof(*items));
        if (d->keys)
            memcpy(keys, d->keys, d->n * sizeof(*keys));
    }
    d->items = items;
    d->keys = keys;
    d->cap = cap;
}

struct doc *doc_put(struct arena *a, struct doc *map, const char *key,
                    struct doc *value)
{
    if (map->kind != DOC_MAP)
        BUG("doc_put on a non-mapping");
    grow(a, map);
    map->keys[map->n] = arena_strdup(a, key);
    map->items[map->n++] = value;
    return value;
}

struct doc *doc_put_str(struct arena *a, struct doc *map, const char *key,
                        const char *s)
{
    return doc_put(a, map, key, doc_str(a, s));
}

struct doc *doc_push(struct arena *a, struct doc *seq, struct doc *value)
{
    if (seq->kind != DOC_SEQ)
        BUG("doc_push on a non-sequence");
    grow(a, seq);
    seq->items[seq->n++] = value;
    return value;
}

const struct doc *doc_get(const struct doc *map, const char *key)
{
    size_t i;

    for (i = 0; map && map->kind == DOC_MAP && i < map->n; i++) {
        if (strcmp(map->keys[i], key) == 0)
            return map->items[i];
    }
    return NULL;
}

static void json_value(struct jsonw *w, const struct doc *d)
{
    size_t i;

    switch (d->kind) {
    case DOC_MAP:
        jsonw_object_begin(w);
        for (i = 0; i < d->n; i++) {
            jsonw_key(w, d->keys[i]);
            json_value(w, d->items[i]);
        }
        jsonw_object_end(w);
        return;
    case DOC_SEQ:
        jsonw_array_begin(w);
        for (i = 0; i < d->n; i++)
            json_value(w, d->items[i]);
        jsonw_array_end(w);
        return;
    case DOC_STR:
        jsonw_string(w, d->str);
        return;
    case DOC_INT:
        jsonw_int(w, d->i);
        return;
    case DOC_BOOL:
        jsonw_bool(w, d->i != 0);
        return;
    case DOC_NULL:
        jsonw_null(w);
        return;
    }
}

void doc_write_json(const struct doc *d, struct strbuf *out)
{
    struct jsonw w;

    jsonw_init(&w, out, false);
    json_value(&w, d);
}

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
    strbuf_add(data, buffer, size);
    return 1;
}

static void emit(yaml_emitter_t *e, yaml_event_t *ev)
{
    if (!yaml_emitter_emit(e, ev))
        BUG("libyaml emitter failed");
}

static void emit_scalar(yaml_emitter_t *e, const char *text, bool plain_ok)
{
    yaml_event_t ev;

    /* Strings that would read back as another type ("true", "80") must be
     * quoted; libyaml decides how, given that plain style is not allowed.
     * Quoted is always implicitly a string: no "!" tag is needed. */
    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text,
                                 (int)strlen(text), plain_ok, 1,
                                 YAML_ANY_SCALAR_STYLE);
    emit(e, &ev);
}

/* Would a plain scalar with this text be read back as something other than
 * a string (YAML 1.1 rules, as kubectl reads)? */
static bool reads_as_non_string(const char *s)
{
    static const char *const words[] = {
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n",
        "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
        "FALSE", "on", "On", "ON", "off", "Off", "OFF", ".inf", ".Inf", ".INF",
        "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN",
        ".NAN", NULL};
    const char *const *w;
    size_t i, digits = 0;

    for (w = words; *w; w++) {
        if (strcmp(s, *w) == 0)
            return true;
    }
    /* Anything made only of what YAML 1.1 numbers are made of (digits,
     * signs, '.', '_', ':', exponents, 0x/0o/0b prefixes, hex digits) and
     * holding a digit is quoted: 80, 1.5, 0x1F, 0x_1f, 1e3, 1:20.  Quoting
     * a string that would not have been a number costs nothing. */
    for (i = 0; s[i]; i++) {
        if (str_has_char("0123456789", s[i]))
            digits++;
        else if (!str_has_char("+-._:eExXoObBaAcCdDfF", s[i]))
            return false;
    }
    return digits > 0;
}

static void yaml_value(yaml_emitter_t *e, const struct doc *d)
{
    yaml_event_t ev;
    char num[32];
    size_t i;

    switch (d->kind) {
    case DOC_MAP:
        yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
        emit(e, &ev);
        for (i = 0; i < d->n; i++) {
            emit_scalar(e, d->keys[i], !reads_as_non_string(d->keys[i]));
            yaml_value(e, d->items[i]);
        }
        yaml_mapping_end_event_initialize(&ev);
        emit(e, &ev);
        return;
    case DOC_SEQ:
        yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
        emit(e, &ev);
        for (i = 0; i < d->n; i++)
            yaml_value(e, d->items[i]);
        yaml_sequence_end_event_initialize(&ev);
        emit(e, &ev);
        return;
    case DOC_STR:
        emit_scalar(e, d->str, !reads_as_non_string(d->str));
        return;
    case DOC_INT:
        snprintf(num, sizeof(num), "%lld", (long long)d->i);
        emit_scalar(e, num, true);
        return;
    case DOC_BOOL:
        emit_scalar(e, d->i ? "true" : "false", true);
        return;
    case DOC_NULL:
        emit_scalar(e, "null", true);
        return;
    }
}

void doc_write_yaml(struct doc *const *docs, size_t n, struct strbuf *out)
{
    yaml_emitter_t e;
    yaml_event_t ev;
    size_t i;

    if (!yaml_emitter_initialize(&e))
        die_oom(sizeof(e));
    yaml_emitter_set_output(&e, write_handler, out);
    yaml_emitter_set_unicode(&e, 1);
    yaml_emitter_set_width(&e, -1); /* never fold long values */
    yaml_emitter_set_indent(&e, 2);
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    emit(&e, &ev);
    for (i = 0; i < n; i++) {
        yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, i == 0);
        emit(&e, &ev);
        yaml_value(&e, docs[i]);
        yaml_document_end_event_initialize(&ev, 1);
        emit(&e, &ev);
    }
    yaml_stream_end_event_initialize(&ev);
    emit(&e, &ev);
    yaml_emitter_delete(&e);
}
