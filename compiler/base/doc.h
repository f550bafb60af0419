/*
 * A small generic document tree (mappings, sequences, scalars) for output:
 * `gwc import-ingress` builds one and renders it as YAML; `gwc status`
 * writes straight through the streaming writer below, which also renders
 * trees.  YAML goes through libyaml's emitter, so quoting is libyaml's job and
 * no string of ours can break the structure.  Mapping keys keep insertion
 * order; callers insert in the order they want printed.
 */
#ifndef GWC_DOC_H
#define GWC_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct strbuf;

enum doc_kind { DOC_MAP, DOC_SEQ, DOC_STR, DOC_INT, DOC_BOOL, DOC_NULL, DOC_PLAIN };

struct doc {
    enum doc_kind kind;
    const char *str; /* DOC_STR, DOC_PLAIN */
    int64_t i;       /* DOC_INT, DOC_BOOL */
    /* DOC_MAP: keys[i] -> items[i]; DOC_SEQ: items */
    const char **keys;
    struct doc **items;
    size_t n, cap;
};

struct doc *doc_map(struct arena *a);
struct doc *doc_seq(struct arena *a);
struct doc *doc_str(struct arena *a, const char *s); /* copied */
struct doc *doc_int(struct arena *a, int64_t v);
struct doc *doc_bool(struct arena *a, bool v);
struct doc *doc_null(struct arena *a);
/* A scalar written unquoted as it is (copied): a number as the input
 * spelled it (0x1F, 1.5).  JSON writes it as a string. */
struct doc *doc_plain(struct arena *a, const char *s);

/* Appends to a mapping (key copied) or a sequence; returns the value. */
struct doc *doc_put(struct arena *a, struct doc *map, const char *key,
                    struct doc *value);
struct doc *doc_put_str(struct arena *a, struct doc *map, const char *key,
                        const char *s);
struct doc *doc_push(struct arena *a, struct doc *seq, struct doc *value);
const struct doc *doc_get(const struct doc *map, const char *key);

/* One YAML document per element of docs, separated by "---". */
void doc_write_yaml(struct doc *const *docs, size_t n, struct strbuf *out);

/*
 * The same output written as it is produced, with no tree: a writer that
 * is told one value at a time, in order.  Its text collects in out; with a
 * flush function, out is handed to it (and emptied) whenever it holds
 * DOC_FLUSH_BYTES or more, and at the end, so memory stays small whatever
 * the size of the output.  In YAML every top-level value is a document
 * ("---" before all but the first).  A NULL string is written as null.
 */
enum doc_format { DOC_FORMAT_YAML, DOC_FORMAT_JSON };

#define DOC_FLUSH_BYTES (64u << 10)

typedef void doc_flush_fn(struct strbuf *out, void *ctx);
struct doc_writer;

struct doc_writer *doc_writer_begin(enum doc_format format, struct strbuf *out,
                                    doc_flush_fn *flush, void *ctx);
void doc_writer_end(struct doc_writer *w);
void doc_writer_map_begin(struct doc_writer *w);
void doc_writer_map_end(struct doc_writer *w);
void doc_writer_seq_begin(struct doc_writer *w);
void doc_writer_seq_end(struct doc_writer *w);
void doc_writer_key(struct doc_writer *w, const char *key);
void doc_writer_str(struct doc_writer *w, const char *s);
void doc_writer_int(struct doc_writer *w, int64_t v);
void doc_writer_bool(struct doc_writer *w, bool v);
void doc_writer_null(struct doc_writer *w);
/* Key plus value in one call. */
void doc_writer_kv_str(struct doc_writer *w, const char *key, const char *s);
void doc_writer_kv_int(struct doc_writer *w, const char *key, int64_t v);
/* Key, then a mapping or sequence begun as its value. */
void doc_writer_kv_map_begin(struct doc_writer *w, const char *key);
void doc_writer_kv_seq_begin(struct doc_writer *w, const char *key);

#endif
