#include "doc.h"

#include "arena.h"
#include "jsonw.h"
#include "strbuf.h"
#include "str.h"

#include <stdio.h>
#include <stdlib.h>
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
struct doc *doc_null(struct arena *a) { return new_doc(a, DOC_NULL); }

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

struct doc *doc_plain(struct arena *a, const char *s)
{
    struct doc *d = new_doc(a, DOC_PLAIN);

    d->str = arena_strdup(a, s);
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

/* Would a plain scalar with this text be read back as something other than
 * a string (YAML 1.1 rules, as kubectl reads)?  "<<" is a merge key there
 * and "=" the value key. */
static bool reads_as_non_string(const char *s)
{
    static const char *const words[] = {
        "", "~", "<<", "=", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n",
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

struct doc_writer {
    enum doc_format format;
    struct strbuf *out;
    doc_flush_fn *flush;
    void *ctx;
    unsigned depth;     /* open containers */
    size_t documents;   /* YAML documents written */
    struct jsonw json;
    yaml_emitter_t yaml;
};

static int yaml_output(void *data, unsigned char *buffer, size_t size)
{
    strbuf_add(data, buffer, size);
    return 1;
}

static void emit(struct doc_writer *w, yaml_event_t *ev)
{
    if (!yaml_emitter_emit(&w->yaml, ev))
        BUG("libyaml emitter failed");
}

static void flush_if_full(struct doc_writer *w, size_t threshold)
{
    if (w->flush && w->out->len >= threshold) {
        w->flush(w->out, w->ctx);
        strbuf_reset(w->out);
    }
}

/* In YAML, a value at the top is a document of its own. */
static void value_begins(struct doc_writer *w)
{
    yaml_event_t ev;

    if (w->format != DOC_FORMAT_YAML || w->depth > 0)
        return;
    yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, w->documents == 0);
    emit(w, &ev);
}

static void value_ends(struct doc_writer *w)
{
    yaml_event_t ev;

    if (w->format == DOC_FORMAT_YAML && w->depth == 0) {
        yaml_document_end_event_initialize(&ev, 1);
        emit(w, &ev);
        w->documents++;
    }
    flush_if_full(w, DOC_FLUSH_BYTES);
}

struct doc_writer *doc_writer_begin(enum doc_format format, struct strbuf *out,
                                    doc_flush_fn *flush, void *ctx)
{
    struct doc_writer *w = calloc(1, sizeof(*w));
    yaml_event_t ev;

    if (!w)
        arena_die_oom(sizeof(*w));
    w->format = format;
    w->out = out;
    w->flush = flush;
    w->ctx = ctx;
    if (format == DOC_FORMAT_JSON) {
        jsonw_init(&w->json, out, false);
        return w;
    }
    if (!yaml_emitter_initialize(&w->yaml))
        arena_die_oom(sizeof(w->yaml));
    yaml_emitter_set_output(&w->yaml, yaml_output, out);
    yaml_emitter_set_unicode(&w->yaml, 1);
    yaml_emitter_set_width(&w->yaml, -1); /* never fold long values */
    yaml_emitter_set_indent(&w->yaml, 2);
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    emit(w, &ev);
    return w;
}

void doc_writer_end(struct doc_writer *w)
{
    yaml_event_t ev;

    if (w->format == DOC_FORMAT_YAML) {
        yaml_stream_end_event_initialize(&ev);
        emit(w, &ev);
        yaml_emitter_delete(&w->yaml);
    }
    flush_if_full(w, 1);
    free(w);
}

static void container_begin(struct doc_writer *w, bool map)
{
    yaml_event_t ev;

    value_begins(w);
    w->depth++;
    if (w->format == DOC_FORMAT_JSON) {
        if (map)
            jsonw_object_begin(&w->json);
        else
            jsonw_array_begin(&w->json);
        return;
    }
    if (map)
        yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
    else
        yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
    emit(w, &ev);
}

static void container_end(struct doc_writer *w, bool map)
{
    yaml_event_t ev;

    w->depth--;
    if (w->format == DOC_FORMAT_JSON) {
        if (map)
            jsonw_object_end(&w->json);
        else
            jsonw_array_end(&w->json);
    } else {
        if (map)
            yaml_mapping_end_event_initialize(&ev);
        else
            yaml_sequence_end_event_initialize(&ev);
        emit(w, &ev);
    }
    value_ends(w);
}

void doc_writer_map_begin(struct doc_writer *w) { container_begin(w, true); }
void doc_writer_map_end(struct doc_writer *w) { container_end(w, true); }
void doc_writer_seq_begin(struct doc_writer *w) { container_begin(w, false); }
void doc_writer_seq_end(struct doc_writer *w) { container_end(w, false); }

/* A YAML scalar; plain_ok is false for a string that would read back as
 * another type ("true", "80"), and libyaml then chooses a quoted style,
 * which always reads as a string: no "!" tag is needed. */
static void yaml_scalar(struct doc_writer *w, const char *text, bool plain_ok)
{
    yaml_event_t ev;

    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text,
                                 (int)strlen(text), plain_ok, 1,
                                 YAML_ANY_SCALAR_STYLE);
    emit(w, &ev);
}

void doc_writer_key(struct doc_writer *w, const char *key)
{
    if (w->format == DOC_FORMAT_JSON)
        jsonw_key(&w->json, key);
    else
        yaml_scalar(w, key, !reads_as_non_string(key));
}

void doc_writer_str(struct doc_writer *w, const char *s)
{
    if (!s) {
        doc_writer_null(w);
        return;
    }
    value_begins(w);
    if (w->format == DOC_FORMAT_JSON)
        jsonw_string(&w->json, s);
    else
        yaml_scalar(w, s, !reads_as_non_string(s));
    value_ends(w);
}

void doc_writer_int(struct doc_writer *w, int64_t v)
{
    char num[32];

    value_begins(w);
    if (w->format == DOC_FORMAT_JSON) {
        jsonw_int(&w->json, v);
    } else {
        snprintf(num, sizeof(num), "%lld", (long long)v);
        yaml_scalar(w, num, true);
    }
    value_ends(w);
}

void doc_writer_bool(struct doc_writer *w, bool v)
{
    value_begins(w);
    if (w->format == DOC_FORMAT_JSON)
        jsonw_bool(&w->json, v);
    else
        yaml_scalar(w, v ? "true" : "false", true);
    value_ends(w);
}

void doc_writer_null(struct doc_writer *w)
{
    value_begins(w);
    if (w->format == DOC_FORMAT_JSON)
        jsonw_null(&w->json);
    else
        yaml_scalar(w, "null", true);
    value_ends(w);
}

void doc_writer_kv_str(struct doc_writer *w, const char *key, const char *s)
{
    doc_writer_key(w, key);
    doc_writer_str(w, s);
}

void doc_writer_kv_int(struct doc_writer *w, const char *key, int64_t v)
{
    doc_writer_key(w, key);
    doc_writer_int(w, v);
}

void doc_writer_kv_map_begin(struct doc_writer *w, const char *key)
{
    doc_writer_key(w, key);
    doc_writer_map_begin(w);
}

void doc_writer_kv_seq_begin(struct doc_writer *w, const char *key)
{
    doc_writer_key(w, key);
    doc_writer_seq_begin(w);
}

static void write_value(struct doc_writer *w, const struct doc *d)
{
    size_t i;

    switch (d->kind) {
    case DOC_MAP:
        doc_writer_map_begin(w);
        for (i = 0; i < d->n; i++) {
            doc_writer_key(w, d->keys[i]);
            write_value(w, d->items[i]);
        }
        doc_writer_map_end(w);
        return;
    case DOC_SEQ:
        doc_writer_seq_begin(w);
        for (i = 0; i < d->n; i++)
            write_value(w, d->items[i]);
        doc_writer_seq_end(w);
        return;
    case DOC_STR:
        doc_writer_str(w, d->str);
        return;
    case DOC_INT:
        doc_writer_int(w, d->i);
        return;
    case DOC_BOOL:
        doc_writer_bool(w, d->i != 0);
        return;
    case DOC_NULL:
        doc_writer_null(w);
        return;
    case DOC_PLAIN:
        if (w->format == DOC_FORMAT_JSON) {
            doc_writer_str(w, d->str);
            return;
        }
        value_begins(w);
        yaml_scalar(w, d->str, true);
        value_ends(w);
        return;
    }
}

void doc_write_yaml(struct doc *const *docs, size_t n, struct strbuf *out)
{
    struct doc_writer *w = doc_writer_begin(DOC_FORMAT_YAML, out, NULL, NULL);
    size_t i;

    for (i = 0; i < n; i++)
        write_value(w, docs[i]);
    doc_writer_end(w);
}
