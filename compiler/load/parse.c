/*
 * libyaml events to a positioned tree, one document at a time.
 *
 * Hostile input stops here: an alias is refused at its first appearance (an
 * alias bomb costs nothing), nesting is capped before our own recursive code
 * could overflow the stack (libyaml itself has no limit in 0.2.5), and
 * duplicate keys, which libyaml accepts silently, are errors.
 */
#include "load_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/strbuf.h"
#include "base/strhash.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct frame {
    struct ynode *node;
    size_t first_child; /* index in the scratch list */
    const char *key;    /* mapping: a key waiting for its value, or NULL */
    uint32_t key_pos;
};

/* Texts met lately, by a cheap unkeyed hash: a file repeats its keys and
 * most values, and the keyed table (strhash) costs a SipHash each time.
 * Names chosen to collide here only miss the cache, whose slot is
 * overwritten, and go to the table: nothing is ever scanned. */
#define TEXT_CACHE_BITS 10
#define TEXT_CACHE (1u << TEXT_CACHE_BITS)

struct text_seen {
    const char *text; /* the table's copy, or NULL */
    size_t len;
    uint64_t head; /* its first 8 bytes (fewer: zero-padded) */
};

struct builder {
    struct compilation *c;
    const struct load_limits *lim;
    uint32_t file;
    struct frame *stack;
    size_t depth, stack_cap;
    struct ynode **scratch;
    size_t n_scratch, scratch_cap;
    struct ynode *root;
    struct ynode *spare; /* nodes taken from the arena ahead, zeroed */
    size_t n_spare;
    size_t nodes;
    /* Every key and scalar text once: a file repeats a few dozen keys and
     * most values (names, ports, namespaces, "true"); a tenth of the
     * scalar bytes at 10k routes is unique.  The table is the file's only. */
    struct arena *texts_arena;
    struct strhash texts;
    struct text_seen recent[TEXT_CACHE];
    bool failed;
};

static struct src_loc mark_loc(const struct builder *b, yaml_mark_t m)
{
    return source_loc_from_mark(&b->c->sources, b->file, m.line, m.column);
}

static void push_scratch(struct builder *b, struct ynode *n)
{
    if (b->n_scratch == b->scratch_cap) {
        size_t cap = b->scratch_cap ? b->scratch_cap * 2 : 256;
        struct ynode **v = realloc(b->scratch, cap * sizeof(*v));
        if (!v)
            arena_die_oom(cap * sizeof(*v));
        b->scratch = v;
        b->scratch_cap = cap;
    }
    b->scratch[b->n_scratch++] = n;
}

/* Nodes come from the arena a run at a time: one allocation (and one
 * clearing of reused memory) per NODE_RUN nodes, not per node.  A short
 * run: the arena is reset after each document (a route has about 60
 * nodes), and the nodes a run leaves unused were cleared for nothing
 * (256 cleared 10 KiB per document).  One at a time in the debug build,
 * where each allocation is its own for AddressSanitizer to fence. */
#ifdef GWC_ARENA_DEBUG
#define NODE_RUN 1
#else
#define NODE_RUN 32
#endif

static struct ynode *new_node(struct builder *b, enum ynode_kind kind,
                              yaml_mark_t m)
{
    struct ynode *n;

    if (b->n_spare == 0) {
        b->spare = ARENA_NEW_ARRAY(b->c->tree, struct ynode, NODE_RUN);
        b->n_spare = NODE_RUN;
    }
    n = b->spare++;
    b->n_spare--;

    n->kind = (uint8_t)kind;
    n->file = b->file; /* kept by a root; attach() reuses the field */
    n->pos = (uint32_t)m.index;
    return n;
}

/* The next node completes no key: it is a mapping key itself. */
static bool is_key(const struct builder *b)
{
    return b->depth > 0 && b->stack[b->depth - 1].node->kind == YNODE_MAP &&
           !b->stack[b->depth - 1].key;
}

/* Places a finished-or-opened node under the innermost open container.
 * Keys never become nodes: a value carries its key's text and mark. */
static void attach(struct builder *b, struct ynode *n)
{
    struct frame *top;

    if (b->depth == 0) {
        b->root = n;
        return;
    }
    top = &b->stack[b->depth - 1];
    n->parent = top->node;
    if (top->node->kind == YNODE_SEQ) {
        n->index = (uint32_t)(b->n_scratch - top->first_child);
    } else {
        n->key = top->key;
        n->key_pos = top->key_pos;
        top->key = NULL;
    }
    push_scratch(b, n);
}

