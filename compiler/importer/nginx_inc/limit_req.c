/*
 * NIC's rate limit of an Ingress: the nginx.org/limit-req-* annotations
 * (annotations.go parseRateLimitAnnotations; nginx.ingress.tmpl writes one
 * limit_req_zone per Ingress, keyed by limit-req-key, and a limit_req in
 * each of the Ingress's locations).  It becomes a requestLimits.rate of
 * the Ingress's ClientPolicy through the same level entry as a rateLimit
 * Policy (policy_sets.c), so that one ClientPolicy counts all the
 * Ingress's paths together, as NIC's zone does.  A minion inherits each
 * annotation from its master unless it sets it (NIC merges them as
 * strings, then parses) and counts in a zone of its own.
 *
 *   annotation     NIC's default          gwc
 *   rate           (none: no limit)       rate[].requests and per
 *   burst          0                      rate[].burst
 *   no-delay       false                  rate[].noDelay
 *   delay          0 (the burst waits)    above 0 without no-delay: the
 *                                         whole burst waits (GW0836)
 *   reject-code    429                    rejectStatusCode
 *   key            ${binary_remote_addr}  the client address only; any
 *                                         other key: no limit, an error
 *                                         (GW0860), as a rate limit
 *                                         protects the backends
 *   dry-run        false                  true: nothing limited, as NIC
 *                                         (GW0836)
 *   scale          false                  true: NIC divides the rate among
 *                                         its pods; written whole (GW0836)
 *   zone-size, log-level                  ignored (GW0808)
 *
 * NIC logs a value it cannot parse and keeps its default; an unparsable
 * rate leaves the Ingress without a limit.  Each report is made once per
 * annotation, however many minions inherit it.
 */
#include "nic_policy.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <stdint.h>
#include <string.h>

#define MAX_BURST 1000000 /* gwc's rate[].burst */

const char *const nic_limit_req_names[NIC_LR_N] = {
    [NIC_LR_RATE] = "limit-req-rate",
    [NIC_LR_KEY] = "limit-req-key",
    [NIC_LR_BURST] = "limit-req-burst",
    [NIC_LR_DELAY] = "limit-req-delay",
    [NIC_LR_NO_DELAY] = "limit-req-no-delay",
    [NIC_LR_DRY_RUN] = "limit-req-dry-run",
    [NIC_LR_REJECT] = "limit-req-reject-code",
    [NIC_LR_ZONE_SIZE] = "limit-req-zone-size",
    [NIC_LR_LOG_LEVEL] = "limit-req-log-level",
    [NIC_LR_SCALE] = "limit-req-scale",
};

/* The effective annotations of one Ingress, each with its Ingress. */
struct eff {
    const struct ynode *at[NIC_LR_N];
    const struct imp_src *src[NIC_LR_N];
};

/* Reports at an annotation a master's minions share are made once. */
static bool first_time(struct imp *im, const struct ynode *at, enum diag_code code)
{
    const char *key = arena_printf(im->a, "%p/%d", (const void *)at, (int)code);

    if (imp_index_get(&NIC(im)->limit_said, key))
        return false;
    imp_index_put(im->a, &NIC(im)->limit_said, key, (void *)at);
    return true;
}

#define SAY(im, e, k, code, ...)                                                   \
    do {                                                                           \
        if (first_time((im), (e)->at[k], (code)))                                  \
            imp_report_src((im), (e)->src[k], (e)->at[k], (code), __VA_ARGS__);    \
    } while (0)

static void bad(struct imp *im, const struct eff *e, enum nic_limit_req k,
                const char *what, const char *then)
{
    SAY(im, e, k, DIAG_IMPORT_BAD_VALUE,
        "'%s' is not %s; NIC logs an error and %s", imp_report_value(im, e->at[k]->text),
        what, then);
}

static bool number(struct imp *im, const struct eff *e, enum nic_limit_req k,
                   int64_t max, int64_t *out)
{
    if (!e->at[k])
        return false;
    if (imp_value_parse_decimal(e->at[k]->text, 0, INT32_MAX, out) && *out <= max)
        return true;
    SAY(im, e, k, DIAG_IMPORT_BAD_VALUE,
        "'%s' is not a whole number from 0 to %lld, which NIC (or nginx, or "
        "gwc) refuses; 0 is written, NIC's default",
        imp_report_value(im, e->at[k]->text), (long long)max);
    return false;
}

static bool flag(struct imp *im, const struct eff *e, enum nic_limit_req k, bool *out)
{
    if (!e->at[k])
        return false;
    if (imp_value_parse_go_bool(e->at[k]->text, out))
        return true;
    bad(im, e, k, "a boolean", "keeps its default (false)");
    return false;
}

/* ${binary_remote_addr} and ${remote_addr} (with or without braces) count
 * per client address, as gwc's limits do. */
static bool client_key(const char *s)
{
    static const char *const keys[] = {"${binary_remote_addr}", "$binary_remote_addr",
                                       "${remote_addr}", "$remote_addr"};
    size_t i;

    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (str_eq(s, keys[i]))
            return true;
    }
    return false;
}

