/*
 * NIC Policy resources (k8s.nginx.org/v1 Policy; reference:
 * docs.nginx.com/nginx-ingress-controller/configuration/policy-resource/)
 * as gwc policies (docs/policies.md), for the locations that refer to them:
 *
 *   accessControl  AccessPolicy clientAddresses: an allow list denies every
 *                  other address, a deny list allows them (403 either way)
 *   basicAuth      AccessPolicy basicAuth from the Secret's key htpasswd
 *   rateLimit      ClientPolicy requestLimits, when the key is the client
 *                  address (the only key gwc counts by)
 *   egressMTLS     a BackendTLSPolicy on the Services of the TLS upstreams
 *                  of the locations it applies to, when it verifies them
 *                  (verifyServer, trustedCertSecret, sslName) and has no
 *                  client certificate (Gateway API's is per Gateway)
 *   ingressMTLS    the Gateway's frontend validation of the host's port
 *                  (servers.c, importer/client_certs.c), from a
 *                  VirtualServer's spec only, as NIC takes it
 *   hsts           ClientPolicy hsts, on a VirtualServer's spec.policies
 *                  (NIC refuses it on routes: 500)
 *
 * References come in levels: a VirtualServer's spec.policies, a route's,
 * a VirtualServerRoute subroute's; an Ingress's nginx.org/policies, then a
 * minion's.  Within a level NIC merges allow lists (deny lists only when no
 * Policy allows), takes every rate limit (rejectCode and dryRun of the
 * first) and the first basicAuth; a more specific level replaces a type
 * wholly.  gwc computes that effective set per location and writes one
 * AccessPolicy and one ClientPolicy per set, named after the VirtualServer
 * or Ingress, targeting exactly the rules of the locations with that set.
 *
 * NIC answers 500 where a referenced Policy is missing or invalid; so does
 * the output (GW0833, GW0834).  Access control gwc cannot express exactly
 * (jwt, oidc, apiKey, externalAuth, waf, an ingressMTLS with optional
 * verification or a CRL, or a list gwc refuses) fails closed the same way
 * (GW0831).
 */
#include "nic.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/strbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#define MAX_CIDRS 256 /* gwc's clientAddresses lists */
#define MAX_RATES 4   /* gwc's requestLimits.rate */

enum np_kind { NP_ACCESS, NP_RATE, NP_BASIC, NP_MTLS, NP_EGRESS, NP_HSTS, NP_DENY,
               NP_OTHER };

static const struct {
    const char *field;
    enum np_kind kind;
    const char *why; /* NP_DENY, NP_OTHER */
} types[] = {
    {"accessControl", NP_ACCESS, NULL},
    {"apiKey", NP_DENY, "API key checks run in NGINX JavaScript; gwc has no API "
                        "key authentication"},
    {"basicAuth", NP_BASIC, NULL},
    {"cache", NP_OTHER, "gwc does not cache responses"},
    {"cors", NP_OTHER, "NIC answers every OPTIONS request 204 itself and sends "
                       "its CORS headers on every response (a single origin "
                       "whatever the request's Origin), where gwc's CORS "
                       "filter answers preflights only, to allowed origins"},
    {"egressMTLS", NP_EGRESS, NULL},
    {"externalAuth", NP_DENY, "NIC's auth subrequest carries the client's Host "
                              "and X-Scheme (no X-Original-URI) and its sign-in "
                              "is an internal redirect to a proxied location, "
                              "where gwc's externalAuth sends the auth Service's "
                              "Host with X-Original-URI and redirects the client "
                              "(virtualserver.go generateExternalAuthLocation)"},
    {"hsts", NP_HSTS, NULL},
    {"ingressMTLS", NP_MTLS, NULL},
    {"jwt", NP_DENY, "JWT validation needs NGINX Plus; gwc has no JWT "
                     "authentication"},
    {"oidc", NP_DENY, "OpenID Connect needs NGINX Plus; gwc has no OIDC "
                      "authentication"},
    {"rateLimit", NP_RATE, NULL},
    {"waf", NP_DENY, "NGINX App Protect WAF has no gwc equivalent, and the "
                     "paths it guards are not served without it"},
};

