/*
 * `gwc status`: the status a conformant controller would write, in
 * Kubernetes shape, for every object gwc reports on.  Deterministic: objects
 * in kind order then "{namespace}/{name}"; no timestamps.
 */
#include "validate_internal.h"

#include "base/arena.h"
#include "base/doc.h"
#include "base/strbuf.h"

#include <string.h>

struct writer {
    struct arena *a;
    struct doc *items;
};

static struct doc *conditions_doc(struct writer *w, const struct conditions *cs,
                                  const struct object *o)
{
    struct doc *seq = doc_seq(w->a);
    size_t i;

    for (i = 0; i < cs->n; i++) {
        struct doc *c = doc_push(w->a, seq, doc_map(w->a));
        doc_put_str(w->a, c, "type", cs->v[i].type);
        doc_put_str(w->a, c, "status", cs->v[i].status);
        doc_put_str(w->a, c, "reason", cs->v[i].reason);
        doc_put_str(w->a, c, "message", cs->v[i].message);
        if (o->meta.generation != INT_UNSET)
            doc_put(w->a, c, "observedGeneration", doc_int(w->a, o->meta.generation));
    }
    return seq;
}

/* Starts an item: apiVersion, kind, metadata; returns its status mapping. */
static struct doc *item(struct writer *w, const struct object *o)
{
    struct doc *it = doc_push(w->a, w->items, doc_map(w->a));
    struct doc *meta;

    doc_put_str(w->a, it, "apiVersion", o->api_version);
    doc_put_str(w->a, it, "kind", kind_name(o->kind));
    meta = doc_put(w->a, it, "metadata", doc_map(w->a));
    if (o->meta.namespace)
        doc_put_str(w->a, meta, "namespace", o->meta.namespace);
    doc_put_str(w->a, meta, "name", o->meta.name);
    return doc_put(w->a, it, "status", doc_map(w->a));
}

static struct doc *listeners_doc(struct writer *w, const struct eff_listener *ls,
                                 size_t n, const struct object *o)
{
    struct doc *seq = doc_seq(w->a);
    size_t i, k;

    for (i = 0; i < n; i++) {
        const struct eff_listener *l = &ls[i];
        struct doc *d = doc_push(w->a, seq, doc_map(w->a));
        struct doc *kinds;

        doc_put_str(w->a, d, "name", l->spec->name);
        kinds = doc_put(w->a, d, "supportedKinds", doc_seq(w->a));
        for (k = 0; k < l->n_supported_kinds; k++) {
            struct doc *gk = doc_push(w->a, kinds, doc_map(w->a));
            doc_put_str(w->a, gk, "group", GATEWAY_GROUP);
            doc_put_str(w->a, gk, "kind", kind_name(l->supported_kinds[k]));
        }
        doc_put(w->a, d, "attachedRoutes", doc_int(w->a, l->attached_routes));
        doc_put(w->a, d, "conditions", conditions_doc(w, &l->conditions, o));
    }
    return seq;
}

static void gateway_item(struct writer *w, const struct gateway_state *gs)
{
    const struct object *o = &gs->gw->obj;
    struct doc *st = item(w, o);

    if (gs->address) {
        struct doc *addrs = doc_put(w->a, st, "addresses", doc_seq(w->a));
        struct doc *a = doc_push(w->a, addrs, doc_map(w->a));
        doc_put_str(w->a, a, "type", "IPAddress");
        doc_put_str(w->a, a, "value", gs->address);
    }
    doc_put(w->a, st, "conditions", conditions_doc(w, &gs->conditions, o));
    doc_put(w->a, st, "listeners", listeners_doc(w, gs->listeners, gs->n_own, o));
    doc_put(w->a, st, "attachedListenerSets", doc_int(w->a, gs->attached_listener_sets));
}

