/*
 * GatewayClasses, Gateways, ListenerSets and listeners: which Gateways are
 * ours, each listener's validity (protocol, route kinds, certificates, client
 * CA bundles), conflicts between listeners on one port, within a Gateway and
 * across Gateways that share an address, and the conditions a controller
 * writes on each (docs/spec-notes.md, "Listeners: validity and conflicts").
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/suggest.h"

#include <stdlib.h>
#include <string.h>

static enum protocol parse_protocol(const char *p)
{
    static const struct {
        const char *name;
        enum protocol proto;
    } names[] = {{"HTTP", PROTO_HTTP}, {"HTTPS", PROTO_HTTPS}, {"TLS", PROTO_TLS},
                 {"TCP", PROTO_TCP},   {"UDP", PROTO_UDP}};
    size_t i;

    for (i = 0; i < ARRAY_SIZE(names); i++) {
        if (str_eq(p, names[i].name))
            return names[i].proto;
    }
    return PROTO_OTHER;
}

/* ---- lookups ---- */

struct gateway_state *ctl_find_gateway(const struct ctx *x, const char *ns,
                                       const char *name)
{
    char buf[320];
    const char *parts[] = {ns, name};

    return strhash_get(&x->gateways, strhash_key(x->c->arena, buf, sizeof(buf), parts, 2));
}

struct listener_set_state *ctl_find_listener_set(const struct ctx *x,
                                                 const char *ns, const char *name)
{
    char buf[320];
    const char *parts[] = {ns, name};

    return strhash_get(&x->listener_sets,
                       strhash_key(x->c->arena, buf, sizeof(buf), parts, 2));
}

/* Registers st under its namespace and name (the first one stands). */
static void index_object(struct ctx *x, struct strhash *h, const struct object *o,
                         void *st)
{
    const char *parts[] = {o->meta.namespace, o->meta.name};
    void **slot = strhash_slot(h, strhash_key(x->c->arena, NULL, 0, parts, 2));

    if (!*slot)
        *slot = st;
}

/* ---- label selectors ---- */

static bool in_values(const struct label_selector_req *r, const char *v)
{
    size_t i;

    for (i = 0; v && i < r->n_values; i++) {
        if (strcmp(r->values[i], v) == 0)
            return true;
    }
    return false;
}

/* A namespace's label: its object's labels, plus the one Kubernetes sets on
 * every namespace, kubernetes.io/metadata.name (known even when the
 * Namespace object is not in the input). */
static const char *ns_label(const struct object *nso, const char *ns,
                            const char *key)
{
    if (strcmp(key, "kubernetes.io/metadata.name") == 0)
        return ns;
    return nso ? model_strmap_get(&nso->meta.labels, key) : NULL;
}

/* metav1.LabelSelector: every matchLabels entry and every expression holds. */
static bool selector_matches(const struct label_selector *sel,
                             const struct object *nso, const char *ns)
{
    size_t i;

    for (i = 0; i < sel->match_labels.n; i++) {
        const char *v = ns_label(nso, ns, sel->match_labels.v[i].key);
        if (!v || strcmp(v, sel->match_labels.v[i].value) != 0)
            return false;
    }
    for (i = 0; i < sel->n_match_expressions; i++) {
        const struct label_selector_req *r = &sel->match_expressions[i];
        const char *v = ns_label(nso, ns, r->key);
        bool ok;

        if (str_eq(r->operator, "In"))
            ok = in_values(r, v);
        else if (str_eq(r->operator, "NotIn"))
            ok = !in_values(r, v);
        else if (str_eq(r->operator, "Exists"))
            ok = v != NULL;
        else if (str_eq(r->operator, "DoesNotExist"))
            ok = v == NULL;
        else
            ok = false;
        if (!ok)
            return false;
    }
    return true;
}

/* Does `from` (Same, All, Selector) admit an object from namespace ns?
 * "Same" is the namespace of the object that declares the rule. */
bool ctl_namespace_selected(struct ctx *x, const struct object *owner,
                            const struct namespaces_from *nf, const char *home_ns,
                            const char *ns)
{
    const struct object *nso;

    switch (nf->from) {
    case FROM_ALL:
        return true;
    case FROM_SAME:
        return str_eq(home_ns, ns);
    case FROM_SELECTOR:
        break;
    case FROM_NONE:
    case FROM_UNSET:
    case FROM_OTHER:
        return false;
    }
    nso = model_find(x->m, KIND_NAMESPACE, NULL, ns);
    if (!nso && ctl_namespace_missing(x, owner, nf->src, ns))
        return false;
    return selector_matches(&nf->selector, nso, ns);
}

/* ---- GatewayClasses ---- */

static bool class_selected(const struct ctx *x, const char *name)
{
    size_t i;

    if (x->o->n_gateway_classes == 0)
        return true;
    for (i = 0; i < x->o->n_gateway_classes; i++) {
        if (str_eq(x->o->gateway_classes[i], name))
            return true;
    }
    return false;
}

