/*
 * Ingress paths grouped per host, the way ingress-nginx builds one server
 * block per host from every Ingress that names it (controller.go
 * createServers, getBackendServers):
 *  - Ingresses are taken in ingress-nginx's order (oldest first, then
 *    "ns/name" descending); a path that an earlier Ingress already has on
 *    the host is ignored ("location already configured");
 *  - a canary Ingress adds no location: its backend joins the main
 *    Ingress's location of the same host and path (mergeAlternativeBackends),
 *    at most one canary each.  nginx attaches it to that location's
 *    upstream (namespace, Service, port), and balancer.lua applies the
 *    upstream's first canary to every location using the upstream;
 *  - session affinity is per upstream too (createUpstreams): every location
 *    of an upstream gets the cookie settings of the last Ingress that sets
 *    them on it;
 *  - spec.defaultBackend serves "/" on the hosts whose server its Ingress
 *    creates (the first Ingress naming the host); the first Ingress with a
 *    default backend and no rules gives the catch-all server its "/";
 *  - server-alias adds names to a server; from-to-www-redirect adds a
 *    server for the other name that redirects to it.
 * Groups are per class and host, whatever the namespaces of the Ingresses:
 * ingress-nginx's servers are global.  A group lives in the namespace of
 * the Ingress that created it; paths of Ingresses in other namespaces join
 * it, their Services referenced through ReferenceGrants (routes.c).
 */
#include "nx.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <stdlib.h>
#include <string.h>

/* Paths of an Ingress of another namespace join the group's route. */
static void note_foreign(struct imp *im, const struct ing *ing,
                         const struct host_group *g, const struct ynode *at)
{
    if (str_eq(ing->namespace, g->namespace))
        return;
    nx_report_node(im, ing, at, DIAG_IMPORT_DETAIL,
                   "ingress-nginx serves every Ingress of host '%s' in one "
                   "server: these paths join the routes of namespace '%s' (where "
                   "Ingress %s/%s created the server), which refer to Services "
                   "here through a ReferenceGrant",
                   *g->host ? g->host : "*", g->namespace, g->creator->namespace,
                   g->creator->src->obj.meta.name);
}

static bool parse_path_type(const char *s, enum path_type *out)
{
    if (str_eq(s, "Exact"))
        *out = PT_EXACT;
    else if (str_eq(s, "Prefix"))
        *out = PT_PREFIX;
    else if (str_eq(s, "ImplementationSpecific"))
        *out = PT_IMPLEMENTATION_SPECIFIC;
    else
        return false;
    return true;
}

/* ingress-nginx's strict-validate-path-type (default since v1.12): Exact
 * and Prefix paths are (?i)^/[[:alnum:]._\-/]*$; the admission webhook
 * refuses anything else, such as a regex written with pathType Prefix. */
static bool strict_path(const char *p)
{
    return p[0] == '/' && imp_value_in_alphabet(p, "._-/");
}

/* A path of an Ingress, checked as the API server and ingress-nginx's
 * admission check it; NULL (reported) when refused. */
static const char *path_value(struct imp *im, const struct ing *ing,
                              const struct ingress_path *p, enum path_type *type)
{
    const char *v = p->path && *p->path ? p->path : "/";
    const struct ynode *at = ynode_get(p->src, "path");
    const char *bad;

    if (!p->path_type)
        return NULL; /* the decoder reported the missing pathType */
    if (!parse_path_type(p->path_type, type)) {
        nx_report_node(im, ing, ynode_get(p->src, "pathType"),
                       DIAG_IMPORT_BAD_VALUE,
                       "pathType must be Exact, Prefix or ImplementationSpecific");
        return NULL;
    }
    if ((bad = imp_value_unsafe_text(v)) != NULL) {
        nx_report_node(im, ing, at, DIAG_IMPORT_BAD_VALUE,
                       "the path has %s; the path is left out", bad);
        return NULL;
    }
    if (v[0] != '/' || strlen(v) > 1024) {
        nx_report_node(im, ing, at, DIAG_IMPORT_BAD_VALUE,
                       "a path must start with '/' and have at most 1024 "
                       "characters; the path is left out");
        return NULL;
    }
    if (*type != PT_IMPLEMENTATION_SPECIFIC && !strict_path(v))
        nx_report_node_sev(im, ing, at, DIAG_WARNING, DIAG_IMPORT_BAD_VALUE,
                           "ingress-nginx 1.12 and later refuse %s paths with "
                           "characters other than letters, digits and '._-/' "
                           "(strict-validate-path-type); converted as earlier "
                           "versions served it, but use ImplementationSpecific for "
                           "a regular expression",
                           p->path_type);
    return v;
}

