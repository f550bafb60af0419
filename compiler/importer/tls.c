/*
 * Certificates per host.  ingress-nginx gives the server of host H the
 * Secret of the oldest Ingress whose tls entry lists H (or a wildcard
 * covering it); an HTTPS listener is generated for exactly those hosts,
 * each with its own Secret (i2gw gives every host of an Ingress every
 * Secret of it, whatever tls.hosts says).
 *
 * What cannot be carried over is reported: an empty secretName (ingress-
 * nginx then serves its --default-ssl-certificate, which the import cannot
 * name), a tls entry without hosts (ingress-nginx matches such a
 * certificate by its own names, which the import does not read), and a
 * Secret in the input that is not a usable kubernetes.io/tls Secret.
 */
#include "import_internal.h"

#include "base/arena.h"

#include <string.h>

static bool tls_host_covered(const char *tls_host, const char *host)
{
    size_t n, m;

    if (strcmp(tls_host, host) == 0)
        return true;
    if (strncmp(tls_host, "*.", 2) != 0 || host[0] == '*')
        return false;
    n = strlen(host);
    m = strlen(tls_host + 1); /* ".example.com" */
    return n > m && strcmp(host + n - m, tls_host + 1) == 0;
}

static bool has_key(const struct secret *s, const char *key)
{
    return strmap_get(&s->data, key) || strmap_get(&s->string_data, key);
}

static bool secret_usable(struct imp *im, const struct ing *ing,
                          const struct ingress_tls *t)
{
    const struct ynode *at = ynode_get(t->src, "secretName");
    const struct secret *s;

    if (!t->secret_name || !*t->secret_name) {
        report_node(im, ing, at ? at : t->src, DIAG_IMPORT_TLS,
                    "no secretName: ingress-nginx serves these hosts with its "
                    "default certificate (--default-ssl-certificate), which "
                    "the import cannot name; no HTTPS listener is generated");
        return false;
    }
    if (!value_dns_subdomain(t->secret_name)) {
        report_node(im, ing, at, DIAG_IMPORT_BAD_VALUE,
                    "secretName is not a valid Secret name");
        return false;
    }
    s = (const struct secret *)find_object(im, KIND_SECRET, ing->namespace,
                                           t->secret_name);
    if (s && (!str_eq(s->type, "kubernetes.io/tls") || !has_key(s, "tls.crt") ||
              !has_key(s, "tls.key"))) {
        report_node(im, ing, at, DIAG_IMPORT_TLS,
                    "Secret '%s/%s' is not a kubernetes.io/tls Secret with "
                    "tls.crt and tls.key: ingress-nginx falls back to its "
                    "default certificate; no HTTPS listener is generated",
                    ing->namespace, t->secret_name);
        return false;
    }
    return true;
}

/* Gives every group of the Ingress's namespace and class covered by one
 * tls host the Secret; false when no group is. */
static bool give(struct imp *im, const struct ing *ing, struct host_group *g,
                 const struct ynode *at, const char *secret)
{
    if (!g->secret) {
        g->secret = secret;
        g->secret_namespace = ing->namespace;
        g->tls_ing = ing;
    } else if (!str_eq(g->secret, secret) && g->tls_ing != ing) {
        report_node(im, ing, at, DIAG_IMPORT_CONFLICT,
                    "host '%s' already has certificate Secret '%s' from "
                    "Ingress %s/%s; ignored, as ingress-nginx takes the oldest",
                    g->host, g->secret, g->tls_ing->namespace,
                    g->tls_ing->src->obj.meta.name);
    }
    return true;
}

/* Gives every group of the Ingress's namespace and class covered by one
 * tls host the Secret; false when no group is.  An exact name is a lookup;
 * only a wildcard needs to look at every host. */
static bool assign(struct imp *im, const struct ing *ing, const char *tls_host,
                   const struct ynode *at, const char *secret)
{
    struct host_group *g;
    bool matched = false;
    size_t i;

    if (tls_host[0] != '*') {
        g = host_group_find(im, ing->klass, tls_host);
        return g && give(im, ing, g, at, secret);
    }
    for (i = 0; i < im->groups.n; i++) {
        g = im->groups.v[i];
        if (str_eq(g->klass, ing->klass) && *g->host && tls_host_covered(tls_host, g->host))
            matched = give(im, ing, g, at, secret);
    }
    return matched;
}

static void ingress_tls(struct imp *im, const struct ing *ing)
{
    size_t i, j;

    for (i = 0; i < ing->src->n_tls; i++) {
        const struct ingress_tls *t = &ing->src->tls[i];
        const struct ynode *hosts = ynode_get(t->src, "hosts");

        if (t->n_hosts == 0) {
            report_node(im, ing, t->src, DIAG_IMPORT_TLS,
                        "a tls entry without hosts: ingress-nginx matches its "
                        "certificate to hosts by the certificate's own names, "
                        "which the import does not read; list the hosts");
            continue;
        }
        if (!secret_usable(im, ing, t))
            continue;
        for (j = 0; j < t->n_hosts; j++) {
            const char *h = t->hosts[j];
            const struct ynode *at = hosts && j < hosts->n ? hosts->items[j] : t->src;

            if (!value_hostname(h, true))
                report_node(im, ing, at, DIAG_IMPORT_BAD_VALUE,
                            "not a lower-case DNS name; ignored");
            else if (!assign(im, ing, h, at, t->secret_name))
                report_node(im, ing, at, DIAG_IMPORT_IGNORED,
                            "no rule of this namespace and class has host "
                            "'%s': ingress-nginx serves no TLS for it",
                            h);
        }
    }
}

/* ssl-passthrough takes port 443 of its host for a TLS listener; an
 * HTTPS listener for the same name would conflict with it, and nginx's
 * SNI split sends the host's TLS to the passthrough backend anyway. */
static void passthrough_wins(struct imp *im, struct host_group *g)
{
    if (!g->passthrough || !g->secret)
        return;
    if (g->tls_ing != g->passthrough)
        report_annotation(im, g->passthrough, "ssl-passthrough", DIAG_IMPORT_CONFLICT,
                      "host '%s' passes TLS through, so the certificate Secret "
                      "'%s' of Ingress %s/%s is not used",
                      g->host, g->secret, g->tls_ing->namespace,
                      g->tls_ing->src->obj.meta.name);
    g->secret = NULL;
    g->tls_ing = NULL;
}

void tls_build(struct imp *im)
{
    size_t i;

    for (i = 0; i < im->ings.n; i++) {
        const struct ing *ing = im->ings.v[i];
        if (ing->cfg.canary == TRI_TRUE) {
            if (ing->src->n_tls)
                report_node(im, ing, ynode_get(ing->src->spec_src, "tls"),
                            DIAG_IMPORT_IGNORED,
                            "ignored on a canary Ingress: the main Ingress's "
                            "certificates apply");
            continue;
        }
        ingress_tls(im, ing);
    }
    for (i = 0; i < im->groups.n; i++)
        passthrough_wins(im, im->groups.v[i]);
}
