/*
 * ingress-nginx's client and backend settings as a ClientPolicy (body
 * size, request rate and connection limits) and a BackendPolicy (upstream
 * timeouts, load balancing; retries: retry.c), docs/policies.md
 * "Importing ingress-nginx annotations".
 */
#include "nx.h"

#include "base/arena.h"
#include "base/array.h"

#include <string.h>

/* gwc's limits */
#define MAX_EXEMPT 64
#define MAX_RATE 1000000
#define MAX_SIZE 9999999
#define MAX_CONNECT 75           /* seconds */
#define MAX_TIMEOUT (576 * 3600) /* seconds */

static void body_size(struct imp *im, struct ing *ing)
{
    const char *v = ing->cfg.proxy_body_size;
    const char *size;

    if (!v)
        return;
    if (!(size = imp_value_nginx_size(im->a, v, MAX_SIZE))) {
        nx_report_annotation(im, ing, "proxy-body-size", DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: gwc takes 0 to %d bytes, KiB, MiB or "
                             "GiB (nginx's k, m, g)",
                             MAX_SIZE);
        return;
    }
    nx_pol_get(im, ing, "ClientPolicy")->max_body_size = size;
    nx_pol_converted(im, ing, "proxy-body-size", "ClientPolicy",
                     "spec.requestBody.maxSize");
}

/* ingress-nginx answers limits with limit-req-status-code and
 * limit-conn-status-code of its ConfigMap (503 by default) in the http
 * block; gwc with one rejectStatusCode per policy, for both. */
static const char *const status_keys[2] = {"limit-req-status-code",
                                           "limit-conn-status-code"};

static int64_t limit_status(struct imp *im, struct ing *ing, size_t which)
{
    const char *v = nx_config_take(im, ing, status_keys[which]);
    int64_t code = 503;

    if (v && !imp_value_parse_decimal(v, 400, 599, &code)) {
        nx_report_annotation(im, ing, status_keys[which], DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: gwc answers a limit with 400 to 599; "
                             "over it 503");
        code = 503;
    }
    return code;
}

/* p's rejectStatusCode: one status for the limits p has (req and conn,
 * 0 for a kind it lacks); rate limits win when the two differ (reported). */
static void reject_status(struct imp *im, struct ing *ing, struct o_gwc_policy *p,
                          int64_t req, int64_t conn)
{
    int64_t code = req ? req : conn;
    size_t i;

    if (req && conn && req != conn) {
        /* at the key that set the status lost (503 unset: the other) */
        bool conn_set = imp_index_get(&ing->config_nodes, status_keys[1]);
        nx_report_annotation(im, ing, status_keys[conn_set ? 1 : 0],
                             DIAG_IMPORT_APPROXIMATED,
                             "one rejectStatusCode answers rate and connection "
                             "limits: over limit-connections the Gateway answers "
                             "%lld, where ingress-nginx answers %lld",
                             (long long)req, (long long)conn);
    }
    if (code == 503)
        return; /* gwc's default */
    p->reject_status = code;
    for (i = 0; i < 2; i++) {
        if ((i ? conn : req) == code)
            nx_pol_converted(im, ing, status_keys[i], "ClientPolicy",
                             "spec.requestLimits.rejectStatusCode");
    }
}

static void rate(struct imp *im, struct ing *ing, const char *key, int64_t v,
                 const char *per, int64_t mult, int64_t status)
{
    struct o_gwc_policy *p;

    if (v == INT_UNSET)
        return;
    if (v == 0) {
        nx_report_annotation(im, ing, key, DIAG_IMPORT_IGNORED,
                             "0 is ingress-nginx's 'no limit': nothing to convert");
        return;
    }
    if (v > MAX_RATE || v * mult > MAX_RATE) {
        nx_report_annotation(im, ing, key, DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: gwc takes a rate and a burst of at "
                             "most %d",
                             MAX_RATE);
        return;
    }
    p = nx_pol_get(im, ing, "ClientPolicy");
    p->rates[p->n_rates].requests = v;
    p->rates[p->n_rates].per = per;
    p->rates[p->n_rates].burst = v * mult;
    p->n_rates++;
    nx_pol_converted(im, ing, key, "ClientPolicy",
                     "spec.requestLimits.rate, burst %lld = %lld x "
                     "limit-burst-multiplier %lld, as ingress-nginx; over it %lld",
                     (long long)(v * mult), (long long)v, (long long)mult,
                     (long long)status);
}

