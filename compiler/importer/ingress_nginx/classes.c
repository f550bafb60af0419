/*
 * Which Ingresses ingress-nginx serves, decided as the controller and the
 * API server decide it:
 *  - spec.ingressClassName, else the legacy annotation
 *    kubernetes.io/ingress.class (ingress-nginx still honours it);
 *  - an Ingress with neither gets the IngressClass marked
 *    ingressclass.kubernetes.io/is-default-class: "true" (the API server's
 *    DefaultIngressClass admission does this on create; with two defaults
 *    it refuses the Ingress);
 *  - with no default either, ingress-nginx ignores the Ingress unless it
 *    runs with --watch-ingress-without-class: converted under the first
 *    class asked for, and reported (i2gw drops it silently).
 * The classes converted are those given with --ingress-class, or else
 * "nginx" and every IngressClass whose controller is k8s.io/ingress-nginx.
 * Every other Ingress is left out with a note saying how to include it.
 * An Ingress ingress-nginx's deep inspector refuses is left out with an
 * error.
 */
#include "nx.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

#define CLASS_ANNOTATION "kubernetes.io/ingress.class"
#define DEFAULT_CLASS_ANNOTATION "ingressclass.kubernetes.io/is-default-class"

static const struct ingress_class *find_class(const struct imp *im,
                                              const char *name)
{
    return (const struct ingress_class *)imp_find_object(im, KIND_INGRESS_CLASS,
                                                         NULL, name);
}

static bool class_selected(const struct imp *im, const char *name)
{
    const struct ingress_class *ic;
    size_t i;

    if (im->o->n_ingress_classes) {
        for (i = 0; i < im->o->n_ingress_classes; i++) {
            if (strcmp(im->o->ingress_classes[i], name) == 0)
                return true;
        }
        return false;
    }
    ic = find_class(im, name);
    return strcmp(name, "nginx") == 0 ||
           (ic && str_eq(ic->controller, NGINX_CONTROLLER));
}

/* The IngressClasses marked default, in name order. */
static size_t default_classes(const struct imp *im, const char **first,
                              const char **second)
{
    const struct ptrvec *pv = &im->m->objects[KIND_INGRESS_CLASS];
    size_t i, n = 0;

    for (i = 0; i < pv->n; i++) {
        const struct ingress_class *ic = pv->v[i];
        if (!str_eq(model_strmap_get(&ic->obj.meta.annotations,
                                     DEFAULT_CLASS_ANNOTATION),
                    "true"))
            continue;
        if (n == 0)
            *first = ic->obj.meta.name;
        else if (n == 1)
            *second = ic->obj.meta.name;
        n++;
    }
    return n;
}

/* The class an Ingress names, and the node naming it. */
static const char *named_class(const struct ingress *in, const struct ynode **at)
{
    const struct ynode *ann = ynode_get(in->obj.meta.src, "annotations");
    const char *legacy =
        model_strmap_get(&in->obj.meta.annotations, CLASS_ANNOTATION);

    if (in->ingress_class_name) {
        *at = ynode_get(in->spec_src, "ingressClassName");
        return in->ingress_class_name;
    }
    if (legacy && *legacy) {
        *at = ynode_get(ann, CLASS_ANNOTATION);
        return legacy;
    }
    *at = NULL;
    return NULL;
}

static const char *fallback_class(const struct imp *im)
{
    return im->o->n_ingress_classes ? im->o->ingress_classes[0] : "nginx";
}

/* The class an Ingress is converted under, or NULL to leave it out. */
static const char *resolve(struct imp *im, const struct ing *ing)
{
    const struct ynode *at;
    const char *klass = named_class(ing->src, &at), *d1 = NULL, *d2 = NULL;
    const struct ingress_class *ic;
    size_t n_defaults;

    if (!klass) {
        n_defaults = default_classes(im, &d1, &d2);
        if (n_defaults > 1) {
            nx_report_node(im, ing, ing->src->obj.meta.src, DIAG_IMPORT_NO_CLASS,
                           "Ingress has no class and IngressClasses '%s' and '%s' "
                           "are both marked default: the API server refuses it; "
                           "not converted",
                           d1, d2);
            return NULL;
        }
        if (n_defaults == 1) {
            klass = d1;
            at = ing->src->obj.meta.src;
        } else {
            nx_report_node(im, ing, ing->src->obj.meta.src, DIAG_IMPORT_NO_CLASS,
                           "Ingress has no class (no spec.ingressClassName, no "
                           "kubernetes.io/ingress.class annotation, no default "
                           "IngressClass): ingress-nginx serves it only with "
                           "--watch-ingress-without-class; converted as class "
                           "'%s', set spec.ingressClassName to say so",
                           fallback_class(im));
            return fallback_class(im);
        }
    }
    if (class_selected(im, klass))
        return klass;
    ic = find_class(im, klass);
    if (im->o->n_ingress_classes)
        nx_report_node(
            im, ing, at, DIAG_IMPORT_SKIPPED,
            "class '%s' is not among the --ingress-class names; left out", klass);
    else if (ic && ic->controller)
        nx_report_node(im, ing, at, DIAG_IMPORT_SKIPPED,
                       "class '%s' belongs to controller '%s', not ingress-nginx; "
                       "left out (--ingress-class %s converts it)",
                       klass, ic->controller, klass);
    else
        nx_report_node(im, ing, at, DIAG_IMPORT_SKIPPED,
                       "class '%s' is not an ingress-nginx class; left out "
                       "(--ingress-class %s converts it)",
                       klass, klass);
    return NULL;
}