static void classes_build(struct ctx *x)
{
    const struct ptrvec *pv = &x->m->objects[KIND_GATEWAY_CLASS];
    size_t i;

    x->ctl->classes = ARENA_NEW_ARRAY(x->c->arena, struct class_state, pv->n);
    for (i = 0; i < pv->n; i++) {
        struct gateway_class *gc = pv->v[i];
        struct class_state *cs;

        if (gc->obj.rejected || !str_eq(gc->controller_name, x->o->controller_name) ||
            !class_selected(x, gc->obj.meta.name))
            continue;
        cs = &x->ctl->classes[x->ctl->n_classes++];
        cs->gc = gc;
        ctl_conditions_set(&cs->conditions, COND_ACCEPTED, true, REASON_ACCEPTED,
                           "handled by gwc");
        ctl_conditions_set(&cs->conditions, COND_SUPPORTED_VERSION, true,
                           REASON_SUPPORTED_VERSION, "");
    }
}

bool ctl_gateway_selected(const struct ctx *x, const char *ns, const char *name)
{
    size_t i, n = strlen(ns);

    if (x->o->n_gateways == 0)
        return true;
    for (i = 0; i < x->o->n_gateways; i++) {
        const char *want = x->o->gateways[i];
        if (strncmp(want, ns, n) == 0 && want[n] == '/' && strcmp(want + n + 1, name) == 0)
            return true;
    }
    return false;
}

/* Every --gateway must name a Gateway of the input: a typo would compile
 * nothing and pass. */
static void gateway_selection_check(struct ctx *x)
{
    size_t i;

    for (i = 0; i < x->o->n_gateways; i++) {
        const char *want = x->o->gateways[i], *slash = strchr(want, '/');
        struct src_loc none = {SOURCE_NONE, 0, 0, 0};
        const char *best;

        if (slash && model_find(x->m, KIND_GATEWAY,
                                arena_strndup(x->c->arena, want, (size_t)(slash - want)),
                                slash + 1))
            continue;
        best = model_suggest_name(x->m, KIND_GATEWAY, NULL, want, &x->suggest_budget);
        diag_report(&x->c->diags, DIAG_GATEWAY_FLAG_UNMATCHED, none, NULL, NULL,
                    "--gateway %s names no Gateway in the input" SUGGEST_FMT, want,
                    SUGGEST_ARGS(best));
    }
}

/* A Gateway is ours when --gateway selects it (or none is given), its class
 * is selected and, if the GatewayClass object is in the input, it names our
 * controller. */
static bool gateway_is_ours(struct ctx *x, struct gateway *g)
{
    const struct gateway_class *gc;

    const struct ynode *at = ynode_get(g->spec_src, "gatewayClassName");

    if (g->obj.rejected ||
        !ctl_gateway_selected(x, g->obj.meta.namespace, g->obj.meta.name))
        return false;
    if (!class_selected(x, g->gateway_class_name)) {
        ctl_finding(
            x, DIAG_GATEWAY_NO_CLASS, &g->obj, at,
            "GatewayClass '%s' is not among the --gateway-class classes; this "
            "Gateway is left out",
            g->gateway_class_name);
        return false;
    }
    gc = (const struct gateway_class *)model_find(x->m, KIND_GATEWAY_CLASS, NULL,
                                                  g->gateway_class_name);
    if (!gc)
        ctl_finding(
            x, DIAG_GATEWAYCLASS_MISSING, &g->obj, at,
            "GatewayClass '%s' is not in the input; gwc assumes it handles it%s",
            g->gateway_class_name,
            ctl_name_suggestion(x, KIND_GATEWAY_CLASS, NULL,
                                g->gateway_class_name));
    if (gc && !gc->obj.rejected &&
        !str_eq(gc->controller_name, x->o->controller_name)) {
        ctl_finding(x, DIAG_GATEWAYCLASS_FOREIGN, &g->obj, at,
                    "GatewayClass '%s' belongs to controller '%s'; gwc leaves this "
                    "Gateway alone",
                    g->gateway_class_name, gc->controller_name);
        return false;
    }
    return true;
}

/* ---- listeners ---- */

static void default_kinds(struct eff_listener *l, enum kind *kinds, size_t *n)
{
    *n = 0;
    switch (l->protocol) {
    case PROTO_HTTP:
    case PROTO_HTTPS:
        kinds[(*n)++] = KIND_HTTP_ROUTE;
        kinds[(*n)++] = KIND_GRPC_ROUTE;
        return;
    case PROTO_TLS:
        kinds[(*n)++] = KIND_TLS_ROUTE;
        return;
    case PROTO_TCP:
        kinds[(*n)++] = KIND_TCP_ROUTE;
        return;
    case PROTO_UDP:
        kinds[(*n)++] = KIND_UDP_ROUTE;
        return;
    case PROTO_OTHER:
        return;
    }
}

/* supportedKinds: the protocol's kinds, narrowed by allowedRoutes.kinds;
 * kinds the listener cannot serve make ResolvedRefs False/InvalidRouteKinds
 * while the valid ones stay supported. */
