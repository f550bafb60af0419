/*
 * Redirects of ingress-nginx (annotations/redirect, rewrite, sslredirect):
 *  - temporal-redirect (when not empty) or permanent-redirect: `return
 *    <code> <url>` instead of proxying, for every location of the Ingress;
 *    only temporal-redirect must be an absolute URL (redirect.go
 *    isValidURL): a permanent-redirect "/path" is nginx's relative
 *    redirect, to the same scheme and host, a path-only RequestRedirect;
 *    codes 300-307 (temporal, default 302) and 300-308 (permanent, default
 *    301), anything else the default.  Gateway API has 301, 302, 303, 307
 *    and 308, and keeps the request's query string where nginx drops it;
 *  - app-root: `if ($uri = /) return 302 $scheme://$http_host<root>` in the
 *    server, an Exact "/" rule here (hosts.c picks the Ingress);
 *  - ssl-redirect (default true, for hosts with a certificate) and
 *    force-ssl-redirect (even without one): 308 to https, the
 *    http-redirect-code default (routes.c applies it per location).
 *    ingress-nginx also strips one trailing "/" from the URI unless
 *    preserve-trailing-slash (lua_ingress.lua); Gateway API keeps the URI
 *    as it is, which routes.c notes once per Ingress.
 */
#include "nx.h"

#include "base/arena.h"
#include "base/ipaddr.h"

#include <string.h>

static bool gateway_code(int64_t code)
{
    return code == 301 || code == 302 || code == 303 || code == 307 ||
           code == 308;
}

static int64_t redirect_code(struct imp *im, const struct ing *ing,
                             const char *key, int64_t code, int64_t max,
                             int64_t def)
{
    if (code == INT_UNSET)
        return def;
    if (code < 300 || code > max) {
        nx_report_annotation(im, ing, key, DIAG_IMPORT_IGNORED,
                             "%lld is outside 300-%lld: ingress-nginx uses %lld",
                             (long long)code, (long long)max, (long long)def);
        return def;
    }
    if (!gateway_code(code)) {
        nx_report_annotation(im, ing, key, DIAG_IMPORT_APPROXIMATED,
                             "Gateway API redirects use 301, 302, 303, 307 or "
                             "308: %lld becomes %lld",
                             (long long)code, (long long)def);
        return def;
    }
    return code;
}

/* `return <code> /path`: nginx makes Location absolute with the request's
 * scheme and host, as a RequestRedirect without scheme and hostname does. */
static void relative_redirect(struct imp *im, struct ing *ing, const char *value)
{
    const char *q = strchr(value, '?');
    struct o_redirect *r = ARENA_NEW(im->a, struct o_redirect);

    r->path.type = "ReplaceFullPath";
    r->path.value = q ? arena_strndup(im->a, value, (size_t)(q - value)) : value;
    r->code = redirect_code(im, ing, "permanent-redirect-code",
                            ing->cfg.permanent_redirect_code, 308, 301);
    if (q)
        nx_report_annotation(im, ing, "permanent-redirect",
                             DIAG_IMPORT_APPROXIMATED,
                             "the query '%s' is dropped: a Gateway API redirect "
                             "cannot set one",
                             q);
    else
        nx_report_annotation(im, ing, "permanent-redirect", DIAG_IMPORT_DETAIL,
                             "a path: nginx redirects to it on the request's own "
                             "scheme and host, as the RequestRedirect does; it "
                             "keeps the request's query string, which nginx's "
                             "'return' drops");
    ing->feat.redirect = r;
}

