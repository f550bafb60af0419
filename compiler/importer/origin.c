/*
 * Where each output object came from, so that a reviewer can trace it:
 * rules are given the input objects they were converted from as they are
 * made; every other object's origins are derived from them once the
 * conversion is done (a route's from its rules, a Gateway's from the
 * routes attached to it, a policy's from the rules it targets, a
 * ReferenceGrant's from the objects that need it).
 */
#include "import_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/escape.h"
#include "base/strbuf.h"
#include "load/load.h"

#include <stdlib.h>
#include <string.h>

/* How many origins an object names before "... N more": a Gateway shared
 * by a thousand Ingresses stays readable. */
#define ORIGINS_SHOWN 10

void imp_origin_add(struct imp *im, struct ptrvec *v, const struct ynode *root)
{
    if (root && (!v->n || v->v[v->n - 1] != root))
        ptrvec_push(im->a, v, (void *)root);
}

static void origins_merge(struct imp *im, struct ptrvec *to, const struct ptrvec *from)
{
    size_t i;

    for (i = 0; i < from->n; i++)
        imp_origin_add(im, to, from->v[i]);
}

static const char *meta_text(const struct ynode *root, const char *key)
{
    return imp_crd_text(ynode_get(ynode_get(root, "metadata"), key));
}

const char *imp_origin_label(const struct imp *im, const struct ynode *root)
{
    const char *kind = imp_crd_text(ynode_get(root, "kind"));
    const char *ns = meta_text(root, "namespace"), *name = meta_text(root, "name");

    if (!ns)
        ns = im->o->default_namespace ? im->o->default_namespace : "default";
    return arena_printf(im->a, "%s/%s/%s", kind ? kind : "", ns, name ? name : "");
}

struct origin {
    const char *label;
    const char *file; /* as the user named it */
    struct src_loc loc;
};

static int cmp_origin(const void *pa, const void *pb)
{
    const struct origin *a = pa, *b = pb;
    int c = strcmp(a->label, b->label);

    return c ? c : strcmp(a->file, b->file);
}

/* The comment lists files and lines in reading order. */
static int cmp_origin_place(const void *pa, const void *pb)
{
    const struct origin *a = pa, *b = pb;
    int c = strcmp(a->file, b->file);

    if (c)
        return c;
    return a->loc.offset < b->loc.offset ? -1 : a->loc.offset > b->loc.offset;
}

/* v's origins sorted by label, each once; returns how many. */
static size_t origins_sorted(struct imp *im, const struct ptrvec *v, struct origin **out)
{
    struct origin *o = ARENA_NEW_ARRAY(im->a, struct origin, v->n + 1);
    size_t i, n = 0;

    for (i = 0; i < v->n; i++) {
        const struct source *s;
        o[i].label = imp_origin_label(im, v->v[i]);
        o[i].loc = ynode_loc(im->c, v->v[i]);
        s = source_get(&im->c->sources, o[i].loc.file);
        o[i].file = s ? s->name : "";
    }
    qsort(o, v->n, sizeof(*o), cmp_origin);
    for (i = 0; i < v->n; i++) {
        if (!n || strcmp(o[n - 1].label, o[i].label) != 0)
            o[n++] = o[i];
    }
    *out = o;
    return n;
}

void imp_origins_render(struct imp *im, const struct ptrvec *v, const char **annotation,
                        const char **comment)
{
    struct strbuf a = STRBUF_INIT, c = STRBUF_INIT;
    struct origin *o;
    size_t i, n = origins_sorted(im, v, &o);

    *annotation = *comment = NULL;
    if (!n)
        return;
    for (i = 0; i < n && i < ORIGINS_SHOWN; i++)
        strbuf_addf(&a, "%s%s", i ? "," : "", o[i].label);
    if (n > ORIGINS_SHOWN)
        strbuf_addf(&a, ",... %zu more", n - ORIGINS_SHOWN);
    qsort(o, n, sizeof(*o), cmp_origin_place);
    strbuf_addstr(&c, "# source:");
    for (i = 0; i < n && i < ORIGINS_SHOWN; i++) {
        strbuf_addstr(&c, i ? ", " : " ");
        /* A file name may hold a line break: it would end the comment. */
        escape_text(&c, o[i].file, strlen(o[i].file));
        strbuf_addf(&c, ":%u", (unsigned)o[i].loc.line);
    }
    if (n > ORIGINS_SHOWN)
        strbuf_addf(&c, ", ... %zu more", n - ORIGINS_SHOWN);
    strbuf_addch(&c, '\n');
    *annotation = arena_strndup(im->a, a.buf, a.len);
    *comment = arena_strndup(im->a, c.buf, c.len);
    strbuf_release(&a);
    strbuf_release(&c);
}

/* ---- derivation ---- */

static void grant_origins(struct imp *im, const char *ns, const char *from_kind,
                          const char *from_ns, const char *to_kind,
                          const char *to_name, const struct ptrvec *origins)
{
    struct o_grant *g;

    if (!ns || str_eq(ns, from_ns))
        return;
    g = imp_index_get(&im->grant_index,
                      arena_printf(im->a, "%s/%s/%s/%s/%s", ns, from_kind,
                                   from_ns, to_kind, to_name));
    if (g)
        origins_merge(im, &g->origins, origins);
}

