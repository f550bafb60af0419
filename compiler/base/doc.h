/*
 * A small generic document tree (mappings, sequences, scalars) for output:
 * `gwc status` and `gwc import-ingress` build one and render it as JSON or
 * YAML.  YAML goes through libyaml's emitter, so quoting is libyaml's job and
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

enum doc_kind { DOC_MAP, DOC_SEQ, DOC_STR, DOC_INT, DOC_BOOL, DOC_NULL };

struct doc {
    enum doc_kind kind;
    const char *str; /* DOC_STR */
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

/* Appends to a mapping (key copied) or a sequence; returns the value. */
struct doc *doc_put(struct arena *a, struct doc *map, const char *key,
                    struct doc *value);
struct doc *doc_put_str(struct arena *a, struct doc *map, const char *key,
                        const char *s);
struct doc *doc_push(struct arena *a, struct doc *seq, struct doc *value);
const struct doc *doc_get(const struct doc *map, const char *key);

void doc_write_json(const struct doc *d, struct strbuf *out);
/* One YAML document per element of docs, separated by "---". */
void doc_write_yaml(struct doc *const *docs, size_t n, struct strbuf *out);

#endif
