/*
 * auth-tls-*: ingress-nginx asks for client certificates per server (host),
 * as the first Ingress of the host in its order with auth-tls-secret sets
 * them; every path of the host, from any Ingress, is then behind them.
 * The import converts that to the Gateway's frontend validation of the
 * HTTPS port (importer/client_certs.c), which holds only when every HTTPS
 * host on that port asks for the same CA and mode.  Otherwise, and for
 * what validation alone does not enforce (auth-tls-match-cn, optional
 * verification, whose result ingress-nginx leaves to the backend), every
 * Ingress with a path on the host fails closed.
 *
 * ingress-nginx sends the verification result and the certificate to the
 * backend in the ssl-client-* request headers; Gateway API cannot set
 * them, so the routes of the host remove them instead: a client can then
 * not forge them.
 */
#include "nx.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"

#include <string.h>

/* What ingress-nginx sets for a host with client certificates. */
static const char *const cert_headers[] = {"ssl-client-cert", "ssl-client-verify",
                                           "ssl-client-subject-dn",
                                           "ssl-client-issuer-dn"};

struct host_cert {
    struct host_group *g;
    struct ptrvec ings; /* those with a path on g */
    struct ing *ing; /* the Ingress that set the host's client certificates */
    struct imp_client_cert cc;
    const char *why; /* not converted: why (fail closed) */
};

static void add_once(struct imp *im, struct index *seen, struct ing *ing,
                     struct ptrvec *out)
{
    const char *key = arena_printf(im->a, "%s/%s", ing->namespace,
                                   ing->src->obj.meta.name);

    if (!imp_index_get(seen, key)) {
        imp_index_put(im->a, seen, key, ing);
        ptrvec_push(im->a, out, ing);
    }
}

/* The Ingresses with a path on g, canaries included, each once, in the
 * order of g's paths. */
static void ingresses_of(struct imp *im, const struct host_group *g, struct ptrvec *out)
{
    struct index seen = {0};
    size_t i;

    for (i = 0; i < g->locations.n; i++) {
        const struct location *l = g->locations.v[i];
        add_once(im, &seen, l->ing, out);
        if (l->canary)
            add_once(im, &seen, l->canary, out);
    }
}

/* The first of ings, in ingress-nginx's order, with auth-tls-secret; the
 * others' are ignored for host, as ingress-nginx ignores them. */
static struct ing *setter(struct imp *im, const char *host, const struct ptrvec *ings)
{
    struct ing *first = NULL;
    size_t i;

    for (i = 0; i < ings->n; i++) {
        struct ing *ing = ings->v[i];
        if (ing->cfg.auth_tls_secret && (!first || ing->order < first->order))
            first = ing;
    }
    for (i = 0; first && i < ings->n; i++) {
        const struct ing *ing = ings->v[i];
        if (ing != first && ing->cfg.auth_tls_secret)
            nx_report_annotation(im, ing, "auth-tls-secret", DIAG_IMPORT_IGNORED,
                                 "ignored for host '%s': Ingress '%s/%s' sets its "
                                 "client certificates first, as in ingress-nginx",
                                 host, first->namespace, first->src->obj.meta.name);
    }
    return first;
}

/* The mode of auth-tls-verify-client (ingress-nginx takes anything but
 * its four values as "on"); NULL for "off", *why for what cannot be
 * converted. */
static const char *verify_mode(const struct ing *ing, const char **why)
{
    const char *v = ing->cfg.auth_tls_verify_client;

    if (v && str_eq(v, "off"))
        return NULL;
    if (v && (str_eq(v, "optional") || str_eq(v, "optional_no_ca")))
        *why = "auth-tls-verify-client: optional leaves the decision to the "
               "backend, through request headers Gateway API cannot set";
    return "AllowValidOnly";
}

static void differences(struct imp *im, const struct ing *ing)
{
    if (ing->cfg.auth_tls_verify_depth != INT_UNSET &&
        ing->cfg.auth_tls_verify_depth > 1)
        nx_report_annotation(im, ing, "auth-tls-verify-depth",
                             DIAG_IMPORT_APPROXIMATED,
                             "Gateway API has no verify depth: nginx checks one "
                             "level (the client certificate issued by the CA), so "
                             "certificates issued through an intermediate are "
                             "refused");
    if (ing->cfg.auth_tls_pass_certificate == TRI_TRUE)
        nx_report_annotation(im, ing, "auth-tls-pass-certificate-to-upstream",
                             DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: Gateway API cannot send the client "
                             "certificate to the backend; the routes remove the "
                             "ssl-client-cert request header instead, so a client "
                             "cannot forge it");
    nx_report_annotation(im, ing, "auth-tls-secret", DIAG_IMPORT_APPROXIMATED,
                         "a missing or invalid client certificate closes the "
                         "connection instead of ingress-nginx's 400, and the "
                         "backend gets no ssl-client-* request headers (the "
                         "routes remove them)");
}

/* ingress-nginx asks for certificates on HTTPS only: an Ingress of the
 * host with ssl-redirect off is served on port 80 without one, in its
 * source as in the output.  Said, since it is what the host's owner may
 * not expect. */
