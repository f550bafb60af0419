/*
 * Which GatewayClasses and Gateways are ours: --gateway-class, --gateway
 * and the controllerName of each class.
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/suggest.h"

#include <string.h>

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

void ctl_classes_build(struct ctx *x)
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
void ctl_gateway_selection_check(struct ctx *x)
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
bool ctl_gateway_is_ours(struct ctx *x, struct gateway *g)
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
