/*
 * The ingress-nginx annotations, one table row each: how the value is
 * typed and validated, where it is stored for the feature that converts it,
 * or why it is not converted.  Every nginx.ingress.kubernetes.io/ key of an
 * Ingress meets this table exactly once, so nothing is dropped unreported:
 * converted values land in struct ing_config (the features report what
 * they approximate), the rest are reported here, by name, with the reason.
 *
 * Values are checked with anchored allowlists (values.c) modelled on
 * ingress-nginx's validators; a value ingress-nginx's validation refuses is
 * refused here too, and the annotation then counts as absent, as it does in
 * the controller; except access control (allow lists, authentication),
 * which fails closed instead (policies.c): ingress-nginx serves such a
 * path without the check, the import does not.
 */
#include "nx.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/strbuf.h"

#include <stddef.h>
#include <string.h>

#define MAX_VALUE 4096

enum ann_type {
    AT_BOOL,    /* strconv.ParseBool, to enum tri */
    AT_ONOFF,   /* "on" or "off", to enum tri */
    AT_INT,     /* decimal in [min, max], to int64_t */
    AT_STRING,  /* an alphabet, to const char * */
    AT_NO,      /* not converted: note says why */
    AT_SNIPPET, /* raw nginx configuration: never */
};

/* Read on canary Ingresses.  ingress-nginx applies the main Ingress's
 * annotations to canary traffic and ignores the canary's own, except the
 * canary family, load-balance, upstream-hash-by and session affinity. */
#define F_CANARY 1u
/* Access control: a value not converted exactly fails closed
 * (policies.c). */
#define F_DENY 2u
/* AT_NO: converted with a difference, not left out. */
#define F_APPROX 4u

struct ann_spec {
    const char *name; /* after "nginx.ingress.kubernetes.io/" */
    enum ann_type type;
    unsigned flags;
    size_t offset;        /* in struct ing_config */
    const char *alphabet; /* AT_STRING: allowed besides [A-Za-z0-9] */
    int64_t min, max;     /* AT_INT: bounds; AT_STRING: max length (0: MAX_VALUE) */
    const char *note;     /* AT_NO: why it is not converted */
    const char *noop;     /* AT_NO: the value that changes nothing */
};

#define CFG(f) offsetof(struct ing_config, f)
#define BOOL(n, f, fl) {n, AT_BOOL, fl, CFG(f), NULL, 0, 0, NULL, NULL}
#define ONOFF(n, f) {n, AT_ONOFF, 0, CFG(f), NULL, 0, 0, NULL, NULL}
#define INT(n, f, lo, hi, fl) {n, AT_INT, fl, CFG(f), NULL, lo, hi, NULL, NULL}
#define STR(n, f, alpha, fl) {n, AT_STRING, fl, CFG(f), alpha, 0, 0, NULL, NULL}
/* A value the output writes into a field shorter than MAX_VALUE: a
 * Gateway API path or rewrite, a gwc policy's URL. */
#define STR_MAX(n, f, alpha, fl, max) {n, AT_STRING, fl, CFG(f), alpha, 0, max, NULL, NULL}
#define PATH_LEN 1024
#define URL_LEN 2048
#define NO(n, why) {n, AT_NO, 0, 0, NULL, 0, 0, why, NULL}
#define NO_C(n, why) {n, AT_NO, F_CANARY, 0, NULL, 0, 0, why, NULL}
#define DENY(n, why) {n, AT_NO, F_DENY, 0, NULL, 0, 0, why, NULL}
#define ACCESS(n, f, alpha) {n, AT_STRING, F_DENY, CFG(f), alpha, 0, 0, NULL, NULL}
/* Read on canaries too: ingress-nginx takes a host's client certificates
 * from the first Ingress of the host that sets them, canary or not. */
#define ACCESS_C(n, f, alpha)                                                  \
    {n, AT_STRING, F_DENY | F_CANARY, CFG(f), alpha, 0, 0, NULL, NULL}
#define APPROX(n, why) {n, AT_NO, F_APPROX, 0, NULL, 0, 0, why, NULL}
#define ALPHA_CIDRS ".:/, "
#define NOOP(n, value, why) {n, AT_NO, 0, 0, NULL, 0, 0, why, value}
#define SNIPPET(n) {n, AT_SNIPPET, 0, 0, NULL, 0, 0, NULL, NULL}

