/*
 * cert-manager's annotations on the Ingresses taken, moved to the Gateways
 * that own their TLS listeners, so that certificates keep renewing.
 *
 * cert-manager's certificate shim reads one set of annotations on
 * Ingresses and Gateways alike (pkg/controller/certificate-shim: the
 * issuer, then translateAnnotations): on an Ingress it keeps one
 * Certificate per spec.tls entry, named after its secretName, for its
 * hosts; on a Gateway one per Secret that its HTTPS and TLS Terminate
 * listeners with a hostname name, for those hostnames.  The same
 * certificates come out of the Gateway, provided that
 *   - each tls host of the Ingress is a listener of the Gateway with its
 *     Secret, in the Gateway's namespace (the shim skips listeners whose
 *     certificateRefs cross namespaces).  For a Gateway elsewhere (the
 *     Gateway per class sits in the controller's namespace), gateways.c
 *     puts the TLS listeners of the namespaces imp_certmgr_plan() names in
 *     a ListenerSet of their own namespace, which cert-manager 1.20 reads
 *     the same way (certificate-shim/listenerset);
 *   - every annotated Ingress on a Gateway agrees: the Gateway's
 *     annotations hold for all its listeners.  The first Ingress by
 *     namespace and name gives them; a difference is reported at the
 *     later one;
 *   - the listeners of Ingresses without cert-manager stay theirs:
 *     cert-manager.io/ignore-tls-listeners names them (cert-manager 1.21
 *     reads it; before, cert-manager would issue into their Secrets, which
 *     is reported);
 *   - the annotation means the same on a Gateway: kubernetes.io/tls-acme
 *     (the default issuer) and acme.cert-manager.io/http01-* (HTTP-01
 *     through an Ingress) are read on Ingresses only, and are reported.
 */
#include "certmgr_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/strbuf.h"

#include <string.h>

/* A TLS-terminating listener with a hostname and a Secret; those of one
 * host and Secret are chained. */
struct cm_listener {
    struct o_gateway *gw;
    const struct o_listener *l;
    bool managed;  /* an annotated Ingress's certificate */
    bool reported; /* its ignore-tls-listeners warning is out */
    struct cm_listener *next;
};

/* A Gateway the annotations of first move to. */
struct cm_gw {
    const struct cm_ing *first;
};

struct cm {
    struct imp *im;
    struct index listeners; /* "<host> <ns>/<secret>" -> struct cm_listener */
    struct index gateways;  /* "<ns>/<name>" -> struct cm_gw */
};

/* "Gateway ns/name" or "ListenerSet ns/name": its key and its name in
 * the report. */
static const char *holder(struct arena *a, const struct o_gateway *gw)
{
    return arena_printf(a, "%s %s/%s", gw->parent ? "ListenerSet" : "Gateway",
                        gw->namespace, gw->name);
}

static const char *secret_ns(const struct o_gateway *gw, const struct o_listener *l)
{
    return l->secret_namespace ? l->secret_namespace : gw->namespace;
}

static const char *listener_key(struct arena *a, const char *host, const char *ns,
                                const char *secret)
{
    return arena_printf(a, "%s %s/%s", host, ns, secret);
}

/* The Gateways of the output and their ListenerSets, each a holder of
 * listeners whose annotations cert-manager reads (on ListenerSets from
 * cert-manager 1.20 on), in output order. */
static void holders(struct imp *im, struct ptrvec *out)
{
    size_t i, k;

    for (i = 0; i < im->gateways.n; i++) {
        struct o_gateway *gw = im->gateways.v[i];
        ptrvec_push(im->a, out, gw);
        for (k = 0; k < gw->sets.n; k++)
            ptrvec_push(im->a, out, gw->sets.v[k]);
    }
}

