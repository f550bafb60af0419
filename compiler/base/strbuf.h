/*
 * Growable byte string for building text (after git's strbuf).
 *
 * Invariants, which hold after STRBUF_INIT or strbuf_init():
 *  - buf is never NULL and buf[len] == '\0';
 *  - cap == 0 means buf points at a shared empty string: nothing to free.
 * strbuf_detach() is the only hand-off: the caller then free()s the bytes.
 */
#ifndef GWC_STRBUF_H
#define GWC_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
    char *buf;
    size_t len;
    size_t cap;
};

extern char strbuf_empty_[1];
#define STRBUF_INIT {.buf = strbuf_empty_, .len = 0, .cap = 0}

void strbuf_init(struct strbuf *sb);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t n);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addchars(struct strbuf *sb, char c, size_t n);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
void strbuf_setlen(struct strbuf *sb, size_t len);
void strbuf_reset(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb, size_t *len);
bool strbuf_ends_with(const struct strbuf *sb, const char *suffix);

#endif