#define WHY_AUTH_CACHE "gwc asks the auth service on every request (stricter)"
#define WHY_AUTH_KEEPALIVE "gwc opens a connection to the auth service per " \
    "request (connection reuse only)"
#define WHY_BANDWIDTH "bandwidth limits are not in gwc policies"
#define WHY_LIMIT "global (cluster-wide) rate limits need a shared store " \
    "nginx OSS does not have"
#define WHY_BUFFER "buffering and body sizes are implementation settings " \
    "with no Gateway API field"
#define WHY_HASH "hashing onto a subset of the endpoints is not in gwc " \
    "policies"
#define WHY_COOKIE "Gateway API session persistence has no such cookie " \
    "attribute"
#define WHY_OBSERVE "logging and tracing are implementation settings"
#define WHY_WAF "the ModSecurity WAF has no Gateway API equivalent"
#define WHY_BTLS "BackendTLSPolicy has no ciphers, protocols or verify " \
    "depth"

static const struct ann_spec specs[] = {
    STR("affinity", affinity, "", F_CANARY),
    NO_C("affinity-canary-behavior", "Gateway API session persistence does "
         "not distinguish canary backends"),
    NO_C("affinity-mode", "Gateway API session persistence has no balanced "
         "or persistent mode"),
    ACCESS("allowlist-source-range", allowlist_source_range, ALPHA_CIDRS),
    STR_MAX("app-root", app_root, ALPHA_PATH, 0, PATH_LEN),
    BOOL("auth-always-set-cookie", auth_always_set_cookie, 0),
    APPROX("auth-cache-duration", WHY_AUTH_CACHE),
    APPROX("auth-cache-key", WHY_AUTH_CACHE),
    APPROX("auth-keepalive", WHY_AUTH_KEEPALIVE),
    APPROX("auth-keepalive-requests", WHY_AUTH_KEEPALIVE),
    APPROX("auth-keepalive-share-vars", WHY_AUTH_KEEPALIVE),
    APPROX("auth-keepalive-timeout", WHY_AUTH_KEEPALIVE),
    ACCESS("auth-method", auth_method, ""),
    DENY("auth-proxy-set-headers", "the headers of a ConfigMap sent to the "
         "auth service are not converted (the auth decision may depend on "
         "them)"),
    STR("auth-realm", auth_realm, ALPHA_BASIC " ", 0),
    STR("auth-request-redirect", auth_request_redirect, ALPHA_URL "$", 0),
    ACCESS("auth-response-headers", auth_response_headers, ALPHA_HEADERS),
    ACCESS("auth-secret", auth_secret, ALPHA_BASIC),
    ACCESS("auth-secret-type", auth_secret_type, "-"),
    STR_MAX("auth-signin", auth_signin, ALPHA_URL "$", 0, URL_LEN),
    STR("auth-signin-redirect-param", auth_signin_redirect_param, "-_.", 0),
    DENY("auth-snippet", "an auth snippet is raw nginx configuration, never "
         "imported"),
    APPROX("auth-tls-error-page", "a missing or invalid client certificate "
           "closes the connection (Gateway API) instead of showing this page"),
    ACCESS_C("auth-tls-match-cn", auth_tls_match_cn, ALPHA_REGEX "=, "),
    BOOL("auth-tls-pass-certificate-to-upstream", auth_tls_pass_certificate, 0),
    ACCESS_C("auth-tls-secret", auth_tls_secret, ALPHA_BASIC),
    ACCESS_C("auth-tls-verify-client", auth_tls_verify_client, "_"),
    INT("auth-tls-verify-depth", auth_tls_verify_depth, 0, 2147483647, F_CANARY),
    ACCESS("auth-type", auth_type, ""),
    STR_MAX("auth-url", auth_url, ALPHA_URL "$", F_DENY, URL_LEN),
    STR("backend-protocol", backend_protocol, "_", 0),
    BOOL("canary", canary, F_CANARY),
    STR("canary-by-cookie", canary_by_cookie, ALPHA_BASIC, F_CANARY),
    STR("canary-by-header", canary_by_header, ALPHA_BASIC, F_CANARY),
    STR("canary-by-header-pattern", canary_by_header_pattern, ALPHA_REGEX,
        F_CANARY),
    STR("canary-by-header-value", canary_by_header_value, ALPHA_BASIC,
        F_CANARY),
    INT("canary-weight", canary_weight, 0, 1000000, F_CANARY),
    INT("canary-weight-total", canary_weight_total, 1, 1000000, F_CANARY),
    NO("client-body-buffer-size", "gwc policies have no request body buffer "
       "size (nginx buffers larger bodies in a file)"),
    SNIPPET("configuration-snippet"),
    STR("connection-proxy-header", connection_proxy_header, "-", 0),
    BOOL("cors-allow-credentials", cors_allow_credentials, 0),
    STR("cors-allow-headers", cors_allow_headers, ALPHA_HEADERS, 0),
    STR("cors-allow-methods", cors_allow_methods, ", ", 0),
    STR("cors-allow-origin", cors_allow_origin, "-.:/*, ", 0),
    STR("cors-expose-headers", cors_expose_headers, ALPHA_HEADERS "*", 0),
    INT("cors-max-age", cors_max_age, 1, 2147483647, 0),
    STR("custom-headers", custom_headers, ALPHA_BASIC, 0),
    STR("custom-http-errors", custom_http_errors, ",", 0),
    STR("default-backend", default_backend, "-.", 0),
    ACCESS("denylist-source-range", denylist_source_range, ALPHA_CIDRS),
    NOOP("disable-proxy-intercept-errors", "false", "intercepting upstream "
         "error codes has no Gateway API equivalent"),
    NOOP("enable-access-log", "true", WHY_OBSERVE),
    BOOL("enable-cors", enable_cors, 0),
    NO("enable-global-auth", "the ConfigMap's global external auth is not "
       "converted"),
    NOOP("enable-modsecurity", "false", WHY_WAF),
    NOOP("enable-opentelemetry", "false", WHY_OBSERVE),
    NOOP("enable-owasp-core-rules", "false", WHY_WAF),
    NOOP("enable-rewrite-log", "false", WHY_OBSERVE),
    BOOL("force-ssl-redirect", force_ssl_redirect, 0),
    BOOL("from-to-www-redirect", from_to_www_redirect, 0),
    NO("global-rate-limit", WHY_LIMIT),
    NO("global-rate-limit-ignored-cidrs", WHY_LIMIT),
    NO("global-rate-limit-key", WHY_LIMIT),
    NO("global-rate-limit-window", WHY_LIMIT),
    NOOP("http2-push-preload", "false", "HTTP/2 server push has no Gateway "
         "API equivalent"),
    STR("limit-allowlist", limit_allowlist, ALPHA_CIDRS, 0),
    INT("limit-burst-multiplier", limit_burst_multiplier, 0, 1000000, 0),
    INT("limit-connections", limit_connections, 0, 2147483647, 0),
    NO("limit-rate", WHY_BANDWIDTH),
    NO("limit-rate-after", WHY_BANDWIDTH),
    INT("limit-rpm", limit_rpm, 0, 2147483647, 0),
    INT("limit-rps", limit_rps, 0, 2147483647, 0),
    STR("limit-whitelist", limit_whitelist, ALPHA_CIDRS, 0),
    STR("load-balance", load_balance, "_", F_CANARY),
    STR("mirror-host", mirror_host, "-.", 0),
    ONOFF("mirror-request-body", mirror_request_body),
    STR("mirror-target", mirror_target, ALPHA_URL "$", 0),
    NO("modsecurity-transaction-id", WHY_WAF),
    SNIPPET("modsecurity-snippet"),
    NO("opentelemetry-operation-name", WHY_OBSERVE),
    NO("opentelemetry-trust-incoming-span", WHY_OBSERVE),
    INT("permanent-redirect-code", permanent_redirect_code, 0, 999, 0),
    STR("permanent-redirect", permanent_redirect, ALPHA_URL, 0),
    BOOL("preserve-trailing-slash", preserve_trailing_slash, 0),
    STR("proxy-body-size", proxy_body_size, "", 0),
    NO("proxy-buffer-size", WHY_BUFFER),
    NOOP("proxy-buffering", "off", WHY_BUFFER),
    NO("proxy-buffers-number", WHY_BUFFER),
    NO("proxy-busy-buffers-size", WHY_BUFFER),
    INT("proxy-connect-timeout", proxy_connect_timeout, 1, 359999999, 0),
    NO("proxy-cookie-domain", "Set-Cookie rewriting has no Gateway API filter"),
    NO("proxy-cookie-path", "Set-Cookie rewriting has no Gateway API filter"),
    NOOP("proxy-http-version", "1.1", "the upstream HTTP version follows the "
         "Service port's appProtocol"),
    NO("proxy-max-temp-file-size", WHY_BUFFER),
    STR("proxy-next-upstream", proxy_next_upstream, "_ ", 0),
    INT("proxy-next-upstream-timeout", proxy_next_upstream_timeout, 0,
        2147483647, 0),
    INT("proxy-next-upstream-tries", proxy_next_upstream_tries, 0, 2147483647,
        0),
    INT("proxy-read-timeout", proxy_read_timeout, 1, 359999999, 0),
    NO("proxy-redirect-from", "rewriting Location headers of responses has "
       "no Gateway API filter"),
    NO("proxy-redirect-to", "rewriting Location headers of responses has no "
       "Gateway API filter"),
    NOOP("proxy-request-buffering", "on", WHY_BUFFER),
    INT("proxy-send-timeout", proxy_send_timeout, 1, 359999999, 0),
    NO("proxy-ssl-ciphers", WHY_BTLS),
    NO("proxy-ssl-location-only", "BackendTLSPolicy applies to the Service, "
       "not to one location"),
    STR("proxy-ssl-name", proxy_ssl_name, "-.", 0),
    NO("proxy-ssl-protocols", WHY_BTLS),
    STR("proxy-ssl-secret", proxy_ssl_secret, ALPHA_BASIC, 0),
    ONOFF("proxy-ssl-server-name", proxy_ssl_server_name),
    ONOFF("proxy-ssl-verify", proxy_ssl_verify),
    NO("proxy-ssl-verify-depth", WHY_BTLS),
    NOOP("relative-redirects", "false", "relative Location headers have no "
         "Gateway API equivalent"),
    STR_MAX("rewrite-target", rewrite_target, ALPHA_PATH, 0, PATH_LEN),
    STR("satisfy", satisfy, "", 0),
    STR("server-alias", server_alias, ALPHA_REGEX ", ", 0),
    SNIPPET("server-snippet"),
    NOOP("service-upstream", "false", "proxying to the Service cluster IP "
         "instead of its endpoints is an implementation choice"),
    NO_C("session-cookie-change-on-failure", WHY_COOKIE),
    NO_C("session-cookie-conditional-samesite-none", WHY_COOKIE),
    NO_C("session-cookie-domain", WHY_COOKIE),
    INT("session-cookie-expires", session_cookie_expires, 0, 359999999,
        F_CANARY),
    INT("session-cookie-max-age", session_cookie_max_age, 0, 359999999,
        F_CANARY),
    STR("session-cookie-name", session_cookie_name, "-_", F_CANARY),
    STR("session-cookie-path", session_cookie_path, ALPHA_BASIC, F_CANARY),
    NO_C("session-cookie-samesite", WHY_COOKIE),
    NO_C("session-cookie-secure", WHY_COOKIE),
    NO("ssl-ciphers", "TLS settings are per listener, in implementation-"
       "specific tls.options"),
    BOOL("ssl-passthrough", ssl_passthrough, 0),
    NO("ssl-prefer-server-ciphers", "TLS settings are per listener, in "
       "implementation-specific tls.options"),
    BOOL("ssl-redirect", ssl_redirect, 0),
    SNIPPET("stream-snippet"),
    INT("temporal-redirect-code", temporal_redirect_code, 0, 999, 0),
    STR("temporal-redirect", temporal_redirect, ALPHA_URL, 0),
    STR("upstream-hash-by", upstream_hash_by, "$_", F_CANARY),
    {"upstream-hash-by-subset", AT_NO, F_CANARY, 0, NULL, 0, 0, WHY_HASH, NULL},
    {"upstream-hash-by-subset-size", AT_NO, F_CANARY, 0, NULL, 0, 0, WHY_HASH,
     NULL},
    STR("upstream-vhost", upstream_vhost, "-.:", 0),
    BOOL("use-regex", use_regex, 0),
    NOOP("use-port-in-redirects", "false", "port_in_redirect has no Gateway "
         "API equivalent"),
    ACCESS("whitelist-source-range", whitelist_source_range, ALPHA_CIDRS),
    STR_MAX("x-forwarded-prefix", x_forwarded_prefix, ALPHA_PATH, 0, PATH_LEN),
};