/* One Policy object, decoded once however often it is referenced. */
struct nic_policy {
    struct imp_src src;
    const char *namespace;
    const struct ynode *at; /* its type's field */
    enum np_kind kind;
    bool deny;      /* the locations referring to it answer 500 */
    bool converted; /* adds to a gwc policy */
    /* accessControl */
    bool allow;
    const char **cidrs;
    size_t n_cidrs;
    /* rateLimit */
    struct o_rate rate;
    int64_t reject;
    bool dry_run;
    const char *counted_by; /* the first set it counts in */
    /* basicAuth; ingressMTLS (secret: clientCertSecret) */
    const char *secret, *realm;
    const char *mode; /* ingressMTLS: NULL for verifyClient off */
    const char *ssl_name; /* egressMTLS (secret: trustedCertSecret) */
    /* hsts */
    struct o_hsts hsts;
};

/* One gwc policy: what some Policies of one owner become, for the
 * locations whose effective Policies they are. */
struct nic_gwc {
    const char *owner;     /* the VirtualServer's or Ingress's name */
    struct o_gwc_policy p;
    struct ptrvec from;    /* struct nic_policy *, for the report */
    struct ptrvec targets; /* struct o_target * */
};

/* ---- decoding a Policy ---- */

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

static void rate_not_converted(struct imp *im, struct nic_policy *p,
                               const struct ynode *at, const char *why)
{
    imp_report_src(im, &p->src, at, DIAG_IMPORT_RATE_LIMIT,
                   "not converted: %s; the paths that refer to this Policy are "
                   "served without its rate limit",
                   why);
    p->converted = false;
}

/* "10r/s", "600r/m" */
static bool parse_rate(const char *s, struct o_rate *r)
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
    if (!parse_rate(imp_crd_text(ynode_get(m, "rate")), &p->rate)) {
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
        if (str_eq(f->key, "scale") && bool_field(f, &b) && !b)
            continue;
        if (str_eq(f->key, "delay") && int_field(f, 0, INT64_MAX, &delay))
            continue; /* decided below, with noDelay */
        rate_not_converted(im, p, f,
                           str_eq(f->key, "scale")
                               ? "scale divides the rate by the number of NIC "
                                 "pods; gwc's limit is per nginx instance"
                           : str_eq(f->key, "condition")
                               ? "gwc limits every request, not those matching "
                                 "a condition"
                               : "gwc does not convert this field, or not this "
                                 "value");
        return;
    }
    if (!no_delay && delay) { /* delay=0 delays the whole burst */
        rate_not_converted(im, p, ynode_get(m, "delay"),
                           "delay serves that many requests of the burst at once "
                           "and delays the rest; gwc serves the whole burst at "
                           "once (noDelay) or delays it all");
        return;
    }
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

static struct nic_policy *decode(struct imp *im, const struct crd *o)
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
        else if (types[k].kind == NP_ACCESS)
            access_control(im, p);
        else if (types[k].kind == NP_BASIC)
            basic_auth(im, p);
        else if (types[k].kind == NP_MTLS)
            ingress_mtls(im, p);
        else if (types[k].kind == NP_EGRESS)
            egress_mtls(im, p);
        else if (types[k].kind == NP_HSTS)
            hsts(im, p);
        else
            rate_limit(im, p);
    }
    if (found != 1) {
        invalid(im, p, spec ? spec : o->root,
                found ? "a Policy has exactly one type" : "it has no type");
        p->converted = false;
    }
    return p;
}

/* ---- references ---- */

/* Where a Policy is referenced: an item of a policies list, or a name in
 * the nginx.org/policies annotation (at byte off of its value). */
struct ref {
    const struct imp_src *src;
    const struct ynode *at;
    size_t off; /* SIZE_MAX: at itself */
    const char *namespace, *name;
};

__attribute__((format(printf, 4, 5))) static void
ref_report(struct imp *im, const struct ref *r, enum diag_code code, const char *fmt, ...)
{
    struct strbuf msg = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    strbuf_vaddf(&msg, fmt, ap);
    va_end(ap);
    if (r->off == SIZE_MAX)
        imp_report_src(im, r->src, r->at, code, "%s", msg.buf);
    else
        imp_report_in_scalar(im, r->src->label, r->src->root, r->at, r->off, code,
                             "%s", msg.buf);
    strbuf_release(&msg);
}

