/*
 * mirror-target: ingress-nginx copies each request to a URL (`mirror` to
 * an internal location that proxy_passes the target; the response is
 * dropped).  Gateway API's RequestMirror copies to a Service, so a target
 * whose host is a cluster Service name (svc, svc.ns, svc.ns.svc,
 * svc.ns.svc.cluster.local) converts, with a ReferenceGrant when the
 * Service is in another namespace; the documented form ends in
 * $request_uri, which is what Gateway API mirrors send.
 */
#include "nx.h"

#include "base/arena.h"
#include "base/array.h"

#include <string.h>

static const char *const mirror_keys[] = {"mirror-host", "mirror-request-body"};

bool nx_service_host(struct imp *im, const char *host, const char *home,
                     const char **svc, const char **ns)
{
    const char *dot = strchr(host, '.'), *rest;

    *svc = dot ? arena_strndup(im->a, host, (size_t)(dot - host)) : host;
    *ns = home;
    if (!imp_value_dns_label(*svc) || (*svc)[0] < 'a' || (*svc)[0] > 'z')
        return false;
    if (!dot)
        return true;
    rest = dot + 1;
    dot = strchr(rest, '.');
    *ns = dot ? arena_strndup(im->a, rest, (size_t)(dot - rest)) : rest;
    if (!imp_value_dns_label(*ns))
        return false;
    return !dot || strcmp(dot, ".svc") == 0 || strcmp(dot, ".svc.cluster.local") == 0;
}

static void differences(struct imp *im, struct ing *ing, const struct url *u)
{
    if (strcmp(u->path, "$request_uri") != 0)
        nx_report_annotation(im, ing, "mirror-target", DIAG_IMPORT_APPROXIMATED,
                             "the mirror gets the request's own URI, not '%s'",
                             *u->path ? u->path : "(the internal mirror location)");
    if (str_eq(u->scheme, "https"))
        nx_report_annotation(im, ing, "mirror-target", DIAG_IMPORT_APPROXIMATED,
                             "the mirror speaks https in ingress-nginx; here only "
                             "if a BackendTLSPolicy covers the Service");
    if (ing->cfg.mirror_request_body == TRI_FALSE)
        nx_report_annotation(im, ing, "mirror-request-body",
                             DIAG_IMPORT_APPROXIMATED,
                             "Gateway API mirrors always carry the request body");
    if (ing->cfg.mirror_host)
        nx_report_annotation(im, ing, "mirror-host", DIAG_IMPORT_APPROXIMATED,
                             "Gateway API mirrors keep the request's Host");
}

void nx_mirror_feature(struct imp *im, struct ing *ing)
{
    const char *t = ing->cfg.mirror_target, *svc, *ns;
    struct o_backend *b;
    struct url u;
    size_t i;

    if (!t) {
        for (i = 0; i < ARRAY_SIZE(mirror_keys); i++) {
            if (nx_report_annotation_node(ing, mirror_keys[i]))
                nx_report_annotation(im, ing, mirror_keys[i], DIAG_IMPORT_IGNORED,
                                     "ignored without mirror-target");
        }
        return;
    }
    if (!imp_value_parse_url(im->a, t, &u)) {
        nx_report_annotation(im, ing, "mirror-target", DIAG_IMPORT_BAD_VALUE,
                             "not an http or https URL; not converted");
        return;
    }
    if (!nx_service_host(im, u.host, ing->namespace, &svc, &ns)) {
        nx_report_annotation(im, ing, "mirror-target", DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: Gateway API mirrors to Services, and "
                             "'%s' is not a cluster Service name",
                             u.host);
        return;
    }
    b = ARENA_NEW(im->a, struct o_backend);
    b->name = svc;
    b->namespace = ns; /* routes.c adds a ReferenceGrant when needed */
    b->port = u.port ? u.port : str_eq(u.scheme, "https") ? 443 : 80;
    b->weight = -1;
    differences(im, ing, &u);
    ing->feat.mirror = b;
}
