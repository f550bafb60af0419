/*
 * A small streaming JSON writer with stable, pretty output.  Callers open and
 * close containers in order; the writer places commas, newlines and indents.
 */
#ifndef GWC_JSONW_H
#define GWC_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

struct jsonw {
    struct strbuf *out;
    unsigned depth;
    bool first;   /* no member written yet in the open container */
    bool pending; /* a key was written; its value comes next */
    bool compact; /* one line, no indentation */
};

void jsonw_init(struct jsonw *w, struct strbuf *out, bool compact);
void jsonw_object_begin(struct jsonw *w);
void jsonw_object_end(struct jsonw *w);
void jsonw_array_begin(struct jsonw *w);
void jsonw_array_end(struct jsonw *w);
void jsonw_key(struct jsonw *w, const char *key);
void jsonw_string(struct jsonw *w, const char *s);
void jsonw_string_n(struct jsonw *w, const char *s, size_t n);
void jsonw_int(struct jsonw *w, int64_t v);
void jsonw_bool(struct jsonw *w, bool v);
void jsonw_null(struct jsonw *w);
/* Key plus value in one call. */
void jsonw_kv_string(struct jsonw *w, const char *key, const char *s);
void jsonw_kv_int(struct jsonw *w, const char *key, int64_t v);
/* Key, then an object or array begun as its value. */
void jsonw_kv_object_begin(struct jsonw *w, const char *key);
void jsonw_kv_array_begin(struct jsonw *w, const char *key);
/* Escape s[0..n) as a JSON string literal (with quotes) into out. */
void jsonw_escape(struct strbuf *out, const char *s, size_t n);

#endif
