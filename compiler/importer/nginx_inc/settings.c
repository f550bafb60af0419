/*
 * An Ingress's client and upstream settings (NIC's annotations page;
 * nginx.ingress.tmpl writes them into the Ingress's locations and
 * upstreams) as gwc policy fields:
 *
 *   client-max-body-size    ClientPolicy requestBody.maxSize
 *   proxy-connect-timeout   BackendPolicy timeouts.connect (nginx caps
 *   proxy-send-timeout        it at 75 s), .send and .read: the same
 *   proxy-read-timeout        nginx directives
 *   keepalive               BackendPolicy keepalive.connections
 *   proxy-buffering         BackendPolicy buffering.response
 *   lb-method               BackendPolicy loadBalancing: round_robin and
 *                           least_conn as such, "hash $remote_addr |
 *                           $request_uri | $http_NAME consistent" as a
 *                           consistent hash; ip_hash and "random two
 *                           least_conn" (NIC's default) approximated
 *
 * A VirtualServer upstream's lb-method, connect-timeout, send-timeout,
 * read-timeout, client-max-body-size, keepalive and buffering mean the
 * same for the locations
 * that pass to it; Gateway API sets them per rule, so a rule whose
 * upstreams disagree on one leaves it out (reported, virtualserver.c).
 *
 * Each converted setting is a level entry like a Policy (policy_sets.c
 * merges them per key: a minion's replaces its master's), and the report
 * names the gwc policy it went into (policy_write.c).
 */
#include "nic_policy.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

#define MAX_SIZE 9999999          /* gwc's maxSize digits */
#define MAX_CONNECT 75            /* seconds nginx waits for a connection */
#define MAX_TIMEOUT (576 * 3600)  /* gwc's longest send and read timeouts */
#define MAX_KEEPALIVE 1024        /* gwc's keepalive.connections */

const struct nic_setting_info nic_setting_infos[NIC_SET_N] = {
    [NIC_SET_BODY] = {"client-max-body-size", "client-max-body-size",
                      "spec.requestBody.maxSize"},
    [NIC_SET_CONNECT] = {"proxy-connect-timeout", "connect-timeout",
                         "spec.timeouts.connect"},
    [NIC_SET_SEND] = {"proxy-send-timeout", "send-timeout", "spec.timeouts.send"},
    [NIC_SET_READ] = {"proxy-read-timeout", "read-timeout", "spec.timeouts.read"},
    [NIC_SET_LB] = {"lb-method", "lb-method", "spec.loadBalancing"},
    [NIC_SET_KEEPALIVE] = {"keepalive", "keepalive", "spec.keepalive.connections"},
    [NIC_SET_BUFFERING] = {"proxy-buffering", "buffering", "spec.buffering.response"},
};

static void not_converted(struct imp *im, const struct imp_src *src,
                          const struct ynode *at, const char *why)
{
    imp_report_src(im, src, at, DIAG_IMPORT_NOT_CONVERTED, "not converted: %s", why);
}

static const char *timeout(struct imp *im, const struct imp_src *src,
                           const struct ynode *at, int64_t max)
{
    int64_t s;

    if (!imp_value_nginx_seconds(at->text, INT32_MAX, &s) || s == 0) {
        not_converted(im, src, at,
                      "gwc takes a whole number of seconds, minutes, hours or "
                      "days ('60s', '2m'), more than 0");
        return NULL;
    }
    if (s > max) {
        imp_report_src(im, src, at, DIAG_IMPORT_APPROXIMATED,
                       "%lld s is longer than %s (%lld s): written as that",
                       (long long)s,
                       max == MAX_CONNECT ? "nginx waits for a connection"
                                          : "gwc's longest timeout",
                       (long long)max);
        s = max;
    }
    return imp_value_duration_seconds(im->a, s);
}

/* "hash KEY [consistent]": the keys gwc hashes the same way. */
static struct o_load_balancing *hash_method(struct imp *im, const struct imp_src *src,
                                            const struct ynode *at, const char *spec)
{
    struct o_load_balancing *lb = ARENA_NEW(im->a, struct o_load_balancing);
    size_t n = strcspn(spec, " ");
    const char *key = arena_strndup(im->a, spec, n), *rest = spec + n;

    while (*rest == ' ')
        rest++;
    lb->method = "ConsistentHash";
    if (str_eq(key, "$remote_addr")) {
        lb->source = "ClientAddress";
    } else if (str_eq(key, "$request_uri")) {
        lb->source = "RequestURI";
    } else if (strncmp(key, "$http_", 6) == 0 && key[6]) {
        char *h = arena_strdup(im->a, key + 6), *p;
        for (p = h; *p; p++)
            *p = *p == '_' ? '-' : *p;
        lb->source = "Header";
        lb->name = h;
        if (!imp_value_header_name(h))
            lb = NULL;
    } else {
        lb = NULL;
    }
    if (!lb || (*rest && !str_eq(rest, "consistent"))) {
        not_converted(im, src, at,
                      "gwc hashes the client address ($remote_addr), the "
                      "request URI ($request_uri) or one request header "
                      "($http_NAME)");
        return NULL;
    }
    if (!*rest)
        imp_report_src(im, src, at, DIAG_IMPORT_APPROXIMATED,
                       "nginx's hash without 'consistent' moves most keys to "
                       "another endpoint when one is added or removed; gwc's "
                       "hash is consistent (ketama), so a key stays where it is");
    return lb;
}

