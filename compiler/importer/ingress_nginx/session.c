/*
 * affinity: cookie (sticky sessions) to the rule's sessionPersistence, a
 * Gateway API experimental-channel field: the cookie name
 * (session-cookie-name, default INGRESSCOOKIE), its path, and a Permanent
 * cookie with absoluteTimeout when session-cookie-max-age (or -expires)
 * gives the cookie a lifetime.  The other cookie attributes and the
 * balanced/persistent modes have no counterpart (annotations.c says so).
 */
#include "nx.h"

#include "base/arena.h"
#include "base/array.h"

#include <string.h>

static const char *const session_keys[] = {
    "session-cookie-name", "session-cookie-path", "session-cookie-expires",
    "session-cookie-max-age"};

void nx_session_feature(struct imp *im, struct ing *ing)
{
    const struct ing_config *c = &ing->cfg;
    struct o_session *s;
    int64_t lifetime;
    size_t i;

    if (!c->affinity) {
        for (i = 0; i < ARRAY_SIZE(session_keys); i++) {
            if (nx_report_annotation_node(ing, session_keys[i]))
                nx_report_annotation(im, ing, session_keys[i], DIAG_IMPORT_IGNORED,
                                     "ignored without affinity: cookie");
        }
        return;
    }
    if (strcmp(c->affinity, "cookie") != 0) {
        nx_report_annotation(im, ing, "affinity", DIAG_IMPORT_BAD_VALUE,
                             "ingress-nginx knows only 'cookie'; not converted");
        return;
    }
    s = ARENA_NEW(im->a, struct o_session);
    s->cookie_name = c->session_cookie_name ? c->session_cookie_name
                                            : "INGRESSCOOKIE";
    if (c->session_cookie_path && c->session_cookie_path[0] == '/')
        s->cookie_path = c->session_cookie_path;
    else if (c->session_cookie_path)
        nx_report_annotation(im, ing, "session-cookie-path", DIAG_IMPORT_BAD_VALUE,
                             "a cookie path starts with '/'; not converted");
    lifetime = c->session_cookie_max_age > 0 ? c->session_cookie_max_age
               : c->session_cookie_expires > 0 ? c->session_cookie_expires
                                                : 0;
    if (lifetime) {
        s->absolute_timeout = imp_value_duration_seconds(im->a, lifetime);
        s->lifetime = "Permanent";
    }
    if (lifetime && !s->absolute_timeout) {
        nx_report_annotation(im, ing,
                             c->session_cookie_max_age > 0
                                 ? "session-cookie-max-age"
                                 : "session-cookie-expires",
                             DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: longer than a Gateway API duration "
                             "can say");
        s->lifetime = NULL;
    }
    nx_report_annotation(im, ing, "affinity", DIAG_IMPORT_DETAIL,
                         "sessionPersistence is in Gateway API's experimental "
                         "channel");
    ing->feat.session = s;
}
