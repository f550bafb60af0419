/*
 * ingress-nginx's access control as an AccessPolicy (docs/policies.md,
 * "Importing ingress-nginx annotations"): address allow and deny lists,
 * basic auth from an htpasswd Secret, external auth by an auth Service,
 * satisfy.  What does not convert exactly fails closed (policies.c).
 */
#include "nx.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/url.h"

#include <string.h>

/* gwc's limits */
#define MAX_CIDRS 256
#define MAX_RESPONSE_HEADERS 64

/* Address lists are access control: not converted exactly, they fail
 * closed. */
static const char **cidr_list(struct imp *im, const char *key, struct ing *ing,
                              const char *value, size_t *n)
{
    const char *why;
    const char **v = nx_pol_cidrs(im, value, MAX_CIDRS, n, &why);

    if (!v)
        nx_pol_fail_closed(im, ing, key, "%s", why);
    return v;
}

static void source_ranges(struct imp *im, struct ing *ing)
{
    const struct ing_config *c = &ing->cfg;
    const char *allow_key = c->allowlist_source_range ? "allowlist-source-range"
                                                      : "whitelist-source-range";
    const char *allow = c->allowlist_source_range ? c->allowlist_source_range
                                                  : c->whitelist_source_range;
    struct o_gwc_policy *p;

    if (c->allowlist_source_range && c->whitelist_source_range)
        nx_report_annotation(im, ing, "whitelist-source-range", DIAG_IMPORT_IGNORED,
                             "ignored: allowlist-source-range takes precedence");
    if (allow) {
        const char **v;
        size_t n;
        if ((v = cidr_list(im, allow_key, ing, allow, &n))) {
            p = nx_pol_get(im, ing, "AccessPolicy");
            p->allow = v;
            p->n_allow = n;
            nx_pol_converted(im, ing, allow_key, "AccessPolicy",
                             "spec.clientAddresses.allow");
        }
    }
    if (c->denylist_source_range) {
        const char **v;
        size_t n;
        if ((v = cidr_list(im, "denylist-source-range", ing,
                           c->denylist_source_range, &n))) {
            p = nx_pol_get(im, ing, "AccessPolicy");
            p->deny = v;
            p->n_deny = n;
            nx_pol_converted(im, ing, "denylist-source-range", "AccessPolicy",
                             "spec.clientAddresses.deny");
        }
    }
}

/* "name" or "namespace/name" (ingress-nginx's ParseNameNS). */
static bool name_ns(struct imp *im, const struct ing *ing, const char *s,
                    struct o_ref *out)
{
    const char *slash = strchr(s, '/');

    out->namespace = ing->namespace;
    out->name = s;
    if (slash) {
        out->namespace = arena_strndup(im->a, s, (size_t)(slash - s));
        out->name = slash + 1;
        if (!imp_value_dns_label(out->namespace))
            return false;
    }
    return imp_value_dns_subdomain(out->name);
}

/* gwc's realm: printable ASCII without '"', '\' and '$', not "off"; the
 * annotation's alphabet already keeps the first three out. */
static void realm(struct imp *im, struct ing *ing, struct o_gwc_policy *p)
{
    const char *r = ing->cfg.auth_realm;

    if (!r)
        return;
    if (strlen(r) > 64 || str_eq(r, "off")) {
        nx_report_annotation(im, ing, "auth-realm", DIAG_IMPORT_APPROXIMATED,
                             "gwc takes a realm of at most 64 characters, not "
                             "'off'; the realm is left empty");
        return;
    }
    p->basic_realm = r;
    nx_pol_converted(im, ing, "auth-realm", "AccessPolicy", "spec.basicAuth.realm");
}

