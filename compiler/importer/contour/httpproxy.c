/*
 * HTTPProxy (projectcontour.io/v1; projectcontour.io/docs/main/config/
 * fundamentals/, inclusion-delegation/, tls-termination/, tls-delegation/):
 *   - a root has spec.virtualhost (fqdn, tls); only roots do.  Two roots
 *     with one fqdn are both invalid (Contour serves neither);
 *   - tls.secretName ("ns/name" with a TLSCertificateDelegation,
 *     delegation.c) is the HTTPS certificate; tls.passthrough with tcpproxy is TLS passthrough,
 *     tcpproxy behind tls.secretName TLS termination (a TLSRoute either way)
 *     (a TLSRoute); a TLS vhost answers port 80 with a 301 except on
 *     permitInsecure routes;
 *   - includes (name, namespace, conditions: prefix, header, query) put the
 *     included proxy's routes on the root's host, in the included
 *     namespace, with the include's conditions folded in (an include or
 *     route whose conditions Contour refuses: validity.c).  Including a
 *     root or closing a cycle is reported and serves nothing, as in
 *     Contour; on a missing proxy's conditions Contour answers 502, the
 *     Gateway 500;
 *   - proxies no root reaches are not served (reported);
 *   - access control (authorization, jwtProviders, ip*Policy) is not
 *     converted: every route of the host answers 500, and a tcpproxy's
 *     TLS listener is written without its route, so that its connections
 *     are closed (client validation: client_certs.c).
 */
#include "ct.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

#define MAX_INCLUDE_VISITS 10000
#define MAX_CHAIN_PREFIX 1024 /* a Gateway API path's length */

static void not_converted(struct imp *im, const struct imp_src *src,
                          const struct ynode *at, const char *why)
{
    ct_report(im, src, at, DIAG_IMPORT_NOT_CONVERTED, "not converted: %s", why);
}

struct walk {
    struct index reached; /* labels of the proxies some root includes */
    size_t visits;        /* per root */
};

