/*
 * A NIC Policy object, decoded: its one type, the type's fields checked as
 * NIC checks them, and what does not convert reported (access control
 * fails closed).
 */
#include "nic_policy.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"

#include <stdint.h>
#include <string.h>

static void fail_closed(struct imp *im, struct nic_policy *p, const struct ynode *at,
                        const char *why)
{
    imp_report_src(im, &p->src, at, DIAG_IMPORT_FAIL_CLOSED,
                   "access control not converted exactly: %s; the paths that "
                   "refer to this Policy answer 500 instead of being served "
                   "without it",
                   why);
    p->deny = true;
}

static void invalid(struct imp *im, struct nic_policy *p, const struct ynode *at,
                    const char *why)
{
    imp_report_src(im, &p->src, at, DIAG_IMPORT_POLICY_INVALID,
                   "NIC refuses this Policy (%s) and answers 500 on the paths "
                   "that refer to it; so does the output",
                   why);
    p->deny = true;
}

static bool int_field(const struct ynode *n, int64_t min, int64_t max, int64_t *out)
{
    return n && n->kind == YNODE_SCALAR && n->scalar == YSCALAR_INT &&
           imp_value_parse_decimal(n->text, min, max, out);
}

static bool bool_field(const struct ynode *n, bool *out)
{
    return n && n->kind == YNODE_SCALAR && n->scalar == YSCALAR_BOOL &&
           imp_value_parse_go_bool(n->text, out);
}

/* An access-control field gwc does not know might narrow access: the
 * Policy fails closed at the first. */
static bool only_known(struct imp *im, struct nic_policy *p, const char *const *known)
{
    size_t i, k;

    for (i = 0; p->at->kind == YNODE_MAP && i < p->at->n; i++) {
        for (k = 0; known[k] && !str_eq(known[k], p->at->items[i]->key); k++)
            ;
        if (!known[k]) {
            fail_closed(im, p, p->at->items[i],
                        arena_printf(im->a, "gwc does not convert the field %s "
                                            "of %s",
                                     imp_report_value(im, p->at->items[i]->key),
                                     p->at->key));
            return false;
        }
    }
    return true;
}

static void access_control(struct imp *im, struct nic_policy *p)
{
    static const char *const known[] = {"allow", "deny", NULL};
    const struct ynode *allow = imp_crd_seq(ynode_get(p->at, "allow"));
    const struct ynode *deny = imp_crd_seq(ynode_get(p->at, "deny"));
    const struct ynode *list = allow ? allow : deny;
    size_t i;

    if (!only_known(im, p, known))
        return;
    if (!list || !list->n || (allow && deny)) {
        invalid(im, p, p->at, "an accessControl has either an allow or a deny list");
        return;
    }
    if (list->n > MAX_CIDRS) {
        fail_closed(im, p, list, "gwc takes at most 256 addresses");
        return;
    }
    p->allow = allow != NULL;
    p->cidrs = ARENA_NEW_ARRAY(im->a, const char *, list->n);
    for (i = 0; i < list->n; i++) {
        const char *s = imp_crd_text(list->items[i]), *why = "not an address";
        if (!s || !(p->cidrs[i] = imp_value_cidr(im, s, &why))) {
            fail_closed(im, p, list->items[i], why);
            return;
        }
    }
    p->n_cidrs = list->n;
    p->converted = true;
}

/* The Secret must be of type nginx.org/htpasswd with the key htpasswd
 * (NIC refuses it otherwise); one not in the input is taken on trust, and
 * gwc answers 500 until it is there. */
