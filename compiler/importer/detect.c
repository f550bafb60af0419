/*
 * Which controller served the inputs, when --provider does not say.
 *
 * Evidence, per input object: an annotation with a provider's prefix, the
 * controller of the IngressClass an Ingress names, a class name only one
 * provider serves by default, a CRD of a provider's API group.  One
 * provider named: it converts, and a note says why.  Several: an error at
 * the first evidence of each.  Only a class name two providers serve by
 * default ("nginx" is ingress-nginx's and F5 NGINX Ingress Controller's):
 * an error asking for --provider.  Nothing at all: ingress-nginx, as
 * before providers existed.
 *
 * "First" is the smallest object label, so the report does not depend on
 * the order of the inputs.
 */
#include "import_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/strbuf.h"
#include "load/load.h"

#include <string.h>

struct evidence {
    const char *label;
    const struct ynode *root, *at;
    const char *what;
};

struct detect {
    struct imp *im;
    struct evidence found[IMP_MAX_PROVIDERS]; /* by imp_providers index */
    struct evidence shared;                   /* a class of several */
    const char *shared_class;
};

static size_t n_providers(void)
{
    size_t n = 0;

    while (imp_providers[n])
        n++;
    return n;
}

static void note(struct evidence *e, const char *label, const struct ynode *root,
                 const struct ynode *at, const char *what)
{
    if (e->label && strcmp(e->label, label) <= 0)
        return;
    e->label = label;
    e->root = root;
    e->at = at;
    e->what = what;
}

static void annotations(struct detect *d, const char *label,
                        const struct ynode *root)
{
    const struct ynode *ann = ynode_get(ynode_get(root, "metadata"), "annotations");
    size_t i, k, j;

    if (!ann || ann->kind != YNODE_MAP)
        return;
    for (k = 0; k < ann->n; k++) {
        for (i = 0; imp_providers[i]; i++) {
            const char *const *p = imp_providers[i]->annotation_prefixes;
            for (j = 0; p[j]; j++) {
                if (str_starts_with(ann->items[k]->key, p[j]))
                    note(&d->found[i], label, root, ann->items[k],
                         arena_printf(d->im->a, "annotations with the prefix %s", p[j]));
            }
        }
    }
}

static bool serves_class(const struct imp_provider *p, const char *klass)
{
    size_t j;

    for (j = 0; p->class_names[j]; j++) {
        if (str_eq(p->class_names[j], klass))
            return true;
    }
    return false;
}

/* The class an Ingress names, by the annotation every controller reads
 * first, else the field. */
static const char *ingress_class(const struct ingress *in, const struct ynode **at)
{
    const struct ynode *ann =
        ynode_get(ynode_get(in->obj.src, "metadata"), "annotations");
    const struct ynode *a = ynode_get(ann, "kubernetes.io/ingress.class");

    if (a && a->kind == YNODE_SCALAR && a->scalar == YSCALAR_STRING) {
        *at = a;
        return a->text;
    }
    *at = ynode_get(in->spec_src, "ingressClassName");
    return in->ingress_class_name;
}

static void ingress_class_evidence(struct detect *d, const struct ingress *in,
                                   const char *label)
{
    const struct ynode *at;
    const char *klass = ingress_class(in, &at);
    const struct object *o;
    size_t i, n = 0, last = 0;

    if (!klass)
        return;
    o = model_find(d->im->m, KIND_INGRESS_CLASS, NULL, klass);
    if (o && !o->rejected) {
        const struct ingress_class *ic = (const struct ingress_class *)o;
        for (i = 0; imp_providers[i]; i++) {
            if (ic->controller && str_eq(imp_providers[i]->controller, ic->controller))
                note(&d->found[i], model_object_label(d->im->c, o), o->src,
                     ynode_get(ic->spec_src, "controller"),
                     arena_printf(d->im->a, "IngressClass controller %s",
                                  ic->controller));
        }
        return;
    }
    for (i = 0; imp_providers[i]; i++) {
        if (serves_class(imp_providers[i], klass)) {
            n++;
            last = i;
        }
    }
    if (n == 1)
        note(&d->found[last], label, in->obj.src, at,
             arena_printf(d->im->a, "ingress class '%s'", klass));
    else if (n > 1) {
        note(&d->shared, label, in->obj.src, at, "");
        if (d->shared.at == at)
            d->shared_class = klass;
    }
}

