/*
 * The gwc policies (docs/policies.md) an Ingress's annotations become: at
 * most one AccessPolicy, ClientPolicy and BackendPolicy per Ingress, named
 * "<ingress>-access", "-client", "-backend", in the namespace of the
 * routes its rules went to, targeting those rules (the whole route when
 * every forwarding rule of it comes from the Ingress, else each rule by
 * name).  ingress-nginx counts rate limits per Ingress; one ClientPolicy
 * per Ingress keeps one counter per client, as it does.
 *
 * Access control (address lists, authentication) converts exactly or
 * fails closed: the annotation is an error (GW0831) and the Ingress's
 * AccessPolicy denies every client, so its paths answer 403 instead of
 * being served without the check.  --allow-insecure-import serves them
 * without it, with a warning per Ingress (GW0832).
 */
#include "nx.h"

#include "base/arena.h"
#include "base/cidr.h"
#include "base/compilation.h"
#include "base/strbuf.h"

#include <stdarg.h>
#include <string.h>

/* gwc's limits (docs/policies.md) */
#define MAX_TARGETS 16
#define MAX_CIDRS 256
#define MAX_EXEMPT 64
#define MAX_RESPONSE_HEADERS 64
#define MAX_RATE 1000000
#define MAX_SIZE 9999999
#define MAX_CONNECT 75          /* seconds */
#define MAX_TIMEOUT (576 * 3600) /* seconds */

struct ing_policies {
    struct o_gwc_policy access, client, backend; /* without targets */
    bool has_access, has_client, has_backend;
    bool fail_closed;
    const struct ynode *insecure_at; /* the first annotation not converted */
    struct ptrvec targets;           /* struct pol_target * */
    size_t n_rule_names;
    struct ptrvec access_notes; /* struct access_note *: said at the end */
};

/* An AccessPolicy field converted: whether it is written is known once
 * every access annotation of the Ingress has been read. */
struct access_note {
    const char *key, *field;
};

struct pol_target {
    const char *namespace; /* the route's */
    struct o_target t;
};

static struct ing_policies *pol(struct imp *im, struct ing *ing)
{
    if (!ing->pol)
        ing->pol = ARENA_NEW(im->a, struct ing_policies);
    return ing->pol;
}

static const char *policy_name(struct imp *im, const struct ing *ing,
                               const char *kind, const char *ns,
                               const char *suffix)
{
    const char *base = str_eq(ns, ing->namespace)
                           ? arena_printf(im->a, "%s-%s",
                                          ing->src->obj.meta.name, suffix)
                           : arena_printf(im->a, "%s-%s-%s", ing->namespace,
                                          ing->src->obj.meta.name, suffix);

    return name_claim(im, arena_printf(im->a, "%s/%s", kind, ns), base, 253);
}

/* The policy of kind in the Ingress's namespace, named when first used. */
static struct o_gwc_policy *policy(struct imp *im, struct ing *ing,
                                   const char *kind)
{
    struct ing_policies *p = pol(im, ing);
    struct o_gwc_policy *o;
    bool *has;
    const char *suffix;

    if (str_eq(kind, "AccessPolicy"))
        o = &p->access, has = &p->has_access, suffix = "access";
    else if (str_eq(kind, "ClientPolicy"))
        o = &p->client, has = &p->has_client, suffix = "client";
    else
        o = &p->backend, has = &p->has_backend, suffix = "backend";
    if (!*has) {
        *has = true;
        o->kind = kind;
        o->namespace = ing->namespace;
        o->name = policy_name(im, ing, kind, ing->namespace, suffix);
    }
    return o;
}

__attribute__((format(printf, 5, 6)))
static void converted(struct imp *im, struct ing *ing, const char *key,
                      const char *kind, const char *fmt, ...)
{
    const struct o_gwc_policy *p = policy(im, ing, kind);
    struct strbuf field = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    strbuf_vaddf(&field, fmt, ap);
    va_end(ap);
    if (str_eq(kind, "AccessPolicy")) {
        struct access_note *n = ARENA_NEW(im->a, struct access_note);
        n->key = key;
        n->field = arena_strdup(im->a, field.buf);
        ptrvec_push(im->a, &ing->pol->access_notes, n);
    } else {
        report_annotation(im, ing, key, DIAG_IMPORT_POLICY,
                          "converted to gwc policy %s/%s (%s)", kind, p->name,
                          field.buf);
    }
    strbuf_release(&field);
}