/* The byte at i of the joined key "<ns>/<name>", 0 past its end. */
static unsigned char joined_at(const char *ns, size_t ns_len, const char *name,
                               size_t i)
{
    if (i < ns_len)
        return (unsigned char)ns[i];
    if (i == ns_len)
        return '/';
    return (unsigned char)name[i - ns_len - 1];
}

/* strcmp of "<ns_a>/<name_a>" and "<ns_b>/<name_b>", without building them
 * (the joined key orders differently from namespace, then name: "a/x" sorts
 * after "a-b/x"). */
static int cmp_joined(const char *ns_a, const char *name_a, const char *ns_b,
                      const char *name_b)
{
    size_t la = strlen(ns_a), lb = strlen(ns_b);
    size_t na = la + 1 + strlen(name_a), nb = lb + 1 + strlen(name_b), i;

    for (i = 0; i < na && i < nb; i++) {
        unsigned char ca = joined_at(ns_a, la, name_a, i);
        unsigned char cb = joined_at(ns_b, lb, name_b, i);
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    return na == nb ? 0 : na < nb ? -1 : 1;
}

/*
 * ingress-nginx's order (store.go sortIngressSlice): creationTimestamp,
 * oldest first; on equal timestamps the joined key "ns/name" DESCENDING
 * (`in > jn`).  The first Ingress wins a contested path, certificate or
 * server.  An absent timestamp is the zero time, the oldest.
 */
static int cmp_nginx_order(const void *pa, const void *pb)
{
    const struct ing *a = *(const struct ing *const *)pa;
    const struct ing *b = *(const struct ing *const *)pb;

    if (a->src->obj.created != b->src->obj.created)
        return a->src->obj.created < b->src->obj.created ? -1 : 1;
    return cmp_joined(b->namespace, b->src->obj.meta.name, a->namespace,
                      a->src->obj.meta.name);
}

static bool inspect_value(struct imp *im, const struct ing *ing,
                          const struct ynode *at, const char *what,
                          const char *value)
{
    const char *rule = value ? imp_value_inspector_denies(value) : NULL;

    if (!rule)
        return true;
    nx_report_node(im, ing, at, DIAG_IMPORT_BAD_VALUE,
                   "the %s contains %s: ingress-nginx's deep inspector refuses "
                   "the whole Ingress (CVE-2021-25745), and so does the import",
                   what, rule);
    return false;
}

/* ingress-nginx's deep inspector (inspector/ingress.go InspectIngress):
 * rule hosts, paths, tls secretNames and tls hosts; false (reported) when
 * the controller would ignore the Ingress. */
static bool inspect(struct imp *im, const struct ing *ing)
{
    const struct ingress *in = ing->src;
    size_t i, j;

    for (i = 0; i < in->n_rules; i++) {
        const struct ingress_rule *r = &in->rules[i];
        if (!inspect_value(im, ing, ynode_get(r->src, "host"), "host", r->host))
            return false;
        for (j = 0; j < r->http.n_paths; j++) {
            const struct ingress_path *p = &r->http.paths[j];
            if (!inspect_value(im, ing, ynode_get(p->src, "path"), "path",
                               p->path))
                return false;
        }
    }
    for (i = 0; i < in->n_tls; i++) {
        const struct ingress_tls *t = &in->tls[i];
        const struct ynode *hosts = ynode_get(t->src, "hosts");
        if (!inspect_value(im, ing, ynode_get(t->src, "secretName"),
                           "tls secretName", t->secret_name))
            return false;
        for (j = 0; j < t->n_hosts; j++) {
            if (!inspect_value(im, ing,
                               hosts && j < hosts->n ? hosts->items[j] : t->src,
                               "tls host", t->hosts[j]))
                return false;
        }
    }
    return true;
}

void nx_classes_resolve(struct imp *im)
{
    const struct ptrvec *pv = &im->m->objects[KIND_INGRESS];
    size_t i;

    for (i = 0; i < pv->n; i++) {
        const struct ingress *in = pv->v[i];
        struct ing *ing;

        if (in->obj.rejected) /* already reported: the API server refuses it */
            continue;
        ing = ARENA_NEW(im->a, struct ing);
        ing->src = in;
        ing->namespace = imp_object_namespace(im, &in->obj);
        ing->annotations = ynode_get(in->obj.meta.src, "annotations");
        ing->klass = resolve(im, ing);
        if (ing->klass && inspect(im, ing)) {
            ptrvec_push(im->a, &NX(im)->ings, ing);
            imp_ingress_taken(im, in);
        }
    }
    ptrvec_sort(&NX(im)->ings, cmp_nginx_order);
    for (i = 0; i < NX(im)->ings.n; i++)
        ((struct ing *)NX(im)->ings.v[i])->order = i;
}
