/*
 * The output objects, each built as a document tree and rendered by
 * libyaml's emitter (base/doc.c, via output.c): quoting is libyaml's job,
 * so no value of the input can change the structure of the output.  Each
 * carries the gwc.dev/source annotation of its origins (origin.c).  Order:
 * by kind (Gateways, ListenerSets, routes, BackendTLSPolicies, gwc
 * policies, grants, ConfigMaps), then namespace and name; inside an
 * object, the order the passes produced, which is itself derived only
 * from the input's content.  A Gateway of the input (--gateway) is
 * carried as written, amended.
 */
#include "import_internal.h"

#include "base/arena.h"
#include "base/doc.h"
#include "base/strbuf.h"
#include "load/load.h"

#include <stdlib.h>
#include <string.h>

#define GW_V1 GATEWAY_GROUP "/v1"

struct writer {
    struct imp *im;
    struct arena *a;
    struct ptrvec pending; /* struct pending * */
    const char *route_ns; /* the namespace of the route being written */
};

/* An object of the output, rendered when it is complete (imp_write_output)
 * as the comment naming its origins, then its YAML. */
struct pending {
    struct doc *d;
    const char *kind, *namespace, *comment;
};

static void pending_add(struct writer *w, struct doc *d, const char *kind,
                        const char *ns, const char *name,
                        const struct ptrvec *origins);

/* annotations: struct o_header *, or NULL for none. */
static struct doc *object_annotated(struct writer *w, const char *api_version,
                                    const char *kind, const char *ns,
                                    const char *name,
                                    const struct ptrvec *annotations,
                                    const struct ptrvec *origins)
{
    struct doc *d = doc_map(w->a), *meta, *ann;
    size_t i;

    doc_put_str(w->a, d, "apiVersion", api_version);
    doc_put_str(w->a, d, "kind", kind);
    meta = doc_put(w->a, d, "metadata", doc_map(w->a));
    doc_put_str(w->a, meta, "name", name);
    doc_put_str(w->a, meta, "namespace", ns);
    if (annotations && annotations->n) {
        ann = doc_put(w->a, meta, "annotations", doc_map(w->a));
        for (i = 0; i < annotations->n; i++) {
            const struct o_header *h = annotations->v[i];
            doc_put_str(w->a, ann, h->name, h->value);
        }
    }
    pending_add(w, d, kind, ns, name, origins);
    return d;
}

static struct doc *object(struct writer *w, const char *api_version,
                          const char *kind, const char *ns, const char *name,
                          const struct ptrvec *origins)
{
    return object_annotated(w, api_version, kind, ns, name, NULL, origins);
}

static void put_opt(struct writer *w, struct doc *map, const char *key,
                    const char *value)
{
    if (value)
        doc_put_str(w->a, map, key, value);
}

static struct doc *strings(struct writer *w, const char *const *v, size_t n)
{
    struct doc *seq = doc_seq(w->a);
    size_t i;

    for (i = 0; i < n; i++)
        doc_push(w->a, seq, doc_str(w->a, v[i]));
    return seq;
}

/* ---- Gateway ---- */

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
    doc_put(w->a, expr, "values", strings(w, v, names->n));
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
    put_opt(w, ld, "hostname", l->hostname);
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
        put_opt(w, ref, "namespace", l->secret_namespace);
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

/* The value of key in map d, replaced by (or added as) v. */
static void put_replace(struct writer *w, struct doc *d, const char *key,
                        struct doc *v)
{
    size_t i;

    for (i = 0; i < d->n; i++) {
        if (str_eq(d->keys[i], key)) {
            d->items[i] = v;
            return;
        }
    }
    doc_put(w->a, d, key, v);
}

static struct doc *map_at(struct writer *w, struct doc *d, const char *key,
                          struct doc *(*make)(struct arena *))
{
    size_t i;