static void access_notes(struct imp *im, struct ing *ing)
{
    const struct ing_policies *p = ing->pol;
    size_t i;

    for (i = 0; i < p->access_notes.n; i++) {
        const struct access_note *n = p->access_notes.v[i];
        if (p->fail_closed && !im->o->allow_insecure)
            report_annotation(im, ing, n->key, DIAG_IMPORT_POLICY,
                              "converts to gwc policy AccessPolicy/%s (%s), "
                              "which denies every client instead, since other "
                              "access control of the Ingress is not converted "
                              "exactly",
                              p->access.name, n->field);
        else
            report_annotation(im, ing, n->key, DIAG_IMPORT_POLICY,
                              "converted to gwc policy AccessPolicy/%s (%s)",
                              p->access.name, n->field);
    }
}

void imp_fail_closed(struct imp *im, struct ing *ing,
                          const struct ynode *at, const char *fmt, ...)
{
    struct ing_policies *p = pol(im, ing);
    const struct o_gwc_policy *a = policy(im, ing, "AccessPolicy");
    struct strbuf why = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    strbuf_vaddf(&why, fmt, ap);
    va_end(ap);
    if (im->o->allow_insecure)
        report_node(im, ing, at, DIAG_IMPORT_FAIL_CLOSED,
                    "access control not converted exactly: %s; the Ingress's "
                    "paths are served WITHOUT it (--allow-insecure-import)",
                    why.buf);
    else
        report_node(im, ing, at, DIAG_IMPORT_FAIL_CLOSED,
                    "access control not converted exactly: %s; the Ingress's "
                    "paths answer 403 (AccessPolicy %s denies every client) "
                    "instead of being served without it",
                    why.buf, a->name);
    strbuf_release(&why);
    if (!p->insecure_at)
        p->insecure_at = at;
    p->fail_closed = true;
}

__attribute__((format(printf, 4, 5)))
static void fail_closed(struct imp *im, struct ing *ing, const char *key,
                        const char *fmt, ...)
{
    struct strbuf why = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    strbuf_vaddf(&why, fmt, ap);
    va_end(ap);
    imp_fail_closed(im, ing, report_annotation_node(ing, key), "%s", why.buf);
    strbuf_release(&why);
}

static void ignored_without(struct imp *im, const struct ing *ing,
                            const char *const *keys, size_t n, const char *what)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (report_annotation_node(ing, keys[i]))
            report_annotation(im, ing, keys[i], DIAG_IMPORT_IGNORED,
                              "ignored without %s", what);
    }
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- AccessPolicy ---- */

/* A comma list of addresses and CIDR blocks as ingress-nginx reads it
 * (Go's net.ParseCIDR, which clears the bits after the prefix, or
 * net.ParseIP; an empty entry is neither): NULL, with *why, when an entry
 * is neither or gwc refuses it. */
static const char **cidrs(struct imp *im, const char *value, size_t max,
                          size_t *n, const char **why)
{
    const char **items = value_split_list(im->a, value, n), **out;
    size_t i, entries = 1;

    for (i = 0; value[i]; i++)
        entries += value[i] == ',';
    if (entries != *n) {
        *why = "an empty entry is not an address";
        return NULL;
    }
    if (*n > max) {
        *why = arena_printf(im->a, "%zu entries (gwc takes at most %zu)", *n, max);
        return NULL;
    }
    out = ARENA_NEW_ARRAY(im->a, const char *, *n);
    for (i = 0; i < *n; i++) {
        struct cidr c;
        char buf[64];

        if (!cidr_parse(items[i], &c, why) &&
            strcmp(*why, "has bits set after the prefix length") != 0) {
            *why = arena_printf(im->a, "'%s' %s", report_value(im, items[i]), *why);
            return NULL;
        }
        cidr_format(&c, buf);
        out[i] = arena_strdup(im->a, buf);
    }
    return out;
}