static const char *listener_kinds(struct ctx *x, struct eff_listener *l,
                                  const struct object *owner)
{
    const struct allowed_routes *ar = &l->spec->allowed_routes;
    enum kind kinds[4];
    const char *problem = NULL;
    size_t n, i, j;

    default_kinds(l, kinds, &n);
    if (ar->n_kinds == 0) {
        memcpy(l->supported_kinds, kinds, n * sizeof(*kinds));
        l->n_supported_kinds = n;
        return NULL;
    }
    for (i = 0; i < ar->n_kinds; i++) {
        const struct route_group_kind *rk = &ar->kinds[i];
        bool ok = false;

        for (j = 0; j < n && !ok; j++) {
            if (str_eq(rk->group, GATEWAY_GROUP) &&
                str_eq(rk->kind, model_kind_name(kinds[j]))) {
                bool dup = false;
                size_t k;
                for (k = 0; k < l->n_supported_kinds; k++)
                    dup |= l->supported_kinds[k] == kinds[j];
                if (!dup)
                    l->supported_kinds[l->n_supported_kinds++] = kinds[j];
                ok = true;
            }
        }
        if (!ok) {
            ctl_finding(x, DIAG_LISTENER_ROUTE_KINDS, owner, rk->src,
                        "listener '%s' (%s) cannot serve routes of kind %s/%s",
                        l->spec->name, ctl_protocol_name(l->protocol), rk->group,
                        rk->kind);
            problem =
                ctl_msgf(x, "%s/%s is not a route kind this listener supports",
                         rk->group, rk->kind);
        }
    }
    return problem;
}

/* The value node of map[key], else map itself. */
static const struct ynode *field_or(const struct ynode *map, const char *key)
{
    const struct ynode *n = map ? ynode_get(map, key) : NULL;

    return n ? n : map;
}

static void listener_certificates(struct ctx *x, struct eff_listener *l,
                                  enum cond_reason *reason, const char **message)
{
    const struct listener_tls *tls = &l->spec->tls;
    const struct object *owner = ctl_listener_owner(l);
    size_t i;

    if (tls->n_certificate_refs == 0) {
        /* The CRD accepts options instead of certificateRefs, for
         * implementations that find certificates through them; gwc
         * implements no TLS options, so there is nothing to terminate
         * TLS with (nginx refuses a TLS server without a certificate). */
        if (tls->options.n > 0) {
            *reason = REASON_INVALID_CERTIFICATE_REF;
            *message = "the listener has no certificateRefs, and gwc implements no "
                       "TLS options that could provide a certificate";
            ctl_finding(
                x, DIAG_CERT_REF_INVALID, owner, field_or(tls->src, "options"),
                "%s listener '%s' has tls.options but no tls.certificateRefs; "
                "gwc implements no TLS options, so it has no certificate to "
                "terminate TLS with",
                ctl_protocol_name(l->protocol), l->spec->name);
            return;
        }
        *reason = REASON_INVALID_CERTIFICATE_REF;
        *message = "the listener has no certificateRefs";
        ctl_finding(
            x, DIAG_CERT_REF_INVALID, owner, l->spec->src,
            "%s listener '%s' has no tls.certificateRefs to terminate TLS with",
            ctl_protocol_name(l->protocol), l->spec->name);
        return;
    }
    l->certificates = ARENA_NEW_ARRAY(x->c->arena, struct certificate,
                                      tls->n_certificate_refs);
    for (i = 0; i < tls->n_certificate_refs; i++) {
        const struct secret_ref *r = &tls->certificate_refs[i];
        const char *ns = r->namespace ? r->namespace : owner->meta.namespace;
        const struct secret *s;
        const char *problem;

        if (!str_eq(r->group, "") || !str_eq(r->kind, "Secret")) {
            ctl_finding(
                x, DIAG_CERT_REF_INVALID, owner, r->src,
                "certificateRef to %s/%s is not supported; use a core Secret",
                *r->group ? r->group : "core", r->kind);
            if (*reason == REASON_NONE) {
                *reason = REASON_INVALID_CERTIFICATE_REF;
                *message =
                    ctl_msgf(x, "unsupported certificateRef kind %s", r->kind);
            }
            continue;
        }
        if (!ctl_grant_allows(x, model_kind_name(owner->kind),
                              owner->meta.namespace, "", "Secret", ns, r->name)) {
            ctl_finding(
                x, DIAG_CERT_REF_NOT_PERMITTED, owner, r->src,
                "certificateRef to Secret '%s/%s' needs a ReferenceGrant in "
                "namespace '%s' from %s in '%s'",
                ns, r->name, ns, model_kind_name(owner->kind),
                owner->meta.namespace);
            if (*reason == REASON_NONE ||
                *reason == REASON_INVALID_CERTIFICATE_REF) {
                *reason = REASON_REF_NOT_PERMITTED;
                *message = ctl_msgf(x,
                                    "Secret %s/%s is in another namespace and no "
                                    "ReferenceGrant allows it",
                                    ns, r->name);
            }
            continue;
        }
        s = (const struct secret *)model_find(x->m, KIND_SECRET, ns, r->name);
        if (!s && ctl_assume_exists(x, owner, r->src, KIND_SECRET, ns, r->name,
                                    SECRET_MOUNTED)) {
            ctl_mounted_certificate(&l->certificates[l->n_certificates++], ns,
                                    r->name);
            continue;
        }
        problem = !s ? "is not in the input"
                     : ctl_tls_secret_problem(x->c->arena, s,
                                              &l->certificates[l->n_certificates]);
        if (problem) {
            ctl_finding(x, DIAG_CERT_REF_INVALID, owner, r->src,
                        "Secret '%s/%s' %s%s", ns, r->name, problem,
                        s ? "" : ctl_name_suggestion(x, KIND_SECRET, ns, r->name));
            if (*reason == REASON_NONE) {
                *reason = REASON_INVALID_CERTIFICATE_REF;
                *message = ctl_msgf(x, "Secret %s/%s %s", ns, r->name, problem);
            }
            continue;
        }
        l->n_certificates++;
    }
}