static const struct ann_spec *find_spec(const char *name)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(specs); i++) {
        if (strcmp(specs[i].name, name) == 0)
            return &specs[i];
    }
    return NULL;
}

static bool noop_value(const struct ann_spec *sp, const char *v)
{
    bool b1, b2;

    if (!sp->noop)
        return false;
    if (imp_value_parse_go_bool(sp->noop, &b1) && imp_value_parse_go_bool(v, &b2))
        return b1 == b2;
    return strcmp(sp->noop, v) == 0;
}

static void refuse(struct imp *im, struct ing *ing, const struct ann_spec *sp,
                   const struct strmap_entry *e, const char *what)
{
    /* what: ingress-nginx refuses it; NULL, a value past gwc's length
     * limit, which ingress-nginx takes */
    bool own = !what;

    if (own && sp->max && sp->type == AT_STRING)
        what = arena_printf(im->a, "is longer than %lld characters, the most its "
                                   "field in the output takes", (long long)sp->max);
    else if (own)
        what = arena_printf(im->a, "is longer than %d characters, gwc's limit",
                            MAX_VALUE);
    if (sp->flags & F_DENY)
        nx_fail_closed(im, ing, e->src, "'%s' %s; %s",
                       imp_report_value(im, e->value), what,
                       own ? "not converted" : "ingress-nginx's validation refuses "
                                               "the value");
    else
        nx_report_node(im, ing, e->src,
                       own ? DIAG_IMPORT_NOT_CONVERTED : DIAG_IMPORT_BAD_VALUE,
                       "'%s' %s; %s", imp_report_value(im, e->value), what,
                       own ? "not converted"
                           : "ingress-nginx refuses the value and so does the "
                             "import");
}

