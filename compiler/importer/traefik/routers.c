/*
 * Traefik's routers to Gateway API: the Gateway "traefik" (importer/
 * gateways.c), an HTTP listener per host for the web entry point and an
 * HTTPS one per host with a certificate for websecure; per router and
 * host, an HTTPRoute for each entry point (web redirects when the router
 * has redirectScheme https).
 * Where Traefik's priority and Gateway API precedence disagree, the
 * difference is reported (precedence.c).  The listeners come first, so
 * that the client certificates the routers' TLS options ask are resolved
 * per port (importer/client_certs.c) once IngressRouteTCP has added its
 * own, before any route is written.
 */
#include "tr.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <stdarg.h>
#include <string.h>

void tr_tls_only(struct imp *im, struct tr_router *r, const struct ynode *eps)
{
    /* Without websecure it serves nothing, which is reported as such. */
    if (r->web && r->websecure && eps)
        imp_report_src(im, &r->src, eps, DIAG_IMPORT_APPROXIMATED,
                       "a TLS router listed on the web entry point: Traefik "
                       "terminates TLS on port 80 for it; the import serves it on "
                       "websecure (443) only");
    r->web = false;
}

static int cmp_routers(const void *pa, const void *pb)
{
    const struct tr_router *a = *(const struct tr_router *const *)pa;
    const struct tr_router *b = *(const struct tr_router *const *)pb;
    int c = strcmp(a->namespace, b->namespace);

    return c ? c : strcmp(a->name, b->name);
}

/* ---- listeners ---- */

struct out {
    struct index listeners; /* "ns/gateway/proto/host" -> name */
    /* HTTPS listener -> the TLS options (struct tr_tls_opts) its routers'
     * Host matchers name */
    struct index options;
    struct index mixed; /* HTTPS listeners whose routers name different ones */
    struct tr_tls_opts *def; /* the default TLS options, once asked */
    const struct tr_router *def_for; /* for which: reported there if denied */
};

/* The secret of a router is in its namespace.  A router naming another
 * Secret for the host meets imp_listener_add again, which says that the
 * listener keeps the first: Traefik picks among every Secret of its TLS
 * store by the name the client asks for. */
static const char *listener(struct imp *im, struct out *o, struct o_gateway *gw,
                            const struct tr_router *r, const char *proto,
                            const char *host, const char *secret)
{
    const char *key = arena_printf(im->a, "%s/%s/%s/%s", gw->namespace, gw->name,
                                   proto, host);
    const char *name = imp_index_get(&o->listeners, key);
    const char *cert_key = arena_printf(im->a, "%s#secret", key);
    const char *cert = secret ? arena_printf(im->a, "%s/%s", r->namespace, secret) : "";

    if (name && !str_eq(imp_index_get(&o->listeners, cert_key), cert))
        imp_listener_add(im, gw, &r->src, r->at, proto, host, secret, r->namespace);
    if (name)
        return name;
    name = imp_listener_add(im, gw, &r->src, r->at, proto, host, secret,
                            r->namespace);
    imp_index_put(im->a, &o->listeners, key, (void *)name);
    imp_index_put(im->a, &o->listeners, cert_key, (void *)cert);
    return name;
}

/* Whether a Host matcher of r names host (HostHeader alone does not). */
static bool names_host(const struct tr_router *r, const char *host)
{
    size_t i;

    for (i = 0; i < r->alts.n; i++) {
        const struct tr_alt *a = r->alts.v[i];
        if (a->tls_host && str_eq(a->hosts[0], host))
            return true;
    }
    return false;
}

/* The routers of an HTTPS listener that name its host name opts. */
static void options_name(struct imp *im, struct out *o, const char *https,
                         const struct tr_tls_opts *opts)
{
    const struct tr_tls_opts *named = imp_index_get(&o->options, https);
    struct tr_tls_opts *t;

    if (named) {
        if (!str_eq(named->key, opts->key))
            imp_index_put(im->a, &o->mixed, https, (void *)https);
        return;
    }
    t = ARENA_NEW(im->a, struct tr_tls_opts);
    *t = *opts;
    imp_index_put(im->a, &o->options, https, t);
}

static void router_listeners(struct imp *im, struct out *o, struct tr_router *r)
{
    struct o_gateway *gw = imp_gateway_for(im, "traefik");
    struct index seen = {0};
    size_t i;

    for (i = 0; i < r->alts.n; i++) {
        const struct tr_alt *a = r->alts.v[i];
        struct tr_host *h;
        const char *host = a->n_hosts ? a->hosts[0] : "";

        if (imp_index_get(&seen, host))
            continue;
        imp_index_put(im->a, &seen, host, (void *)host);
        h = ARENA_NEW(im->a, struct tr_host);
        h->host = host;
        if (r->web)
            h->http = listener(im, o, gw, r, "HTTP", host, NULL);
        if (r->websecure && r->secret) {
            h->https = listener(im, o, gw, r, "HTTPS", host, r->secret);
            /* Matching the host by HostHeader alone, r is served under the
             * options of the host's other routers. */
            if (names_host(r, host))
                options_name(im, o, h->https, &r->tls);
        }
        ptrvec_push(im->a, &r->hosts, h);
    }
}