static void add_location(struct imp *im, struct ing *ing, struct host_group *g,
                         const struct ingress_path *p)
{
    enum path_type type;
    const char *v;
    struct location *l, *old;

    if (p->path && p->path[0] == '/' && strlen(p->path) > IMP_RE_MAX &&
        nx_pol_find(ing, "AccessPolicy")) {
        /* gwc's limit, not ingress-nginx's: the host fails closed */
        if (!g->unwritable) {
            g->unwritable = ing;
            g->unwritable_at = ynode_get(p->src, "path");
        }
        return;
    }
    v = path_value(im, ing, p, &type);
    if (!v)
        return;
    if (g->catch_all && type == PT_PREFIX && strcmp(v, "/") == 0) {
        nx_report_node(im, ing, p->src, DIAG_IMPORT_CONFLICT,
                       "the catch-all server's '/' is the default backend of "
                       "Ingress %s/%s; ignored, as in ingress-nginx (location "
                       "already configured)",
                       g->catch_all->ing->namespace,
                       g->catch_all->ing->src->obj.meta.name);
        return;
    }
    old = nx_host_location(g, v, type);
    if (old) {
        nx_report_node(im, ing, p->src, DIAG_IMPORT_CONFLICT,
                       "host '%s' already has %s path '%s' from Ingress %s/%s; "
                       "ignored, as ingress-nginx keeps the first Ingress in "
                       "its order (oldest, then ns/name descending)",
                       *g->host ? g->host : "*", p->path_type,
                       imp_report_value(im, v), old->ing->namespace,
                       old->ing->src->obj.meta.name);
        return;
    }
    l = ARENA_NEW(im->a, struct location);
    l->ing = ing;
    l->path = p;
    l->value = v;
    l->shown = imp_report_value(im, v);
    l->type = type;
    nx_backend_resolve(im, ing, &p->backend, &l->backend);
    nx_host_location_push(im, g, l);
}

/* A default backend: "/" of the host, below every path. */
static struct location *new_default(struct imp *im, struct ing *ing)
{
    struct location *l = ARENA_NEW(im->a, struct location);

    l->ing = ing;
    l->value = l->shown = "/";
    l->type = PT_PREFIX;
    nx_backend_resolve(im, ing, &ing->src->default_backend, &l->backend);
    return l;
}

static void add_default(struct imp *im, struct ing *ing, struct host_group *g)
{
    size_t i;

    for (i = 0; i < g->locations.n; i++) {
        const struct location *l = g->locations.v[i];
        if (!l->path || (l->type != PT_EXACT && strcmp(l->value, "/") == 0))
            return; /* "/" is served already */
    }
    nx_host_location_push(im, g, new_default(im, ing));
}

static const char *rule_host(struct imp *im, const struct ing *ing,
                             const struct ingress_rule *r)
{
    if (!r->host || !*r->host)
        return "";
    if (!imp_value_hostname(r->host, true)) {
        nx_report_node(im, ing, ynode_get(r->src, "host"), DIAG_IMPORT_BAD_VALUE,
                       "host must be a lower-case DNS name, optionally with a "
                       "leading '*.', and not an IP address; the rule is left out");
        return NULL;
    }
    return r->host;
}

/* ssl-passthrough hands the host's TLS connections to the backend of its
 * "/" path; ingress-nginx ignores the other paths ("Ignoring SSL
 * Passthrough for location"). */
static void add_passthrough(struct imp *im, struct ing *ing, struct host_group *g,
                            const struct ingress_rule *r)
{
    size_t i;

    for (i = 0; i < r->http.n_paths; i++) {
        const struct ingress_path *p = &r->http.paths[i];
        const char *v = p->path && *p->path ? p->path : "/";

        if (strcmp(v, "/") != 0)
            nx_report_node(im, ing, p->src, DIAG_IMPORT_IGNORED,
                           "ssl-passthrough forwards TLS to the backend of '/' "
                           "only; ingress-nginx ignores this path");
        else if (g->passthrough)
            nx_report_node(im, ing, p->src, DIAG_IMPORT_CONFLICT,
                           "Ingress %s/%s already passes TLS through for host "
                           "'%s'; ignored",
                           g->passthrough->namespace,
                           g->passthrough->src->obj.meta.name, g->host);
        else if (nx_backend_resolve(im, ing, &p->backend, &g->passthrough_backend))
            g->passthrough = ing;
    }
}