    for (i = 0; i < d->n; i++) {
        if (str_eq(d->keys[i], key))
            return d->items[i];
    }
    return doc_put(w->a, d, key, make(w->a));
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

/* d, an object of the output, with the annotation naming its origins. */
static void pending_add(struct writer *w, struct doc *d, const char *kind,
                        const char *ns, const char *name,
                        const struct ptrvec *origins)
{
    struct pending *p = ARENA_NEW(w->a, struct pending);
    struct imp_written *written = ARENA_NEW(w->a, struct imp_written);
    const char *annotation;

    imp_origins_render(w->im, origins, &annotation, &p->comment);
    if (annotation) {
        struct doc *meta = map_at(w, d, "metadata", doc_map);
        struct doc *ann = map_at(w, meta, "annotations", doc_map);
        if (ann->kind != DOC_MAP) /* annotations: null */
            put_replace(w, meta, "annotations", ann = doc_map(w->a));
        put_replace(w, ann, IMP_SOURCE_ANNOTATION, doc_str(w->a, annotation));
    }
    p->d = d;
    p->kind = kind;
    p->namespace = ns;
    ptrvec_push(w->a, &w->pending, p);
    written->kind = kind;
    written->label = arena_printf(w->a, "%s/%s/%s", kind, ns, name);
    written->origins = origins;
    ptrvec_push(w->a, &w->im->written, written);
}

/* spec.tls.frontend.perPort of g (client_certs.c), into spec. */
static void frontend(struct writer *w, const struct o_gateway *g, struct doc *spec)
{
    struct doc *fe, *ports;
    size_t i;

    if (!g->frontend.n)
        return;
    fe = map_at(w, map_at(w, spec, "tls", doc_map), "frontend", doc_map);
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
    pending_add(w, d, "Gateway", g->namespace, g->name, &g->origins);
    return d;
}

/* The input's Gateway (--gateway) as written, with the listeners it
 * gained, the namespaces its listeners now admit by name, and
 * allowedListeners when ListenerSets carry some of its listeners. */
static void gateway_amended(struct writer *w, const struct o_gateway *g)
{
    struct doc *d = copy_object(w, g);
    struct doc *spec = map_at(w, d, "spec", doc_map);
    struct doc *ls = map_at(w, spec, "listeners", doc_seq);
    size_t i;

    for (i = 0; i < g->listeners.n; i++) {
        const struct o_listener *l = g->listeners.v[i];
        const struct ynode *at = l->src ? l->src->src : NULL;
        struct doc *ld, *ar;
        if (!l->widened || !at || at->index >= ls->n ||
            ls->items[at->index]->kind != DOC_MAP)
            continue;
        ld = ls->items[at->index];
        ar = map_at(w, ld, "allowedRoutes", doc_map);
        if (ar->kind != DOC_MAP) /* allowedRoutes: null */
            put_replace(w, ld, "allowedRoutes", ar = doc_map(w->a));
        put_replace(w, ar, "namespaces", admitted(w, &l->route_namespaces));
    }
    listeners(w, g, ls);
    if (g->sets.n && g->open_sets)
        put_replace(w, spec, "allowedListeners", sets_admitted(w, g));
    frontend(w, g, spec);
}

static void gateway(struct writer *w, const struct o_gateway *g)
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
    d = object_annotated(w, GW_V1, "Gateway", g->namespace, g->name,
                         &g->annotations, &g->origins);
    spec = doc_put(w->a, d, "spec", doc_map(w->a));
    doc_put_str(w->a, spec, "gatewayClassName", g->class_name);
    if (g->sets.n)
        doc_put(w->a, spec, "allowedListeners", sets_admitted(w, g));
    listeners(w, g, doc_put(w->a, spec, "listeners", doc_seq(w->a)));
    frontend(w, g, spec);
}