/* The Policy objects of the input, by "namespace/name" (built once). */
static const struct crd *find_policy(struct imp *im, const char *ns, const char *name)
{
    struct nic *nic = NIC(im);
    size_t i;

    if (!nic->policies_indexed) {
        for (i = 0; i < nic->crds->n; i++) {
            const struct crd *o = nic->crds->v[i];
            if (str_eq(o->kind, "Policy"))
                imp_index_put(im->a, &nic->policy_crds,
                              arena_printf(im->a, "%s/%s", o->namespace, o->name),
                              (void *)o);
        }
        nic->policies_indexed = true;
    }
    return imp_index_get(&nic->policy_crds, arena_printf(im->a, "%s/%s", ns, name));
}

static struct nic_policy *policy(struct imp *im, const struct crd *o)
{
    struct nic_policy *p = imp_index_get(&NIC(im)->policies, o->label);

    if (!p) {
        p = decode(im, o);
        imp_index_put(im->a, &NIC(im)->policies, o->label, p);
    }
    return p;
}

static const char *nic_class(const struct imp *im)
{
    return im->o->n_ingress_classes ? im->o->ingress_classes[0] : "nginx";
}

static void add_ref(struct imp *im, const struct ref *r, bool ingress, bool spec,
                    struct nic_level *lv)
{
    const struct crd *o = r->name ? find_policy(im, r->namespace, r->name) : NULL;
    const char *klass = o ? imp_crd_text(ynode_get(o->spec, "ingressClassName")) : NULL;
    struct nic_policy *p;

    if (!o || (klass && !str_eq(klass, nic_class(im)))) {
        if (!r->name)
            ref_report(im, r, DIAG_IMPORT_POLICY_MISSING,
                       "a Policy reference without a name: NIC answers 500 on "
                       "these paths, and so does the output");
        else if (o)
            ref_report(im, r, DIAG_IMPORT_POLICY_MISSING,
                       "Policy %s/%s belongs to ingress class '%s', not this "
                       "controller's: NIC answers 500 on these paths, and so "
                       "does the output",
                       r->namespace, r->name, imp_report_value(im, klass));
        else
            ref_report(im, r, DIAG_IMPORT_POLICY_MISSING,
                       "no Policy %s/%s in the input: NIC answers 500 on these "
                       "paths, and so does the output",
                       imp_report_value(im, r->namespace), imp_report_value(im, r->name));
        lv->deny = true;
        return;
    }
    p = policy(im, o);
    if (p->deny) {
        lv->deny = true;
        return;
    }
    if (ingress && p->kind == NP_RATE) {
        ref_report(im, r, DIAG_IMPORT_POLICY_SHADOWED,
                   "NIC applies rateLimit Policies to VirtualServers, not to "
                   "Ingresses; left out");
        return;
    }
    if (ingress && p->kind == NP_BASIC) {
        ref_report(im, r, DIAG_IMPORT_FAIL_CLOSED,
                   "access control not converted exactly: NIC documents "
                   "basicAuth Policies for VirtualServers, not Ingresses; the "
                   "Ingress's paths answer 500 instead of being served "
                   "without it");
        lv->deny = true;
        return;
    }
    if (p->kind == NP_MTLS && !spec) {
        ref_report(im, r, DIAG_IMPORT_FAIL_CLOSED, "%s",
                   ingress ? "access control not converted exactly: an Ingress's "
                             "ingressMTLS is not converted yet; its paths answer "
                             "500 instead of being served without it"
                           : "access control not converted exactly: NIC takes "
                             "ingressMTLS Policies in a VirtualServer's spec only "
                             "and answers 500 here; so does the output");
        lv->deny = true;
        return;
    }
    if (p->kind == NP_EGRESS && !ingress && !lv->egress_named) {
        lv->egress_named = true; /* replaces a wider level's, converted or not */
        lv->egress = p->converted ? p : NULL;
        return;
    }
    if (p->kind == NP_HSTS && p->converted) {
        if (ingress) {
            ref_report(im, r, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: gwc converts HSTS Policies of "
                       "VirtualServers, not yet of Ingresses");
        } else if (!spec) {
            ref_report(im, r, DIAG_IMPORT_POLICY_INVALID,
                       "NIC takes an HSTS Policy in a VirtualServer's "
                       "spec.policies only and answers 500 on these paths; so "
                       "does the output");
            lv->deny = true;
        } else if (lv->hsts) {
            ref_report(im, r, DIAG_IMPORT_POLICY_SHADOWED,
                       "NIC applies the first HSTS Policy (%s) and ignores this "
                       "one; so does the output",
                       lv->hsts->src.label);
        } else {
            lv->hsts = p;
        }
        return;
    }
    if (!p->converted)
        return;
    if (p->kind == NP_EGRESS && ingress) {
        ref_report(im, r, DIAG_IMPORT_NOT_CONVERTED,
                   "not converted: an Ingress's egressMTLS is not converted yet; "
                   "the Ingress reaches its backends as nginx.org/ssl-services "
                   "says");
    } else if (p->kind == NP_EGRESS) {
        ref_report(im, r, DIAG_IMPORT_POLICY_SHADOWED,
                   "NIC applies the first egressMTLS Policy of a level and "
                   "ignores this one; so does the output");
    } else if (p->kind == NP_MTLS && lv->mtls) {
        ref_report(im, r, DIAG_IMPORT_POLICY_SHADOWED,
                   "NIC applies one ingressMTLS Policy (%s) and ignores this "
                   "one; so does the output",
                   lv->mtls->src.label);
    } else if (p->kind == NP_MTLS) {
        lv->mtls = p;
        lv->mtls_at = r->at;
    } else if (p->kind == NP_ACCESS) {
        struct ref *copy = ARENA_NEW(im->a, struct ref);
        *copy = *r;
        ptrvec_push(im->a, p->allow ? &lv->allow : &lv->deny_lists, p);
        if (!p->allow)
            ptrvec_push(im->a, &lv->deny_at, copy);
    } else if (p->kind == NP_BASIC && lv->basic) {
        ref_report(im, r, DIAG_IMPORT_POLICY_SHADOWED,
                   "NIC applies the first basicAuth Policy of a level (%s) and "
                   "ignores this one; so does the output",
                   lv->basic->src.label);
    } else if (p->kind == NP_BASIC) {
        lv->basic = p;
    } else if (lv->rates.n == MAX_RATES) {
        ref_report(im, r, DIAG_IMPORT_RATE_LIMIT,
                   "not converted: gwc takes at most %d rate limits per "
                   "ClientPolicy; served without this one",
                   MAX_RATES);
    } else {
        ptrvec_push(im->a, &lv->rates, p);
    }
}

