/*
 * Stage 1: bytes to positioned YAML trees.
 *
 * Files, directories (recursive, *.yaml|*.yml|*.json, sorted) and standard
 * input ("-") are read, checked for hostile content and parsed with libyaml's
 * event API into small trees in the compilation's arena.  Every node keeps
 * its libyaml mark; ynode_loc() turns it into a user position.
 */
#ifndef GWC_LOAD_H
#define GWC_LOAD_H

#include "base/source.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct compilation;
struct strbuf;

enum ynode_kind { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

/* How a scalar reads as JSON (YAML 1.1 resolution, as kubectl applies it). */
enum yscalar {
    YSCALAR_STRING,
    YSCALAR_NULL,
    YSCALAR_BOOL,
    YSCALAR_INT,       /* decimal integer */
    YSCALAR_INT_OTHER, /* 0x1F, 0o17, 017, 1_000: an integer, but unclear */
    YSCALAR_FLOAT,
};

/* 40 bytes: a repository of 100,000 routes has tens of millions of these.
 * A position is libyaml's mark index, the number of characters before the
 * node in its text (after a BOM): one number instead of line and column,
 * which ynode_loc() turns into the user's line and column. */
struct ynode {
    uint8_t kind; /* enum ynode_kind */
    union {
        uint8_t scalar; /* enum yscalar, for scalars */
        /* For a mapping or sequence: 1 when it is a pruned copy (struct
         * ynode_keeper), which lists its kept children only. */
        uint8_t pruned;
    };
    union {
        uint32_t n;   /* sequence items, or mapping values */
        uint32_t len; /* scalar length in bytes */
    };
    uint32_t pos; /* libyaml mark index: characters before the node */
    union {
        uint32_t key_pos; /* in a mapping: the mark index of the key */
        uint32_t index;   /* in a sequence: the position */
        uint32_t file;    /* a document root: its file (see ynode_file()) */
    };
    const struct ynode *parent; /* NULL for a document root */
    const char *key;            /* in a mapping: the key of this value */
    union {
        const char *text;     /* scalar text (NUL-terminated) */
        struct ynode **items; /* children of a sequence or mapping */
    };
};

struct ydoc {
    const struct ynode *root; /* always a mapping (after load_inputs) */
    uint32_t file;
    uint32_t index; /* document number in its file, from 0 */
};

struct ydoc_list {
    struct ydoc *v;
    size_t n, cap;
};

struct load_limits {
    size_t max_file_bytes;
    unsigned max_depth;
    size_t max_nodes; /* per document */
};

extern const struct load_limits load_default_limits;

/* What a load leaves out, and what it reads besides its paths. */
struct load_scope {
    /* Globs (base/glob.h) that leave files out: in a directory walk,
     * matched against paths relative to the walked directory (an excluded
     * directory is not entered); a file named as a path, against the path
     * as given. */
    const char *const *exclude;
    size_t n_exclude;
    /* Paths read only to resolve references (--context): their sources
     * are marked context.  A file is read once, whichever paths name it. */
    const char *const *context;
    size_t n_context;
    /* Any YAML of mappings (the settings file), not manifests: no file is
     * skipped as a template or as holding no Kubernetes object. */
    bool plain;
    /* A file never read as a manifest (the settings file), or NULL. */
    const char *skip;
    /* When set, called with documents as they are parsed (one at a
     * time once their file is known to hold manifests) instead of
     * appending them to out: their trees live until it returns, then
     * their memory holds the next ones'.  What must outlive the call is
     * copied (ynode_copy(), struct ynode_keeper), so the trees of all the
     * documents are never in memory at once. */
    void (*each_document)(void *ctx, const struct ydoc_list *docs);
    void *each_document_ctx;
};

/*
 * Loads every path (scope may be NULL).  Problems with the text are
 * reported to c->diags; unreadable paths are DCLASS_INPUT errors.  A file
 * none of whose documents has two of apiVersion, kind and metadata, and a
 * Helm template ("{{" outside every string), are skipped with a note.  Returns false if
 * any error was reported.
 */
bool load_inputs(struct compilation *c, const struct load_limits *lim,
                 const char *const *paths, size_t n_paths,
                 const struct load_scope *scope, struct ydoc_list *out);
/* Loads one in-memory text as plain YAML (tests, fuzzing, the benchmark
 * baseline). */
bool load_buffer(struct compilation *c, const struct load_limits *lim,
                 const char *name, const char *data, size_t len,
                 struct ydoc_list *out);

/* Tree access.  In the arena_debug build, asking a pruned mapping for a
 * key its original had but the keeper dropped is a BUG(): the answer
 * would silently be "absent" (a row that a later lookup reads needs
 * FIELD_KEEP_NODE); so is asking a pruned sequence for an item. */
const struct ynode *ynode_get(const struct ynode *map, const char *key);
/* Item i of the list map.key, the node a diagnostic about the model's
 * item i points at; map itself when map.key is not a list that long.  The
 * model's count of a list need not be the tree's: of a duplicate key
 * (reported), decoding keeps one occurrence and ynode_get finds another. */
const struct ynode *ynode_item(const struct ynode *map, const char *key, size_t i);
/* A YAML 1.1 boolean scalar's value: y, yes, true, on (any listed case)
 * are true. */
bool ynode_bool_value(const struct ynode *n);
bool ynode_is_null(const struct ynode *n);
/* "string", "integer", "boolean", "null", "number", "list", "mapping". */
const char *ynode_type_name(const struct ynode *n);
/* Kubernetes field path of n below its document (or List item) root. */
void ynode_path(const struct ynode *n, struct strbuf *out);
/* The file a node was read from. */
uint32_t ynode_file(const struct ynode *n);
/* A copy of n, in the arena a, that outlives the trees
 * (compilation_drop_tree()): its kind, value (a scalar's text lives in the
 * compilation's arena), position and field path, without its children.
 * For the few nodes read after planning. */
const struct ynode *ynode_keep(struct arena *a, const struct ynode *n);
/* A copy of the tree under n, in a, whose root has n's parent. */
const struct ynode *ynode_copy(struct arena *a, const struct ynode *n);

/*
 * What is left of a tree once its values are decoded: the nodes the model
 * points at (for positions and field paths, ynode_loc() and ynode_path()),
 * their ancestors, each kept once, and no other.  A kept mapping lists
 * its kept children, so ynode_get() finds those; a kept sequence lists its
 * items only when all of them are kept, since ynode_item() counts them.
 * Copies go to one arena; each object's nodes are kept, then ended
 * (ynode_keeper_end()) before the next object's.
 */
struct ynode_keeper;
struct ynode_keeper *ynode_keeper_create(struct arena *a);
void ynode_keeper_destroy(struct ynode_keeper *k);
/* The copy of n (NULL for NULL), made on first sight. */
const struct ynode *ynode_keeper_keep(struct ynode_keeper *k, const struct ynode *n);
/* The copy of n kept already (as a node or an ancestor of one), or NULL. */
const struct ynode *ynode_keeper_kept(struct ynode_keeper *k, const struct ynode *n);
/* Gives the kept nodes their kept children and forgets the originals. */
void ynode_keeper_end(struct ynode_keeper *k);

/* The user position of a node, and of the key of a mapping value. */
struct src_loc ynode_loc(const struct compilation *c, const struct ynode *n);
struct src_loc ynode_key_loc(const struct compilation *c,
                             const struct ynode *value);

#endif
