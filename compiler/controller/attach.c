/*
 * Route attachment (docs/spec-notes.md, "Attachment"): each parentRef selects listeners by
 * sectionName and port; each selected listener must accept the route's kind
 * and namespace and, for HTTP, gRPC and TLS routes, share a hostname with it.
 * The route is attached to every listener that accepts it, with the
 * hostnames of the intersection.
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/suggest.h"

#include <stdlib.h>
#include <string.h>

static bool has_hostnames(enum kind k)
{
    return k == KIND_HTTP_ROUTE || k == KIND_GRPC_ROUTE || k == KIND_TLS_ROUTE;
}

static bool kind_supported(const struct eff_listener *l, enum kind k)
{
    size_t i;

    for (i = 0; i < l->n_supported_kinds; i++) {
        if (l->supported_kinds[i] == k)
            return true;
    }
    return false;
}

/* The hostnames a route serves on a listener; false when none intersect.
 * An empty result means "any host". */
static bool intersect_hostnames(struct ctx *x, const struct route *r,
                                const struct eff_listener *l, const char ***out,
                                size_t *n_out)
{
    size_t n = r->n_hostnames ? r->n_hostnames : 1, i, j, k = 0;
    const char **v = ARENA_NEW_ARRAY(x->c->arena, const char *, n);

    for (i = 0; i < n; i++) {
        const char *h = ctl_hostname_intersect(
            l->hostname, r->n_hostnames ? r->hostnames[i] : NULL);
        bool dup = false;

        if (!h)
            continue;
        if (strcmp(h, "*") == 0) {
            *out = NULL;
            *n_out = 0;
            return true;
        }
        for (j = 0; j < k; j++)
            dup |= strcmp(v[j], h) == 0;
        if (!dup)
            v[k++] = h;
    }
    *out = v;
    *n_out = k;
    return k > 0;
}

static void attach(struct ctx *x, struct route_state *rs, struct eff_listener *l,
                   const char **hostnames, size_t n)
{
    struct attachment *a;

    /* Two parentRefs reaching one listener: attached once.  Routes attach
     * one after another, so an earlier attachment of this route to l is
     * the last one there. */
    if (l->attachments.n &&
        ((struct attachment *)l->attachments.v[l->attachments.n - 1])->route == rs)
        return;
    a = ARENA_NEW(x->c->arena, struct attachment);
    a->route = rs;
    a->listener = l;
    a->hostnames = hostnames;
    a->n_hostnames = n;
    a->carries_traffic = true;
    ptrvec_push(x->c->arena, &l->attachments, a);
    l->attached_routes++;
}

/* Why a listener refused the route; its message is written only when no
 * listener takes the route (most routes are refused by some listener of a
 * Gateway and taken by another). */
enum refusal { REFUSED_NOT_ACCEPTED, REFUSED_KIND, REFUSED_NAMESPACE, REFUSED_HOSTNAME };

struct failure {
    enum cond_reason reason; /* NotAllowedByListeners, NoMatchingListenerHostname */
    enum refusal why;
    const struct eff_listener *listener;
};

/* NoMatchingListenerHostname wins over NotAllowedByListeners: it is the more
 * specific answer (the listener would take the route but for hostnames). */
static void note_failure(struct failure *f, enum refusal why,
                         const struct eff_listener *l)
{
    enum cond_reason reason = why == REFUSED_HOSTNAME
                                  ? REASON_NO_MATCHING_LISTENER_HOSTNAME
                                  : REASON_NOT_ALLOWED_BY_LISTENERS;

    if (f->reason == REASON_NONE ||
        (why == REFUSED_HOSTNAME && f->why != REFUSED_HOSTNAME)) {
        f->reason = reason;
        f->why = why;
        f->listener = l;
    }
}

static const char *kinds_text(struct ctx *x, const struct eff_listener *l)
{
    const char *s = "";
    size_t i;

    for (i = 0; i < l->n_supported_kinds; i++)
        s = ctl_msgf(x, "%s%s%s", s, i ? ", " : "",
                     model_kind_name(l->supported_kinds[i]));
    return *s ? s : "no route kinds";
}