const struct nic_level *nic_policy_egress(const struct nic_level *const *levels,
                                          size_t n)
{
    const struct nic_level *lv = NULL;
    size_t i;

    for (i = 0; i < n; i++) {
        if (levels[i] && levels[i]->egress_named)
            lv = levels[i];
    }
    return lv;
}

void nic_policy_backend_tls(struct imp *im, const struct imp_src *src,
                            const struct ynode *at, const struct nic_level *lv,
                            const struct backend *b)
{
    const struct nic_policy *p = lv ? lv->egress : NULL;
    bool named = lv != NULL;
    const char *why, *ca;
    int added;

    if (!p && named)
        return; /* the Policy says why it is not converted */
    if (!p) {
        imp_report_src(im, src, at, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: without an egressMTLS Policy that verifies "
                       "it, NIC speaks TLS to the upstream without checking it, "
                       "and Gateway API has no unverified backend TLS (a "
                       "BackendTLSPolicy needs a CA): the route reaches the "
                       "Service in cleartext");
        return;
    }
    ca = imp_ca_config_map(im, p->src.root, p->namespace, p->secret, b->namespace,
                           "the BackendTLSPolicy's", &why);
    if (!ca) {
        imp_report_src(im, &p->src, ynode_get(p->at, "trustedCertSecret"),
                       DIAG_IMPORT_NOT_CONVERTED, "not converted: %s", why);
        return;
    }
    added = imp_backend_tls_add(im, src->root, b->namespace, b->service,
                                p->ssl_name, ca);
    if (added < 0)
        imp_report_src(im, src, at, DIAG_IMPORT_CONFLICT,
                       "Service '%s/%s' already has a BackendTLSPolicy with "
                       "another name or CA; kept, this one is not converted",
                       b->namespace, b->service);
    else if (added > 0)
        imp_report_src(im, &p->src, p->at, DIAG_IMPORT_POLICY,
                       "converted to the BackendTLSPolicy of Service '%s/%s' "
                       "(hostname %s, CA ConfigMap '%s')",
                       b->namespace, b->service, p->ssl_name, ca);
}