/* Address lists are access control: not converted exactly, they fail
 * closed. */
static const char **cidr_list(struct imp *im, const char *key, struct ing *ing,
                              const char *value, size_t *n)
{
    const char *why;
    const char **v = cidrs(im, value, MAX_CIDRS, n, &why);

    if (!v)
        fail_closed(im, ing, key, "%s", why);
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
        report_annotation(im, ing, "whitelist-source-range", DIAG_IMPORT_IGNORED,
                          "ignored: allowlist-source-range takes precedence");
    if (allow) {
        const char **v;
        size_t n;
        if ((v = cidr_list(im, allow_key, ing, allow, &n))) {
            p = policy(im, ing, "AccessPolicy");
            p->allow = v;
            p->n_allow = n;
            converted(im, ing, allow_key, "AccessPolicy",
                      "spec.clientAddresses.allow");
        }
    }
    if (c->denylist_source_range) {
        const char **v;
        size_t n;
        if ((v = cidr_list(im, "denylist-source-range", ing,
                           c->denylist_source_range, &n))) {
            p = policy(im, ing, "AccessPolicy");
            p->deny = v;
            p->n_deny = n;
            converted(im, ing, "denylist-source-range", "AccessPolicy",
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
        if (!value_dns_label(out->namespace))
            return false;
    }
    return value_dns_subdomain(out->name);
}

/* gwc's realm: printable ASCII without '"', '\' and '$', not "off"; the
 * annotation's alphabet already keeps the first three out. */
static void realm(struct imp *im, struct ing *ing, struct o_gwc_policy *p)
{
    const char *r = ing->cfg.auth_realm;

    if (!r)
        return;
    if (strlen(r) > 64 || str_eq(r, "off")) {
        report_annotation(im, ing, "auth-realm", DIAG_IMPORT_APPROXIMATED,
                          "gwc takes a realm of at most 64 characters, not "
                          "'off'; the realm is left empty");
        return;
    }
    p->basic_realm = r;
    converted(im, ing, "auth-realm", "AccessPolicy", "spec.basicAuth.realm");
}

static void basic_auth(struct imp *im, struct ing *ing)
{
    static const char *const keys[] = {"auth-secret", "auth-secret-type",
                                       "auth-realm"};
    const struct ing_config *c = &ing->cfg;
    struct o_gwc_policy *p;
    struct o_ref *secret;

    if (!c->auth_type) {
        ignored_without(im, ing, keys, COUNT(keys), "auth-type");
        return;
    }
    if (str_eq(c->auth_type, "digest")) {
        fail_closed(im, ing, "auth-type",
                    "nginx without extra modules has no digest authentication");
        return;
    }
    if (!str_eq(c->auth_type, "basic")) {
        fail_closed(im, ing, "auth-type",
                    "ingress-nginx knows basic and digest, and denies the "
                    "paths for '%s'",
                    report_value(im, c->auth_type));
        return;
    }
    if (!c->auth_secret) {
        fail_closed(im, ing, "auth-type",
                    "no auth-secret names the htpasswd Secret (ingress-nginx "
                    "denies the paths)");
        return;
    }
    secret = ARENA_NEW(im->a, struct o_ref);
    if (!name_ns(im, ing, c->auth_secret, secret)) {
        fail_closed(im, ing, "auth-secret",
                    "not a Secret name or namespace/name");
        return;
    }
    if (c->auth_secret_type && !str_eq(c->auth_secret_type, "auth-file") &&
        !str_eq(c->auth_secret_type, "auth-map")) {
        fail_closed(im, ing, "auth-secret-type",
                    "ingress-nginx knows auth-file and auth-map");
        return;
    }
    p = policy(im, ing, "AccessPolicy");
    p->basic_secret = secret;
    if (c->auth_secret_type && str_eq(c->auth_secret_type, "auth-map"))
        p->basic_format = "UserMap";
    converted(im, ing, "auth-type", "AccessPolicy", "spec.basicAuth");
    converted(im, ing, "auth-secret", "AccessPolicy", "spec.basicAuth.secretRef%s",
              str_eq(secret->namespace, ing->namespace)
                  ? ""
                  : "; ingress-nginx reads a Secret of another namespace only "
                    "with allow-cross-namespace-resources, gwc through the "
                    "generated ReferenceGrant");
    if (c->auth_secret_type)
        converted(im, ing, "auth-secret-type", "AccessPolicy",
                  "spec.basicAuth.format");
    realm(im, ing, p);
}

/* GET is the default; CONNECT and TRACE ingress-nginx allows, gwc not. */
static bool auth_method(struct imp *im, struct ing *ing, struct o_ext_auth *e)
{
    static const char *const methods[] = {"HEAD", "POST", "PUT", "PATCH",
                                          "DELETE", "OPTIONS"};
    const char *m = ing->cfg.auth_method;
    size_t i;

    if (!m || str_eq(m, "GET"))
        return true;
    for (i = 0; i < COUNT(methods); i++) {
        if (str_eq(m, methods[i])) {
            e->method = methods[i];
            return true;
        }
    }
    fail_closed(im, ing, "auth-method",
                "gwc calls the auth service with GET, HEAD, POST, PUT, PATCH, "
                "DELETE or OPTIONS, not '%s'",
                report_value(im, m));
    return false;
}

static bool response_headers(struct imp *im, struct ing *ing, struct o_ext_auth *e)
{
    const char *v = ing->cfg.auth_response_headers;
    size_t i, n;
    const char **h;

    if (!v)
        return true;
    h = value_split_list(im->a, v, &n);
    if (n > MAX_RESPONSE_HEADERS) {
        fail_closed(im, ing, "auth-response-headers",
                    "%zu headers (gwc copies at most %d)", n,
                    MAX_RESPONSE_HEADERS);
        return false;
    }
    for (i = 0; i < n; i++) {
        if (!value_header_name(h[i])) {
            fail_closed(im, ing, "auth-response-headers",
                        "'%s' is not a header name", report_value(im, h[i]));
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
    const char *s = ing->cfg.auth_signin, *param = ing->cfg.auth_signin_redirect_param;
    bool https = false;
    size_t i;

    if (!s) {
        if (param)
            report_annotation(im, ing, "auth-signin-redirect-param",
                              DIAG_IMPORT_IGNORED, "ignored without auth-signin");
        return;
    }
    for (i = 0; i < COUNT(own) && !e->signin_path; i++) {
        size_t n = strlen(own[i]);
        if (strncmp(s, own[i], n) == 0 && !strchr(s + n, '$') &&
            value_gateway_path(s + n)) {
            e->signin_path = s + n;
            https = own[i][0] == 'h';
        }
    }
    if (!e->signin_path && !strchr(s, '$')) {
        struct url u;
        if (value_parse_url(im->a, s, &u))
            e->signin_url = s;
    }
    if (!e->signin_path && !e->signin_url) {
        report_annotation(im, ing, "auth-signin", DIAG_IMPORT_NOT_CONVERTED,
                          "not converted: a sign-in URL with nginx variables "
                          "other than $host; a 401 reaches the client as it is");
        return;
    }
    if (param)
        e->signin_parameter = param;
    report_annotation(im, ing, "auth-signin", DIAG_IMPORT_APPROXIMATED,
                      "converted to gwc policy AccessPolicy/%s "
                      "(spec.externalAuth.signIn), except that the redirect "
                      "parameter carries the original URL without its query "
                      "string%s",
                      policy(im, ing, "AccessPolicy")->name,
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
        converted(im, ing, "auth-request-redirect", "AccessPolicy",
                  "spec.externalAuth.requestRedirect");
    } else if (rr && !str_eq(rr, "$request_uri")) {
        report_annotation(im, ing, "auth-request-redirect",
                          DIAG_IMPORT_APPROXIMATED,
                          "X-Auth-Request-Redirect carries the request URI: "
                          "gwc sends literal values only");
    }
    if (ing->cfg.auth_always_set_cookie == TRI_TRUE) {
        e->set_cookie = "Always";
        converted(im, ing, "auth-always-set-cookie", "AccessPolicy",
                  "spec.externalAuth.setCookie");
    }
    sign_in(im, ing, e);
}

static void external_auth(struct imp *im, struct ing *ing)
{
    static const char *const keys[] = {
        "auth-method", "auth-response-headers", "auth-request-redirect",
        "auth-signin", "auth-signin-redirect-param", "auth-always-set-cookie"};
    const char *v = ing->cfg.auth_url;
    struct o_ext_auth *e;
    const char *svc, *ns;
    struct url u;

    if (!v) {
        ignored_without(im, ing, keys, COUNT(keys), "auth-url");
        return;
    }
    if (strchr(v, '$')) {
        fail_closed(im, ing, "auth-url",
                    "a URL with nginx variables names its host per request; "
                    "write the auth Service's cluster name "
                    "(http://SERVICE.NAMESPACE.svc.cluster.local/path)");
        return;
    }
    if (!value_parse_url(im->a, v, &u)) {
        fail_closed(im, ing, "auth-url", "not an http URL");
        return;
    }
    /* A bare "SERVICE" is resolved from the controller's pod, in its
     * namespace, not the Ingress's: the namespace must be written. */
    if (!str_eq(u.scheme, "http") || u.query || !strchr(u.host, '.') ||
        !service_host(im, u.host, ing->namespace, &svc, &ns)) {
        fail_closed(im, ing, "auth-url",
                    "gwc calls an auth Service by its cluster name over http "
                    "(http://SERVICE.NAMESPACE.svc.cluster.local/path, no "
                    "query); '%s' is not one",
                    report_value(im, v));
        return;
    }
    if (*u.path && !value_gateway_path(u.path)) {
        fail_closed(im, ing, "auth-url", "'%s' is not a path gwc can send",
                    report_value(im, u.path));
        return;
    }
    e = ARENA_NEW(im->a, struct o_ext_auth);
    e->service.name = svc;
    e->service.namespace = ns;
    e->service.port = u.port ? u.port : 80;
    e->path = *u.path && !str_eq(u.path, "/") ? u.path : NULL;
    if (!auth_method(im, ing, e) || !response_headers(im, ing, e))
        return;
    policy(im, ing, "AccessPolicy")->ext_auth = e;
    converted(im, ing, "auth-url", "AccessPolicy", "spec.externalAuth.backendRef%s",
              e->path ? " and path" : "");
    if (e->method)
        converted(im, ing, "auth-method", "AccessPolicy", "spec.externalAuth.method");
    if (e->n_response_headers)
        converted(im, ing, "auth-response-headers", "AccessPolicy",
                  "spec.externalAuth.responseHeaders");
    external_auth_refinements(im, ing, e);
}

/* satisfy: any lets an allowed address or an authentication pass; with
 * only one of them it means what all does. */
static void satisfy(struct imp *im, struct ing *ing)
{
    struct o_gwc_policy *p = &pol(im, ing)->access;
    const char *s = ing->cfg.satisfy;

    if (!s || str_eq(s, "all"))
        return;
    if (!str_eq(s, "any")) {
        report_annotation(im, ing, "satisfy", DIAG_IMPORT_IGNORED,
                          "ignored: ingress-nginx knows 'all' and 'any'");
        return;
    }
    if (!p->n_allow || (!p->basic_secret && !p->ext_auth)) {
        report_annotation(im, ing, "satisfy", DIAG_IMPORT_IGNORED,
                          "'any' with only one of an allow list and an "
                          "authentication means what 'all' means");
        return;
    }
    p->satisfy = "Any";
    converted(im, ing, "satisfy", "AccessPolicy", "spec.satisfy");
}

/* ---- ClientPolicy ---- */

/* nginx's size (bytes, k, m, g) as gwc's (bytes, Ki, Mi, Gi). */
static void body_size(struct imp *im, struct ing *ing)
{
    const char *v = ing->cfg.proxy_body_size;
    size_t n;
    int64_t size;
    char unit;

    if (!v)
        return;
    n = strlen(v);
    unit = (char)(v[n - 1] | 0x20);
    if (unit >= 'a' && unit <= 'z')
        n--;
    if (!value_parse_decimal(arena_strndup(im->a, v, n), 0, MAX_SIZE, &size) ||
        (n < strlen(v) && unit != 'k' && unit != 'm' && unit != 'g')) {
        report_annotation(im, ing, "proxy-body-size", DIAG_IMPORT_NOT_CONVERTED,
                          "not converted: gwc takes 0 to %d bytes, KiB, MiB or "
                          "GiB (nginx's k, m, g)",
                          MAX_SIZE);
        return;
    }
    policy(im, ing, "ClientPolicy")->max_body_size =
        size == 0 || n == strlen(v)
            ? arena_printf(im->a, "%lld", (long long)size)
            : arena_printf(im->a, "%lld%s", (long long)size,
                           unit == 'k' ? "Ki" : unit == 'm' ? "Mi" : "Gi");
    converted(im, ing, "proxy-body-size", "ClientPolicy", "spec.requestBody.maxSize");
}

static void rate(struct imp *im, struct ing *ing, const char *key, int64_t v,
                 const char *per, int64_t mult)
{
    struct o_gwc_policy *p;

    if (v == INT_UNSET)
        return;
    if (v == 0) {
        report_annotation(im, ing, key, DIAG_IMPORT_IGNORED,
                          "0 is ingress-nginx's 'no limit': nothing to convert");
        return;
    }
    if (v > MAX_RATE || v * mult > MAX_RATE) {
        report_annotation(im, ing, key, DIAG_IMPORT_NOT_CONVERTED,
                          "not converted: gwc takes a rate and a burst of at "
                          "most %d",
                          MAX_RATE);
        return;
    }
    p = policy(im, ing, "ClientPolicy");
    p->rates[p->n_rates].requests = v;
    p->rates[p->n_rates].per = per;
    p->rates[p->n_rates].burst = v * mult;
    p->n_rates++;
    converted(im, ing, key, "ClientPolicy",
              "spec.requestLimits.rate, burst %lld = %lld x "
              "limit-burst-multiplier %lld, as ingress-nginx; over it 503",
              (long long)(v * mult), (long long)v, (long long)mult);
}

static void limits(struct imp *im, struct ing *ing)
{
    static const char *const keys[] = {"limit-burst-multiplier",
                                       "limit-allowlist", "limit-whitelist"};
    const struct ing_config *c = &ing->cfg;
    int64_t mult = c->limit_burst_multiplier >= 1 ? c->limit_burst_multiplier : 5;
    const char *exempt_key = c->limit_allowlist ? "limit-allowlist" : "limit-whitelist";
    const char *exempt = c->limit_allowlist ? c->limit_allowlist : c->limit_whitelist;
    struct o_gwc_policy *p;

    rate(im, ing, "limit-rps", c->limit_rps, "Second", mult);
    rate(im, ing, "limit-rpm", c->limit_rpm, "Minute", mult);
    if (c->limit_connections > 0) {
        policy(im, ing, "ClientPolicy")->concurrent = c->limit_connections;
        converted(im, ing, "limit-connections", "ClientPolicy",
                  "spec.requestLimits.concurrent; over it 503");
    }
    p = &pol(im, ing)->client;
    if (!p->n_rates && !p->concurrent) {
        ignored_without(im, ing, keys, COUNT(keys),
                        "limit-rps, limit-rpm or limit-connections");
        return;
    }
    if (c->limit_burst_multiplier != INT_UNSET && p->n_rates)
        converted(im, ing, "limit-burst-multiplier", "ClientPolicy",
                  "spec.requestLimits.rate[].burst");
    if (exempt) {
        const char *why;
        size_t n;
        const char **v = cidrs(im, exempt, MAX_EXEMPT, &n, &why);
        if (!v) {
            report_annotation(im, ing, exempt_key, DIAG_IMPORT_NOT_CONVERTED,
                              "not converted: %s; every client is limited", why);
            return;
        }
        p->exempt = v;
        p->n_exempt = n;
        converted(im, ing, exempt_key, "ClientPolicy",
                  "spec.requestLimits.exemptCIDRs");
    }
}

/* ---- BackendPolicy ---- */

static const char *timeout(struct imp *im, struct ing *ing, const char *key,
                           int64_t v, int64_t max, const char *field)
{
    if (v == INT_UNSET)
        return NULL;
    if (v > max) {
        report_annotation(im, ing, key, DIAG_IMPORT_APPROXIMATED,
                          "%lld s is longer than nginx waits (%lld s): "
                          "written as that",
                          (long long)v, (long long)max);
        v = max;
    }
    converted(im, ing, key, "BackendPolicy", "spec.timeouts.%s", field);
    return value_duration_seconds(im->a, v);
}

static void timeouts(struct imp *im, struct ing *ing)
{
    const struct ing_config *c = &ing->cfg;
    struct o_gwc_policy *p;

    if (c->proxy_connect_timeout == INT_UNSET && c->proxy_send_timeout == INT_UNSET &&
        c->proxy_read_timeout == INT_UNSET)
        return;
    p = policy(im, ing, "BackendPolicy");
    p->connect_timeout = timeout(im, ing, "proxy-connect-timeout",
                                 c->proxy_connect_timeout, MAX_CONNECT, "connect");
    p->send_timeout = timeout(im, ing, "proxy-send-timeout", c->proxy_send_timeout,
                              MAX_TIMEOUT, "send");
    p->read_timeout = timeout(im, ing, "proxy-read-timeout", c->proxy_read_timeout,
                              MAX_TIMEOUT, "read");
}

void imp_policies_feature(struct imp *im, struct ing *ing)
{
    source_ranges(im, ing);
    basic_auth(im, ing);
    external_auth(im, ing);
    satisfy(im, ing);
    body_size(im, ing);
    limits(im, ing);
    timeouts(im, ing);
}

/* ---- targets ---- */

static bool forwards(const struct o_rule *r)
{
    return !r->filters || !r->filters->redirect;
}

static bool has_policy(const struct ing *ing)
{
    const struct ing_policies *p = ing->pol;

    return p && (p->has_access || p->has_client || p->has_backend);
}

static void add_target(struct imp *im, struct ing *ing, const struct o_route *r,
                       const char *section)
{
    struct pol_target *t = ARENA_NEW(im->a, struct pol_target);

    t->namespace = r->namespace;
    t->t.kind = r->kind;
    t->t.name = r->name;
    t->t.section = section;
    ptrvec_push(im->a, &ing->pol->targets, t);
}

static const char *rule_name(struct imp *im, const struct host_group *g,
                             struct ing *ing, struct o_rule *rule)
{
    const char *base;

    if (rule->name)
        return rule->name;
    base = ing->pol->n_rule_names++
               ? arena_printf(im->a, "%s-%zu", ing->src->obj.meta.name,
                              ing->pol->n_rule_names)
               : ing->src->obj.meta.name;
    rule->name = name_claim(im,
                            arena_printf(im->a, "rule/%s/%s/%s", g->namespace,
                                         g->klass, g->host),
                            base, 253);
    return rule->name;
}

void imp_policies_target(struct imp *im, const struct host_group *g,
                     const struct o_route *r)
{
    size_t i, k;

    for (i = 0; i < r->rules.n; i++) {
        const struct o_rule *rule = r->rules.v[i];
        struct ing *ing = (struct ing *)rule->source;
        bool seen = false, whole = true;

        if (!ing || !has_policy(ing) || !forwards(rule))
            continue;
        for (k = 0; k < r->rules.n; k++) {
            const struct o_rule *o = r->rules.v[k];
            if (!forwards(o))
                continue;
            if (k < i && o->source == ing)
                seen = true;
            if (o->source != ing)
                whole = false;
        }
        if (seen)
            continue;
        if (whole) {
            add_target(im, ing, r, NULL);
            continue;
        }
        for (k = i; k < r->rules.n; k++) {
            struct o_rule *o = r->rules.v[k];
            if (o->source == ing && forwards(o))
                add_target(im, ing, r, rule_name(im, g, ing, o));
        }
    }
}

/* ---- the policies ---- */

/* Copies of one policy for the targets of namespace ns, at most 16 each. */
static void emit(struct imp *im, struct ing *ing, const struct o_gwc_policy *tpl,
                 const char *ns, const char *suffix)
{
    const struct ptrvec *targets = &ing->pol->targets;
    struct o_gwc_policy *p = NULL;
    size_t i, parts = 0;

    for (i = 0; i < targets->n; i++) {
        const struct pol_target *t = targets->v[i];
        if (!str_eq(t->namespace, ns))
            continue;
        if (!p || p->targets.n == MAX_TARGETS) {
            p = ARENA_NEW(im->a, struct o_gwc_policy);
            *p = *tpl;
            memset(&p->targets, 0, sizeof(p->targets));
            p->namespace = ns;
            if (parts++ || !str_eq(ns, tpl->namespace))
                p->name = policy_name(im, ing, tpl->kind, ns,
                                      parts > 1 ? arena_printf(im->a, "%s-%02zu",
                                                               suffix, parts)
                                                : suffix);
            ptrvec_push(im->a, &im->gwc_policies, p);
            grants_for_policy(im, p);
        }
        ptrvec_push(im->a, &p->targets, (void *)&t->t);
    }
    if (parts > 1 && (tpl->n_rates || tpl->concurrent))
        report_node(im, ing, ing->src->obj.meta.src, DIAG_IMPORT_APPROXIMATED,
                    "the rules of this Ingress need %zu ClientPolicies (at "
                    "most %d targets each), and each counts its rate and "
                    "connection limits apart",
                    parts, MAX_TARGETS);
}

/* Denies every client: what an Ingress whose access control was not
 * converted exactly gets instead. */
static void deny_all(struct imp *im, struct o_gwc_policy *a)
{
    static const char *const all[] = {"0.0.0.0/0", "::/0"};

    a->allow = NULL;
    a->n_allow = 0;
    a->basic_secret = NULL;
    a->ext_auth = NULL;
    a->satisfy = NULL;
    a->deny = ARENA_NEW_ARRAY(im->a, const char *, 2);
    memcpy(a->deny, all, sizeof(all));
    a->n_deny = 2;
}

static void ingress_policies(struct imp *im, struct ing *ing)
{
    struct ing_policies *p = ing->pol;
    struct ptrvec namespaces = {0};
    size_t i, k;

    access_notes(im, ing);
    if (p->fail_closed && im->o->allow_insecure)
        report_node(im, ing, p->insecure_at, DIAG_IMPORT_INSECURE,
                    "Ingress %s/%s is served WITHOUT access control "
                    "ingress-nginx enforces on it (--allow-insecure-import); "
                    "convert it by hand before the output is applied",
                    ing->namespace, ing->src->obj.meta.name);
    else if (p->fail_closed)
        deny_all(im, &p->access);
    if (p->has_access && !p->access.n_allow && !p->access.n_deny &&
        !p->access.basic_secret && !p->access.ext_auth)
        p->has_access = false; /* --allow-insecure-import left nothing */
    for (i = 0; i < p->targets.n; i++) {
        const char *ns = ((const struct pol_target *)p->targets.v[i])->namespace;
        for (k = 0; k < namespaces.n && !str_eq(namespaces.v[k], ns); k++)
            ;
        if (k == namespaces.n)
            ptrvec_push(im->a, &namespaces, (void *)ns);
    }
    for (k = 0; k < namespaces.n; k++) {
        if (p->has_access)
            emit(im, ing, &p->access, namespaces.v[k], "access");
        if (p->has_client)
            emit(im, ing, &p->client, namespaces.v[k], "client");
        if (p->has_backend)
            emit(im, ing, &p->backend, namespaces.v[k], "backend");
    }
}

void imp_policies_build(struct imp *im)
{
    size_t i;

    for (i = 0; i < NX(im)->ings.n; i++) {
        struct ing *ing = NX(im)->ings.v[i];
        if (has_policy(ing))
            ingress_policies(im, ing);
    }
}