static const struct crd *find_proxy(struct imp *im, const char *ns, const char *name)
{
    const struct ptrvec *crds = &CT(im)->crds;
    size_t lo = 0, hi = crds->n;

    /* crds are sorted by kind, namespace and name. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct crd *o = crds->v[mid];
        int c = strcmp(o->kind, "HTTPProxy");
        if (!c)
            c = strcmp(o->namespace, ns);
        if (!c)
            c = strcmp(o->name, name);
        if (!c)
            return o;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The include's conditions folded into the chain (false: reported). */
static bool fold(struct imp *im, const struct ct_proxy_ctx *x,
                 const struct ynode *conds, struct ct_chain *out)
{
    static const char *const known[] = {"prefix", "header", "queryParameter", NULL};
    const struct ynode *bad;
    const char *why;
    size_t i;

    *out = *x->chain;
    out->conds = conds;
    out->up = x->chain;
    /* Contour skips an include whose own conditions it refuses, and
     * serves the rest of the proxy. */
    if ((bad = ct_conditions_refused(im, NULL, conds, true, &why))) {
        not_converted(im, &x->src, bad,
                      arena_printf(im->a, "Contour refuses the include (%s) and "
                                          "serves nothing of it there", why));
        return false;
    }
    for (i = 0; imp_crd_seq(conds) && i < conds->n; i++) {
        const struct ynode *c = conds->items[i], *h = ynode_get(c, "header");
        const struct ynode *q = ynode_get(c, "queryParameter");
        const char *p = imp_crd_text(ynode_get(c, "prefix"));

        imp_report_other_fields(im, x->src.label, x->src.root, c, known, "Contour");
        if (p) {
            out->prefix = arena_printf(im->a, "%s%s", out->prefix ? out->prefix : "", p);
            out->prefix_at = ynode_get(c, "prefix");
            out->prefix_src = x->src;
        }
        /* The included routes take the include's query condition as they
         * take its header; one gwc cannot add to them makes them answer
         * 500 (reported at the condition), never serve requests Contour
         * would not send them. */
        if (q && !ct_query_cond(im, x, q, &out->query))
            out->denied = true;
        if (h) {
            const char *name = imp_crd_text(ynode_get(h, "name"));
            const char *exact = imp_crd_text(ynode_get(h, "exact"));
            if (out->header.name || !name || !imp_value_header_name(name) ||
                (!exact && !ynode_get(h, "present")) ||
                (exact && imp_value_unsafe_text(exact))) {
                not_converted(im, &x->src, h,
                              "gwc converts one exact or present header "
                              "condition per include chain; the included "
                              "routes answer 500");
                out->denied = true;
                continue;
            }
            out->header.name = name;
            out->header.type = exact ? "Exact" : "RegularExpression";
            out->header.value = exact ? exact : ".*";
            out->header_at = h;
        }
    }
    return true;
}

/* Contour answers 502 on the conditions of an include it cannot follow. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One header or query parameter condition c's fields, spelled out. */
static const char *cond_key(struct imp *im, const char *kind, const struct ynode *c,
                            const char *const *fields)
{
    const char *one = kind;
    size_t k;

    for (k = 0; fields[k]; k++) {
        const char *v = imp_crd_text(ynode_get(c, fields[k]));
        if (v)
            one = arena_printf(im->a, "%s%s=%s\x1f", one, fields[k], v);
    }
    return one;
}

/* What Contour compares between the includes of one proxy
 * (includeMatchConditionsIdentical): the include's own prefixes merged
 * and its header and query parameter conditions in any order.  NULL for
 * none but "/", which Contour never counts as a repeat. */
static const char *include_key(struct imp *im, const struct ynode *conds)
{
    static const char *const header_fields[] = {"name", "present", "notpresent",
                                                "contains", "notcontains", "exact",
                                                "notexact", "regex", "ignoreCase",
                                                "treatMissingAsEmpty", NULL};
    static const char *const query_fields[] = {"name", "exact", "prefix", "suffix",
                                               "regex", "contains", "present",
                                               "ignoreCase", NULL};
    struct ptrvec hs = {0};
    const char *prefix = "", *key;
    size_t i;

    for (i = 0; imp_crd_seq(conds) && i < conds->n; i++) {
        const struct ynode *c = conds->items[i], *h = ynode_get(c, "header");
        const struct ynode *q = ynode_get(c, "queryParameter");
        const char *p = imp_crd_text(ynode_get(c, "prefix"));
        if (p)
            prefix = arena_printf(im->a, "%s%s", prefix, p);
        if (h)
            ptrvec_push(im->a, &hs, (void *)cond_key(im, "h\x1f", h, header_fields));
        if (q)
            ptrvec_push(im->a, &hs, (void *)cond_key(im, "q\x1f", q, query_fields));
    }
    prefix = *prefix ? ct_collapse(im, prefix) : "/";
    if (str_eq(prefix, "/") && !hs.n)
        return NULL;
    ptrvec_sort(&hs, cmp_str);
    key = prefix;
    for (i = 0; i < hs.n; i++)
        key = arena_printf(im->a, "%s\n%s", key, (const char *)hs.v[i]);
    return key;
}

/* The proxies an invalid one includes, and theirs: Contour follows the
 * includes before it finds the route it refuses, so they are no orphans,
 * but their routes are dropped with the proxy's. */
static void reach(struct imp *im, const struct crd *o, const char *by, struct walk *w,
                  struct ptrvec *stack)
{
    const struct ynode *incs = imp_crd_seq(ynode_get(o->spec, "includes"));
    size_t i, k;

    for (i = 0; incs && i < incs->n && w->visits < MAX_INCLUDE_VISITS; i++) {
        const char *name = imp_crd_text(ynode_get(incs->items[i], "name"));
        const char *ns = imp_crd_text(ynode_get(incs->items[i], "namespace"));
        const struct crd *sub = name ? find_proxy(im, ns ? ns : o->namespace, name) : NULL;
        bool cycle = false;

        for (k = 0; sub && k < stack->n; k++)
            cycle |= stack->v[k] == sub;
        if (!sub || cycle || ynode_get(sub->spec, "virtualhost"))
            continue;
        w->visits++;
        imp_index_put(im->a, &w->reached, sub->label, (void *)sub);
        imp_report_at(im, sub->label, sub->root,
                      ynode_get(ynode_get(sub->root, "metadata"), "name"),
                      DIAG_IMPORT_SKIPPED,
                      "included through %s, which Contour marks invalid: none "
                      "of its routes are served there; not converted there",
                      by);
        ptrvec_push(im->a, stack, (void *)sub);
        reach(im, sub, by, w, stack);
        stack->n--;
    }
}

static void walk(struct imp *im, const struct ct_proxy_ctx *x, struct walk *w,
                 struct ptrvec *stack)
{
    const struct ynode *incs = imp_crd_seq(ynode_get(x->o->spec, "includes"));
    struct index seen = {0};
    size_t i, k, first = x->vh->routes.n, last;

    if (ct_proxy_invalid(im, x)) {
        reach(im, x->o, x->src.label, w, stack);
        return;
    }
    ct_proxy_routes(im, x);
    last = x->vh->routes.n;
    for (i = 0; incs && i < incs->n; i++) {
        const struct ynode *inc = incs->items[i];
        const char *name = imp_crd_text(ynode_get(inc, "name"));
        const char *ns = imp_crd_text(ynode_get(inc, "namespace"));
        const struct crd *o;
        struct ct_proxy_ctx sub;
        struct ct_chain chain, own;
        bool cycle = false;

        const char *key;

        if (!fold(im, x, ynode_get(inc, "conditions"), &chain))
            continue;
        if (chain.prefix && strlen(chain.prefix) > MAX_CHAIN_PREFIX) {
            /* No route below converts, and each level would copy the
             * prefixes again: a deep chain would take memory by its
             * square. */
            ct_report(im, &x->src, inc, DIAG_IMPORT_NOT_CONVERTED,
                      "not converted: the include chain's prefixes are longer "
                      "than a Gateway API path (%d characters); the Gateway "
                      "answers 500 on them",
                      MAX_CHAIN_PREFIX);
            ct_include_fails(im, x, inc, &chain);
            continue;
        }
        key = include_key(im, ynode_get(inc, "conditions"));
        if (key && imp_index_get(&seen, key)) {
            ct_report(im, &x->src, inc, DIAG_IMPORT_NOT_CONVERTED,
                      "not converted: the conditions repeat an earlier "
                      "include's of this HTTPProxy, and Contour ignores such an "
                      "include; nothing of it is served there");
            continue;
        }
        if (key)
            imp_index_put(im->a, &seen, key, (void *)key);
        o = name ? find_proxy(im, ns ? ns : x->o->namespace, name) : NULL;
        for (k = 0; o && k < stack->n; k++)
            cycle |= stack->v[k] == o;
        if (!o || ++w->visits > MAX_INCLUDE_VISITS) {
            /* Contour answers 502 there; gwc never lets the paths fall
             * through to a shorter prefix either. */
            own = ct_include_own(im, x, inc, &chain);
            ct_report(im, &x->src, inc, DIAG_IMPORT_NOT_CONVERTED,
                      "not converted: %s; Contour answers 502 on the include's "
                      "conditions, the Gateway 500",
                      o ? "the include tree holds more than 10000 includes"
                        : "no HTTPProxy of that name in the input");
            ct_include_fails(im, x, inc, o ? &chain : &own);
            continue;
        }
        if (cycle) {
            ct_report(im, &x->src, inc, DIAG_IMPORT_NOT_CONVERTED,
                      "not converted: the include closes a cycle, which "
                      "Contour rejects: nothing of it is served there");
            continue;
        }
        if (ynode_get(o->spec, "virtualhost")) {
            ct_report(im, &x->src, inc, DIAG_IMPORT_NOT_CONVERTED,
                      "not converted: it includes a root HTTPProxy (one with "
                      "a virtualhost), which Contour rejects; Contour answers "
                      "502 on the include's conditions, the Gateway 500");
            own = ct_include_own(im, x, inc, &chain);
            ct_include_fails(im, x, inc, &own);
            continue;
        }
        imp_index_put(im->a, &w->reached, o->label, (void *)o);
        sub = *x;
        sub.o = o;
        sub.src.label = o->label;
        sub.src.root = o->root;
        sub.chain = &chain;
        ptrvec_push(im->a, stack, (void *)o);
        walk(im, &sub, w, stack);
        stack->n--;
    }
    /* Contour (computeRoutes) adds the includes' routes, then the
     * proxy's own. */
    for (k = first; k < last; k++)
        ((struct ct_route *)x->vh->routes.v[k])->seq = ++CT(im)->seq;
}

/* ---- roots ---- */

static void tls(struct imp *im, struct ct_proxy_ctx *x, const struct ynode *t)
{
    static const char *const known[] = {"secretName", "passthrough",
                                        "clientValidation",
                                        "minimumProtocolVersion",
                                        "maximumProtocolVersion", NULL};
    const char *secret = imp_crd_text(ynode_get(t, "secretName"));
    const char *ns, *name;
    bool passthrough = ct_flag(ynode_get(t, "passthrough"));

    imp_report_other_fields(im, x->src.label, x->src.root, t, known, "Contour");
    if (ct_access_control(im, &x->src, t,
                          ynode_get(x->o->spec, "tcpproxy") ? "tcpproxy"
                                                            : "virtual host"))
        x->denied = true;
    if (passthrough)
        x->vh->passthrough = true;
    if (ynode_get(t, "clientValidation"))
        ct_client_validation(im, x, ynode_get(t, "clientValidation"));
    if (ynode_get(t, "minimumProtocolVersion") || ynode_get(t, "maximumProtocolVersion"))
        not_converted(im, &x->src, t, "TLS protocol versions are listener "
                                      "options gwc does not write; nginx's "
                                      "defaults (TLS 1.2 and 1.3) apply");
    if (passthrough)
        return;
    if (!ct_secret_ref(im, secret, x->o->namespace, &ns, &name)) {
        /* Contour serves the host without its certificate nowhere, never
         * in clear text either. */
        not_converted(im, &x->src, t, "tls needs a Secret name (or passthrough); "
                                      "every route of the host answers 500");
        x->denied = true;
        return;
    }
    if (!str_eq(ns, x->o->namespace) &&
        !ct_delegated(im, &x->src, ynode_get(t, "secretName"), ns, name,
                      x->o->namespace,
                      "Contour refuses the virtual host; every route of the "
                      "host answers 500")) {
        x->denied = true;
        return;
    }
    x->secure = true;
    if (x->vh->secret)
        return;
    x->vh->secret = name;
    x->vh->secret_namespace = ns; /* another: listener_add writes the grant */
}

static void tcpproxy(struct imp *im, const struct ct_proxy_ctx *x,
                     const struct ynode *t)
{
    static const char *const known[] = {"services", NULL};
    static const char *const svc_known[] = {"name", "port", "weight", NULL};
    const struct ynode *svcs = imp_crd_seq(ynode_get(t, "services"));
    size_t i;
    int64_t port, w;

    imp_report_other_fields(im, x->src.label, x->src.root, t, known, "Contour");
    if (!x->vh->passthrough && !x->secure) {
        not_converted(im, &x->src, t, "Contour serves a tcpproxy only behind "
                                      "tls (passthrough or a secretName)");
        return;
    }
    /* Behind termination Envoy forwards the decrypted stream: a TLSRoute
     * on a TLS listener in Terminate mode, which takes port 443 of the
     * host from its HTTPS routes, as Envoy's TCP proxy filter chain does. */
    x->vh->terminate = !x->vh->passthrough;
    x->vh->tls_owner = x->o->name;
    for (i = 0; svcs && i < svcs->n; i++) {
        const struct ynode *s = svcs->items[i], *pn = ynode_get(s, "port");
        const struct ynode *wn = ynode_get(s, "weight");
        struct o_rule tmp;
        struct backend b;

        imp_report_other_fields(im, x->src.label, x->src.root, s, svc_known, "Contour");
        memset(&b, 0, sizeof(b));
        b.namespace = x->o->namespace;
        b.service = imp_crd_text(ynode_get(s, "name"));
        if (!b.service || !imp_value_dns_label(b.service) || !pn ||
            !imp_value_parse_decimal(pn->text, 1, 65535, &port)) {
            not_converted(im, &x->src, s, "a service needs a name and a port");
            continue;
        }
        b.port = port;
        w = -1;
        if (wn && (wn->kind != YNODE_SCALAR ||
                   !imp_value_parse_decimal(wn->text, 0, 1000000, &w))) {
            not_converted(im, &x->src, wn, "a weight is a whole number");
            continue;
        }
        memset(&tmp, 0, sizeof(tmp));
        tmp.backends = x->vh->tls_backends;
        imp_routes_rule_add_backend(im, &tmp, &b, w);
        x->vh->tls_backends = tmp.backends;
    }
}

static void vhost_fields(struct imp *im, struct ct_proxy_ctx *x,
                         const struct ynode *vh)
{
    static const char *const known[] = {"fqdn", "tls", "authorization",
                                        "jwtProviders", "ipAllowPolicy",
                                        "ipDenyPolicy", "corsPolicy",
                                        "rateLimitPolicy", NULL};

    imp_report_other_fields(im, x->src.label, x->src.root, vh, known, "Contour");
    if (ynode_get(vh, "corsPolicy"))
        x->cors = ct_cors(im, &x->src, ynode_get(vh, "corsPolicy"));
    if (ynode_get(vh, "rateLimitPolicy"))
        not_converted(im, &x->src, ynode_get(vh, "rateLimitPolicy"),
                      "rate limits need a gwc ClientPolicy");
    if (ct_access_control(im, &x->src, vh,
                          ynode_get(x->o->spec, "tcpproxy") ? "tcpproxy"
                                                            : "virtual host"))
        x->denied = true;
    if (ynode_get(vh, "tls"))
        tls(im, x, ynode_get(vh, "tls"));
}

static void root(struct imp *im, const struct crd *o, struct walk *w)
{
    static const char *const known[] = {"virtualhost", "routes", "includes",
                                        "tcpproxy", "ingressClassName", NULL};
    const struct ynode *vh = ynode_get(o->spec, "virtualhost");
    const char *fqdn =
        imp_value_ascii_lower(im->a, imp_crd_text(ynode_get(vh, "fqdn")));
    struct ct_chain none;
    struct ct_proxy_ctx x;
    struct ptrvec stack = {0};

    memset(&x, 0, sizeof(x));
    memset(&none, 0, sizeof(none));
    x.o = o;
    x.src.label = o->label;
    x.src.root = o->root;
    x.chain = &none;
    imp_report_other_fields(im, x.src.label, x.src.root, o->spec, known, "Contour");
    x.vh = ct_vhost_get(im, &x.src, o->namespace, fqdn, ynode_get(vh, "fqdn"));
    vhost_fields(im, &x, vh);
    x.vh->denied |= x.denied;
    if (x.vh->passthrough && !ynode_get(o->spec, "tcpproxy"))
        not_converted(im, &x.src, ynode_get(vh, "tls"),
                      "passthrough without a tcpproxy serves nothing on 443");
    if (ynode_get(o->spec, "tcpproxy"))
        tcpproxy(im, &x, ynode_get(o->spec, "tcpproxy"));
    ptrvec_push(im->a, &stack, (void *)o);
    w->visits = 0;
    walk(im, &x, w, &stack);
}

/* A root with a usable fqdn that no other root claims (fqdns: the roots by
 * fqdn, fqdns itself for an fqdn of several). */
static bool usable_root(struct imp *im, const struct crd *o, struct index *fqdns)
{
    const struct ynode *vh = ynode_get(o->spec, "virtualhost");
    const char *fqdn = imp_crd_text(ynode_get(vh, "fqdn"));
    struct imp_src src = {o->label, o->root};

    if (!fqdn || !imp_value_hostname(imp_value_ascii_lower(im->a, fqdn), true)) {
        not_converted(im, &src, vh, "a virtualhost needs an fqdn Gateway API "
                                    "accepts");
        return false;
    }
    if (imp_index_get(fqdns, imp_value_ascii_lower(im->a, fqdn)) == (void *)fqdns) {
        ct_report(im, &src, ynode_get(vh, "fqdn"), DIAG_IMPORT_CONFLICT,
                  "fqdn '%s' is the virtualhost of more than one root "
                  "HTTPProxy: Contour serves none of them; this one is not "
                  "converted",
                  imp_report_value(im, fqdn));
        return false;
    }
    return true;
}

static bool selected(struct imp *im, const struct crd *o)
{
    const char *klass;
    const struct ynode *at;

    if (ct_class_selected(im, o->root, &klass, &at))
        return true;
    imp_report_at(
        im, o->label, o->root, at, DIAG_IMPORT_SKIPPED,
        "ingress class '%s' is not converted (Contour serves 'contour' and "
        "objects without a class; --ingress-class chooses others)",
        klass);
    return false;
}

void ct_proxies(struct imp *im)
{
    const struct ptrvec *crds = &CT(im)->crds;
    struct index fqdns = {0};
    struct ptrvec roots = {0};
    struct walk w;
    size_t i;

    memset(&w, 0, sizeof(w));
    for (i = 0; i < crds->n; i++) {
        const struct crd *o = crds->v[i];
        const char *fqdn;
        if (str_eq(o->kind, "TLSCertificateDelegation"))
            continue; /* what it allows, the ReferenceGrants written allow */
        if (!str_eq(o->kind, "HTTPProxy")) {
            imp_report_at(im, o->label, o->root, ynode_get(o->root, "kind"),
                          DIAG_IMPORT_NOT_CONVERTED,
                          "not converted: gwc converts HTTPProxy (and honours "
                          "TLSCertificateDelegation), not %s",
                          o->kind);
            continue;
        }
        if (!ynode_get(o->spec, "virtualhost") || !selected(im, o))
            continue;
        fqdn = imp_crd_text(ynode_get(ynode_get(o->spec, "virtualhost"), "fqdn"));
        if (fqdn) {
            fqdn = imp_value_ascii_lower(im->a, fqdn);
            /* Two roots of one fqdn: neither is the owner (a sentinel). */
            imp_index_put(im->a, &fqdns, fqdn,
                          imp_index_get(&fqdns, fqdn) ? (void *)&fqdns : (void *)o);
        }
        ptrvec_push(im->a, &roots, (void *)o);
    }
    for (i = 0; i < roots.n; i++) {
        if (usable_root(im, roots.v[i], &fqdns))
            root(im, roots.v[i], &w);
    }
    for (i = 0; i < crds->n; i++) {
        const struct crd *o = crds->v[i];
        if (str_eq(o->kind, "HTTPProxy") && !ynode_get(o->spec, "virtualhost") &&
            !imp_index_get(&w.reached, o->label))
            imp_report_at(
                im, o->label, o->root,
                ynode_get(ynode_get(o->root, "metadata"), "name"), DIAG_IMPORT_SKIPPED,
                "no root HTTPProxy includes this one: Contour serves none "
                "of its routes (an orphan); not converted");
    }
}