static void basic_auth(struct imp *im, struct ing *ing)
{
    static const char *const keys[] = {"auth-secret", "auth-secret-type",
                                       "auth-realm"};
    const struct ing_config *c = &ing->cfg;
    struct o_gwc_policy *p;
    struct o_ref *secret;

    if (!c->auth_type) {
        nx_pol_ignored_without(im, ing, keys, ARRAY_SIZE(keys), "auth-type");
        return;
    }
    if (str_eq(c->auth_type, "digest")) {
        nx_pol_fail_closed(
            im, ing, "auth-type",
            "nginx without extra modules has no digest authentication");
        return;
    }
    if (!str_eq(c->auth_type, "basic")) {
        nx_pol_fail_closed(im, ing, "auth-type",
                           "ingress-nginx knows basic and digest, and denies the "
                           "paths for '%s'",
                           imp_report_value(im, c->auth_type));
        return;
    }
    if (!c->auth_secret) {
        nx_pol_fail_closed(
            im, ing, "auth-type",
            "no auth-secret names the htpasswd Secret (ingress-nginx "
            "denies the paths)");
        return;
    }
    secret = ARENA_NEW(im->a, struct o_ref);
    if (!name_ns(im, ing, c->auth_secret, secret)) {
        nx_pol_fail_closed(im, ing, "auth-secret",
                           "not a Secret name or namespace/name");
        return;
    }
    if (c->auth_secret_type && !str_eq(c->auth_secret_type, "auth-file") &&
        !str_eq(c->auth_secret_type, "auth-map")) {
        nx_pol_fail_closed(im, ing, "auth-secret-type",
                           "ingress-nginx knows auth-file and auth-map");
        return;
    }
    p = nx_pol_get(im, ing, "AccessPolicy");
    p->basic_secret = secret;
    if (c->auth_secret_type && str_eq(c->auth_secret_type, "auth-map"))
        p->basic_format = "UserMap";
    nx_pol_converted(im, ing, "auth-type", "AccessPolicy", "spec.basicAuth");
    nx_pol_converted(
        im, ing, "auth-secret", "AccessPolicy", "spec.basicAuth.secretRef%s",
        str_eq(secret->namespace, ing->namespace)
            ? ""
            : "; ingress-nginx reads a Secret of another namespace only "
              "with allow-cross-namespace-resources, gwc through the "
              "generated ReferenceGrant");
    if (c->auth_secret_type)
        nx_pol_converted(im, ing, "auth-secret-type", "AccessPolicy",
                         "spec.basicAuth.format");
    realm(im, ing, p);
}

/* GET is the default; CONNECT and TRACE ingress-nginx allows, gwc not. */
static bool auth_method(struct imp *im, struct ing *ing, struct o_ext_auth *e)
{
    static const char *const methods[] = {"HEAD",  "POST",   "PUT",
                                          "PATCH", "DELETE", "OPTIONS"};
    const char *m = ing->cfg.auth_method;
    size_t i;

    if (!m || str_eq(m, "GET"))
        return true;
    for (i = 0; i < ARRAY_SIZE(methods); i++) {
        if (str_eq(m, methods[i])) {
            e->method = methods[i];
            return true;
        }
    }
    nx_pol_fail_closed(
        im, ing, "auth-method",
        "gwc calls the auth service with GET, HEAD, POST, PUT, PATCH, "
        "DELETE or OPTIONS, not '%s'",
        imp_report_value(im, m));
    return false;
}

static bool response_headers(struct imp *im, struct ing *ing, struct o_ext_auth *e)
{
    const char *v = ing->cfg.auth_response_headers;
    size_t i, n;
    const char **h;

    if (!v)
        return true;
    h = imp_value_split_list(im->a, v, &n);
    if (n > MAX_RESPONSE_HEADERS) {
        nx_pol_fail_closed(im, ing, "auth-response-headers",
                           "%zu headers (gwc copies at most %d)", n,
                           MAX_RESPONSE_HEADERS);
        return false;
    }
    for (i = 0; i < n; i++) {
        if (!imp_value_header_name(h[i])) {
            nx_pol_fail_closed(im, ing, "auth-response-headers",
                               "'%s' is not a header name",
                               imp_report_value(im, h[i]));
            return false;
        }
    }
    e->response_headers = h;
    e->n_response_headers = n;
    return true;
}

