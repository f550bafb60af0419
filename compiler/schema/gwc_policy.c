/*
 * ClientPolicy, AccessPolicy and BackendPolicy (gwc.dev/v1alpha1): the
 * rules of deploy/crds/ that a field table row cannot say (the rows are in
 * model/tables_policy.c, the formats they name in formats_policy.c), as the
 * API server would check them (docs/policies.md gives each field's limits).
 */
#include "schema_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "nginx/vars.h"

#include <ctype.h>
#include <inttypes.h>

static bool is_size(const char *s)
{
    int64_t b;

    return model_parse_size(s, &b);
}

#define SIZE_WORDS "0, or 1 to 9999999 with an optional Ki, Mi or Gi"

static void check_targets(struct schema *s, const struct policy_targets *t)
{
    struct section_ref *refs = ARENA_NEW_ARRAY(s->c->arena, struct section_ref,
                                               t->n ? t->n : 1);
    size_t i, k = 0;

    for (i = 0; i < t->n; i++) {
        const struct policy_target_ref *r = &t->v[i];

        if (!r->src || !r->group || !r->kind || !r->name)
            continue;
        refs[k].at = r->src;
        refs[k].target = arena_printf(s->c->arena, "%s '%s'", r->kind, r->name);
        refs[k].key = arena_printf(s->c->arena, "%s\x1f%s\x1f%s", r->group, r->kind, r->name);
        refs[k].section = r->section_name;
        k++;
    }
    schema_check_distinct_sections(s, DIAG_POLICY_VALIDATION, refs, k);
}

/* One of the listed field names in lower case? */
static bool name_in(const char *name, const char *const *v)
{
    for (; *v; v++) {
        if (str_eq_nocase(name, *v))
            return true;
    }
    return false;
}

static void check_service_ref(struct schema *s, const struct backend_object_ref *r)
{
    if (r->src)
        schema_check_required(s, r->src, r->present & BACKEND_REF_GIVEN_PORT,
                              "port", "ServiceReference");
}

/* ---- ClientPolicy ---- */

static void check_address_detection(struct schema *s, const struct client_policy *p)
{
    static const char *const reserved[] = {"host", "authorization", "cookie",
                                           "content-length", "transfer-encoding", NULL};
    const struct client_address_detection *d = &p->client_address_detection;
    size_t i;

    if (!d->src)
        return;
    if (d->header && name_in(d->header, reserved))
        schema_report(s, DIAG_POLICY_VALIDATION,
                      schema_field_node(d->src, "header"),
                      "header '%s' cannot carry the client address",
                      schema_quote(s, d->header));
    if (str_is(d->source, "Connection") &&
        (d->present & DETECTION_GIVEN_TRUSTED_PROXIES))
        schema_report(s, DIAG_POLICY_VALIDATION,
                      schema_field_node(d->src, "trustedProxies"),
                      "trustedProxies is for source Header or ProxyProtocol; with "
                      "Connection the peer address is the client's");
    else if (d->source && !str_is(d->source, "Connection") && d->n_trusted_proxies == 0)
        schema_report(s, DIAG_POLICY_VALIDATION,
                      schema_field_node(d->src, "trustedProxies"),
                      "source %s needs trustedProxies: only those peers may name "
                      "the client",
                      d->source);
    if (d->source && !str_is(d->source, "Header")) {
        if (d->present & DETECTION_GIVEN_HEADER)
            schema_report(s, DIAG_POLICY_VALIDATION,
                          schema_field_node(d->src, "header"),
                          "header is for source Header only");
        if (d->present & DETECTION_GIVEN_RECURSIVE)
            schema_report(s, DIAG_POLICY_VALIDATION,
                          schema_field_node(d->src, "recursive"),
                          "recursive is for source Header only");
    }
    /* CEL: Gateway, ListenerSet or listener targets only. */
    for (i = 0; i < p->targets.n; i++) {
        const struct policy_target_ref *t = &p->targets.v[i];
        if (t->kind && !str_is(t->kind, "Gateway") && !str_is(t->kind, "ListenerSet"))
            schema_report(
                s, DIAG_POLICY_VALIDATION, schema_field_node(d->src, "source"),
                "clientAddressDetection applies to Gateways, ListenerSets "
                "and listeners only, and targetRefs[%zu] is %s '%s'",
                i, t->kind, t->name ? t->name : "");
    }
}

static void check_request_limits(struct schema *s, const struct request_limits *l)
{
    size_t i;

    if (!l->src)
        return;
    for (i = 0; i < l->n_rate; i++) {
        const struct rate_limit *r = &l->rate[i];
        if (!r->src)
            continue;
    }
    if (!(l->present & (LIMITS_GIVEN_RATE | LIMITS_GIVEN_CONCURRENT)))
        schema_report(s, DIAG_POLICY_VALIDATION, l->src,
                      "requestLimits needs rate or concurrent");
}

