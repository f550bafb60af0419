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
#include "import_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/strbuf.h"
#include "load/load.h"

#include <string.h>

#define CM "cert-manager.io/"
#define ACME "acme.cert-manager.io/"
#define TLS_ACME "kubernetes.io/tls-acme"

/* After CM: what the shim reads on an Ingress and on a Gateway alike. */
static const char *const moved_names[] = {
    "alt-names", "cluster-issuer", "common-name", "duration", "email-sans",
    "ip-sans", "issuer", "issuer-group", "issuer-kind", "private-key-algorithm",
    "private-key-encoding", "private-key-rotation-policy", "private-key-size",
    "renew-before", "renew-before-percentage", "revision-history-limit",
    "secret-template", "subject-countries", "subject-localities",
    "subject-organizationalunits", "subject-organizations", "subject-postalcodes",
    "subject-provinces", "subject-serialnumber", "subject-streetaddresses",
    "usages",
};

/* After ACME: how HTTP-01 is solved through an Ingress. */
static const char *const http01_names[] = {
    "http01-edit-in-place", "http01-ingress-class",
    "http01-ingress-ingressclassname",
};

/* A cert-manager annotation, whatever the shim does with it. */
static bool ours(const char *key)
{
    return str_starts_with(key, CM) || str_starts_with(key, ACME) || str_eq(key, TLS_ACME);
}

/* An Ingress whose annotations move. */
struct cm_ing {
    const struct ingress *in;
    const char *label, *ns;
    const struct ynode *root;
    const struct strmap_entry **moved; /* sorted by key */
    size_t n_moved;
    const struct ynode *issuer; /* its issuer or cluster-issuer */
};

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

/* The first annotation of the Ingress, in the file, that key_ok accepts. */
static const struct ynode *first_annotation(const struct ingress *in,
                                            bool (*key_ok)(const char *))
{
    const struct ynode *ann = ynode_get(in->obj.meta.src, "annotations");
    size_t i;

    for (i = 0; ann && ann->kind == YNODE_MAP && i < ann->n; i++) {
        if (key_ok(ann->items[i]->key))
            return ann->items[i];
    }
    return NULL;
}

static const struct strmap_entry *moved_entry(const struct cm_ing *x,
                                              const char *name)
{
    size_t i;

    for (i = 0; i < x->n_moved; i++) {
        if (str_eq(x->moved[i]->key + strlen(CM), name))
            return x->moved[i];
    }
    return NULL;
}

