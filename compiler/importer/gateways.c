/*
 * The Gateways of the output, for every provider.  One source controller
 * served its Ingresses on one set of addresses, so the import gives each
 * of its classes one Gateway (not one per namespace, which most
 * implementations would turn into one load balancer and one address per
 * namespace): the Gateway named by --gateway for all of them, taken from
 * the inputs and amended when they hold it; else one per class, in
 * --gateway-namespace (the provider's usual install namespace).
 *
 * A listener the Gateway already has for the same port and hostname is
 * reused, not repeated; the namespaces whose routes attach are admitted
 * by name in allowedRoutes, and a certificate in another namespace gets
 * its ReferenceGrant.  Past the 64 listeners a Gateway holds, ListenerSets
 * attached to it carry the rest (64 each).
 */
#include "import_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "load/load.h"

#include <string.h>

#define METADATA_NAME "kubernetes.io/metadata.name"

static void admit_seed(struct imp *im, struct o_listener *l, const char *ns)
{
    if (imp_index_get(&l->admitted, ns))
        return;
    imp_index_put(im->a, &l->admitted, ns, (void *)ns);
    ptrvec_push(im->a, &l->route_namespaces, (void *)ns);
}

/* What the allowedRoutes of the input's listener admit: every namespace,
 * a list of names gwc can extend (Same is the Gateway's own), or a
 * selector on labels gwc cannot see (then routes of other namespaces are
 * reported). */
static void seed_admission(struct imp *im, struct o_listener *l, const char *gw_ns)
{
    const struct namespaces_from *f = &l->src->allowed_routes.namespaces;
    const struct label_selector *s = &f->selector;
    size_t i;

    if (f->from == FROM_UNSET || f->from == FROM_SAME) {
        l->admits_named = true;
        admit_seed(im, l, gw_ns);
    } else if (f->from == FROM_ALL) {
        l->admits_all = true;
    } else if (f->from == FROM_SELECTOR && !s->match_labels.n &&
               s->n_match_expressions == 1 &&
               str_eq(s->match_expressions[0].key, METADATA_NAME) &&
               str_eq(s->match_expressions[0].operator, "In")) {
        l->admits_named = true;
        for (i = 0; i < s->match_expressions[0].n_values; i++)
            admit_seed(im, l, s->match_expressions[0].values[i]);
    }
}

static void claim_listener(struct imp *im, const struct o_gateway *gw,
                           struct o_listener *l, const char *base)
{
    l->name = imp_name_claim(
        im, arena_printf(im->a, "listener/%s/%s", gw->namespace, gw->name), base,
        253);
}

static const char *socket_key(struct imp *im, int64_t port, const char *host)
{
    return arena_printf(im->a, "%lld %s", (long long)port, host);
}

/* The protocols port_clash() asks for; any other (an implementation's own,
 * from an input Gateway) is "" here, and shares a port with nothing. */
static const char *const known_protocols[] = {"HTTP", "HTTPS", "TLS", "TCP", "UDP", ""};

static const char *port_protocol_key(struct imp *im, int64_t port, const char *proto)
{
    size_t i;

    for (i = 0; i + 1 < ARRAY_SIZE(known_protocols); i++) {
        if (str_eq(proto, known_protocols[i]))
            break;
    }
    return arena_printf(im->a, "%lld %s", (long long)port, known_protocols[i]);
}

static void index_first(struct imp *im, struct index *ix, const char *key, void *l)
{
    if (!imp_index_get(ix, key))
        imp_index_put(im->a, ix, key, l);
}

/* Adds l to h (gw or one of its sets) and to gw's indexes, so that each
 * lookup below is one probe, not a scan of every listener: one Gateway
 * grows ListenerSets without bound. */
static void listener_push(struct imp *im, struct o_gateway *gw, struct o_gateway *h,
                          struct o_listener *l)
{
    l->holder = h;
    l->seq = gw->n_all++;
    ptrvec_push(im->a, &h->listeners, l);
    index_first(im, &gw->by_name, l->name, l);
    index_first(im, &gw->by_socket,
                socket_key(im, l->port, l->hostname ? l->hostname : ""), l);
    index_first(im, &gw->by_port_protocol, port_protocol_key(im, l->port, l->protocol),
                l);
}