/* Client certificates of r not converted: reported once for its TLS
 * options, and r answers 500. */
static void client_certs_refused(struct imp *im, struct tr_router *r, const char *why)
{
    struct tr_client_certs *cc = r->tls.cc;

    r->denied = true;
    if (cc->said)
        return;
    cc->said = true;
    imp_report_src(im, &cc->cc.src, cc->cc.at, DIAG_IMPORT_FAIL_CLOSED,
                   "access control not converted exactly: client certificates of "
                   "TLSOption %s/%s: %s; the routes answer 500 instead of being "
                   "served without them",
                   cc->options->namespace, cc->options->name, why);
}

static void options_denied(struct imp *im, struct tr_router *r, const char *why)
{
    r->denied = true;
    imp_report_src(im, &r->src, r->at, DIAG_IMPORT_FAIL_CLOSED,
                   "access control not converted exactly: %s; the route answers "
                   "500 instead of being served without client certificates",
                   why);
}

/* The TLS options Traefik gives the connections of r's HTTPS host h: the
 * ones the Host matchers of the host's routers name when they agree, else
 * the default ones.  A router that matches h by HostHeader alone takes no
 * part in that choice, and is served under it. */
static const struct tr_tls_opts *host_options(struct imp *im, struct out *o,
                                              const struct tr_router *r,
                                              const struct tr_host *h)
{
    const struct tr_tls_opts *named = imp_index_get(&o->options, h->https);

    if (!*h->host || *h->host == '*') /* client_certs_ask refuses these */
        return &r->tls;
    if (!imp_index_get(&o->mixed, h->https) && names_host(r, h->host))
        return &r->tls;
    if (!imp_index_get(&o->mixed, h->https) && named)
        return named;
    if (!o->def) {
        o->def = ARENA_NEW(im->a, struct tr_tls_opts);
        o->def_for = r;
        tr_tls_options(im, &r->src, r->at, NULL, NULL, NULL, o->def);
        if (str_eq(o->def->key, r->tls.key))
            *o->def = r->tls; /* its client certificates, asked once */
    }
    return o->def;
}

/* r takes the TLS options of its hosts where they ask for client
 * certificates (sharing them, so that they are asked once), or cannot be
 * converted; where they ask for nothing, r keeps its own, whose client
 * certificates client_certs_ask refuses. */
static void options_resolve(struct imp *im, struct out *o, struct tr_router *r)
{
    const struct tr_tls_opts *t = NULL;
    size_t i;

    for (i = 0; i < r->hosts.n; i++) {
        const struct tr_host *h = r->hosts.v[i];
        const struct tr_tls_opts *e = h->https ? host_options(im, o, r, h) : NULL;
        if (!e || (t && str_eq(t->key, e->key)))
            continue;
        if (t) {
            options_denied(im, r, "Traefik gives the hosts of this router "
                                  "different TLS options, which one route "
                                  "cannot carry");
            return;
        }
        t = e;
    }
    if (!t || t == &r->tls)
        return;
    if (t->denied && t == o->def && o->def_for == r)
        r->denied = true; /* reported by tr_tls_options */
    else if (t->denied)
        options_denied(im, r, arena_printf(im->a, "Traefik serves its host with the "
                                           "TLS options %s, which are not "
                                           "converted",
                                           t->key));
    else if (t->cc)
        r->tls = *t;
}

/* Traefik configures the TLS of a host once, from the options its routers
 * name; where they name different ones, or a router's rule names no host
 * (Host() only: HostRegexp names none), it uses the default options.  So
 * a router's client certificates are asked on its HTTPS listeners only
 * when they are its host's (options_resolve). */
static void client_certs_ask(struct imp *im, const struct out *o, struct tr_router *r)
{
    struct o_gateway *gw = imp_gateway_for(im, "traefik");
    size_t i;

    for (i = 0; i < r->hosts.n; i++) {
        const struct tr_host *h = r->hosts.v[i];
        if (h->https && (!*h->host || *h->host == '*')) {
            client_certs_refused(
                im, r, arena_printf(im->a, "Traefik applies the TLS options of a "
                                    "router to the hosts its Host matchers name, "
                                    "and %s names none; other hosts get the "
                                    "default TLS options",
                                    *h->host ? imp_report_value(im, h->host)
                                             : "this rule"));
            return;
        }
        if (h->https && imp_index_get(&o->mixed, h->https) &&
            (!o->def || !str_eq(r->tls.key, o->def->key))) {
            client_certs_refused(
                im, r, arena_printf(im->a, "the routers of host '%s' name different "
                                    "TLS options, so Traefik uses the default ones "
                                    "for it",
                                    h->host));
            return;
        }
    }
    for (i = 0; i < r->hosts.n; i++) {
        const struct tr_host *h = r->hosts.v[i];
        if (h->https)
            imp_client_cert_ask(im, gw, h->https, &r->tls.cc->cc);
    }
}

