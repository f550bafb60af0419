/*
 * Minimum of int64 keys over index ranges, with point updates, each key
 * with a class (for precedence_regex.c, the access-control class of its
 * router): a node keeps its minimum and the minimum among keys of another
 * class than that one's, so that a query can pass over one class for
 * free.  A leaf set to {INT64_MAX, INT64_MAX, TR_MINTREE_NONE} is empty.
 */
#ifndef GWC_IMPORTER_TRAEFIK_MINTREE_H
#define GWC_IMPORTER_TRAEFIK_MINTREE_H

#include <stddef.h>
#include <stdint.h>

struct arena;

#define TR_MINTREE_NONE INT64_MIN /* the class of an empty leaf, and of none */

struct tr_mintree_node {
    int64_t k1, k2; /* k2: the least key of a class other than c1's */
    int64_t c1;
};

struct tr_mintree {
    size_t size; /* leaves: v[size + i] is index i's */
    struct tr_mintree_node *v;
};

/* n empty leaves. */
void tr_mintree_init(struct arena *a, struct tr_mintree *t, size_t n);
/* After setting leaves directly: every inner node. */
void tr_mintree_build(struct tr_mintree *t);
/* Index i empties. */
void tr_mintree_kill(struct tr_mintree *t, size_t i);
/* The first index in [lo, hi) whose key is below lim and whose class is
 * not c, or hi: O(log n) per index passed over of another class. */
size_t tr_mintree_first_below(const struct tr_mintree *t, size_t lo, size_t hi,
                              int64_t lim, int64_t c);

#endif
