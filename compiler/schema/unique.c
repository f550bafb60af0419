/*
 * Keyed lists: listType=map (items unique by a key field), listType=set
 * (items unique) and the CEL rules that ask for unique names or ports.
 * Duplicates are found with a small open-addressing table in the arena, so
 * a hostile list of a million items costs a million probes, not 10^12
 * comparisons.
 */
#include "schema_internal.h"

#include "base/arena.h"
#include "base/compilation.h"

static unsigned char fold(unsigned char ch, bool fold_case)
{
    return fold_case && ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch - 'A' + 'a')
                                               : ch;
}

/* FNV-1a */
static size_t hash(const char *key, bool fold_case)
{
    uint64_t h = 14695981039346656037u;

    for (; *key; key++) {
        h ^= fold((unsigned char)*key, fold_case);
        h *= 1099511628211u;
    }
    return (size_t)h;
}

static bool same(const char *a, const char *b, bool fold_case)
{
    for (; *a && fold((unsigned char)*a, fold_case) ==
                     fold((unsigned char)*b, fold_case);
         a++, b++) {
    }
    return *a == '\0' && *b == '\0';
}

void schema_seen_init(struct seen *t, struct arena *a, size_t n, bool fold_case)
{
    size_t cap = 8;

    t->slot = NULL;
    t->mask = 0;
    t->used = 0;
    t->fold_case = fold_case;
    if (n < 2)
        return; /* nothing can repeat: no table */
    while (cap < 2 * n) /* at most half full: probes stay short */
        cap *= 2;
    t->slot = ARENA_NEW_ARRAY(a, struct seen_slot, cap);
    t->mask = cap - 1;
}

const struct seen_slot *schema_seen_add(struct seen *t, const char *key,
                                        const struct ynode *at, size_t index)
{
    size_t i;

    if (!t->slot)
        return NULL;
    i = hash(key, t->fold_case) & t->mask;
    for (; t->slot[i].key; i = (i + 1) & t->mask) {
        if (same(t->slot[i].key, key, t->fold_case))
            return &t->slot[i];
    }
    if (2 * ++t->used > t->mask + 1)
        BUG("seen table sized for fewer keys");
    t->slot[i].key = key;
    t->slot[i].at = at;
    t->slot[i].index = index;
    return NULL;
}

void schema_check_set(struct schema *s, const struct ynode *map, const char *key,
                      const char *const *v, size_t n)
{
    struct seen t;
    size_t i;

    if (n < 2)
        return;
    schema_seen_init(&t, s->c->arena, n, false);
    for (i = 0; i < n; i++) {
        const struct ynode *item = schema_string_item(map, key, i);
        const struct seen_slot *first;
        struct diag *d;

        if (!item || !(first = schema_seen_add(&t, v[i], item, i)))
            continue;
        d = schema_report(s, DIAG_DUPLICATE_LIST_KEY, item,
                          "%s lists '%s' more than once; its entries must be "
                          "unique",
                          key, schema_quote(s, v[i]));
        schema_note(s, d, first->at, "first listed here");
    }
}
