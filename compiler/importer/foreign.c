/*
 * Annotations of other Ingress controllers on the Ingresses taken.  The
 * source controller did not read them, and the output does not carry
 * them; but they say that someone expected a behaviour there (a chart
 * written for several controllers, a migration half done), so they are
 * reported, once per Ingress: at the first of them, with how many there
 * are of which controller.  The provider's own annotations are its own
 * business, reported by it one by one.
 */
#include "import_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/strbuf.h"
#include "load/load.h"

#include <string.h>

/* Annotation prefixes of Ingress controllers, with their names. */
static const struct {
    const char *prefix, *controller;
} controllers[] = {
    {"nginx.ingress.kubernetes.io/", "ingress-nginx"},
    {"nginx.org/", "F5 NGINX Ingress Controller"},
    {"nginx.com/", "F5 NGINX Ingress Controller"},
    {"projectcontour.io/", "Contour"},
    {"traefik.ingress.kubernetes.io/", "Traefik"},
    {"alb.ingress.kubernetes.io/", "AWS Load Balancer Controller"},
    {"appgw.ingress.kubernetes.io/", "Azure Application Gateway"},
    {"networking.gke.io/", "GKE Ingress"},
    {"ingress.gcp.kubernetes.io/", "GKE Ingress"},
    {"haproxy.org/", "HAProxy Kubernetes Ingress Controller"},
    {"haproxy-ingress.github.io/", "HAProxy Ingress"},
    {"konghq.com/", "Kong Ingress Controller"},
    {"getambassador.io/", "Emissary-ingress"},
    {"zalando.org/", "Skipper"},
};

static bool own(const struct imp_provider *p, const char *key)
{
    const char *const *q;

    for (q = p->annotation_prefixes; *q; q++) {
        if (str_starts_with(key, *q))
            return true;
    }
    return false;
}

/* The controller whose annotation key is, or -1. */
static int controller_of(const struct imp_provider *p, const char *key)
{
    size_t i;

    if (own(p, key))
        return -1;
    for (i = 0; i < ARRAY_SIZE(controllers); i++) {
        if (str_starts_with(key, controllers[i].prefix))
            return (int)i;
    }
    return -1;
}

static void one(struct imp *im, const struct imp_provider *p,
                const struct ingress *in)
{
    const struct ynode *ann = ynode_get(in->obj.meta.src, "annotations");
    size_t count[ARRAY_SIZE(controllers)] = {0};
    size_t order[ARRAY_SIZE(controllers)], n_order = 0, total = 0, i;
    const struct ynode *first = NULL;
    struct strbuf which = STRBUF_INIT;

    for (i = 0; ann && ann->kind == YNODE_MAP && i < ann->n; i++) {
        int c = controller_of(p, ann->items[i]->key);
        if (c < 0)
            continue;
        if (!count[c]++)
            order[n_order++] = (size_t)c;
        if (!total++)
            first = ann->items[i];
    }
    if (!total)
        return;
    for (i = 0; i < n_order; i++)
        strbuf_addf(&which, "%s%zu with the prefix %s (%s)", i ? ", " : "",
                    count[order[i]], controllers[order[i]].prefix,
                    controllers[order[i]].controller);
    imp_report_at(im, model_object_label(im->c, &in->obj), in->obj.src, first,
                  DIAG_IMPORT_FOREIGN,
                  "%zu annotation%s of %s, which %s did not read on this Ingress "
                  "and the import does not carry over: %s",
                  total, total == 1 ? "" : "s",
                  n_order == 1 ? "another controller" : "other controllers",
                  p->name, which.buf);
    strbuf_release(&which);
}

void imp_foreign_report(struct imp *im, const struct imp_provider *p)
{
    size_t i;

    for (i = 0; i < im->ingresses.n; i++)
        one(im, p, im->ingresses.v[i]);
}
