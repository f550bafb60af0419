/*
 * The routing graph from the controller's view: what attached where, with
 * the condition the controller gave each attachment.
 */
#include "graph.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/ptrvec.h"
#include "base/str.h"
#include "base/strhash.h"
#include "load/load.h"
#include "model/model.h"
#include "controller/controller.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const protocols[] = {"HTTP", "HTTPS", "TLS", "TCP", "UDP", "?"};

struct builder {
    struct compilation *c;
    struct strhash ids; /* id -> struct graph_node * */
    struct ptrvec nodes, edges;
};

/* A pending edge names its ends by node, before the nodes are numbered. */
struct pending {
    const struct graph_node *from, *to;
    const char *label;
    bool rejected;
};

static const char *where(struct compilation *c, const struct ynode *src)
{
    struct src_loc loc;
    const struct source *s;

    if (!src)
        return NULL;
    loc = ynode_loc(c, src);
    s = source_get(&c->sources, loc.file);
    return s ? arena_printf(c->arena, "%s:%u:%u", s->name, loc.line, loc.col) : NULL;
}

static const struct graph_node *node(struct builder *b, enum graph_kind kind, const char *id,
                                     const char *label, const struct ynode *src)
{
    void **slot = strhash_slot(&b->ids, id);
    struct graph_node *n = *slot;

    if (n)
        return n;
    n = ARENA_NEW(b->c->arena, struct graph_node);
    n->id = id;
    n->kind = kind;
    n->label = label;
    n->source = where(b->c, src);
    *slot = n;
    ptrvec_push(b->c->arena, &b->nodes, n);
    return n;
}

static void edge(struct builder *b, const struct graph_node *from, const struct graph_node *to,
                 const char *label, bool rejected)
{
    struct pending *e = ARENA_NEW(b->c->arena, struct pending);

    e->from = from;
    e->to = to;
    e->label = label;
    e->rejected = rejected;
    ptrvec_push(b->c->arena, &b->edges, e);
}

/* The condition's reason when it does not hold, else NULL. */
static const char *refused(const struct conditions *cs, enum cond_type type)
{
    const struct condition *k = ctl_conditions_get(cs, type);

    return k && !k->status ? ctl_reason_name(k->reason) : NULL;
}

/* The most specific reason a listener is not programmed. */
static const char *listener_problem(const struct eff_listener *l)
{
    const char *why = refused(&l->conditions, COND_RESOLVED_REFS);

    if (!why)
        why = refused(&l->conditions, COND_ACCEPTED);
    if (!why)
        why = refused(&l->conditions, COND_PROGRAMMED);
    return why ? why : "not programmed";
}

static const struct graph_node *gateway_node(struct builder *b, const char *ns, const char *name,
                                             const struct gateway *gw)
{
    struct arena *a = b->c->arena;

    return node(b, GRAPH_GATEWAY, arena_printf(a, "gateway %s/%s", ns, name),
                arena_printf(a, "Gateway %s/%s", ns, name), gw ? gw->obj.src : NULL);
}

static const struct graph_node *listener_node(struct builder *b, const struct eff_listener *l)
{
    struct arena *a = b->c->arena;
    const char *gw = l->gateway->gw->obj.nsname;

    return node(b, GRAPH_LISTENER, arena_printf(a, "listener %s/%s", gw, l->spec->name),
                arena_printf(a, "%s %s :%lld%s%s", l->spec->name, protocols[l->protocol],
                             (long long)l->port, l->hostname ? " " : "",
                             l->hostname ? l->hostname : ""),
                l->spec->src);
}

static void add_gateways(struct builder *b, const struct controller *ctl)
{
    struct arena *a = b->c->arena;
    size_t g, l;

    for (g = 0; g < ctl->n_gateways; g++) {
        const struct gateway_state *gs = &ctl->gateways[g];
        const struct gateway *gw = gs->gw;
        const char *cls = gw->gateway_class_name;
        const struct graph_node *gn = gateway_node(b, gw->obj.meta.namespace, gw->obj.meta.name,
                                                   gw);
        const struct graph_node *cn = NULL;
        const char *why = refused(&gs->conditions, COND_ACCEPTED);
        size_t k;

        for (k = 0; k < ctl->n_classes; k++) {
            if (str_eq(ctl->classes[k].gc->obj.meta.name, cls))
                cn = node(b, GRAPH_CLASS, arena_printf(a, "class %s", cls),
                          arena_printf(a, "GatewayClass %s", cls), ctl->classes[k].gc->obj.src);
        }
        if (!cn)
            cn = node(b, GRAPH_CLASS, arena_printf(a, "class %s", cls),
                      arena_printf(a, "GatewayClass %s", cls), NULL);
        edge(b, cn, gn, why ? why : ctl_cond_type_name(COND_ACCEPTED), why != NULL);
        for (l = 0; l < gs->n_listeners; l++) {
            const struct eff_listener *el = &gs->listeners[l];
            const char *lwhy = el->valid ? NULL : listener_problem(el);
            edge(b, gn, listener_node(b, el),
                 lwhy ? lwhy : ctl_cond_type_name(COND_PROGRAMMED), !el->valid);
        }
    }
}

/* Why a backendRef carries no traffic, or NULL. */
static const char *backend_problem(const struct backend *be)
{
    switch (be->status) {
    case BACKEND_OK:
        return NULL;
    case BACKEND_UNAVAILABLE:
        return "no ready endpoints (503)";
    case BACKEND_INVALID:
        return "invalid (500)";
    }
    return NULL;
}