/* Frontend (client certificate) validation applies to HTTPS listeners: a
 * perPort entry for the listener's port, else the default. */
static const struct frontend_validation *frontend_for(const struct gateway *g,
                                                      int64_t port)
{
    size_t i;

    for (i = 0; i < g->tls.frontend.n_per_port; i++) {
        if (g->tls.frontend.per_port[i].port == port)
            return &g->tls.frontend.per_port[i].tls.validation;
    }
    return g->tls.frontend.default_.present & TLS_GIVEN_VALIDATION
               ? &g->tls.frontend.default_.validation
               : NULL;
}

/* nginx reads client CA certificates from one file.  The bundles of
 * ConfigMaps in the input are joined into one; a ConfigMap that is not (a
 * file mounted at run time) cannot be joined with anything, so the first
 * usable reference decides, and a finding names each bundle left out:
 * clients that only it would validate are refused, never let in. */
static void keep_one_ca_file(struct ctx *x, struct eff_listener *l,
                             const struct object_ref *r, const char *ns, const char *pem)
{
    const struct gateway *g = l->gateway->gw;
    struct ca_bundle *cur = l->client_ca;

    if (!cur) {
        cur = l->client_ca = ARENA_NEW(x->c->arena, struct ca_bundle);
        cur->namespace = ns;
        cur->name = r->name;
        cur->pem = pem;
        return;
    }
    if (pem && cur->pem) {
        cur->pem = ctl_msgf(x, "%s%s", cur->pem, pem);
        return;
    }
    ctl_finding(
        x, DIAG_NGINX_UNSUPPORTED, &g->obj, r->src,
        "nginx reads client CA certificates from one file, and ConfigMap '%s/%s' "
        "is %s; its ca.crt is left out, so clients that only it validates are "
        "refused",
        ns, r->name,
        pem ? "in the input while the first one is not"
            : "not in the input (a file mounted at run time) and cannot be "
              "joined with the others");
}

/* Collects the usable CA bundles into l->client_ca; returns true when there
 * is at least one. */
static bool listener_client_ca(struct ctx *x, struct eff_listener *l,
                               const struct frontend_validation *v,
                               enum cond_reason *reason, const char **message)
{
    const struct gateway *g = l->gateway->gw;
    size_t i, usable = 0;

    for (i = 0; i < v->n_ca_certificate_refs; i++) {
        const struct object_ref *r = &v->ca_certificate_refs[i];
        const char *ns = r->namespace ? r->namespace : g->obj.meta.namespace;
        const struct config_map *cm;
        const char *problem = NULL, *pem;
        enum cond_reason why;

        if (!str_eq(r->group, "") || !str_eq(r->kind, "ConfigMap")) {
            ctl_finding(
                x, DIAG_CA_CERT_REF_INVALID, &g->obj, r->src,
                "caCertificateRef to %s/%s is not supported; use a ConfigMap "
                "with ca.crt",
                *r->group ? r->group : "core", r->kind);
            why = REASON_INVALID_CA_CERTIFICATE_KIND;
            problem = ctl_msgf(x, "unsupported kind %s", r->kind);
        } else if (!ctl_grant_allows(x, "Gateway", g->obj.meta.namespace, "",
                                     "ConfigMap", ns, r->name)) {
            ctl_finding(
                x, DIAG_REF_NOT_PERMITTED, &g->obj, r->src,
                "caCertificateRef to ConfigMap '%s/%s' needs a ReferenceGrant", ns,
                r->name);
            why = REASON_REF_NOT_PERMITTED;
            problem = "no ReferenceGrant allows it";
        } else if (!(cm = (const struct config_map *)model_find(
                         x->m, KIND_CONFIG_MAP, ns, r->name))) {
            if (ctl_assume_exists(x, &g->obj, r->src, KIND_CONFIG_MAP, ns, r->name,
                                  CONFIG_MAP_MOUNTED)) {
                usable++;
                keep_one_ca_file(x, l, r, ns, NULL);
                continue;
            }
            ctl_finding(x, DIAG_CA_CERT_REF_INVALID, &g->obj, r->src,
                        "ConfigMap '%s/%s' is not in the input%s", ns, r->name,
                        ctl_name_suggestion(x, KIND_CONFIG_MAP, ns, r->name));
            why = REASON_INVALID_CA_CERTIFICATE_REF;
            problem = "is not in the input";
        } else if ((problem = ctl_ca_config_map_problem(x->c->arena, cm, &pem)) !=
                   NULL) {
            ctl_finding(x, DIAG_CA_CERT_REF_INVALID, &g->obj, r->src,
                        "ConfigMap '%s/%s' %s", ns, r->name, problem);
            why = REASON_INVALID_CA_CERTIFICATE_REF;
        } else {
            usable++;
            keep_one_ca_file(
                x, l, r, ns,
                ctl_msgf(x, "%s%s", pem, pem[strlen(pem) - 1] == '\n' ? "" : "\n"));
            continue;
        }
        if (*reason == REASON_NONE) {
            *reason = why;
            *message =
                ctl_msgf(x, "CA certificate %s/%s: %s", ns, r->name, problem);
        }
    }
    if (usable)
        l->client_verify_optional = v->mode == FRONTEND_ALLOW_INSECURE_FALLBACK;
    return usable > 0 || v->n_ca_certificate_refs == 0;
}