static int cmp_key_text(const void *pa, const void *pb)
{
    const struct ynode *a = *(struct ynode *const *)pa;
    const struct ynode *b = *(struct ynode *const *)pb;
    int c;

    c = strcmp(a->key, b->key);
    if (c)
        return c;
    /* Equal keys: earlier position first, so we report the second one. */
    return a->key_pos < b->key_pos ? -1 : a->key_pos > b->key_pos;
}

static void report_duplicate(struct builder *b, const struct ynode *first,
                             const struct ynode *again)
{
    struct strbuf path = STRBUF_INIT;
    struct diag *d;

    ynode_path(again, &path);
    d = diag_report(&b->c->diags, DIAG_YAML_DUPLICATE_KEY,
                    ynode_key_loc(b->c, again), NULL, path.buf,
                    "duplicate key '%s'", again->key);
    diag_add_note(&b->c->diags, d, ynode_key_loc(b->c, first),
                  "'%s' first appears here", first->key);
    strbuf_release(&path);
}

/* Pairwise for small mappings, sort-based beyond, so a mapping with many
 * keys cannot make the check quadratic.  Keys are interned per file
 * (text_once()): equal keys are the same pointer. */
static bool check_duplicates(struct builder *b, struct ynode *map)
{
    size_t i, j;
    bool ok = true;

    if (map->n <= 16) {
        for (i = 1; i < map->n; i++) {
            for (j = 0; j < i; j++) {
                if (map->items[i]->key == map->items[j]->key) {
                    report_duplicate(b, map->items[j], map->items[i]);
                    ok = false;
                    break;
                }
            }
        }
        return ok;
    }
    {
        struct ynode **sorted = malloc(map->n * sizeof(*sorted));
        if (!sorted)
            arena_die_oom(map->n * sizeof(*sorted));
        memcpy(sorted, map->items, map->n * sizeof(*sorted));
        qsort(sorted, map->n, sizeof(*sorted), cmp_key_text);
        for (i = 1; i < map->n; i++) {
            if (strcmp(sorted[i]->key, sorted[i - 1]->key) == 0) {
                report_duplicate(b, sorted[i - 1], sorted[i]);
                ok = false;
            }
        }
        free(sorted);
    }
    return ok;
}

static bool open_container(struct builder *b, enum ynode_kind kind,
                           yaml_mark_t m)
{
    struct ynode *n;

    if (b->depth >= b->lim->max_depth) {
        diag_report(&b->c->diags, DIAG_YAML_DEPTH, mark_loc(b, m), NULL, NULL,
                    "nesting deeper than %u levels", b->lim->max_depth);
        return false;
    }
    if (is_key(b)) {
        diag_report(&b->c->diags, DIAG_YAML_COMPLEX_KEY, mark_loc(b, m), NULL,
                    NULL, "a mapping key must be a plain string");
        return false;
    }
    n = new_node(b, kind, m);
    attach(b, n);
    if (b->depth == b->stack_cap) {
        size_t cap = b->stack_cap ? b->stack_cap * 2 : 16;
        struct frame *s = realloc(b->stack, cap * sizeof(*s));
        if (!s)
            arena_die_oom(cap * sizeof(*s));
        b->stack = s;
        b->stack_cap = cap;
    }
    b->stack[b->depth].node = n;
    b->stack[b->depth].first_child = b->n_scratch;
    b->stack[b->depth].key = NULL;
    b->depth++;
    return true;
}

static bool close_container(struct builder *b)
{
    struct frame *f = &b->stack[--b->depth];
    struct ynode *n = f->node;
    size_t count = b->n_scratch - f->first_child;

    n->n = (uint32_t)count;
    if (count) {
        n->items = ARENA_NEW_ARRAY(b->c->tree, struct ynode *, count);
        memcpy(n->items, b->scratch + f->first_child, count * sizeof(*n->items));
    }
    b->n_scratch = f->first_child;
    if (n->kind == YNODE_MAP && !check_duplicates(b, n))
        b->failed = true; /* keep parsing: report every duplicate */
    return true;
}

static bool tag_is(const yaml_char_t *tag, const char *name)
{
    return tag && strcmp((const char *)tag, name) == 0;
}

/* Where in the source a double-quoted scalar spells a NUL: \0, \x00,
 * \u0000 or \U00000000 (the file itself holds no NUL byte: prescan). */
