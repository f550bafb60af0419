/*
 * Contour's Ingresses (internal/dag/ingress_processor.go; annotations:
 * projectcontour.io/docs/main/config/annotations/):
 *   - class: projectcontour.io/ingress.class, else
 *     kubernetes.io/ingress.class, else spec.ingressClassName; "contour"
 *     or none is served;
 *   - paths: Exact exact; Prefix segment-wise; ImplementationSpecific (and
 *     no pathType) a regular expression (RE2, whole path) when the path
 *     holds one of ^+*[]%, else a string prefix; an empty path is "/";
 *   - an empty host is every host; tls.hosts get HTTPS; defaultBackend is
 *     "/" on every host, which the rules override;
 *   - response-timeout (request-timeout) is the route timeout, 15 s when
 *     unset; force-ssl-redirect "true" answers port 80 with a 301;
 *     allow-http "false" leaves port 80 out; a tls[].secretName
 *     "namespace/name" names its namespace, tls-cert-namespace that of
 *     the others (another needs a TLSCertificateDelegation); retry-on,
 *     num-retries and per-try-timeout a gwc BackendPolicy on every rule
 *     (backend.c).
 */
#include "ct.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <stddef.h>
#include <string.h>

#define PREFIX "projectcontour.io/"

struct ing {
    const struct ingress *in;
    struct imp_src src;
    const char *ns;
    const char *timeout;    /* timeouts.request */
    enum ct_plain plain;
    const char *secret_ns;  /* tls-cert-namespace */
    const char **tls_ns, **tls_name; /* per tls entry; NULL name: left out */
    struct ct_backend *backend; /* retries */
    size_t n_paths;
};

static void not_converted(struct imp *im, const struct ing *g,
                          const struct ynode *at, const char *why)
{
    ct_report(im, &g->src, at, DIAG_IMPORT_NOT_CONVERTED, "not converted: %s", why);
}

static void annotations(struct imp *im, struct ing *g)
{
    const struct strmap *m = &g->in->obj.meta.annotations;
    bool force = false, allow = true, b;
    size_t i;

    for (i = 0; i < m->n; i++) {
        const char *k = m->v[i].key, *v = m->v[i].value;
        const struct ynode *at = m->v[i].src;

        if (str_eq(k, "ingress.kubernetes.io/force-ssl-redirect")) {
            force = imp_value_parse_go_bool(v, &b) && b;
            continue;
        }
        if (str_eq(k, "kubernetes.io/ingress.allow-http")) {
            allow = !(imp_value_parse_go_bool(v, &b) && !b);
            continue;
        }
        if (strncmp(k, PREFIX, strlen(PREFIX)) != 0)
            continue;
        k += strlen(PREFIX);
        if (str_eq(k, "ingress.class"))
            continue;
        if (str_eq(k, "response-timeout") || str_eq(k, "request-timeout")) {
            g->timeout = ct_duration(im, v);
            if (!g->timeout) {
                not_converted(im, g, at, "the timeout is not a duration Gateway "
                                         "API can write (such as 30s, 1m or "
                                         "infinity); Contour's 15s default is "
                                         "written instead");
                g->timeout = ct_default_timeout;
            }
        } else if (str_eq(k, "tls-cert-namespace")) {
            if (imp_value_dns_label(v))
                g->secret_ns = v;
            else
                not_converted(im, g, at, "not a namespace name");
        } else if (str_eq(k, "websocket-routes")) {
            ct_report(im, &g->src, at, DIAG_IMPORT_IGNORED,
                      "nothing to convert: the Gateway forwards WebSocket "
                      "upgrades on every route");
        } else if (str_eq(k, "retry-on") || str_eq(k, "num-retries") ||
                   str_eq(k, "per-try-timeout")) {
            continue; /* backend.c */
        } else {
            not_converted(im, g, at, "gwc does not convert this Contour "
                                     "annotation");
        }
    }
    g->plain = force ? CT_PLAIN_REDIRECT : allow ? CT_PLAIN_SERVE : CT_PLAIN_NONE;
    g->backend = ct_ingress_backend(
        im, &g->src, ynode_get(ynode_get(g->in->obj.src, "metadata"), "annotations"));
    if (!g->timeout) {
        g->timeout = ct_default_timeout;
        ct_report(im, &g->src, g->in->obj.meta.src, DIAG_IMPORT_DETAIL,
                  "Contour's default response timeout is 15s (Envoy's route "
                  "timeout); written as timeouts.request: 15s on every rule "
                  "(projectcontour.io/response-timeout changes it)");
    }
}

