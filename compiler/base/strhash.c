#include "strhash.h"

#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

uint64_t strhash_fnv1a(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* FNV-1a: short keys, no adversary that gains anything from collisions
 * (a manifest author can only slow their own compilation down). */
static size_t hash_of(const char *s)
{
    uint64_t h = strhash_fnv1a(STRHASH_FNV_BASIS, s);

    return (size_t)(h ^ (h >> 32));
}

void strhash_init(struct strhash *m, struct arena *a)
{
    memset(m, 0, sizeof(*m));
    m->a = a;
}

static struct strhash_slot *find(const struct strhash *m, const char *key, size_t h)
{
    size_t mask = m->cap - 1, i;

    for (i = h & mask;; i = (i + 1) & mask) {
        struct strhash_slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
            return s;
    }
}

/* Grows the table to cap slots (the old slots stay in the arena, unused:
 * doubling costs at most as much memory again as the final table). */
static void grow_to(struct strhash *m, size_t cap)
{
    struct strhash_slot *old = m->slots;
    size_t old_cap = m->cap, i;

    m->cap = cap;
    m->slots = ARENA_NEW_ARRAY(m->a, struct strhash_slot, m->cap);
    for (i = 0; i < old_cap; i++) {
        if (old[i].key)
            *find(m, old[i].key, old[i].hash) = old[i];
    }
}

void strhash_reserve(struct strhash *m, size_t n)
{
    size_t cap = m->cap ? m->cap : 16;

    while ((n + 1) * 2 > cap)
        cap *= 2;
    if (cap > m->cap)
        grow_to(m, cap);
}

void *strhash_get(const struct strhash *m, const char *key)
{
    const struct strhash_slot *s;

    if (m->n == 0)
        return NULL;
    s = find(m, key, hash_of(key));
    return s->key ? s->value : NULL;
}

void **strhash_slot(struct strhash *m, const char *key)
{
    size_t h = hash_of(key);
    struct strhash_slot *s;

    /* At most half full, so probes stay short and one slot is always free. */
    if ((m->n + 1) * 2 > m->cap)
        grow_to(m, m->cap ? m->cap * 2 : 16);
    s = find(m, key, h);
    if (!s->key) {
        s->key = key;
        s->hash = h;
        s->value = NULL;
        m->n++;
    }
    return &s->value;
}

void strhash_put(struct strhash *m, const char *key, void *value)
{
    *strhash_slot(m, key) = value;
}

const char *strhash_key(struct arena *a, char *buf, size_t cap,
                        const char *const *parts, size_t n)
{
    size_t need = 1, i, at = 0;
    char *out;

    for (i = 0; i < n; i++)
        need += 21 + (parts[i] ? strlen(parts[i]) : 0); /* "%zu:" and the text */
    out = need <= cap ? buf : arena_alloc(a, need, 1);
    for (i = 0; i < n; i++) {
        const char *p = parts[i] ? parts[i] : "";
        size_t len = strlen(p);
        at += (size_t)snprintf(out + at, need - at, "%zu:", len);
        memcpy(out + at, p, len);
        at += len;
    }
    out[at] = '\0';
    return out;
}
