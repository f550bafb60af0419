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

/* text may be a temporary: it is copied only when its id is new, so the
 * many lookups of a known text allocate nothing. */
const char *plan_id(struct planner *p, const char *text)
{
    const char *id = strhash_get(&p->ids_by_text, text);
    uint64_t h;
    char buf[17];

    if (id)
        return id;
    text = arena_strdup(p->a, text);
    h = strhash_fnv1a(STRHASH_FNV_BASIS, text);
    for (;;) {
        snprintf(buf, sizeof(buf), "%016llx", (unsigned long long)h);
        if (!strhash_get(&p->texts_by_id, buf))
            break;
        h = strhash_fnv1a(h, "\xfe");
    }
    id = arena_strdup(p->a, buf);
    strhash_put(&p->texts_by_id, id, (void *)text);
    strhash_put(&p->ids_by_text, text, (void *)id);
    return id;
}