/* A guarded router that Traefik serves on websecure with its default
 * certificate, which the import cannot name, has no listener of its own:
 * left out, its requests would reach the host's other HTTPS routes
 * without its access control.  On their listener it answers 500. */
static void default_cert_closed(struct imp *im, struct out *o, struct tr_router *r)
{
    struct o_gateway *gw = imp_gateway_for(im, "traefik");
    size_t i, k;

    for (i = 0; i < r->alts.n; i++) {
        const struct tr_alt *a = r->alts.v[i];
        const char *host = a->n_hosts ? a->hosts[0] : "";
        const char *https = imp_index_get(
            &o->listeners,
            arena_printf(im->a, "%s/%s/HTTPS/%s", gw->namespace, gw->name, host));
        struct tr_host *h;

        for (k = 0; k < r->hosts.n; k++) {
            if (str_eq(((const struct tr_host *)r->hosts.v[k])->host, host))
                break;
        }
        if (!https || k < r->hosts.n)
            continue;
        h = ARENA_NEW(im->a, struct tr_host);
        h->host = host;
        h->https = https;
        ptrvec_push(im->a, &r->hosts, h);
    }
    if (!r->hosts.n)
        return;
    r->denied = true;
    imp_report_src(im, &r->src, r->at, DIAG_IMPORT_FAIL_CLOSED,
                   "access control not converted exactly: Traefik serves this "
                   "router with its default certificate, which the import cannot "
                   "name; left out, its requests would go to the other HTTPS "
                   "routes of its host without its access control, so it answers "
                   "500 there");
}

void tr_routers_listeners(struct imp *im)
{
    struct ptrvec *rs = &TR(im)->routers;
    struct out o;
    size_t i;

    memset(&o, 0, sizeof(o));
    ptrvec_sort(rs, cmp_routers);
    for (i = 0; i < rs->n; i++) {
        struct tr_router *r = rs->v[i];
        if (!r->denied && !tr_middleware_paths(im, r))
            r->denied = true;
    }
    tr_precedence(im);
    tr_precedence_regex(im);
    for (i = 0; i < rs->n; i++) {
        struct tr_router *r = rs->v[i];
        if (!r->web && !(r->websecure && r->secret))
            imp_report_src(im, &r->src, r->at, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: the router serves no entry point the "
                           "import converts");
        else
            router_listeners(im, &o, r);
    }
    for (i = 0; i < rs->n; i++) {
        struct tr_router *r = rs->v[i];
        if (r->default_cert && !r->l4 && (r->denied || tr_policies_guard(r)))
            default_cert_closed(im, &o, r);
    }
    for (i = 0; i < rs->n; i++) {
        struct tr_router *r = rs->v[i];
        if (!r->denied)
            options_resolve(im, &o, r);
    }
    for (i = 0; i < rs->n; i++) {
        struct tr_router *r = rs->v[i];
        if (r->tls.cc && !r->denied)
            client_certs_ask(im, &o, r);
    }
}

/* ---- routes ---- */

/* policies: the router's gwc policies target the route (not on a rule
 * that only answers 500). */
static void emit(struct imp *im, const struct tr_router *r, const char *host,
                 const char *section, const char *suffix, struct o_gateway *gw,
                 struct o_rule *rule, bool policies)
{
    bool redirect = rule->filters && rule->filters->redirect;
    struct o_route *rt = ARENA_NEW(im->a, struct o_route);
    const char *base = *host
                           ? arena_printf(im->a, "%s-%s%s", r->name,
                                          imp_name_host_label(im->a, host), suffix)
                           : arena_printf(im->a, "%s%s", r->name, suffix);

    rt->kind = KIND_HTTP_ROUTE;
    rt->namespace = r->namespace;
    rt->name = imp_name_claim(im, arena_printf(im->a, "HTTPRoute/%s", r->namespace),
                              base, 253);
    if (*host) {
        rt->hostnames = ARENA_NEW_ARRAY(im->a, const char *, 1);
        rt->hostnames[rt->n_hostnames++] = host;
    }
    imp_route_attach(im, rt, gw, section);
    ptrvec_push(im->a, &rt->rules, rule);
    if (rule->widened) { /* its matches that answer 500, apart */
        rule->widened->source = rule->source;
        ptrvec_push(im->a, &rt->rules, rule->widened);
    }
    imp_grants_for_route(im, rt);
    ptrvec_push(im->a, &im->routes, rt);
    /* A redirect is answered before any check (docs/policies.md). */
    if (!r->denied && !redirect && policies)
        tr_policies_target(im, r, rt);
}