static void basic_auth(struct imp *im, struct nic_policy *p)
{
    static const char *const known[] = {"secret", "realm", NULL};
    const struct ynode *sec = ynode_get(p->at, "secret");
    const char *name = imp_crd_text(sec), *realm = imp_crd_text(ynode_get(p->at, "realm"));
    const struct secret *s;

    if (!only_known(im, p, known))
        return;
    if (!name || !imp_value_dns_subdomain(name)) {
        invalid(im, p, sec ? sec : p->at, "secret names no Secret");
        return;
    }
    s = (const struct secret *)imp_find_object(im, KIND_SECRET, p->namespace, name);
    if (s && (!str_eq(s->type, "nginx.org/htpasswd") ||
              !(model_strmap_get(&s->data, "htpasswd") ||
                model_strmap_get(&s->string_data, "htpasswd")))) {
        invalid(im, p, sec,
                "its Secret must be of type nginx.org/htpasswd with the key "
                "htpasswd");
        return;
    }
    if (!s)
        imp_report_src(im, &p->src, sec, DIAG_IMPORT_DETAIL,
                       "Secret %s/%s is not in the input: the AccessPolicy reads "
                       "its key htpasswd, and gwc answers 500 until it is there",
                       p->namespace, name);
    if (realm && !imp_value_realm(realm)) {
        imp_report_src(im, &p->src, ynode_get(p->at, "realm"), DIAG_IMPORT_APPROXIMATED,
                       "gwc takes a realm of at most 64 printable characters "
                       "without '\"', '\\' and '$', not 'off'; the realm is left "
                       "empty");
        realm = NULL;
    }
    p->secret = name;
    p->realm = realm;
    p->converted = true;
}

/* verifyClient on (the default) is the Gateway's AllowValidOnly; NIC
 * leaves optional verification's result to the backend (in variables gwc
 * cannot send), and gwc has no CRL check: both fail closed. */
static void ingress_mtls(struct imp *im, struct nic_policy *p)
{
    static const char *const known[] = {"clientCertSecret", "verifyClient",
                                        "verifyDepth", NULL};
    const struct ynode *sec = ynode_get(p->at, "clientCertSecret");
    const struct ynode *verify = ynode_get(p->at, "verifyClient");
    const char *name = imp_crd_text(sec), *mode = verify ? imp_crd_text(verify) : "on";
    const struct secret *s;
    int64_t depth = 1;

    if (ynode_get(p->at, "crlFileName")) {
        fail_closed(im, p, ynode_get(p->at, "crlFileName"),
                    "Gateway API cannot check a certificate revocation list");
        return;
    }
    if (!only_known(im, p, known))
        return;
    if (!name || !imp_value_dns_subdomain(name)) {
        invalid(im, p, sec ? sec : p->at, "clientCertSecret names no Secret");
        return;
    }
    s = (const struct secret *)imp_find_object(im, KIND_SECRET, p->namespace, name);
    if (s && !str_eq(s->type, "nginx.org/ca")) {
        invalid(im, p, sec, "its Secret must be of type nginx.org/ca");
        return;
    }
    if (!mode || (!str_eq(mode, "on") && !str_eq(mode, "off") &&
                  !str_eq(mode, "optional") && !str_eq(mode, "optional_no_ca"))) {
        invalid(im, p, verify, "verifyClient is on, off, optional or optional_no_ca");
        return;
    }
    if (!str_eq(mode, "on") && !str_eq(mode, "off")) {
        fail_closed(im, p, verify,
                    "optional verification leaves the decision to the backend, "
                    "and Gateway API cannot pass it the result");
        return;
    }
    if (ynode_get(p->at, "verifyDepth") &&
        !int_field(ynode_get(p->at, "verifyDepth"), 0, INT32_MAX, &depth)) {
        invalid(im, p, ynode_get(p->at, "verifyDepth"), "verifyDepth is a number");
        return;
    }
    if (depth > 1)
        imp_report_src(im, &p->src, ynode_get(p->at, "verifyDepth"),
                       DIAG_IMPORT_APPROXIMATED,
                       "Gateway API has no verify depth: nginx checks one level "
                       "(the client certificate issued by the CA), so certificates "
                       "issued through an intermediate are refused");
    p->secret = name;
    p->mode = str_eq(mode, "on") ? "AllowValidOnly" : NULL;
    p->converted = true;
}

/* A BackendTLSPolicy always verifies the backend against a CA and a
 * name, and sends the name as SNI. */
