/*
 * The ingress-nginx controller's ConfigMap: settings of every Ingress.
 *
 * ingress-nginx reads the keys of its ConfigMap into one default backend
 * (internal/ingress/defaults), and the annotation parsers fall back to it
 * when an Ingress does not set the annotation (proxy-body-size, the proxy
 * timeouts, whitelist-source-range, denylist-source-range, ssl-redirect,
 * ...).  The import does the same: such a key becomes that annotation on
 * every Ingress that lacks it, converted by the same code and positioned at
 * the ConfigMap's key, so an annotation overrides the ConfigMap exactly as
 * in ingress-nginx, one Ingress at a time.  (A Gateway-level policy would
 * not do: AccessPolicies of every level apply together, so an Ingress's
 * own allow list could not replace the controller's as it does in
 * ingress-nginx.)  block-cidrs is a deny list in nginx's http block, which
 * the allow and deny lists of a location replace: the deny list of the
 * Ingresses that have neither.  The client address (use-forwarded-
 * headers, enable-real-ip: nginx's real_ip module in the http block) and
 * HSTS (on by default in ingress-nginx, for every server with a
 * certificate) are one ClientPolicy on each Gateway.  limit-req-status-code
 * and limit-conn-status-code are the rejectStatusCode of the ClientPolicy
 * of each Ingress with limits (traffic.c).  Every other key is reported,
 * with why.
 */
#include "nx.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"

#include <string.h>

#define CHART_NAMESPACE "ingress-nginx"
#define CHART_NAME "ingress-nginx-controller"

/* Keys that are the default of the annotation of the same name. */
static const char *const annotation_defaults[] = {
    "custom-http-errors", "denylist-source-range", "force-ssl-redirect",
    "load-balance", "preserve-trailing-slash", "proxy-body-size",
    "proxy-connect-timeout", "proxy-next-upstream", "proxy-next-upstream-timeout",
    "proxy-next-upstream-tries", "proxy-read-timeout", "proxy-send-timeout",
    "ssl-redirect", "upstream-hash-by", "whitelist-source-range",
};

#define HSTS_MAX_AGE 31536000 /* ingress-nginx's hsts-max-age */
#define MAX_HSTS_AGE 2147483647 /* gwc's */

/* Keys with something to say; any other key is not converted, plainly. */
static const struct {
    const char *key;
    const char *noop;     /* the value the output already agrees with, or NULL */
    const char *noop_why; /* why (NULL: it is ingress-nginx's default) */
    const char *why;      /* not converted, why; NULL: converted (how), or
                           * reported where it is converted (how NULL) */
    const char *how;
} known[] = {
    {"block-cidrs", NULL, NULL, NULL, "a deny list in nginx's http block, "
     "which the allow and deny lists of a location replace: converted as the "
     "denylist-source-range of every Ingress with neither"},
    {"client-max-body-size", NULL, NULL, "ingress-nginx does not read it; its "
     "body limit is proxy-body-size", NULL},
    {"enable-real-ip", NULL, NULL, NULL, NULL},        /* address(): */
    {"forwarded-for-header", NULL, NULL, NULL, NULL},  /* the client address */
    {"hsts", NULL, NULL, NULL, NULL},                  /* hsts() */
    {"hsts-include-subdomains", NULL, NULL, NULL, NULL},
    {"hsts-max-age", NULL, NULL, NULL, NULL},
    {"hsts-preload", NULL, NULL, NULL, NULL},
    {"limit-conn-status-code", "503", NULL, NULL, "the status of ingress-nginx's "
     "connection limits: converted as the rejectStatusCode of the ClientPolicy "
     "of every Ingress with limit-connections"},
    {"limit-req-status-code", "503", NULL, NULL, "the status of ingress-nginx's "
     "rate limits: converted as the rejectStatusCode of the ClientPolicy of "
     "every Ingress with limit-rps or limit-rpm"},
    {"proxy-real-ip-cidr", NULL, NULL, NULL, NULL},
    {"use-forwarded-headers", NULL, NULL, NULL, NULL},
    {"use-proxy-protocol", NULL, NULL, NULL, NULL},
};

