/*
 * --include-inputs: the objects of the inputs that are neither Ingresses
 * nor custom resources of an Ingress controller (Services, Secrets,
 * ConfigMaps, Gateway API objects, ...) carried into the output as they
 * are, so that the output alone is the whole cluster `gwc check` and
 * `kubectl apply` need.  Each is rebuilt from its YAML tree, scalar for
 * scalar: a value reads back the same, only the spelling of the YAML may
 * change (quotes, indentation, comments are not kept).
 */
#include "import_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/doc.h"
#include "load/load.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Kinds without a namespace that inputs hold; every other kind without
 * metadata.namespace is in the default namespace, as kubectl applies it. */
static const char *const cluster_kinds[] = {
    "Namespace", "GatewayClass", "ClusterRole", "ClusterRoleBinding",
    "CustomResourceDefinition", "PersistentVolume", "StorageClass",
    "PriorityClass", "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration", "ClusterIssuer",
};

struct carried {
    const struct ynode *root;
    const char *kind, *namespace, *name; /* namespace NULL: cluster-scoped */
    const char *label;
    const char *file; /* where it is, for the choice between duplicates */
    uint32_t pos; /* mark index of the document in the file */
};

struct carry {
    struct imp *im;
    bool reserve; /* only claim the names, before the conversion */
    const char *groups[IMP_MAX_PROVIDERS * 4 + 1]; /* never carried */
    struct ptrvec objects; /* struct carried * */
};

struct doc *imp_input_doc(struct arena *a, const struct ynode *n)
{
    struct doc *d;
    size_t i;

    if (n->kind == YNODE_MAP) {
        d = doc_map(a);
        for (i = 0; i < n->n; i++)
            doc_put(a, d, n->items[i]->key, imp_input_doc(a, n->items[i]));
        return d;
    }
    if (n->kind == YNODE_SEQ) {
        d = doc_seq(a);
        for (i = 0; i < n->n; i++)
            doc_push(a, d, imp_input_doc(a, n->items[i]));
        return d;
    }
    switch ((enum yscalar)n->scalar) {
    case YSCALAR_NULL:
        return doc_null(a);
    case YSCALAR_BOOL:
        return doc_bool(a, ynode_bool_value(n));
    case YSCALAR_INT: {
        char *end;
        long long v;
        errno = 0;
        v = strtoll(n->text, &end, 10);
        if (!errno && !*end)
            return doc_int(a, v);
        return doc_plain(a, n->text); /* past int64: as written */
    }
    case YSCALAR_INT_OTHER:
    case YSCALAR_FLOAT:
        return doc_plain(a, n->text);
    case YSCALAR_STRING:
        break;
    }
    return doc_str(a, n->text);
}

static bool is_cluster_kind(const char *kind)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(cluster_kinds); i++) {
        if (str_eq(kind, cluster_kinds[i]))
            return true;
    }
    return false;
}

/* A kind names the file it goes into: letters and digits only. */
static bool kind_ok(const char *kind)
{
    size_t i;

    if (!kind || !isalpha((unsigned char)kind[0]) || strlen(kind) > 63)
        return false;
    for (i = 0; kind[i]; i++) {
        if (!isalnum((unsigned char)kind[i]))
            return false;
    }
    return true;
}