static struct src_loc nul_escape(const struct builder *b, const yaml_event_t *ev)
{
    static const char *const spellings[] = {"\\0", "\\x00", "\\u0000", "\\U00000000"};
    struct src_loc start = mark_loc(b, ev->start_mark), end = mark_loc(b, ev->end_mark);
    const char *data = source_get(&b->c->sources, b->file)->data;
    size_t i, k;

    for (i = start.offset; i < end.offset; i++) {
        if (data[i] != '\\')
            continue;
        for (k = 0; k < ARRAY_SIZE(spellings); k++) {
            if (strncmp(data + i, spellings[k], strlen(spellings[k])) == 0)
                return source_loc_from_offset(&b->c->sources, b->file, i);
        }
        i++; /* an escaped character, '\\' among them */
    }
    return start;
}

/* Up to 8 bytes of s as one number (a cache slot's hash only). */
static uint64_t word_at(const char *s, size_t len)
{
    uint64_t w = 0;

    memcpy(&w, s, len < sizeof(w) ? len : sizeof(w));
    return w;
}

/* One copy of each text per file (scalar_event() refused a NUL in it). */
static const char *text_once(struct builder *b, const char *text, size_t len)
{
    uint64_t head = word_at(text, len);
    uint64_t h = head ^ (len > 8 ? word_at(text + len - 8, 8) >> 1 : 0);
    struct text_seen *slot;

    h = (h ^ len) * 0x9e3779b97f4a7c15ull;
    slot = &b->recent[h >> (64 - TEXT_CACHE_BITS)];
    if (slot->text && slot->len == len && slot->head == head &&
        (len <= 8 || memcmp(slot->text + 8, text + 8, len - 8) == 0))
        return slot->text;
    slot->text = strhash_intern(&b->texts, b->c->arena, text, len);
    slot->len = len;
    slot->head = head;
    return slot->text;
}

static bool scalar_event(struct builder *b, const yaml_event_t *ev)
{
    const char *text = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    const yaml_char_t *tag = ev->data.scalar.tag;
    struct ynode *n;

    /* gwc's strings end at a NUL: a value holding one would be cut short
     * silently, so it is refused (nginx could not carry it either).  The
     * text holds no NUL byte (prescan): only a double-quoted escape makes
     * one. */
    if (ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE &&
        memchr(text, '\0', len)) {
        diag_report(&b->c->diags, DIAG_CONTROL_CHARACTER, nul_escape(b, ev), NULL, NULL,
                    "a NUL character (escaped in the string) cannot be part of a value; "
                    "remove it");
        return false; /* parsing on would misreport the value cut short */
    }

    if (tag && !tag_is(tag, YAML_STR_TAG) && !tag_is(tag, "!")) {
        diag_report(&b->c->diags, DIAG_YAML_TAG, mark_loc(b, ev->start_mark), NULL,
                    NULL, "tag '%s' is not accepted; only !!str may tag a scalar",
                    (const char *)tag);
        return false;
    }
    if (is_key(b)) {
        struct frame *top = &b->stack[b->depth - 1];
        /* kubectl's YAML 1.1 reader merges the map under a plain '<<' key
         * into this one (a map written inline needs no alias): the API
         * server would get fields gwc never sees. */
        if (len == 2 && memcmp(text, "<<", 2) == 0 && !tag &&
            ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
            diag_report(&b->c->diags, DIAG_YAML_ALIAS, mark_loc(b, ev->start_mark),
                        NULL, NULL,
                        "merge key '<<' is not accepted; write the keys out in "
                        "full (or quote it, \"<<\", for a key of that name)");
            return false;
        }
        top->key = text_once(b, text, len);
        top->key_pos = (uint32_t)ev->start_mark.index;
        return true;
    }
    n = new_node(b, YNODE_SCALAR, ev->start_mark);
    n->text = text_once(b, text, len);
    n->len = (uint32_t)len;
    if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !tag)
        n->scalar = (uint8_t)load_resolve_plain(text, len);
    else
        n->scalar = YSCALAR_STRING;
    attach(b, n);
    return true;
}

static bool collection_tag_ok(struct builder *b, const yaml_char_t *tag,
                              const char *allowed, yaml_mark_t m)
{
    if (!tag || tag_is(tag, allowed) || tag_is(tag, "!"))
        return true;
    diag_report(&b->c->diags, DIAG_YAML_TAG, mark_loc(b, m), NULL, NULL,
                "tag '%s' is not accepted", (const char *)tag);
    return false;
}