typedef void rule_fn(struct imp *im, struct ing *ing, const struct ingress_rule *r,
                     const char *host);

/* RULE for each rule of the Ingress whose host ingress-nginx takes. */
static void each_rule(struct imp *im, struct ing *ing, rule_fn *rule)
{
    const struct ingress *in = ing->src;
    size_t i;

    for (i = 0; i < in->n_rules; i++) {
        const char *host = rule_host(im, ing, &in->rules[i]);

        if (host)
            rule(im, ing, &in->rules[i], host);
    }
}

static void add_rule(struct imp *im, struct ing *ing, const struct ingress_rule *r,
                     const char *host)
{
    struct host_group *g = nx_host_group_get(im, ing, host);
    size_t j;

    note_foreign(im, ing, g, r->src);
    if (ing->cfg.ssl_passthrough == TRI_TRUE) {
        add_passthrough(im, ing, g, r);
        return;
    }
    if (ing->feat.protocol == BP_OTHER)
        return; /* FCGI: reported by nx_backends_protocol() */
    for (j = 0; j < r->http.n_paths; j++)
        add_location(im, ing, g, &r->http.paths[j]);
}

/* The catch-all server's "/" (createServers): the first Ingress with a
 * default backend and no rules takes it, before any path is added, so a
 * Prefix "/" rule without host no longer does ("location already
 * configured"). */
static void add_catch_all(struct imp *im, struct ing *ing)
{
    const struct ingress *in = ing->src;
    struct host_group *g;

    if (!in->default_backend.src || ing->cfg.ssl_passthrough == TRI_TRUE ||
        in->n_rules)
        return;
    g = nx_host_group_get(im, ing, "");
    note_foreign(im, ing, g, in->default_backend.src);
    if (g->catch_all) {
        nx_report_node(im, ing, in->default_backend.src, DIAG_IMPORT_CONFLICT,
                       "Ingress %s/%s already gives the catch-all server its "
                       "backend; ignored, as in ingress-nginx",
                       g->catch_all->ing->namespace,
                       g->catch_all->ing->src->obj.meta.name);
        return;
    }
    g->catch_all = new_default(im, ing); /* pushed after the paths */
}

/* Has an earlier rule of the Ingress the same host? */
static bool host_seen(const struct ingress *in, size_t r)
{
    const char *host = in->rules[r].host ? in->rules[r].host : "";
    size_t i;

    for (i = 0; i < r; i++) {
        if (str_eq(in->rules[i].host ? in->rules[i].host : "", host))
            return true;
    }
    return false;
}

/* The default backend of an Ingress with rules serves "/" of the servers
 * it creates (createServers: the root location of a new server gets the
 * creating Ingress's default backend, or the controller's).  Servers an
 * older Ingress created, and the catch-all server, do not take it. */
static void add_defaults(struct imp *im, struct ing *ing)
{
    const struct ingress *in = ing->src;
    size_t i;

    if (!in->default_backend.src || ing->cfg.ssl_passthrough == TRI_TRUE ||
        !in->n_rules)
        return;
    for (i = 0; i < in->n_rules; i++) {
        const char *host = in->rules[i].host ? in->rules[i].host : "";
        struct host_group *g = nx_host_group_find(im, ing->klass, host);

        if (!g || host_seen(in, i))
            continue;
        if (!*host)
            nx_report_node(im, ing, in->default_backend.src, DIAG_IMPORT_IGNORED,
                           "not used for the rules without host: ingress-nginx's "
                           "catch-all server takes its default backend only from "
                           "an Ingress without rules");
        else if (g->creator != ing)
            nx_report_node(im, ing, in->default_backend.src, DIAG_IMPORT_IGNORED,
                           "not used for host '%s': Ingress %s/%s, first in "
                           "ingress-nginx's order, created its server, and its "
                           "default backend (or the controller's) answers what "
                           "no path matches",
                           host, g->creator->namespace,
                           g->creator->src->obj.meta.name);
        else
            add_default(im, ing, g);
    }
}

/* The upstream of ingress-nginx a backend is: "<ns>-<service>-<port>". */
static const char *upstream_key(struct imp *im, const struct backend *b)
{
    if (!b->service)
        return NULL;
    return arena_printf(im->a, "%s/%s/%lld", b->namespace, b->service,
                        (long long)b->port);
}