static const char *failure_message(struct ctx *x, const struct route *r,
                                   const struct failure *f)
{
    const struct eff_listener *l = f->listener;

    switch (f->why) {
    case REFUSED_NOT_ACCEPTED:
        return ctl_msgf(x, "listener '%s' is not accepted", l->spec->name);
    case REFUSED_KIND:
        return ctl_msgf(x, "listener '%s' (%s) does not allow %s; it allows %s",
                        l->spec->name, ctl_protocol_name(l->protocol),
                        model_kind_name(r->obj.kind), kinds_text(x, l));
    case REFUSED_NAMESPACE:
        return ctl_msgf(x,
                        "listener '%s' does not allow routes from namespace '%s' "
                        "(allowedRoutes.namespaces.from: %s)",
                        l->spec->name, r->obj.meta.namespace,
                        model_from_names[l->spec->allowed_routes.namespaces.from]);
    case REFUSED_HOSTNAME:
        break;
    }
    return ctl_msgf(x,
                    "no hostname of the route matches listener '%s' hostname '%s'",
                    l->spec->name, l->hostname);
}

static bool try_listener(struct ctx *x, struct route_state *rs,
                         struct eff_listener *l, struct failure *f)
{
    const struct route *r = rs->route;
    const char *home = l->set ? l->set->ls->obj.meta.namespace
                              : l->gateway->gw->obj.meta.namespace;
    const char **hostnames = NULL;
    size_t n = 0;

    if (!l->accepted) {
        note_failure(f, REFUSED_NOT_ACCEPTED, l);
        return false;
    }
    if (!kind_supported(l, r->obj.kind)) {
        note_failure(f, REFUSED_KIND, l);
        return false;
    }
    if (!ctl_namespace_selected(x, ctl_listener_owner(l),
                                &l->spec->allowed_routes.namespaces, home,
                                r->obj.meta.namespace)) {
        note_failure(f, REFUSED_NAMESPACE, l);
        return false;
    }
    if (has_hostnames(r->obj.kind) && !intersect_hostnames(x, r, l, &hostnames, &n)) {
        note_failure(f, REFUSED_HOSTNAME, l);
        return false;
    }
    attach(x, rs, l, hostnames, n);
    return true;
}

static const char *selector_text(struct ctx *x, const struct parent_ref *p)
{
    if (p->section_name && p->port != INT_UNSET)
        return ctl_msgf(x, "no listener named '%s' on port %lld", p->section_name,
                        (long long)p->port);
    if (p->section_name)
        return ctl_msgf(x, "no listener named '%s'", p->section_name);
    if (p->port != INT_UNSET)
        return ctl_msgf(x, "no listener on port %lld", (long long)p->port);
    return "no listeners";
}

/* "; did you mean 'http'?" for a sectionName no listener of ls has. */
static const char *section_suggestion(struct ctx *x, const struct parent_ref *p,
                                      const struct eff_listener *ls, size_t n)
{
    struct suggest s;
    const char *best;
    size_t i;

    if (!p->section_name)
        return "";
    suggest_begin(&s, p->section_name, &x->suggest_budget);
    for (i = 0; i < n; i++)
        suggest_add(&s, ls[i].spec->name);
    best = suggest_result(&s);
    return ctl_msgf(x, SUGGEST_FMT, SUGGEST_ARGS(best));
}

