/*
 * TLSCertificateDelegation (projectcontour.io/v1; projectcontour.io/docs/
 * main/config/tls-delegation/): the owner of a Secret's namespace lets
 * HTTPProxies of the targetNamespaces ("*": every namespace) use it as
 * "namespace/name".  Without one Contour refuses the proxy.  Gateway API
 * says the same with a ReferenceGrant in the Secret's namespace from the
 * Gateway's namespace; ReferenceGrant names each namespace it admits, so
 * "*" becomes a grant for the namespaces that use the Secret, no more.
 */
#include "ct.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

/* The targetNamespaces entry of a delegation that lets ns use the Secret
 * secret_ns/name, or NULL. */
static const struct ynode *delegation_entry(const struct crd *o, const char *name,
                                            const char *ns)
{
    const struct ynode *ds = imp_crd_seq(ynode_get(o->spec, "delegations"));
    size_t i, k;

    for (i = 0; ds && i < ds->n; i++) {
        const struct ynode *d = ds->items[i];
        const struct ynode *ts = imp_crd_seq(ynode_get(d, "targetNamespaces"));
        if (!str_eq(imp_crd_text(ynode_get(d, "secretName")), name))
            continue;
        for (k = 0; ts && k < ts->n; k++) {
            const char *t = imp_crd_text(ts->items[k]);
            if (str_eq(t, ns) || str_eq(t, "*"))
                return ts->items[k];
        }
    }
    return NULL;
}

bool ct_delegated(struct imp *im, const struct imp_src *user, const struct ynode *at,
                  const char *secret_ns, const char *name, const char *ns,
                  const char *refused)
{
    const struct ptrvec *crds = &CT(im)->crds;
    size_t i;

    for (i = 0; i < crds->n; i++) {
        const struct crd *o = crds->v[i];
        const struct ynode *e;
        const char *key;
        struct imp_src src;
        if (!str_eq(o->kind, "TLSCertificateDelegation") ||
            !str_eq(o->namespace, secret_ns) ||
            !(e = delegation_entry(o, name, ns)))
            continue;
        ct_report(im, user, at, DIAG_IMPORT_DETAIL,
                  "a certificate of namespace %s, delegated by "
                  "TLSCertificateDelegation %s/%s: written as a ReferenceGrant "
                  "there for the Gateway of namespace %s",
                  secret_ns, o->namespace, o->name, ns);
        key = arena_printf(im->a, "%s/%s/%s", o->label, name, ns);
        if (str_eq(imp_crd_text(e), "*") &&
            !imp_index_get(&CT(im)->wildcard_uses, key)) {
            imp_index_put(im->a, &CT(im)->wildcard_uses, key, (void *)key);
            src.label = o->label;
            src.root = o->root;
            ct_report(im, &src, e, DIAG_IMPORT_DETAIL,
                      "'*' delegates Secret %s to every namespace; a "
                      "ReferenceGrant names each: written for namespace %s, "
                      "whose HTTPProxy uses it",
                      name, ns);
        }
        return true;
    }
    ct_report(im, user, at, DIAG_IMPORT_TLS,
              "not converted: Secret %s/%s belongs to another namespace and no "
              "TLSCertificateDelegation there lets namespace %s use it: %s; "
              "no ReferenceGrant is written",
              secret_ns, name, ns, refused);
    return false;
}

bool ct_secret_ref(struct imp *im, const char *text, const char *dflt,
                   const char **ns, const char **name)
{
    const char *slash = text ? strchr(text, '/') : NULL;

    *ns = dflt;
    *name = slash ? slash + 1 : text;
    if (slash && slash != text)
        *ns = arena_strndup(im->a, text, (size_t)(slash - text));
    return *name && imp_value_dns_subdomain(*name) && imp_value_dns_label(*ns);
}
