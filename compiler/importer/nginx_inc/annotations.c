/*
 * NIC's Ingress annotations (nginx.org/ and nginx.com/, the latter NGINX
 * Plus only), one table row each: converted into struct nic_ann, or
 * reported with the reason.  Every annotation with those prefixes meets the
 * table, so none is dropped unreported; a name NIC does not read is
 * reported too.
 *
 * Access control (basic auth, JWT) and snippets, which may hold allow/deny
 * rules, are not converted: the Ingress's locations are then written
 * without backends (the Gateway answers 500), never served openly.  Policy
 * references (nginx.org/policies) are resolved by policy_refs.c.
 *
 * Reference: docs.nginx.com/nginx-ingress-controller/configuration/
 * ingress-resources/advanced-configuration-with-annotations/
 */
#include "nic.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"

#include <stdint.h>
#include <string.h>

enum nic_ann_kind {
    NA_CONVERT, /* handled in decode() */
    NA_DENY,    /* access control: fail closed */
    NA_NO,      /* not converted: why */
    NA_DROP,    /* meaningless after migration: a note */
};

struct nic_ann_spec {
    const char *name; /* after the prefix */
    enum nic_ann_kind kind;
    const char *why;
};

#define WHY_AUTH "authentication has no standard Gateway API filter"
#define WHY_SNIPPET "raw nginx configuration is never imported, and a " \
    "snippet may restrict access (allow/deny)"
#define WHY_UPSTREAM "load balancing and upstream tuning are implementation " \
    "settings with no Gateway API field"
#define WHY_BUFFER "buffering and body sizes are implementation settings " \
    "with no Gateway API field"
#define WHY_TLS "TLS versions and ciphers are implementation settings"

static const struct nic_ann_spec specs[] = {
    {"add-header", NA_NO, "response headers with 'always' have no Gateway API form"},
    {"app-protect-dos-resource", NA_NO, "NGINX App Protect has no Gateway API equivalent"},
    {"basic-auth-realm", NA_DENY, WHY_AUTH},
    {"basic-auth-secret", NA_DENY, WHY_AUTH},
    {"client-body-buffer-size", NA_NO, WHY_BUFFER},
    {"client-max-body-size", NA_CONVERT, NULL},
    {"custom-listen-ports", NA_NO, "listen ports are the Gateway's listeners"},
    {"error-pages", NA_NO, "custom error pages have no Gateway API equivalent"},
    {"fail-timeout", NA_NO, WHY_UPSTREAM},
    {"grpc-services", NA_CONVERT, NULL},
    {"health-checks", NA_NO, WHY_UPSTREAM},
    {"health-checks-mandatory", NA_NO, WHY_UPSTREAM},
    {"health-checks-mandatory-queue", NA_NO, WHY_UPSTREAM},
    {"hsts", NA_CONVERT, NULL},
    {"hsts-behind-proxy", NA_CONVERT, NULL},
    {"hsts-include-subdomains", NA_CONVERT, NULL},
    {"hsts-max-age", NA_CONVERT, NULL},
    {"http-redirect-code", NA_CONVERT, NULL},
    {"jwt-key", NA_DENY, WHY_AUTH},
    {"jwt-login-url", NA_DENY, WHY_AUTH},
    {"jwt-realm", NA_DENY, WHY_AUTH},
    {"jwt-token", NA_DENY, WHY_AUTH},
    {"keepalive", NA_CONVERT, NULL},
    {"lb-method", NA_CONVERT, NULL},
    {"limit-req-burst", NA_CONVERT, NULL},
    {"limit-req-delay", NA_CONVERT, NULL},
    {"limit-req-dry-run", NA_CONVERT, NULL},
    {"limit-req-key", NA_CONVERT, NULL},
    {"limit-req-log-level", NA_CONVERT, NULL},
    {"limit-req-no-delay", NA_CONVERT, NULL},
    {"limit-req-rate", NA_CONVERT, NULL},
    {"limit-req-reject-code", NA_CONVERT, NULL},
    {"limit-req-scale", NA_CONVERT, NULL},
    {"limit-req-zone-size", NA_CONVERT, NULL},
    {"listen-ports", NA_NO, "listen ports are the Gateway's listeners"},
    {"listen-ports-ssl", NA_NO, "listen ports are the Gateway's listeners"},
    {"location-snippets", NA_DENY, WHY_SNIPPET},
    {"max-conns", NA_NO, WHY_UPSTREAM},
    {"max-fails", NA_NO, WHY_UPSTREAM},
    {"mergeable-ingress-type", NA_CONVERT, NULL},
    {"path-regex", NA_CONVERT, NULL},
    {"policies", NA_CONVERT, NULL},
    {"proxy-buffer-size", NA_NO, WHY_BUFFER},
    {"proxy-buffering", NA_CONVERT, NULL},
    {"proxy-buffers", NA_NO, WHY_BUFFER},
    {"proxy-connect-timeout", NA_CONVERT, NULL},
    {"proxy-hide-headers", NA_NO, "header removal from responses is not "
                                  "converted yet"},
    {"proxy-max-temp-file-size", NA_NO, WHY_BUFFER},
    {"proxy-pass-headers", NA_DROP, "nginx passes response headers unless "
                                    "told to hide them"},
    {"proxy-read-timeout", NA_CONVERT, NULL},
    {"proxy-send-timeout", NA_CONVERT, NULL},
    {"proxy-set-headers", NA_CONVERT, NULL},
    {"redirect-to-https", NA_CONVERT, NULL},
    {"rewrite-target", NA_NO, "an nginx rewrite with the path's captures"},
    {"rewrites", NA_CONVERT, NULL},
    {"server-snippets", NA_DENY, WHY_SNIPPET},
    {"server-tokens", NA_NO, "the Server header is an implementation setting"},
    {"slow-start", NA_NO, WHY_UPSTREAM},
    {"ssl-ciphers", NA_NO, WHY_TLS},
    {"ssl-prefer-server-ciphers", NA_NO, WHY_TLS},
    {"ssl-redirect", NA_CONVERT, NULL},
    {"ssl-services", NA_NO, "NIC does not verify the backend's certificate; "
                            "a BackendTLSPolicy always does and needs its CA"},
    {"sticky-cookie-services", NA_NO, "session persistence is not converted "
                                      "yet"},
    {"upstream-zone-size", NA_NO, WHY_UPSTREAM},
    {"use-cluster-ip", NA_NO, WHY_UPSTREAM},
    {"websocket-services", NA_DROP, "Gateway API implementations proxy "
                                    "WebSocket upgrades without a setting"},
};

