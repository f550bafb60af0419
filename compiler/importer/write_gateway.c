/*
 * The Gateways and ListenerSets of the output: listeners, the namespaces
 * they admit routes and ListenerSets from, client certificate validation;
 * a Gateway of the input (--gateway) is carried as written, amended.
 */
#include "write_internal.h"

#include "base/arena.h"
#include "base/doc.h"
#include "load/load.h"

#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* namespaces.from: Selector on these namespaces (const char *, unique),
 * by name. */
static struct doc *admitted(struct writer *w, const struct ptrvec *names)
{
    struct doc *ns = doc_map(w->a), *expr;
    const char **v = ARENA_NEW_ARRAY(w->a, const char *, names->n + 1);

    memcpy(v, names->v, names->n * sizeof(*v));
    qsort(v, names->n, sizeof(*v), cmp_str);
    doc_put_str(w->a, ns, "from", "Selector");
    expr = doc_push(w->a,
                    doc_put(w->a, doc_put(w->a, ns, "selector", doc_map(w->a)),
                            "matchExpressions", doc_seq(w->a)),
                    doc_map(w->a));
    doc_put_str(w->a, expr, "key", "kubernetes.io/metadata.name");
    doc_put_str(w->a, expr, "operator", "In");
    doc_put(w->a, expr, "values", imp_write_strings(w, v, names->n));
    return ns;
}

/* Whether names holds a namespace other than ns. */
static bool others(const struct ptrvec *names, const char *ns)
{
    size_t i;

    for (i = 0; i < names->n; i++) {
        if (!str_eq(names->v[i], ns))
            return true;
    }
    return false;
}

static struct doc *listener(struct writer *w, const struct o_gateway *g,
                            const struct o_listener *l)
{
    struct doc *ld = doc_map(w->a), *tls;

    doc_put_str(w->a, ld, "name", l->name);
    imp_write_put_opt(w, ld, "hostname", l->hostname);
    doc_put(w->a, ld, "port", doc_int(w->a, l->port));
    doc_put_str(w->a, ld, "protocol", l->protocol);
    if (str_eq(l->protocol, "TLS") && !l->secret) {
        tls = doc_put(w->a, ld, "tls", doc_map(w->a));
        doc_put_str(w->a, tls, "mode", "Passthrough");
    } else if (l->secret) {
        struct doc *refs, *ref;
        tls = doc_put(w->a, ld, "tls", doc_map(w->a));
        if (str_eq(l->protocol, "TLS"))
            doc_put_str(w->a, tls, "mode", "Terminate");
        refs = doc_put(w->a, tls, "certificateRefs", doc_seq(w->a));
        ref = doc_push(w->a, refs, doc_map(w->a));
        doc_put_str(w->a, ref, "name", l->secret);
        imp_write_put_opt(w, ref, "namespace", l->secret_namespace);
    }
    if (others(&l->route_namespaces, g->namespace))
        doc_put(w->a, doc_put(w->a, ld, "allowedRoutes", doc_map(w->a)), "namespaces",
                admitted(w, &l->route_namespaces));
    return ld;
}

static struct doc *listeners(struct writer *w, const struct o_gateway *g,
                             struct doc *seq)
{
    size_t i;

    for (i = 0; i < g->listeners.n; i++) {
        const struct o_listener *l = g->listeners.v[i];
        if (!l->src)
            doc_push(w->a, seq, listener(w, g, l));
    }
    return seq;
}

/* allowedListeners for the ListenerSets gwc writes for g: its own
 * namespace (Same), else the namespaces of its sets by name. */
static struct doc *sets_admitted(struct writer *w, const struct o_gateway *g)
{
    struct doc *d = doc_map(w->a);
    struct ptrvec names = {0};
    struct index seen = {0};
    size_t k;

    for (k = 0; k < g->sets.n; k++) {
        const char *ns = ((const struct o_gateway *)g->sets.v[k])->namespace;
        if (imp_index_get(&seen, ns))
            continue;
        imp_index_put(w->a, &seen, ns, (void *)ns);
        ptrvec_push(w->a, &names, (void *)ns);
    }
    if (others(&names, g->namespace))
        doc_put(w->a, d, "namespaces", admitted(w, &names));
    else
        doc_put_str(w->a, doc_put(w->a, d, "namespaces", doc_map(w->a)), "from",
                    "Same");
    return d;
}

/* What the API server keeps for itself, left out of an object the
 * output carries. */
static bool server_field(const char *key)
{
    static const char *const keys[] = {"status", "resourceVersion", "uid",
                                       "generation", "creationTimestamp",
                                       "managedFields", NULL};
    size_t i;

    for (i = 0; keys[i]; i++) {
        if (str_eq(key, keys[i]))
            return true;
    }
    return false;
}