static void report_sev(struct imp *im, const struct cm_ing *x,
                       const struct ynode *at, enum diag_severity sev,
                       enum diag_code code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void report_sev(struct imp *im, const struct cm_ing *x,
                       const struct ynode *at, enum diag_severity sev,
                       enum diag_code code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    imp_report_vat(im, x->label, x->root, at, sev, code, fmt, ap);
    va_end(ap);
}

static void report(struct imp *im, const struct cm_ing *x, const struct ynode *at,
                   enum diag_code code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void report(struct imp *im, const struct cm_ing *x, const struct ynode *at,
                   enum diag_code code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    imp_report_vat(im, x->label, x->root, at, diag_info(code)->severity, code,
                   fmt, ap);
    va_end(ap);
}

/* The annotation cert-manager refuses cert-manager.io/cluster-issuer
 * together with, when m has both; else NULL. */
static const char *refused_with(const struct strmap *m)
{
    static const char *const others[] = {CM "issuer", CM "issuer-kind",
                                         CM "issuer-group"};
    size_t i;

    for (i = 0; model_strmap_get(m, CM "cluster-issuer") && i < ARRAY_SIZE(others);
         i++) {
        if (model_strmap_get(m, others[i]))
            return others[i];
    }
    return NULL;
}

/* The issuer as cert-manager reads it; false (reported) when cert-manager
 * refuses the combination and so issues nothing for the Ingress. */
static bool issuer_ok(struct imp *im, struct cm_ing *x)
{
    const struct strmap_entry *issuer = moved_entry(x, "issuer");
    const struct strmap_entry *cluster = moved_entry(x, "cluster-issuer");
    const char *other = refused_with(&x->in->obj.meta.annotations);

    x->issuer = cluster ? cluster->src : issuer ? issuer->src : NULL;
    if (!other)
        return true;
    report(im, x, cluster->src, DIAG_IMPORT_BAD_VALUE,
           "cert-manager refuses cert-manager.io/cluster-issuer together with "
           "%s and issues nothing for this Ingress; moved to a Gateway, it "
           "would stop the certificates of every Ingress there: nothing moved",
           other);
    return false;
}

void imp_certmgr_plan(struct imp *im)
{
    const struct ptrvec *v = &im->m->objects[KIND_INGRESS];
    size_t i;

    for (i = 0; i < v->n; i++) {
        const struct ingress *in = v->v[i];
        const struct strmap *m = &in->obj.meta.annotations;
        const char *ns = imp_object_namespace(im, &in->obj);
        if (in->obj.rejected || !in->n_tls || !ns || refused_with(m) ||
            (!model_strmap_get(m, CM "issuer") &&
             !model_strmap_get(m, CM "cluster-issuer")))
            continue;
        imp_index_put(im->a, &im->cm_namespaces, ns, (void *)ns);
    }
}

bool imp_certmgr_namespace(const struct imp *im, const char *ns)
{
    return imp_index_get(&im->cm_namespaces, ns) != NULL;
}

/* The annotations of in that move, or NULL; what does not move is
 * reported here. */
static struct cm_ing *classify(struct imp *im, const struct ingress *in)
{
    const struct strmap *m = &in->obj.meta.annotations;
    const struct strmap_entry *acme = NULL;
    struct ptrvec http01 = {0}, moved = {0};
    struct cm_ing *x;
    bool acme_on = false;
    size_t i;

    x = ARENA_NEW(im->a, struct cm_ing);
    x->in = in;
    x->label = model_object_label(im->c, &in->obj);
    x->ns = imp_object_namespace(im, &in->obj);
    x->root = in->obj.src;
    for (i = 0; i < m->n; i++) {
        const struct strmap_entry *e = &m->v[i];
        bool b;
        if (str_eq(e->key, TLS_ACME)) {
            acme = e;
            acme_on = imp_value_parse_go_bool(e->value, &b) && b;
        } else if (str_starts_with(e->key, CM) &&
                   str_in(moved_names, ARRAY_SIZE(moved_names), e->key + strlen(CM))) {
            ptrvec_push(im->a, &moved, (void *)e);
        } else if (str_starts_with(e->key, ACME) &&
                   str_in(http01_names, ARRAY_SIZE(http01_names),
                          e->key + strlen(ACME))) {
            ptrvec_push(im->a, &http01, (void *)e);
        } else if (ours(e->key)) {
            report(im, x, e->src, DIAG_IMPORT_IGNORED,
                   str_eq(e->key, CM "ignore-tls-listeners")
                       ? "cert-manager reads it on Gateways and ListenerSets, not "
                         "on Ingresses: nothing to move"
                       : "cert-manager does not read it on an Ingress (it "
                         "belongs on a Certificate, Secret or other object): "
                         "nothing to move");
        }
    }
    x->moved = (const struct strmap_entry **)moved.v;
    x->n_moved = moved.n;
    if (!issuer_ok(im, x))
        return NULL;
    if (!x->issuer && !acme_on) {
        if (moved.n || http01.n || acme)
            report(im, x, first_annotation(in, ours), DIAG_IMPORT_IGNORED,
                   "cert-manager ignores this Ingress: it names no issuer "
                   "(cert-manager.io/issuer or cert-manager.io/cluster-issuer) "
                   "and kubernetes.io/tls-acme is not \"true\": nothing to move");
        return NULL;
    }
    if (acme && x->issuer)
        report(im, x, acme->src, DIAG_IMPORT_IGNORED,
               "nothing to move: on the Gateway, %s names the issuer",
               x->issuer->key);
    for (i = 0; i < http01.n; i++) {
        const struct strmap_entry *e = http01.v[i];
        report(im, x, e->src, DIAG_IMPORT_CERT_MANAGER_LOST,
               "not moved: it chooses how HTTP-01 challenges are solved through "
               "an Ingress; for a Gateway's certificates cert-manager attaches "
               "the challenge's HTTPRoute to that Gateway, through an Issuer "
               "solver of type gatewayHTTPRoute: give the Issuer such a solver, "
               "or certificates solved by HTTP-01 stop renewing once the Ingress "
               "controller is gone");
    }
    if (!x->issuer) {
        report(im, x, acme->src, DIAG_IMPORT_CERT_MANAGER_LOST,
               "not moved: cert-manager reads kubernetes.io/tls-acme on "
               "Ingresses only (issuing from its default issuer, the "
               "controller's --default-issuer-name and --default-issuer-kind); "
               "a Gateway must name the issuer: add cert-manager.io/cluster-issuer "
               "(or cert-manager.io/issuer) naming it to the Ingress and import "
               "again, or its certificates stop renewing");
        return NULL;
    }
    if (!in->n_tls) {
        report(im, x, x->issuer, DIAG_IMPORT_IGNORED,
               "cert-manager issues nothing for an Ingress without spec.tls: "
               "nothing to move");
        return NULL;
    }
    return x;
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
            report(im, x, b->src, DIAG_IMPORT_CERT_MANAGER_CONFLICT,
                   "%s: cert-manager issues this Ingress's certificates with "
                   "'%s' there, not '%s'",
                   from, imp_report_value(im, a->value),
                   imp_report_value(im, b->value));
        else if (c < 0)
            report(im, x, x->issuer, DIAG_IMPORT_CERT_MANAGER_CONFLICT,
                   "%s, with %s: '%s', which this Ingress does not set; "
                   "cert-manager applies it to this Ingress's certificates too",
                   from, a->key, imp_report_value(im, a->value));
        else if (c > 0)
            report(im, x, b->src, DIAG_IMPORT_CERT_MANAGER_CONFLICT,
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
            report_sev(im, x, tls->src, served ? DIAG_WARNING : DIAG_ERROR,
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
        report(im, x, first->src, DIAG_IMPORT_CERT_MANAGER_LOST,
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
        const struct strmap_entry *g = moved_entry(parent->first, replaced[k]);
        const struct strmap_entry *s = moved_entry(own->first, replaced[k]);
        if (g && (!s || !str_eq(g->value, s->value)))
            report(im, own->first, s ? s->src : own->first->issuer,
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
        if (first_annotation(in, ours))
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
        struct cm_ing *x = first_annotation(ings.v[i], ours) ? classify(im, ings.v[i])
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
            report(im, x, x->issuer, DIAG_IMPORT_CERT_MANAGER,
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
