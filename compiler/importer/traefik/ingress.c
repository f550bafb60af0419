/*
 * Traefik's Ingresses (doc.traefik.io/traefik/reference/install-
 * configuration/providers/kubernetes/kubernetes-ingress/, and the
 * routing-configuration page of its annotations):
 *   - class: the kubernetes.io/ingress.class annotation, else
 *     spec.ingressClassName naming an IngressClass of traefik.io/
 *     ingress-controller; Ingresses with neither are served too;
 *   - each path is a router: Host(`h`) && PathPrefix(`p`) (Exact: Path),
 *     a string prefix, priority the length of that rule;
 *   - router.entrypoints, router.tls ("true": websecure, with the
 *     certificate spec.tls names for the host; any router.tls.* key
 *     makes the router TLS too, as Traefik decodes the annotations into
 *     one Router.TLS struct that any of its keys creates; a value that is
 *     not a Go bool makes Traefik skip the Ingress), router.middlewares
 *     ("<ns>-<name>@kubernetescrd", in order), router.priority,
 *     router.pathmatcher (ImplementationSpecific paths); every other
 *     traefik.ingress.kubernetes.io/ annotation, on an Ingress or a
 *     Service (service.*), is reported.
 */
#include "tr.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

#define PREFIX "traefik.ingress.kubernetes.io/"

struct ing_ctx {
    const struct ingress *in;
    struct imp_src src;
    const char *ns;
    const struct ynode *entrypoints, *middlewares, *priority, *pathmatcher;
    bool tls;
    bool tls_key; /* some router.tls.* annotation: TLS whatever router.tls says */
    bool bad; /* annotations Traefik cannot decode: it skips the Ingress */
    bool middlewares_said; /* some not converted: reported once */
    size_t n_tls; /* the tls entries whose Secrets Traefik loads */
    const struct ynode *tls_options; /* router.tls.options */
    const char *tls_options_ref;
    struct tr_tls_opts tls_opts;
};

static bool class_selected(const struct imp *im, const struct ingress *in)
{
    const char *ann =
        model_strmap_get(&in->obj.meta.annotations, "kubernetes.io/ingress.class");
    const char *klass = ann ? ann : in->ingress_class_name;
    const struct object *ic;
    size_t i;

    if (im->o->n_ingress_classes) {
        for (i = 0; i < im->o->n_ingress_classes; i++) {
            if (str_eq(im->o->ingress_classes[i], klass))
                return true;
        }
        return false;
    }
    if (!klass || str_eq(klass, "traefik"))
        return true;
    if (ann)
        return false;
    ic = model_find(im->m, KIND_INGRESS_CLASS, NULL, klass);
    return ic && str_eq(((const struct ingress_class *)ic)->controller, TR_CONTROLLER);
}

static void annotations(struct imp *im, struct ing_ctx *x)
{
    const struct strmap *m = &x->in->obj.meta.annotations;
    size_t i;

    for (i = 0; i < m->n; i++) {
        const char *k = m->v[i].key;
        bool b;

        if (strncmp(k, PREFIX, strlen(PREFIX)) != 0)
            continue;
        k += strlen(PREFIX);
        if (str_eq(k, "router.entrypoints"))
            x->entrypoints = m->v[i].src;
        else if (str_eq(k, "router.middlewares"))
            x->middlewares = m->v[i].src;
        else if (str_eq(k, "router.priority"))
            x->priority = m->v[i].src;
        else if (str_eq(k, "router.pathmatcher") &&
                 (str_eq(m->v[i].value, "Path") || str_eq(m->v[i].value, "PathPrefix") ||
                  str_eq(m->v[i].value, "PathRegexp")))
            x->pathmatcher = m->v[i].src;
        else if (str_eq(k, "router.tls.options")) {
            x->tls_options = m->v[i].src;
            x->tls_options_ref = m->v[i].value;
            x->tls_key = true;
        } else if (str_eq(k, "router.tls") &&
                   imp_value_parse_go_bool(m->v[i].value, &b))
            x->tls = b;
        else if (str_eq(k, "router.tls")) {
            x->bad = true;
            imp_report_src(im, &x->src, m->v[i].src, DIAG_IMPORT_BAD_VALUE,
                           "not converted: router.tls is not a boolean, so Traefik "
                           "cannot read this Ingress's annotations and serves none "
                           "of its paths; the import leaves it out");
        } else {
            /* certresolver, domains: not converted, but TLS all the same */
            if (strncmp(k, "router.tls.", strlen("router.tls.")) == 0)
                x->tls_key = true;
            imp_report_src(im, &x->src, m->v[i].src, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: gwc does not convert this Traefik "
                           "annotation");
        }
    }
    x->tls |= x->tls_key;
}

