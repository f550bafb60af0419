/*
 * backend-protocol HTTPS (or GRPCS) with proxy-ssl-*: ingress-nginx speaks
 * TLS to the Service and, with proxy-ssl-verify: on, checks its
 * certificate against the ca.crt of proxy-ssl-secret for the name
 * proxy-ssl-name.  That is a BackendTLSPolicy on the Service, whose CA is a
 * ConfigMap: generated here from the Secret's ca.crt when the input has the
 * Secret (i2gw asks the user to make it).
 *
 * Not expressible, and reported: TLS without verification (ingress-nginx's
 * default for HTTPS backends; a BackendTLSPolicy always verifies), no SNI
 * (BackendTLSPolicy always sends the hostname), and the client certificate
 * of the Secret (Gateway API has it per Gateway, not per Service).
 */
#include "nx.h"

#include "base/arena.h"
#include "base/array.h"

#include <string.h>

static void add_policy(struct imp *im, const struct ing *ing, const char *svc,
                       const char *hostname, const char *ca)
{
    if (imp_backend_tls_add(im, ing->src->obj.src, ing->namespace, svc, hostname, ca) < 0)
        nx_report_annotation(im, ing, "proxy-ssl-secret", DIAG_IMPORT_CONFLICT,
                             "Service '%s' already has a BackendTLSPolicy "
                             "from an older Ingress; ignored",
                             svc);
}

/* The CA of proxy-ssl-secret as a ConfigMap name, or NULL (reported). */
static const char *ca_of(struct imp *im, const struct ing *ing,
                         const struct secret **secret)
{
    const char *ref = ing->cfg.proxy_ssl_secret, *slash, *ns, *name, *ca, *why;

    if (!ref) {
        nx_report_annotation(im, ing, "proxy-ssl-verify", DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: verification needs proxy-ssl-secret "
                             "with a ca.crt");
        return NULL;
    }
    slash = strchr(ref, '/');
    ns = slash ? arena_strndup(im->a, ref, (size_t)(slash - ref)) : ing->namespace;
    name = slash ? slash + 1 : ref;
    if (!str_eq(ns, ing->namespace)) {
        nx_report_annotation(im, ing, "proxy-ssl-secret", DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: ingress-nginx refuses a Secret of "
                             "another namespace (allow-cross-namespace-resources "
                             "is off by default)");
        return NULL;
    }
    *secret = (const struct secret *)imp_find_object(im, KIND_SECRET, ns, name);
    ca = imp_ca_config_map(im, ing->src->obj.src, ns, name, ns,
                           "the BackendTLSPolicy's", &why);
    if (!ca)
        nx_report_annotation(im, ing, "proxy-ssl-secret", DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: %s", why);
    return ca;
}

static void differences(struct imp *im, const struct ing *ing,
                        const struct secret *s)
{
    if (ing->cfg.proxy_ssl_server_name != TRI_TRUE)
        nx_report_annotation(im, ing, "proxy-ssl-verify", DIAG_IMPORT_APPROXIMATED,
                             "a BackendTLSPolicy sends the hostname as SNI; "
                             "ingress-nginx sends none without "
                             "proxy-ssl-server-name: on");
    if (imp_secret_has_pem(im, s, "tls.crt") &&
        (model_strmap_get(&s->data, "tls.key") ||
         model_strmap_get(&s->string_data, "tls.key")))
        nx_report_annotation(im, ing, "proxy-ssl-secret", DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: the Secret's client certificate "
                             "(Gateway API sets one per Gateway, in "
                             "spec.tls.backend)");
}

static void policies_for(struct imp *im, const struct ing *ing)
{
    const struct secret *s = NULL;
    const char *ca, *host = ing->cfg.proxy_ssl_name;
    size_t i, j;

    if (ing->cfg.proxy_ssl_verify != TRI_TRUE) {
        nx_report_annotation(im, ing, "backend-protocol", DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: without proxy-ssl-verify: on, "
                             "ingress-nginx speaks TLS to the backend without "
                             "checking it, and Gateway API has no unverified "
                             "backend TLS (a BackendTLSPolicy needs a CA): the "
                             "routes reach the Service in cleartext");
        return;
    }
    if (!host || !imp_value_hostname(host, false)) {
        nx_report_annotation(im, ing, host ? "proxy-ssl-name" : "proxy-ssl-verify",
                             DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: a BackendTLSPolicy needs the name to "
                             "verify, proxy-ssl-name (a DNS name)");
        return;
    }
    if (!(ca = ca_of(im, ing, &s)))
        return;
    differences(im, ing, s);
    for (i = 0; i < NX(im)->groups.n; i++) {
        const struct host_group *g = NX(im)->groups.v[i];
        for (j = 0; j < g->locations.n; j++) {
            const struct location *l = g->locations.v[j];
            if (l->ing != ing)
                continue;
            if (l->backend.service)
                add_policy(im, ing, l->backend.service, host, ca);
            if (l->canary && l->canary_backend.service)
                add_policy(im, ing, l->canary_backend.service, host, ca);
        }
    }
}

/* proxy-ssl-* configure TLS to the upstream, which only HTTPS and GRPCS
 * backends speak. */
static void unused(struct imp *im, const struct ing *ing)
{
    static const char *const keys[] = {"proxy-ssl-secret", "proxy-ssl-verify",
                                       "proxy-ssl-name", "proxy-ssl-server-name"};
    size_t i;

    for (i = 0; i < ARRAY_SIZE(keys); i++) {
        if (nx_report_annotation_node(ing, keys[i]))
            nx_report_annotation(im, ing, keys[i], DIAG_IMPORT_IGNORED,
                                 "ignored: backend-protocol is not HTTPS or GRPCS");
    }
}

void nx_backend_tls_build(struct imp *im)
{
    size_t i;

    for (i = 0; i < NX(im)->ings.n; i++) {
        const struct ing *ing = NX(im)->ings.v[i];
        if (ing->cfg.canary == TRI_TRUE || ing->cfg.ssl_passthrough == TRI_TRUE)
            continue;
        if (ing->feat.protocol == BP_HTTPS || ing->feat.protocol == BP_GRPCS)
            policies_for(im, ing);
        else
            unused(im, ing);
    }
}