/* The tls entry of host, unless Contour leaves the entry out; -1 if none. */
static ptrdiff_t tls_entry(const struct ing *g, const char *host)
{
    const struct ingress *in = g->in;
    size_t i, k;

    for (i = 0; *host && i < in->n_tls; i++) {
        for (k = 0; k < in->tls[i].n_hosts; k++) {
            if (str_eq(in->tls[i].hosts[k], host))
                return g->tls_name[i] ? (ptrdiff_t)i : -1;
        }
    }
    return -1;
}

/* Where each tls entry's Secret is: secretName "namespace/name" names its
 * namespace, else tls-cert-namespace does, else the Ingress's.  Contour
 * skips an entry whose Secret it cannot find or, in another namespace, is
 * not delegated, and serves its hosts on port 80 only. */
static void tls_entries(struct imp *im, struct ing *g)
{
    const struct ingress *in = g->in;
    size_t i;

    g->tls_ns = ARENA_NEW_ARRAY(im->a, const char *, in->n_tls);
    g->tls_name = ARENA_NEW_ARRAY(im->a, const char *, in->n_tls);
    for (i = 0; i < in->n_tls; i++) {
        const char *text = in->tls[i].secret_name;
        const struct ynode *at = ynode_get(in->tls[i].src, "secretName");
        const char *ns, *name;
        if (!text)
            continue;
        if (!ct_secret_ref(im, text, g->secret_ns ? g->secret_ns : g->ns, &ns,
                           &name)) {
            ct_report(im, &g->src, at, DIAG_IMPORT_TLS,
                      "not converted: not a Secret name, nor namespace/name: "
                      "Contour finds no Secret, leaves the tls entry out and "
                      "serves its hosts on port 80 only, as the import does");
            continue;
        }
        if (!str_eq(ns, g->ns) &&
            !ct_delegated(im, &g->src, at, ns, name, g->ns,
                          "Contour leaves the tls entry out and serves its hosts "
                          "on port 80 only, as the import does"))
            continue;
        g->tls_ns[i] = ns;
        g->tls_name[i] = name;
    }
}

static bool regex_path(const char *p)
{
    return strpbrk(p, "^+*[]%") != NULL;
}

static void add_path(struct imp *im, struct ing *g, struct ct_vhost *v,
                     const struct ynode *at, const char *path, const char *type,
                     const struct ingress_backend *be)
{
    struct ct_route *r = ARENA_NEW(im->a, struct ct_route);
    struct backend b;
    char err[128];

    r->src = g->src;
    r->at = at;
    r->path_at = ynode_get(at, "path");
    r->path_src = g->src;
    r->namespace = g->ns;
    r->owner = g->in->obj.meta.name;
    r->plain = g->plain;
    r->backend = g->backend;
    r->rule_name = arena_printf(im->a, "path-%zu", ++g->n_paths);
    if (!path || !*path)
        path = "/";
    if (!imp_value_gateway_path(path) &&
        !(type == NULL || str_eq(type, "ImplementationSpecific"))) {
        not_converted(im, g, at, "the path is not one Gateway API accepts");
        return;
    }
    if (str_eq(type, "Exact")) {
        r->matches[0].path.type = "Exact";
        r->matches[0].path.value = path;
        r->n_matches = 1;
    } else if (str_eq(type, "Prefix")) {
        r->matches[0].path.type = "PathPrefix";
        r->matches[0].path.value = path;
        r->n_matches = 1;
        r->segment = true;
    } else if (regex_path(path)) {
        if (imp_re_unmatchable(path, true, err, sizeof(err))) {
            ct_report(im, &g->src, at, DIAG_IMPORT_REGEX_UNMATCHABLE,
                      "the path is a regular expression that %s; not converted",
                      err);
            return;
        }
        if (!imp_re_ok(path, err, sizeof(err))) {
            not_converted(im, g, at, "the path is a regular expression nginx's "
                                     "PCRE does not take");
            return;
        }
        r->matches[0].path.type = "RegularExpression";
        r->matches[0].path.value = path;
        r->n_matches = 1;
    } else if (imp_value_gateway_path(path)) {
        ct_string_prefix(im, r, path);
    } else {
        not_converted(im, g, at, "the path is not one Gateway API accepts");
        return;
    }
    r->filters = ARENA_NEW(im->a, struct o_filters);
    r->filters->request_timeout = g->timeout;
    if (imp_ingress_backend_port(im, g->src.label, g->src.root, g->ns, be, &b)) {
        struct o_rule tmp;
        memset(&tmp, 0, sizeof(tmp));
        imp_routes_rule_add_backend(im, &tmp, &b, -1);
        r->backends = tmp.backends;
    }
    ptrvec_push(im->a, &v->routes, r);
}

