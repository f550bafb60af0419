/*
 * A string-keyed hash index for lookups (host groups, paths of a host), so
 * that thousands of hosts and paths convert in linear time.  Only lookups
 * go through it: output order always comes from sorted vectors, never from
 * the table's slot order.
 */
#include "import_internal.h"

#include "base/arena.h"

void *imp_index_get(const struct index *ix, const char *key)
{
    return strhash_get(&ix->h, key);
}

void imp_index_put(struct arena *a, struct index *ix, const char *key, void *value)
{
    if (!ix->h.a)
        strhash_init(&ix->h, a);
    /* A new key is copied: the table keeps it, the caller's may be a buffer. */
    if (!strhash_get(&ix->h, key))
        key = arena_strdup(a, key);
    *strhash_slot(&ix->h, key) = value;
}