bool nic_policy_mtls(const struct nic_policy *p, struct imp_client_cert *cc)
{
    cc->ca_namespace = p->namespace;
    cc->ca_secret = p->secret;
    cc->mode = p->mode;
    return p->mode != NULL;
}

/* Deny lists next to allow lists: NIC uses the allow lists only. */
static void level_done(struct imp *im, struct nic_level *lv)
{
    size_t i;

    for (i = 0; lv->allow.n && i < lv->deny_at.n; i++)
        ref_report(im, lv->deny_at.v[i], DIAG_IMPORT_POLICY_SHADOWED,
                   "NIC ignores deny lists on a level with allow lists (%s); so "
                   "does the output",
                   ((const struct nic_policy *)lv->allow.v[0])->src.label);
    if (lv->allow.n)
        memset(&lv->deny_lists, 0, sizeof(lv->deny_lists));
}

void nic_policy_refs(struct imp *im, const struct imp_src *src,
                     const struct ynode *refs, const char *ns, bool spec,
                     struct nic_level *lv)
{
    size_t i;

    memset(lv, 0, sizeof(*lv));
    if (!refs)
        return;
    if (!imp_crd_seq(refs)) {
        imp_report_src(im, src, refs, DIAG_IMPORT_BAD_VALUE,
                       "policies is a list of {name, namespace}; the paths answer "
                       "500");
        lv->deny = true;
        return;
    }
    for (i = 0; i < refs->n; i++) {
        const struct ynode *at = refs->items[i];
        const char *rns = imp_crd_text(ynode_get(at, "namespace"));
        struct ref r = {src, at, SIZE_MAX, rns ? rns : ns,
                        imp_crd_text(ynode_get(at, "name"))};
        add_ref(im, &r, false, spec, lv);
    }
    level_done(im, lv);
}

/* NIC's Ingress template (nginx.ingress.tmpl) sends "max-age=N;
 * [includeSubDomains; ]preload" on HTTPS responses, always, hiding the
 * backend's header: ClientPolicy hsts, but for a preload gwc's CRD refuses
 * (the default max-age, a month, is one).  behind-proxy sends it on plain
 * HTTP too when X-Forwarded-Proto says https: not converted. */
void nic_policy_hsts_annotations(struct imp *im, const struct imp_src *src,
                                 const struct nic_ann *ann, struct nic_level *lv)
{
    struct nic_policy *p;

    if (!ann->hsts_at)
        return;
    if (ann->hsts_proxy) {
        imp_report_src(im, src, ann->hsts_proxy, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: with hsts-behind-proxy NIC sends the "
                       "header whenever X-Forwarded-Proto is https, plain HTTP "
                       "included; gwc sends it on HTTPS listeners only");
        return;
    }
    p = ARENA_NEW(im->a, struct nic_policy);
    p->src = *src;
    p->at = ann->hsts_at;
    p->kind = NP_HSTS;
    p->converted = true;
    p->hsts = ann->hsts;
    p->hsts.preload = ann->hsts.include_subdomains && ann->hsts.max_age >= 31536000;
    if (!p->hsts.preload)
        imp_report_src(im, src, ann->hsts_at, DIAG_IMPORT_APPROXIMATED,
                       "NIC always adds preload; gwc's hsts takes it with "
                       "includeSubDomains and a max-age of a year or more only "
                       "(the preload list's requirements), so it is left out "
                       "of max-age=%lld",
                       (long long)ann->hsts.max_age);
    lv->hsts = p;
}

/* "a, b, other-namespace/c" */
void nic_policy_annotation(struct imp *im, const struct imp_src *src,
                           const struct ynode *at, const char *ns,
                           struct nic_level *lv)
{
    const char *s = at->text;

    memset(lv, 0, sizeof(*lv));
    while (*s) {
        size_t len = strcspn(s, ","), lead = strspn(s, " \t"), n;
        const char *item = s + lead, *slash;
        struct ref r = {src, at, (size_t)(item - at->text), ns, NULL};

        n = len > lead ? len - lead : 0;
        while (n && (item[n - 1] == ' ' || item[n - 1] == '\t'))
            n--;
        slash = memchr(item, '/', n);
        if (n && slash) {
            r.namespace = arena_strndup(im->a, item, (size_t)(slash - item));
            r.name = arena_strndup(im->a, slash + 1, (size_t)(item + n - slash - 1));
        } else if (n) {
            r.name = arena_strndup(im->a, item, n);
        }
        if (n)
            add_ref(im, &r, true, false, lv);
        s += len + (s[len] == ',');
    }
    level_done(im, lv);
}