/* The input's Gateway, its listeners as the model read them. */
static void seed_from_input(struct imp *im, struct o_gateway *gw,
                            const struct gateway *src)
{
    enum namespaces_from_type from = src->allowed_listeners.namespaces.from;
    size_t i;

    gw->src = src;
    gw->class_name = src->gateway_class_name;
    for (i = 0; i < src->n_listeners; i++) {
        const struct listener *s = &src->listeners[i];
        struct o_listener *l = ARENA_NEW(im->a, struct o_listener);
        const struct secret_ref *cert =
            s->tls.n_certificate_refs ? &s->tls.certificate_refs[0] : NULL;

        l->src = s;
        l->hostname = s->hostname && *s->hostname ? s->hostname : NULL;
        l->protocol = s->protocol;
        l->port = s->port;
        l->secret = cert ? cert->name : NULL;
        l->secret_namespace = cert ? cert->namespace : NULL;
        seed_admission(im, l, gw->namespace);
        claim_listener(im, gw, l, s->name);
        l->name = s->name; /* as written, even when repeated (reported by check) */
        listener_push(im, gw, gw, l);
    }
    gw->open_sets = from == FROM_UNSET || from == FROM_NONE;
}

static struct o_gateway *gateway_new(struct imp *im, const char *ns, const char *name)
{
    struct o_gateway *gw = ARENA_NEW(im->a, struct o_gateway);

    gw->namespace = ns;
    gw->class_name = im->o->gateway_class_name ? im->o->gateway_class_name : "nginx";
    gw->name = imp_name_claim(im, arena_printf(im->a, "Gateway/%s", ns), name, 253);
    ptrvec_push(im->a, &im->gateways, gw);
    return gw;
}

/* Made on first use: the input's Gateway, or a new one. */
static struct o_gateway *shared_gateway(struct imp *im)
{
    const struct object *o;
    struct o_gateway *gw;

    if (im->shared)
        return im->shared;
    o = model_find(im->m, KIND_GATEWAY, im->shared_ns, im->shared_name);
    gw = gateway_new(im, im->shared_ns, im->shared_name);
    im->shared = gw;
    if (o && !o->rejected) {
        seed_from_input(im, gw, (const struct gateway *)o);
        imp_report_at(im, model_object_label(im->c, o), o->src,
                      ynode_get(ynode_get(o->src, "metadata"), "name"),
                      DIAG_IMPORT_SHARED_GATEWAY,
                      "the routes attach to this Gateway; the output carries it "
                      "with the listeners it lacked");
    } else if (o) {
        diag_report_sev(&im->c->diags, DIAG_ERROR, DIAG_IMPORT_SHARED_GATEWAY,
                        ynode_loc(im->c, o->src), model_object_label(im->c, o), NULL,
                        "--gateway names this Gateway, which the API server would "
                        "refuse (see the error at its field): fix it, then import "
                        "again; the output holds a new Gateway of that name");
    }
    return gw;
}

struct o_gateway *imp_gateway_for(struct imp *im, const char *name)
{
    const char *ns;
    struct o_gateway *gw;

    if (im->shared_name)
        return shared_gateway(im);
    gw = imp_index_get(&im->gateway_index, name);
    if (gw)
        return gw;
    ns = im->o->gateway_namespace ? im->o->gateway_namespace : im->provider->namespace;
    gw = gateway_new(im, ns, im->o->gateway_name ? im->o->gateway_name : name);
    imp_index_put(im->a, &im->gateway_index, name, gw);
    return gw;
}

/* ---- listeners ---- */

/* HTTP, HTTPS and TLS listeners share a port; TCP and UDP take theirs
 * alone (Gateway API's protocol conflicts, as gwc check sees them). */
static bool port_compatible(const char *a, const char *b)
{
    bool a_http = str_eq(a, "HTTP"), b_http = str_eq(b, "HTTP");
    bool a_tls = str_eq(a, "HTTPS") || str_eq(a, "TLS");
    bool b_tls = str_eq(b, "HTTPS") || str_eq(b, "TLS");

    return (a_http && b_http) || (a_tls && b_tls);
}

static bool same_secret(const struct o_listener *l, const char *secret,
                        const char *secret_ns)
{
    const char *l_ns = l->secret_namespace ? l->secret_namespace : l->holder->namespace;

    if (!l->secret || !secret)
        return !l->secret && !secret;
    return str_eq(l->secret, secret) && str_eq(l_ns, secret_ns);
}