static const char *const hsts_keys[] = {
    "hsts", "hsts-include-subdomains", "hsts-max-age", "hsts-preload",
};

static const char *const address_keys[] = {
    "enable-real-ip", "forwarded-for-header", "proxy-real-ip-cidr",
    "use-forwarded-headers", "use-proxy-protocol",
};

static const struct strmap_entry *entry(const struct nx_config *cf, const char *key)
{
    size_t i;

    for (i = 0; i < cf->cm->data.n; i++) {
        if (str_eq(cf->cm->data.v[i].key, key))
            return &cf->cm->data.v[i];
    }
    return NULL;
}

static void report(struct imp *im, const struct nx_config *cf,
                   const struct strmap_entry *e, enum diag_code code,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void report(struct imp *im, const struct nx_config *cf,
                   const struct strmap_entry *e, enum diag_code code,
                   const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    imp_report_vat(im, cf->label, cf->root, e ? e->src : NULL,
                   diag_info(code)->severity, code, fmt, ap);
    va_end(ap);
}

/* The key's value as ingress-nginx compares it: booleans as Go reads them. */
static bool same_value(const char *a, const char *b)
{
    bool x, y;

    if (imp_value_parse_go_bool(a, &x) && imp_value_parse_go_bool(b, &y))
        return x == y;
    return str_eq(a, b);
}

static void report_key(struct imp *im, const struct nx_config *cf,
                       const struct strmap_entry *e)
{
    int64_t code;
    size_t i;

    if (str_in(annotation_defaults, ARRAY_SIZE(annotation_defaults), e->key)) {
        report(im, cf, e, DIAG_IMPORT_CONTROLLER_CONFIG,
               "the default of annotation %s%s: converted as that annotation on "
               "every Ingress that does not set it (an Ingress's own "
               "annotation wins, as in ingress-nginx)",
               NGINX_PREFIX, e->key);
        return;
    }
    for (i = 0; i < ARRAY_SIZE(known) && !str_eq(known[i].key, e->key); i++)
        ;
    if (i == ARRAY_SIZE(known)) {
        report(im, cf, e, DIAG_IMPORT_NOT_CONVERTED,
               "not converted: a setting of the ingress-nginx controller that "
               "gwc does not convert");
    } else if (known[i].noop && same_value(known[i].noop, e->value)) {
        report(im, cf, e, DIAG_IMPORT_IGNORED, "'%s': nothing to convert: %s",
               imp_report_value(im, e->value),
               known[i].noop_why ? known[i].noop_why
                                 : "it is ingress-nginx's default");
    } else if (known[i].why) {
        report(im, cf, e, DIAG_IMPORT_NOT_CONVERTED, "not converted: %s",
               known[i].why);
    } else if (known[i].how && (!strstr(e->key, "-status-code") ||
                                imp_value_parse_decimal(e->value, 400, 599, &code))) {
        /* a status gwc cannot answer: reported at each Ingress taking it */
        report(im, cf, e, DIAG_IMPORT_CONTROLLER_CONFIG, "%s", known[i].how);
    }
}

bool nx_config_load(struct imp *im)
{
    const char *ns = im->config_ns ? im->config_ns : CHART_NAMESPACE;
    const char *name = im->config_name ? im->config_name : CHART_NAME;
    const struct object *o = imp_find_object(im, KIND_CONFIG_MAP, ns, name);
    struct nx_config *cf;
    size_t i;

    if (!o) {
        if (im->config_name)
            diag_report(&im->c->diags, DIAG_IMPORT_CONTROLLER_CONFIG_MISSING,
                        (struct src_loc){SOURCE_NONE, 0, 0, 0}, NULL, NULL,
                        "--controller-config names ConfigMap %s/%s, which the "
                        "inputs do not hold: give the controller's ConfigMap "
                        "(kubectl get configmap -n %s %s -o yaml) with the "
                        "inputs; nothing is converted without it",
                        ns, name, ns, name);
        return !im->config_name;
    }
    cf = ARENA_NEW(im->a, struct nx_config);
    cf->cm = (const struct config_map *)o;
    cf->label = model_object_label(im->c, o);
    cf->root = o->src;
    NX(im)->config = cf;
    ptrvec_push(im->a, &im->summary_sources, (void *)cf->root);
    for (i = 0; i < cf->cm->data.n; i++)
        report_key(im, cf, &cf->cm->data.v[i]);
    return true;
}

static bool flag(const struct nx_config *cf, const char *key)
{
    const struct strmap_entry *e = entry(cf, key);
    bool b;

    return e && imp_value_parse_go_bool(e->value, &b) && b;
}

/* Each of keys the ConfigMap has, reported with how it was taken; with
 * none of them and or_data, its data, whose defaults were taken. */
static void keys_report(struct imp *im, const struct nx_config *cf,
                        const char *const *keys, size_t n, bool or_data,
                        enum diag_code code, const char *what)
{
    size_t i;
    bool any = false;

    for (i = 0; i < n; i++) {
        const struct strmap_entry *e = entry(cf, keys[i]);
        if (e)
            report(im, cf, e, code, "%s", what);
        any = any || e;
    }
    if (!any && or_data)
        imp_report_at(im, cf->label, cf->root, ynode_get(cf->root, "data"), code,
                      "%s", what);
}

static void address_report(struct imp *im, const struct nx_config *cf,
                           enum diag_code code, const char *what)
{
    keys_report(im, cf, address_keys, ARRAY_SIZE(address_keys), false, code, what);
}

/* The client address as ingress-nginx's http block takes it (nginx.tmpl:
 * real_ip_header, real_ip_recursive on, set_real_ip_from
 * proxy-real-ip-cidr, once use-forwarded-headers, use-proxy-protocol or
 * enable-real-ip is on), or NULL (reported). */
static const struct o_client_address *address(struct imp *im,
                                              const struct nx_config *cf)
{
    bool forwarded = flag(cf, "use-forwarded-headers") || flag(cf, "enable-real-ip");
    bool proxy = flag(cf, "use-proxy-protocol");
    const struct strmap_entry *h = entry(cf, "forwarded-for-header");
    const struct strmap_entry *cidrs = entry(cf, "proxy-real-ip-cidr");
    struct o_client_address *ca;
    const char *why;

    if (!forwarded && !proxy) {
        address_report(im, cf, DIAG_IMPORT_IGNORED,
                       "nothing to convert: neither use-forwarded-headers, "
                       "enable-real-ip nor use-proxy-protocol is on, so "
                       "ingress-nginx takes the connection's address, as gwc "
                       "does");
        return NULL;
    }
    if (proxy && forwarded) {
        address_report(im, cf, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: with both the PROXY protocol and "
                       "forwarded headers, ingress-nginx takes the client "
                       "address from the PROXY header but passes on the "
                       "X-Forwarded-For the client sent (the peer appended); "
                       "gwc's clientAddressDetection takes one source and "
                       "writes X-Forwarded-For itself: turn one of them off "
                       "(use-proxy-protocol alone converts exactly), then "
                       "import again");
        return NULL;
    }
    if (im->o->shared_gateway) {
        /* The Gateway also serves routes this import does not own: a
         * Gateway-wide trust in the header would let their clients forge
         * the address their allow lists judge, and a PROXY header required
         * on its sockets would cut off their clients. */
        address_report(im, cf, DIAG_IMPORT_NOT_CONVERTED,
                       arena_printf(im->a,
                                    proxy ? "not converted: --gateway %s may serve "
                                            "routes this import does not own, and "
                                            "the PROXY protocol applies to every "
                                            "listener on its ports, which would "
                                            "refuse their clients' connections "
                                            "and trust a PROXY header from the "
                                            "peers listed; write the ClientPolicy "
                                            "for that Gateway by hand (source "
                                            "ProxyProtocol, the load balancers' "
                                            "addresses as trustedProxies)"
                                          : "not converted: --gateway %s may serve "
                                            "routes "
                                            "this import does not own, and trusting "
                                            "forwarded headers on the whole Gateway would "
                                            "let their clients choose the address their "
                                            "allow lists judge; write the ClientPolicy "
                                            "for that Gateway by hand, with the proxies' "
                                            "addresses as trustedProxies",
                                    im->o->shared_gateway));
        return NULL;
    }
    ca = ARENA_NEW(im->a, struct o_client_address);
    ca->source = proxy ? "ProxyProtocol" : "Header";
    if (!proxy && h && !str_eq(h->value, "X-Forwarded-For"))
        ca->header = h->value;
    if (ca->header && !imp_value_header_name(ca->header)) {
        address_report(im, cf, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: forwarded-for-header is not a header "
                       "name gwc takes: allow and deny lists judge the "
                       "connection's address");
        return NULL;
    }
    ca->trusted = nx_pol_cidrs(im, cidrs ? cidrs->value : "0.0.0.0/0", 64,
                               &ca->n_trusted, &why);
    if (!ca->trusted) {
        address_report(im, cf, DIAG_IMPORT_NOT_CONVERTED,
                       arena_printf(im->a, "not converted: proxy-real-ip-cidr: "
                                           "%s: allow and deny lists judge the "
                                           "connection's address",
                                    why));
        return NULL;
    }
    address_report(im, cf, DIAG_IMPORT_CONTROLLER_CONFIG,
                   arena_printf(im->a, "the client address: converted to the "
                                       "clientAddressDetection (%s) of "
                                       "a ClientPolicy on each Gateway%s",
                                proxy ? "source ProxyProtocol: every connection "
                                        "to its listeners' ports must start with "
                                        "a PROXY header, as with ingress-nginx's "
                                        "listen ... proxy_protocol"
                                      : "source Header, recursive, as "
                                        "real_ip_recursive on",
                                cidrs ? "" : " (trusting every peer, "
                                             "proxy-real-ip-cidr's default)"));
    return ca;
}

/* A boolean key as ingress-nginx reads it (dflt when absent), or false
 * with *bad set (reported). */
static bool flag_or(struct imp *im, const struct nx_config *cf, const char *key,
                    bool dflt, bool *bad)
{
    const struct strmap_entry *e = entry(cf, key);
    bool b = dflt;

    if (e && !imp_value_parse_go_bool(e->value, &b)) {
        report(im, cf, e, DIAG_IMPORT_NOT_CONVERTED,
               "not converted: '%s' is not a boolean (true, false, 1, 0, ...): "
               "the output sends no HSTS", imp_report_value(im, e->value));
        *bad = true;
    }
    return b;
}

/* HSTS as ingress-nginx sends it on every https response of a server with
 * a certificate (nginx.tmpl: "max-age=N[; includeSubDomains][; preload]",
 * replacing the backend's header): on, 31536000 s, includeSubDomains
 * unless the ConfigMap says otherwise.  NULL: off, or reported. */
static const struct o_hsts *hsts(struct imp *im, const struct nx_config *cf)
{
    const struct strmap_entry *age = entry(cf, "hsts-max-age");
    struct o_hsts *h = ARENA_NEW(im->a, struct o_hsts);
    bool bad = false;

    if (!flag_or(im, cf, "hsts", true, &bad)) {
        if (!bad)
            keys_report(im, cf, hsts_keys, ARRAY_SIZE(hsts_keys), false,
                        DIAG_IMPORT_IGNORED,
                        "nothing to convert: hsts is off, and the output "
                        "sends no HSTS either");
        return NULL;
    }
    h->max_age = HSTS_MAX_AGE;
    h->include_subdomains = flag_or(im, cf, "hsts-include-subdomains", true, &bad);
    h->preload = flag_or(im, cf, "hsts-preload", false, &bad);
    if (age && !imp_value_parse_decimal(age->value, 0, MAX_HSTS_AGE, &h->max_age)) {
        report(im, cf, age, DIAG_IMPORT_NOT_CONVERTED,
               "not converted: gwc takes a max-age of 0 to %d seconds: the "
               "output sends no HSTS", MAX_HSTS_AGE);
        bad = true;
    }
    if (!bad && h->preload && (!h->include_subdomains || h->max_age < HSTS_MAX_AGE)) {
        report(im, cf, entry(cf, "hsts-preload"), DIAG_IMPORT_NOT_CONVERTED,
               "not converted: gwc's hsts takes preload only with "
               "includeSubDomains and a max-age of at least %d s (what the "
               "browsers' preload list requires): the output sends no HSTS",
               HSTS_MAX_AGE);
        bad = true;
    }
    return bad ? NULL : h;
}

static bool has_https(const struct o_gateway *gw)
{
    size_t i;

    for (i = 0; i < gw->listeners.n; i++) {
        const struct o_listener *l = gw->listeners.v[i];
        if (str_eq(l->protocol, "HTTPS"))
            return true;
    }
    for (i = 0; i < gw->sets.n; i++) {
        if (has_https(gw->sets.v[i]))
            return true;
    }
    return false;
}

/* How hsts h went to the Gateways: sent (on some), dropped because
 * --gateway's Gateway serves HTTPS to routes this import does not own, or
 * neither: no HTTPS at all. */
static void hsts_report(struct imp *im, const struct nx_config *cf,
                        const struct o_hsts *h, bool sent, bool dropped)
{
    const char *header = arena_printf(im->a, "max-age=%lld%s%s", (long long)h->max_age,
                                      h->include_subdomains ? "; includeSubDomains" : "",
                                      h->preload ? "; preload" : "");

    if (!sent && !dropped)
        keys_report(im, cf, hsts_keys, ARRAY_SIZE(hsts_keys), false,
                    DIAG_IMPORT_IGNORED,
                    "nothing to convert: no Gateway of the output has an "
                    "HTTPS listener, and ingress-nginx sends HSTS on https "
                    "only");
    else if (sent)
        keys_report(im, cf, hsts_keys, ARRAY_SIZE(hsts_keys), true,
                    DIAG_IMPORT_CONTROLLER_CONFIG,
                    arena_printf(im->a,
                                 "ingress-nginx sends HSTS on every https response "
                                 "(%s): converted to the hsts of a ClientPolicy on "
                                 "each Gateway with an HTTPS listener",
                                 header));
    else
        keys_report(im, cf, hsts_keys, ARRAY_SIZE(hsts_keys), true,
                    DIAG_IMPORT_NOT_CONVERTED,
                    arena_printf(im->a,
                                 "not converted: ingress-nginx sends HSTS on every "
                                 "https response (%s), but --gateway %s may serve "
                                 "routes this import does not own, which a "
                                 "Gateway-wide hsts would change; write a "
                                 "ClientPolicy with hsts for the HTTPS listeners "
                                 "of the imported hosts by hand",
                                 header, im->o->shared_gateway));
}

/* Without the ConfigMap the import cannot tell whether HSTS, on by default
 * in ingress-nginx, was turned off; guessing it on could pin browsers to
 * https for a year on subdomains served over http, so say what is lost. */
static void hsts_default_report(struct imp *im)
{
    size_t i;

    for (i = 0; i < im->gateways.n; i++) {
        if (!has_https(im->gateways.v[i]))
            continue;
        diag_report(&im->c->diags, DIAG_IMPORT_CONTROLLER_DEFAULTS,
                    (struct src_loc){SOURCE_NONE, 0, 0, 0}, NULL, NULL,
                    "ingress-nginx sends 'Strict-Transport-Security: "
                    "max-age=%d; includeSubDomains' on https responses unless "
                    "its controller ConfigMap turns hsts off; that ConfigMap is "
                    "not in the inputs, so the output sends no HSTS: give it "
                    "with the inputs (or --controller-config NS/NAME) to carry "
                    "its hsts keys over, or write a ClientPolicy with hsts",
                    HSTS_MAX_AGE);
        return;
    }
}

void nx_config_gateways(struct imp *im)
{
    const struct nx_config *cf = NX(im)->config;
    const struct o_client_address *ca = cf ? address(im, cf) : NULL;
    const struct o_hsts *h = cf ? hsts(im, cf) : NULL;
    bool sent = false, dropped = false;
    size_t i;

    for (i = 0; i < im->gateways.n; i++) {
        const struct o_gateway *gw = im->gateways.v[i];
        const struct o_hsts *gh = h && has_https(gw) ? h : NULL;
        struct o_gwc_policy *p;
        struct o_target *t;
        struct ptrvec targets = {0};
        if (gh && im->o->shared_gateway) {
            dropped = true;
            gh = NULL;
        }
        sent = sent || gh;
        if (!ca && !gh)
            continue;
        p = ARENA_NEW(im->a, struct o_gwc_policy);
        t = ARENA_NEW(im->a, struct o_target);
        p->kind = "ClientPolicy";
        p->namespace = gw->namespace;
        p->name = imp_name_claim(im, arena_printf(im->a, "ClientPolicy/%s", gw->namespace),
                                 arena_printf(im->a, "%s-controller-config", gw->name),
                                 253);
        p->client_address = ca;
        p->hsts = gh;
        imp_origin_add(im, &p->origins, cf->root);
        t->kind = KIND_GATEWAY;
        t->name = gw->name;
        ptrvec_push(im->a, &targets, t);
        imp_policy_emit(im, p, &targets);
    }
    if (h)
        hsts_report(im, cf, h, sent, dropped);
    else if (!cf)
        hsts_default_report(im);
}

const char *nx_config_take(struct imp *im, struct ing *ing, const char *key)
{
    const struct nx_config *cf = NX(im)->config;
    const struct strmap_entry *e = cf ? entry(cf, key) : NULL;

    if (!e)
        return NULL;
    imp_index_put(im->a, &ing->config_nodes, key, (void *)e->src);
    return e->value;
}

/* The ConfigMap's value of key as annotation name of ing. */
static void as_annotation(struct imp *im, struct ing *ing, const char *name,
                          const struct strmap_entry *e)
{
    struct strmap_entry *a = ARENA_NEW(im->a, struct strmap_entry);

    a->key = arena_printf(im->a, "%s%s", NGINX_PREFIX, name);
    a->value = e->value;
    a->src = e->src;
    imp_index_put(im->a, &ing->config_nodes, name, (void *)e->src);
    nx_annotations_one(im, ing, a, false, false);
}

void nx_config_defaults(struct imp *im, struct ing *ing)
{
    const struct nx_config *cf = NX(im)->config;
    const struct strmap *m = &ing->src->obj.meta.annotations;
    const struct strmap_entry *e;
    size_t i;

    if (!cf || ing->cfg.canary == TRI_TRUE || ing->cfg.ssl_passthrough == TRI_TRUE)
        return; /* canaries take the main Ingress's settings */
    for (i = 0; i < ARRAY_SIZE(annotation_defaults); i++) {
        const char *key = annotation_defaults[i];
        e = entry(cf, key);
        if (!e || model_strmap_get(m, arena_printf(im->a, "%s%s", NGINX_PREFIX, key)))
            continue;
        /* allowlist-source-range is whitelist-source-range's new name */
        if (str_eq(key, "whitelist-source-range") &&
            model_strmap_get(m, NGINX_PREFIX "allowlist-source-range"))
            continue;
        as_annotation(im, ing, key, e);
    }
    e = entry(cf, "block-cidrs");
    if (e && !ing->cfg.allowlist_source_range && !ing->cfg.whitelist_source_range &&
        !ing->cfg.denylist_source_range)
        as_annotation(im, ing, "denylist-source-range", e);
}