static void url_redirect(struct imp *im, struct ing *ing)
{
    const struct ing_config *c = &ing->cfg;
    bool temporal = c->temporal_redirect != NULL;
    const char *key = temporal ? "temporal-redirect" : "permanent-redirect";
    const char *value = temporal ? c->temporal_redirect : c->permanent_redirect;
    struct o_redirect *r;
    struct url u;
    const char *host;

    if (!c->permanent_redirect && c->permanent_redirect_code != INT_UNSET)
        nx_report_annotation(im, ing, "permanent-redirect-code",
                             DIAG_IMPORT_IGNORED,
                             "ignored without permanent-redirect");
    if (!c->temporal_redirect && c->temporal_redirect_code != INT_UNSET)
        nx_report_annotation(im, ing, "temporal-redirect-code", DIAG_IMPORT_IGNORED,
                             "ignored without temporal-redirect");
    if (!value)
        return;
    if (temporal && c->permanent_redirect)
        nx_report_annotation(im, ing, "permanent-redirect", DIAG_IMPORT_IGNORED,
                             "ignored: temporal-redirect takes precedence");
    if (!temporal && value[0] == '/') {
        relative_redirect(im, ing, value);
        return;
    }
    host = imp_value_parse_url(im->a, value, &u)
               ? imp_value_ascii_lower(im->a, u.host)
               : NULL;
    if (!host || (!imp_value_hostname(host, false) && !ipaddr_is_v4(host))) {
        if (temporal)
            nx_report_annotation(im, ing, key, DIAG_IMPORT_BAD_VALUE,
                                 "not an absolute http or https URL with a host "
                                 "name; ingress-nginx refuses it, and so does the "
                                 "import");
        else
            nx_report_annotation(im, ing, key, DIAG_IMPORT_NOT_CONVERTED,
                                 "not converted: neither a path nor an http or "
                                 "https URL with a host name, the only redirects "
                                 "Gateway API can send (ingress-nginx does not "
                                 "check this value and returns it as Location)");
        return;
    }
    r = ARENA_NEW(im->a, struct o_redirect);
    r->scheme = u.scheme;
    r->hostname = host;
    r->port = u.port;
    r->path.type = "ReplaceFullPath";
    r->path.value = *u.path ? u.path : "/";
    r->code = temporal ? redirect_code(im, ing, "temporal-redirect-code",
                                       c->temporal_redirect_code, 307, 302)
                       : redirect_code(im, ing, "permanent-redirect-code",
                                       c->permanent_redirect_code, 308, 301);
    if (u.query)
        nx_report_annotation(im, ing, key, DIAG_IMPORT_APPROXIMATED,
                             "the query '?%s' is dropped: a Gateway API redirect "
                             "cannot set one",
                             u.query);
    else
        nx_report_annotation(im, ing, key, DIAG_IMPORT_DETAIL,
                             "a Gateway API redirect keeps the request's query "
                             "string, which nginx's 'return' drops");
    ing->feat.redirect = r;
}

static void app_root(struct imp *im, struct ing *ing)
{
    const char *root = ing->cfg.app_root;

    if (!root)
        return;
    if (root[0] != '/' || strchr(root, '$') || strcmp(root, "/") == 0) {
        nx_report_annotation(im, ing, "app-root", DIAG_IMPORT_BAD_VALUE,
                             "app-root must be a path other than '/', without "
                             "nginx variables; not converted");
        return;
    }
    ing->feat.app_root = root;
}

void nx_redirects_feature(struct imp *im, struct ing *ing, bool grpc)
{
    ing->feat.ssl_redirect = ing->cfg.ssl_redirect != TRI_FALSE;
    ing->feat.force_ssl_redirect = ing->cfg.force_ssl_redirect == TRI_TRUE;
    if (grpc)
        return;
    app_root(im, ing);
    url_redirect(im, ing);
}

const struct o_redirect *nx_redirects_https(struct imp *im)
{
    struct o_redirect *r = ARENA_NEW(im->a, struct o_redirect);

    r->scheme = "https";
    r->code = 308;
    return r;
}

struct o_filters *nx_redirects_filters(struct imp *im, const struct o_redirect *r)
{
    struct o_filters *f = ARENA_NEW(im->a, struct o_filters);

    f->redirect = r;
    return f;
}