static void check_error_responses(struct schema *s, const struct client_policy *p)
{
    struct seen seen;
    size_t i, j;

    schema_seen_init(&seen, s->c->tree, 16 * p->n_error_responses, false);
    for (i = 0; i < p->n_error_responses; i++) {
        const struct error_response *e = &p->error_responses[i];
        int given;

        if (!e->src)
            continue;
        for (j = 0; j < e->n_status_codes; j++) {
            const struct ynode *at = ynode_item(e->src, "statusCodes", j);
            int64_t c = e->status_codes[j];
            if (c < 400 || c > 599)
                schema_report(s, DIAG_VALUE_RANGE, at,
                              "statusCodes[%zu] must be between 400 and 599, got %" PRId64,
                              j, c);
            else if (c == 418 || c == 444 || c == 499)
                schema_report(s, DIAG_POLICY_VALIDATION, at,
                              "%" PRId64 " cannot have an error page (418 is gwc's "
                              "internal dispatch, 444 and 499 send no response)", c);
            else if (schema_seen_add(
                         &seen, arena_printf(s->c->arena, "%" PRId64, c), at, i))
                schema_report(s, DIAG_POLICY_VALIDATION, at,
                              "status %" PRId64 " already has an error response", c);
        }
        check_service_ref(s, &e->backend_ref);
        given = !!(e->present & ERROR_RESPONSE_GIVEN_BODY) +
                !!(e->present & ERROR_RESPONSE_GIVEN_CONFIG_MAP_REF) +
                !!(e->present & ERROR_RESPONSE_GIVEN_BACKEND_REF);
        if (given != 1)
            schema_report(s, DIAG_POLICY_VALIDATION, e->src,
                          "an error response needs exactly one of body, configMapRef "
                          "and backendRef");
        if ((e->present & ERROR_RESPONSE_GIVEN_CONTENT_TYPE) &&
            (e->present & ERROR_RESPONSE_GIVEN_BACKEND_REF))
            schema_report(
                s, DIAG_POLICY_VALIDATION, schema_field_node(e->src, "contentType"),
                "contentType is for static bodies; the backend sends its own");
    }
}

static void check_client_policy(struct schema *s)
{
    const struct client_policy *p = (const struct client_policy *)s->obj;

    check_targets(s, &p->targets);
    check_address_detection(s, p);
    if (p->request_body.src && p->request_body.max_size &&
        !is_size(p->request_body.max_size)) {
        const char *v = p->request_body.max_size;
        size_t n = strlen(v);
        bool nginx_unit = n > 1 && str_has_char("kKmMgG", v[n - 1]) && isdigit((unsigned char)v[0]);
        schema_report(
            s, DIAG_POLICY_SIZE, schema_field_node(p->request_body.src, "maxSize"),
            "maxSize '%s' is not a size gwc maps exactly; %s", schema_quote(s, v),
            nginx_unit ? "nginx's k, m and g are written Ki, Mi and Gi here "
                         "(in a Kubernetes quantity 10m means 0.01)"
                       : SIZE_WORDS);
    }
    check_request_limits(s, &p->request_limits);
    if (p->hsts.src) {
        if (p->hsts.preload == TRI_TRUE &&
            (p->hsts.include_sub_domains != TRI_TRUE || p->hsts.max_age_seconds < 31536000))
            schema_report(s, DIAG_POLICY_VALIDATION,
                          schema_field_node(p->hsts.src, "preload"),
                          "preload needs includeSubDomains and maxAgeSeconds of at "
                          "least 31536000 (the preload list's rules)");
    }
    check_error_responses(s, p);
    if (!(p->present & (CLIENT_GIVEN_ADDRESS_DETECTION | CLIENT_GIVEN_TIMEOUTS |
                        CLIENT_GIVEN_REQUEST_BODY | CLIENT_GIVEN_REQUEST_LIMITS |
                        CLIENT_GIVEN_HSTS | CLIENT_GIVEN_ERROR_RESPONSES)))
        schema_report(s, DIAG_POLICY_VALIDATION, p->spec_src,
                      "a ClientPolicy needs at least one setting besides targetRefs");
}

/* ---- AccessPolicy ---- */