static void egress_mtls(struct imp *im, struct nic_policy *p)
{
    static const char *const known[] = {"tlsSecret", "trustedCertSecret",
                                        "verifyServer", "verifyDepth",
                                        "protocols", "ciphers", "sessionReuse",
                                        "serverName", "sslName", NULL};
    const struct ynode *m = p->at, *at = m;
    const char *ca = imp_crd_text(ynode_get(m, "trustedCertSecret"));
    const char *name = imp_crd_text(ynode_get(m, "sslName")), *why = NULL;
    bool verify = false, sni = false;
    int64_t depth = 1;

    imp_report_other_fields(im, p->src.label, p->src.root, m, known, "NIC");
    if (ynode_get(m, "tlsSecret")) {
        why = "a client certificate towards the backends is the Gateway's "
              "spec.tls.backend, one for every backend";
        at = ynode_get(m, "tlsSecret");
    } else if (!bool_field(ynode_get(m, "verifyServer"), &verify) || !verify) {
        why = "without verifyServer: true NIC does not check the backend, and "
              "a BackendTLSPolicy always does";
    } else if (!ca || !imp_value_dns_subdomain(ca)) {
        why = "a BackendTLSPolicy needs the CA of trustedCertSecret";
    } else if (!name || !imp_value_hostname(name, false)) {
        why = "a BackendTLSPolicy needs the name to verify, sslName (a DNS name)";
        at = ynode_get(m, "sslName") ? ynode_get(m, "sslName") : m;
    }
    if (why) {
        imp_report_src(im, &p->src, at, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: %s; the paths that refer to this Policy "
                       "reach their upstreams in cleartext",
                       why);
        return;
    }
    if (!bool_field(ynode_get(m, "serverName"), &sni) || !sni)
        imp_report_src(im, &p->src, m, DIAG_IMPORT_APPROXIMATED,
                       "a BackendTLSPolicy sends sslName as SNI; NIC sends none "
                       "without serverName: true");
    if (int_field(ynode_get(m, "verifyDepth"), 0, INT32_MAX, &depth) && depth > 1)
        imp_report_src(im, &p->src, ynode_get(m, "verifyDepth"),
                       DIAG_IMPORT_APPROXIMATED,
                       "a BackendTLSPolicy has no verify depth: nginx checks one "
                       "level");
    if (ynode_get(m, "protocols") || ynode_get(m, "ciphers"))
        imp_report_src(im, &p->src, m, DIAG_IMPORT_APPROXIMATED,
                       "a BackendTLSPolicy has no protocols or ciphers: nginx's "
                       "defaults apply");
    p->secret = ca;
    p->ssl_name = name;
    p->converted = true;
}

/* A rate limit protects the backends: one gwc cannot enforce is an error
 * (the import exits 1), not a quiet loss. */
static void rate_not_converted(struct imp *im, struct nic_policy *p,
                               const struct ynode *at, const char *why)
{
    imp_report_src(im, &p->src, at, DIAG_IMPORT_RATE_LIMIT_LOST,
                   "rate limit not converted: %s; the paths that refer to this "
                   "Policy are written without it",
                   why);
    p->converted = false;
}

bool nic_parse_rate(const char *s, struct o_rate *r)
{
    size_t n = s ? strcspn(s, "r") : 0;
    char digits[16];

    if (!n || n >= sizeof(digits) || (!str_eq(s + n, "r/s") && !str_eq(s + n, "r/m")))
        return false;
    memcpy(digits, s, n);
    digits[n] = '\0';
    r->per = s[n + 2] == 's' ? "Second" : "Minute";
    return imp_value_parse_decimal(digits, 1, 1000000, &r->requests);
}

