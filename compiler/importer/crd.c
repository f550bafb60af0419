/*
 * The custom resources of a provider (VirtualServer, HTTPProxy,
 * IngressRoute, ...) as the loader parsed them: the model decodes only the
 * kinds gwc validates, so providers read their own CRDs from the documents,
 * sorted by kind, namespace and name, whatever the input order.
 */
#include "import_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "load/load.h"

#include <string.h>

static const char *text(const struct ynode *n)
{
    return n && n->kind == YNODE_SCALAR && n->scalar == YSCALAR_STRING ? n->text
                                                                       : NULL;
}

static bool in_list(const char *const *list, const char *s, size_t len)
{
    for (; *list; list++) {
        if (strlen(*list) == len && strncmp(*list, s, len) == 0)
            return true;
    }
    return false;
}

struct collect {
    struct imp *im;
    const char *const *groups;
    struct ptrvec *out;
};

/* gwc does not model these kinds, so no schema check has read their
 * metadata: names the API server would refuse must not reach the output
 * (they would name routes and policies there). */
static bool valid_meta(struct imp *im, const struct crd *o, const struct ynode *meta)
{
    const struct {
        const char *key, *value;
        bool (*ok)(const char *s);
        const char *what;
    } fields[] = {
        {"name", o->name, imp_value_dns_subdomain, "object name (a DNS subdomain)"},
        {"namespace", o->namespace, imp_value_dns_label, "namespace (a DNS label)"},
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(fields); i++) {
        if (!fields[i].ok(fields[i].value)) {
            imp_report_at(im, o->label, o->root, ynode_get(meta, fields[i].key),
                          DIAG_IMPORT_BAD_VALUE, "'%s' is not a valid %s; skipped",
                          imp_report_value(im, fields[i].value), fields[i].what);
            return false;
        }
    }
    return true;
}

static void consider(void *ctx, const struct ynode *root)
{
    struct collect *k = ctx;
    struct imp *im = k->im;
    const char *av = text(ynode_get(root, "apiVersion"));
    const char *kind = text(ynode_get(root, "kind"));
    const struct ynode *meta = ynode_get(root, "metadata");
    const char *slash = av ? strchr(av, '/') : NULL;
    struct crd *o;

    if (!av || !kind || !slash || !in_list(k->groups, av, (size_t)(slash - av)))
        return;
    o = ARENA_NEW(im->a, struct crd);
    o->root = root;
    o->group = arena_strndup(im->a, av, (size_t)(slash - av));
    o->version = slash + 1;
    o->kind = kind;
    o->name = text(ynode_get(meta, "name"));
    o->namespace = text(ynode_get(meta, "namespace"));
    if (!o->namespace)
        o->namespace = im->o->default_namespace ? im->o->default_namespace
                                                : "default";
    o->spec = ynode_get(root, "spec");
    o->label = arena_printf(im->a, "%s %s/%s", kind, o->namespace,
                            o->name ? o->name : "");
    if (!o->name) {
        imp_report_at(im, o->label, root, meta, DIAG_IMPORT_BAD_VALUE,
                      "%s has no metadata.name; skipped", kind);
        return;
    }
    if (valid_meta(im, o, meta))
        ptrvec_push(im->a, k->out, o);
}

static int cmp_crds(const void *pa, const void *pb)
{
    const struct crd *a = *(const struct crd *const *)pa;
    const struct crd *b = *(const struct crd *const *)pb;
    int c = strcmp(a->kind, b->kind);

    if (!c)
        c = strcmp(a->namespace, b->namespace);
    return c ? c : strcmp(a->name, b->name);
}

/* Two objects with one identity: which one the API server keeps depends
 * on the order they were applied, so neither is converted. */
static void drop_duplicates(struct imp *im, struct ptrvec *pv)
{
    size_t i, j, n = 0;

    for (i = 0; i < pv->n; i = j) {
        for (j = i + 1; j < pv->n && cmp_crds(&pv->v[i], &pv->v[j]) == 0; j++)
            ;
        if (j - i == 1) {
            pv->v[n++] = pv->v[i];
            continue;
        }
        for (size_t k = i; k < j; k++) {
            const struct crd *o = pv->v[k];
            imp_report_at(im, o->label, o->root, NULL, DIAG_IMPORT_BAD_VALUE,
                          "%s is defined %zu times; none of them is converted",
                          o->label, j - i);
        }
    }
    pv->n = n;
}

void imp_crd_for_each(const struct imp *im,
                      void (*fn)(void *ctx, const struct ynode *root), void *ctx)
{
    size_t i, k;

    for (i = 0; im->docs && i < im->docs->n; i++) {
        const struct ynode *root = im->docs->v[i].root;
        const struct ynode *items = ynode_get(root, "items");

        if (!str_eq(text(ynode_get(root, "kind")), "List") || !items ||
            items->kind != YNODE_SEQ) {
            fn(ctx, root);
            continue;
        }
        for (k = 0; k < items->n; k++) {
            if (items->items[k]->kind == YNODE_MAP)
                fn(ctx, items->items[k]);
        }
    }
}

void imp_crd_collect(struct imp *im, const char *const *groups, struct ptrvec *out)
{
    struct collect k = {im, groups, out};

    imp_crd_for_each(im, consider, &k);
    ptrvec_sort(out, cmp_crds);
    drop_duplicates(im, out);
}

const char *imp_crd_text(const struct ynode *n)
{
    return text(n);
}

const struct ynode *imp_crd_seq(const struct ynode *n)
{
    return n && n->kind == YNODE_SEQ ? n : NULL;
}

/* The API group of an apiVersion ("" for the core group), in the arena. */
const char *imp_crd_group(struct arena *a, const struct ynode *root)
{
    const char *av = text(ynode_get(root, "apiVersion"));
    const char *slash = av ? strchr(av, '/') : NULL;

    return slash ? arena_strndup(a, av, (size_t)(slash - av)) : "";
}