static void check_basic_auth(struct schema *s, const struct basic_auth *b)
{
    if (!b->src)
        return;
    if ((b->present & BASIC_AUTH_GIVEN_KEY) && !str_is(b->format, "Htpasswd"))
        schema_report(
            s, DIAG_POLICY_VALIDATION, schema_field_node(b->src, "key"),
            "key is for format Htpasswd; with UserMap every key is a user");
    if (b->realm && schema_string_ok(b->realm, &schema_fmt_realm) &&
        str_eq_nocase(b->realm, "off"))
        schema_report(s, DIAG_POLICY_VALIDATION, schema_field_node(b->src, "realm"),
                      "realm 'off' would switch authentication off in nginx");
}

static void check_external_auth(struct schema *s, const struct external_auth_policy *e)
{
    /* What gwc writes on the auth request itself.  A client's copy passed
     * on by requestHeaders would come first, and an auth service that reads
     * the first X-Original-URL or Host would authorize the path the client
     * claims; a client's Transfer-Encoding announces a body nginx never
     * sends. */
    static const char *const reserved[] = {
        "host", "content-length", "transfer-encoding", "x-original-uri",
        "x-original-url", "x-original-method", "x-real-ip", "x-forwarded-for",
        "x-auth-request-redirect", "x-forwarded-proto", "connection", NULL};
    static const char *const hop_by_hop[] = {"host", "connection", "keep-alive",
                                             "proxy-connection", "te", "trailer",
                                             "upgrade", NULL};
    size_t i;

    if (!e->src)
        return;
    check_service_ref(s, &e->backend_ref);
    if (!(e->present & EXTAUTH_GIVEN_BACKEND_REF) == !(e->present & EXTAUTH_GIVEN_URL))
        schema_report(s, DIAG_POLICY_VALIDATION, e->src,
                      "externalAuth needs exactly one of backendRef and url");
    if ((e->present & EXTAUTH_GIVEN_PATH) && !(e->present & EXTAUTH_GIVEN_BACKEND_REF))
        schema_report(s, DIAG_POLICY_VALIDATION, schema_field_node(e->src, "path"),
                      "path is for backendRef; a url carries its own path");
    for (i = 0; i < e->n_set_request_headers; i++) {
        const struct http_header *h = &e->set_request_headers[i];
        if (!h->src)
            continue;
        if (h->name && name_in(h->name, reserved))
            schema_report(s, DIAG_POLICY_VALIDATION,
                          schema_field_node(h->src, "name"),
                          "gwc sets %s itself on the auth request", h->name);
    }
    for (i = 0; i < e->n_request_headers; i++) {
        const struct ynode *at = schema_string_item(e->src, "requestHeaders", i);
        const char *name = e->request_headers[i];
        if (at && name && name_in(name, reserved))
            schema_report(s, DIAG_POLICY_VALIDATION, at,
                          "%s is set by gwc on the auth request; a client's copy "
                          "must not reach the auth service",
                          schema_quote(s, name));
    }
    /* An auth service's Content-Length (usually 0) on a request with a
     * body would let the body pass as a second request on the kept-alive
     * backend connection; hop-by-hop headers (RFC 9110, section 7.6.1) and
     * Host are the proxy's to write. */
    for (i = 0; i < e->n_response_headers; i++) {
        const struct ynode *at = schema_string_item(e->src, "responseHeaders", i);
        const char *name = e->response_headers[i];
        if (at && name && (name_in(name, hop_by_hop) || nginx_header_frames_message(name)))
            schema_report(s, DIAG_POLICY_VALIDATION, at,
                          "%s frames the request to the backend or is hop-by-hop; "
                          "nginx sets it, never the auth service",
                          schema_quote(s, name));
    }
    if (e->sign_in.src) {
        const struct sign_in *si = &e->sign_in;
        if (!(si->present & SIGN_IN_GIVEN_URL) == !(si->present & SIGN_IN_GIVEN_PATH))
            schema_report(s, DIAG_POLICY_VALIDATION, si->src,
                          "signIn needs exactly one of url and path");
    }
}

static void check_access_policy(struct schema *s)
{
    const struct access_policy *p = (const struct access_policy *)s->obj;
    const struct client_addresses *a = &p->client_addresses;

    check_targets(s, &p->targets);
    if (a->src) {
        if (!(a->present & (ADDRESSES_GIVEN_ALLOW | ADDRESSES_GIVEN_DENY)))
            schema_report(s, DIAG_POLICY_VALIDATION, a->src,
                          "clientAddresses needs allow or deny");
    }
    check_basic_auth(s, &p->basic_auth);
    check_external_auth(s, &p->external_auth);
    if (!(p->present & (ACCESS_GIVEN_CLIENT_ADDRESSES | ACCESS_GIVEN_BASIC_AUTH |
                        ACCESS_GIVEN_EXTERNAL_AUTH)))
        schema_report(s, DIAG_POLICY_VALIDATION, p->spec_src,
                      "an AccessPolicy needs clientAddresses, basicAuth or externalAuth");
    if (str_is(p->satisfy, "Any") &&
        (a->n_allow == 0 ||
         !(p->present & (ACCESS_GIVEN_BASIC_AUTH | ACCESS_GIVEN_EXTERNAL_AUTH))))
        schema_report(
            s, DIAG_POLICY_VALIDATION, schema_field_node(p->spec_src, "satisfy"),
            "satisfy Any needs clientAddresses.allow and an authentication "
            "(either one lets a request in)");
}