static struct ct_vhost *vhost(struct imp *im, const struct ing *g,
                              const char *host, const struct ynode *at)
{
    struct ct_vhost *v = ct_vhost_get(im, &g->src, g->ns, host, at);
    ptrdiff_t e = tls_entry(g, host);

    if (e >= 0 && !v->secret && !v->passthrough) {
        v->secret = g->tls_name[e];
        v->secret_namespace = g->tls_ns[e];
    } else if (e >= 0 && g->tls_name[e] && v->secret &&
               (!str_eq(v->secret, g->tls_name[e]) ||
                !str_eq(v->secret_namespace, g->tls_ns[e]))) {
        /* Another object (maybe of another namespace) named the host's
         * certificate first; Contour serves one per host too. */
        ct_report(im, &g->src, ynode_get(g->in->tls[e].src, "secretName"),
                  DIAG_IMPORT_TLS,
                  "not converted: an object read earlier gives host '%s' "
                  "certificate %s/%s; its HTTPS listener keeps that one, not "
                  "%s/%s",
                  imp_report_value(im, host), v->secret_namespace, v->secret,
                  g->tls_ns[e], g->tls_name[e]);
    }
    return v;
}

static void ingress(struct imp *im, const struct ingress *in)
{
    struct ing g;
    const char *klass;
    const struct ynode *at;
    size_t r, k;

    memset(&g, 0, sizeof(g));
    g.in = in;
    g.src.label = model_object_label(im->c, &in->obj);
    g.src.root = in->obj.src;
    g.ns = imp_object_namespace(im, &in->obj);
    if (!ct_class_selected(im, in->obj.src, &klass, &at)) {
        ct_report(im, &g.src, at, DIAG_IMPORT_SKIPPED,
                  "ingress class '%s' is not converted (Contour serves "
                  "'contour' and Ingresses without a class; --ingress-class "
                  "chooses others)",
                  klass);
        return;
    }
    imp_ingress_taken(im, in);
    annotations(im, &g);
    tls_entries(im, &g);
    for (r = 0; r < in->n_rules; r++) {
        const struct ingress_rule *rule = &in->rules[r];
        const char *host = rule->host ? rule->host : "";
        const struct ynode *host_at = ynode_get(rule->src, "host");
        struct ct_vhost *v;

        if (!imp_ingress_host_ok(im, &g.src, host_at, host))
            continue;
        v = vhost(im, &g, host, host_at);
        for (k = 0; k < rule->http.n_paths; k++) {
            const struct ingress_path *p = &rule->http.paths[k];
            add_path(im, &g, v, p->src, p->path, p->path_type, &p->backend);
        }
    }
    /* Contour puts it first so that the rules override it; in the Gateway
     * the first of equal matches wins, so it goes last. */
    if (in->default_backend.src)
        add_path(im, &g, vhost(im, &g, "", NULL), in->default_backend.src, "/",
                 "ImplementationSpecific", &in->default_backend);
}

/* Contour reads its annotations on Services too (upstream protocol,
 * circuit breakers): none has a Gateway API equivalent gwc writes. */
static void service_annotations(struct imp *im, const struct object *o)
{
    const struct strmap *m = &o->meta.annotations;
    struct imp_src src = {model_object_label(im->c, o), o->src};
    size_t i;

    for (i = 0; i < m->n; i++) {
        if (strncmp(m->v[i].key, PREFIX, strlen(PREFIX)) == 0)
            ct_report(im, &src, m->v[i].src, DIAG_IMPORT_NOT_CONVERTED,
                      "not converted: Contour's Service annotations (upstream "
                      "protocol, circuit breakers) have no Gateway API "
                      "equivalent gwc writes");
    }
}

void ct_ingresses(struct imp *im)
{
    const struct ptrvec *all = &im->m->objects[KIND_INGRESS];
    size_t i;

    for (i = 0; i < all->n; i++) {
        const struct ingress *in = all->v[i];
        if (!in->obj.rejected)
            ingress(im, in);
    }
    all = &im->m->objects[KIND_SERVICE];
    for (i = 0; i < all->n; i++)
        service_annotations(im, all->v[i]);
}
