/*
 * tls.clientValidation of a root HTTPProxy: Envoy asks the client for a
 * certificate in the TLS handshake of the virtual host.  Converted through
 * the core (importer/client_certs.c) to the Gateway's frontend validation
 * of port 443, which holds only when every HTTPS host on that port asks
 * for the same CA; otherwise, and for what validation against a CA alone
 * does not do (an optional or unvalidated certificate, a CRL), every route
 * of the host answers 500.  Envoy removes an x-forwarded-client-cert header
 * a client sends; the converted host's routes do too, so that a client
 * cannot forge what forwardClientCertificate would have sent.
 */
#include "ct.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

/* Why cv cannot be converted, with *at where; NULL when it can. */
static const char *refusal(const struct ct_proxy_ctx *x, const struct ynode *cv,
                           const struct ynode **at)
{
    const struct ynode *ca = ynode_get(cv, "caSecret");
    const char *name = imp_crd_text(ca);

    *at = cv;
    if (x->vh->passthrough)
        return "a passed-through connection's TLS is the backend's; Contour "
               "refuses clientValidation with passthrough";
    if (ct_flag(*at = ynode_get(cv, "skipClientCertValidation")))
        return "Gateway API cannot ask for a certificate without validating it";
    if (ct_flag(*at = ynode_get(cv, "optionalClientCertificate")))
        return "an optional certificate leaves the decision to the backend, "
               "and Gateway API cannot pass it the result";
    if ((*at = ynode_get(cv, "crlSecret")))
        return "Gateway API cannot check a certificate revocation list";
    *at = ca ? ca : cv;
    if (!name || !imp_value_dns_subdomain(name))
        return "caSecret must name a Secret of the HTTPProxy's namespace";
    return NULL;
}

void ct_client_validation(struct imp *im, struct ct_proxy_ctx *x,
                          const struct ynode *cv)
{
    static const char *const known[] = {"caSecret", "skipClientCertValidation",
                                        "optionalClientCertificate", "crlSecret",
                                        "crlOnlyVerifyLeafCertificate",
                                        "forwardClientCertificate", NULL};
    const struct ynode *at;
    const char *why = refusal(x, cv, &at);
    struct imp_client_cert *cc;

    imp_report_other_fields(im, x->src.label, x->src.root, cv, known, "Contour");
    if (why) {
        ct_report(im, &x->src, at, DIAG_IMPORT_FAIL_CLOSED,
                  "access control not converted exactly: %s; every route of the "
                  "host answers 500 instead of being served without it",
                  why);
        x->denied = true;
        return;
    }
    if (ynode_get(cv, "forwardClientCertificate"))
        ct_report(im, &x->src, ynode_get(cv, "forwardClientCertificate"),
                  DIAG_IMPORT_NOT_CONVERTED,
                  "not converted: Gateway API cannot send the client certificate "
                  "to the backend; the routes remove the x-forwarded-client-cert "
                  "request header instead, so a client cannot forge it");
    if (x->vh->cc)
        return; /* the host's first root decides, as for its certificate */
    cc = ARENA_NEW(im->a, struct imp_client_cert);
    cc->ca_namespace = x->o->namespace;
    cc->ca_secret = imp_crd_text(ynode_get(cv, "caSecret"));
    cc->mode = "AllowValidOnly";
    cc->src = x->src;
    cc->at = cv;
    x->vh->cc = cc;
}

void ct_client_certs_ask(struct imp *im, struct ct_vhost *v, struct o_gateway *gw)
{
    if (v->cc && !v->denied)
        imp_client_cert_ask(im, gw, v->https ? v->https : "", v->cc);
}

void ct_client_certs_behind_termination(struct imp *im, struct ct_vhost *v)
{
    if (!v->cc || v->denied || !v->terminate)
        return;
    ct_report(im, &v->cc->src, v->cc->at, DIAG_IMPORT_FAIL_CLOSED,
              "access control not converted exactly: client certificates for "
              "the tcpproxy of host '%s', behind TLS termination, are not "
              "converted; its connections are not served instead of being "
              "served without them",
              *v->host ? v->host : "*");
    v->denied = true;
}

void ct_client_certs_refused(struct imp *im, struct ct_vhost *v)
{
    if (!v->cc || v->denied || !v->cc->refused)
        return;
    ct_report(im, &v->cc->src, v->cc->at, DIAG_IMPORT_FAIL_CLOSED,
              "access control not converted exactly: client certificates for "
              "host '%s': %s; every route of the host answers 500 instead of "
              "being served without them",
              *v->host ? v->host : "*", v->cc->refused);
    v->denied = true;
}

const struct o_filters *ct_client_certs_filters(struct imp *im, const struct ct_vhost *v,
                                                const struct o_filters *f)
{
    struct o_filters *copy;
    size_t i;

    if (!v->cc || v->cc->refused)
        return f;
    copy = ARENA_NEW(im->a, struct o_filters);
    if (f)
        *copy = *f;
    memset(&copy->request_remove, 0, sizeof(copy->request_remove));
    for (i = 0; f && i < f->request_remove.n; i++)
        ptrvec_push(im->a, &copy->request_remove, f->request_remove.v[i]);
    ptrvec_push(im->a, &copy->request_remove, (void *)"x-forwarded-client-cert");
    return copy;
}
