/*
 * proxy-connect-timeout, proxy-send-timeout and proxy-read-timeout are
 * nginx's per-operation upstream timeouts: the time to connect, and the
 * longest pause between two writes or two reads.  Gateway API has only
 * whole-exchange timeouts; timeouts.backendRequest (one upstream attempt)
 * is the closest, and gets the longer of the send and read timeouts.  i2gw
 * writes ten times the largest as `request`; either way it is an
 * approximation, and reported as one.
 */
#include "nx.h"

#include "base/arena.h"

void timeouts_feature(struct imp *im, struct ing *ing)
{
    const struct ing_config *c = &ing->cfg;
    int64_t t = c->proxy_read_timeout > c->proxy_send_timeout
                    ? c->proxy_read_timeout
                    : c->proxy_send_timeout; /* INT_UNSET is the smallest */

    if (c->proxy_connect_timeout != INT_UNSET)
        report_annotation(im, ing, "proxy-connect-timeout",
                          DIAG_IMPORT_APPROXIMATED,
                          "Gateway API has no connect timeout; %s",
                          t != INT_UNSET
                              ? "it is bounded by timeouts.backendRequest"
                              : "the implementation's default applies");
    if (t == INT_UNSET)
        return;
    ing->feat.timeout = value_duration_seconds(im->a, t);
    if (c->proxy_read_timeout != INT_UNSET)
        report_annotation(im, ing, "proxy-read-timeout", DIAG_IMPORT_APPROXIMATED,
                          "nginx limits each pause between two reads from the "
                          "upstream; timeouts.backendRequest %s limits the whole "
                          "response",
                          ing->feat.timeout);
    if (c->proxy_send_timeout != INT_UNSET)
        report_annotation(im, ing, "proxy-send-timeout", DIAG_IMPORT_APPROXIMATED,
                          "nginx limits each pause between two writes to the "
                          "upstream; timeouts.backendRequest %s limits the whole "
                          "exchange",
                          ing->feat.timeout);
}