static const struct o_load_balancing *lb_method(struct imp *im, const struct imp_src *src,
                                                const struct ynode *at)
{
    struct o_load_balancing *lb;
    const char *v = at->text;

    if (strncmp(v, "hash ", 5) == 0)
        return hash_method(im, src, at, v + 5);
    lb = ARENA_NEW(im->a, struct o_load_balancing);
    if (str_eq(v, "round_robin")) {
        lb->method = "RoundRobin";
    } else if (str_eq(v, "least_conn") || str_eq(v, "random two least_conn")) {
        lb->method = "LeastConnections";
        if (!str_eq(v, "least_conn"))
            imp_report_src(im, src, at, DIAG_IMPORT_APPROXIMATED,
                           "nginx's random two least_conn picks the less busy of "
                           "two random endpoints; gwc's LeastConnections the least "
                           "busy of all");
    } else if (str_eq(v, "ip_hash")) {
        lb->method = "ConsistentHash";
        lb->source = "ClientAddress";
        imp_report_src(im, src, at, DIAG_IMPORT_APPROXIMATED,
                       "ip_hash keys an IPv4 client on its first three octets; "
                       "gwc's ClientAddress hash on the whole address, so one "
                       "client still stays on one endpoint");
    } else {
        not_converted(im, src, at,
                      "gwc balances round robin, by least connections or by a "
                      "consistent hash; nginx's random methods have no equivalent, "
                      "and gwc's default (round robin) applies");
        return NULL;
    }
    return lb;
}

/* keepalive N: idle connections kept per worker, 0 none. */
static bool keepalive(struct imp *im, const struct imp_src *src, const struct ynode *at,
                      int64_t *out)
{
    if (!imp_value_parse_decimal(at->text, 0, INT32_MAX, out)) {
        not_converted(im, src, at, "the value is not a number of connections");
        return false;
    }
    if (*out > MAX_KEEPALIVE) {
        imp_report_src(im, src, at, DIAG_IMPORT_APPROXIMATED,
                       "gwc keeps at most %d idle connections per worker: "
                       "written as that",
                       MAX_KEEPALIVE);
        *out = MAX_KEEPALIVE;
    }
    return true;
}

/* NIC reads proxy-buffering with Go's strconv.ParseBool. */
static bool buffering(struct imp *im, const struct imp_src *src, const struct ynode *at,
                      bool *out)
{
    if (!imp_value_parse_go_bool(at->text, out)) {
        not_converted(im, src, at, "the value is not a boolean");
        return false;
    }
    return true;
}

/* The setting k written at at into p; false (reported) when it does not
 * convert. */
static bool decode(struct imp *im, const struct imp_src *src, const struct ynode *at,
                   enum nic_setting k, struct nic_policy *p)
{
    if (at->kind != YNODE_SCALAR) {
        not_converted(im, src, at, "the value is not a string");
        return false;
    }
    switch (k) {
    case NIC_SET_BODY:
        if (!(p->value = imp_value_nginx_size(im->a, at->text, MAX_SIZE)))
            not_converted(im, src, at,
                          "gwc takes 0 to 9999999 bytes, KiB, MiB or GiB "
                          "(nginx's k, m, g)");
        return p->value != NULL;
    case NIC_SET_CONNECT:
        return (p->value = timeout(im, src, at, MAX_CONNECT)) != NULL;
    case NIC_SET_SEND:
    case NIC_SET_READ:
        return (p->value = timeout(im, src, at, MAX_TIMEOUT)) != NULL;
    case NIC_SET_LB:
        return (p->lb = lb_method(im, src, at)) != NULL;
    case NIC_SET_KEEPALIVE:
        return keepalive(im, src, at, &p->number);
    case NIC_SET_BUFFERING:
        return buffering(im, src, at, &p->flag);
    case NIC_SET_N:
        break;
    }
    return false;
}

void nic_settings(struct imp *im, const struct imp_src *src,
                  const struct ynode *const at_of[NIC_SET_N], struct nic_level *lv)
{
    size_t k;

    for (k = 0; k < NIC_SET_N; k++) {
        struct nic_policy *p;

        if (!at_of[k])
            continue;
        p = ARENA_NEW(im->a, struct nic_policy);
        p->src = *src;
        p->at = at_of[k];
        p->kind = NP_SETTING;
        p->converted = true;
        p->setting = (enum nic_setting)k;
        if (decode(im, src, at_of[k], p->setting, p))
            lv->settings[k] = p;
    }
}

static bool same_setting(const struct nic_policy *a, const struct nic_policy *b)
{
    return a == b || (a && b && str_eq(a->at->text, b->at->text));
}

const struct nic_level *nic_settings_common(struct imp *im, const struct imp_src *src,
                                            const struct ynode *at,
                                            const struct nic_level *const *ups,
                                            size_t n)
{
    struct nic_level *out = ARENA_NEW(im->a, struct nic_level);
    size_t i, k;

    for (k = 0; k < NIC_SET_N && n; k++) {
        const struct nic_policy *first = ups[0] ? ups[0]->settings[k] : NULL;
        const struct nic_policy *other = NULL;
        for (i = 1; i < n && !other; i++) {
            const struct nic_policy *p = ups[i] ? ups[i]->settings[k] : NULL;
            if (!same_setting(first, p))
                other = first ? first : p;
        }
        if (!other)
            out->settings[k] = first;
        else
            not_converted(im, src, at,
                          arena_printf(im->a,
                                       "the upstreams of this route set %s "
                                       "differently, and Gateway API sets it for "
                                       "the whole rule",
                                       other->at->key));
    }
    return out;
}
