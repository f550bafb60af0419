/*
 * Pruning a decoded object's tree: every node pointer its table's rows
 * store (each struct's src, a map entry's, an int-or-string's, a raw
 * FT_NODE with all below it) moves to a kept copy, and the rest of the
 * tree can go.  Diagnostics read positions and field paths through those
 * pointers, which the copies keep.
 */
#include "tables.h"

static void keep_all(struct ynode_keeper *k, const struct ynode **n)
{
    const struct ynode *orig = *n;
    uint32_t i;

    if (!orig)
        return;
    *n = ynode_keeper_keep(k, orig);
    for (i = 0; orig->kind != YNODE_SCALAR && i < orig->n; i++) {
        const struct ynode *child = orig->items[i];
        keep_all(k, &child);
    }
}

/* A struct whose table says its node is unread loses it, and so do its
 * map entries and int-or-string values (unread is set): NULL, or in the
 * arena_debug build the original, freed with its document's tree, so that
 * AddressSanitizer reports a read the table did not foresee. */
static const struct ynode *drop(const struct ynode *n)
{
#ifdef GWC_ARENA_DEBUG
    return n;
#else
    (void)n;
    return NULL;
#endif
}

static void keep_field(struct ynode_keeper *k, const struct field *f, char *base,
                       bool unread)
{
    char *p = base + f->offset;
    size_t i, n;

    switch (f->type) {
    case FT_OBJECT:
        model_keep_nodes(k, f->sub, p);
        return;
    case FT_OBJECT_PTR:
        /* The shared empty instance points at no node. */
        if (*(void **)p)
            model_keep_nodes(k, f->sub, *(void **)p);
        return;
    case FT_LIST:
        n = *(size_t *)(base + f->count_offset);
        for (i = 0; i < n; i++)
            model_keep_nodes(k, f->sub, *(char **)p + i * f->sub->size);
        return;
    case FT_MAP: {
        struct strmap *m = (struct strmap *)p;
        for (i = 0; i < m->n; i++)
            m->v[i].src = unread ? drop(m->v[i].src) : ynode_keeper_keep(k, m->v[i].src);
        return;
    }
    case FT_INT_OR_STRING: {
        struct int_or_string *is = (struct int_or_string *)p;
        is->src = unread ? drop(is->src) : ynode_keeper_keep(k, is->src);
        return;
    }
    case FT_NODE:
        keep_all(k, (const struct ynode **)p);
        return;
    default:
        return;
    }
}

void model_keep_nodes(struct ynode_keeper *k, const struct table *t, void *base)
{
    const struct ynode **src = (const struct ynode **)((char *)base + t->src_offset);
    const struct ynode *orig = *src, *kept;
    const struct field *f;

    if (orig && !t->src_unread) {
        *src = ynode_keeper_keep(k, orig);
        for (f = t->fields; f->key; f++) {
            const struct ynode *n;
            if (!(f->flags & FIELD_KEEP_NODE))
                continue;
            /* A list of scalars keeps its items, which ynode_item() counts. */
            n = ynode_get(orig, f->key);
            if (n && n->kind == YNODE_SEQ)
                keep_all(k, &n);
            else
                ynode_keeper_keep(k, n);
        }
    }
    for (f = t->fields; f->key; f++)
        keep_field(k, f, base, t->src_unread);
    /* An ancestor of what its fields kept is kept anyway. */
    if (orig && t->src_unread)
        *src = (kept = ynode_keeper_kept(k, orig)) ? kept : drop(orig);
}
