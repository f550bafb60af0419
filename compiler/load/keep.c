/*
 * Copies that outlive a file's trees: the whole tree of a document whose
 * nodes later stages navigate, or only the nodes a decoded object points
 * at (struct ynode_keeper), so that the trees of a repository's Services
 * and EndpointSlices need not stay in memory until the end.
 */
#include "load_internal.h"

#include "base/arena.h"

#include <stdlib.h>
#include <string.h>

const struct ynode *ynode_copy(struct arena *a, const struct ynode *n)
{
    struct ynode *copy;
    uint32_t i;

    if (!n)
        return NULL;
    copy = ARENA_NEW(a, struct ynode);
    *copy = *n;
    if (n->kind == YNODE_SCALAR || n->n == 0)
        return copy;
    copy->items = ARENA_NEW_ARRAY(a, struct ynode *, n->n);
    for (i = 0; i < n->n; i++) {
        struct ynode *child = (struct ynode *)ynode_copy(a, n->items[i]);
        child->parent = copy;
        copy->items[i] = child;
    }
    return copy;
}

/* An original and its copy. */
struct kept {
    const struct ynode *from;
    struct ynode *to;
};

struct ynode_keeper {
    struct arena *a;
    struct kept *slots; /* open addressing on 'from' */
    size_t cap;         /* a power of two */
    struct kept *order; /* the kept pairs, in the order kept */
    size_t n, order_cap;
};

static void *xrealloc(void *p, size_t n, size_t size)
{
    void *q = n > SIZE_MAX / size ? NULL : realloc(p, n * size);

    if (!q)
        arena_die_oom(n * size);
    return q;
}

struct ynode_keeper *ynode_keeper_create(struct arena *a)
{
    struct ynode_keeper *k = calloc(1, sizeof(*k));

    if (!k)
        arena_die_oom(sizeof(*k));
    k->a = a;
    k->cap = 64;
    k->slots = calloc(k->cap, sizeof(*k->slots));
    if (!k->slots)
        arena_die_oom(k->cap * sizeof(*k->slots));
    return k;
}

void ynode_keeper_destroy(struct ynode_keeper *k)
{
    if (!k)
        return;
    free(k->slots);
    free(k->order);
    free(k);
}

static size_t slot_of(const struct ynode_keeper *k, const struct ynode *n)
{
    uintptr_t h = (uintptr_t)n;

    h ^= h >> 17;
    h *= (uintptr_t)0x9e3779b97f4a7c15u;
    return (size_t)(h >> 7) & (k->cap - 1);
}

static struct kept *find(struct ynode_keeper *k, const struct ynode *n)
{
    size_t i = slot_of(k, n);

    while (k->slots[i].from && k->slots[i].from != n)
        i = (i + 1) & (k->cap - 1);
    return &k->slots[i];
}

/* Twice the slots once half are used, from the pairs in order. */
static void grow(struct ynode_keeper *k)
{
    size_t i;

    free(k->slots);
    k->cap *= 2;
    k->slots = calloc(k->cap, sizeof(*k->slots));
    if (!k->slots)
        arena_die_oom(k->cap * sizeof(*k->slots));
    for (i = 0; i < k->n; i++)
        *find(k, k->order[i].from) = k->order[i];
}

struct ynode *load_pruned_copy(struct arena *a, const struct ynode *n)
{
    struct ynode *copy;

    if (n->kind == YNODE_SCALAR) {
        copy = ARENA_NEW(a, struct ynode);
        *copy = *n;
        return copy;
    }
#ifdef GWC_ARENA_DEBUG
    {
        struct ynode_pruned *p = ARENA_NEW(a, struct ynode_pruned);
        uint32_t i;

        p->n = n->n;
        if (n->kind == YNODE_MAP && n->n) {
            p->keys = ARENA_NEW_ARRAY(a, const char *, n->n);
            for (i = 0; i < n->n; i++)
                p->keys[i] = n->items[i]->key; /* the texts outlive the tree */
        }
        copy = &p->node;
    }
#else
    copy = ARENA_NEW(a, struct ynode);
#endif
    *copy = *n;
    copy->pruned = 1;
    copy->n = 0;
    copy->items = NULL;
    return copy;
}

const struct ynode *ynode_keeper_keep(struct ynode_keeper *k, const struct ynode *n)
{
    struct kept *slot;
    struct ynode *copy;

    if (!n)
        return NULL;
    slot = find(k, n);
    if (slot->from)
        return slot->to;
    copy = load_pruned_copy(k->a, n);
    slot->from = n;
    slot->to = copy;
    if (k->n == k->order_cap) {
        k->order_cap = k->order_cap ? 2 * k->order_cap : 64;
        k->order = xrealloc(k->order, k->order_cap, sizeof(*k->order));
    }
    k->order[k->n++] = *slot;
    if (2 * k->n > k->cap)
        grow(k);
    /* After the pair is recorded: the parent's copy may grow the table. */
    copy->parent = ynode_keeper_keep(k, n->parent);
    return copy;
}

const struct ynode *ynode_keeper_kept(struct ynode_keeper *k, const struct ynode *n)
{
    return n ? find(k, n)->to : NULL;
}

/* Children by parent, then in the order of the original. */
static int cmp_children(const void *pa, const void *pb)
{
    const struct kept *a = pa, *b = pb;
    uint32_t ka, kb;

    if (a->to->parent != b->to->parent)
        return (uintptr_t)a->to->parent < (uintptr_t)b->to->parent ? -1 : 1;
    ka = a->from->parent->kind == YNODE_SEQ ? a->from->index : a->from->key_pos;
    kb = b->from->parent->kind == YNODE_SEQ ? b->from->index : b->from->key_pos;
    return ka < kb ? -1 : ka > kb;
}

/* An object keeps a dozen nodes or so (an HTTPRoute of three rules about
 * 40), nearly in order: insertion sort there (qsort's call per comparison
 * and its buffer cost more than the sorting), qsort beyond, so a large
 * object cannot make it quadratic. */
static void sort_children(struct kept *v, size_t m)
{
    size_t i, j;

    if (m > 64) {
        qsort(v, m, sizeof(*v), cmp_children);
        return;
    }
    for (i = 1; i < m; i++) {
        struct kept x = v[i];

        for (j = i; j > 0 && cmp_children(&v[j - 1], &x) > 0; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

void ynode_keeper_end(struct ynode_keeper *k)
{
    size_t i, j, m = 0;

    for (i = 0; i < k->n; i++) {
        if (k->order[i].from->parent)
            k->order[m++] = k->order[i];
    }
    sort_children(k->order, m);
    for (i = 0; i < m; i = j) {
        struct ynode *parent = (struct ynode *)k->order[i].to->parent;
        const struct ynode *orig = k->order[i].from->parent;

        for (j = i; j < m && k->order[j].to->parent == parent; j++)
            ;
        if (orig->kind == YNODE_SEQ && j - i != orig->n)
            continue; /* positions would shift */
        parent->items = ARENA_NEW_ARRAY(k->a, struct ynode *, j - i);
        parent->n = (uint32_t)(j - i);
        for (; i < j; i++)
            parent->items[parent->n - (j - i)] = k->order[i].to;
    }
    /* The table back to its first size: one large object does not make
     * every later one clear a large table. */
    if (k->cap > 64) {
        free(k->slots);
        k->cap = 64;
        k->slots = calloc(k->cap, sizeof(*k->slots));
        if (!k->slots)
            arena_die_oom(k->cap * sizeof(*k->slots));
    } else {
        memset(k->slots, 0, k->cap * sizeof(*k->slots));
    }
    k->n = 0;
}
