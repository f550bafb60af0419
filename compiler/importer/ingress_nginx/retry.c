/*
 * proxy-next-upstream, -tries and -timeout as a BackendPolicy retry
 * (docs/policies.md "retry").  ingress-nginx writes them as nginx's
 * proxy_next_upstream, proxy_next_upstream_tries and _timeout, and its Lua
 * balancer grants one more try per attempt (balancer.lua set_more_tries),
 * so a Service with one endpoint is retried too: gwc lists the endpoints
 * `tries` times for the same effect.  The tries count the first attempt
 * in both.  An annotation left out takes the controller ConfigMap's value
 * (default: "error timeout", 3 tries, no time limit), which the import
 * does not read: the defaults are written.
 *
 * ingress-nginx writes only proxy_next_upstream*, which a GRPC location's
 * grpc_pass does not read: there the annotations change nothing.
 */
#include "nx.h"

#include "base/arena.h"
#include "base/array.h"

#include <string.h>

#define MAX_TRIES 16            /* gwc's retry.tries */
#define MAX_RETRY_TIME 86400 /* gwc's retry.timeout: 24h */

/* ingress-nginx's accepted words (validUpstreamAnnotation), in the order
 * gwc writes them; code 0: an `on` condition. */
static const struct {
    const char *word, *on;
    int64_t code;
} words[] = {
    {"error", "Error", 0},  {"timeout", "Timeout", 0},
    {"invalid_header", "InvalidHeader", 0},
    {"http_403", NULL, 403}, {"http_404", NULL, 404}, {"http_429", NULL, 429},
    {"http_500", NULL, 500}, {"http_502", NULL, 502}, {"http_503", NULL, 503},
    {"http_504", NULL, 504},
};

static const char *const keys[] = {"proxy-next-upstream", "proxy-next-upstream-tries",
                                   "proxy-next-upstream-timeout"};

/* The conditions of v, as nginx reads them (off wins over the others), into
 * r; false (reported) for a word ingress-nginx refuses. */
static bool conditions(struct imp *im, struct ing *ing, const char *v,
                       struct o_retry *r, bool *off)
{
    bool seen[ARRAY_SIZE(words)] = {false};
    size_t i, k;

    *off = false;
    for (i = 0; v[i];) {
        size_t len = strcspn(v + i, " ");
        for (k = 0; k < ARRAY_SIZE(words); k++) {
            if (strlen(words[k].word) == len && !strncmp(v + i, words[k].word, len))
                break;
        }
        if (k < ARRAY_SIZE(words))
            seen[k] = true;
        else if (len == 3 && !strncmp(v + i, "off", 3))
            *off = true;
        else if (len == 14 && !strncmp(v + i, "non_idempotent", 14))
            r->non_idempotent = true;
        else {
            nx_report_annotation(im, ing, keys[0], DIAG_IMPORT_BAD_VALUE,
                                 "'%s' is not a space-separated list of error, "
                                 "timeout, invalid_header, http_403, http_404, "
                                 "http_429, http_500, http_502, http_503, "
                                 "http_504, non_idempotent or off; "
                                 "ingress-nginx refuses it, and so does the "
                                 "import",
                                 imp_report_value(im, v));
            return false;
        }
        i += len + (v[i + len] == ' ');
    }
    for (k = 0; k < ARRAY_SIZE(words); k++) {
        if (!seen[k])
            continue;
        if (words[k].on)
            r->on[r->n_on++] = words[k].on;
        else
            r->codes[r->n_codes++] = words[k].code;
    }
    return true;
}

void nx_retry_feature(struct imp *im, struct ing *ing)
{
    const struct ing_config *c = &ing->cfg;
    const int64_t tries = c->proxy_next_upstream_tries;
    const int64_t within = c->proxy_next_upstream_timeout;
    const bool set[] = {c->proxy_next_upstream != NULL, tries != INT_UNSET,
                        within != INT_UNSET};
    const char *first = set[0] ? keys[0] : set[1] ? keys[1] : keys[2];
    struct o_retry *r;
    bool off = false;
    size_t i;

    if (!set[0] && !set[1] && !set[2])
        return;
    if (ing->feat.protocol == BP_GRPC || ing->feat.protocol == BP_GRPCS) {
        for (i = 0; i < ARRAY_SIZE(keys); i++) {
            if (set[i])
                nx_report_annotation(im, ing, keys[i], DIAG_IMPORT_IGNORED,
                                     "ignored: ingress-nginx writes it as "
                                     "proxy_next_upstream*, which a GRPC "
                                     "backend's grpc_pass does not read");
        }
        return;
    }
    r = ARENA_NEW(im->a, struct o_retry);
    if (!set[0]) {
        r->on[r->n_on++] = "Error";
        r->on[r->n_on++] = "Timeout";
        nx_report_annotation(im, ing, first, DIAG_IMPORT_DETAIL,
                             "retries on ingress-nginx's default conditions, "
                             "error and timeout (proxy-next-upstream in the "
                             "controller's ConfigMap, which the import does not "
                             "read, may say otherwise)");
    } else if (!conditions(im, ing, c->proxy_next_upstream, r, &off)) {
        return;
    }
    if (off || (!r->n_on && !r->n_codes)) {
        /* nginx never passes a request on: no condition is gwc's "off". */
        memset(r, 0, sizeof(*r));
        nx_pol_get(im, ing, "BackendPolicy")->retry = r;
        nx_pol_converted(im, ing, keys[0], "BackendPolicy", "spec.retry");
        for (i = 1; i < ARRAY_SIZE(keys); i++) {
            if (set[i])
                nx_report_annotation(im, ing, keys[i], DIAG_IMPORT_IGNORED,
                                     "ignored: proxy-next-upstream never "
                                     "passes a request to another try");
        }
        return;
    }
    if (tries == 0 || tries > MAX_TRIES)
        nx_report_annotation(im, ing, keys[1], DIAG_IMPORT_APPROXIMATED,
                             "%s; gwc's retry makes at most %d tries: written "
                             "as %d",
                             tries ? "more tries than gwc allows"
                                   : "0 is no limit in nginx",
                             MAX_TRIES, MAX_TRIES);
    if (set[1])
        r->tries = tries && tries <= MAX_TRIES ? tries : MAX_TRIES;
    if (within > MAX_RETRY_TIME)
        nx_report_annotation(im, ing, keys[2], DIAG_IMPORT_APPROXIMATED,
                             "longer than gwc's retry.timeout allows (24h): "
                             "written as 24h");
    if (within > 0) /* 0 is no limit, as an absent timeout */
        r->timeout = imp_value_duration_seconds(
            im->a, within < MAX_RETRY_TIME ? within : MAX_RETRY_TIME);
    nx_report_annotation(im, ing, first, DIAG_IMPORT_APPROXIMATED,
                         "when every try fails before a response (refused or "
                         "reset connections, invalid headers), the Gateway "
                         "answers 503, where ingress-nginx answers 502");
    nx_pol_get(im, ing, "BackendPolicy")->retry = r;
    for (i = 0; i < ARRAY_SIZE(keys); i++) {
        if (set[i])
            nx_pol_converted(im, ing, keys[i], "BackendPolicy", "spec.retry");
    }
}