static void init_listener(struct ctx *x, struct gateway_state *gs,
                          struct listener_set_state *set,
                          const struct listener *spec, struct eff_listener *l)
{
    (void)x;
    l->spec = spec;
    l->gateway = gs;
    l->set = set;
    l->protocol = parse_protocol(spec->protocol);
    l->hostname = spec->hostname;
    l->port = spec->port;
    l->passthrough = l->protocol == PROTO_TLS && spec->tls.mode == TLS_PASSTHROUGH;
    l->accepted = true;
}

/* Everything about one listener except its conflicts with others. */
static void check_listener(struct ctx *x, struct eff_listener *l)
{
    const struct object *owner = ctl_listener_owner(l);
    enum cond_reason ref_reason = REASON_NONE;
    const char *ref_message = NULL;
    const char *kinds_problem;

    if (l->protocol == PROTO_OTHER) {
        ctl_finding(
            x, DIAG_LISTENER_UNSUPPORTED_PROTOCOL, owner,
            ynode_get(l->spec->src, "protocol"),
            "listener '%s' uses protocol '%s'; gwc serves HTTP, HTTPS, TLS, TCP "
            "and UDP",
            l->spec->name, l->spec->protocol);
        ctl_conditions_set(
            &l->conditions, COND_ACCEPTED, false, REASON_UNSUPPORTED_PROTOCOL,
            ctl_msgf(x, "protocol %s is not supported", l->spec->protocol));
        l->accepted = false;
        return;
    }
    kinds_problem = listener_kinds(x, l, owner);
    if (l->protocol == PROTO_HTTPS || (l->protocol == PROTO_TLS && !l->passthrough))
        listener_certificates(x, l, &ref_reason, &ref_message);
    if (l->protocol == PROTO_HTTPS) {
        const struct frontend_validation *v = frontend_for(l->gateway->gw, l->port);
        if (v && !listener_client_ca(x, l, v, &ref_reason, &ref_message)) {
            ctl_conditions_set(&l->conditions, COND_ACCEPTED, false,
                               REASON_NO_VALID_CA_CERTIFICATE,
                               "no usable CA certificate for client validation");
            l->accepted = false;
        }
    }
    /* A certificate or CA problem is the one to show: it keeps the
     * listener from being programmed, route kinds do not. */
    if (kinds_problem && ref_reason == REASON_NONE) {
        ref_reason = REASON_INVALID_ROUTE_KINDS;
        ref_message = kinds_problem;
    }
    if (l->accepted)
        ctl_conditions_set(&l->conditions, COND_ACCEPTED, true, REASON_ACCEPTED,
                           "");
    if (ref_reason != REASON_NONE)
        ctl_conditions_set(&l->conditions, COND_RESOLVED_REFS, false, ref_reason,
                           ref_message);
}

/* ---- ListenerSets ---- */

/* Older first: creationTimestamp (objects without one last), then
 * "{namespace}/{name}". */
static int cmp_sets(const void *pa, const void *pb)
{
    const struct listener_set_state *a = pa, *b = pb;

    return model_object_cmp_age(&a->ls->obj, &b->ls->obj);
}