static void add_backends(struct builder *b, const struct controller *ctl,
                         const struct route_state *rs, const struct graph_node *rn)
{
    struct arena *a = b->c->arena;
    const struct route *r = rs->route;
    size_t i, k;

    for (i = 0; i < rs->n_rules; i++) {
        for (k = 0; k < rs->rules[i].n_backends; k++) {
            const struct backend *be = &rs->rules[i].backends[k];
            const struct backend_ref *ref = be->ref;
            const char *ns = be->namespace ? be->namespace : r->obj.meta.namespace;
            const char *kind = ref && ref->kind ? ref->kind : "Service";
            const char *group = ref && ref->group ? ref->group : "";
            const char *name = arena_printf(a, "%s/%s", ns, be->name ? be->name : ref->name);
            const struct graph_node *bn =
                node(b, GRAPH_BACKEND, arena_printf(a, "backend %s %s", kind, name),
                     arena_printf(a, "%s%s%s %s", group, *group ? "/" : "", kind, name),
                     be->service ? be->service->obj.src : NULL);
            const char *label = arena_printf(a, "rule %zu weight %lld", i,
                                             (long long)(ref ? ref->weight : 1));
            const char *problem = backend_problem(be);
            const struct reference_grant *g = NULL;

            if (!str_eq(ns, r->obj.meta.namespace))
                g = ctl_grant(ctl, model_kind_name(r->obj.kind),
                              r->obj.meta.namespace, group, kind, ns, be->name);
            if (g)
                label = arena_printf(a, "%s, ReferenceGrant %s", label, g->obj.nsname);
            else if (!str_eq(ns, r->obj.meta.namespace))
                problem = "RefNotPermitted (500)";
            if (problem)
                label = arena_printf(a, "%s: %s", label, problem);
            edge(b, rn, bn, label, problem != NULL);
        }
    }
}

static void add_routes(struct builder *b, const struct controller *ctl)
{
    struct arena *a = b->c->arena;
    size_t i, p, l;

    for (i = 0; i < ctl->n_routes; i++) {
        const struct route_state *rs = &ctl->routes[i];
        const struct route *r = rs->route;
        const char *kind = model_kind_name(r->obj.kind);
        const struct graph_node *rn =
            node(b, GRAPH_ROUTE, arena_printf(a, "route %s %s", kind, r->obj.nsname),
                 arena_printf(a, "%s %s", kind, r->obj.nsname), r->obj.src);

        for (p = 0; p < rs->n_parents; p++) {
            const struct route_parent *rp = &rs->parents[p];
            const char *why = refused(&rp->conditions, COND_ACCEPTED);
            if (rp->accepted) {
                for (l = 0; l < rp->listeners.n; l++)
                    edge(b, listener_node(b, rp->listeners.v[l]), rn,
                         ctl_cond_type_name(COND_ACCEPTED), false);
            } else {
                const char *ns = rp->ref->namespace ? rp->ref->namespace : r->obj.meta.namespace;
                edge(b, gateway_node(b, ns, rp->ref->name, NULL), rn,
                     why ? why : "not accepted", true);
            }
        }
        add_backends(b, ctl, rs, rn);
    }
}

/* Classes first, backends last: the order the graph reads in. */
static int by_kind_and_id(const void *x, const void *y)
{
    const struct graph_node *const *p = x, *const *q = y;

    if ((*p)->kind != (*q)->kind)
        return (*p)->kind < (*q)->kind ? -1 : 1;
    return strcmp((*p)->id, (*q)->id);
}

static int by_ends(const void *x, const void *y)
{
    const struct graph_edge *p = x, *q = y;

    if (p->from != q->from)
        return p->from < q->from ? -1 : 1;
    if (p->to != q->to)
        return p->to < q->to ? -1 : 1;
    return strcmp(p->label, q->label);
}

void graph_build(struct compilation *c, const struct controller *ctl, struct graph *out)
{
    struct builder b;
    size_t i;

    memset(&b, 0, sizeof(b));
    b.c = c;
    strhash_init(&b.ids, c->arena);
    add_gateways(&b, ctl);
    add_routes(&b, ctl);
    ptrvec_sort(&b.nodes, by_kind_and_id);
    out->n_nodes = b.nodes.n;
    out->nodes = ARENA_NEW_ARRAY(c->arena, struct graph_node, b.nodes.n + 1);
    for (i = 0; i < b.nodes.n; i++) {
        out->nodes[i] = *(struct graph_node *)b.nodes.v[i];
        /* The index is the node's place in sorted order. */
        strhash_put(&b.ids, out->nodes[i].id, (void *)(uintptr_t)(i + 1));
    }
    out->n_edges = 0;
    out->edges = ARENA_NEW_ARRAY(c->arena, struct graph_edge, b.edges.n + 1);
    for (i = 0; i < b.edges.n; i++) {
        const struct pending *e = b.edges.v[i];
        struct graph_edge *ge = &out->edges[out->n_edges++];
        ge->from = (uintptr_t)strhash_get(&b.ids, e->from->id) - 1;
        ge->to = (uintptr_t)strhash_get(&b.ids, e->to->id) - 1;
        ge->label = e->label;
        ge->rejected = e->rejected;
    }
    qsort(out->edges, out->n_edges, sizeof(*out->edges), by_ends);
}