/* auth-signin: on a 401 the browser goes to the sign-in page, with the
 * original URL in a parameter.  A literal URL, or one on the request's
 * own host ($host, $http_host), converts; the original query string is
 * not carried (stock nginx cannot escape it into a parameter). */
static void sign_in(struct imp *im, struct ing *ing, struct o_ext_auth *e)
{
    static const char *const own[] = {"$scheme://$host", "$scheme://$http_host",
                                      "https://$host", "https://$http_host"};
    const char *s = ing->cfg.auth_signin,
               *param = ing->cfg.auth_signin_redirect_param;
    bool https = false;
    size_t i;

    if (!s) {
        if (param)
            nx_report_annotation(im, ing, "auth-signin-redirect-param",
                                 DIAG_IMPORT_IGNORED,
                                 "ignored without auth-signin");
        return;
    }
    for (i = 0; i < ARRAY_SIZE(own) && !e->signin_path; i++) {
        size_t n = strlen(own[i]);
        if (strncmp(s, own[i], n) == 0 && !strchr(s + n, '$') &&
            imp_value_gateway_path(s + n)) {
            e->signin_path = s + n;
            https = own[i][0] == 'h';
        }
    }
    if (!e->signin_path && !strchr(s, '$')) {
        struct url u;
        if (imp_value_parse_url(im->a, s, &u))
            e->signin_url = s;
    }
    if (!e->signin_path && !e->signin_url) {
        nx_report_annotation(im, ing, "auth-signin", DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: a sign-in URL with nginx variables "
                             "other than $host; a 401 reaches the client as it is");
        return;
    }
    nx_pol_converted(im, ing, "auth-signin", "AccessPolicy",
                     "spec.externalAuth.signIn");
    if (param) {
        e->signin_parameter = param;
        nx_pol_converted(im, ing, "auth-signin-redirect-param", "AccessPolicy",
                         "spec.externalAuth.signIn.redirectParameter");
    }
    nx_report_annotation(im, ing, "auth-signin", DIAG_IMPORT_APPROXIMATED,
                         "the sign-in redirect's parameter carries the original "
                         "URL without its query string%s",
                         https ? ", and the sign-in page keeps the request's "
                                 "scheme instead of https"
                               : "");
}

static void external_auth_refinements(struct imp *im, struct ing *ing,
                                      struct o_ext_auth *e)
{
    const char *rr = ing->cfg.auth_request_redirect;

    if (rr && !strchr(rr, '$')) {
        e->request_redirect = rr;
        nx_pol_converted(im, ing, "auth-request-redirect", "AccessPolicy",
                         "spec.externalAuth.requestRedirect");
    } else if (rr && !str_eq(rr, "$request_uri")) {
        nx_report_annotation(im, ing, "auth-request-redirect",
                             DIAG_IMPORT_APPROXIMATED,
                             "X-Auth-Request-Redirect carries the request URI: "
                             "gwc sends literal values only");
    }
    if (ing->cfg.auth_always_set_cookie == TRI_TRUE) {
        e->set_cookie = "Always";
        nx_pol_converted(im, ing, "auth-always-set-cookie", "AccessPolicy",
                         "spec.externalAuth.setCookie");
    }
    sign_in(im, ing, e);
}