static void listener_sets_collect(struct ctx *x)
{
    const struct ptrvec *pv = &x->m->objects[KIND_LISTENER_SET];
    size_t i;

    x->ctl->listener_sets = ARENA_NEW_ARRAY(x->c->arena, struct listener_set_state, pv->n);
    for (i = 0; i < pv->n; i++) {
        struct listener_set *ls = pv->v[i];
        const struct parent_ref *p = &ls->parent_ref;
        const char *ns = p->namespace ? p->namespace : ls->obj.meta.namespace;
        struct gateway_state *gs;
        struct listener_set_state *st;

        if (ls->obj.rejected)
            continue;
        if (!str_eq(p->group, GATEWAY_GROUP) || !str_eq(p->kind, "Gateway"))
            continue;
        gs = ctl_find_gateway(x, ns, p->name);
        if (!gs) {
            if (!model_find(x->m, KIND_GATEWAY, ns, p->name))
                ctl_finding(x, DIAG_LISTENERSET_PARENT_MISSING, &ls->obj, p->src,
                            "parent Gateway '%s/%s' is not in the input%s", ns,
                            p->name,
                            ctl_name_suggestion(x, KIND_GATEWAY, ns, p->name));
            continue;
        }
        st = &x->ctl->listener_sets[x->ctl->n_listener_sets++];
        st->ls = ls;
        st->parent = gs;
        st->accepted = ctl_namespace_selected(
            x, &gs->gw->obj, &gs->gw->allowed_listeners.namespaces,
            gs->gw->obj.meta.namespace, ls->obj.meta.namespace);
        if (!st->accepted) {
            const char *msg =
                ctl_msgf(x,
                         "Gateway %s does not allow ListenerSets from "
                         "namespace %s",
                         gs->gw->obj.nsname, ls->obj.meta.namespace);
            ctl_finding(
                x, DIAG_LISTENERSET_NOT_ALLOWED, &ls->obj, p->src,
                "Gateway '%s' does not allow this ListenerSet "
                "(spec.allowedListeners.namespaces.from: %s)",
                gs->gw->obj.nsname,
                model_from_names[gs->gw->allowed_listeners.namespaces.from]);
            ctl_conditions_set(&st->conditions, COND_ACCEPTED, false,
                               REASON_NOT_ALLOWED, msg);
            ctl_conditions_set(&st->conditions, COND_PROGRAMMED, false,
                               REASON_NOT_ALLOWED, msg);
        }
    }
    qsort(x->ctl->listener_sets, x->ctl->n_listener_sets,
          sizeof(*x->ctl->listener_sets), cmp_sets);
    strhash_init(&x->listener_sets, x->c->arena);
    for (i = 0; i < x->ctl->n_listener_sets; i++)
        index_object(x, &x->listener_sets, &x->ctl->listener_sets[i].ls->obj,
                     &x->ctl->listener_sets[i]);
}

static void listener_set_conditions(struct ctx *x, struct listener_set_state *st)
{
    size_t i, valid = 0;

    if (!st->accepted)
        return;
    if (!st->parent->accepted) {
        const char *msg = ctl_msgf(x, "parent Gateway %s is not accepted",
                                   st->parent->gw->obj.nsname);
        ctl_conditions_set(&st->conditions, COND_ACCEPTED, false,
                           REASON_PARENT_NOT_ACCEPTED, msg);
        ctl_conditions_set(&st->conditions, COND_PROGRAMMED, false,
                           REASON_PARENT_NOT_PROGRAMMED, msg);
        st->accepted = false;
        return;
    }
    for (i = 0; i < st->n_listeners; i++)
        valid += st->listeners[i].valid;
    if (valid == 0) {
        const char *msg = "no listener of the ListenerSet is valid";
        (void)x;
        ctl_conditions_set(&st->conditions, COND_ACCEPTED, false,
                           REASON_LISTENERS_NOT_VALID, msg);
        ctl_conditions_set(&st->conditions, COND_PROGRAMMED, false,
                           REASON_LISTENERS_NOT_VALID, msg);
        st->accepted = false;
        return;
    }
    ctl_conditions_set(&st->conditions, COND_ACCEPTED, true, REASON_ACCEPTED, "");
    ctl_conditions_set(&st->conditions, COND_PROGRAMMED, true, REASON_PROGRAMMED,
                       "");
}

/* ---- Gateways ---- */

static void gateway_listeners(struct ctx *x, struct gateway_state *gs,
                              const struct ptrvec *sets)
{
    struct gateway *g = gs->gw;
    size_t total = g->n_listeners, i, j, k;

    for (i = 0; i < sets->n; i++)
        total += ((struct listener_set_state *)sets->v[i])->ls->n_listeners;
    gs->listeners = ARENA_NEW_ARRAY(x->c->arena, struct eff_listener, total);
    for (i = 0; i < g->n_listeners; i++)
        init_listener(x, gs, NULL, &g->listeners[i], &gs->listeners[i]);
    gs->n_own = g->n_listeners;
    k = g->n_listeners;
    for (i = 0; i < sets->n; i++) {
        struct listener_set_state *st = sets->v[i];
        st->listeners = &gs->listeners[k];
        st->n_listeners = st->ls->n_listeners;
        for (j = 0; j < st->ls->n_listeners; j++)
            init_listener(x, gs, st, &st->ls->listeners[j], &gs->listeners[k++]);
    }
    gs->n_listeners = k;
    for (i = 0; i < gs->n_listeners; i++) {
        gs->listeners[i].order = (uint32_t)i;
        check_listener(x, &gs->listeners[i]);
    }
    ctl_listener_conflicts(x, gs);
}

static bool address_type_supported(const char *type)
{
    return str_eq(type, "IPAddress");
}

/* spec.addresses: IP addresses are where the Gateway listens.  With
 * --listen-address, compile puts every Gateway on that one address: one it
 * asks for elsewhere is then not where nginx listens, which the compile run
 * reports; the cluster's controller would use it, so status does not
 * change. */