static void entry_points(struct imp *im, struct ing_ctx *x, struct tr_router *r)
{
    size_t i, n;
    const char **eps;

    if (!x->entrypoints) {
        r->web = r->websecure = true;
        return;
    }
    eps = imp_value_split_list(im->a, x->entrypoints->text, &n);
    for (i = 0; i < n; i++)
        tr_http_entry_point(im, r, &x->src, x->entrypoints, eps[i]);
}

/* "<ns>-<name>@kubernetescrd": the dash is ambiguous, so the loaded
 * Middlewares decide. */
static void middlewares(struct imp *im, struct ing_ctx *x, struct tr_router *r)
{
    size_t i, k, n;
    const char **refs;

    if (!x->middlewares)
        return;
    refs = imp_value_split_list(im->a, x->middlewares->text, &n);
    for (i = 0; i < n; i++) {
        const char *at = strchr(refs[i], '@');
        const char *ns = NULL, *name = NULL;
        size_t found = 0;
        if (at && str_eq(at, "@kubernetescrd")) {
            size_t len = (size_t)(at - refs[i]);
            for (k = 0; k < TR(im)->crds.n; k++) {
                const struct crd *o = TR(im)->crds.v[k];
                size_t nl = strlen(o->namespace);
                if (str_eq(o->kind, "Middleware") && len == nl + 1 + strlen(o->name) &&
                    strncmp(refs[i], o->namespace, nl) == 0 && refs[i][nl] == '-' &&
                    strncmp(refs[i] + nl + 1, o->name, strlen(o->name)) == 0) {
                    ns = o->namespace;
                    name = o->name;
                    found++;
                }
            }
        }
        if (found > 1) {
            /* "a-b-c": Middleware b-c of a, or c of a-b.  Traefik keeps
             * one of the two under that name, which is not known here. */
            r->denied = true;
            imp_report_src(im, &x->src, x->middlewares, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: '%s' names %zu Middlewares of the "
                           "input (the namespace may end at any of its dashes) "
                           "and which one Traefik applies is not known; the "
                           "paths answer 500 rather than guess",
                           imp_report_value(im, refs[i]), found);
            continue;
        }
        if (!name) {
            r->denied = true;
            imp_report_src(im, &x->src, x->middlewares, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: middleware '%s' is not a Middleware of "
                           "the input (<namespace>-<name>@kubernetescrd); Traefik "
                           "drops the router without it, the Gateway answers 500",
                           imp_report_value(im, refs[i]));
            continue;
        }
        /* As for an IngressRoute: a middleware the import cannot carry
         * over may be what keeps the path closed (a plugin, say). */
        if (!tr_middleware_apply(im, r, x->middlewares, ns, name) && !r->denied) {
            r->denied = true;
            if (!x->middlewares_said)
                imp_report_src(im, &x->src, x->middlewares,
                               DIAG_IMPORT_NOT_CONVERTED,
                               "part of this Ingress's middlewares is not "
                               "converted (reported at the Middleware); its "
                               "paths answer 500 rather than serve requests "
                               "without it");
            x->middlewares_said = true;
        }
    }
}

static const char *secret_for(const struct ing_ctx *x, const char *host)
{
    const struct ingress *in = x->in;
    size_t i, k;

    for (i = 0; i < x->n_tls; i++) {
        for (k = 0; k < in->tls[i].n_hosts; k++) {
            if (str_eq(in->tls[i].hosts[k], host))
                return in->tls[i].secret_name;
        }
    }
    return x->n_tls == 1 && in->n_tls == 1 ? in->tls[0].secret_name : NULL;
}

