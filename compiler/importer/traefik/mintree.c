/* The range tree of mintree.h: a complete binary tree in one array, the
 * root at 1, node i's children at 2i and 2i + 1. */
#include "mintree.h"

#include "base/arena.h"

static const struct tr_mintree_node empty = {INT64_MAX, INT64_MAX, TR_MINTREE_NONE};

void tr_mintree_init(struct arena *a, struct tr_mintree *t, size_t n)
{
    size_t i;

    for (t->size = 1; t->size < n; t->size *= 2)
        ;
    t->v = ARENA_NEW_ARRAY(a, struct tr_mintree_node, 2 * t->size);
    for (i = 0; i < 2 * t->size; i++)
        t->v[i] = empty;
}

/* The least key of node n whose class is not c. */
static int64_t other(const struct tr_mintree_node *n, int64_t c)
{
    return n->c1 != c ? n->k1 : n->k2;
}

static void pull(struct tr_mintree *t, size_t i)
{
    const struct tr_mintree_node *a = &t->v[2 * i], *b = &t->v[2 * i + 1];
    struct tr_mintree_node *n = &t->v[i];
    int64_t x, y;

    *n = a->k1 <= b->k1 ? *a : *b;
    x = other(a, n->c1);
    y = other(b, n->c1);
    n->k2 = x < y ? x : y;
}

void tr_mintree_kill(struct tr_mintree *t, size_t i)
{
    i += t->size;
    t->v[i] = empty;
    for (i /= 2; i; i /= 2)
        pull(t, i);
}

void tr_mintree_build(struct tr_mintree *t)
{
    size_t i;

    for (i = t->size - 1; i; i--)
        pull(t, i);
}

/* first_below within node, which covers [nlo, nhi). */
static size_t first(const struct tr_mintree *t, size_t node, size_t nlo, size_t nhi,
                    size_t lo, size_t hi, int64_t lim, int64_t c)
{
    size_t mid, f;

    if (nhi <= lo || hi <= nlo || other(&t->v[node], c) >= lim)
        return hi;
    if (nhi - nlo == 1)
        return nlo;
    mid = nlo + (nhi - nlo) / 2;
    f = first(t, 2 * node, nlo, mid, lo, hi, lim, c);
    return f < hi ? f : first(t, 2 * node + 1, mid, nhi, lo, hi, lim, c);
}

size_t tr_mintree_first_below(const struct tr_mintree *t, size_t lo, size_t hi,
                              int64_t lim, int64_t c)
{
    return first(t, 1, 0, t->size, lo, hi, lim, c);
}