static void external_auth(struct imp *im, struct ing *ing)
{
    static const char *const keys[] = {
        "auth-method", "auth-response-headers",      "auth-request-redirect",
        "auth-signin", "auth-signin-redirect-param", "auth-always-set-cookie"};
    const char *v = ing->cfg.auth_url;
    struct o_ext_auth *e;
    const char *svc, *ns;
    struct url u;

    if (!v) {
        nx_pol_ignored_without(im, ing, keys, ARRAY_SIZE(keys), "auth-url");
        return;
    }
    if (strchr(v, '$')) {
        nx_pol_fail_closed(im, ing, "auth-url",
                           "a URL with nginx variables names its host per request; "
                           "write the auth Service's cluster name "
                           "(http://SERVICE.NAMESPACE.svc.cluster.local/path)");
        return;
    }
    if (!imp_value_parse_url(im->a, v, &u)) {
        nx_pol_fail_closed(im, ing, "auth-url", "not an http URL");
        return;
    }
    e = ARENA_NEW(im->a, struct o_ext_auth);
    /* A bare "SERVICE" is resolved from the controller's pod, in its
     * namespace, not the Ingress's: the namespace must be written.  A
     * name outside the cluster's (auth.example.com) is called by URL,
     * resolved per request as ingress-nginx resolves it. */
    if (str_eq(u.scheme, "http") && !u.query && strchr(u.host, '.') &&
        nx_service_host(im, u.host, ing->namespace, &svc, &ns)) {
        e->service.name = svc;
        e->service.namespace = ns;
        e->service.port = u.port ? u.port : 80;
    } else if (strchr(u.host, '.') &&
               !nx_service_host(im, u.host, ing->namespace, &svc, &ns) &&
               url_is_http(v)) {
        e->url = v;
    } else {
        nx_pol_fail_closed(
            im, ing, "auth-url",
            "gwc calls an auth Service by its cluster name over http "
            "(http://SERVICE.NAMESPACE.svc.cluster.local/path, no "
            "query) or a host outside the cluster by its URL; '%s' "
            "is neither",
            imp_report_value(im, v));
        return;
    }
    if (!e->url && *u.path && !imp_value_gateway_path(u.path)) {
        nx_pol_fail_closed(im, ing, "auth-url", "'%s' is not a path gwc can send",
                           imp_report_value(im, u.path));
        return;
    }
    e->path = !e->url && *u.path && !str_eq(u.path, "/") ? u.path : NULL;
    if (!auth_method(im, ing, e) || !response_headers(im, ing, e))
        return;
    nx_pol_get(im, ing, "AccessPolicy")->ext_auth = e;
    nx_pol_converted(im, ing, "auth-url", "AccessPolicy", "%s",
                     e->url    ? "spec.externalAuth.url"
                     : e->path ? "spec.externalAuth.backendRef and path"
                               : "spec.externalAuth.backendRef");
    if (e->method)
        nx_pol_converted(im, ing, "auth-method", "AccessPolicy",
                         "spec.externalAuth.method");
    if (e->n_response_headers)
        nx_pol_converted(im, ing, "auth-response-headers", "AccessPolicy",
                         "spec.externalAuth.responseHeaders");
    external_auth_refinements(im, ing, e);
}

/* satisfy: any lets an allowed address or an authentication pass; with
 * only one of them it means what all does. */
static void satisfy(struct imp *im, struct ing *ing)
{
    struct o_gwc_policy *p = nx_pol_find(ing, "AccessPolicy");
    const char *s = ing->cfg.satisfy;

    if (!s || str_eq(s, "all"))
        return;
    if (!str_eq(s, "any")) {
        nx_report_annotation(im, ing, "satisfy", DIAG_IMPORT_IGNORED,
                             "ignored: ingress-nginx knows 'all' and 'any'");
        return;
    }
    if (!p || !p->n_allow || (!p->basic_secret && !p->ext_auth)) {
        nx_report_annotation(im, ing, "satisfy", DIAG_IMPORT_IGNORED,
                             "'any' with only one of an allow list and an "
                             "authentication means what 'all' means");
        return;
    }
    p->satisfy = "Any";
    nx_pol_converted(im, ing, "satisfy", "AccessPolicy", "spec.satisfy");
}

void nx_access_feature(struct imp *im, struct ing *ing)
{
    source_ranges(im, ing);
    basic_auth(im, ing);
    external_auth(im, ing);
    satisfy(im, ing);
}
