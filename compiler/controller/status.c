/*
 * `gwc status`: the status a conformant controller would write, in
 * Kubernetes shape, for every object gwc reports on.  Deterministic: objects
 * in kind order then "{namespace}/{name}"; no timestamps.  Written as it
 * is produced, never held whole: the status of a large repository can be
 * many times its size.
 */
#include "controller_internal.h"

#include "base/doc.h"

static void conditions(struct doc_writer *w, const struct conditions *cs,
                       const struct object *o)
{
    size_t i;

    doc_writer_kv_seq_begin(w, "conditions");
    for (i = 0; i < cs->n; i++) {
        doc_writer_map_begin(w);
        doc_writer_kv_str(w, "type", ctl_cond_type_name(cs->v[i].type));
        doc_writer_kv_str(w, "status", cs->v[i].status ? "True" : "False");
        doc_writer_kv_str(w, "reason", ctl_reason_name(cs->v[i].reason));
        doc_writer_kv_str(w, "message", cs->v[i].message);
        if (o->meta.generation != INT_UNSET)
            doc_writer_kv_int(w, "observedGeneration", o->meta.generation);
        doc_writer_map_end(w);
    }
    doc_writer_seq_end(w);
}

/* Starts an item: apiVersion, kind, metadata, and opens its status. */
static void item_begin(struct doc_writer *w, const struct object *o)
{
    doc_writer_map_begin(w);
    doc_writer_kv_str(w, "apiVersion", o->api_version);
    doc_writer_kv_str(w, "kind", model_kind_name(o->kind));
    doc_writer_kv_map_begin(w, "metadata");
    if (o->meta.namespace)
        doc_writer_kv_str(w, "namespace", o->meta.namespace);
    doc_writer_kv_str(w, "name", o->meta.name);
    doc_writer_map_end(w);
    doc_writer_kv_map_begin(w, "status");
}

static void item_end(struct doc_writer *w)
{
    doc_writer_map_end(w);
    doc_writer_map_end(w);
}

static void listeners(struct doc_writer *w, const struct eff_listener *ls,
                      size_t n, const struct object *o)
{
    size_t i, k;

    doc_writer_kv_seq_begin(w, "listeners");
    for (i = 0; i < n; i++) {
        const struct eff_listener *l = &ls[i];

        doc_writer_map_begin(w);
        doc_writer_kv_str(w, "name", l->spec->name);
        doc_writer_kv_seq_begin(w, "supportedKinds");
        for (k = 0; k < l->n_supported_kinds; k++) {
            doc_writer_map_begin(w);
            doc_writer_kv_str(w, "group", GATEWAY_GROUP);
            doc_writer_kv_str(w, "kind", model_kind_name(l->supported_kinds[k]));
            doc_writer_map_end(w);
        }
        doc_writer_seq_end(w);
        doc_writer_kv_int(w, "attachedRoutes", l->attached_routes);
        conditions(w, &l->conditions, o);
        doc_writer_map_end(w);
    }
    doc_writer_seq_end(w);
}

static void class_item(struct doc_writer *w, const struct class_state *cs)
{
    item_begin(w, &cs->gc->obj);
    conditions(w, &cs->conditions, &cs->gc->obj);
    item_end(w);
}

static void gateway_item(struct doc_writer *w, const struct gateway_state *gs)
{
    const struct object *o = &gs->gw->obj;
    bool any = false;
    size_t i;

    item_begin(w, o);
    /* The addresses the Gateway asks for; one it leaves to the controller
     * is assigned in the cluster, and gwc cannot know it. */
    for (i = 0; i < gs->gw->n_addresses; i++) {
        const struct gateway_address *ga = &gs->gw->addresses[i];
        if (!str_eq(ga->type, "IPAddress") || !ga->value || !*ga->value)
            continue;
        if (!any) {
            doc_writer_kv_seq_begin(w, "addresses");
            any = true;
        }
        doc_writer_map_begin(w);
        doc_writer_kv_str(w, "type", "IPAddress");
        doc_writer_kv_str(w, "value", ga->value);
        doc_writer_map_end(w);
    }
    if (any)
        doc_writer_seq_end(w);
    conditions(w, &gs->conditions, o);
    listeners(w, gs->listeners, gs->n_own, o);
    doc_writer_kv_int(w, "attachedListenerSets", gs->attached_listener_sets);
    item_end(w);
}

static void listener_set_item(struct doc_writer *w,
                              const struct listener_set_state *ls)
{
    const struct object *o = &ls->ls->obj;

    item_begin(w, o);
    conditions(w, &ls->conditions, o);
    listeners(w, ls->listeners, ls->n_listeners, o);
    item_end(w);
}

static void parent_ref(struct doc_writer *w, const struct parent_ref *p)
{
    doc_writer_kv_map_begin(w, "parentRef");
    doc_writer_kv_str(w, "group", p->group);
    doc_writer_kv_str(w, "kind", p->kind);
    if (p->namespace)
        doc_writer_kv_str(w, "namespace", p->namespace);
    doc_writer_kv_str(w, "name", p->name);
    if (p->section_name)
        doc_writer_kv_str(w, "sectionName", p->section_name);
    if (p->port != INT_UNSET)
        doc_writer_kv_int(w, "port", p->port);
    doc_writer_map_end(w);
}