static void finish_document(struct builder *b, struct ydoc_list *out,
                            uint32_t index)
{
    struct ynode *root = b->root;

    if (!root || (root->kind == YNODE_SCALAR && root->scalar == YSCALAR_NULL))
        return; /* empty document: comments only, or a stray "---" */
    ARENA_GROW(b->c->tree, struct ydoc, out->v, out->n, out->cap, 64);
    out->v[out->n].root = root;
    out->v[out->n].file = b->file;
    out->v[out->n].index = index;
    out->n++;
}

static void syntax_error(struct builder *b, const yaml_parser_t *p)
{
    const char *problem = p->problem ? p->problem : "unknown error";
    struct diag *d;

    if (p->error == YAML_READER_ERROR) {
        diag_report(&b->c->diags, DIAG_YAML_SYNTAX,
                    source_loc_from_offset(&b->c->sources, b->file, p->problem_offset),
                    NULL, NULL, "%s", problem);
        return;
    }
    d = diag_report(&b->c->diags, DIAG_YAML_SYNTAX, mark_loc(b, p->problem_mark),
                    NULL, NULL, "%s", problem);
    if (p->context)
        diag_add_note(&b->c->diags, d, mark_loc(b, p->context_mark), "%s",
                      p->context);
}

bool load_parse(struct compilation *c, const struct load_limits *lim,
                uint32_t file, struct ydoc_list *out, const struct load_doc_hook *hook)
{
    const struct source *src = source_get(&c->sources, file);
    struct builder b = {.c = c, .lim = lim, .file = file};
    yaml_parser_t parser;
    uint32_t doc_index = 0;
    bool ok = true, done = false;

    b.texts_arena = arena_create((size_t)1 << 20);
    strhash_init(&b.texts, b.texts_arena);
    /* Sized once for a manifest's share of distinct texts (one per 256
     * bytes at 10k routes), so the table does not grow through every
     * size on the way (each a fresh array to fault in and rehash into);
     * a file with more distinct texts grows it as before. */
    strhash_reserve(&b.texts, src->len / 256);
    if (!yaml_parser_initialize(&parser))
        arena_die_oom(sizeof(parser));
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    /* With the encoding fixed, libyaml would read a BOM as text; skip it
     * (the source table already starts line 1 after it). */
    yaml_parser_set_input_string(&parser, (const unsigned char *)src->data + src->bom,
                                 src->len - src->bom);
    while (!done && ok) {
        yaml_event_t ev;

        if (!yaml_parser_parse(&parser, &ev)) {
            syntax_error(&b, &parser);
            ok = false;
            break;
        }
        switch (ev.type) {
        case YAML_STREAM_START_EVENT:
        case YAML_NO_EVENT:
            break;
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            b.root = NULL;
            b.nodes = 0;
            break;
        case YAML_DOCUMENT_END_EVENT:
            finish_document(&b, out, doc_index++);
            /* The nodes taken ahead went with the arena. */
            if (hook && hook->document_end(hook->ctx))
                b.n_spare = 0;
            break;
        case YAML_ALIAS_EVENT:
            diag_report(&c->diags, DIAG_YAML_ALIAS, mark_loc(&b, ev.start_mark), NULL,
                        NULL, "alias '*%s' is not accepted; write the value out in full",
                        (const char *)ev.data.alias.anchor);
            ok = false;
            break;
        case YAML_SCALAR_EVENT:
            ok = scalar_event(&b, &ev);
            break;
        case YAML_SEQUENCE_START_EVENT:
            ok = collection_tag_ok(&b, ev.data.sequence_start.tag, YAML_SEQ_TAG,
                                   ev.start_mark) &&
                 open_container(&b, YNODE_SEQ, ev.start_mark);
            break;
        case YAML_MAPPING_START_EVENT:
            ok = collection_tag_ok(&b, ev.data.mapping_start.tag, YAML_MAP_TAG,
                                   ev.start_mark) &&
                 open_container(&b, YNODE_MAP, ev.start_mark);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            ok = close_container(&b);
            break;
        }
        if (ok && ++b.nodes > lim->max_nodes) {
            diag_report(&c->diags, DIAG_TOO_MANY_NODES, mark_loc(&b, ev.start_mark),
                        NULL, NULL, "more than %zu YAML nodes in one document",
                        lim->max_nodes);
            ok = false;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    free(b.stack);
    free(b.scratch);
    arena_destroy(b.texts_arena);
    return ok && !b.failed;
}