static struct o_rule *rule_for(struct imp *im, const struct tr_router *r,
                               const char *host, bool redirect)
{
    struct o_match m[2 * 16];
    size_t i, n = 0;
    struct o_rule *rule;

    for (i = 0; i < r->alts.n; i++) {
        const struct tr_alt *a = r->alts.v[i];
        if (!str_eq(a->n_hosts ? a->hosts[0] : "", host))
            continue;
        memcpy(m + n, a->m, a->n_m * sizeof(*m));
        n += a->n_m;
    }
    if (redirect) {
        struct o_filters *f = ARENA_NEW(im->a, struct o_filters);
        struct o_redirect *rd = ARENA_NEW(im->a, struct o_redirect);
        rd->scheme = "https";
        rd->code = r->https_redirect;
        f->redirect = rd;
        return imp_routes_rule_new(im, r->src.root, m, n, f, 0);
    }
    rule = imp_routes_rule_new(im, r->src.root, m, n, r->denied ? NULL : r->filters,
                               0);
    if (!r->denied)
        rule->backends = r->backends;
    return rule;
}

/* Traefik's PathPrefix is a string prefix, and the router's access
 * control guards '/pX' too; a prefix rewrite made the match whole
 * segments, so '/pX' would go to a router without it.  Those regexes
 * answer 500 instead: true when the router has some (reported). */
static bool guarded_twins(struct imp *im, const struct tr_router *r)
{
    size_t i;
    bool any = false;

    if (r->denied || !(tr_policies_guard(r) || r->limits))
        return false;
    for (i = 0; i < r->alts.n; i++) {
        const struct tr_alt *a = r->alts.v[i];
        if (!a->twin)
            continue;
        any = true;
        tr_report_path(im, r, a, DIAG_IMPORT_FAIL_CLOSED,
                       "access control not converted exactly: Traefik's "
                       "PathPrefix %s matches %sX too, under this router's "
                       "middlewares; with the rewrite the Gateway matches whole "
                       "segments, so %sX answers 500 instead of going to a "
                       "router without them (a longer prefix of the host too)",
                       a->m[0].path.value, a->m[0].path.value, a->m[0].path.value);
    }
    return any;
}

static struct o_rule *twin_rule(struct imp *im, const struct tr_router *r,
                                const char *host)
{
    struct o_match m[2 * 16];
    size_t i, n = 0;

    for (i = 0; i < r->alts.n && n < 2 * 16; i++) {
        const struct tr_alt *a = r->alts.v[i];
        if (a->twin && str_eq(a->n_hosts ? a->hosts[0] : "", host))
            m[n++] = a->m[1];
    }
    return n ? imp_routes_rule_new(im, r->src.root, m, n, NULL, 0) : NULL;
}

static void router_write(struct imp *im, const struct tr_router *r)
{
    struct o_gateway *gw = imp_gateway_for(im, "traefik");
    bool twins = guarded_twins(im, r);
    struct o_rule *t;
    size_t i;

    for (i = 0; i < r->hosts.n; i++) {
        const struct tr_host *h = r->hosts.v[i];
        if (h->http)
            emit(im, r, h->host, h->http, h->https ? "-http" : "", gw,
                 rule_for(im, r, h->host, r->https_redirect != 0), true);
        if (h->https)
            emit(im, r, h->host, h->https, h->http ? "-https" : "", gw,
                 rule_for(im, r, h->host, false), true);
        if (twins && h->http && (t = twin_rule(im, r, h->host)))
            emit(im, r, h->host, h->http, h->https ? "-http-tail" : "-tail", gw, t,
                 false);
        if (twins && h->https && (t = twin_rule(im, r, h->host)))
            emit(im, r, h->host, h->https, h->http ? "-https-tail" : "-tail", gw, t,
                 false);
    }
}

void tr_routers_write(struct imp *im)
{
    struct ptrvec *rs = &TR(im)->routers;
    size_t i;

    imp_client_certs_resolve(im);
    for (i = 0; i < rs->n; i++) {
        struct tr_router *r = rs->v[i];
        if (r->tls.cc && !r->denied && r->tls.cc->cc.refused)
            client_certs_refused(im, r, r->tls.cc->cc.refused);
        else if (r->tls.cc && !r->denied) /* its clientAuth is the Gateway's */
            imp_origin_add(im, &imp_gateway_for(im, "traefik")->origins,
                           r->tls.cc->options->root);
        router_write(im, r);
    }
    tr_policies_write(im);
}