static void consider(void *ctx, const struct ynode *root)
{
    struct carry *k = ctx;
    struct imp *im = k->im;
    const struct ynode *meta = ynode_get(root, "metadata");
    const char *kind = imp_crd_text(ynode_get(root, "kind"));
    const char *group = imp_crd_group(im->a, root);
    const char *ns = imp_crd_text(ynode_get(meta, "namespace"));
    const char *name = imp_crd_text(ynode_get(meta, "name"));
    struct carried *c;
    size_t i;

    if (str_eq(kind, "Ingress") || str_eq(kind, "IngressClass"))
        return; /* what the output replaces */
    for (i = 0; k->groups[i]; i++) {
        if (str_eq(group, k->groups[i]))
            return;
    }
    if (!ns && !is_cluster_kind(kind))
        ns = im->o->default_namespace ? im->o->default_namespace : "default";
    if ((im->shared || k->reserve) && im->shared_name && str_eq(kind, "Gateway") &&
        str_eq(group, GATEWAY_GROUP) && str_eq(ns, im->shared_ns) &&
        str_eq(name, im->shared_name))
        return; /* --gateway's: the output holds it, with what it lacked
                 * (before the conversion, whether it is valid is not known:
                 * its name stays free for it) */
    c = ARENA_NEW(im->a, struct carried);
    c->root = root;
    c->kind = kind;
    c->file = source_get(&im->c->sources, ynode_file(root))->name;
    c->pos = root->pos;
    c->name = name;
    c->label = arena_printf(im->a, "%s %s", kind ? kind : "object",
                            imp_origin_label(im, root));
    c->namespace = ns;
    if (!kind_ok(kind) || !name || (ns && !imp_value_dns_label(ns))) {
        if (k->reserve)
            return; /* reported when carried */
        imp_report_at(im, c->label, root, kind_ok(kind) ? meta : ynode_get(root, "kind"),
                      DIAG_IMPORT_INPUT_LEFT_OUT,
                      "not carried into the output: --include-inputs carries "
                      "objects with a kind of letters and digits, a name and "
                      "a namespace that is a DNS label");
        return;
    }
    if (ynode_get(ynode_get(meta, "annotations"), IMP_SOURCE_ANNOTATION)) {
        /* An earlier import's output given back as input: carried, it
         * would stand next to what this import writes again (two routes
         * for each path, or one name twice). */
        if (!k->reserve)
            imp_report_at(im, c->label, root, meta, DIAG_IMPORT_INPUT_LEFT_OUT,
                          "not carried into the output: it carries "
                          "annotation " IMP_SOURCE_ANNOTATION ", so an earlier "
                          "gwc import wrote it, and this import writes "
                          "what it converts again");
        return;
    }
    if (k->reserve) {
        if (ns)
            imp_index_put(im->a, &im->names,
                          arena_printf(im->a, "%s/%s/%s", kind, ns, name), c);
        return;
    }
    ptrvec_push(im->a, &k->objects, c);
}

/* The carried objects keep their names, so the generated ones of the same
 * kind and namespace must avoid them (imp_name_claim): an output holding
 * one object twice fails gwc check, and kubectl would apply whichever
 * comes last, an input's AccessPolicy over the import's, say. */
void imp_inputs_reserve(struct imp *im)
{
    struct carry k = {im, true, {0}, {0}};

    if (!imp_crd_groups(k.groups, ARRAY_SIZE(k.groups)))
        BUG("more provider API groups than room for them");
    imp_crd_for_each(im, consider, &k);
}

static const char *api_version(const struct carried *c)
{
    const char *v = imp_crd_text(ynode_get(c->root, "apiVersion"));

    return v ? v : "";
}

/* The same object twice: one kind, namespace and name in one API group. */
static int cmp_identity(const struct carried *a, const struct carried *b)
{
    int c = strcmp(a->kind, b->kind);

    if (!c)
        c = strcmp(a->namespace ? a->namespace : "", b->namespace ? b->namespace : "");
    if (!c)
        c = strcmp(a->name, b->name);
    return c ? c : strcmp(api_version(a), api_version(b));
}

/* Of the same object twice, the one of the first file (by name) and position
 * is carried, whatever the order the files were given in. */
static int cmp_carried(const void *pa, const void *pb)
{
    const struct carried *a = *(const struct carried *const *)pa;
    const struct carried *b = *(const struct carried *const *)pb;
    int c = cmp_identity(a, b);

    if (!c)
        c = strcmp(a->file, b->file);
    if (!c)
        c = a->pos < b->pos ? -1 : a->pos > b->pos;
    return c;
}

void imp_inputs_carry(struct imp *im, struct import_output *out)
{
    struct carry k = {im, false, {0}, {0}};
    size_t i;

    if (!imp_crd_groups(k.groups, ARRAY_SIZE(k.groups)))
        BUG("more provider API groups than room for them");
    imp_crd_for_each(im, consider, &k);
    ptrvec_sort(&k.objects, cmp_carried);
    for (i = 0; i < k.objects.n; i++) {
        const struct carried *c = k.objects.v[i];
        struct ptrvec self = {0};
        const char *annotation, *comment;

        if (i && cmp_identity(k.objects.v[i - 1], c) == 0) {
            imp_report_at(im, c->label, c->root, ynode_get(c->root, "metadata"),
                          DIAG_IMPORT_INPUT_LEFT_OUT,
                          "not carried into the output: the inputs hold this "
                          "object twice; the first is carried");
            continue;
        }
        imp_origin_add(im, &self, c->root);
        imp_origins_render(im, &self, &annotation, &comment);
        imp_output_add(im->a, out, c->kind, c->namespace, comment,
                       imp_input_doc(im->a, c->root));
    }
}