/* ---- BackendPolicy ---- */

static void check_consistent_hash(struct schema *s, const struct consistent_hash *h)
{
    static const struct {
        const char *source, *field;
        uint8_t bit;
    } needs[] = {{"Header", "header", HASH_GIVEN_HEADER},
                 {"Cookie", "cookie", HASH_GIVEN_COOKIE},
                 {"QueryParameter", "queryParameter", HASH_GIVEN_QUERY_PARAMETER}};
    const struct hash_cookie *ck = &h->cookie;
    size_t i;

    if (!h->src)
        return;
    for (i = 0; h->source && i < ARRAY_SIZE(needs); i++) {
        bool want = str_is(h->source, needs[i].source), has = h->present & needs[i].bit;
        if (want != has)
            schema_report(s, DIAG_POLICY_VALIDATION,
                          has ? schema_field_node(h->src, needs[i].field)
                              : schema_field_node(h->src, "source"),
                          want ? "source %s needs %s" : "%s is for source %s",
                          want ? needs[i].source : needs[i].field,
                          want ? needs[i].field : needs[i].source);
    }
    if (!ck->src)
        return;
    if (ck->issue != TRI_TRUE &&
        (ck->present & (HASH_COOKIE_GIVEN_PATH | HASH_COOKIE_GIVEN_DOMAIN |
                        HASH_COOKIE_GIVEN_MAX_AGE_SECONDS | HASH_COOKIE_GIVEN_SECURE |
                        HASH_COOKIE_GIVEN_HTTP_ONLY | HASH_COOKIE_GIVEN_SAME_SITE)))
        schema_report(s, DIAG_POLICY_VALIDATION, ck->src,
                      "cookie attributes are for an issued cookie (issue: true)");
    if (str_is(ck->same_site, "None") && ck->secure != TRI_TRUE)
        schema_report(s, DIAG_POLICY_VALIDATION,
                      schema_field_node(ck->src, "sameSite"),
                      "sameSite None needs secure: browsers refuse it otherwise");
}

static void check_backend_policy(struct schema *s)
{
    const struct backend_policy *p = (const struct backend_policy *)s->obj;
    const struct load_balancing *lb = &p->load_balancing;
    const struct backend_retry *r = &p->retry;
    size_t i;

    check_targets(s, &p->targets);
    if (lb->src) {
        if (str_is(lb->method, "ConsistentHash") !=
            !!(lb->present & LB_GIVEN_CONSISTENT_HASH))
            schema_report(
                s, DIAG_POLICY_VALIDATION,
                schema_field_node(
                    lb->src, lb->consistent_hash.src ? "consistentHash" : "method"),
                "consistentHash goes with method ConsistentHash, and only "
                "with it");
        check_consistent_hash(s, &lb->consistent_hash);
    }
    if (r->src) {
        for (i = 0; i < r->n_status_codes; i++) {
            int64_t c = r->status_codes[i];
            if (c != 403 && c != 404 && c != 429 && c != 500 && c != 502 && c != 503 &&
                c != 504)
                schema_report(s, DIAG_ENUM_VALUE, ynode_item(r->src, "statusCodes", i),
                              "statusCodes[%zu] %" PRId64 " is not one nginx can retry "
                              "on: 403, 404, 429, 500, 502, 503, 504", i, c);
        }
    }
    if (!(p->present & (BACKEND_GIVEN_TIMEOUTS | BACKEND_GIVEN_LOAD_BALANCING |
                        BACKEND_GIVEN_KEEPALIVE | BACKEND_GIVEN_BUFFERING |
                        BACKEND_GIVEN_RETRY)))
        schema_report(s, DIAG_POLICY_VALIDATION, p->spec_src,
                      "a BackendPolicy needs at least one setting besides targetRefs");
}

void schema_gwc_policy(struct schema *s)
{
    switch (s->obj->kind) {
    case KIND_CLIENT_POLICY:
        check_client_policy(s);
        return;
    case KIND_ACCESS_POLICY:
        check_access_policy(s);
        return;
    case KIND_BACKEND_POLICY:
        check_backend_policy(s);
        return;
    default:
        BUG("not a gwc policy");
    }
}