static void crd_evidence(void *ctx, const struct ynode *root)
{
    struct detect *d = ctx;
    const char *group = imp_crd_group(d->im->a, root);
    const struct ynode *meta = ynode_get(root, "metadata");
    const char *kind = imp_crd_text(ynode_get(root, "kind"));
    const char *name = imp_crd_text(ynode_get(meta, "name"));
    const char *ns = imp_crd_text(ynode_get(meta, "namespace"));
    size_t i, j;

    for (i = 0; imp_providers[i]; i++) {
        for (j = 0; imp_providers[i]->crd_groups[j]; j++) {
            if (str_eq(imp_providers[i]->crd_groups[j], group))
                note(&d->found[i], arena_printf(d->im->a, "%s %s/%s", kind ? kind : "",
                                                ns ? ns : "default", name ? name : ""),
                     root, ynode_get(root, "apiVersion"),
                     arena_printf(d->im->a, "resources of the API group %s", group));
        }
    }
}

static const struct imp_provider *ambiguous_class(struct detect *d)
{
    struct strbuf names = STRBUF_INIT;
    size_t i;

    for (i = 0; imp_providers[i]; i++) {
        if (!serves_class(imp_providers[i], d->shared_class))
            continue;
        strbuf_addf(&names, "%s--provider %s", names.len ? " or " : "",
                    imp_providers[i]->name);
    }
    imp_report_at(d->im, d->shared.label, d->shared.root, d->shared.at,
                  DIAG_IMPORT_AMBIGUOUS,
                  "ingress class '%s' is the default of more than one controller, "
                  "and no annotation, IngressClass or custom resource says which "
                  "one served these inputs; pass %s",
                  d->shared_class, names.buf);
    strbuf_release(&names);
    return NULL;
}

static const struct imp_provider *several(struct detect *d, size_t n)
{
    struct strbuf names = STRBUF_INIT;
    size_t i;

    for (i = 0; imp_providers[i]; i++) {
        if (d->found[i].label)
            strbuf_addf(&names, "%s%s", names.len ? ", " : "", imp_providers[i]->name);
    }
    for (i = 0; imp_providers[i]; i++) {
        const struct evidence *e = &d->found[i];
        if (e->label)
            imp_report_at(d->im, e->label, e->root, e->at, DIAG_IMPORT_AMBIGUOUS,
                          "%s: objects of %s, but the inputs hold objects of %zu "
                          "controllers (%s); convert each controller's objects on "
                          "their own, with --provider",
                          e->what, imp_providers[i]->name, n, names.buf);
    }
    strbuf_release(&names);
    return NULL;
}

const struct imp_provider *imp_detect_provider(struct imp *im)
{
    const struct ptrvec *ings = &im->m->objects[KIND_INGRESS];
    const struct evidence *e;
    struct detect d;
    size_t i, n = 0, last = 0;

    memset(&d, 0, sizeof(d));
    d.im = im;
    for (i = 0; i < ings->n; i++) {
        const struct ingress *in = ings->v[i];
        const char *label = model_object_label(im->c, &in->obj);
        if (in->obj.rejected)
            continue;
        annotations(&d, label, in->obj.src);
        ingress_class_evidence(&d, in, label);
    }
    imp_crd_for_each(im, crd_evidence, &d);
    for (i = 0; i < n_providers(); i++) {
        if (d.found[i].label) {
            n++;
            last = i;
        }
    }
    if (n > 1)
        return several(&d, n);
    if (n == 0 && d.shared_class)
        return ambiguous_class(&d);
    if (n == 0)
        return &nx_provider;
    e = &d.found[last];
    imp_report_at(im, e->label, e->root, e->at, DIAG_IMPORT_PROVIDER,
                  "%s: converting as %s (--provider chooses another)", e->what,
                  imp_providers[last]->name);
    return imp_providers[last];
}