/* Traefik reads each tls entry's Secret by name in the Ingress's namespace
 * (getCertificates) and stops at the first it cannot read: a name such as
 * "namespace/name" is none it can hold, so neither that certificate nor
 * any later one of the Ingress is loaded. */
static void tls_entries(struct imp *im, struct ing_ctx *x)
{
    const struct ingress *in = x->in;

    for (x->n_tls = 0; x->n_tls < in->n_tls; x->n_tls++) {
        const struct ingress_tls *t = &in->tls[x->n_tls];
        if (t->secret_name && *t->secret_name &&
            !imp_value_dns_subdomain(t->secret_name)) {
            imp_report_src(im, &x->src, ynode_get(t->src, "secretName"),
                           DIAG_IMPORT_TLS,
                           "not converted: Traefik looks the Secret up by name "
                           "in the Ingress's namespace, and this is no Secret "
                           "name (another namespace's Secret cannot be named); "
                           "Traefik loads neither it nor the later tls entries "
                           "of this Ingress, and serves their hosts with its "
                           "default certificate");
            return;
        }
    }
}

/* A path gwc cannot write (why): left out, its requests would go to the
 * host's other routers; so a router with access control takes the whole
 * host instead and answers 500 there (and the routers without its control
 * that the Gateway would give those requests answer 500 too: the
 * precedence passes).  false: the router is left out (reported). */
/* code: the report when nothing guarded is left out; value the path
 * (regex: a PathRegexp, searched unless it starts with '^'). */
static bool left_out(struct imp *im, struct ing_ctx *x, struct tr_router *r,
                     const struct ingress_path *p, struct tr_alt *alt,
                     const char *value, bool regex, enum diag_code code,
                     const char *why)
{
    const char *lit;

    if (!r->denied && !tr_policies_guard(r)) {
        imp_report_src(im, &x->src, p->src, code, "not converted: %s", why);
        return false;
    }
    /* Every path the router may match starts with the literal start of
     * its path (a string prefix, exact path or anchored regex): those
     * paths answer 500, the host's others are still served. */
    lit = imp_re_literal_start(im->a, value, !regex, IMP_RE_MAX / 2 - 4);
    if (!imp_value_gateway_path(lit))
        lit = "/";
    imp_report_src(im, &x->src, p->src, DIAG_IMPORT_FAIL_CLOSED,
                   "access control not converted exactly: %s; left out, its "
                   "requests would reach the host's other paths without this "
                   "router's middlewares, so it takes every path %s and "
                   "answers 500",
                   why,
                   str_eq(lit, "/") ? "of the host"
                                    : arena_printf(im->a, "starting with '%s'",
                                                   imp_report_value(im, lit)));
    r->denied = true;
    memset(alt->m, 0, sizeof(alt->m));
    alt->n_m = 1;
    if (!str_eq(lit, "/")) {
        alt->m[0].path.type = "RegularExpression";
        alt->m[0].path.value = arena_printf(im->a, "%s.*", imp_re_quote(im->a, lit));
    }
    return true;
}