static void gateway_addresses(struct ctx *x, struct gateway_state *gs,
                              enum cond_reason *accepted_reason,
                              const char **message)
{
    const struct gateway *g = gs->gw;
    size_t i;

    for (i = 0; i < g->n_addresses; i++) {
        const struct gateway_address *a = &g->addresses[i];
        if (!address_type_supported(a->type)) {
            ctl_finding(
                x, DIAG_GATEWAY_ADDRESS, &g->obj, a->src,
                "address type '%s' is not supported; gwc listens on IP addresses",
                a->type);
            *accepted_reason = REASON_UNSUPPORTED_ADDRESS;
            *message = ctl_msgf(x, "address type %s is not supported", a->type);
        } else if (a->value && *a->value && x->o->listen_address &&
                   !str_eq(a->value, x->o->listen_address)) {
            ctl_finding(
                x, DIAG_GATEWAY_ADDRESS, &g->obj, a->src,
                "address %s is not where this nginx listens: --listen-address %s "
                "puts every Gateway on that address (drop --listen-address to "
                "listen on the Gateways' own addresses)",
                a->value, x->o->listen_address);
        }
    }
}

/* spec.infrastructure.parametersRef: gwc takes no parameters, so a reference
 * is only acceptable when it names an existing ConfigMap (ignored). */
static const char *gateway_parameters(struct ctx *x, struct gateway_state *gs)
{
    const struct local_ref *p = &gs->gw->infrastructure.parameters_ref;

    const char *ns = gs->gw->obj.meta.namespace, *hint = "";

    if (!(gs->gw->infrastructure.present & INFRA_GIVEN_PARAMETERS_REF))
        return NULL;
    if (str_eq(p->group, "") && str_eq(p->kind, "ConfigMap")) {
        if (model_find(x->m, KIND_CONFIG_MAP, ns, p->name) ||
            ctl_assume_exists(x, &gs->gw->obj, p->src, KIND_CONFIG_MAP, ns, p->name,
                              "gwc takes no parameters from it"))
            return NULL;
        hint = ctl_name_suggestion(x, KIND_CONFIG_MAP, ns, p->name);
    }
    ctl_finding(x, DIAG_GATEWAY_PARAMETERS, &gs->gw->obj, p->src,
                "infrastructure.parametersRef to %s '%s' cannot be resolved%s",
                p->kind, p->name, hint);
    return ctl_msgf(x, "parametersRef %s %s cannot be resolved", p->kind, p->name);
}

/* spec.tls.backend.clientCertificateRef: the certificate nginx presents to
 * TLS backends. */
static void gateway_client_certificate(struct ctx *x, struct gateway_state *gs)
{
    const struct secret_ref *r = &gs->gw->tls.backend.client_certificate_ref;
    const struct gateway *g = gs->gw;
    const char *ns, *problem = NULL, *hint = "";
    enum cond_reason reason = REASON_INVALID_CLIENT_CERTIFICATE_REF;
    const struct secret *s;
    struct certificate cert;

    if (!(g->tls.backend.present & BACKEND_TLS_GIVEN_CLIENT_CERTIFICATE_REF)) {
        ctl_conditions_set(&gs->conditions, COND_RESOLVED_REFS, true,
                           REASON_RESOLVED_REFS, "");
        return;
    }
    ns = r->namespace ? r->namespace : g->obj.meta.namespace;
    if (!str_eq(r->group, "") || !str_eq(r->kind, "Secret")) {
        problem = ctl_msgf(x, "clientCertificateRef to %s/%s is not supported",
                           *r->group ? r->group : "core", r->kind);
    } else if (!ctl_grant_allows(x, "Gateway", g->obj.meta.namespace, "", "Secret",
                                 ns, r->name)) {
        reason = REASON_REF_NOT_PERMITTED;
        problem = ctl_msgf(x, "Secret %s/%s needs a ReferenceGrant", ns, r->name);
    } else if (!(s = (const struct secret *)model_find(x->m, KIND_SECRET, ns,
                                                       r->name))) {
        if (ctl_assume_exists(x, &g->obj, r->src, KIND_SECRET, ns, r->name,
                              SECRET_MOUNTED)) {
            ctl_mounted_certificate(&cert, ns, r->name);
        } else {
            problem = ctl_msgf(x, "Secret %s/%s is not in the input", ns, r->name);
            hint = ctl_name_suggestion(x, KIND_SECRET, ns, r->name);
        }
    } else if ((problem = ctl_tls_secret_problem(x->c->arena, s, &cert)) != NULL) {
        problem = ctl_msgf(x, "Secret %s/%s %s", ns, r->name, problem);
    }
    if (!problem) {
        gs->backend_client_cert = ARENA_NEW(x->c->arena, struct certificate);
        *gs->backend_client_cert = cert;
        ctl_conditions_set(&gs->conditions, COND_RESOLVED_REFS, true,
                           REASON_RESOLVED_REFS, "");
        return;
    }
    ctl_finding(x,
                reason == REASON_REF_NOT_PERMITTED ? DIAG_REF_NOT_PERMITTED
                                                   : DIAG_CERT_REF_INVALID,
                &g->obj, r->src, "%s%s", problem, hint);
    ctl_conditions_set(&gs->conditions, COND_RESOLVED_REFS, false, reason, problem);
}

static bool insecure_fallback(const struct gateway *g)
{
    size_t i;

    if (g->tls.frontend.default_.validation.mode ==
        FRONTEND_ALLOW_INSECURE_FALLBACK)
        return true;
    for (i = 0; i < g->tls.frontend.n_per_port; i++) {
        if (g->tls.frontend.per_port[i].tls.validation.mode ==
            FRONTEND_ALLOW_INSECURE_FALLBACK)
            return true;
    }
    return false;
}

