/*
 * TLSOption clientAuth: Traefik asks for client certificates per host,
 * through the TLS options its routers name (IngressRoute tls.options, an
 * Ingress's router.tls.options) or, when they name none, the TLSOption
 * "default" (doc.traefik.io/traefik/https/tls/#client-authentication-mtls,
 * and the CRD provider's buildTLSOptions, which reads each of
 * clientAuth.secretNames from the TLSOption's namespace, its tls.ca or
 * else its ca.crt).  Traefik's tls.Config then requires and verifies a
 * certificate when clientAuthType says so or, unset, when a CA was read.
 *
 * RequireAndVerifyClientCert against CA Secrets converts through the
 * core (importer/client_certs.c) to the Gateway's frontend validation of
 * port 443, one caCertificateRef per Secret (Traefik pools the CAs of all
 * of them), which holds only when every listener on the port asks for the
 * same CAs; a router whose options ask for anything else, or cannot be
 * converted (a Secret the input lacks, though Traefik would skip it and
 * trust the others), answers 500 instead of being served without a
 * certificate (GW0831).
 */
#include "tr.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

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
        if (!str_eq(o->name, "default"))
            continue;
        if (!TR(im)->default_tls_option)
            TR(im)->default_tls_option = o;
        else if (!str_eq(TR(im)->default_tls_option->namespace, o->namespace))
            TR(im)->default_tls_options_clash = o;
    }
}

/* The TLSOption ns/name, or an Ingress's reference crd_ref
 * "<ns>-<name>@kubernetescrd" when that is set. */
static const struct crd *find(struct imp *im, const char *ns, const char *name,
                              const char *crd_ref)
{
    return imp_index_get(&TR(im)->tls_options,
                         crd_ref ? crd_ref : arena_printf(im->a, "%s/%s", ns, name));
}

/* The key Traefik reads a CA Secret's certificates from: tls.ca before
 * ca.crt (NULL: ca.crt, also for a Secret the input lacks). */
static const char *ca_key(struct imp *im, const char *ns, const char *name)
{
    const struct secret *s =
        (const struct secret *)imp_find_object(im, KIND_SECRET, ns, name);

    if (s && (model_strmap_get(&s->data, "tls.ca") ||
              model_strmap_get(&s->string_data, "tls.ca")))
        return "tls.ca";
    return NULL;
}

/* The Secrets of o's clientAuth whose CAs are validated against, with the
 * keys Traefik reads, into cc; why not when its options cannot be
 * converted; NULL with cc->mode NULL when they ask for nothing. */
static const char *client_auth(struct imp *im, const struct crd *o,
                               struct imp_client_cert *cc)
{
    const struct ynode *ca = ynode_get(o->spec, "clientAuth");
    const struct ynode *names = imp_crd_seq(ynode_get(ca, "secretNames"));
    const char *type = imp_crd_text(ynode_get(ca, "clientAuthType"));
    const char **more, **keys;
    size_t i, k;

    if (!ca || str_eq(type, "NoClientCert") || (!type && (!names || !names->n)))
        return NULL;
    if (type && !str_eq(type, "RequireAndVerifyClientCert"))
        return str_eq(type, "VerifyClientCertIfGiven")
                   ? "VerifyClientCertIfGiven serves clients without a "
                     "certificate as well, and Gateway API's "
                     "AllowInsecureFallback would serve invalid ones too"
               : str_eq(type, "RequestClientCert") || str_eq(type, "RequireAnyClientCert")
                   ? "Gateway API cannot ask for a certificate without "
                     "validating it against a CA"
                   : "an unknown clientAuthType, for which Traefik refuses the "
                     "TLS options";
    if (!names || !names->n)
        return "RequireAndVerifyClientCert without secretNames, for which "
               "Traefik refuses the TLS options";
    for (i = 0; i < names->n; i++) {
        if (!imp_crd_text(names->items[i]) ||
            !imp_value_dns_subdomain(imp_crd_text(names->items[i])))
            return "secretNames holds something that is not a Secret name";
    }
    cc->ca_namespace = o->namespace;
    cc->ca_secret = imp_crd_text(names->items[0]);
    cc->ca_key = ca_key(im, o->namespace, cc->ca_secret);
    cc->mode = "AllowValidOnly";
    /* Traefik trusts the CAs of every Secret listed: one caCertificateRef
     * each (a name listed twice once). */
    more = ARENA_NEW_ARRAY(im->a, const char *, names->n);
    keys = ARENA_NEW_ARRAY(im->a, const char *, names->n);
    for (i = 1; i < names->n; i++) {
        const char *name = imp_crd_text(names->items[i]);
        for (k = 0; k < i && !str_eq(name, imp_crd_text(names->items[k])); k++)
            ;
        if (k < i)
            continue;
        keys[cc->n_more] = ca_key(im, o->namespace, name);
        more[cc->n_more++] = name;
    }
    cc->more_secrets = more;
    cc->more_keys = keys;
    return NULL;
}

void tr_tls_options(struct imp *im, const struct imp_src *src, const struct ynode *at,
                    const char *ns, const char *name, const char *crd_ref,
                    struct tr_tls_opts *out)
{
    const struct crd *o;
    struct tr_client_certs *cc = ARENA_NEW(im->a, struct tr_client_certs);
    const char *why;

    memset(out, 0, sizeof(*out));
    if (!TR(im)->tls_options_indexed)
        index_options(im);
    o = name || crd_ref ? find(im, ns, name, crd_ref) : TR(im)->default_tls_option;
    out->key = o ? o->label : "default";
    if (!o && (name || crd_ref))
        why = "the TLS options named here are not in the input, and they may ask "
              "for client certificates";
    else if (!o)
        return;
    else if (!(why = client_auth(im, o, &cc->cc)) && !cc->cc.mode)
        return;
    else if (!why && !name && !crd_ref && TR(im)->default_tls_options_clash)
        why = arena_printf(im->a, "TLSOption 'default' is in namespaces '%s' and "
                           "'%s', and Traefik then uses none of them",
                           o->namespace, TR(im)->default_tls_options_clash->namespace);
    if (why) {
        imp_report_src(im, src, at, DIAG_IMPORT_FAIL_CLOSED,
                       "access control not converted exactly: %s%s; the routes "
                       "answer 500 instead of being served without them",
                       o ? arena_printf(im->a, "client certificates of TLSOption "
                                        "%s/%s: ", o->namespace, o->name)
                         : "",
                       why);
        out->denied = true;
        return;
    }
    cc->options = o;
    cc->cc.src = *src;
    cc->cc.at = at;
    out->cc = cc;
}

void tr_tls_options_report(struct imp *im)
{
    static const char *const known[] = {"clientAuth", NULL};
    static const char *const auth_known[] = {"secretNames", "clientAuthType", NULL};
    size_t i;

    for (i = 0; i < TR(im)->crds.n; i++) {
        const struct crd *o = TR(im)->crds.v[i];
        if (!str_eq(o->kind, "TLSOption"))
            continue;
        imp_report_other_fields(im, o->label, o->root, o->spec, known, "Traefik");
        imp_report_other_fields(im, o->label, o->root, ynode_get(o->spec, "clientAuth"),
                                auth_known, "Traefik");
    }
}
