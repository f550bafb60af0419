/*
 * Certificates per host, as createServers assigns them: the Ingresses are
 * taken in ingress-nginx's order, and for each host of an Ingress's rules
 * whose server has no certificate yet, the Ingress's tls entry listing the
 * host gives it its Secret.  The first Ingress of a host that has a tls
 * section decides: when no entry lists the host, ingress-nginx serves it
 * with its default certificate (or one whose names match it), and no later
 * Ingress changes that.  An Ingress's tls hosts without a rule of its own
 * give nothing.  An HTTPS listener is generated for exactly the hosts with
 * a Secret (i2gw gives every host of an Ingress every Secret of it,
 * whatever tls.hosts says).
 *
 * What cannot be carried over is reported: an empty secretName (ingress-
 * nginx then serves its --default-ssl-certificate, which the import cannot
 * name), a tls entry without hosts (ingress-nginx matches such a
 * certificate by its own names, which the import does not read), a Secret
 * in the input that is not a usable kubernetes.io/tls Secret, and a Secret
 * missing from the input (gwc check of the output needs it).  A wildcard
 * tls host is taken to cover the hosts below it, as its certificate would.
 */
#include "nx.h"

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
    return model_strmap_get(&s->data, key) ||
           model_strmap_get(&s->string_data, key);
}

static bool secret_usable(struct imp *im, const struct ing *ing,
                          const struct ingress_tls *t)
{
    const struct ynode *at = ynode_get(t->src, "secretName");
    const struct secret *s;

    if (!t->secret_name || !*t->secret_name) {
        nx_report_node(im, ing, at ? at : t->src, DIAG_IMPORT_TLS,
                       "no secretName: ingress-nginx serves these hosts with its "
                       "default certificate (--default-ssl-certificate), which "
                       "the import cannot name; no HTTPS listener is generated");
        return false;
    }
    if (!imp_value_dns_subdomain(t->secret_name)) {
        nx_report_node(im, ing, at, DIAG_IMPORT_BAD_VALUE,
                       "secretName is not a valid Secret name");
        return false;
    }
    s = (const struct secret *)imp_find_object(im, KIND_SECRET, ing->namespace,
                                               t->secret_name);
    if (!s) {
        nx_report_node_sev(im, ing, at, DIAG_WARNING, DIAG_IMPORT_TLS,
                           "Secret '%s/%s' is not in the input: the HTTPS "
                           "listener refers to it, and gwc check of the output "
                           "fails until it is given (or ingress-nginx falls back "
                           "to its default certificate if it does not exist)",
                           ing->namespace, t->secret_name);
        return true;
    }
    if (!str_eq(s->type, "kubernetes.io/tls") || !has_key(s, "tls.crt") ||
        !has_key(s, "tls.key")) {
        nx_report_node(im, ing, at, DIAG_IMPORT_TLS,
                       "Secret '%s/%s' is not a kubernetes.io/tls Secret with "
                       "tls.crt and tls.key: ingress-nginx falls back to its "
                       "default certificate; no HTTPS listener is generated",
                       ing->namespace, t->secret_name);
        return false;
    }
    return true;
}

/* The tls entry of the Ingress for host (extractTLSSecretName): one listing
 * it, else one with a wildcard covering it; NULL when none does. */
const struct ingress_tls *nx_tls_entry_for(const struct ing *ing, const char *host)
{
    const struct ingress *in = ing->src;
    size_t i, j;

    for (i = 0; i < in->n_tls; i++) {
        for (j = 0; j < in->tls[i].n_hosts; j++) {
            if (str_eq(in->tls[i].hosts[j], host))
                return &in->tls[i];
        }
    }
    for (i = 0; i < in->n_tls; i++) {
        for (j = 0; j < in->tls[i].n_hosts; j++) {
            if (tls_host_covered(in->tls[i].hosts[j], host))
                return &in->tls[i];
        }
    }
    return NULL;
}

/* "www." added or removed. */
static bool www_pair(const char *a, const char *b)
{
    return (strncmp(a, "www.", 4) == 0 && str_eq(a + 4, b)) ||
           (strncmp(b, "www.", 4) == 0 && str_eq(b + 4, a));
}

/* Does a rule of the Ingress have a host the tls host names or covers (or,
 * with from-to-www-redirect, the www twin of such a host)? */
static bool rule_covered(const struct ing *ing, const char *tls_host)
{
    bool www = ing->cfg.from_to_www_redirect == TRI_TRUE;
    size_t r;

    for (r = 0; r < ing->src->n_rules; r++) {
        const char *h = ing->src->rules[r].host;
        if (h && *h && (tls_host_covered(tls_host, h) || (www && www_pair(h, tls_host))))
            return true;
    }
    return false;
}

/* A from-to-www redirect server answers https with its target's
 * certificate when that certificate names it (buildRedirects); here: when
 * the target's tls entry lists the other name too. */
static void www_certificate(struct imp *im, struct host_group *g)
{
    const struct host_group *t = nx_host_group_find(im, g->klass, g->www_target);
    const struct ingress_tls *e;

    if (!t || !t->secret || !t->tls_ing)
        return;
    e = nx_tls_entry_for(t->tls_ing, g->host);
    if (!e || !str_eq(e->secret_name, t->secret))
        return;
    g->secret = t->secret;
    g->secret_namespace = t->secret_namespace;
    g->tls_ing = t->tls_ing;
}

