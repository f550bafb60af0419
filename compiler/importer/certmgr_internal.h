/*
 * cert-manager's annotations, shared by certmgr_ingress.c (what one
 * Ingress says) and certmgr.c (moving them to the Gateways).
 */
#ifndef GWC_IMPORTER_CERTMGR_INTERNAL_H
#define GWC_IMPORTER_CERTMGR_INTERNAL_H

#include "import_internal.h"

#define CM "cert-manager.io/"

/* An Ingress whose annotations move. */
struct cm_ing {
    const struct ingress *in;
    const char *label, *ns;
    const struct ynode *root;
    const struct strmap_entry **moved; /* sorted by key */
    size_t n_moved;
    const struct ynode *issuer; /* its issuer or cluster-issuer */
};

/* Does the Ingress carry any cert-manager annotation? */
bool imp_cm_annotated(const struct ingress *in);
/* The annotations of in that move, or NULL; what does not move is
 * reported here. */
struct cm_ing *imp_cm_classify(struct imp *im, const struct ingress *in);
/* The moving annotation CM + name of x, or NULL. */
const struct strmap_entry *imp_cm_moved_entry(const struct cm_ing *x,
                                              const char *name);
/* A finding at x's Ingress, with the code's severity or sev. */
void imp_cm_report(struct imp *im, const struct cm_ing *x, const struct ynode *at,
                   enum diag_code code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void imp_cm_report_sev(struct imp *im, const struct cm_ing *x,
                       const struct ynode *at, enum diag_severity sev,
                       enum diag_code code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#endif