/* A canary's paths join the main locations with the same host and path. */
static void add_canary_rule(struct imp *im, struct ing *ing, const struct ingress_rule *r,
                            const char *host)
{
    struct host_group *g = nx_host_group_find(im, ing->klass, host);
    size_t j;

    if (g && r->http.n_paths)
        note_foreign(im, ing, g, r->src);
    for (j = 0; j < r->http.n_paths; j++) {
        const struct ingress_path *p = &r->http.paths[j];
        enum path_type type;
        const char *v = path_value(im, ing, p, &type);
        struct location *l = v && g ? nx_host_location(g, v, type) : NULL;

        if (!v)
            continue;
        if (!l) {
            nx_report_node_sev(
                im, ing, p->src, DIAG_WARNING, DIAG_IMPORT_IGNORED,
                "no main Ingress has %s path '%s' on host '%s': "
                "ingress-nginx ignores this canary path",
                p->path_type, imp_report_value(im, v), *host ? host : "*");
        } else if (l->canary) {
            nx_report_node(im, ing, p->src, DIAG_IMPORT_CONFLICT,
                           "the path already has canary Ingress %s/%s; "
                           "ingress-nginx takes one canary per path",
                           l->canary->namespace, l->canary->src->obj.meta.name);
        } else if (nx_backend_resolve(im, ing, &p->backend, &l->canary_backend)) {
            const char *key = upstream_key(im, &l->backend);
            l->canary = ing;
            if (key && !imp_index_get(&NX(im)->canary_index, key))
                imp_index_put(im->a, &NX(im)->canary_index, key, l);
        }
    }
}

static void add_canary(struct imp *im, struct ing *ing)
{
    const struct ingress *in = ing->src;

    if (in->default_backend.src)
        nx_report_node(im, ing, in->default_backend.src, DIAG_IMPORT_IGNORED,
                       "a canary's default backend is ignored");
    each_rule(im, ing, add_canary_rule);
}