static void rate_limit(struct imp *im, struct nic_policy *p)
{
    const struct ynode *m = p->at, *f;
    const char *key = imp_crd_text(ynode_get(m, "key"));
    bool b = false, no_delay = false;
    int64_t delay = 0;
    size_t i;

    p->converted = true;
    if (!nic_parse_rate(imp_crd_text(ynode_get(m, "rate")), &p->rate)) {
        invalid(im, p, ynode_get(m, "rate") ? ynode_get(m, "rate") : m,
                "rate is requests per second or minute, like 10r/s or 600r/m; "
                "gwc takes 1 to 1000000 of them");
        return;
    }
    if (!key) {
        invalid(im, p, m, "a rateLimit needs a key");
        return;
    }
    if (!str_eq(key, "${binary_remote_addr}") && !str_eq(key, "${remote_addr}")) {
        rate_not_converted(im, p, ynode_get(m, "key"),
                           "gwc counts requests per client address only "
                           "(${binary_remote_addr}), not by this key");
        return;
    }
    for (i = 0; m->kind == YNODE_MAP && i < m->n; i++) {
        f = m->items[i];
        if (str_eq(f->key, "rate") || str_eq(f->key, "key"))
            continue;
        if (str_eq(f->key, "burst") && int_field(f, 0, 1000000, &p->rate.burst))
            continue;
        if (str_eq(f->key, "noDelay") && bool_field(f, &no_delay))
            continue;
        if (str_eq(f->key, "dryRun") && bool_field(f, &p->dry_run))
            continue;
        if (str_eq(f->key, "rejectCode") && int_field(f, 400, 599, &p->reject))
            continue;
        if (str_eq(f->key, "zoneSize") || str_eq(f->key, "logLevel")) {
            imp_report_src(im, &p->src, f, DIAG_IMPORT_IGNORED,
                           "ignored: %s", str_eq(f->key, "zoneSize")
                                              ? "gwc keeps 1 MiB of counters per "
                                                "limit (about 16,000 addresses)"
                                              : "how nginx logs refused requests");
            continue;
        }
        if (str_eq(f->key, "scale") && bool_field(f, &b)) {
            if (b)
                imp_report_src(im, &p->src, f, DIAG_IMPORT_RATE_LIMIT, "%s",
                               NIC_RATE_SCALE_WHY);
            continue;
        }
        if (str_eq(f->key, "delay") && int_field(f, 0, INT64_MAX, &delay))
            continue; /* decided below, with noDelay */
        rate_not_converted(im, p, f,
                           str_eq(f->key, "condition")
                               ? "gwc limits every request, not those matching "
                                 "a condition"
                               : "gwc does not convert this field, or not this "
                                 "value");
        return;
    }
    if (!no_delay && delay) /* delay=0 delays the whole burst */
        imp_report_src(im, &p->src, ynode_get(m, "delay"), DIAG_IMPORT_RATE_LIMIT,
                       NIC_RATE_DELAY_FMT, (long long)delay);
    p->rate.delay = !no_delay; /* NIC delays requests within the burst */
    if (p->dry_run)
        imp_report_src(im, &p->src, ynode_get(m, "dryRun"), DIAG_IMPORT_RATE_LIMIT,
                       "dryRun: NIC only counts and limits nothing, so nothing "
                       "is limited in the output either (unless another Policy "
                       "is referenced first)");
}

/* NIC's HSTS Policy (policy.go addHSTSConfig; nginx.virtualserver.tmpl):
 * "max-age=N[; includeSubDomains][; preload]" on every response of HTTPS
 * requests, "always", the backend's header hidden: ClientPolicy hsts.
 * behindProxy sends it whenever X-Forwarded-Proto says https, on port 80
 * too, which gwc does not; a preload gwc's CRD refuses (without
 * includeSubDomains or below a year) is left out.  Neither is access
 * control: the paths are served. */
static void hsts(struct imp *im, struct nic_policy *p)
{
    static const char *const known[] = {"maxAge", "includeSubDomains",
                                        "behindProxy", "preload", NULL};
    const struct ynode *proxy = ynode_get(p->at, "behindProxy");
    const struct ynode *pre = ynode_get(p->at, "preload");
    bool b = false;

    imp_report_other_fields(im, p->src.label, p->src.root, p->at, known, "NIC");
    if (!int_field(ynode_get(p->at, "maxAge"), 0, INT32_MAX, &p->hsts.max_age)) {
        invalid(im, p, ynode_get(p->at, "maxAge") ? ynode_get(p->at, "maxAge") : p->at,
                "maxAge is a whole number of seconds");
        return;
    }
    if (bool_field(proxy, &b) && b) {
        imp_report_src(im, &p->src, proxy, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: with behindProxy NIC sends the header "
                       "whenever X-Forwarded-Proto is https, plain HTTP "
                       "included; gwc sends it on HTTPS listeners only");
        return;
    }
    bool_field(ynode_get(p->at, "includeSubDomains"), &p->hsts.include_subdomains);
    if (bool_field(pre, &b) && b) {
        if (p->hsts.include_subdomains && p->hsts.max_age >= 31536000)
            p->hsts.preload = true;
        else
            imp_report_src(im, &p->src, pre, DIAG_IMPORT_APPROXIMATED,
                           "preload is left out: gwc's hsts takes it with "
                           "includeSubDomains and a maxAge of a year or more "
                           "only (the preload list's requirements)");
    }
    p->converted = true;
}