/* ---- effective sets ---- */

/* The union of the lists of ps (struct nic_policy *), each address once. */
static const char **cidr_union(struct imp *im, const struct ptrvec *ps, size_t *n)
{
    struct index seen = {0};
    size_t i, k, total = 0;
    const char **out;

    for (i = 0; i < ps->n; i++)
        total += ((const struct nic_policy *)ps->v[i])->n_cidrs;
    out = ARENA_NEW_ARRAY(im->a, const char *, total);
    *n = 0;
    for (i = 0; i < ps->n; i++) {
        const struct nic_policy *p = ps->v[i];
        for (k = 0; k < p->n_cidrs; k++) {
            if (imp_index_get(&seen, p->cidrs[k]))
                continue;
            imp_index_put(im->a, &seen, p->cidrs[k], (void *)p);
            out[(*n)++] = p->cidrs[k];
        }
    }
    return out;
}

static void set_key(struct strbuf *sb, const struct ptrvec *ps)
{
    size_t i;

    for (i = 0; i < ps->n; i++)
        strbuf_addf(sb, "|%s", ((const struct nic_policy *)ps->v[i])->src.label);
}

/* "<owner>-access", then "<owner>-access-2", ... */
static struct nic_gwc *gwc_new(struct imp *im, const char *kind, const char *ns,
                               const char *owner)
{
    struct nic_gwc *g = ARENA_NEW(im->a, struct nic_gwc);
    const char *suffix = str_eq(kind, "AccessPolicy") ? "access" : "client";
    const char *key = arena_printf(im->a, "%s/%s/%s", kind, ns, owner);
    int64_t *count = imp_index_get(&NIC(im)->counts, key);

    if (!count) {
        count = ARENA_NEW(im->a, int64_t);
        imp_index_put(im->a, &NIC(im)->counts, key, count);
    }
    g->owner = owner;
    g->p.kind = kind;
    g->p.namespace = ns;
    g->p.name = imp_name_claim(
        im, arena_printf(im->a, "%s/%s", kind, ns),
        ++*count == 1 ? arena_printf(im->a, "%s-%s", owner, suffix)
                      : arena_printf(im->a, "%s-%s-%lld", owner, suffix,
                                     (long long)*count),
        253);
    return g;
}

static void from(struct imp *im, struct nic_gwc *g, const struct ptrvec *ps)
{
    size_t i;

    for (i = 0; i < ps->n; i++)
        ptrvec_push(im->a, &g->from, ps->v[i]);
}

static struct nic_gwc *access_policy(struct imp *im, const struct imp_src *owner,
                                     const char *owner_name, const char *ns,
                                     const struct ptrvec *access,
                                     const struct nic_policy *basic)
{
    struct nic_gwc *g;
    struct o_gwc_policy *a;
    size_t n_allow = 0, n_deny = 0;
    const char **allow = NULL, **deny = NULL;

    if (access->n && ((const struct nic_policy *)access->v[0])->allow)
        allow = cidr_union(im, access, &n_allow);
    else if (access->n)
        deny = cidr_union(im, access, &n_deny);
    if (n_allow > MAX_CIDRS || n_deny > MAX_CIDRS) {
        imp_report_src(im, owner, owner->root, DIAG_IMPORT_FAIL_CLOSED,
                       "access control not converted exactly: its Policies list "
                       "%zu addresses together, and gwc takes at most 256; the "
                       "paths answer 500 instead",
                       n_allow + n_deny);
        return NULL;
    }
    g = gwc_new(im, "AccessPolicy", ns, owner_name);
    a = &g->p;
    a->allow = allow;
    a->n_allow = n_allow;
    a->deny = deny;
    a->n_deny = n_deny;
    from(im, g, access);
    if (basic) {
        struct o_ref *r = ARENA_NEW(im->a, struct o_ref);
        r->name = basic->secret;
        if (!str_eq(basic->namespace, ns))
            r->namespace = basic->namespace;
        a->basic_secret = r;
        a->basic_key = "htpasswd";
        a->basic_realm = basic->realm;
        a->basic_forward = true; /* nginx passes Authorization on */
        ptrvec_push(im->a, &g->from, (void *)basic);
    }
    return g;
}

