/*
 * One arena per compilation: every object reachable from the YAML trees, the
 * model, the plan and the diagnostics lives here and dies with arena_destroy().
 * Nothing is freed one at a time.  Allocation never fails: running out of
 * memory aborts with a message (the only sane answer for a CLI compiler).
 */
#ifndef GWC_ARENA_H
#define GWC_ARENA_H

#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

struct arena *arena_create(size_t block_size);
void arena_destroy(struct arena *a);
/* Destroys src and gives its memory to dst, which serves later requests
 * from it before asking the system for more (cleared as it is reused).
 * Nothing src handed out may be used afterwards. */
void arena_adopt(struct arena *dst, struct arena *src);

/* Ends everything a handed out, keeping its blocks for what it hands out
 * next: a scratch arena reused for one piece of work after another. */
void arena_reset(struct arena *a);
/* Returns the blocks a holds for reuse (arena_adopt(), arena_reset()) to
 * the system, once nothing will ask for that much again. */
void arena_trim(struct arena *a);

/* Zeroed memory aligned to 'align' (a power of two). */
void *arena_alloc(struct arena *a, size_t size, size_t align);
/* n * size bytes, with the multiplication checked for overflow. */
void *arena_alloc_array(struct arena *a, size_t n, size_t size, size_t align);
/* NUL-terminated copy of s[0..len). */
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
/* The n strings of parts one after the other: for names built once per
 * object, where printf's parsing of its format was a visible cost. */
char *arena_join(struct arena *a, const char *const *parts, size_t n);
#define ARENA_JOIN(a, ...) \
    arena_join((a), (const char *const[]){__VA_ARGS__}, \
               sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))
/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* A secret random key for a hash table living in a (strhash.c): a new one
 * on each call, all from one draw of the kernel's randomness. */
void arena_hash_key(struct arena *a, uint64_t key[2]);
/* Bytes handed out so far (for benchmarks and tests). */
size_t arena_used(const struct arena *a);

/* Room for one more element in the array v of n elements: v itself while
 * n < *cap, else a copy with twice the capacity (first when empty).  The
 * old array stays in the arena, which frees everything at once. */
void *arena_grow(struct arena *a, void *v, size_t n, size_t *cap, size_t size,
                 size_t align, size_t first);

#define ARENA_NEW(a, T) ((T *)arena_alloc((a), sizeof(T), alignof(T)))
#define ARENA_NEW_ARRAY(a, T, n) \
    ((T *)arena_alloc_array((a), (n), sizeof(T), alignof(T)))
/* ARENA_GROW(a, T, v, n, cap, first) before v[n++] = ... */
#define ARENA_GROW(a, T, v, n, cap, first) \
    ((v) = (T *)arena_grow((a), (v), (n), &(cap), sizeof(T), alignof(T), (first)))

/* Abort with a message; the single home of out-of-memory handling. */
_Noreturn void arena_die_oom(size_t wanted);
/* Programmer error: report where and abort.  Never shown for bad input. */
#define BUG(msg) arena_bug_at(__FILE__, __LINE__, (msg))
_Noreturn void arena_bug_at(const char *file, int line, const char *msg);

#endif