struct o_listener *imp_listener_find(const struct o_gateway *gw,
                                     bool (*fn)(const struct o_listener *l,
                                                const void *ctx),
                                     const void *ctx, const struct o_gateway **holder)
{
    size_t s, i;

    for (s = 0; s <= gw->sets.n; s++) {
        const struct o_gateway *h = s ? gw->sets.v[s - 1] : gw;
        for (i = 0; i < h->listeners.n; i++) {
            struct o_listener *l = h->listeners.v[i];
            if (fn(l, ctx)) {
                if (holder)
                    *holder = h;
                return l;
            }
        }
    }
    return NULL;
}

struct wanted {
    const char *proto, *host;
    int64_t port;
};

/* The first listener on w's port whose protocol cannot share it with w's. */
static const struct o_listener *port_clash(struct imp *im, const struct o_gateway *gw,
                                           const struct wanted *w)
{
    const struct o_listener *first = NULL, *l;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(known_protocols); i++) {
        if (port_compatible(known_protocols[i], w->proto))
            continue;
        l = imp_index_get(&gw->by_port_protocol,
                          port_protocol_key(im, w->port, known_protocols[i]));
        if (l && (!first || l->seq < first->seq))
            first = l;
    }
    return first;
}

static const char *cert_text(struct imp *im, const struct o_gateway *gw,
                             const char *secret, const char *ns)
{
    if (!secret)
        return "no certificate";
    return arena_printf(im->a, "certificate %s/%s", ns ? ns : gw->namespace, secret);
}

/* The listener gw already has on the port for host, if it serves what
 * the caller wants; a different protocol or certificate is reported (the
 * Gateway's listener stays as it is, and the routes attach to it). */
static const char *reuse(struct imp *im, const struct o_gateway *gw,
                         const struct imp_src *src, const struct ynode *at,
                         const struct wanted *w, const char *secret,
                         const char *secret_ns)
{
    const struct o_listener *l =
        imp_index_get(&gw->by_socket, socket_key(im, w->port, w->host));
    const char *host = *w->host ? w->host : "*";

    if (!l)
        return NULL;
    if (!str_eq(l->protocol, w->proto))
        imp_report_src(im, src, at, DIAG_IMPORT_LISTENER_CONFLICT,
                       "Gateway %s/%s has listener '%s' (%s) on port %lld for host "
                       "'%s', where this needs %s: the routes of host '%s' "
                       "attach to it and are not accepted; change the "
                       "listener or import onto another Gateway",
                       gw->namespace, gw->name, l->name, l->protocol,
                       (long long)w->port, host, w->proto, host);
    else if (!same_secret(l, secret, secret_ns))
        imp_report_src(im, src, at, DIAG_IMPORT_LISTENER_CONFLICT,
                       "Gateway %s/%s has listener '%s' for host '%s' on port "
                       "%lld with %s, not %s: the Gateway's is kept",
                       gw->namespace, gw->name, l->name, host, (long long)w->port,
                       cert_text(im, l->holder, l->secret, l->secret_namespace),
                       cert_text(im, gw, secret, secret_ns));
    else if (l->src)
        imp_report_src(im, src, at, DIAG_IMPORT_LISTENER_REUSED,
                       "listener '%s' of Gateway %s/%s already serves host '%s' "
                       "on port %lld (%s): the routes attach to it",
                       l->name, gw->namespace, gw->name, host, (long long)w->port,
                       l->protocol);
    return l->name;
}

/* The namespace of the holder of a listener for secret: the Gateway's,
 * but the Secret's when an Ingress there names a cert-manager issuer and
 * the Gateway admits ListenerSets from there (else certmgr.c reports the
 * certificates cert-manager no longer renews). */
static const char *holder_namespace(const struct imp *im, const struct o_gateway *gw,
                                    const char *secret, const char *secret_ns)
{
    if (!secret || str_eq(secret_ns, gw->namespace) ||
        !imp_certmgr_namespace(im, secret_ns))
        return gw->namespace;
    if (gw->src && !gw->open_sets &&
        gw->src->allowed_listeners.namespaces.from != FROM_ALL)
        return gw->namespace;
    return secret_ns;
}

/* The holder of namespace ns with room: the Gateway or its last
 * ListenerSet there; else a new ListenerSet there (past the Gateway's 64
 * noted at src). */