static const char *trimmed(struct imp *im, const char *s)
{
    size_t n;

    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return arena_strndup(im->a, s, n);
}

/* The fields that do not change what is limited, reported. */
static void ignored(struct imp *im, const struct eff *e)
{
    if (e->at[NIC_LR_ZONE_SIZE])
        SAY(im, e, NIC_LR_ZONE_SIZE, DIAG_IMPORT_IGNORED,
            "ignored: gwc keeps 1 MiB of counters per limit (about 16,000 "
            "addresses); when it is full nginx forgets the least recently seen");
    if (e->at[NIC_LR_LOG_LEVEL])
        SAY(im, e, NIC_LR_LOG_LEVEL, DIAG_IMPORT_IGNORED,
            "ignored: how nginx logs refused requests");
}

/* delay, no-delay and scale: what the limit does with the burst and the
 * rate. */
static void shape(struct imp *im, const struct eff *e, struct nic_policy *p)
{
    bool no_delay = false, scale = false;
    int64_t delay = 0;

    flag(im, e, NIC_LR_NO_DELAY, &no_delay);
    number(im, e, NIC_LR_DELAY, INT32_MAX, &delay);
    p->rate.delay = !no_delay;
    if (!no_delay && delay > 0)
        SAY(im, e, NIC_LR_DELAY, DIAG_IMPORT_RATE_LIMIT, NIC_RATE_DELAY_FMT,
            (long long)delay);
    if (flag(im, e, NIC_LR_SCALE, &scale) && scale)
        SAY(im, e, NIC_LR_SCALE, DIAG_IMPORT_RATE_LIMIT, "%s", NIC_RATE_SCALE_WHY);
}

void nic_limit_req(struct imp *im, const struct imp_src *src, const struct nic_ann *own,
                   const struct imp_src *master_src, const struct nic_ann *master,
                   struct nic_level *lv)
{
    struct nic_policy *p;
    struct eff e;
    const char *rate, *key;
    size_t k;

    for (k = 0; k < NIC_LR_N; k++) {
        bool mine = own->limit_req[k] || !master;
        e.at[k] = mine ? own->limit_req[k] : master->limit_req[k];
        e.src[k] = mine ? src : master_src;
    }
    ignored(im, &e);
    if (!e.at[NIC_LR_RATE]) {
        for (k = 0; k < NIC_LR_N; k++) {
            if (e.at[k] && e.src[k] == src && k != NIC_LR_ZONE_SIZE &&
                k != NIC_LR_LOG_LEVEL)
                SAY(im, &e, k, DIAG_IMPORT_IGNORED,
                    "ignored: without nginx.org/limit-req-rate NIC limits nothing");
        }
        return;
    }
    p = ARENA_NEW(im->a, struct nic_policy);
    p->src = *e.src[NIC_LR_RATE];
    p->at = e.at[NIC_LR_RATE];
    p->kind = NP_RATE;
    p->converted = true;
    p->reject = 429;
    rate = trimmed(im, p->at->text);
    key = e.at[NIC_LR_KEY] ? e.at[NIC_LR_KEY]->text : "${binary_remote_addr}";
    if (e.at[NIC_LR_BURST] && !number(im, &e, NIC_LR_BURST, MAX_BURST, &p->rate.burst))
        p->rate.burst = 0;
    if (e.at[NIC_LR_REJECT] &&
        !imp_value_parse_decimal(e.at[NIC_LR_REJECT]->text, 400, 599, &p->reject)) {
        bad(im, &e, NIC_LR_REJECT, "a status from 400 to 599 (nginx's "
            "limit_req_status)", "nginx refuses the configuration; 429 is written");
        p->reject = 429;
    }
    if (!nic_parse_rate(rate, &p->rate)) {
        size_t n = strspn(rate, "0123456789");
        if (n && strspn(rate, "0") < n && n + 3 == strlen(rate) &&
            (str_eq(rate + n, "r/s") || str_eq(rate + n, "r/m")))
            SAY(im, &e, NIC_LR_RATE, DIAG_IMPORT_RATE_LIMIT_LOST,
                "rate limit not converted: gwc takes 1 to 1000000 requests per "
                "second or minute; the paths are written without it");
        else
            bad(im, &e, NIC_LR_RATE, "a rate above 0 like 10r/s or 600r/m",
                "limits nothing; neither does the output");
        return;
    }
    if (flag(im, &e, NIC_LR_DRY_RUN, &p->dry_run) && p->dry_run) {
        SAY(im, &e, NIC_LR_DRY_RUN, DIAG_IMPORT_RATE_LIMIT,
            "dry run: NIC only counts and limits nothing, so nothing is limited "
            "in the output either");
        return;
    }
    if (!client_key(key)) {
        SAY(im, &e, NIC_LR_KEY, DIAG_IMPORT_RATE_LIMIT_LOST,
            "rate limit not converted: gwc counts requests per client address "
            "(${binary_remote_addr}) only, not by '%s'; the paths are written "
            "without the limit of nginx.org/limit-req-rate",
            imp_report_value(im, key));
        return;
    }
    shape(im, &e, p);
    ptrvec_push(im->a, &lv->rates, p);
}