static void index_listeners(struct cm *cm, const struct ptrvec *all)
{
    struct imp *im = cm->im;
    size_t i, k;

    for (i = 0; i < all->n; i++) {
        struct o_gateway *gw = all->v[i];
        for (k = 0; k < gw->listeners.n; k++) {
            const struct o_listener *l = gw->listeners.v[k];
            struct cm_listener *x;
            const char *key;
            if (!l->secret || !l->hostname ||
                !(str_eq(l->protocol, "HTTPS") || str_eq(l->protocol, "TLS")))
                continue;
            key = listener_key(im->a, l->hostname, secret_ns(gw, l), l->secret);
            x = ARENA_NEW(im->a, struct cm_listener);
            x->gw = gw;
            x->l = l;
            x->next = imp_index_get(&cm->listeners, key);
            imp_index_put(im->a, &cm->listeners, key, x);
        }
    }
}

static struct cm_listener *listeners_of(struct cm *cm, const char *host,
                                        const char *ns, const char *secret)
{
    return imp_index_get(&cm->listeners, listener_key(cm->im->a, host, ns, secret));
}

/* Differences between x's annotations and those first gave gw, at x. */
static void compare(struct imp *im, const struct cm_ing *x, const struct cm_ing *first,
                    const struct o_gateway *gw)
{
    const char *from = arena_printf(
        im->a, "%s, which serves this Ingress's certificates, takes its "
               "cert-manager annotations from %s (the first annotated Ingress on "
               "it, by namespace and name)",
        holder(im->a, gw), first->label);
    size_t i = 0, k = 0;

    while (i < first->n_moved || k < x->n_moved) {
        const struct strmap_entry *a = i < first->n_moved ? first->moved[i] : NULL;
        const struct strmap_entry *b = k < x->n_moved ? x->moved[k] : NULL;
        int c = !a ? 1 : !b ? -1 : strcmp(a->key, b->key);

        if (c == 0 && !str_eq(a->value, b->value))
            imp_cm_report(im, x, b->src, DIAG_IMPORT_CERT_MANAGER_CONFLICT,
                          "%s: cert-manager issues this Ingress's certificates with "
                          "'%s' there, not '%s'",
                          from, imp_report_value(im, a->value),
                          imp_report_value(im, b->value));
        else if (c < 0)
            imp_cm_report(im, x, x->issuer, DIAG_IMPORT_CERT_MANAGER_CONFLICT,
                          "%s, with %s: '%s', which this Ingress does not set; "
                          "cert-manager applies it to this Ingress's certificates too",
                          from, a->key, imp_report_value(im, a->value));
        else if (c > 0)
            imp_cm_report(im, x, b->src, DIAG_IMPORT_CERT_MANAGER_CONFLICT,
                          "not moved: %s, which does not set it; cert-manager issues "
                          "this Ingress's certificates without it",
                          from);
        i += c <= 0;
        k += c >= 0;
    }
}

/* Why the listener of holder h, of another namespace than the Secret's
 * (ns), gets no certificate from cert-manager. */
static const char *crossed_why(struct imp *im, const struct o_gateway *h,
                               const char *ns)
{
    const char *why = arena_printf(
        im->a, "%s serves it, and cert-manager issues only into Secrets of the "
               "namespace of the Gateway or ListenerSet that names them",
        holder(im->a, h));
    const struct gateway *src = h->parent ? NULL : h->src;

    if (src && src->allowed_listeners.namespaces.from != FROM_ALL &&
        src->allowed_listeners.namespaces.from != FROM_NONE)
        return arena_printf(
            im->a, "%s; a ListenerSet of namespace '%s' would carry its "
                   "listener, but the allowedListeners of that Gateway (the "
                   "input's) do not admit ListenerSets from there: let them "
                   "admit namespace '%s' (from: All, or a Selector on "
                   "kubernetes.io/metadata.name) and import again",
            why, ns, ns);
    return why;
}

/* The Gateways serving x's tls hosts with their Secrets, in x's namespace
 * (their listeners now managed), into gws; the hosts no such listener
 * serves are reported, per tls entry. */