/* Policy types by their spec field: how each converts. */
static const struct {
    const char *field;
    enum np_kind kind;
    const char *why; /* NP_DENY, NP_OTHER */
    void (*decode)(struct imp *im, struct nic_policy *p); /* the others */
} types[] = {
    {"accessControl", NP_ACCESS, NULL, access_control},
    {"apiKey", NP_DENY, "API key checks run in NGINX JavaScript; gwc has no API "
                        "key authentication", NULL},
    {"basicAuth", NP_BASIC, NULL, basic_auth},
    {"cache", NP_OTHER, "gwc does not cache responses", NULL},
    {"cors", NP_OTHER, "NIC answers every OPTIONS request 204 itself and sends "
                       "its CORS headers on every response (a single origin "
                       "whatever the request's Origin), where gwc's CORS "
                       "filter answers preflights only, to allowed origins", NULL},
    {"egressMTLS", NP_EGRESS, NULL, egress_mtls},
    {"externalAuth", NP_DENY, "NIC's auth subrequest carries the client's Host "
                              "and X-Scheme (no X-Original-URI) and its sign-in "
                              "is an internal redirect to a proxied location, "
                              "where gwc's externalAuth sends the auth Service's "
                              "Host with X-Original-URI and redirects the client "
                              "(virtualserver.go generateExternalAuthLocation)", NULL},
    {"hsts", NP_HSTS, NULL, hsts},
    {"ingressMTLS", NP_MTLS, NULL, ingress_mtls},
    {"jwt", NP_DENY, "JWT validation needs NGINX Plus; gwc has no JWT "
                     "authentication", NULL},
    {"oidc", NP_DENY, "OpenID Connect needs NGINX Plus; gwc has no OIDC "
                      "authentication", NULL},
    {"rateLimit", NP_RATE, NULL, rate_limit},
    {"waf", NP_DENY, "NGINX App Protect WAF has no gwc equivalent, and the "
                     "paths it guards are not served without it", NULL},
};

struct nic_policy *nic_policy_decode(struct imp *im, const struct crd *o)
{
    struct nic_policy *p = ARENA_NEW(im->a, struct nic_policy);
    const struct ynode *spec = o->spec;
    size_t i, k, found = 0;

    p->src.label = o->label;
    p->src.root = o->root;
    p->namespace = o->namespace;
    p->kind = NP_OTHER;
    for (i = 0; spec && spec->kind == YNODE_MAP && i < spec->n; i++) {
        const struct ynode *f = spec->items[i];
        if (str_eq(f->key, "ingressClassName"))
            continue;
        for (k = 0; k < ARRAY_SIZE(types) && !str_eq(types[k].field, f->key); k++)
            ;
        if (k == ARRAY_SIZE(types)) {
            imp_report_src(im, &p->src, f, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: not a Policy type gwc knows");
            continue;
        }
        if (found++)
            continue;
        p->at = f;
        p->kind = types[k].kind;
        if (types[k].kind == NP_DENY)
            fail_closed(im, p, f, types[k].why);
        else if (types[k].kind == NP_OTHER)
            imp_report_src(im, &p->src, f, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: %s", types[k].why);
        else if (f->kind != YNODE_MAP)
            invalid(im, p, f, "the type's settings are a map");
        else
            types[k].decode(im, p);
    }
    if (found != 1) {
        invalid(im, p, spec ? spec : o->root,
                found ? "a Policy has exactly one type" : "it has no type");
        p->converted = false;
    }
    return p;
}