/* spec.tls.frontend.perPort of g (client_certs.c), into spec. */
static void frontend(struct writer *w, const struct o_gateway *g, struct doc *spec)
{
    struct doc *fe, *ports;
    size_t i;

    if (!g->frontend.n)
        return;
    fe = imp_write_map_at(w, imp_write_map_at(w, spec, "tls", doc_map), "frontend", doc_map);
    doc_put(w->a, fe, "default", doc_map(w->a)); /* required: other ports ask nothing */
    ports = doc_put(w->a, fe, "perPort", doc_seq(w->a));
    for (i = 0; i < g->frontend.n; i++) {
        const struct o_frontend *f = g->frontend.v[i];
        struct doc *p = doc_push(w->a, ports, doc_map(w->a));
        struct doc *v, *refs;
        size_t k;

        doc_put(w->a, p, "port", doc_int(w->a, f->port));
        v = doc_put(w->a, doc_put(w->a, p, "tls", doc_map(w->a)), "validation",
                    doc_map(w->a));
        refs = doc_put(w->a, v, "caCertificateRefs", doc_seq(w->a));
        for (k = 0; k < f->n_ca_config_maps; k++) {
            struct doc *ref = doc_push(w->a, refs, doc_map(w->a));
            doc_put_str(w->a, ref, "group", "");
            doc_put_str(w->a, ref, "kind", "ConfigMap");
            doc_put_str(w->a, ref, "name", f->ca_config_maps[k]);
        }
        doc_put_str(w->a, v, "mode", f->mode);
    }
}

static struct doc *copy_object(struct writer *w, const struct o_gateway *g)
{
    const struct ynode *root = g->src->obj.src;
    struct doc *d = doc_map(w->a);
    uint32_t i, k;

    for (i = 0; i < root->n; i++) {
        const struct ynode *v = root->items[i];
        struct doc *meta;
        if (server_field(v->key))
            continue;
        if (!str_eq(v->key, "metadata") || v->kind != YNODE_MAP) {
            doc_put(w->a, d, v->key, imp_input_doc(w->a, v));
            continue;
        }
        meta = doc_put(w->a, d, "metadata", doc_map(w->a));
        for (k = 0; k < v->n; k++) {
            if (!server_field(v->items[k]->key))
                doc_put(w->a, meta, v->items[k]->key, imp_input_doc(w->a, v->items[k]));
        }
    }
    imp_write_pending_add(w, d, "Gateway", g->namespace, g->name, &g->origins);
    return d;
}

/* The input's Gateway (--gateway) as written, with the listeners it
 * gained, the namespaces its listeners now admit by name, and
 * allowedListeners when ListenerSets carry some of its listeners. */
static void gateway_amended(struct writer *w, const struct o_gateway *g)
{
    struct doc *d = copy_object(w, g);
    struct doc *spec = imp_write_map_at(w, d, "spec", doc_map);
    struct doc *ls = imp_write_map_at(w, spec, "listeners", doc_seq);
    size_t i;

    for (i = 0; i < g->listeners.n; i++) {
        const struct o_listener *l = g->listeners.v[i];
        const struct ynode *at = l->src ? l->src->src : NULL;
        struct doc *ld, *ar;
        if (!l->widened || !at || at->index >= ls->n ||
            ls->items[at->index]->kind != DOC_MAP)
            continue;
        ld = ls->items[at->index];
        ar = imp_write_map_at(w, ld, "allowedRoutes", doc_map);
        if (ar->kind != DOC_MAP) /* allowedRoutes: null */
            imp_write_put_replace(w, ld, "allowedRoutes", ar = doc_map(w->a));
        imp_write_put_replace(w, ar, "namespaces", admitted(w, &l->route_namespaces));
    }
    listeners(w, g, ls);
    if (g->sets.n && g->open_sets)
        imp_write_put_replace(w, spec, "allowedListeners", sets_admitted(w, g));
    frontend(w, g, spec);
}

void imp_write_gateway(struct writer *w, const struct o_gateway *g)
{
    struct doc *d, *spec;

    if (g->src) {
        gateway_amended(w, g);
        return;
    }
    /* Made for routes that were all left out: a Gateway without listeners
     * is one the API server refuses, and serves nothing. */
    if (!g->listeners.n && !g->sets.n)
        return;
    d = imp_write_object_annotated(w, GW_V1, "Gateway", g->namespace, g->name,
                                   &g->annotations, &g->origins);
    spec = doc_put(w->a, d, "spec", doc_map(w->a));
    doc_put_str(w->a, spec, "gatewayClassName", g->class_name);
    if (g->sets.n)
        doc_put(w->a, spec, "allowedListeners", sets_admitted(w, g));
    listeners(w, g, doc_put(w->a, spec, "listeners", doc_seq(w->a)));
    frontend(w, g, spec);
}

void imp_write_listener_set(struct writer *w, const struct o_gateway *set)
{
    struct doc *d = imp_write_object_annotated(w, GW_V1, "ListenerSet", set->namespace,
                                               set->name, &set->annotations, &set->origins);
    struct doc *spec = doc_put(w->a, d, "spec", doc_map(w->a));
    struct doc *parent = doc_put(w->a, spec, "parentRef", doc_map(w->a));

    doc_put_str(w->a, parent, "group", GATEWAY_GROUP);
    doc_put_str(w->a, parent, "kind", "Gateway");
    doc_put_str(w->a, parent, "name", set->parent->name);
    if (!str_eq(set->namespace, set->parent->namespace))
        doc_put_str(w->a, parent, "namespace", set->parent->namespace);
    listeners(w, set, doc_put(w->a, spec, "listeners", doc_seq(w->a)));
}