static struct o_gateway *holder_with_room(struct imp *im, struct o_gateway *gw,
                                          const char *ns, const struct imp_src *src,
                                          const struct ynode *at)
{
    struct o_gateway *h = imp_index_get(&gw->last_set, ns), *set;
    bool own = str_eq(ns, gw->namespace);

    if (!h && own)
        h = gw;
    if (h && h->listeners.n < MAX_GATEWAY_LISTENERS)
        return h;
    set = ARENA_NEW(im->a, struct o_gateway);
    set->parent = gw;
    set->namespace = ns;
    set->ordinal = h ? h->ordinal + 1 : 1;
    if (own && !h->parent)
        set->ordinal = 2; /* the Gateway is the first */
    set->name = imp_name_claim(
        im, arena_printf(im->a, "ListenerSet/%s", ns),
        set->ordinal == 1 ? gw->name
                          : arena_printf(im->a, "%s-%02zu", gw->name, set->ordinal),
        253);
    ptrvec_push(im->a, &gw->sets, set);
    imp_index_put(im->a, &gw->last_set, ns, set);
    if (own)
        imp_report_src(im, src, at, DIAG_IMPORT_LISTENER_SET,
                       "Gateway %s/%s holds %d listeners, its limit: this one and "
                       "those after it go to ListenerSet '%s', attached to it%s",
                       gw->namespace, gw->name, MAX_GATEWAY_LISTENERS, set->name,
                       gw->src && gw->open_sets
                           ? " (the Gateway's allowedListeners now admits "
                             "ListenerSets of its namespace)"
                           : "");
    else if (h)
        imp_report_src(im, src, at, DIAG_IMPORT_LISTENER_SET,
                       "ListenerSet %s/%s holds %d listeners, its limit: this one "
                       "and those after it go to ListenerSet '%s', attached to "
                       "Gateway %s/%s",
                       h->namespace, h->name, MAX_GATEWAY_LISTENERS, set->name,
                       gw->namespace, gw->name);
    return set;
}

const char *imp_listener_add(struct imp *im, struct o_gateway *gw,
                             const struct imp_src *src, const struct ynode *at,
                             const char *proto, const char *host,
                             const char *secret, const char *secret_namespace)
{
    return imp_listener_add_port(im, gw, src, at, proto,
                                 str_eq(proto, "HTTP") ? 80 : 443, host, secret,
                                 secret_namespace);
}

const char *imp_listener_add_port(struct imp *im, struct o_gateway *gw,
                                  const struct imp_src *src, const struct ynode *at,
                                  const char *proto, int64_t port, const char *host,
                                  const char *secret, const char *secret_namespace)
{
    static const char *const protos[][2] = {
        {"HTTP", "http"}, {"HTTPS", "https"}, {"TLS", "tls"}, {"TCP", "tcp"},
        {"UDP", "udp"},
    };
    struct wanted w = {proto, host, port};
    const char *prefix = "tls", *label = imp_name_host_label(im->a, host);
    const char *found = reuse(im, gw, src, at, &w, secret, secret_namespace);
    const struct o_listener *clash;
    struct o_gateway *h;
    struct o_listener *l;
    size_t i;

    if (found)
        return found;
    clash = port_clash(im, gw, &w);
    if (clash && clash->src)
        imp_report_src(im, src, at, DIAG_IMPORT_LISTENER_CONFLICT,
                       "Gateway %s/%s has listener '%s' (%s) on port %lld, which "
                       "cannot share the port with the %s listener this needs: "
                       "the new listener is not accepted; move '%s' to another "
                       "port or import onto another Gateway",
                       gw->namespace, gw->name, clash->name, clash->protocol,
                       (long long)port, proto, clash->name);
    h = holder_with_room(im, gw,
                         holder_namespace(im, gw, secret, secret_namespace), src, at);
    l = ARENA_NEW(im->a, struct o_listener);
    for (i = 0; i < ARRAY_SIZE(protos); i++) {
        if (str_eq(proto, protos[i][0]))
            prefix = protos[i][1];
    }
    /* The usual ports go unnamed: "http", "https-a-example-com". */
    if (port != (str_eq(proto, "HTTP") ? 80 : 443))
        prefix = arena_printf(im->a, "%s-%lld", prefix, (long long)port);
    l->protocol = proto;
    l->hostname = *host ? host : NULL;
    l->port = port;
    l->secret = secret;
    if (secret && !str_eq(secret_namespace, h->namespace)) {
        l->secret_namespace = secret_namespace;
        imp_grant_add(im, secret_namespace, h->parent ? "ListenerSet" : "Gateway",
                      h->namespace, "Secret", secret, "tls");
    }
    /* Names are claimed in the Gateway's scope, sets included: a route
     * finds its parent by the listener's name. */
    claim_listener(im, gw, l, *label ? arena_printf(im->a, "%s-%s", prefix, label)
                                     : prefix);
    listener_push(im, gw, h, l);
    return l->name;
}