static void find_gateways(struct cm *cm, const struct cm_ing *x, struct ptrvec *gws)
{
    struct imp *im = cm->im;
    size_t t, h, g;

    for (t = 0; t < x->in->n_tls; t++) {
        const struct ingress_tls *tls = &x->in->tls[t];
        struct strbuf lost = STRBUF_INIT;
        const struct o_gateway *crossed = NULL;
        size_t served = 0;
        for (h = 0; tls->secret_name && h < tls->n_hosts; h++) {
            struct cm_listener *l =
                listeners_of(cm, tls->hosts[h], x->ns, tls->secret_name);
            bool found = false;
            for (; l; l = l->next) {
                if (!str_eq(l->gw->namespace, x->ns)) {
                    crossed = l->gw;
                    continue;
                }
                found = l->managed = true;
                for (g = 0; g < gws->n && gws->v[g] != l->gw; g++)
                    ;
                if (g == gws->n)
                    ptrvec_push(im->a, gws, l->gw);
            }
            if (found)
                served++;
            else
                strbuf_addf(&lost, "%s%s", lost.len ? ", " : "", tls->hosts[h]);
        }
        /* Without a listener, the Secret is no longer renewed at all; with
         * some, its certificate only loses the names no listener serves. */
        if (lost.len)
            imp_cm_report_sev(im, x, tls->src, served ? DIAG_WARNING : DIAG_ERROR,
                              DIAG_IMPORT_CERT_MANAGER_LOST,
                              "%s %s %s %s after the migration: %s",
                              served ? "cert-manager's certificate in Secret"
                                     : "cert-manager would no longer renew Secret",
                              tls->secret_name, served ? "would no longer name" : "for",
                              lost.buf,
                              crossed ? crossed_why(im, crossed, x->ns)
                                      : "no HTTPS listener of the output serves it with "
                                        "that Secret");
        strbuf_release(&lost);
    }
}

/* The Gateway of --gateway taken from the input keeps the annotations
 * it has: x's must be there already. */
static void check_input(struct imp *im, const struct cm_ing *x,
                        const struct o_gateway *gw)
{
    const struct strmap *have = &gw->src->obj.meta.annotations;
    size_t i, missing = 0;
    const struct strmap_entry *first = NULL;

    for (i = 0; i < x->n_moved; i++) {
        if (!str_eq(model_strmap_get(have, x->moved[i]->key), x->moved[i]->value) &&
            !missing++)
            first = x->moved[i];
    }
    if (missing)
        imp_cm_report(im, x, first->src, DIAG_IMPORT_CERT_MANAGER_LOST,
                      "%s serves this Ingress's certificates, and is the input's "
                      "(--gateway), whose annotations the import leaves as they are; "
                      "it lacks this annotation's value%s: add this Ingress's "
                      "cert-manager annotations to it, or its certificates stop "
                      "renewing",
                      holder(im->a, gw),
                      missing > 1 ? arena_printf(im->a, " and %zu more", missing - 1) : "");
}

static int cmp_ingress(const void *pa, const void *pb)
{
    const struct ingress *a = *(const struct ingress *const *)pa;
    const struct ingress *b = *(const struct ingress *const *)pb;

    return strcmp(a->obj.nsname, b->obj.nsname);
}

static void annotate(struct imp *im, struct o_gateway *gw, const char *key,
                     const char *value)
{
    struct o_header *h = ARENA_NEW(im->a, struct o_header);

    h->name = key;
    h->value = value;
    ptrvec_push(im->a, &gw->annotations, h);
}

/* The listeners of Ingresses without cert-manager on gw, which gw's
 * annotations would otherwise reach: cert-manager.io/ignore-tls-listeners. */