static struct nic_gwc *client_policy(struct imp *im, const char *owner_name,
                                     const char *ns, const struct ptrvec *rates,
                                     const struct nic_policy *hsts)
{
    struct nic_gwc *g = gwc_new(im, "ClientPolicy", ns, owner_name);
    size_t i;

    for (i = 0; i < rates->n; i++)
        g->p.rates[g->p.n_rates++] = ((const struct nic_policy *)rates->v[i])->rate;
    if (rates->n) /* NIC: the first one's, for all */
        g->p.reject_status = ((const struct nic_policy *)rates->v[0])->reject;
    from(im, g, rates);
    if (hsts) {
        g->p.hsts = &hsts->hsts;
        ptrvec_push(im->a, &g->from, (void *)hsts);
    }
    return g;
}

/* The gwc policy of kind for these Policies of owner, made once. */
static const struct nic_gwc *gwc_for(struct imp *im, const char *kind,
                                     const struct imp_src *owner,
                                     const char *owner_name, const char *ns,
                                     const struct ptrvec *ps,
                                     const struct nic_policy *one, bool *deny)
{
    static const struct nic_gwc refused; /* cached: reported once */
    struct strbuf key = STRBUF_INIT;
    struct nic_gwc *g;

    strbuf_addf(&key, "%s/%s/%s", kind, ns, owner_name);
    set_key(&key, ps);
    if (one) /* the basicAuth of an AccessPolicy, the hsts of a ClientPolicy */
        strbuf_addf(&key, "|%s", one->src.label);
    g = imp_index_get(&NIC(im)->gwc_index, key.buf);
    if (!g) {
        g = str_eq(kind, "AccessPolicy")
                ? access_policy(im, owner, owner_name, ns, ps, one)
                : client_policy(im, owner_name, ns, ps, one);
        imp_index_put(im->a, &NIC(im)->gwc_index, key.buf, g ? g : (void *)&refused);
        if (g)
            ptrvec_push(im->a, &NIC(im)->gwc_list, g);
    }
    strbuf_release(&key);
    if (!g || (const struct nic_gwc *)g == &refused) {
        *deny = true;
        return NULL;
    }
    return g;
}

const struct nic_pols *nic_policy_effective(struct imp *im, const struct imp_src *owner,
                                            const char *owner_name, const char *ns,
                                            const struct nic_level *const *levels,
                                            size_t n, bool *deny)
{
    static const struct ptrvec none;
    const struct ptrvec *access = &none, *rates = &none;
    const struct nic_policy *basic = NULL, *hsts = NULL;
    struct nic_pols *out;
    size_t i;

    for (i = 0; i < n; i++) {
        const struct nic_level *lv = levels[i];
        if (!lv)
            continue;
        *deny |= lv->deny;
        if (lv->allow.n || lv->deny_lists.n)
            access = lv->allow.n ? &lv->allow : &lv->deny_lists;
        if (lv->rates.n)
            rates = &lv->rates;
        if (lv->basic)
            basic = lv->basic;
        if (lv->hsts)
            hsts = lv->hsts;
    }
    if (rates->n && ((const struct nic_policy *)rates->v[0])->dry_run)
        rates = &none; /* the first Policy's dryRun is every one's */
    if (*deny || (!access->n && !rates->n && !basic && !hsts))
        return NULL;
    out = ARENA_NEW(im->a, struct nic_pols);
    if (access->n || basic)
        out->access = gwc_for(im, "AccessPolicy", owner, owner_name, ns, access, basic,
                              deny);
    if (rates->n || hsts)
        out->client = gwc_for(im, "ClientPolicy", owner, owner_name, ns, rates, hsts,
                              deny);
    return *deny ? NULL : out;
}

/* ---- targets and output ---- */

struct targeting {
    struct imp *im;
    const struct o_route *r;
    bool client; /* which gwc policy of the locations */
};

static const void *owner_of(void *ctx, const struct o_rule *rule)
{
    const struct targeting *t = ctx;
    const struct nic_loc *l = rule->source;

    if (!l || l->denied || !l->pols)
        return NULL;
    return t->client ? (const void *)l->pols->client : (const void *)l->pols->access;
}