/* A route's or policy's status: a list 'key' of entries, one per parent
 * (or ancestor), each a map begun here and ended by entry_end(). */
static void entries_begin(struct doc_writer *w, const struct object *o,
                          const char *key)
{
    item_begin(w, o);
    doc_writer_kv_seq_begin(w, key);
}

static void entries_end(struct doc_writer *w)
{
    doc_writer_seq_end(w);
    item_end(w);
}

/* The end of one entry: the controller that wrote it and its conditions. */
static void entry_end(struct doc_writer *w, const char *controller,
                      const struct conditions *cs, const struct object *o)
{
    doc_writer_kv_str(w, "controllerName", controller);
    conditions(w, cs, o);
    doc_writer_map_end(w);
}

static void route_item(struct doc_writer *w, const struct route_state *rs,
                       const char *controller)
{
    const struct object *o = &rs->route->obj;
    size_t i;

    entries_begin(w, o, "parents");
    for (i = 0; i < rs->n_parents; i++) {
        doc_writer_map_begin(w);
        parent_ref(w, rs->parents[i].ref);
        entry_end(w, controller, &rs->parents[i].conditions, o);
    }
    entries_end(w);
}

static void ancestor_ref(struct doc_writer *w, const struct gateway *g)
{
    doc_writer_kv_map_begin(w, "ancestorRef");
    doc_writer_kv_str(w, "group", GATEWAY_GROUP);
    doc_writer_kv_str(w, "kind", "Gateway");
    doc_writer_kv_str(w, "namespace", g->obj.meta.namespace);
    doc_writer_kv_str(w, "name", g->obj.meta.name);
    doc_writer_map_end(w);
}

static void policy_item(struct doc_writer *w, const struct policy_state *ps,
                        const char *controller)
{
    const struct object *o = &ps->policy->obj;
    size_t i;

    entries_begin(w, o, "ancestors");
    for (i = 0; i < ps->n_ancestors; i++) {
        doc_writer_map_begin(w);
        ancestor_ref(w, ps->ancestors[i].gateway->gw);
        entry_end(w, controller, &ps->ancestors[i].conditions, o);
    }
    entries_end(w);
}

/* A gwc.dev policy: its Gateways, then the targets gwc could not find,
 * each reported against the reference itself. */
static void gwc_policy_item(struct doc_writer *w, const struct gwc_policy *gp,
                            const char *controller)
{
    const struct object *o = gp->obj;
    size_t i;

    entries_begin(w, o, "ancestors");
    for (i = 0; i < gp->n_ancestors; i++) {
        doc_writer_map_begin(w);
        ancestor_ref(w, gp->ancestors[i].gateway->gw);
        entry_end(w, controller, &gp->ancestors[i].conditions, o);
    }
    for (i = 0; i < gp->n_missing; i++) {
        const struct policy_target_ref *t = gp->missing[i].ref;
        struct conditions cs = {0};

        ctl_conditions_set(&cs, COND_ACCEPTED, false, REASON_TARGET_NOT_FOUND,
                           gp->missing[i].message);
        doc_writer_map_begin(w);
        doc_writer_kv_map_begin(w, "ancestorRef");
        doc_writer_kv_str(w, "group", t->group);
        doc_writer_kv_str(w, "kind", t->kind);
        doc_writer_kv_str(w, "namespace", o->meta.namespace);
        doc_writer_kv_str(w, "name", t->name);
        if (t->section_name)
            doc_writer_kv_str(w, "sectionName", t->section_name);
        doc_writer_map_end(w);
        entry_end(w, controller, &cs, o);
    }
    entries_end(w);
}

void ctl_status_write(const struct controller *ctl, enum doc_format format,
                      struct strbuf *out, doc_flush_fn *flush, void *ctx)
{
    struct doc_writer *w = doc_writer_begin(format, out, flush, ctx);
    size_t i;

    doc_writer_map_begin(w);
    doc_writer_kv_seq_begin(w, "items");
    for (i = 0; i < ctl->n_classes; i++)
        class_item(w, &ctl->classes[i]);
    for (i = 0; i < ctl->n_gateways; i++)
        gateway_item(w, &ctl->gateways[i]);
    for (i = 0; i < ctl->n_listener_sets; i++)
        listener_set_item(w, &ctl->listener_sets[i]);
    for (i = 0; i < ctl->n_routes; i++)
        route_item(w, &ctl->routes[i], ctl->controller_name);
    for (i = 0; i < ctl->n_policies; i++)
        policy_item(w, &ctl->policies[i], ctl->controller_name);
    for (i = 0; i < ctl->n_gwc_policies; i++)
        gwc_policy_item(w, &ctl->gwc_policies[i], ctl->controller_name);
    doc_writer_seq_end(w);
    doc_writer_map_end(w);
    doc_writer_end(w);
}
