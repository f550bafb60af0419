/*
 * The routes of the output: parents, hostnames, and each rule's matches,
 * filters, backends, timeouts and session persistence.
 */
#include "write_internal.h"

#include "base/doc.h"

#include <string.h>

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
                imp_write_strings(w, (const char *const *)remove->v, remove->n));
}

static void redirect(struct writer *w, struct doc *filters,
                     const struct o_redirect *r)
{
    struct doc *d = filter(w, filters, "RequestRedirect", "requestRedirect");

    imp_write_put_opt(w, d, "scheme", r->scheme);
    imp_write_put_opt(w, d, "hostname", r->hostname);
    if (r->path.type)
        doc_put(w->a, d, "path", path_mod(w, &r->path));
    if (r->port)
        doc_put(w->a, d, "port", doc_int(w->a, r->port));
    doc_put(w->a, d, "statusCode", doc_int(w->a, r->code));
}

static void cors(struct writer *w, struct doc *filters, const struct o_cors *c)
{
    struct doc *d = filter(w, filters, "CORS", "cors");

    doc_put(w->a, d, "allowOrigins", imp_write_strings(w, c->origins, c->n_origins));
    doc_put(w->a, d, "allowMethods", imp_write_strings(w, c->methods, c->n_methods));
    doc_put(w->a, d, "allowHeaders", imp_write_strings(w, c->headers, c->n_headers));
    if (c->n_expose)
        doc_put(w->a, d, "exposeHeaders", imp_write_strings(w, c->expose, c->n_expose));
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
        imp_write_put_opt(w, d, "hostname", f->rewrite->hostname);
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
        imp_write_put_opt(w, d, "method", m->method);
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
            imp_write_put_opt(w, md, "method", r->grpc.method);
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
    imp_write_put_opt(w, d, "absoluteTimeout", s->absolute_timeout);
    c = doc_put(w->a, d, "cookie", doc_map(w->a));
    doc_put_str(w->a, c, "name", s->cookie_name);
    imp_write_put_opt(w, c, "path", s->cookie_path);
    imp_write_put_opt(w, c, "lifetimeType", s->lifetime);
    return d;
}

static struct doc *rule(struct writer *w, const struct o_route *route,
                        const struct o_rule *r)
{
    struct doc *d = doc_map(w->a), *m, *b;
    size_t i;

    imp_write_put_opt(w, d, "name", r->name);
    if (route->kind == KIND_HTTP_ROUTE || route->kind == KIND_GRPC_ROUTE) {
        m = route->kind == KIND_GRPC_ROUTE ? grpc_matches(w, r) : http_matches(w, r);
        if (m->n)
            doc_put(w->a, d, "matches", m);
    }
    if (r->filters && !r->refused) {
        struct doc *fs = filters(w, r->filters);
        if (fs->n)
            doc_put(w->a, d, "filters", fs);
    }
    if (r->backends.n && !r->refused) {
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
        imp_write_put_opt(w, t, "request", r->filters->request_timeout);
        imp_write_put_opt(w, t, "backendRequest", r->filters->timeout);
    }
    if (r->filters && r->filters->session &&
        (route->kind == KIND_HTTP_ROUTE || route->kind == KIND_GRPC_ROUTE))
        doc_put(w->a, d, "sessionPersistence", session(w, r->filters->session));
    return d;
}

void imp_write_route(struct writer *w, const struct o_route *r)
{
    /* TCPRoute and UDPRoute are served as v1alpha2 by the Gateway API's
     * experimental CRDs; so is a TLSRoute for every name, as v1 requires
     * hostnames. */
    bool alpha = r->kind == KIND_TCP_ROUTE || r->kind == KIND_UDP_ROUTE ||
                 (r->kind == KIND_TLS_ROUTE && !r->n_hostnames);
    const char *version = alpha ? GATEWAY_GROUP "/v1alpha2" : GW_V1;
    struct doc *d =
        imp_write_object(w, version, model_kind_name(r->kind), r->namespace, r->name,
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
        imp_write_put_opt(w, p, "namespace", pr->namespace);
        doc_put_str(w->a, p, "sectionName", pr->section);
    }
    if (r->n_hostnames)
        doc_put(w->a, spec, "hostnames", imp_write_strings(w, r->hostnames, r->n_hostnames));
    rules = doc_put(w->a, spec, "rules", doc_seq(w->a));
    for (i = 0; i < r->rules.n; i++)
        doc_push(w->a, rules, rule(w, r, r->rules.v[i]));
}