static void plain_http(struct imp *im, const struct host_cert *hc)
{
    size_t i;

    for (i = 0; i < hc->ings.n; i++) {
        const struct ing *ing = hc->ings.v[i];
        /* A canary's plain-HTTP paths are its main Ingress's. */
        if (ing->feat.ssl_redirect || ing->feat.force_ssl_redirect ||
            ing->cfg.canary == TRI_TRUE)
            continue;
        nx_report_node(im, ing,
                       nx_report_annotation_node(ing, "ssl-redirect")
                           ? nx_report_annotation_node(ing, "ssl-redirect")
                           : ing->src->obj.meta.src,
                       DIAG_IMPORT_CLIENT_CERT_PLAIN,
                       "host '%s' asks for client certificates on HTTPS, but "
                       "this Ingress's paths are served on plain HTTP without "
                       "one (ssl-redirect is off), as ingress-nginx serves them",
                       *hc->g->host ? hc->g->host : "*");
    }
}

/* The Secret of auth-tls-secret ("ns/name" or "name") into cc; false,
 * with *why, unless it is one of the Ingress's namespace. */
static bool secret_ref(struct imp *im, const struct ing *ing, struct imp_client_cert *cc,
                       const char **why)
{
    const char *ref = ing->cfg.auth_tls_secret, *slash = strchr(ref, '/');

    cc->ca_namespace =
        slash ? arena_strndup(im->a, ref, (size_t)(slash - ref)) : ing->namespace;
    cc->ca_secret = slash ? slash + 1 : ref;
    if (!*cc->ca_namespace)
        cc->ca_namespace = ing->namespace;
    if (!str_eq(cc->ca_namespace, ing->namespace))
        *why = "ingress-nginx refuses a Secret of another namespace "
               "(allow-cross-namespace-resources is off by default)";
    else if (!imp_value_dns_subdomain(cc->ca_secret))
        *why = "not a Secret name";
    return !*why;
}

/* Asks the core for hc's host; false when verification is off, which asks
 * for nothing (hc->why: what fails closed without asking). */
static bool ask(struct imp *im, struct host_cert *hc)
{
    struct host_group *g = hc->g;
    struct ing *ing = hc->ing;
    const char *mode;
    size_t k;

    if (ing->cfg.auth_tls_match_cn)
        hc->why = "auth-tls-match-cn checks the certificate's subject, which "
                  "Gateway API cannot";
    if (!secret_ref(im, ing, &hc->cc, &hc->why))
        return true;
    mode = verify_mode(ing, &hc->why);
    if (!mode) {
        nx_report_annotation(im, ing, "auth-tls-verify-client", DIAG_IMPORT_IGNORED,
                             "off: no client certificate is asked for, as in "
                             "ingress-nginx");
        return false;
    }
    if (hc->why)
        return true;
    hc->cc.mode = mode;
    hc->cc.src.label = model_object_label(im->c, &ing->src->obj);
    hc->cc.src.root = ing->src->obj.src;
    hc->cc.at = nx_report_annotation_node(ing, "auth-tls-secret");
    imp_client_cert_ask(im, g->gateway, g->https_listener ? g->https_listener : "",
                        &hc->cc);
    for (k = 0; g->https_listener && k < g->aliases.n; k++) {
        struct imp_client_cert *alias = ARENA_NEW(im->a, struct imp_client_cert);
        *alias = hc->cc;
        imp_client_cert_ask(im, g->gateway, g->alias_https[k], alias);
    }
    return true;
}

/* Every Ingress with a path on g fails closed. */
static void fail_closed(struct imp *im, const struct host_cert *hc, const char *why)
{
    const char *host = *hc->g->host ? hc->g->host : "*";
    size_t i;

    nx_fail_closed(im, hc->ing, nx_report_annotation_node(hc->ing, "auth-tls-secret"),
                   "client certificates for host '%s': %s", host, why);
    for (i = 0; i < hc->ings.n; i++) {
        struct ing *ing = hc->ings.v[i];
        if (ing != hc->ing)
            nx_fail_closed(im, ing, ing->src->obj.meta.src,
                           "host '%s' asks for client certificates (Ingress "
                           "'%s/%s'), which are not converted",
                           host, hc->ing->namespace, hc->ing->src->obj.meta.name);
    }
}

void nx_client_certs_build(struct imp *im)
{
    struct ptrvec hosts = {0};
    size_t i, k;

    for (i = 0; i < NX(im)->groups.n; i++) {
        struct host_group *g = NX(im)->groups.v[i];
        struct host_cert *hc;
        if (!g->gateway)
            continue;
        hc = ARENA_NEW(im->a, struct host_cert);
        hc->g = g;
        ingresses_of(im, g, &hc->ings);
        hc->ing = setter(im, *g->host ? g->host : "*", &hc->ings);
        if (hc->ing && ask(im, hc))
            ptrvec_push(im->a, &hosts, hc);
    }
    imp_client_certs_resolve(im);
    for (i = 0; i < hosts.n; i++) {
        struct host_cert *hc = hosts.v[i];
        const char *why = hc->why ? hc->why : hc->cc.refused;
        if (why) {
            fail_closed(im, hc, why);
            continue;
        }
        differences(im, hc->ing);
        plain_http(im, hc);
        for (k = 0; k < hc->g->locations.n; k++)
            ((struct location *)hc->g->locations.v[k])->strip_cert_headers = true;
    }
}

void nx_client_certs_strip(struct imp *im, const struct location *l,
                           struct o_filters *f)
{
    size_t i;

    if (!l->strip_cert_headers)
        return;
    for (i = 0; i < ARRAY_SIZE(cert_headers); i++)
        ptrvec_push(im->a, &f->request_remove, (void *)cert_headers[i]);
}
