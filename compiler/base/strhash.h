/*
 * A hash table from strings to pointers, for the lookups that would
 * otherwise scan a list ("is there already an upstream of this name?").
 * Open addressing with linear probing; storage lives in the arena, so a
 * table is never freed, only dropped with the compilation.
 *
 * Keys are not copied: they must outlive the table (arena strings do).
 * Iteration order is not offered on purpose: output order never comes from
 * a hash table, only from sorting.  That is also what lets each table hash
 * with its own random key, against names chosen to collide (strhash.c).
 */
#ifndef GWC_STRHASH_H
#define GWC_STRHASH_H

#include <stddef.h>
#include <stdint.h>

struct arena;

struct strhash_slot {
    const char *key; /* NULL: empty */
    size_t hash;
    void *value;
};

struct strhash {
    struct arena *a;
    struct strhash_slot *slots;
    size_t n, cap; /* cap is 0 or a power of two */
    uint64_t key[2]; /* the slot hash's random key, from the arena with the first slots */
};

/* An empty table; {0} with a set arena is the same thing. */
void strhash_init(struct strhash *m, struct arena *a);
/* Makes room for n keys at once (no table left behind by growth). */
void strhash_reserve(struct strhash *m, size_t n);
/* The value stored under key, or NULL. */
void *strhash_get(const struct strhash *m, const char *key);
/* The value slot of key, created holding NULL when the key is new. */
void **strhash_slot(struct strhash *m, const char *key);
/* Stores value under key (replacing any earlier one). */
void strhash_put(struct strhash *m, const char *key, void *value);
/* One copy of each distinct text: the table's copy of s[0..len) (s is
 * NUL-terminated there and holds no NUL before), made in a on first
 * sight, its own value.  One hash per call, where get-then-put takes two
 * for a new text. */
const char *strhash_intern(struct strhash *m, struct arena *a, const char *s, size_t len);

/* FNV-1a, 64 bits, of s continuing from h (STRHASH_FNV_BASIS to start):
 * the one string hash, also for names derived from content. */
#define STRHASH_FNV_BASIS 14695981039346656037ull
uint64_t strhash_fnv1a(uint64_t h, const char *s);

/*
 * A key made of several strings (NULL reads as ""), each length-prefixed so
 * that no two different lists give the same key, whatever bytes the strings
 * hold.  Written to buf when it fits in cap bytes, else to the arena.
 */
const char *strhash_key(struct arena *a, char *buf, size_t cap,
                        const char *const *parts, size_t n);

#endif