/* Decodes one converted annotation into ing->cfg. */
static void store(struct imp *im, struct ing *ing, const struct ann_spec *sp,
                  const struct strmap_entry *e)
{
    char *field = (char *)&ing->cfg + sp->offset;
    const char *v = e->value;
    bool b;
    int64_t i;

    if (!*v)
        return; /* ingress-nginx reads an empty value as absent */
    switch (sp->type) {
    case AT_BOOL:
        if (!imp_value_parse_go_bool(v, &b))
            refuse(im, ing, sp, e, "is not a boolean (true or false)");
        else
            *(enum tri *)(void *)field = b ? TRI_TRUE : TRI_FALSE;
        return;
    case AT_ONOFF:
        if (!str_eq(v, "on") && !str_eq(v, "off"))
            refuse(im, ing, sp, e, "is neither on nor off");
        else
            *(enum tri *)(void *)field = str_eq(v, "on") ? TRI_TRUE : TRI_FALSE;
        return;
    case AT_INT:
        if (!imp_value_parse_decimal(v, sp->min, sp->max, &i))
            refuse(im, ing, sp, e,
                   arena_printf(im->a, "is not an integer from %lld to %lld",
                                (long long)sp->min, (long long)sp->max));
        else
            *(int64_t *)(void *)field = i;
        return;
    case AT_STRING:
        if (strlen(v) > (sp->max ? (size_t)sp->max : MAX_VALUE))
            refuse(im, ing, sp, e, NULL);
        else if (!imp_value_in_alphabet(v, sp->alphabet))
            refuse(im, ing, sp, e,
                   arena_printf(im->a, "has characters outside [A-Za-z0-9%s]",
                                sp->alphabet));
        else
            *(const char **)(void *)field = v;
        return;
    case AT_NO:
    case AT_SNIPPET:
        break;
    }
    BUG("store() on an annotation that is not converted");
}

