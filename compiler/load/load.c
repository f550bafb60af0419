#include "load_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/fs.h"
#include "base/glob.h"
#include "base/strhash.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

const struct load_limits load_default_limits = {
    .max_file_bytes = 32u << 20,
    .max_depth = 64,
    .max_nodes = 1000000,
};

/* One load_inputs() call. */
struct loader {
    struct compilation *c;
    const struct load_limits *lim;
    const struct load_scope *scope;
    struct ydoc_list *out;
    struct strhash seen; /* "device:inode" of every file read */
    bool context;        /* reading --context paths */
    struct arena *scratch; /* one file's text, with scope->each_document */
    /* With scope->each_document: the trees of the documents waiting to be
     * handed on, reset once they are; c->tree while a file is parsed. */
    struct arena *docs_arena;
    struct arena *tree; /* the compilation's c->tree, meanwhile */
    uint32_t file;      /* being parsed */
    bool manifests;     /* a document of it looks like a manifest */
    bool failed;        /* a document of it is no mapping */
};

static bool is_manifest_name(const char *name)
{
    size_t n = strlen(name);

    return (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
           (n > 5 && strcmp(name + n - 5, ".json") == 0);
}

static bool excluded(const struct load_scope *scope, const char *rel, bool is_dir)
{
    size_t i;

    for (i = 0; scope && i < scope->n_exclude; i++) {
        if (glob_match(scope->exclude[i], rel, is_dir))
            return true;
    }
    return false;
}

static bool take(const char *rel, bool is_dir, void *ctx)
{
    const struct loader *l = ctx;
    const char *base = strrchr(rel, '/');

    if (excluded(l->scope, rel, is_dir))
        return false;
    return is_dir || is_manifest_name(base ? base + 1 : rel);
}

/* A mapping with two of apiVersion, kind and metadata, or a list holding
 * one (objects written as a list by mistake): what other YAML does not
 * have (Helm's Chart.yaml has apiVersion, but neither of the others). */
static bool looks_like_manifest(const struct ynode *n)
{
    uint32_t i;

    if (n->kind == YNODE_MAP)
        return (ynode_get(n, "apiVersion") != NULL) + (ynode_get(n, "kind") != NULL) +
                   (ynode_get(n, "metadata") != NULL) >= 2;
    for (i = 0; n->kind == YNODE_SEQ && i < n->n; i++) {
        if (n->items[i]->kind == YNODE_MAP && looks_like_manifest(n->items[i]))
            return true;
    }
    return false;
}

/* In a manifest, a document that is no mapping is an error; the others
 * stay in out from first on. */
static bool keep_objects(struct loader *l, size_t first)
{
    struct ydoc_list *out = l->out;
    bool ok = true;
    size_t i, n = first;

    for (i = first; i < out->n; i++) {
        const struct ynode *root = out->v[i].root;
        if (root->kind == YNODE_MAP) {
            out->v[n++] = out->v[i];
            continue;
        }
        diag_report(&l->c->diags, DIAG_DOCUMENT_NOT_OBJECT,
                    source_loc_from_index(&l->c->sources, l->file, root->pos),
                    NULL, NULL, "a document must be a mapping (a Kubernetes object), got a %s",
                    ynode_type_name(root));
        ok = false;
    }
    out->n = n;
    return ok;
}

/* Judges the documents a file added to out[first..]: a file none of which
 * looks like a manifest is other YAML (Helm values, CI settings), skipped
 * with a note; in a manifest, a document that is no mapping is an error. */
static bool judge_documents(struct loader *l, size_t first, bool parsed)
{
    struct ydoc_list *out = l->out;
    size_t i;

    for (i = first; i < out->n && !l->manifests; i++)
        l->manifests = looks_like_manifest(out->v[i].root);
    if (parsed && !l->manifests && out->n > first && !(l->scope && l->scope->plain)) {
        struct src_loc loc = {l->file, 0, 0, 0};
        diag_report(&l->c->diags, DIAG_NOT_KUBERNETES, loc, NULL, NULL,
                    "no document of this file has two of apiVersion, kind and "
                    "metadata: it holds no Kubernetes object, and is skipped");
        out->n = first;
        return true;
    }
    return keep_objects(l, first) && parsed;
}

/* With each_document, the documents go on as soon as the file is known to
 * hold manifests, and their trees' memory holds the next ones: the peak
 * holds one document's tree, not a file's.  Until then (a file of other
 * YAML is skipped whole) they wait.  Returns whether they went. */
static bool document_end(void *ctx)
{
    struct loader *l = ctx;
    struct ydoc_list *out = l->out;
    bool ok;

    if (!l->manifests && out->n)
        l->manifests = looks_like_manifest(out->v[out->n - 1].root);
    if (!l->manifests)
        return false;
    ok = keep_objects(l, 0);
    if (!ok)
        l->failed = true;
    l->c->tree = l->tree;
    if (out->n)
        l->scope->each_document(l->scope->each_document_ctx, out);
    l->c->tree = l->docs_arena;
    memset(out, 0, sizeof(*out)); /* its array was in the reset arena */
    arena_reset(l->docs_arena);
    return true;
}

static bool load_text_into(struct loader *l, const char *name, const char *data,
                           size_t len)
{
    uint32_t file = source_add(&l->c->sources, name, data, len);
    struct load_doc_hook hook = {document_end, l};
    size_t first = l->out->n, at;
    bool parsed;

    l->c->sources.v[file]->context = l->context;
    l->file = file;
    l->manifests = l->scope && l->scope->plain;
    l->failed = false;
    if (!load_prescan(l->c, file, data, len))
        return false;
    if (!(l->scope && l->scope->plain) && load_find_template(data, len, &at)) {
        diag_report(&l->c->diags, DIAG_HELM_TEMPLATE,
                    source_loc_from_offset(&l->c->sources, file, at), NULL, NULL,
                    "this file is a template ('{{' outside a string), not YAML, and is "
                    "skipped; check what it renders: helm template CHART | gwc check -");
        return true;
    }
    parsed = load_parse(l->c, l->lim, file, l->out, l->docs_arena ? &hook : NULL);
    return judge_documents(l, first, parsed) && !l->failed;
}

/* With each_document, the file's text goes to the scratch arena, which
 * the next file reuses: its pages are in memory already.  The text stays
 * only where positions need it (source_forget_text()); path is where to
 * read it again, NULL for standard input. */
static bool load_text(struct loader *l, const char *path, const char *name,
                      const char *data, size_t len)
{
    struct ydoc_list docs = {0}, *out = l->out;
    uint32_t file = (uint32_t)l->c->sources.n;
    bool ok;

    if (!l->scratch)
        return load_text_into(l, name, data, len);
    l->out = &docs;
    l->tree = l->c->tree;
    l->c->tree = l->docs_arena;
    ok = load_text_into(l, name, data, len);
    l->c->tree = l->tree;
    l->out = out;
    if (docs.n)
        l->scope->each_document(l->scope->each_document_ctx, &docs);
    if (file < l->c->sources.n && !(path && source_forget_text(&l->c->sources, file, path)))
        l->c->sources.v[file]->data = arena_strndup(l->c->arena, data, len);
    arena_reset(l->docs_arena);
    arena_reset(l->scratch);
    return ok;
}

bool load_buffer(struct compilation *c, const struct load_limits *lim,
                 const char *name, const char *data, size_t len,
                 struct ydoc_list *out)
{
    static const struct load_scope plain = {.plain = true};
    struct loader l = {.c = c, .lim = lim, .scope = &plain, .out = out};

    return load_text(&l, NULL, name, arena_strndup(c->arena, data, len), len);
}

/* Whether the file was read already (under another name, or twice). */
static bool seen_before(struct loader *l, const char *path)
{
    struct stat st;
    void **slot;

    if (strcmp(path, "-") == 0 || stat(path, &st) != 0)
        return false;
    slot = strhash_slot(&l->seen, arena_printf(l->c->arena, "%llu:%llu",
                                               (unsigned long long)st.st_dev,
                                               (unsigned long long)st.st_ino));
    if (*slot)
        return true;
    *slot = l;
    return false;
}

/* A regular file reads the same again; standard input, a pipe
 * (/dev/fd/63) or a terminal (/dev/stdin) does not. */
static bool rereadable(const char *path)
{
    struct stat st;

    return strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool load_file(struct loader *l, const char *path)
{
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    char *data;
    size_t len;

    if (seen_before(l, path))
        return true;
    switch (fs_read(l->scratch ? l->scratch : l->c->arena, path, l->lim->max_file_bytes,
                    &data, &len)) {
    case FS_OK:
        return load_text(l, rereadable(path) ? path : NULL, name, data, len);
    case FS_TOO_LARGE: {
        uint32_t file = source_add(&l->c->sources, name, "", 0);
        struct src_loc loc = {file, 0, 0, 0};
        l->c->sources.v[file]->context = l->context;
        diag_report(&l->c->diags, DIAG_FILE_TOO_LARGE, loc, NULL, NULL,
                    "file is larger than the limit of %zu MiB",
                    l->lim->max_file_bytes >> 20);
        return false;
    }
    case FS_FAILED: {
        struct src_loc loc = {SOURCE_NONE, 0, 0, 0};
        diag_report(&l->c->diags, DIAG_FILE_UNREADABLE, loc, NULL, NULL,
                    "cannot read '%s': %s", name, strerror(errno));
        return false;
    }
    }
    return false;
}

static bool load_path(struct loader *l, const char *path)
{
    const struct fs_filter filter = {take, l};
    struct fs_list files = {0};
    const char *bad = NULL;
    bool ok = true;
    size_t j;

    if (!fs_is_dir(path))
        return strcmp(path, "-") != 0 && excluded(l->scope, path, false) ? true
                                                                          : load_file(l, path);
    if (!fs_list_tree(l->c->arena, path, &filter, &files, &bad)) {
        struct src_loc loc = {SOURCE_NONE, 0, 0, 0};
        diag_report(&l->c->diags, DIAG_FILE_UNREADABLE, loc, NULL, NULL,
                    "cannot read '%s': %s", bad, strerror(errno));
        return false;
    }
    for (j = 0; j < files.n; j++)
        ok = load_file(l, files.v[j]) && ok;
    return ok;
}

bool load_inputs(struct compilation *c, const struct load_limits *lim,
                 const char *const *paths, size_t n_paths,
                 const struct load_scope *scope, struct ydoc_list *out)
{
    struct loader l = {.c = c, .lim = lim, .scope = scope, .out = out};
    bool ok = true;
    size_t i;

    strhash_init(&l.seen, c->arena);
    if (scope && scope->each_document) {
        l.scratch = arena_create((size_t)2 << 20);
        l.docs_arena = arena_create((size_t)64 << 10);
    }
    if (scope && scope->skip)
        seen_before(&l, scope->skip);
    for (i = 0; i < n_paths; i++)
        ok = load_path(&l, paths[i]) && ok;
    l.context = true;
    for (i = 0; scope && i < scope->n_context; i++)
        ok = load_path(&l, scope->context[i]) && ok;
    /* Their pages serve what the later stages allocate. */
    if (l.scratch) {
        arena_adopt(c->arena, l.scratch);
        arena_adopt(c->arena, l.docs_arena);
    }
    return ok;
}