static void listener_set(struct writer *w, const struct o_gateway *set)
{
    struct doc *d = object_annotated(w, GW_V1, "ListenerSet", set->namespace,
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

/* ---- route pieces ---- */

static struct doc *backend(struct writer *w, const struct o_backend *b)
{
    struct doc *d = doc_map(w->a);

    doc_put_str(w->a, d, "name", b->name);
    if (b->namespace && !str_eq(b->namespace, w->route_ns))
        doc_put_str(w->a, d, "namespace", b->namespace);
    doc_put(w->a, d, "port", doc_int(w->a, b->port));
    if (b->weight >= 0)
        doc_put(w->a, d, "weight", doc_int(w->a, b->weight));
    return d;
}

static struct doc *path_mod(struct writer *w, const struct o_path_mod *p)
{
    struct doc *d = doc_map(w->a);

    doc_put_str(w->a, d, "type", p->type);
    doc_put_str(w->a, d, str_eq(p->type, "ReplaceFullPath") ? "replaceFullPath"
                                                           : "replacePrefixMatch",
                p->value);
    return d;
}

static struct doc *filter(struct writer *w, struct doc *filters,
                          const char *type, const char *member)
{
    struct doc *f = doc_push(w->a, filters, doc_map(w->a));

    doc_put_str(w->a, f, "type", type);
    return doc_put(w->a, f, member, doc_map(w->a));
}

static void header_mod(struct writer *w, struct doc *filters, const char *type,
                       const char *member, const struct ptrvec *set,
                       const struct ptrvec *remove)
{
    struct doc *d, *seq;
    size_t i;

    if (!set->n && !remove->n)
        return;
    d = filter(w, filters, type, member);
    if (set->n) {
        seq = doc_put(w->a, d, "set", doc_seq(w->a));
        for (i = 0; i < set->n; i++) {
            const struct o_header *h = set->v[i];
            struct doc *e = doc_push(w->a, seq, doc_map(w->a));
            doc_put_str(w->a, e, "name", h->name);
            doc_put_str(w->a, e, "value", h->value);
        }
    }
    if (remove->n)
        doc_put(w->a, d, "remove",
                strings(w, (const char *const *)remove->v, remove->n));
}

static void redirect(struct writer *w, struct doc *filters,
                     const struct o_redirect *r)
{
    struct doc *d = filter(w, filters, "RequestRedirect", "requestRedirect");

    put_opt(w, d, "scheme", r->scheme);
    put_opt(w, d, "hostname", r->hostname);
    if (r->path.type)
        doc_put(w->a, d, "path", path_mod(w, &r->path));
    if (r->port)
        doc_put(w->a, d, "port", doc_int(w->a, r->port));
    doc_put(w->a, d, "statusCode", doc_int(w->a, r->code));
}

static void cors(struct writer *w, struct doc *filters, const struct o_cors *c)
{
    struct doc *d = filter(w, filters, "CORS", "cors");

    doc_put(w->a, d, "allowOrigins", strings(w, c->origins, c->n_origins));
    doc_put(w->a, d, "allowMethods", strings(w, c->methods, c->n_methods));
    doc_put(w->a, d, "allowHeaders", strings(w, c->headers, c->n_headers));
    if (c->n_expose)
        doc_put(w->a, d, "exposeHeaders", strings(w, c->expose, c->n_expose));
    doc_put(w->a, d, "allowCredentials", doc_bool(w->a, c->credentials));
    doc_put(w->a, d, "maxAge", doc_int(w->a, c->max_age));
}

static struct doc *filters(struct writer *w, const struct o_filters *f)
{
    struct doc *fs = doc_seq(w->a);

    if (f->redirect) { /* a redirect rule takes CORS only besides */
        if (f->cors)
            cors(w, fs, f->cors);
        redirect(w, fs, f->redirect);
        return fs;
    }
    if (f->rewrite) {
        struct doc *d = filter(w, fs, "URLRewrite", "urlRewrite");
        put_opt(w, d, "hostname", f->rewrite->hostname);
        if (f->rewrite->path.type)
            doc_put(w->a, d, "path", path_mod(w, &f->rewrite->path));
    }
    header_mod(w, fs, "RequestHeaderModifier", "requestHeaderModifier",
               &f->request_set, &f->request_remove);
    header_mod(w, fs, "ResponseHeaderModifier", "responseHeaderModifier",
               &f->response_set, &f->response_remove);
    if (f->cors)
        cors(w, fs, f->cors);
    if (f->mirror) {
        struct doc *m = filter(w, fs, "RequestMirror", "requestMirror");
        doc_put(w->a, m, "backendRef", backend(w, f->mirror));
        if (f->mirror_percent)
            doc_put(w->a, m, "percent", doc_int(w->a, f->mirror_percent));
    }
    return fs;
}

static struct doc *header_match(struct writer *w, const struct o_header_match *h)
{
    struct doc *seq = doc_seq(w->a), *d = doc_push(w->a, seq, doc_map(w->a));

    doc_put_str(w->a, d, "type", h->type);
    doc_put_str(w->a, d, "name", h->name);
    doc_put_str(w->a, d, "value", h->value);
    return seq;
}

static struct doc *http_matches(struct writer *w, const struct o_rule *r)
{
    struct doc *seq = doc_seq(w->a);
    size_t i;

    for (i = 0; i < r->n_matches; i++) {
        const struct o_match *m = &r->matches[i];
        struct doc *d = doc_push(w->a, seq, doc_map(w->a));
        if (m->path.type) {
            struct doc *p = doc_put(w->a, d, "path", doc_map(w->a));
            doc_put_str(w->a, p, "type", m->path.type);
            doc_put_str(w->a, p, "value", m->path.value);
        }
        if (m->header.name)
            doc_put(w->a, d, "headers", header_match(w, &m->header));
        if (m->query.name)
            doc_put(w->a, d, "queryParams", header_match(w, &m->query));
        put_opt(w, d, "method", m->method);
    }
    return seq;
}

static struct doc *grpc_matches(struct writer *w, const struct o_rule *r)
{
    struct doc *seq = doc_seq(w->a);
    size_t i;

    for (i = 0; i < r->n_matches; i++) {
        const struct o_match *m = &r->matches[i];
        struct doc *d;
        if (!r->grpc.service && !m->header.name)
            continue;
        d = doc_push(w->a, seq, doc_map(w->a));
        if (r->grpc.service) {
            struct doc *md = doc_put(w->a, d, "method", doc_map(w->a));
            doc_put_str(w->a, md, "service", r->grpc.service);
            put_opt(w, md, "method", r->grpc.method);
        }
        if (m->header.name)
            doc_put(w->a, d, "headers", header_match(w, &m->header));
    }
    return seq;
}

static struct doc *session(struct writer *w, const struct o_session *s)
{
    struct doc *d = doc_map(w->a), *c;

    doc_put_str(w->a, d, "type", "Cookie");
    put_opt(w, d, "absoluteTimeout", s->absolute_timeout);
    c = doc_put(w->a, d, "cookie", doc_map(w->a));
    doc_put_str(w->a, c, "name", s->cookie_name);
    put_opt(w, c, "path", s->cookie_path);
    put_opt(w, c, "lifetimeType", s->lifetime);
    return d;
}

static struct doc *rule(struct writer *w, const struct o_route *route,
                        const struct o_rule *r)
{
    struct doc *d = doc_map(w->a), *m, *b;
    size_t i;

    put_opt(w, d, "name", r->name);
    if (route->kind == KIND_HTTP_ROUTE || route->kind == KIND_GRPC_ROUTE) {
        m = route->kind == KIND_GRPC_ROUTE ? grpc_matches(w, r) : http_matches(w, r);
        if (m->n)
            doc_put(w->a, d, "matches", m);
    }
    if (r->filters) {
        struct doc *fs = filters(w, r->filters);
        if (fs->n)
            doc_put(w->a, d, "filters", fs);
    }
    if (r->backends.n) {
        b = doc_put(w->a, d, "backendRefs", doc_seq(w->a));
        for (i = 0; i < r->backends.n; i++) {
            const struct o_backend *be = r->backends.v[i];
            struct doc *bd = doc_push(w->a, b, backend(w, be));
            struct doc *fs = be->filters ? filters(w, be->filters) : NULL;
            if (fs && fs->n)
                doc_put(w->a, bd, "filters", fs);
        }
    }
    if (r->filters && (r->filters->timeout || r->filters->request_timeout) &&
        route->kind == KIND_HTTP_ROUTE) {
        struct doc *t = doc_put(w->a, d, "timeouts", doc_map(w->a));
        put_opt(w, t, "request", r->filters->request_timeout);
        put_opt(w, t, "backendRequest", r->filters->timeout);
    }
    if (r->filters && r->filters->session &&
        (route->kind == KIND_HTTP_ROUTE || route->kind == KIND_GRPC_ROUTE))
        doc_put(w->a, d, "sessionPersistence", session(w, r->filters->session));
    return d;
}

static void route(struct writer *w, const struct o_route *r)
{
    /* TCPRoute and UDPRoute are served as v1alpha2 by the Gateway API's
     * experimental CRDs; so is a TLSRoute for every name, as v1 requires
     * hostnames. */
    bool alpha = r->kind == KIND_TCP_ROUTE || r->kind == KIND_UDP_ROUTE ||
                 (r->kind == KIND_TLS_ROUTE && !r->n_hostnames);
    const char *version = alpha ? GATEWAY_GROUP "/v1alpha2" : GW_V1;
    struct doc *d =
        object(w, version, model_kind_name(r->kind), r->namespace, r->name,
               &r->origins);
    struct doc *spec = doc_put(w->a, d, "spec", doc_map(w->a));
    struct doc *parents = doc_put(w->a, spec, "parentRefs", doc_seq(w->a));
    struct doc *rules;
    size_t i;

    w->route_ns = r->namespace;
    for (i = 0; i < r->parents.n; i++) {
        const struct o_parent *pr = r->parents.v[i];
        struct doc *p = doc_push(w->a, parents, doc_map(w->a));
        if (pr->listener_set)
            doc_put_str(w->a, p, "kind", "ListenerSet");
        doc_put_str(w->a, p, "name", pr->gateway);
        put_opt(w, p, "namespace", pr->namespace);
        doc_put_str(w->a, p, "sectionName", pr->section);
    }
    if (r->n_hostnames)
        doc_put(w->a, spec, "hostnames", strings(w, r->hostnames, r->n_hostnames));
    rules = doc_put(w->a, spec, "rules", doc_seq(w->a));
    for (i = 0; i < r->rules.n; i++)
        doc_push(w->a, rules, rule(w, r, r->rules.v[i]));
}

/* ---- policies, grants, ConfigMaps ---- */

static struct doc *ref(struct writer *w, const char *kind, const char *name)
{
    struct doc *d = doc_map(w->a);

    doc_put_str(w->a, d, "group", "");
    doc_put_str(w->a, d, "kind", kind);
    doc_put_str(w->a, d, "name", name);
    return d;
}

static void policy(struct writer *w, const struct o_policy *p)
{
    struct doc *d = object(w, GW_V1, "BackendTLSPolicy", p->namespace, p->name,
                           &p->origins);
    struct doc *spec = doc_put(w->a, d, "spec", doc_map(w->a)), *v;

    doc_push(w->a, doc_put(w->a, spec, "targetRefs", doc_seq(w->a)),
             ref(w, "Service", p->service));
    v = doc_put(w->a, spec, "validation", doc_map(w->a));
    doc_push(w->a, doc_put(w->a, v, "caCertificateRefs", doc_seq(w->a)),
             ref(w, "ConfigMap", p->ca_config_map));
    doc_put_str(w->a, v, "hostname", p->hostname);
}

static struct doc *object_ref(struct writer *w, const struct o_ref *r,
                              const char *ns)
{
    struct doc *d = doc_map(w->a);

    doc_put_str(w->a, d, "name", r->name);
    if (r->namespace && !str_eq(r->namespace, ns))
        doc_put_str(w->a, d, "namespace", r->namespace);
    if (r->port)
        doc_put(w->a, d, "port", doc_int(w->a, r->port));
    return d;
}

static void ext_auth(struct writer *w, struct doc *spec, const char *ns,
                     const struct o_ext_auth *e)
{
    struct doc *d = doc_put(w->a, spec, "externalAuth", doc_map(w->a)), *s;

    if (e->url)
        doc_put(w->a, d, "url", doc_str(w->a, e->url));
    else
        doc_put(w->a, d, "backendRef", object_ref(w, &e->service, ns));
    put_opt(w, d, "path", e->path);
    put_opt(w, d, "method", e->method);
    if (e->n_response_headers)
        doc_put(w->a, d, "responseHeaders",
                strings(w, e->response_headers, e->n_response_headers));
    put_opt(w, d, "requestRedirect", e->request_redirect);
    put_opt(w, d, "setCookie", e->set_cookie);
    if (e->signin_url || e->signin_path) {
        s = doc_put(w->a, d, "signIn", doc_map(w->a));
        put_opt(w, s, "url", e->signin_url);
        put_opt(w, s, "path", e->signin_path);
        put_opt(w, s, "redirectParameter", e->signin_parameter);
    }
}

static void access_spec(struct writer *w, struct doc *spec,
                        const struct o_gwc_policy *p)
{
    if (p->n_allow || p->n_deny) {
        struct doc *ca = doc_put(w->a, spec, "clientAddresses", doc_map(w->a));
        if (p->n_allow)
            doc_put(w->a, ca, "allow", strings(w, p->allow, p->n_allow));
        if (p->n_deny)
            doc_put(w->a, ca, "deny", strings(w, p->deny, p->n_deny));
    }
    if (p->basic_secret) {
        struct doc *b = doc_put(w->a, spec, "basicAuth", doc_map(w->a));
        doc_put(w->a, b, "secretRef", object_ref(w, p->basic_secret, p->namespace));
        put_opt(w, b, "format", p->basic_format);
        put_opt(w, b, "key", p->basic_key);
        put_opt(w, b, "realm", p->basic_realm);
        if (p->basic_forward)
            doc_put(w->a, b, "forwardCredentials", doc_bool(w->a, true));
    }
    if (p->ext_auth)
        ext_auth(w, spec, p->namespace, p->ext_auth);
    put_opt(w, spec, "satisfy", p->satisfy);
}

static void client_spec(struct writer *w, struct doc *spec,
                        const struct o_gwc_policy *p)
{
    const struct o_client_address *ca = p->client_address;
    size_t i;

    if (ca) {
        struct doc *d = doc_put(w->a, spec, "clientAddressDetection", doc_map(w->a));
        doc_put_str(w->a, d, "source", ca->source);
        put_opt(w, d, "header", ca->header);
        doc_put(w->a, d, "trustedProxies", strings(w, ca->trusted, ca->n_trusted));
    }
    if (p->max_body_size)
        doc_put_str(w->a, doc_put(w->a, spec, "requestBody", doc_map(w->a)),
                    "maxSize", p->max_body_size);
    if (p->n_rates || p->concurrent) {
        struct doc *l = doc_put(w->a, spec, "requestLimits", doc_map(w->a)), *rs;
        if (p->n_rates) {
            rs = doc_put(w->a, l, "rate", doc_seq(w->a));
            for (i = 0; i < p->n_rates; i++) {
                struct doc *r = doc_push(w->a, rs, doc_map(w->a));
                doc_put(w->a, r, "requests", doc_int(w->a, p->rates[i].requests));
                doc_put_str(w->a, r, "per", p->rates[i].per);
                if (p->rates[i].burst)
                    doc_put(w->a, r, "burst", doc_int(w->a, p->rates[i].burst));
                if (p->rates[i].delay)
                    doc_put(w->a, r, "noDelay", doc_bool(w->a, false));
            }
        }
        if (p->concurrent)
            doc_put(w->a, l, "concurrent", doc_int(w->a, p->concurrent));
        if (p->n_exempt)
            doc_put(w->a, l, "exemptCIDRs", strings(w, p->exempt, p->n_exempt));
        if (p->reject_status)
            doc_put(w->a, l, "rejectStatusCode", doc_int(w->a, p->reject_status));
    }
    if (p->hsts) {
        struct doc *h = doc_put(w->a, spec, "hsts", doc_map(w->a));
        doc_put(w->a, h, "maxAgeSeconds", doc_int(w->a, p->hsts->max_age));
        if (p->hsts->include_subdomains)
            doc_put(w->a, h, "includeSubDomains", doc_bool(w->a, true));
        if (p->hsts->preload)
            doc_put(w->a, h, "preload", doc_bool(w->a, true));
    }
    if (p->n_error_codes) {
        /* one entry per 16 codes (the CRD's limit), one Service for all */
        struct doc *es = doc_put(w->a, spec, "errorResponses", doc_seq(w->a)), *e = NULL,
                   *codes = NULL;
        for (i = 0; i < p->n_error_codes; i++) {
            if (i % 16 == 0) {
                e = doc_push(w->a, es, doc_map(w->a));
                codes = doc_put(w->a, e, "statusCodes", doc_seq(w->a));
                doc_put(w->a, e, "backendRef", object_ref(w, p->error_service, p->namespace));
            }
            doc_push(w->a, codes, doc_int(w->a, p->error_codes[i]));
        }
    }
}

static void retry(struct writer *w, struct doc *spec, const struct o_retry *r)
{
    struct doc *d = doc_put(w->a, spec, "retry", doc_map(w->a)), *codes;
    size_t i;

    if (r->n_on)
        doc_put(w->a, d, "on", strings(w, r->on, r->n_on));
    if (r->n_codes) {
        codes = doc_put(w->a, d, "statusCodes", doc_seq(w->a));
        for (i = 0; i < r->n_codes; i++)
            doc_push(w->a, codes, doc_int(w->a, r->codes[i]));
    }
    if (r->non_idempotent)
        doc_put(w->a, d, "nonIdempotent", doc_bool(w->a, true));
    if (r->tries)
        doc_put(w->a, d, "tries", doc_int(w->a, r->tries));
    put_opt(w, d, "timeout", r->timeout);
}

static void backend_spec(struct writer *w, struct doc *spec,
                         const struct o_gwc_policy *p)
{
    const struct o_load_balancing *lb = p->load_balancing;
    struct doc *t;

    if (p->connect_timeout || p->send_timeout || p->read_timeout) {
        t = doc_put(w->a, spec, "timeouts", doc_map(w->a));
        put_opt(w, t, "connect", p->connect_timeout);
        put_opt(w, t, "send", p->send_timeout);
        put_opt(w, t, "read", p->read_timeout);
    }
    if (lb) {
        t = doc_put(w->a, spec, "loadBalancing", doc_map(w->a));
        doc_put_str(w->a, t, "method", lb->method);
        if (lb->source) {
            struct doc *h = doc_put(w->a, t, "consistentHash", doc_map(w->a));
            doc_put_str(w->a, h, "source", lb->source);
            if (str_eq(lb->source, "Header"))
                doc_put_str(w->a, h, "header", lb->name);
            else if (str_eq(lb->source, "QueryParameter"))
                doc_put_str(w->a, h, "queryParameter", lb->name);
            else if (str_eq(lb->source, "Cookie")) {
                struct doc *c = doc_put(w->a, h, "cookie", doc_map(w->a));
                doc_put_str(w->a, c, "name", lb->name);
                if (lb->issue_cookie)
                    doc_put(w->a, c, "issue", doc_bool(w->a, true));
            }
        }
    }
    if (p->has_keepalive)
        doc_put(w->a, doc_put(w->a, spec, "keepalive", doc_map(w->a)), "connections",
                doc_int(w->a, p->keepalive));
    if (p->has_buffering)
        doc_put(w->a, doc_put(w->a, spec, "buffering", doc_map(w->a)), "response",
                doc_bool(w->a, p->buffering));
    if (p->retry)
        retry(w, spec, p->retry);
}

static void gwc_policy(struct writer *w, const struct o_gwc_policy *p)
{
    struct doc *d = object(w, GWC_GROUP "/v1alpha1", p->kind, p->namespace, p->name,
                           &p->origins);
    struct doc *spec = doc_put(w->a, d, "spec", doc_map(w->a));
    struct doc *refs = doc_put(w->a, spec, "targetRefs", doc_seq(w->a));
    size_t i;

    for (i = 0; i < p->targets.n; i++) {
        const struct o_target *t = p->targets.v[i];
        struct doc *r = doc_push(w->a, refs, doc_map(w->a));
        doc_put_str(w->a, r, "group", GATEWAY_GROUP);
        doc_put_str(w->a, r, "kind", model_kind_name(t->kind));
        doc_put_str(w->a, r, "name", t->name);
        put_opt(w, r, "sectionName", t->section);
    }
    if (str_eq(p->kind, "AccessPolicy"))
        access_spec(w, spec, p);
    else if (str_eq(p->kind, "ClientPolicy"))
        client_spec(w, spec, p);
    else
        backend_spec(w, spec, p);
}

static void grant(struct writer *w, const struct o_grant *g)
{
    struct doc *d = object(w, GATEWAY_GROUP "/v1beta1", "ReferenceGrant",
                           g->namespace, g->name, &g->origins);
    struct doc *spec = doc_put(w->a, d, "spec", doc_map(w->a)), *from;

    from = doc_push(w->a, doc_put(w->a, spec, "from", doc_seq(w->a)),
                    doc_map(w->a));
    doc_put_str(w->a, from, "group", g->from_group);
    doc_put_str(w->a, from, "kind", g->from_kind);
    doc_put_str(w->a, from, "namespace", g->from_namespace);
    doc_push(w->a, doc_put(w->a, spec, "to", doc_seq(w->a)),
             ref(w, g->to_kind, g->to_name));
}

static void config_map(struct writer *w, const struct o_config_map *cm)
{
    struct doc *d = object(w, "v1", "ConfigMap", cm->namespace, cm->name,
                           &cm->origins);

    doc_put_str(w->a, doc_put(w->a, d, "data", doc_map(w->a)), cm->key, cm->value);
}

/* ---- order ---- */

static int kind_rank(enum kind k)
{
    switch (k) {
    case KIND_HTTP_ROUTE:
        return 0;
    case KIND_GRPC_ROUTE:
        return 1;
    case KIND_TLS_ROUTE:
        return 2;
    case KIND_TCP_ROUTE:
        return 3;
    default:
        return 4;
    }
}

static int cmp_routes(const void *pa, const void *pb)
{
    const struct o_route *a = *(const struct o_route *const *)pa;
    const struct o_route *b = *(const struct o_route *const *)pb;
    int c = kind_rank(a->kind) - kind_rank(b->kind);

    if (c)
        return c;
    if ((c = strcmp(a->namespace, b->namespace)) != 0)
        return c;
    return strcmp(a->name, b->name);
}

/* The other outputs sort by namespace, then name. */
#define BY_NS_NAME(fn, T)                                         \
    static int fn(const void *pa, const void *pb)                 \
    {                                                             \
        const T *a = *(const T *const *)pa;                       \
        const T *b = *(const T *const *)pb;                       \
        int c = strcmp(a->namespace, b->namespace);               \
        return c ? c : strcmp(a->name, b->name);                  \
    }
BY_NS_NAME(cmp_gateways, struct o_gateway)
BY_NS_NAME(cmp_policies, struct o_policy)
BY_NS_NAME(cmp_grants, struct o_grant)
BY_NS_NAME(cmp_config_maps, struct o_config_map)

static int cmp_gwc_policies(const void *pa, const void *pb)
{
    const struct o_gwc_policy *a = *(const struct o_gwc_policy *const *)pa;
    const struct o_gwc_policy *b = *(const struct o_gwc_policy *const *)pb;
    int c = strcmp(a->kind, b->kind);

    if (c)
        return c;
    if ((c = strcmp(a->namespace, b->namespace)) != 0)
        return c;
    return strcmp(a->name, b->name);
}

void imp_write_output(struct imp *im, struct import_output *out)
{
    struct writer w = {im, im->a, {0}, NULL};
    size_t i;

    imp_origins_derive(im);

    ptrvec_sort(&im->gateways, cmp_gateways);
    ptrvec_sort(&im->routes, cmp_routes);
    ptrvec_sort(&im->policies, cmp_policies);
    ptrvec_sort(&im->gwc_policies, cmp_gwc_policies);
    ptrvec_sort(&im->grants, cmp_grants);
    ptrvec_sort(&im->config_maps, cmp_config_maps);
    for (i = 0; i < im->gateways.n; i++)
        gateway(&w, im->gateways.v[i]);
    for (i = 0; i < im->gateways.n; i++) {
        const struct o_gateway *g = im->gateways.v[i];
        size_t k;
        for (k = 0; k < g->sets.n; k++)
            listener_set(&w, g->sets.v[k]);
    }
    for (i = 0; i < im->routes.n; i++)
        route(&w, im->routes.v[i]);
    for (i = 0; i < im->policies.n; i++)
        policy(&w, im->policies.v[i]);
    for (i = 0; i < im->gwc_policies.n; i++)
        gwc_policy(&w, im->gwc_policies.v[i]);
    for (i = 0; i < im->grants.n; i++)
        grant(&w, im->grants.v[i]);
    for (i = 0; i < im->config_maps.n; i++)
        config_map(&w, im->config_maps.v[i]);
    for (i = 0; i < w.pending.n; i++) {
        const struct pending *p = w.pending.v[i];
        imp_output_add(im->a, out, p->kind, p->namespace, p->comment, p->d);
    }
}
