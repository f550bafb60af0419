/*
 * Keyed lists: listType=map (items unique by a key field), listType=set
 * (items unique), the CEL rules that ask for unique names or ports, and
 * address lists, distinct once normalized.
 * Duplicates are found with a hash table (base/strhash.h), so a hostile
 * list of a million items costs a million probes, not 10^12 comparisons.
 */
#include "schema_internal.h"

#include "base/arena.h"
#include "base/cidr.h"
#include "base/compilation.h"

void schema_seen_init(struct seen *t, struct arena *a, size_t n, bool fold_case)
{
    strhash_init(&t->keys, a);
    t->fold_case = fold_case;
    t->on = n >= 2; /* nothing can repeat: no table */
    if (t->on)
        strhash_reserve(&t->keys, n);
}

/* key in ASCII lower case, in the arena (header names compare so). */
static const char *folded(struct arena *a, const char *key)
{
    char *k = arena_strdup(a, key), *c;

    for (c = k; *c; c++) {
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    }
    return k;
}

const struct seen_slot *schema_seen_add(struct seen *t, const char *key,
                                        const struct ynode *at, size_t index)
{
    struct seen_slot *first;
    void **slot;

    if (!t->on)
        return NULL;
    slot = strhash_slot(&t->keys, t->fold_case ? folded(t->keys.a, key) : key);
    if (*slot)
        return *slot;
    first = ARENA_NEW(t->keys.a, struct seen_slot);
    first->key = key;
    first->at = at;
    first->index = index;
    *slot = first;
    return NULL;
}

const struct seen_slot *schema_seen_repeat(struct schema *s, struct seen *t,
                                           const char *key, const struct ynode *at,
                                           size_t index, const char *note,
                                           enum diag_code code, const char *fmt, ...)
{
    const struct seen_slot *first = schema_seen_add(t, key, at, index);
    struct diag *d;
    va_list ap;

    if (!first)
        return NULL;
    va_start(ap, fmt);
    d = schema_vreport(s, code, at, fmt, ap);
    va_end(ap);
    schema_note(s, d, first->at, "%s", note);
    return first;
}

void schema_check_set(struct schema *s, const struct ynode *map, const char *key,
                      const char *const *v, size_t n)
{
    struct seen t;
    size_t i;

    if (n < 2)
        return;
    schema_seen_init(&t, s->c->tree, n, false);
    for (i = 0; i < n; i++) {
        const struct ynode *item = schema_string_item(map, key, i);

        if (item)
            schema_seen_repeat(s, &t, v[i], item, i, "first listed here",
                               DIAG_DUPLICATE_LIST_KEY,
                               "%s lists '%s' more than once; its entries must "
                               "be unique",
                               key, schema_quote(s, v[i]));
    }
}

void schema_check_cidrs(struct schema *s, const struct ynode *map, const char *key,
                        const char *const *v, size_t n)
{
    struct seen seen;
    size_t i;

    schema_seen_init(&seen, s->c->tree, n, false);
    for (i = 0; i < n; i++) {
        const struct ynode *at = schema_string_item(map, key, i);
        struct cidr c;
        const char *why;
        char norm[64];

        if (!at)
            continue;
        if (!cidr_parse(v[i], &c, &why)) {
            if (strstr(why, "after the prefix")) {
                cidr_format(&c, norm);
                schema_report(s, DIAG_POLICY_CIDR, at,
                              "'%s' %s; write %s (nginx would silently widen it)",
                              schema_quote(s, v[i]), why, norm);
            } else {
                schema_report(s, DIAG_POLICY_CIDR, at, "'%s' %s", schema_quote(s, v[i]),
                              why);
            }
            continue;
        }
        cidr_format(&c, norm);
        if (schema_seen_add(&seen, norm, at, i))
            schema_report(s, DIAG_DUPLICATE_LIST_KEY, at, "%s is listed twice in %s",
                          norm, key);
    }
}
