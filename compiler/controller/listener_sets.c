/*
 * ListenerSets: the parent Gateway each attaches to, whether that Gateway
 * admits it, and its conditions once its listeners are judged.
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <stdlib.h>

/* Older first: creationTimestamp (objects without one last), then
 * "{namespace}/{name}". */
static int cmp_sets(const void *pa, const void *pb)
{
    const struct listener_set_state *a = pa, *b = pb;

    return model_object_cmp_age(&a->ls->obj, &b->ls->obj);
}

void ctl_listener_sets_collect(struct ctx *x)
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
        ctl_index_object(x, &x->listener_sets, &x->ctl->listener_sets[i].ls->obj,
                         &x->ctl->listener_sets[i]);
}

/* Neither accepted nor programmed, for one reason each and msg. */
static void refuse(struct listener_set_state *st, enum cond_reason accepted,
                   enum cond_reason programmed, const char *msg)
{
    ctl_conditions_set(&st->conditions, COND_ACCEPTED, false, accepted, msg);
    ctl_conditions_set(&st->conditions, COND_PROGRAMMED, false, programmed, msg);
    st->accepted = false;
}

void ctl_listener_set_conditions(struct ctx *x, struct listener_set_state *st)
{
    size_t i, valid = 0;

    if (!st->accepted)
        return;
    if (!st->parent->accepted) {
        refuse(st, REASON_PARENT_NOT_ACCEPTED, REASON_PARENT_NOT_PROGRAMMED,
               ctl_msgf(x, "parent Gateway %s is not accepted",
                        st->parent->gw->obj.nsname));
        return;
    }
    for (i = 0; i < st->n_listeners; i++)
        valid += st->listeners[i].valid;
    if (valid == 0) {
        refuse(st, REASON_LISTENERS_NOT_VALID, REASON_LISTENERS_NOT_VALID,
               "no listener of the ListenerSet is valid");
        return;
    }
    ctl_conditions_set(&st->conditions, COND_ACCEPTED, true, REASON_ACCEPTED, "");
    ctl_conditions_set(&st->conditions, COND_PROGRAMMED, true, REASON_PROGRAMMED,
                       "");
}
