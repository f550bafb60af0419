/*
 * Hashed ids: maps, policy zones, upstream variants and issued cookies are
 * named by 16 hex digits of FNV-1a over what they describe, so a name stays
 * the same when unrelated parts of the input change and generated configs
 * diff well between commits.
 *
 * FNV-1a is no defence against someone who picks inputs that collide, so an
 * id is only a name, never an identity: the planner remembers the full text
 * behind each id, and when a second text hashes to an id already taken, its
 * hash is hashed again until it is free.  Planning visits its input in one
 * fixed order, so which of the two keeps the plain hash is deterministic.
 */
#include "plan_internal.h"

#include "base/arena.h"
#include "base/strhash.h"

#include <stdint.h>
#include <stdio.h>

/* text: an arena string (the tables keep it). */
const char *plan_id(struct planner *p, const char *text)
{
    void **known = strhash_slot(&p->ids_by_text, text);
    uint64_t h = strhash_fnv1a(STRHASH_FNV_BASIS, text);
    char buf[17];
    const char *id;

    if (*known)
        return *known;
    for (;;) {
        snprintf(buf, sizeof(buf), "%016llx", (unsigned long long)h);
        if (!strhash_get(&p->texts_by_id, buf))
            break;
        h = strhash_fnv1a(h, "\xfe");
    }
    id = arena_strdup(p->a, buf);
    strhash_put(&p->texts_by_id, id, (void *)text);
    *known = (void *)id;
    return id;
}