static int cmp_location_order(const void *pa, const void *pb)
{
    const struct location *a = *(const struct location *const *)pa;
    const struct location *b = *(const struct location *const *)pb;

    if (a->ing->order != b->ing->order)
        return a->ing->order < b->ing->order ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static const struct ynode *location_node(const struct location *l)
{
    return l->path ? l->path->src : l->backend.src;
}

/* The upstream's canary on another location of it (balancer.lua takes the
 * upstream's first alternative backend, whichever path merged it). */
static void share_canary(struct imp *im, struct location *l, const char *key)
{
    const struct location *s = imp_index_get(&NX(im)->canary_index, key);

    if (!s || s == l || l->canary == s->canary)
        return;
    if (l->canary)
        nx_report_node(im, l->canary, l->canary_backend.src, DIAG_IMPORT_CONFLICT,
                       "Service '%s' port %lld already has canary Ingress %s/%s "
                       "(merged first): ingress-nginx uses that one for every "
                       "path of the Service, including '%s'",
                       l->backend.service, (long long)l->backend.port,
                       s->canary->namespace, s->canary->src->obj.meta.name,
                       l->shown);
    l->canary = s->canary;
    l->canary_backend = s->canary_backend;
    nx_report_node(im, l->ing, location_node(l), DIAG_IMPORT_DETAIL,
                   "ingress-nginx attaches canary Ingress %s/%s to the upstream "
                   "of Service '%s' port %lld (balancer.lua), so this path "
                   "splits traffic to the canary too",
                   s->canary->namespace, s->canary->src->obj.meta.name,
                   l->backend.service, (long long)l->backend.port);
}

/* Canaries and session affinity are per upstream in ingress-nginx, not per
 * location: give every location of an upstream the upstream's. */
static void share_upstreams(struct imp *im)
{
    struct ptrvec all = {0};
    struct index sessions = {0};
    size_t i, k;

    for (i = 0; i < NX(im)->groups.n; i++) {
        const struct host_group *g = NX(im)->groups.v[i];
        for (k = 0; k < g->locations.n; k++)
            ptrvec_push(im->a, &all, g->locations.v[k]);
    }
    ptrvec_sort(&all, cmp_location_order);
    /* createUpstreams: the last Ingress setting the cookie decides. */
    for (i = 0; i < all.n; i++) {
        const struct location *l = all.v[i];
        const char *key = upstream_key(im, &l->backend);
        if (key && l->ing->feat.session)
            imp_index_put(im->a, &sessions, key, l->ing);
    }
    for (i = 0; i < all.n; i++) {
        struct location *l = all.v[i];
        const char *key = upstream_key(im, &l->backend);
        const struct ing *s;

        if (!key)
            continue;
        share_canary(im, l, key);
        s = imp_index_get(&sessions, key);
        if (s && s->feat.session != l->session) {
            l->session = s->feat.session;
            nx_report_node(im, l->ing, location_node(l), DIAG_IMPORT_DETAIL,
                           "ingress-nginx keeps session affinity per upstream: "
                           "the affinity of Ingress %s/%s for Service '%s' port "
                           "%lld applies to this path too",
                           s->namespace, s->src->obj.meta.name, l->backend.service,
                           (long long)l->backend.port);
        }
    }
}

/* app-root is a server-level "if ($uri = /) return 302" in ingress-nginx:
 * the oldest Ingress of the host that sets it decides. */
static void add_app_root(struct imp *im, struct host_group *g)
{
    size_t i, k = 0;

    for (i = 0; i < g->locations.n; i++) {
        struct location *l = g->locations.v[i];
        if (!l->ing->feat.app_root)
            continue;
        if (!g->app_root)
            g->app_root = l;
        else if (g->app_root->ing != l->ing &&
                 !str_eq(g->app_root->ing->feat.app_root, l->ing->feat.app_root))
            nx_report_annotation(im, l->ing, "app-root", DIAG_IMPORT_CONFLICT,
                                 "host '%s' already has app-root '%s' from Ingress "
                                 "%s/%s; ignored",
                                 g->host, g->app_root->ing->feat.app_root,
                                 g->app_root->ing->namespace,
                                 g->app_root->ing->src->obj.meta.name);
    }
    if (!g->app_root || g->regex)
        return;
    /* The server's "if ($uri = /)" runs before any location: an Exact "/"
     * location never sees a request. */
    for (i = 0; i < g->locations.n; i++) {
        struct location *l = g->locations.v[i];
        if (l->path && l->type == PT_EXACT && strcmp(l->value, "/") == 0)
            nx_report_node(im, l->ing, l->path->src, DIAG_IMPORT_IGNORED,
                           "app-root of Ingress %s/%s answers '/' first: "
                           "ingress-nginx never reaches this path",
                           g->app_root->ing->namespace,
                           g->app_root->ing->src->obj.meta.name);
        else
            g->locations.v[k++] = l;
    }
    g->locations.n = k;
}

static int cmp_groups(const void *pa, const void *pb)
{
    const struct host_group *a = *(const struct host_group *const *)pa;
    const struct host_group *b = *(const struct host_group *const *)pb;
    int c = strcmp(a->namespace, b->namespace);

    if (c)
        return c;
    if ((c = strcmp(a->klass, b->klass)) != 0)
        return c;
    return strcmp(a->host, b->host);
}

/* FN for each Ingress in ingress-nginx's order, the canaries or the others. */
static void each_ing(struct imp *im, bool canaries, void (*fn)(struct imp *, struct ing *))
{
    size_t i;

    for (i = 0; i < NX(im)->ings.n; i++) {
        struct ing *ing = NX(im)->ings.v[i];
        if ((ing->cfg.canary == TRI_TRUE) == canaries)
            fn(im, ing);
    }
}

static void add_ingress(struct imp *im, struct ing *ing)
{
    each_rule(im, ing, add_rule);
}

void nx_hosts_build(struct imp *im)
{
    size_t i;

    each_ing(im, false, add_catch_all);
    each_ing(im, false, add_ingress);
    for (i = 0; i < NX(im)->groups.n; i++) {
        struct host_group *g = NX(im)->groups.v[i];
        if (g->catch_all)
            nx_host_location_push(im, g, g->catch_all);
    }
    each_ing(im, false, add_defaults);
    each_ing(im, true, add_canary);
    share_upstreams(im);
    nx_aliases_build(im);
    for (i = 0; i < NX(im)->groups.n; i++) {
        struct host_group *g = NX(im)->groups.v[i];
        g->regex_cause = nx_paths_regex_cause(g);
        g->regex = g->regex_cause != NULL;
        nx_paths_index(im, g);
        add_app_root(im, g);
    }
    ptrvec_sort(&NX(im)->groups, cmp_groups);
}