static void attach_parent(struct ctx *x, struct route_state *rs,
                          struct route_parent *rp, struct eff_listener *ls,
                          size_t n, const char *parent_label)
{
    const struct parent_ref *p = rp->ref;
    struct failure f = {REASON_NONE, REFUSED_NOT_ACCEPTED, NULL};
    const char *message, *hint = "";
    bool selected = false;
    size_t i;

    for (i = 0; i < n; i++) {
        struct eff_listener *l = &ls[i];
        if (p->section_name && !str_eq(l->spec->name, p->section_name))
            continue;
        if (p->port != INT_UNSET && l->port != p->port)
            continue;
        selected = true;
        if (try_listener(x, rs, l, &f))
        {
            /* Room for two at first, not ptrvec's eight: a route attaches
             * to one listener or two (HTTP and HTTPS) of each parent, and
             * there is a list per parentRef of every route. */
            ARENA_GROW(x->c->arena, void *, rp->listeners.v, rp->listeners.n,
                       rp->listeners.cap, 2);
            rp->listeners.v[rp->listeners.n++] = l;
        }
    }
    rp->accepted = rp->listeners.n > 0;
    if (rp->accepted) {
        ctl_conditions_set(&rp->conditions, COND_ACCEPTED, true, REASON_ACCEPTED,
                           "");
        return;
    }
    if (!selected) {
        f.reason = REASON_NO_MATCHING_PARENT;
        message = ctl_msgf(x, "%s has %s", parent_label, selector_text(x, p));
        hint = section_suggestion(x, p, ls, n);
    } else {
        message = failure_message(x, rs->route, &f);
    }
    ctl_conditions_set(&rp->conditions, COND_ACCEPTED, false, f.reason, message);
    ctl_finding(x,
                f.reason == REASON_NO_MATCHING_PARENT ? DIAG_NO_MATCHING_PARENT
                : f.reason == REASON_NO_MATCHING_LISTENER_HOSTNAME
                    ? DIAG_NO_MATCHING_HOSTNAME
                    : DIAG_NOT_ALLOWED_BY_LISTENERS,
                &rs->route->obj, p->src, "route does not attach to %s: %s (%s)%s",
                parent_label, message, ctl_reason_name(f.reason), hint);
}

/* Does --gateway select the Gateway of this parent (a Gateway, or the
 * parent of a ListenerSet)? */
static bool parent_selected(const struct ctx *x, enum kind kind, const char *ns,
                            const char *name)
{
    const struct listener_set *set;
    const struct parent_ref *p;

    if (kind == KIND_GATEWAY)
        return ctl_gateway_selected(x, ns, name);
    set = (const struct listener_set *)model_find(x->m, KIND_LISTENER_SET, ns, name);
    if (!set || set->obj.rejected || !set->parent_ref.name)
        return true;
    p = &set->parent_ref;
    return ctl_gateway_selected(x, p->namespace ? p->namespace : ns, p->name);
}

/* Finds the Gateway or ListenerSet a parentRef names among ours; reports a
 * reference to nothing.  A parent of another controller gets no status. */
static bool resolve_parent(struct ctx *x, const struct route *r,
                           const struct parent_ref *p, struct gateway_state **gs,
                           struct listener_set_state **ls)
{
    const char *ns = p->namespace ? p->namespace : r->obj.meta.namespace;
    enum kind kind;

    *gs = NULL;
    *ls = NULL;
    if (!str_eq(p->group, GATEWAY_GROUP))
        return false; /* e.g. a Service parent (GAMMA): not a Gateway's business */
    if (str_eq(p->kind, "Gateway")) {
        kind = KIND_GATEWAY;
        *gs = ctl_find_gateway(x, ns, p->name);
    } else if (str_eq(p->kind, "ListenerSet")) {
        kind = KIND_LISTENER_SET;
        *ls = ctl_find_listener_set(x, ns, p->name);
    } else {
        return false;
    }
    if (*gs || *ls)
        return true;
    if (!parent_selected(x, kind, ns, p->name))
        return false; /* another Gateway's business: --gateway left it out */
    {
        const struct object *o = model_find(x->m, kind, ns, p->name);
        if (!o)
            ctl_finding(x, DIAG_PARENT_NOT_FOUND, &r->obj, p->src,
                        "parentRef names %s '%s/%s', which is not in the input%s",
                        model_kind_name(kind), ns, p->name,
                        ctl_name_suggestion(x, kind, ns, p->name));
        else if (o->rejected)
            ctl_finding(
                x, DIAG_PARENT_NOT_FOUND, &r->obj, p->src,
                "parentRef names %s '%s/%s', which is invalid and would not be "
                "stored",
                model_kind_name(kind), ns, p->name);
        else
            ctl_finding(x, DIAG_PARENT_NOT_OURS, &r->obj, p->src,
                        "parentRef names %s '%s/%s', which gwc does not handle",
                        model_kind_name(kind), ns, p->name);
    }
    return false;
}