void nx_annotations_one(struct imp *im, struct ing *ing,
                        const struct strmap_entry *e, bool canary, bool passthrough)
{
    const char *name = e->key + strlen(NGINX_PREFIX);
    const struct ann_spec *sp = find_spec(name);

    if (!sp) {
        nx_report_node(im, ing, e->src, DIAG_IMPORT_NOT_CONVERTED,
                       "unknown annotation: not one ingress-nginx reads (or one "
                       "it removed); not converted");
        return;
    }
    if (!canary && strncmp(name, "canary-", 7) == 0) {
        nx_report_node(im, ing, e->src, DIAG_IMPORT_IGNORED,
                       "ignored: the Ingress is not marked canary: \"true\", so "
                       "ingress-nginx ignores its canary settings");
        return;
    }
    if (canary && !(sp->flags & F_CANARY)) {
        nx_report_node(im, ing, e->src, DIAG_IMPORT_IGNORED,
                       "ignored on a canary Ingress: ingress-nginx applies the "
                       "main Ingress's annotations to canary traffic");
        return;
    }
    if (passthrough && strcmp(name, "ssl-passthrough") != 0) {
        nx_report_node(im, ing, e->src, DIAG_IMPORT_IGNORED,
                       "ignored with ssl-passthrough: ingress-nginx forwards the "
                       "TLS stream without looking at HTTP");
        return;
    }
    switch (sp->type) {
    case AT_SNIPPET:
        nx_report_node(im, ing, e->src, DIAG_IMPORT_SNIPPET,
                       "raw nginx configuration is never imported; express what "
                       "it does with Gateway API filters, or leave it behind");
        return;
    case AT_NO:
        if (noop_value(sp, e->value))
            nx_report_node(im, ing, e->src, DIAG_IMPORT_IGNORED,
                           "'%s' is ingress-nginx's default: nothing to convert",
                           imp_report_value(im, e->value));
        else if (sp->flags & F_DENY)
            nx_fail_closed(im, ing, e->src, "%s", sp->note);
        else if (sp->flags & F_APPROX)
            nx_report_node(im, ing, e->src, DIAG_IMPORT_APPROXIMATED,
                           "approximated: %s", sp->note);
        else
            nx_report_node(im, ing, e->src, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: %s", sp->note);
        return;
    default:
        store(im, ing, sp, e);
    }
}

static void config_init(struct ing_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg)); /* strings NULL, enum tri TRI_UNSET */
    cfg->canary_weight = cfg->canary_weight_total = INT_UNSET;
    cfg->permanent_redirect_code = cfg->temporal_redirect_code = INT_UNSET;
    cfg->proxy_connect_timeout = cfg->proxy_send_timeout = INT_UNSET;
    cfg->proxy_read_timeout = cfg->cors_max_age = INT_UNSET;
    cfg->session_cookie_expires = cfg->session_cookie_max_age = INT_UNSET;
    cfg->limit_rps = cfg->limit_rpm = cfg->limit_connections = INT_UNSET;
    cfg->limit_burst_multiplier = cfg->auth_tls_verify_depth = INT_UNSET;
    cfg->proxy_next_upstream_tries = cfg->proxy_next_upstream_timeout = INT_UNSET;
}