static const struct nic_ann_spec *find_spec(const char *name)
{
    size_t lo = 0, hi = ARRAY_SIZE(specs);

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(specs[mid].name, name);
        if (c == 0)
            return &specs[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static bool bad(struct imp *im, const struct imp_src *src, const struct ynode *at,
                const char *what)
{
    imp_report_src(im, src, at, DIAG_IMPORT_BAD_VALUE,
                   "'%s' is not %s; NIC rejects the Ingress's annotation, and it "
                   "is not converted",
                   imp_report_value(im, at->text), what);
    return false;
}

/* "serviceName=a rewrite=/x;serviceName=b rewrite=/y" (rewrites), or
 * "a,b" (grpc-services). */
static bool parse_rewrites(struct imp *im, const struct imp_src *src,
                           const struct ynode *at, struct nic_ann *out)
{
    const char *s = at->text;
    size_t cap = 1, n = 0;
    const char *p;

    for (p = s; *p; p++)
        cap += *p == ';';
    out->rewrite_svc = ARENA_NEW_ARRAY(im->a, const char *, cap);
    out->rewrite_to = ARENA_NEW_ARRAY(im->a, const char *, cap);
    while (*s) {
        const char *end = strchr(s, ';'), *stop = end ? end : s + strlen(s);
        const char *item = arena_strndup(im->a, s, (size_t)(stop - s));
        const char *sp, *svc, *to;

        while (*item == ' ')
            item++;
        if (*item) {
            sp = strchr(item, ' ');
            if (strncmp(item, "serviceName=", 12) != 0 || !sp ||
                strncmp(sp + 1, "rewrite=", 8) != 0)
                return bad(im, src, at, "a list of 'serviceName=S rewrite=PATH'");
            svc = arena_strndup(im->a, item + 12, (size_t)(sp - item - 12));
            to = sp + 9;
            if (!imp_value_dns_label(svc) || !imp_value_gateway_path(to))
                return bad(im, src, at, "a list of 'serviceName=S rewrite=PATH'");
            if (strchr(to, '$')) {
                /* nginx expands it in the proxy_pass NIC writes. */
                imp_report_src(im, src, at, DIAG_IMPORT_NOT_CONVERTED,
                               "not converted: rewrite '%s' of Service '%s' holds "
                               "'$', which nginx expands in NIC's proxy_pass; "
                               "Gateway API rewrites to a literal path",
                               imp_report_value(im, to), svc);
                return false;
            }
            out->rewrite_svc[n] = svc;
            out->rewrite_to[n++] = to;
        }
        s = end ? end + 1 : stop;
    }
    out->n_rewrites = n;
    return true;
}

/* "Name: value, Name2" (proxy-set-headers): a bare name passes the
 * client's header on, which nginx does anyway. */
static void parse_set_headers(struct imp *im, const struct imp_src *src,
                              const struct ynode *at, struct nic_ann *out)
{
    size_t n, i;
    const char **items = imp_value_split_list(im->a, at->text, &n);

    for (i = 0; i < n; i++) {
        const char *colon = strchr(items[i], ':');
        struct o_header *h;
        const char *v;

        if (!colon)
            continue;
        h = ARENA_NEW(im->a, struct o_header);
        h->name = arena_strndup(im->a, items[i], (size_t)(colon - items[i]));
        for (v = colon + 1; *v == ' '; v++)
            ;
        h->value = v;
        if (!imp_value_header_name(h->name) || strchr(v, '$') ||
            imp_value_unsafe_text(v)) {
            imp_report_src(im, src, at, DIAG_IMPORT_NOT_CONVERTED,
                           "header '%s' is not converted: Gateway API sets literal "
                           "values only (no nginx variables)",
                           imp_report_value(im, items[i]));
            continue;
        }
        ptrvec_push(im->a, &out->request_set, h);
    }
}

static void decode(struct imp *im, const struct imp_src *src, const char *name,
                   const struct ynode *at, struct nic_ann *out)
{
    const char *v = at->text;
    bool b;
    int64_t n;
    size_t i;

    for (i = 0; i < NIC_SET_N; i++) {
        if (str_eq(name, nic_setting_infos[i].annotation)) {
            out->settings[i] = at;
            return;
        }
    }
    for (i = 0; i < NIC_LR_N; i++) {
        if (str_eq(name, nic_limit_req_names[i])) {
            out->limit_req[i] = at; /* limit_req.c, once a minion's master is known */
            return;
        }
    }
    if (str_eq(name, "policies")) {
        out->policies = at;
    } else if (str_eq(name, "mergeable-ingress-type")) {
        if (str_eq(v, "master") || str_eq(v, "minion"))
            out->mergeable = v;
        else
            bad(im, src, at, "'master' or 'minion'");
    } else if (str_eq(name, "path-regex")) {
        if (str_eq(v, "case_sensitive") || str_eq(v, "case_insensitive") ||
            str_eq(v, "exact"))
            out->path_regex = v;
        else
            bad(im, src, at, "case_sensitive, case_insensitive or exact");
    } else if (str_eq(name, "ssl-redirect") || str_eq(name, "redirect-to-https")) {
        if (!imp_value_parse_go_bool(v, &b))
            bad(im, src, at, "a boolean");
        else if (str_eq(name, "ssl-redirect"))
            out->ssl_redirect = b;
        else
            out->redirect_to_https = b;
    } else if (str_eq(name, "http-redirect-code")) {
        if (imp_value_parse_decimal(v, 301, 308, &n) &&
            (n == 301 || n == 302 || n == 307 || n == 308))
            out->redirect_code = n;
        else
            bad(im, src, at, "301, 302, 307 or 308");
    } else if (str_eq(name, "grpc-services")) {
        out->grpc = imp_value_split_list(im->a, v, &out->n_grpc);
    } else if (str_eq(name, "rewrites")) {
        if (!parse_rewrites(im, src, at, out))
            out->n_rewrites = 0;
    } else if (str_eq(name, "proxy-set-headers")) {
        parse_set_headers(im, src, at, out);
    } else if (str_eq(name, "hsts-max-age")) {
        if (!imp_value_parse_decimal(v, 0, INT32_MAX, &out->hsts.max_age))
            bad(im, src, at, "a number of seconds");
    } else if (str_eq(name, "hsts") || str_eq(name, "hsts-include-subdomains") ||
               str_eq(name, "hsts-behind-proxy")) {
        if (!imp_value_parse_go_bool(v, &b))
            bad(im, src, at, "a boolean");
        else if (str_eq(name, "hsts"))
            out->hsts_at = b ? at : NULL;
        else if (str_eq(name, "hsts-include-subdomains"))
            out->hsts.include_subdomains = b;
        else
            out->hsts_proxy = b ? at : NULL;
    }
}

/* NGINX App Protect (NGINX Plus) reads its own prefixes.  Its WAF guards
 * the Ingress's paths, which are not served without it, as with a waf
 * Policy; the rest (the DoS module, security logs) is reported. */
static void app_protect(struct imp *im, const struct imp_src *src,
                        const struct ynode *at, struct nic_ann *out)
{
    bool on = true;

    if (!str_eq(at->key, "appprotect.f5.com/app-protect-enable")) {
        imp_report_src(im, src, at, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: NGINX App Protect has no Gateway API "
                       "equivalent");
        return;
    }
    /* NIC enables it on a Go boolean true; an unreadable value fails
     * closed too. */
    if (at->kind == YNODE_SCALAR && imp_value_parse_go_bool(at->text, &on) && !on)
        return;
    out->denied = true;
    imp_report_src(im, src, at, DIAG_IMPORT_FAIL_CLOSED,
                   "not converted: NGINX App Protect WAF has no gwc equivalent; "
                   "the Ingress's paths answer 500 instead of being served "
                   "without it");
}

void nic_annotations(struct imp *im, const struct imp_src *src,
                     const struct ynode *annotations, struct nic_ann *out)
{
    size_t i;

    memset(out, 0, sizeof(*out));
    out->ssl_redirect = true;
    out->redirect_code = 301;
    out->hsts.max_age = 2592000; /* NIC's default */
    if (!annotations || annotations->kind != YNODE_MAP)
        return;
    for (i = 0; i < annotations->n; i++) {
        const struct ynode *at = annotations->items[i];
        const char *key = at->key, *name;
        const struct nic_ann_spec *spec;

        if (strncmp(key, "nginx.org/", 10) == 0)
            name = key + 10;
        else if (strncmp(key, "nginx.com/", 10) == 0)
            name = key + 10;
        else {
            if (strncmp(key, "appprotect.f5.com/", 18) == 0 ||
                strncmp(key, "appprotectdos.f5.com/", 21) == 0)
                app_protect(im, src, at, out);
            continue;
        }
        spec = find_spec(name);
        if (!spec) {
            imp_report_src(im, src, at, DIAG_IMPORT_NOT_CONVERTED,
                           "unknown annotation: not one NGINX Ingress Controller "
                           "reads; not converted");
            continue;
        }
        if (at->kind != YNODE_SCALAR || at->scalar != YSCALAR_STRING) {
            imp_report_src(im, src, at, DIAG_IMPORT_BAD_VALUE,
                           "annotation values are strings; not converted");
            if (spec->kind == NA_DENY)
                out->denied = true;
            continue;
        }
        switch (spec->kind) {
        case NA_CONVERT:
            decode(im, src, name, at, out);
            break;
        case NA_DENY:
            out->denied = true;
            imp_report_src(im, src, at,
                           str_eq(name, "server-snippets") ||
                                   str_eq(name, "location-snippets")
                               ? DIAG_IMPORT_SNIPPET
                               : DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: %s; the Ingress's paths answer 500 "
                           "instead of being served without it",
                           spec->why);
            break;
        case NA_NO:
            imp_report_src(im, src, at, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: %s", spec->why);
            break;
        case NA_DROP:
            imp_report_src(im, src, at, DIAG_IMPORT_IGNORED,
                           "nothing to convert: %s", spec->why);
            break;
        }
    }
}
