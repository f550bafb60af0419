/*
 * TLSOption clientAuth: Traefik asks for client certificates per router,
 * through the TLS options it names (IngressRoute tls.options, an Ingress's
 * router.tls.options) or, when it names none, the TLSOption "default".
 * The import does not convert them, so a router whose options ask for a
 * certificate, or whose options it cannot see, answers 500 instead of
 * being served without one (GW0831).
 */
#include "tr.h"

#include "base/arena.h"

#include <string.h>

/* clientAuthType NoClientCert (Traefik's default) asks for nothing. */
static bool asks(const struct crd *o)
{
    const struct ynode *ca = ynode_get(o->spec, "clientAuth");
    const char *type = imp_crd_text(ynode_get(ca, "clientAuthType"));

    return ca && type && !str_eq(type, "NoClientCert");
}

/* The TLSOption ns/name, or with ns NULL the first named "default"; an
 * Ingress's reference "<ns>-<name>@kubernetescrd" when crd_ref is set. */
static const struct crd *find(struct imp *im, const char *ns, const char *name,
                              const char *crd_ref)
{
    size_t i;

    for (i = 0; i < TR(im)->crds.n; i++) {
        const struct crd *o = TR(im)->crds.v[i];
        if (!str_eq(o->kind, "TLSOption"))
            continue;
        if (crd_ref ? str_eq(crd_ref, arena_printf(im->a, "%s-%s@kubernetescrd",
                                                    o->namespace, o->name))
                    : (!ns || str_eq(o->namespace, ns)) && str_eq(o->name, name))
            return o;
    }
    return NULL;
}

bool tr_tls_options_deny(struct imp *im, const struct imp_src *src,
                         const struct ynode *at, const char *ns, const char *name,
                         const char *crd_ref)
{
    const struct crd *o;

    if (!name && !crd_ref) {
        o = find(im, NULL, "default", NULL);
        if (!o || !asks(o))
            return false;
    } else {
        o = find(im, ns, name, crd_ref);
        if (o && !asks(o))
            return false;
    }
    imp_report_src(im, src, at, DIAG_IMPORT_FAIL_CLOSED,
                   "access control not converted exactly: %s; the routes "
                   "answer 500 instead of being served without them",
                   !o ? "the TLS options named here are not in the input, and "
                        "they may ask for client certificates"
                      : arena_printf(im->a,
                                     "TLSOption %s/%s asks for client "
                                     "certificates, which the import does not "
                                     "convert",
                                     o->namespace, o->name));
    return true;
}