/* What the Gateway itself (not its listeners) decides about its status. */
struct gateway_verdict {
    enum cond_reason accepted_reason; /* Accepted=False, or REASON_NONE */
    const char *message;
};

/*
 * Accepted is "valid enough to produce some configuration in the data
 * plane" (gateway_types.go): a Gateway refused for its addresses or its
 * parametersRef produces none, so none of its listeners, nor those of its
 * ListenerSets, is programmed.
 */
static void gateway_verdict(struct ctx *x, struct gateway_state *gs,
                            struct gateway_verdict *v)
{
    const char *params, *msg;
    size_t i;

    gateway_addresses(x, gs, &v->accepted_reason, &v->message);
    if (v->accepted_reason == REASON_NONE &&
        (params = gateway_parameters(x, gs)) != NULL) {
        v->accepted_reason = REASON_INVALID_PARAMETERS;
        v->message = params;
    }
    gs->accepted = v->accepted_reason == REASON_NONE;
    if (gs->accepted)
        return;
    msg = ctl_msgf(x, "the Gateway is not accepted: %s", v->message);
    for (i = 0; i < gs->n_listeners; i++) {
        struct eff_listener *l = &gs->listeners[i];
        if (!l->valid)
            continue;
        l->valid = false;
        ctl_conditions_set(&l->conditions, COND_PROGRAMMED, false, REASON_INVALID,
                           msg);
    }
}

static void gateway_conditions(struct ctx *x, struct gateway_state *gs,
                               const struct gateway_verdict *v)
{
    size_t i, valid = 0;

    for (i = 0; i < gs->n_own; i++)
        valid += gs->listeners[i].valid;
    if (v->accepted_reason != REASON_NONE) {
        ctl_conditions_set(&gs->conditions, COND_ACCEPTED, false,
                           v->accepted_reason, v->message);
        ctl_conditions_set(&gs->conditions, COND_PROGRAMMED, false, REASON_INVALID,
                           v->message);
    } else {
        bool all_valid = valid == gs->n_own;
        const char *lmsg = all_valid ? "" : "some listeners are not valid";
        ctl_conditions_set(&gs->conditions, COND_ACCEPTED, valid > 0,
                           all_valid ? REASON_ACCEPTED : REASON_LISTENERS_NOT_VALID,
                           lmsg);
        if (valid > 0)
            ctl_conditions_set(&gs->conditions, COND_PROGRAMMED, true,
                               REASON_PROGRAMMED, "");
        else
            ctl_conditions_set(&gs->conditions, COND_PROGRAMMED, false,
                               REASON_INVALID, "no listener can be programmed");
    }
    gateway_client_certificate(x, gs);
    if (insecure_fallback(gs->gw))
        ctl_conditions_set(
            &gs->conditions, COND_INSECURE_FRONTEND_VALIDATION, true,
            REASON_CONFIGURATION_CHANGED,
            "client certificate validation allows insecure fallback");
}

void ctl_gateways_build(struct ctx *x)
{
    const struct ptrvec *pv = &x->m->objects[KIND_GATEWAY];
    struct gateway_verdict *verdicts;
    struct ptrvec *sets; /* per Gateway: its accepted ListenerSets, oldest first */
    size_t i;

    classes_build(x);
    gateway_selection_check(x);
    x->ctl->gateways = ARENA_NEW_ARRAY(x->c->arena, struct gateway_state, pv->n);
    strhash_init(&x->gateways, x->c->arena);
    for (i = 0; i < pv->n; i++) {
        struct gateway *g = pv->v[i];
        if (gateway_is_ours(x, g)) {
            struct gateway_state *gs = &x->ctl->gateways[x->ctl->n_gateways++];
            gs->gw = g;
            index_object(x, &x->gateways, &g->obj, gs);
        }
    }
    listener_sets_collect(x);
    sets = ARENA_NEW_ARRAY(x->c->arena, struct ptrvec, x->ctl->n_gateways + 1);
    for (i = 0; i < x->ctl->n_listener_sets; i++) {
        struct listener_set_state *st = &x->ctl->listener_sets[i];
        if (st->accepted)
            ptrvec_push(x->c->arena, &sets[st->parent - x->ctl->gateways], st);
    }
    for (i = 0; i < x->ctl->n_gateways; i++)
        gateway_listeners(x, &x->ctl->gateways[i], &sets[i]);
    verdicts = ARENA_NEW_ARRAY(x->c->arena, struct gateway_verdict, x->ctl->n_gateways);
    for (i = 0; i < x->ctl->n_gateways; i++)
        gateway_verdict(x, &x->ctl->gateways[i], &verdicts[i]);
    ctl_shared_addresses(x);
    for (i = 0; i < x->ctl->n_listener_sets; i++) {
        struct listener_set_state *st = &x->ctl->listener_sets[i];
        listener_set_conditions(x, st);
        if (st->accepted)
            st->parent->attached_listener_sets++;
    }
    for (i = 0; i < x->ctl->n_gateways; i++)
        gateway_conditions(x, &x->ctl->gateways[i], &verdicts[i]);
    if (x->o->one_nginx)
        ctl_shared_nginx(x);
}
