/* Shared between the files of the load stage only. */
#ifndef GWC_LOAD_INTERNAL_H
#define GWC_LOAD_INTERNAL_H

#include "load.h"

bool load_prescan(struct compilation *c, uint32_t file, const char *data,
                  size_t len);
enum yscalar load_resolve_plain(const char *s, size_t n);
/* Called after each document load_parse() ends (whether or not it
 * appended one): returns true when it took the documents out of the list
 * and reset the arena of their trees, c->tree, which the parser then
 * stops allocating from where it was. */
struct load_doc_hook {
    bool (*document_end)(void *ctx);
    void *ctx;
};

/* Appends the file's documents to out; a document whose root is not a
 * mapping is appended too, for load.c to judge.  hook may be NULL. */
bool load_parse(struct compilation *c, const struct load_limits *lim,
                uint32_t file, struct ydoc_list *out, const struct load_doc_hook *hook);
/* Whether the text is a Helm template: "{{" outside every string; *offset
 * receives the first one's (template.c). */
bool load_find_template(const char *data, size_t len, size_t *offset);

/* In the arena_debug build, a pruned copy of a mapping or sequence
 * (keep.c) is allocated as this, so that ynode_get() and ynode_item() can
 * tell a dropped child from one the original never had. */
struct ynode_pruned {
    struct ynode node;
    const char **keys; /* a mapping's original keys */
    uint32_t n;        /* the original's children */
};
/* A copy of n without its children (marked pruned, unless a scalar),
 * which the caller gives the children it keeps, if any. */
struct ynode *load_pruned_copy(struct arena *a, const struct ynode *n);

#endif