static void ignore_unmanaged(struct cm *cm, struct o_gateway *gw)
{
    struct strbuf names = STRBUF_INIT;
    size_t k;

    for (k = 0; k < gw->listeners.n; k++) {
        const struct o_listener *l = gw->listeners.v[k];
        struct cm_listener *x;
        if (!l->secret || !l->hostname)
            continue;
        for (x = listeners_of(cm, l->hostname, secret_ns(gw, l), l->secret);
             x && x->l != l; x = x->next)
            ;
        if (x && !x->managed && str_eq(secret_ns(gw, l), gw->namespace))
            strbuf_addf(&names, "%s%s", names.len ? "," : "", l->name);
    }
    if (names.len)
        annotate(cm->im, gw, CM "ignore-tls-listeners",
                 arena_strndup(cm->im->a, names.buf, names.len));
    strbuf_release(&names);
}

/* One warning per listener named in ignore-tls-listeners, at the tls
 * entry of the first Ingress (by namespace and name) it serves. */
static void warn_unmanaged(struct cm *cm, const struct ptrvec *ings)
{
    struct imp *im = cm->im;
    size_t i, t, h;

    for (i = 0; i < ings->n; i++) {
        const struct ingress *in = ings->v[i];
        const char *ns = imp_object_namespace(im, &in->obj);
        for (t = 0; t < in->n_tls; t++) {
            const struct ingress_tls *tls = &in->tls[t];
            for (h = 0; tls->secret_name && h < tls->n_hosts; h++) {
                struct cm_listener *l =
                    listeners_of(cm, tls->hosts[h], ns, tls->secret_name);
                for (; l; l = l->next) {
                    const struct cm_gw *g = imp_index_get(&cm->gateways,
                                                          holder(im->a, l->gw));
                    if (!g || l->managed || l->reported ||
                        !str_eq(l->gw->namespace, ns))
                        continue;
                    l->reported = true;
                    imp_report_at(
                        im, model_object_label(im->c, &in->obj), in->obj.src,
                        tls->src, DIAG_IMPORT_CERT_MANAGER_CONFLICT,
                        "listener %s of %s serves Secret %s, which "
                        "cert-manager does not manage for this Ingress, on a "
                        "Gateway that carries the cert-manager annotations of "
                        "%s: the import names the listener in "
                        "cert-manager.io/ignore-tls-listeners, which cert-manager "
                        "reads from version 1.21 on; an older one would issue a "
                        "certificate into that Secret, replacing it",
                        l->l->name, holder(im->a, l->gw),
                        tls->secret_name, g->first->label);
                }
            }
        }
    }
}

/* cert-manager gives a ListenerSet its Gateway's issuer when it names
 * none, and the Gateway's issuer-kind and issuer-group always
 * (certificate-shim/listenerset: inheritAnnotations).  A set of the
 * output without annotations, under an annotated Gateway, is treated as
 * carrying the Gateway's (its other listeners are then named in
 * ignore-tls-listeners); an annotated set whose Ingress's issuer-kind or
 * issuer-group the Gateway's would replace is reported. */
static void inherit(struct cm *cm, struct o_gateway *set)
{
    static const char *const replaced[] = {"issuer-kind", "issuer-group"};
    struct imp *im = cm->im;
    const struct cm_gw *parent, *own;
    size_t k;

    if (!set->parent || set->parent->src)
        return;
    parent = imp_index_get(&cm->gateways, holder(im->a, set->parent));
    own = imp_index_get(&cm->gateways, holder(im->a, set));
    if (!parent)
        return;
    if (!own) {
        imp_index_put(im->a, &cm->gateways, holder(im->a, set), (void *)parent);
        return;
    }
    for (k = 0; k < ARRAY_SIZE(replaced); k++) {
        const struct strmap_entry *g = imp_cm_moved_entry(parent->first, replaced[k]);
        const struct strmap_entry *s = imp_cm_moved_entry(own->first, replaced[k]);
        if (g && (!s || !str_eq(g->value, s->value)))
            imp_cm_report(im, own->first, s ? s->src : own->first->issuer,
                          DIAG_IMPORT_CERT_MANAGER_CONFLICT,
                          "%s takes %s%s: '%s' from its Gateway %s/%s (whose "
                          "annotations come from %s): cert-manager issues this "
                          "Ingress's certificates with it",
                          holder(im->a, set), CM, replaced[k],
                          imp_report_value(im, g->value), set->parent->namespace,
                          set->parent->name, parent->first->label);
    }
}