static void path(struct imp *im, struct ing_ctx *x, const struct ingress_rule *rule,
                 const struct ingress_path *p, size_t index)
{
    struct tr_router *r = ARENA_NEW(im->a, struct tr_router);
    struct tr_alt *alt = ARENA_NEW(im->a, struct tr_alt);
    const char *host = rule->host ? rule->host : "";
    const char *value = p->path && *p->path ? p->path : "/";
    const char *matcher = str_eq(p->path_type, "Exact") ? "Path" : "PathPrefix";

    r->src = x->src;
    r->at = p->src;
    r->namespace = x->ns;
    r->name = index ? arena_printf(im->a, "%s-%zu", x->in->obj.meta.name, index + 1)
                    : x->in->obj.meta.name;
    entry_points(im, x, r);
    if (x->tls) {
        tr_tls_only(im, r, x->entrypoints);
        r->secret = secret_for(x, host);
        r->default_cert = r->websecure && !r->secret;
        if (!r->secret)
            imp_report_src(im, &x->src, p->src, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: router.tls without a spec.tls Secret "
                           "uses Traefik's default certificate, which the import "
                           "cannot name");
    }
    if (x->pathmatcher && !str_eq(p->path_type, "Exact") &&
        !str_eq(p->path_type, "Prefix"))
        matcher = x->pathmatcher->text;
    if (*host == '*')
        imp_report_src(im, &x->src, rule->src, DIAG_IMPORT_APPROXIMATED,
                       "Traefik v3 matches one label for '%s'; Gateway API matches "
                       "one or more",
                       imp_report_value(im, host));
    /* The rule Traefik builds, for its default priority. */
    r->priority = (int64_t)strlen(arena_printf(im->a, "Host(`%s`) && %s(`%s`)",
                                               host, matcher, value));
    if (!*host)
        r->priority -= (int64_t)strlen("Host(``) && ");
    if (x->priority && !tr_int(x->priority, 0, INT32_MAX, &r->priority))
        imp_report_src(im, &x->src, x->priority, DIAG_IMPORT_BAD_VALUE,
                       "router.priority is a non-negative integer");
    middlewares(im, x, r);
    r->tls = x->tls_opts;
    r->denied |= x->tls_opts.denied;
    if (*host) {
        alt->hosts = ARENA_NEW_ARRAY(im->a, const char *, 1);
        alt->hosts[alt->n_hosts++] = host;
        alt->tls_host = true;
    }
    alt->n_m = 1;
    alt->m[0].path.value = value;
    if (str_eq(matcher, "Path")) {
        alt->m[0].path.type = "Exact";
    } else if (str_eq(matcher, "PathRegexp")) {
        char err[128];
        bool odd = imp_re_unmatchable(value, true, err, sizeof(err));
        if (odd || !imp_re_ok(value, err, sizeof(err))) {
            if (!left_out(im, x, r, p, alt, value, true,
                          odd ? DIAG_IMPORT_REGEX_UNMATCHABLE : DIAG_IMPORT_NOT_CONVERTED,
                          arena_printf(im->a, "the PathRegexp '%s' %s: %s",
                                       imp_report_value(im, value),
                                       odd ? "cannot be matched by nginx"
                                           : "does not compile",
                                       err)))
                return;
        } else {
            alt->m[0].path.type = "RegularExpression";
            alt->m[0].path.value = tr_regex_whole(im, value);
        }
    } else {
        alt->n_m = imp_match_string_prefix(im, alt->m, value);
    }
    if (alt->m[0].path.type && !str_eq(alt->m[0].path.type, "RegularExpression") &&
        !imp_value_gateway_path(value)) {
        /* Left out, its requests would reach a shorter path of the host
         * without this router's middlewares: the same literal as a
         * regular expression instead. */
        if (value[0] != '/' || strlen(value) > 1000 || imp_value_unsafe_text(value)) {
            if (!left_out(im, x, r, p, alt, value, false, DIAG_IMPORT_NOT_CONVERTED,
                          "not a path Gateway API accepts"))
                return;
        } else {
            imp_report_src(im, &x->src, p->src, DIAG_IMPORT_APPROXIMATED,
                           "not a path Gateway API accepts: written as the regular "
                           "expression of the same %s, whose rank among the host's "
                           "other matches Gateway API leaves to the implementation",
                           str_eq(alt->m[0].path.type, "Exact") ? "path"
                                                                 : "string prefix");
            alt->m[0].path.value =
                str_eq(alt->m[0].path.type, "Exact")
                    ? imp_re_quote(im->a, value)
                    : arena_printf(im->a, "%s.*", imp_re_quote(im->a, value));
            alt->m[0].path.type = "RegularExpression";
            alt->n_m = 1;
        }
    }
    ptrvec_push(im->a, &r->alts, alt);
    if (!p->backend.service.name) {
        imp_report_src(im, &x->src, p->src, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: Traefik serves Service backends only");
        r->denied = true;
    } else if (!imp_value_service_name(p->backend.service.name)) {
        imp_report_src(im, &x->src, p->backend.src, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: '%s' is no Service name (a DNS-1035 "
                       "label); the path answers 500",
                       imp_report_value(im, p->backend.service.name));
        r->denied = true;
    } else if (!tr_backend_add(im, r, p->backend.src, x->ns, p->backend.service.name,
                               p->backend.service.port.number,
                               p->backend.service.port.name, -1)) {
        r->denied = true;
    }
    ptrvec_push(im->a, &TR(im)->routers, r);
}

/* Traefik reads traefik.ingress.kubernetes.io/service.* on a Service for
 * every router that sends to it (scheme, sticky cookie, passHostHeader,
 * serversTransport, native load balancing); none is converted, and none
 * may be lost without a word. */
static void service_annotations(struct imp *im)
{
    const struct ptrvec *v = &im->m->objects[KIND_SERVICE];
    size_t i, k;

    for (i = 0; i < v->n; i++) {
        const struct object *o = v->v[i];
        const struct strmap *m = &o->meta.annotations;
        struct imp_src src = {NULL, o->src};

        for (k = 0; k < m->n; k++) {
            if (strncmp(m->v[k].key, PREFIX "service.", strlen(PREFIX "service.")) != 0)
                continue;
            if (!src.label)
                src.label = arena_printf(im->a, "Service %s/%s",
                                         imp_object_namespace(im, o), o->meta.name);
            imp_report_src(im, &src, m->v[k].src, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: Traefik's Service annotation %s, which "
                           "changes every route to this Service",
                           imp_report_value(im, m->v[k].key + strlen(PREFIX)));
        }
    }
}

void tr_ingresses(struct imp *im)
{
    const struct ptrvec *v = &im->m->objects[KIND_INGRESS];
    size_t i, k, n;

    for (i = 0; i < v->n; i++) {
        const struct ingress *in = v->v[i];
        struct ing_ctx x;

        if (in->obj.rejected)
            continue;
        memset(&x, 0, sizeof(x));
        x.in = in;
        x.ns = imp_object_namespace(im, &in->obj);
        x.src.label = arena_printf(im->a, "Ingress %s/%s", x.ns, in->obj.meta.name);
        x.src.root = in->obj.src;
        if (!class_selected(im, in)) {
            const struct ynode *ann = ynode_get(
                ynode_get(in->obj.meta.src, "annotations"), "kubernetes.io/ingress.class");
            imp_report_src(im, &x.src,
                           ann ? ann
                               : ynode_get(ynode_get(in->obj.src, "spec"),
                                           "ingressClassName"),
                           DIAG_IMPORT_SKIPPED, "another ingress class: not converted");
            continue;
        }
        imp_ingress_taken(im, in);
        annotations(im, &x);
        if (x.bad)
            continue;
        tls_entries(im, &x);
        if (x.tls)
            tr_tls_options(im, &x.src, x.tls_options, NULL, NULL, x.tls_options_ref,
                           &x.tls_opts);
        if (in->default_backend.src && in->n_rules)
            imp_report_src(
                im, &x.src, in->default_backend.src, DIAG_IMPORT_IGNORED,
                "Traefik uses defaultBackend only when an Ingress has no "
                "rules");
        else if (in->default_backend.src)
            imp_report_src(im, &x.src, in->default_backend.src,
                           DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: the catch-all default backend");
        for (n = 0, k = 0; k < in->n_rules; k++) {
            const struct ingress_rule *rule = &in->rules[k];
            if (!imp_ingress_host_ok(im, &x.src, ynode_get(rule->src, "host"),
                                     rule->host ? rule->host : "")) {
                n += rule->http.n_paths; /* the other routers keep their names */
                continue;
            }
            for (size_t j = 0; j < rule->http.n_paths; j++)
                path(im, &x, rule, &rule->http.paths[j], n++);
        }
    }
    service_annotations(im);
}