static void attach_route(struct ctx *x, struct route *r)
{
    struct route_state *rs = NULL;
    size_t i;

    for (i = 0; i < r->n_parent_refs; i++) {
        struct gateway_state *gs;
        struct listener_set_state *ls;
        struct route_parent *rp;

        if (!resolve_parent(x, r, &r->parent_refs[i], &gs, &ls))
            continue;
        if (!rs) {
            rs = &x->ctl->routes[x->ctl->n_routes++];
            rs->route = r;
            rs->parents = ARENA_NEW_ARRAY(x->c->arena, struct route_parent,
                                          r->n_parent_refs);
        }
        rp = &rs->parents[rs->n_parents++];
        rp->ref = &r->parent_refs[i];
        if (gs)
            attach_parent(x, rs, rp, gs->listeners, gs->n_own,
                          model_object_label(x->c, &gs->gw->obj));
        else if (!ls->accepted)
            ctl_conditions_set(&rp->conditions, COND_ACCEPTED, false,
                               REASON_NOT_ALLOWED_BY_LISTENERS,
                               "the ListenerSet is not accepted by its Gateway");
        else
            attach_parent(x, rs, rp, ls->listeners, ls->n_listeners,
                          model_object_label(x->c, &ls->ls->obj));
    }
    if (rs)
        ctl_backends_resolve(x, rs);
}

/* Several TCP or UDP routes on one listener: all are accepted and counted,
 * only the oldest (then by "{namespace}/{name}") carries traffic
 * (GEP-2644, GEP-2645). */
static void l4_oldest_wins(struct ctx *x, struct eff_listener *l)
{
    struct attachment *oldest = NULL;
    size_t i;

    if (l->protocol != PROTO_TCP && l->protocol != PROTO_UDP)
        return;
    for (i = 0; i < l->attachments.n; i++) {
        struct attachment *a = l->attachments.v[i];
        if (!oldest || model_object_cmp_age(&a->route->route->obj,
                                            &oldest->route->route->obj) < 0)
            oldest = a;
    }
    for (i = 0; i < l->attachments.n; i++) {
        struct attachment *a = l->attachments.v[i];
        if (a == oldest)
            continue;
        a->carries_traffic = false;
        ctl_finding_sev(
            x, DIAG_WARNING, DIAG_ROUTE_CONFLICT, &a->route->route->obj,
            a->route->route->spec_src,
            "%s shares listener '%s' with the older %s, which takes its "
            "traffic",
            model_object_label(x->c, &a->route->route->obj), l->spec->name,
            model_object_label(x->c, &oldest->route->route->obj));
    }
}

void ctl_routes_attach(struct ctx *x)
{
    static const enum kind kinds[] = {KIND_HTTP_ROUTE, KIND_GRPC_ROUTE,
                                      KIND_TLS_ROUTE, KIND_TCP_ROUTE, KIND_UDP_ROUTE};
    size_t total = 0, i, j;

    for (i = 0; i < ARRAY_SIZE(kinds); i++)
        total += x->m->objects[kinds[i]].n;
    x->ctl->routes = ARENA_NEW_ARRAY(x->c->arena, struct route_state, total);
    for (i = 0; i < ARRAY_SIZE(kinds); i++) {
        const struct ptrvec *pv = &x->m->objects[kinds[i]];
        for (j = 0; j < pv->n; j++) {
            struct route *r = pv->v[j];
            if (!r->obj.rejected)
                attach_route(x, r);
        }
    }
    for (i = 0; i < x->ctl->n_gateways; i++) {
        struct gateway_state *gs = &x->ctl->gateways[i];
        for (j = 0; j < gs->n_listeners; j++) {
            ctl_cross_serving(x, &gs->listeners[j]);
            l4_oldest_wins(x, &gs->listeners[j]);
        }
    }
}