/* "<owner>-<n>": the route's n-th rule. */
static const char *rule_name(void *ctx, const void *owner, struct o_rule *rule)
{
    const struct targeting *t = ctx;
    const struct nic_gwc *g = owner;
    size_t i;

    for (i = 0; i < t->r->rules.n && t->r->rules.v[i] != rule; i++)
        ;
    return imp_name_claim(t->im,
                          arena_printf(t->im->a, "rule/%s/%s", t->r->namespace,
                                       t->r->name),
                          arena_printf(t->im->a, "%s-%zu", g->owner, i + 1), 253);
}

static void add_target(void *ctx, const void *owner, const struct o_route *r,
                       const char *section)
{
    struct imp *im = ((const struct targeting *)ctx)->im;
    struct nic_gwc *g = (struct nic_gwc *)owner;
    struct o_target *t = ARENA_NEW(im->a, struct o_target);

    t->kind = r->kind;
    t->name = r->name;
    t->section = section;
    ptrvec_push(im->a, &g->targets, t);
}

static void report(struct imp *im, const struct nic_gwc *g, size_t parts)
{
    size_t i;

    for (i = 0; i < g->from.n; i++) {
        struct nic_policy *np = g->from.v[i];
        imp_report_src(im, &np->src, np->at, DIAG_IMPORT_POLICY,
                       "converted to gwc policy %s %s/%s%s (%s) for %s",
                       g->p.kind, g->p.namespace, g->p.name,
                       parts > 1 ? " and its parts -02, ..." : "",
                       np->kind == NP_ACCESS  ? "spec.clientAddresses"
                       : np->kind == NP_BASIC ? "spec.basicAuth"
                       : np->kind == NP_HSTS  ? "spec.hsts"
                                              : "spec.requestLimits.rate",
                       g->owner);
        if (np->kind != NP_RATE)
            continue;
        if (!np->counted_by)
            np->counted_by = g->p.name;
        else if (!str_eq(np->counted_by, g->p.name))
            imp_report_src(im, &np->src, np->at, DIAG_IMPORT_RATE_LIMIT,
                           "NIC counts this limit once for all paths of %s that "
                           "refer to it; ClientPolicies %s and %s count apart",
                           g->owner, np->counted_by, g->p.name);
    }
}

void nic_policies_write(struct imp *im, size_t first_route)
{
    const struct ptrvec *all = &NIC(im)->gwc_list;
    size_t i, k;

    for (i = first_route; i < im->routes.n; i++) {
        for (k = 0; k < 2; k++) {
            struct targeting t = {im, im->routes.v[i], k == 1};
            const struct rule_owners ro = {owner_of, rule_name, add_target, &t};
            imp_policy_targets(im->routes.v[i], &ro);
        }
    }
    for (i = 0; i < all->n; i++) {
        const struct nic_gwc *g = all->v[i];
        size_t parts = imp_policy_emit(im, &g->p, &g->targets);
        if (parts)
            report(im, g, parts);
        if (parts > 1 && g->p.n_rates)
            imp_report_src(im, &((const struct nic_policy *)g->from.v[0])->src,
                           ((const struct nic_policy *)g->from.v[0])->at,
                           DIAG_IMPORT_RATE_LIMIT,
                           "the paths of %s with these limits need %zu "
                           "ClientPolicies (at most %d targets each), and each "
                           "counts apart",
                           g->owner, parts, MAX_POLICY_TARGETS);
    }
    for (i = 0; i < NIC(im)->crds->n; i++) {
        const struct crd *o = NIC(im)->crds->v[i];
        const struct ynode *klass = ynode_get(o->spec, "ingressClassName");
        struct imp_src src = {o->label, o->root};
        if (!str_eq(o->kind, "Policy"))
            continue;
        if (imp_crd_text(klass) && !str_eq(imp_crd_text(klass), nic_class(im)))
            imp_report_src(im, &src, klass, DIAG_IMPORT_SKIPPED,
                           "ingress class '%s' is not converted", klass->text);
        else if (!imp_index_get(&NIC(im)->policies, o->label))
            imp_report_src(im, &src, ynode_get(o->root, "metadata"), DIAG_IMPORT_IGNORED,
                           "no VirtualServer, VirtualServerRoute or Ingress of the "
                           "input that is converted refers to this Policy; nothing "
                           "to convert");
    }
}
