/*
 * A string-keyed hash index for lookups (host groups, paths of a host), so
 * that thousands of hosts and paths convert in linear time.  Only lookups
 * go through it: output order always comes from sorted vectors, never from
 * the table's slot order.
 */
#include "import_internal.h"

#include "base/arena.h"

#include <stdint.h>
#include <string.h>

static uint64_t hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */

    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3u;
    }
    return h;
}

static struct index_slot *slot(const struct index *ix, const char *key)
{
    size_t mask = ix->cap - 1, i = (size_t)hash(key) & mask;

    while (ix->slots[i].key && strcmp(ix->slots[i].key, key) != 0)
        i = (i + 1) & mask;
    return &ix->slots[i];
}

void *imp_index_get(const struct index *ix, const char *key)
{
    return ix->cap ? slot(ix, key)->value : NULL;
}

static void grow(struct arena *a, struct index *ix)
{
    struct index old = *ix;
    size_t i;

    ix->cap = old.cap ? old.cap * 2 : 16;
    ix->slots = ARENA_NEW_ARRAY(a, struct index_slot, ix->cap);
    for (i = 0; i < old.cap; i++) {
        if (old.slots[i].key)
            *slot(ix, old.slots[i].key) = old.slots[i];
    }
}

void imp_index_put(struct arena *a, struct index *ix, const char *key, void *value)
{
    struct index_slot *s;

    if ((ix->n + 1) * 2 > ix->cap) /* at most half full */
        grow(a, ix);
    s = slot(ix, key);
    if (!s->key) {
        s->key = arena_strdup(a, key);
        ix->n++;
    }
    s->value = value;
}
