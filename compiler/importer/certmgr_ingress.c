/*
 * What cert-manager reads on one Ingress (certmgr.c moves it): the issuer,
 * the annotations that move to a Gateway, those that cannot (reported);
 * and the namespaces whose Ingresses have an issuer (imp_certmgr_plan()).
 */
#include "certmgr_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "load/load.h"

#include <string.h>

#define ACME "acme.cert-manager.io/"
#define TLS_ACME "kubernetes.io/tls-acme"

/* After CM: what the shim reads on an Ingress and on a Gateway alike. */
static const char *const moved_names[] = {
    "alt-names", "cluster-issuer", "common-name", "duration", "email-sans",
    "ip-sans", "issuer", "issuer-group", "issuer-kind", "private-key-algorithm",
    "private-key-encoding", "private-key-rotation-policy", "private-key-size",
    "renew-before", "renew-before-percentage", "revision-history-limit",
    "secret-template", "subject-countries", "subject-localities",
    "subject-organizationalunits", "subject-organizations", "subject-postalcodes",
    "subject-provinces", "subject-serialnumber", "subject-streetaddresses",
    "usages",
};

/* After ACME: how HTTP-01 is solved through an Ingress. */
static const char *const http01_names[] = {
    "http01-edit-in-place", "http01-ingress-class",
    "http01-ingress-ingressclassname",
};

/* A cert-manager annotation, whatever the shim does with it. */
static bool ours(const char *key)
{
    return str_starts_with(key, CM) || str_starts_with(key, ACME) || str_eq(key, TLS_ACME);
}


/* The first annotation of the Ingress, in the file, that key_ok accepts. */
static const struct ynode *first_annotation(const struct ingress *in,
                                            bool (*key_ok)(const char *))
{
    const struct ynode *ann = ynode_get(in->obj.meta.src, "annotations");
    size_t i;

    for (i = 0; ann && ann->kind == YNODE_MAP && i < ann->n; i++) {
        if (key_ok(ann->items[i]->key))
            return ann->items[i];
    }
    return NULL;
}

const struct strmap_entry *imp_cm_moved_entry(const struct cm_ing *x,
                                              const char *name)
{
    size_t i;

    for (i = 0; i < x->n_moved; i++) {
        if (str_eq(x->moved[i]->key + strlen(CM), name))
            return x->moved[i];
    }
    return NULL;
}

void imp_cm_report_sev(struct imp *im, const struct cm_ing *x,
                       const struct ynode *at, enum diag_severity sev,
                       enum diag_code code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    imp_report_vat(im, x->label, x->root, at, sev, code, fmt, ap);
    va_end(ap);
}

void imp_cm_report(struct imp *im, const struct cm_ing *x, const struct ynode *at,
                   enum diag_code code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    imp_report_vat(im, x->label, x->root, at, diag_info(code)->severity, code,
                   fmt, ap);
    va_end(ap);
}

/* The annotation cert-manager refuses cert-manager.io/cluster-issuer
 * together with, when m has both; else NULL. */
static const char *refused_with(const struct strmap *m)
{
    static const char *const others[] = {CM "issuer", CM "issuer-kind",
                                         CM "issuer-group"};
    size_t i;

    for (i = 0; model_strmap_get(m, CM "cluster-issuer") && i < ARRAY_SIZE(others);
         i++) {
        if (model_strmap_get(m, others[i]))
            return others[i];
    }
    return NULL;
}

/* The issuer as cert-manager reads it; false (reported) when cert-manager
 * refuses the combination and so issues nothing for the Ingress. */
static bool issuer_ok(struct imp *im, struct cm_ing *x)
{
    const struct strmap_entry *issuer = imp_cm_moved_entry(x, "issuer");
    const struct strmap_entry *cluster = imp_cm_moved_entry(x, "cluster-issuer");
    const char *other = refused_with(&x->in->obj.meta.annotations);

    x->issuer = cluster ? cluster->src : issuer ? issuer->src : NULL;
    if (!other)
        return true;
    imp_cm_report(im, x, cluster->src, DIAG_IMPORT_BAD_VALUE,
                  "cert-manager refuses cert-manager.io/cluster-issuer together with "
                  "%s and issues nothing for this Ingress; moved to a Gateway, it "
                  "would stop the certificates of every Ingress there: nothing moved",
                  other);
    return false;
}

void imp_certmgr_plan(struct imp *im)
{
    const struct ptrvec *v = &im->m->objects[KIND_INGRESS];
    size_t i;

    for (i = 0; i < v->n; i++) {
        const struct ingress *in = v->v[i];
        const struct strmap *m = &in->obj.meta.annotations;
        const char *ns = imp_object_namespace(im, &in->obj);
        if (in->obj.rejected || !in->n_tls || !ns || refused_with(m) ||
            (!model_strmap_get(m, CM "issuer") &&
             !model_strmap_get(m, CM "cluster-issuer")))
            continue;
        imp_index_put(im->a, &im->cm_namespaces, ns, (void *)ns);
    }
}

