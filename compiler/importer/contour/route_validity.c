/*
 * The route fields, besides its conditions (validity.c), for which
 * Contour marks the whole HTTPProxy invalid and serves none of its routes,
 * nor those of the proxies it includes (internal/dag/httpproxy_processor.go,
 * computeRoutes: each of these ends the proxy's routes, not just the
 * route's).  gwc checks those it can decide from the object alone; what
 * needs the cluster (a Service or its port that does not exist: Contour
 * drops only that service, and answers 503 when none is left) or
 * Contour's own configuration is not checked here.
 */
#include "ct.h"

#include "base/arena.h"

#include <string.h>

/* Kubernetes' IsHTTPHeaderName, which Contour applies to header policy
 * names: letters, digits and '-', at least one. */
static bool k8s_header_name(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

/* The syntax of Go's time.ParseDuration: an optional sign, then "0" or
 * one or more decimal numbers each with a unit (ns, us, µs, μs, ms, s,
 * m, h).  Overflow is not checked: such a timeout is out of gwc's range
 * anyway and reported where it is converted. */
static bool go_duration(const char *s)
{
    static const char *const units[] = {"ns", "us", "\xc2\xb5s", "\xce\xbcs",
                                        "ms", "s", "m", "h"};
    if (*s == '-' || *s == '+')
        s++;
    if (str_eq(s, "0"))
        return true;
    if (!*s)
        return false;
    while (*s) {
        size_t digits = 0, k, n = 0;
        while (*s >= '0' && *s <= '9')
            s++, digits++;
        if (*s == '.') {
            s++;
            while (*s >= '0' && *s <= '9')
                s++, digits++;
        }
        if (!digits)
            return false;
        /* the longest unit that matches: "ms" before "m" */
        for (k = 0; k < sizeof(units) / sizeof(units[0]); k++) {
            size_t l = strlen(units[k]);
            if (strncmp(s, units[k], l) == 0 && l > n)
                n = l;
        }
        if (!n)
            return false;
        s += n;
    }
    return true;
}

/* Contour's timeout.Parse: empty, "infinity", "infinite" or a Go
 * duration. */
static bool contour_timeout(const char *s)
{
    return !*s || str_eq(s, "infinity") || str_eq(s, "infinite") || go_duration(s);
}

/* headersPolicyRoute: a name set twice (case aside), Host set where
 * host is false (response headers), a name Kubernetes refuses, a name
 * removed twice. */
static const struct ynode *headers_refused(struct imp *im, const struct ynode *p,
                                           bool host, const char **why)
{
    const struct ynode *set = imp_crd_seq(ynode_get(p, "set"));
    const struct ynode *rm = imp_crd_seq(ynode_get(p, "remove"));
    struct index names = {0}, removed = {0};
    size_t i;

    for (i = 0; set && i < set->n; i++) {
        const struct ynode *n = ynode_get(set->items[i], "name");
        const char *name = imp_crd_text(n);
        const char *key = name ? imp_value_ascii_lower(im->a, name) : NULL;
        if (!key)
            continue; /* the API server refuses a set entry without a name */
        if (imp_index_get(&names, key)) {
            *why = "a header set twice";
            return n;
        }
        imp_index_put(im->a, &names, key, (void *)n);
        if (str_eq(key, "host")) {
            if (!host) {
                *why = "Host set in response headers";
                return n;
            }
            continue;
        }
        if (!k8s_header_name(name)) {
            *why = "a header name other than letters, digits and '-'";
            return n;
        }
    }
    for (i = 0; rm && i < rm->n; i++) {
        const char *name = imp_crd_text(rm->items[i]);
        const char *key = name ? imp_value_ascii_lower(im->a, name) : "";
        if (imp_index_get(&removed, key)) {
            *why = "a header removed twice";
            return rm->items[i];
        }
        imp_index_put(im->a, &removed, key, (void *)key);
        if (!k8s_header_name(name)) {
            *why = "a removed header name other than letters, digits and '-'";
            return rm->items[i];
        }
    }
    return NULL;
}

static const struct ynode *actions_refused(const struct ynode *route, const char **why)
{
    const struct ynode *svcs = imp_crd_seq(ynode_get(route, "services"));
    const struct ynode *rd = ynode_get(route, "requestRedirectPolicy");
    const struct ynode *dr = ynode_get(route, "directResponsePolicy");
    int n = (svcs && svcs->n > 0) + (rd != NULL) + (dr != NULL);

    if (n == 1)
        return NULL;
    *why = n ? "more than one of services, requestRedirectPolicy and "
               "directResponsePolicy"
             : "none of services, requestRedirectPolicy and directResponsePolicy";
    return n ? (dr ? dr : rd) : route;
}

static const struct ynode *timeouts_refused(const struct ynode *t, const char **why)
{
    static const char *const fields[] = {"response", "idle", "idleConnection"};
    size_t i;

    for (i = 0; t && i < sizeof(fields) / sizeof(fields[0]); i++) {
        const struct ynode *v = ynode_get(t, fields[i]);
        const char *s = imp_crd_text(v);
        if (v && s && !contour_timeout(s)) {
            *why = "a timeout that is not a Go duration, 'infinity' or 'infinite'";
            return v;
        }
    }
    return NULL;
}

static const struct ynode *services_refused(struct imp *im, const struct ynode *svcs,
                                            const char **why)
{
    bool mirror = false;
    size_t i;

    for (i = 0; svcs && i < svcs->n; i++) {
        const struct ynode *s = svcs->items[i], *at;
        const struct ynode *port = ynode_get(s, "port");
        int64_t n;
        /* a port that is not an integer the API server refuses */
        if (port && port->kind == YNODE_SCALAR && port->text &&
            !imp_value_parse_decimal(port->text, 1, 65535, &n)) {
            *why = "a service port outside 1-65535";
            return port;
        }
        if ((at = headers_refused(im, ynode_get(s, "requestHeadersPolicy"), true, why)) ||
            (at = headers_refused(im, ynode_get(s, "responseHeadersPolicy"), false, why)))
            return at;
        if (ct_flag(ynode_get(s, "mirror"))) {
            if (mirror) {
                *why = "more than one mirror service";
                return ynode_get(s, "mirror");
            }
            mirror = true;
        }
    }
    return NULL;
}

/* The field of a route, besides its conditions and the action count, for
 * which Contour refuses the proxy, with why; NULL when none. */
static const struct ynode *route_refused(struct imp *im, const struct ynode *route,
                                     const char **why)
{
    const struct ynode *at, *rd = ynode_get(route, "requestRedirectPolicy");

    /* computeRoutes' order, so that the first error is the one reported
     * (the action count and the conditions come before: httpproxy.c) */
    if ((at = headers_refused(im, ynode_get(route, "requestHeadersPolicy"), true, why)) ||
        (at = headers_refused(im, ynode_get(route, "responseHeadersPolicy"), false, why)))
        return at;
    if ((at = timeouts_refused(ynode_get(route, "timeoutPolicy"), why)))
        return at;
    if (ynode_get(rd, "path") && ynode_get(rd, "prefix")) {
        *why = "a redirect with both path and prefix";
        return ynode_get(rd, "prefix");
    }
    return services_refused(im, imp_crd_seq(ynode_get(route, "services")), why);
}

/* Contour drops every route of a proxy (and of the proxies it includes)
 * at the first route whose actions, conditions or fields it refuses, and
 * marks the proxy invalid: reported there, true. */
bool ct_proxy_invalid(struct imp *im, const struct ct_proxy_ctx *x)
{
    const struct ynode *routes = imp_crd_seq(ynode_get(x->o->spec, "routes"));
    size_t i;

    for (i = 0; routes && i < routes->n; i++) {
        const char *why, *what = "conditions";
        const struct ynode *item = routes->items[i];
        const struct ynode *bad = actions_refused(item, &why);
        if (bad)
            what = "actions";
        else if (!(bad = ct_conditions_refused(im, x->chain, ynode_get(item, "conditions"),
                                               false, &why)) &&
                 (bad = route_refused(im, item, &why)))
            what = "fields";
        if (!bad)
            continue;
        ct_report(im, &x->src, bad, DIAG_IMPORT_SOURCE_INVALID,
                  "Contour refuses this route's %s (%s), marks the "
                  "HTTPProxy invalid and serves none of its routes, nor those "
                  "of the HTTPProxies it includes; none is converted",
                  what, why);
        return true;
    }
    return false;
}
