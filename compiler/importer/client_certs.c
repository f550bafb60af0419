/*
 * Client certificates a source controller asks of the TLS handshake of a
 * host, as the Gateway's spec.tls.frontend.perPort validation.
 *
 * Gateway API validates client certificates per port, not per host: a
 * request whose SNI names a host without validation (or that sends no SNI
 * at all) would otherwise reach, by its Host header, a host that asks for
 * a certificate.  So an ask converts only when every listener of the
 * Gateway on that port asks for the same CA and mode; otherwise none of
 * that port's asks does, and each provider fails the hosts that asked
 * closed (docs/policies.md, "Client certificates").
 */
#include "import_internal.h"

#include "base/arena.h"

struct ask {
    struct o_gateway *gw; /* a Gateway, never a ListenerSet */
    const struct o_listener *l;
    struct imp_client_cert *cc;
    bool done;
};

void imp_client_cert_ask(struct imp *im, struct o_gateway *gw,
                         const char *listener, struct imp_client_cert *cc)
{
    struct ask *k = ARENA_NEW(im->a, struct ask);

    k->gw = gw->parent ? gw->parent : gw;
    k->l = imp_index_get(&k->gw->by_name, listener);
    k->cc = cc;
    cc->refused = k->l ? NULL : "the host has no HTTPS listener (no TLS certificate) to validate them on";
    k->done = !k->l;
    ptrvec_push(im->a, &im->client_certs, k);
}

static const char *key_or_default(const char *key)
{
    return key ? key : "ca.crt";
}

static bool same_ask(const struct imp_client_cert *a, const struct imp_client_cert *b)
{
    size_t i;

    if (!str_eq(a->ca_namespace, b->ca_namespace) ||
        !str_eq(a->ca_secret, b->ca_secret) ||
        !str_eq(key_or_default(a->ca_key), key_or_default(b->ca_key)) ||
        !str_eq(a->mode, b->mode) || a->n_more != b->n_more)
        return false;
    for (i = 0; i < a->n_more; i++) {
        if (!str_eq(a->more_secrets[i], b->more_secrets[i]) ||
            !str_eq(key_or_default(a->more_keys[i]), key_or_default(b->more_keys[i])))
            return false;
    }
    return true;
}

/* Why the listeners of gw on port cannot all validate as first asks, or
 * NULL; asked indexes the listeners of the asks by name. */
static const char *port_refusal(struct imp *im, const struct o_gateway *gw,
                                int64_t port, const struct index *asked)
{
    const struct o_gateway *holder = gw;
    size_t s, i;

    if (gw->src && gw->src->tls.frontend.src)
        return arena_printf(im->a, "Gateway '%s/%s' of the input has its own "
                            "spec.tls.frontend, which the import does not amend",
                            gw->namespace, gw->name);
    for (s = 0; s <= gw->sets.n; holder = s < gw->sets.n ? gw->sets.v[s] : NULL, s++) {
        for (i = 0; holder && i < holder->listeners.n; i++) {
            const struct o_listener *l = holder->listeners.v[i];
            if (l->port != port)
                continue;
            if (holder != gw)
                return arena_printf(im->a, "listener '%s' on port %lld is in a "
                                    "ListenerSet (past the Gateway's 64), which "
                                    "the Gateway's validation does not reach",
                                    l->name, (long long)port);
            if (!imp_index_get(asked, l->name))
                return arena_printf(
                    im->a, "listener '%s' (%s) of Gateway '%s/%s' on port %lld asks "
                    "for no client certificate, and Gateway API validates client "
                    "certificates per port, not per host (SNI and Host may name "
                    "different hosts)",
                    l->name, l->hostname ? l->hostname : "any host", gw->namespace,
                    gw->name, (long long)port);
        }
    }
    return NULL;
}

/* The CA ConfigMaps of cc's Secrets in the namespace of gw (into cms,
 * 1 + cc->n_more of them), or false with *why. */
static bool config_maps(struct imp *im, const struct imp_client_cert *cc,
                        const struct o_gateway *gw, const char **cms, const char **why)
{
    size_t i;

    for (i = 0; i <= cc->n_more; i++) {
        const char *secret = i ? cc->more_secrets[i - 1] : cc->ca_secret;
        const char *key = key_or_default(i ? cc->more_keys[i - 1] : cc->ca_key);
        cms[i] = imp_ca_config_map_key(im, cc->src.root, cc->ca_namespace, secret, key,
                                       gw->namespace,
                                       "the Gateway's frontend validation", why);
        if (!cms[i])
            return false;
    }
    return true;
}

static void add_frontend(struct imp *im, struct o_gateway *gw, int64_t port,
                         const char **cms, size_t n, const char *mode)
{
    struct o_frontend *f = ARENA_NEW(im->a, struct o_frontend);

    f->port = port;
    f->ca_config_maps = cms;
    f->n_ca_config_maps = n;
    f->mode = mode;
    ptrvec_push(im->a, &gw->frontend, f);
}

/* The asks of gw on the port of first's listener, first among them. */
static void resolve_port(struct imp *im, const struct ask *first)
{
    const struct ptrvec *all = &im->client_certs;
    struct index asked = {0};
    const char *why = NULL, *cm = NULL, **cms;
    const struct ynode *said = NULL;
    int64_t port = first->l->port;
    size_t i;

    for (i = 0; i < all->n; i++) {
        const struct ask *k = all->v[i];
        if (k->done || k->gw != first->gw || k->l->port != port)
            continue;
        imp_index_put(im->a, &asked, k->l->name, (void *)k);
        if (!why && !same_ask(k->cc, first->cc))
            why = arena_printf(im->a, "listener '%s' on port %lld asks for "
                               "another CA or mode than listener '%s', and "
                               "Gateway API validates client certificates per "
                               "port",
                               k->l->name, (long long)port, first->l->name);
    }
    if (!why)
        why = port_refusal(im, first->gw, port, &asked);
    cms = ARENA_NEW_ARRAY(im->a, const char *, first->cc->n_more + 1);
    if (!why && config_maps(im, first->cc, first->gw, cms, &why)) {
        add_frontend(im, first->gw, port, cms, first->cc->n_more + 1, first->cc->mode);
        for (i = 0, cm = cms[0]; i < first->cc->n_more; i++)
            cm = arena_printf(im->a, "%s', '%s", cm, cms[i + 1]);
    }
    for (i = 0; i < all->n; i++) {
        struct ask *k = all->v[i];
        if (k->done || k->gw != first->gw || k->l->port != port)
            continue;
        k->done = true;
        k->cc->refused = cm ? NULL : why;
        if (!cm || k->cc->at == said)
            continue; /* the provider says why; an alias's ask is its host's */
        said = k->cc->at;
        imp_report_src(im, &k->cc->src, k->cc->at, DIAG_IMPORT_CLIENT_CERT,
                       "converted to the frontend validation of port %lld of "
                       "Gateway '%s/%s' (spec.tls.frontend.perPort, CA "
                       "ConfigMap%s '%s', mode %s)",
                       (long long)port, first->gw->namespace, first->gw->name,
                       first->cc->n_more ? "s" : "", cm, k->cc->mode);
    }
}

void imp_client_certs_resolve(struct imp *im)
{
    size_t i;

    for (i = 0; i < im->client_certs.n; i++) {
        const struct ask *k = im->client_certs.v[i];
        if (!k->done)
            resolve_port(im, k);
    }
}