bool imp_certmgr_namespace(const struct imp *im, const char *ns)
{
    return imp_index_get(&im->cm_namespaces, ns) != NULL;
}

/* The annotations of in that move, or NULL; what does not move is
 * reported here. */
struct cm_ing *imp_cm_classify(struct imp *im, const struct ingress *in)
{
    const struct strmap *m = &in->obj.meta.annotations;
    const struct strmap_entry *acme = NULL;
    struct ptrvec http01 = {0}, moved = {0};
    struct cm_ing *x;
    bool acme_on = false;
    size_t i;

    x = ARENA_NEW(im->a, struct cm_ing);
    x->in = in;
    x->label = model_object_label(im->c, &in->obj);
    x->ns = imp_object_namespace(im, &in->obj);
    x->root = in->obj.src;
    for (i = 0; i < m->n; i++) {
        const struct strmap_entry *e = &m->v[i];
        bool b;
        if (str_eq(e->key, TLS_ACME)) {
            acme = e;
            acme_on = imp_value_parse_go_bool(e->value, &b) && b;
        } else if (str_starts_with(e->key, CM) &&
                   str_in(moved_names, ARRAY_SIZE(moved_names), e->key + strlen(CM))) {
            ptrvec_push(im->a, &moved, (void *)e);
        } else if (str_starts_with(e->key, ACME) &&
                   str_in(http01_names, ARRAY_SIZE(http01_names),
                          e->key + strlen(ACME))) {
            ptrvec_push(im->a, &http01, (void *)e);
        } else if (ours(e->key)) {
            imp_cm_report(im, x, e->src, DIAG_IMPORT_IGNORED,
                          str_eq(e->key, CM "ignore-tls-listeners")
                              ? "cert-manager reads it on Gateways and ListenerSets, not "
                                "on Ingresses: nothing to move"
                              : "cert-manager does not read it on an Ingress (it "
                                "belongs on a Certificate, Secret or other object): "
                                "nothing to move");
        }
    }
    x->moved = (const struct strmap_entry **)moved.v;
    x->n_moved = moved.n;
    if (!issuer_ok(im, x))
        return NULL;
    if (!x->issuer && !acme_on) {
        if (moved.n || http01.n || acme)
            imp_cm_report(im, x, first_annotation(in, ours), DIAG_IMPORT_IGNORED,
                          "cert-manager ignores this Ingress: it names no issuer "
                          "(cert-manager.io/issuer or cert-manager.io/cluster-issuer) "
                          "and kubernetes.io/tls-acme is not \"true\": nothing to move");
        return NULL;
    }
    if (acme && x->issuer)
        imp_cm_report(im, x, acme->src, DIAG_IMPORT_IGNORED,
                      "nothing to move: on the Gateway, %s names the issuer",
                      x->issuer->key);
    for (i = 0; i < http01.n; i++) {
        const struct strmap_entry *e = http01.v[i];
        imp_cm_report(im, x, e->src, DIAG_IMPORT_CERT_MANAGER_LOST,
                      "not moved: it chooses how HTTP-01 challenges are solved through "
                      "an Ingress; for a Gateway's certificates cert-manager attaches "
                      "the challenge's HTTPRoute to that Gateway, through an Issuer "
                      "solver of type gatewayHTTPRoute: give the Issuer such a solver, "
                      "or certificates solved by HTTP-01 stop renewing once the Ingress "
                      "controller is gone");
    }
    if (!x->issuer) {
        imp_cm_report(im, x, acme->src, DIAG_IMPORT_CERT_MANAGER_LOST,
                      "not moved: cert-manager reads kubernetes.io/tls-acme on "
                      "Ingresses only (issuing from its default issuer, the "
                      "controller's --default-issuer-name and --default-issuer-kind); "
                      "a Gateway must name the issuer: add cert-manager.io/cluster-issuer "
                      "(or cert-manager.io/issuer) naming it to the Ingress and import "
                      "again, or its certificates stop renewing");
        return NULL;
    }
    if (!in->n_tls) {
        imp_cm_report(im, x, x->issuer, DIAG_IMPORT_IGNORED,
                      "cert-manager issues nothing for an Ingress without spec.tls: "
                      "nothing to move");
        return NULL;
    }
    return x;
}


bool imp_cm_annotated(const struct ingress *in)
{
    return first_annotation(in, ours) != NULL;
}