void nx_annotations_parse(struct imp *im, struct ing *ing)
{
    const struct strmap *m = &ing->src->obj.meta.annotations;
    size_t plen = strlen(NGINX_PREFIX), i;
    bool canary, passthrough;
    const struct strmap_entry *e;

    config_init(&ing->cfg);
    /* canary and ssl-passthrough decide how the others are read. */
    for (i = 0; i < m->n; i++) {
        e = &m->v[i];
        if (str_eq(e->key, NGINX_PREFIX "canary"))
            store(im, ing, find_spec("canary"), e);
        else if (str_eq(e->key, NGINX_PREFIX "ssl-passthrough"))
            store(im, ing, find_spec("ssl-passthrough"), e);
    }
    canary = ing->cfg.canary == TRI_TRUE;
    passthrough = !canary && ing->cfg.ssl_passthrough == TRI_TRUE;
    if (canary && ing->cfg.ssl_passthrough != TRI_UNSET) {
        nx_report_annotation(im, ing, "ssl-passthrough", DIAG_IMPORT_IGNORED,
                             "ignored on a canary Ingress: ingress-nginx applies "
                             "the main Ingress's annotations to canary traffic");
        ing->cfg.ssl_passthrough = TRI_UNSET;
    }
    for (i = 0; i < m->n; i++) {
        e = &m->v[i];
        if (strncmp(e->key, NGINX_PREFIX, plen) != 0 ||
            str_eq(e->key, NGINX_PREFIX "canary") ||
            str_eq(e->key, NGINX_PREFIX "ssl-passthrough"))
            continue;
        nx_annotations_one(im, ing, e, canary, passthrough);
    }
}