static void limits(struct imp *im, struct ing *ing)
{
    static const char *const keys[] = {"limit-burst-multiplier", "limit-allowlist",
                                       "limit-whitelist"};
    const struct ing_config *c = &ing->cfg;
    int64_t mult = c->limit_burst_multiplier >= 1 ? c->limit_burst_multiplier : 5;
    const char *exempt_key =
        c->limit_allowlist ? "limit-allowlist" : "limit-whitelist";
    const char *exempt =
        c->limit_allowlist ? c->limit_allowlist : c->limit_whitelist;
    int64_t req = c->limit_rps > 0 || c->limit_rpm > 0 ? limit_status(im, ing, 0) : 0;
    int64_t conn = c->limit_connections > 0 ? limit_status(im, ing, 1) : 0;
    struct o_gwc_policy *p;

    rate(im, ing, "limit-rps", c->limit_rps, "Second", mult, req);
    rate(im, ing, "limit-rpm", c->limit_rpm, "Minute", mult, req);
    if (conn) {
        nx_pol_get(im, ing, "ClientPolicy")->concurrent = c->limit_connections;
        nx_pol_converted(im, ing, "limit-connections", "ClientPolicy",
                         "spec.requestLimits.concurrent; over it %lld", (long long)conn);
    }
    p = nx_pol_find(ing, "ClientPolicy");
    if (!p || (!p->n_rates && !p->concurrent)) {
        nx_pol_ignored_without(im, ing, keys, ARRAY_SIZE(keys),
                               "limit-rps, limit-rpm or limit-connections");
        return;
    }
    reject_status(im, ing, p, p->n_rates ? req : 0, conn);
    if (c->limit_burst_multiplier != INT_UNSET && p->n_rates)
        nx_pol_converted(im, ing, "limit-burst-multiplier", "ClientPolicy",
                         "spec.requestLimits.rate[].burst");
    if (exempt) {
        const char *why;
        size_t n;
        const char **v = nx_pol_cidrs(im, exempt, MAX_EXEMPT, &n, &why);
        if (!v) {
            nx_report_annotation(im, ing, exempt_key, DIAG_IMPORT_NOT_CONVERTED,
                                 "not converted: %s; every client is limited", why);
            return;
        }
        p->exempt = v;
        p->n_exempt = n;
        nx_pol_converted(im, ing, exempt_key, "ClientPolicy",
                         "spec.requestLimits.exemptCIDRs");
    }
}

/* BackendPolicy */

static const char *timeout(struct imp *im, struct ing *ing, const char *key,
                           int64_t v, int64_t max, const char *field)
{
    if (v == INT_UNSET)
        return NULL;
    if (v > max) {
        nx_report_annotation(im, ing, key, DIAG_IMPORT_APPROXIMATED,
                             "%lld s is longer than nginx waits (%lld s): "
                             "written as that",
                             (long long)v, (long long)max);
        v = max;
    }
    nx_pol_converted(im, ing, key, "BackendPolicy", "spec.timeouts.%s", field);
    return imp_value_duration_seconds(im->a, v);
}

static void timeouts(struct imp *im, struct ing *ing)
{
    const struct ing_config *c = &ing->cfg;
    struct o_gwc_policy *p;

    if (c->proxy_connect_timeout == INT_UNSET &&
        c->proxy_send_timeout == INT_UNSET && c->proxy_read_timeout == INT_UNSET)
        return;
    p = nx_pol_get(im, ing, "BackendPolicy");
    p->connect_timeout = timeout(im, ing, "proxy-connect-timeout",
                                 c->proxy_connect_timeout, MAX_CONNECT, "connect");
    p->send_timeout = timeout(im, ing, "proxy-send-timeout", c->proxy_send_timeout,
                              MAX_TIMEOUT, "send");
    p->read_timeout = timeout(im, ing, "proxy-read-timeout", c->proxy_read_timeout,
                              MAX_TIMEOUT, "read");
}

/* upstream-hash-by: one nginx variable as the consistent-hash key.  Both
 * hash with ketama, so a key stays on one endpoint, but not on the same
 * endpoint ingress-nginx's Lua balancer picks; a request without the key
 * is spread round robin here, where ingress-nginx hashes the empty key
 * and sends all of them to one endpoint. */
