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

/* Indexed once, so that each router's lookup is one probe. */
static void index_options(struct imp *im)
{
    size_t i;

    TR(im)->tls_options_indexed = true;
    for (i = 0; i < TR(im)->crds.n; i++) {
        const struct crd *o = TR(im)->crds.v[i];
        if (!str_eq(o->kind, "TLSOption"))
            continue;
        imp_index_put(im->a, &TR(im)->tls_options,
                      arena_printf(im->a, "%s/%s", o->namespace, o->name), (void *)o);
        imp_index_put(im->a, &TR(im)->tls_options,
                      arena_printf(im->a, "%s-%s@kubernetescrd", o->namespace, o->name),
                      (void *)o);
        if (str_eq(o->name, "default") && !TR(im)->default_tls_option)
            TR(im)->default_tls_option = o;
    }
}

/* The TLSOption ns/name, or an Ingress's reference crd_ref
 * "<ns>-<name>@kubernetescrd" when that is set. */
static const struct crd *find(struct imp *im, const char *ns, const char *name,
                              const char *crd_ref)
{
    if (!TR(im)->tls_options_indexed)
        index_options(im);
    return imp_index_get(&TR(im)->tls_options,
                         crd_ref ? crd_ref : arena_printf(im->a, "%s/%s", ns, name));
}

bool tr_tls_options_deny(struct imp *im, const struct imp_src *src,
                         const struct ynode *at, const char *ns, const char *name,
                         const char *crd_ref)
{
    const struct crd *o;

    if (!name && !crd_ref) {
        if (!TR(im)->tls_options_indexed)
            index_options(im);
        o = TR(im)->default_tls_option;
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
