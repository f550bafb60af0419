#include "strhash.h"

#include "arena.h"
#include "str.h"

#include <stdint.h>
#include <string.h>

uint64_t strhash_fnv1a(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/*
 * Table slots are chosen with SipHash-1-3 under a key drawn at random for
 * each table, not with FNV-1a: the keys are names from manifests, and one
 * tenant who picks thousands of names that land in one slot of an unkeyed
 * hash would make every lookup a scan of them (hash flooding), slowing the
 * whole repository's compilation down quadratically.  No output order ever
 * comes from a table, so a random key changes nothing but the probe paths.
 */
#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void sip_round(uint64_t v[4])
{
    v[0] += v[1]; v[1] = ROTL(v[1], 13); v[1] ^= v[0]; v[0] = ROTL(v[0], 32);
    v[2] += v[3]; v[3] = ROTL(v[3], 16); v[3] ^= v[2];
    v[0] += v[3]; v[3] = ROTL(v[3], 21); v[3] ^= v[0];
    v[2] += v[1]; v[1] = ROTL(v[1], 17); v[1] ^= v[2]; v[2] = ROTL(v[2], 32);
}

static uint64_t load_le64(const unsigned char *p, size_t n)
{
    uint64_t w = 0;

    while (n--)
        w |= (uint64_t)p[n] << (8 * n);
    return w;
}

/* A whole word: one load where the byte order allows it (every key and
 * scalar of a file is hashed once, so this is on the load's hot path). */
static uint64_t load_word(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t w;

    memcpy(&w, p, sizeof(w));
    return w;
#else
    return load_le64(p, 8);
#endif
}

static uint64_t siphash13(const uint64_t key[2], const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i;
    uint64_t v[4] = {key[0] ^ 0x736f6d6570736575ull, key[1] ^ 0x646f72616e646f6dull,
                     key[0] ^ 0x6c7967656e657261ull, key[1] ^ 0x7465646279746573ull};
    uint64_t last;

    for (i = 0; i + 8 <= len; i += 8) {
        uint64_t m = load_word(p + i);
        v[3] ^= m;
        sip_round(v);
        v[0] ^= m;
    }
    last = load_le64(p + i, len - i) | (uint64_t)len << 56;
    v[3] ^= last;
    sip_round(v);
    v[0] ^= last;
    v[2] ^= 0xff;
    sip_round(v);
    sip_round(v);
    sip_round(v);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
}

static size_t hash_of(const struct strhash *m, const char *s)
{
    return (size_t)siphash13(m->key, s, strlen(s));
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

    if (!old_cap)
        arena_hash_key(m->a, m->key);
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
    s = find(m, key, hash_of(m, key));
    return s->key ? s->value : NULL;
}

void **strhash_slot(struct strhash *m, const char *key)
{
    struct strhash_slot *s;
    size_t h;

    /* At most half full, so probes stay short and one slot is always free. */
    if ((m->n + 1) * 2 > m->cap)
        grow_to(m, m->cap ? m->cap * 2 : 16);
    h = hash_of(m, key);
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

const char *strhash_intern(struct strhash *m, struct arena *a, const char *s, size_t len)
{
    struct strhash_slot *slot;
    size_t h;

    if ((m->n + 1) * 2 > m->cap)
        grow_to(m, m->cap ? m->cap * 2 : 16);
    h = (size_t)siphash13(m->key, s, len);
    slot = find(m, s, h);
    if (!slot->key) {
        slot->key = arena_strndup(a, s, len);
        slot->hash = h;
        slot->value = (void *)slot->key;
        m->n++;
    }
    return slot->key;
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
        char digits[STR_DEC_MAX];
        const char *d = str_dec(digits, len); /* "%zu:", made for every lookup */

        memcpy(out + at, d, (size_t)(digits + STR_DEC_MAX - d));
        at += (size_t)(digits + STR_DEC_MAX - d);
        out[at++] = ':';
        memcpy(out + at, p, len);
        at += len;
    }
    out[at] = '\0';
    return out;
}