/* ---- attachment ---- */

/* Admits ns on l: by name when the listener lists names, else (a selector
 * on labels, or None) reported once. */
static void admit(struct imp *im, const struct o_gateway *gw, struct o_listener *l,
                  const char *ns)
{
    if (l->admits_all || imp_index_get(&l->admitted, ns))
        return;
    if (l->src && !l->admits_named) {
        imp_index_put(im->a, &l->admitted, ns, (void *)ns); /* reported once */
        diag_report(&im->c->diags, DIAG_IMPORT_ADMISSION,
                    ynode_loc(im->c, l->src->allowed_routes.src
                                         ? l->src->allowed_routes.src
                                         : l->src->src),
                    model_object_label(im->c, &gw->src->obj),
                    model_path(im->c, l->src->allowed_routes.src
                                          ? l->src->allowed_routes.src
                                          : l->src->src),
                    "routes of namespace '%s' attach to listener '%s', whose "
                    "allowedRoutes gwc cannot extend: make it admit namespace "
                    "'%s' (for example a Selector on label %s)",
                    ns, l->name, ns, METADATA_NAME);
        return;
    }
    if (l->src) {
        /* The Gateway's owner chose who may attach here; the output admits
         * one more namespace, which can then take the listener's paths
         * from the namespaces it admitted: said where it is decided. */
        const struct ynode *at = l->src->allowed_routes.src
                                     ? l->src->allowed_routes.src
                                     : l->src->src;
        l->widened = true;
        diag_report(&im->c->diags, DIAG_IMPORT_ADMISSION_WIDENED,
                    ynode_loc(im->c, at), model_object_label(im->c, &gw->src->obj),
                    model_path(im->c, at),
                    "listener '%s' admitted only the namespaces its "
                    "allowedRoutes name; the output admits namespace '%s' "
                    "too, whose routes attach to it: check that the "
                    "Gateway's owner wants that before applying it",
                    l->name, ns);
    }
    admit_seed(im, l, ns);
}

/* A listener of the input's Gateway whose allowedRoutes.kinds leave out
 * the route's kind would refuse the route (gwc check: GW0502), and the
 * paths would go unserved: an error at the kinds, once per listener and
 * kind, so the import exits 1.  gwc keeps the kinds as written. */
static void admit_kind(struct imp *im, const struct o_gateway *gw,
                       struct o_listener *l, const char *kind)
{
    const struct allowed_routes *ar = l->src ? &l->src->allowed_routes : NULL;
    const char *key;
    size_t i;

    if (!ar || !ar->n_kinds)
        return;
    for (i = 0; i < ar->n_kinds; i++) {
        const char *g = ar->kinds[i].group;
        if (str_eq(ar->kinds[i].kind, kind) && (!g || str_eq(g, GATEWAY_GROUP)))
            return;
    }
    key = arena_printf(im->a, "kind %s", kind);
    if (imp_index_get(&l->admitted, key))
        return;
    imp_index_put(im->a, &l->admitted, key, (void *)key);
    diag_report(&im->c->diags, DIAG_IMPORT_ADMISSION_KIND,
                ynode_loc(im->c, ar->kinds[0].src ? ar->kinds[0].src : l->src->src),
                model_object_label(im->c, &gw->src->obj),
                model_path(im->c, ar->kinds[0].src ? ar->kinds[0].src : l->src->src),
                "routes of kind %s attach to listener '%s', whose "
                "allowedRoutes.kinds do not admit it: the listener would "
                "refuse them and their paths go unserved; add kind %s there",
                kind, l->name, kind);
}

void imp_route_attach(struct imp *im, struct o_route *r, const struct o_gateway *gw,
                      const char *section)
{
    struct o_parent *p = ARENA_NEW(im->a, struct o_parent);
    struct o_listener *l = imp_index_get(&gw->by_name, section);
    const struct o_gateway *h = l ? l->holder : gw;

    p->gateway = h->name;
    p->section = section;
    p->listener_set = h->parent != NULL;
    if (!str_eq(h->namespace, r->namespace))
        p->namespace = h->namespace;
    ptrvec_push(im->a, &r->parents, p);
    if (l) {
        admit(im, gw, l, r->namespace);
        admit_kind(im, gw, l, model_kind_name(r->kind));
    }
}