/* The tls entries themselves: hosts, names, and hosts without a rule. */
static void check_entries(struct imp *im, const struct ing *ing, bool *usable)
{
    size_t i, j;

    for (i = 0; i < ing->src->n_tls; i++) {
        const struct ingress_tls *t = &ing->src->tls[i];
        const struct ynode *hosts = ynode_get(t->src, "hosts");

        usable[i] = false;
        if (t->n_hosts == 0) {
            nx_report_node(im, ing, t->src, DIAG_IMPORT_TLS,
                           "a tls entry without hosts: ingress-nginx matches its "
                           "certificate to hosts by the certificate's own names, "
                           "which the import does not read; list the hosts");
            continue;
        }
        usable[i] = secret_usable(im, ing, t);
        for (j = 0; j < t->n_hosts; j++) {
            const char *h = t->hosts[j];
            const struct ynode *at = hosts && j < hosts->n ? hosts->items[j] : t->src;

            if (!imp_value_hostname(h, true))
                nx_report_node(im, ing, at, DIAG_IMPORT_BAD_VALUE,
                               "not a lower-case DNS name; ignored");
            else if (!rule_covered(ing, h))
                nx_report_node(im, ing, at, DIAG_IMPORT_IGNORED,
                               "no rule of this Ingress has host '%s': "
                               "ingress-nginx takes an Ingress's certificates "
                               "only for the hosts of its own rules",
                               h);
        }
    }
}

static bool hostless_entry(const struct ing *ing)
{
    size_t i;

    for (i = 0; i < ing->src->n_tls; i++) {
        if (!ing->src->tls[i].n_hosts)
            return true;
    }
    return false;
}

/* Host h of a rule of the Ingress: its certificate, unless an earlier
 * Ingress with a tls section decided it. */
static void host_certificate(struct imp *im, const struct ing *ing,
                             struct host_group *g, const bool *usable)
{
    const struct ingress_tls *t = nx_tls_entry_for(ing, g->host);
    const struct ynode *tls = ynode_get(ing->src->spec_src, "tls");

    if (g->tls_decided) {
        if (t && usable[t - ing->src->tls] && g->tls_ing != ing &&
            !str_eq(g->secret, t->secret_name))
            nx_report_node(im, ing, t->src, DIAG_IMPORT_CONFLICT,
                           "host '%s' already has %s from Ingress %s/%s; "
                           "ignored, as ingress-nginx takes the first",
                           g->host,
                           g->secret ? arena_printf(im->a,
                                                    "certificate Secret "
                                                    "'%s'",
                                                    g->secret)
                                     : "its default certificate",
                           g->tls_ing->namespace, g->tls_ing->src->obj.meta.name);
        return;
    }
    g->tls_decided = true;
    g->tls_ing = ing;
    if (!t && !hostless_entry(ing)) { /* else reported by check_entries() */
        nx_report_node_sev(im, ing, tls, DIAG_WARNING, DIAG_IMPORT_TLS,
                           "host '%s' of this Ingress is in none of its tls "
                           "entries: ingress-nginx serves it with the "
                           "certificate of an entry whose Secret names it, or "
                           "its default certificate, and no later Ingress "
                           "changes that; no HTTPS listener is generated",
                           g->host);
        return;
    }
    if (!t || !usable[t - ing->src->tls])
        return; /* reported once per entry */
    g->secret = t->secret_name;
    g->secret_namespace = ing->namespace;
}

static void ingress_tls(struct imp *im, const struct ing *ing)
{
    bool *usable = ARENA_NEW_ARRAY(im->a, bool, ing->src->n_tls + 1);
    size_t r;

    check_entries(im, ing, usable);
    for (r = 0; r < ing->src->n_rules; r++) {
        const char *h = ing->src->rules[r].host;
        struct host_group *g =
            h && *h ? nx_host_group_find(im, ing->klass, h) : NULL;

        if (g && g->tls_ing != ing && (ing->src->n_tls || g->tls_decided))
            host_certificate(im, ing, g, usable);
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
        nx_report_annotation(
            im, g->passthrough, "ssl-passthrough", DIAG_IMPORT_CONFLICT,
            "host '%s' passes TLS through, so the certificate Secret "
            "'%s' of Ingress %s/%s is not used",
            g->host, g->secret, g->tls_ing->namespace,
            g->tls_ing->src->obj.meta.name);
    g->secret = NULL;
    g->tls_ing = NULL;
}

void nx_tls_build(struct imp *im)
{
    size_t i;

    for (i = 0; i < NX(im)->ings.n; i++) {
        const struct ing *ing = NX(im)->ings.v[i];
        if (ing->cfg.canary == TRI_TRUE) {
            if (ing->src->n_tls)
                nx_report_node(im, ing, ynode_get(ing->src->spec_src, "tls"),
                               DIAG_IMPORT_IGNORED,
                               "ignored on a canary Ingress: the main Ingress's "
                               "certificates apply");
            continue;
        }
        ingress_tls(im, ing);
    }
    for (i = 0; i < NX(im)->groups.n; i++) {
        struct host_group *g = NX(im)->groups.v[i];
        if (g->www_target)
            www_certificate(im, g);
        passthrough_wins(im, g);
    }
}