static void listener_set_item(struct writer *w, const struct listener_set_state *ls)
{
    const struct object *o = &ls->ls->obj;
    struct doc *st = item(w, o);

    doc_put(w->a, st, "conditions", conditions_doc(w, &ls->conditions, o));
    doc_put(w->a, st, "listeners", listeners_doc(w, ls->listeners, ls->n_listeners, o));
}

static struct doc *parent_ref_doc(struct writer *w, const struct parent_ref *p)
{
    struct doc *d = doc_map(w->a);

    doc_put_str(w->a, d, "group", p->group);
    doc_put_str(w->a, d, "kind", p->kind);
    if (p->namespace)
        doc_put_str(w->a, d, "namespace", p->namespace);
    doc_put_str(w->a, d, "name", p->name);
    if (p->section_name)
        doc_put_str(w->a, d, "sectionName", p->section_name);
    if (p->port != INT_UNSET)
        doc_put(w->a, d, "port", doc_int(w->a, p->port));
    return d;
}

static void route_item(struct writer *w, const struct route_state *rs,
                       const char *controller)
{
    const struct object *o = &rs->route->obj;
    struct doc *st = item(w, o);
    struct doc *parents = doc_put(w->a, st, "parents", doc_seq(w->a));
    size_t i;

    for (i = 0; i < rs->n_parents; i++) {
        struct doc *p = doc_push(w->a, parents, doc_map(w->a));
        doc_put(w->a, p, "parentRef", parent_ref_doc(w, rs->parents[i].ref));
        doc_put_str(w->a, p, "controllerName", controller);
        doc_put(w->a, p, "conditions", conditions_doc(w, &rs->parents[i].conditions, o));
    }
}

static void policy_item(struct writer *w, const struct policy_state *ps,
                        const char *controller)
{
    const struct object *o = &ps->policy->obj;
    struct doc *st = item(w, o);
    struct doc *ancestors = doc_put(w->a, st, "ancestors", doc_seq(w->a));
    size_t i;

    for (i = 0; i < ps->n_ancestors; i++) {
        const struct gateway *g = ps->ancestors[i].gateway->gw;
        struct doc *an = doc_push(w->a, ancestors, doc_map(w->a));
        struct doc *ref = doc_put(w->a, an, "ancestorRef", doc_map(w->a));
        doc_put_str(w->a, ref, "group", GATEWAY_GROUP);
        doc_put_str(w->a, ref, "kind", "Gateway");
        doc_put_str(w->a, ref, "namespace", g->obj.meta.namespace);
        doc_put_str(w->a, ref, "name", g->obj.meta.name);
        doc_put_str(w->a, an, "controllerName", controller);
        doc_put(w->a, an, "conditions", conditions_doc(w, &ps->ancestors[i].conditions, o));
    }
}

void status_write(const struct controller *ctl, bool json, struct strbuf *out)
{
    struct arena *a = arena_create(1 << 16);
    struct writer w = {a, NULL};
    struct doc *root = doc_map(a);
    size_t i;

    w.items = doc_put(a, root, "items", doc_seq(a));
    for (i = 0; i < ctl->n_classes; i++) {
        struct doc *st = item(&w, &ctl->classes[i].gc->obj);
        doc_put(a, st, "conditions",
                conditions_doc(&w, &ctl->classes[i].conditions, &ctl->classes[i].gc->obj));
    }
    for (i = 0; i < ctl->n_gateways; i++)
        gateway_item(&w, &ctl->gateways[i]);
    for (i = 0; i < ctl->n_listener_sets; i++)
        listener_set_item(&w, &ctl->listener_sets[i]);
    for (i = 0; i < ctl->n_routes; i++)
        route_item(&w, &ctl->routes[i], ctl->controller_name);
    for (i = 0; i < ctl->n_policies; i++)
        policy_item(&w, &ctl->policies[i], ctl->controller_name);
    if (json)
        doc_write_json(root, out);
    else
        doc_write_yaml(&root, 1, out);
    arena_destroy(a);
}