static bool hash_key(struct imp *im, const char *v, struct o_load_balancing *lb)
{
    static const struct {
        const char *prefix, *source;
    } named[] = {
        {"$http_", "Header"}, {"$cookie_", "Cookie"}, {"$arg_", "QueryParameter"}};
    size_t i;

    lb->method = "ConsistentHash";
    if (str_eq(v, "$request_uri")) {
        lb->source = "RequestURI";
        return true;
    }
    if (str_eq(v, "$remote_addr") || str_eq(v, "$binary_remote_addr")) {
        lb->source = "ClientAddress";
        return true;
    }
    for (i = 0; i < ARRAY_SIZE(named); i++) {
        size_t n = strlen(named[i].prefix);
        char *name, *p;
        if (strncmp(v, named[i].prefix, n) != 0 || !v[n] || strchr(v + n, '$') ||
            !imp_value_in_alphabet(v + n, "_"))
            continue;
        lb->source = named[i].source;
        name = arena_strdup(im->a, v + n);
        if (i == 0) /* $http_x_user is the header X-User */
            for (p = name; *p; p++)
                *p = *p == '_' ? '-' : *p;
        lb->name = name;
        return imp_value_header_name(name);
    }
    return false;
}

static void load_balancing(struct imp *im, struct ing *ing)
{
    const struct ing_config *c = &ing->cfg;
    struct o_load_balancing *lb;

    if (!c->load_balance && !c->upstream_hash_by)
        return;
    lb = ARENA_NEW(im->a, struct o_load_balancing);
    if (c->upstream_hash_by) {
        if (!hash_key(im, c->upstream_hash_by, lb)) {
            nx_report_annotation(im, ing, "upstream-hash-by",
                                 DIAG_IMPORT_NOT_CONVERTED,
                                 "not converted: gwc hashes on $request_uri, "
                                 "$remote_addr, or one $http_, $cookie_ or $arg_ "
                                 "variable; requests are spread round robin");
            return;
        }
        if (c->load_balance)
            nx_report_annotation(im, ing, "load-balance", DIAG_IMPORT_IGNORED,
                                 "ignored: upstream-hash-by takes precedence");
        nx_pol_get(im, ing, "BackendPolicy")->load_balancing = lb;
        nx_pol_converted(im, ing, "upstream-hash-by", "BackendPolicy",
                         "spec.loadBalancing.consistentHash");
        nx_report_annotation(im, ing, "upstream-hash-by", DIAG_IMPORT_APPROXIMATED,
                             "requests without the key are spread round robin, "
                             "where ingress-nginx sends them all to one endpoint%s",
                             str_eq(lb->source, "Cookie") ||
                                     str_eq(lb->source, "QueryParameter")
                                 ? "; the name is matched case-sensitively"
                                 : "");
        return;
    }
    if (str_eq(c->load_balance, "round_robin")) {
        nx_report_annotation(im, ing, "load-balance", DIAG_IMPORT_IGNORED,
                             "'round_robin' is ingress-nginx's default: nothing "
                             "to convert");
        return;
    }
    if (!str_eq(c->load_balance, "ewma")) {
        nx_report_annotation(im, ing, "load-balance", DIAG_IMPORT_BAD_VALUE,
                             "ingress-nginx knows round_robin and ewma; not "
                             "converted");
        return;
    }
    lb->method = "LeastConnections";
    nx_pol_get(im, ing, "BackendPolicy")->load_balancing = lb;
    nx_pol_converted(im, ing, "load-balance", "BackendPolicy",
                     "spec.loadBalancing.method");
    nx_report_annotation(im, ing, "load-balance", DIAG_IMPORT_APPROXIMATED,
                         "nginx has no EWMA (latency-weighted) balancing: the "
                         "endpoint with the fewest active connections is chosen");
}

void nx_traffic_feature(struct imp *im, struct ing *ing)
{
    body_size(im, ing);
    limits(im, ing);
    timeouts(im, ing);
    load_balancing(im, ing);
    nx_retry_feature(im, ing);
}

void nx_traffic_canary(struct imp *im, const struct ing *ing)
{
    static const char *const keys[] = {"load-balance", "upstream-hash-by"};
    size_t i;

    for (i = 0; i < ARRAY_SIZE(keys); i++) {
        if (i == 0 && ing->cfg.load_balance &&
            str_eq(ing->cfg.load_balance, "round_robin"))
            nx_report_annotation(im, ing, keys[i], DIAG_IMPORT_IGNORED,
                                 "'round_robin' is ingress-nginx's default: "
                                 "nothing to convert");
        else if (nx_report_annotation_node(ing, keys[i]))
            nx_report_annotation(im, ing, keys[i], DIAG_IMPORT_NOT_CONVERTED,
                                 "not converted: how ingress-nginx picks an "
                                 "endpoint of the canary's Service; the canary's "
                                 "rules follow the main Ingress's BackendPolicy");
    }
}
