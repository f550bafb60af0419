/*
 * String maps (labels, annotations, Secret data): sorted once after
 * decoding, then searched by bisection.
 */
#include "tables.h"

#include "base/arena.h"

#include <stdlib.h>
#include <string.h>

/* Merges the sorted runs v[0..mid) and v[mid..n) through tmp; on equal
 * keys the left run goes first, which keeps the sort stable. */
static size_t merge(struct strmap_entry *v, size_t mid, size_t n,
                    struct strmap_entry *tmp)
{
    size_t i = 0, j = mid, k = 0, compares = 0;

    while (i < mid && j < n) {
        compares++;
        tmp[k++] = strcmp(v[j].key, v[i].key) < 0 ? v[j++] : v[i++];
    }
    while (i < mid)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof(*v));
    return compares;
}

static size_t merge_sort(struct strmap_entry *v, size_t n, struct strmap_entry *tmp)
{
    size_t mid = n / 2, compares;

    if (n < 2)
        return 0;
    compares = merge_sort(v, mid, tmp) + merge_sort(v + mid, n - mid, tmp);
    /* Already in order (the common case: maps written sorted): no merge. */
    if (strcmp(v[mid].key, v[mid - 1].key) >= 0)
        return compares + 1;
    return compares + 1 + merge(v, mid, n, tmp);
}

size_t model_strmap_sort(struct strmap *m)
{
    struct strmap_entry *tmp;
    size_t compares;

    if (m->n < 2)
        return 0;
    tmp = malloc(m->n * sizeof(*tmp));
    if (!tmp)
        arena_die_oom(m->n * sizeof(*tmp));
    compares = merge_sort(m->v, m->n, tmp);
    free(tmp);
    return compares;
}

const char *model_strmap_get(const struct strmap *m, const char *key)
{
    size_t lo = 0, hi = m->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->v[mid].key, key);
        if (c == 0)
            return m->v[mid].value;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