static void route_origins(struct imp *im, struct o_route *r, struct index *gateways)
{
    const char *kind = model_kind_name(r->kind);
    size_t i, k;

    for (i = 0; i < r->rules.n; i++) {
        const struct o_rule *rule = r->rules.v[i];
        origins_merge(im, &r->origins, &rule->origins);
    }
    for (i = 0; i < r->rules.n; i++) {
        const struct o_rule *rule = r->rules.v[i];
        for (k = 0; k < rule->backends.n; k++) {
            const struct o_backend *b = rule->backends.v[k];
            grant_origins(im, b->namespace, kind, r->namespace, "Service", b->name,
                          &rule->origins);
        }
        if (rule->filters && rule->filters->mirror)
            grant_origins(im, rule->filters->mirror->namespace, kind, r->namespace,
                          "Service", rule->filters->mirror->name, &rule->origins);
    }
    for (i = 0; i < r->parents.n; i++) {
        const struct o_parent *p = r->parents.v[i];
        struct o_gateway *gw = imp_index_get(
            gateways, arena_printf(im->a, "%s/%s/%s",
                                   p->listener_set ? "ListenerSet" : "Gateway",
                                   p->namespace ? p->namespace : r->namespace,
                                   p->gateway));
        if (!gw)
            continue;
        origins_merge(im, &gw->origins, &r->origins);
        if (gw->parent) /* a ListenerSet: its Gateway admits it */
            origins_merge(im, &gw->parent->origins, &r->origins);
        for (k = 0; k < gw->listeners.n; k++) {
            const struct o_listener *l = gw->listeners.v[k];
            if (l->secret && str_eq(l->name, p->section))
                grant_origins(im, l->secret_namespace,
                              gw->parent ? "ListenerSet" : "Gateway", gw->namespace,
                              "Secret", l->secret, &r->origins);
        }
    }
}

static void policy_origins(struct imp *im, struct o_gwc_policy *p, struct index *routes)
{
    size_t i, k;

    for (i = 0; i < p->targets.n; i++) {
        const struct o_target *t = p->targets.v[i];
        const struct o_route *r = imp_index_get(
            routes, arena_printf(im->a, "%s/%s/%s", model_kind_name(t->kind),
                                 p->namespace, t->name));
        for (k = 0; r && k < r->rules.n; k++) {
            const struct o_rule *rule = r->rules.v[k];
            if (!t->section || str_eq(rule->name, t->section))
                origins_merge(im, &p->origins, &rule->origins);
        }
    }
    if (p->basic_secret)
        grant_origins(im, p->basic_secret->namespace, p->kind, p->namespace, "Secret",
                      p->basic_secret->name, &p->origins);
    if (p->ext_auth)
        grant_origins(im, p->ext_auth->service.namespace, p->kind, p->namespace,
                      "Service", p->ext_auth->service.name, &p->origins);
}

/* The ReferenceGrants of the certificates of g, a Gateway or ListenerSet,
 * that no route's listener gave origins (a listener no route uses): those
 * of g. */
static void listener_grants(struct imp *im, const struct o_gateway *g, const char *kind)
{
    size_t k;

    for (k = 0; k < g->listeners.n; k++) {
        const struct o_listener *l = g->listeners.v[k];
        struct o_grant *gr;
        if (!l->secret || !l->secret_namespace || str_eq(l->secret_namespace, g->namespace))
            continue;
        gr = imp_index_get(&im->grant_index,
                           arena_printf(im->a, "%s/%s/%s/Secret/%s", l->secret_namespace,
                                        kind, g->namespace, l->secret));
        if (gr && !gr->origins.n)
            origins_merge(im, &gr->origins, &g->origins);
    }
}

void imp_origins_derive(struct imp *im)
{
    struct index gateways = {0}, routes = {0};
    size_t i, k;

    for (i = 0; i < im->gateways.n; i++) {
        struct o_gateway *g = im->gateways.v[i];
        imp_index_put(im->a, &gateways,
                      arena_printf(im->a, "Gateway/%s/%s", g->namespace, g->name), g);
        for (k = 0; k < g->sets.n; k++) {
            struct o_gateway *set = g->sets.v[k];
            imp_index_put(im->a, &gateways,
                          arena_printf(im->a, "ListenerSet/%s/%s", set->namespace,
                                       set->name),
                          set);
        }
        if (g->src) /* the input's Gateway, amended */
            imp_origin_add(im, &g->origins, g->src->obj.src);
    }
    for (i = 0; i < im->routes.n; i++) {
        struct o_route *r = im->routes.v[i];
        imp_index_put(im->a, &routes,
                      arena_printf(im->a, "%s/%s/%s", model_kind_name(r->kind),
                                   r->namespace, r->name),
                      r);
        route_origins(im, r, &gateways);
    }
    for (i = 0; i < im->gwc_policies.n; i++)
        policy_origins(im, im->gwc_policies.v[i], &routes);
    for (i = 0; i < im->gateways.n; i++) {
        const struct o_gateway *g = im->gateways.v[i];
        listener_grants(im, g, "Gateway");
        for (k = 0; k < g->sets.n; k++)
            listener_grants(im, g->sets.v[k], "ListenerSet");
    }
}