/* Whether set has cg only as its Gateway's (inherit()). */
static bool inherited(struct cm *cm, const struct o_gateway *set,
                      const struct cm_gw *cg)
{
    return set->parent &&
           cg == imp_index_get(&cm->gateways, holder(cm->im->a, set->parent));
}

static int cmp_header(const void *pa, const void *pb)
{
    const struct o_header *a = *(const struct o_header *const *)pa;
    const struct o_header *b = *(const struct o_header *const *)pb;

    return strcmp(a->name, b->name);
}

void imp_certmgr_move(struct imp *im)
{
    struct ptrvec ings = {0}, all = {0};
    struct cm cm;
    size_t i, g;

    for (i = 0; i < im->ingresses.n; i++) {
        const struct ingress *in = im->ingresses.v[i];
        if (imp_cm_annotated(in))
            break;
    }
    if (i == im->ingresses.n)
        return; /* no cert-manager at all: nothing to index */
    memset(&cm, 0, sizeof(cm));
    cm.im = im;
    holders(im, &all);
    index_listeners(&cm, &all);
    for (i = 0; i < im->ingresses.n; i++)
        ptrvec_push(im->a, &ings, im->ingresses.v[i]);
    ptrvec_sort(&ings, cmp_ingress);
    for (i = 0; i < ings.n; i++) {
        struct cm_ing *x = imp_cm_annotated(ings.v[i]) ? imp_cm_classify(im, ings.v[i])
                                                             : NULL;
        struct ptrvec gws = {0};
        struct strbuf names = STRBUF_INIT;
        bool sets = false;
        if (!x)
            continue;
        find_gateways(&cm, x, &gws);
        for (g = 0; g < gws.n; g++) {
            struct o_gateway *gw = gws.v[g];
            const char *key = holder(im->a, gw);
            struct cm_gw *cg = imp_index_get(&cm.gateways, key);
            strbuf_addf(&names, "%s%s", g ? ", " : "", holder(im->a, gw));
            sets |= gw->parent != NULL;
            if (gw->src)
                check_input(im, x, gw);
            if (cg) {
                compare(im, x, cg->first, gw);
                continue;
            }
            cg = ARENA_NEW(im->a, struct cm_gw);
            cg->first = x;
            imp_index_put(im->a, &cm.gateways, key, cg);
        }
        if (gws.n)
            imp_cm_report(im, x, x->issuer, DIAG_IMPORT_CERT_MANAGER,
                          "moved with the other cert-manager annotations to %s, "
                          "which serves this Ingress's tls hosts: cert-manager issues "
                          "the same certificates there once its Gateway API support "
                          "is on%s",
                          names.buf,
                          sets ? " (for a ListenerSet: cert-manager 1.20 or later, "
                                 "with config.gatewayAPI.enableListenerSet and the "
                                 "ListenerSets feature gate)"
                               : "");
        strbuf_release(&names);
    }
    for (i = 0; i < all.n; i++)
        inherit(&cm, all.v[i]);
    for (i = 0; i < all.n; i++) {
        struct o_gateway *gw = all.v[i];
        const struct cm_gw *cg = imp_index_get(&cm.gateways, holder(im->a, gw));
        size_t k;
        if (!cg || gw->src)
            continue;
        for (k = 0; k < cg->first->n_moved && !inherited(&cm, gw, cg); k++)
            annotate(im, gw, cg->first->moved[k]->key, cg->first->moved[k]->value);
        ignore_unmanaged(&cm, gw);
        ptrvec_sort(&gw->annotations, cmp_header);
    }
    warn_unmanaged(&cm, &ings);
}