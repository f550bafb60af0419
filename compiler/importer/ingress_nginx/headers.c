/*
 * Header annotations:
 *  - upstream-vhost: `proxy_set_header Host <v>`; a plain host name is
 *    URLRewrite.hostname, one with a port a RequestHeaderModifier;
 *  - connection-proxy-header: `proxy_set_header Connection <v>`;
 *  - custom-headers: response headers (more_set_headers) from a ConfigMap
 *    "ns/name", which must be in the input: ResponseHeaderModifier set.
 *    ingress-nginx refuses a ConfigMap of another namespace unless
 *    allow-cross-namespace-resources, which is off by default.
 *  - x-forwarded-prefix is added by routes.c where a rewrite happens.
 */
#include "nx.h"

#include "base/arena.h"

#include <string.h>

static void add_request_header(struct imp *im, struct ing_features *f,
                               const char *name, const char *value)
{
    struct o_header *h = ARENA_NEW(im->a, struct o_header);

    h->name = name;
    h->value = value;
    ptrvec_push(im->a, &f->request_set, h);
}

static void upstream_vhost(struct imp *im, struct ing *ing)
{
    const char *v = ing->cfg.upstream_vhost, *colon, *host;
    int64_t port;

    if (!v)
        return;
    colon = strchr(v, ':');
    host = imp_value_ascii_lower(
        im->a, colon ? arena_strndup(im->a, v, (size_t)(colon - v)) : v);
    if (!imp_value_hostname(host, false) ||
        (colon && (colon[1] < '0' || colon[1] > '9' ||
                   !imp_value_parse_decimal(colon + 1, 1, 65535, &port)))) {
        nx_report_annotation(im, ing, "upstream-vhost", DIAG_IMPORT_BAD_VALUE,
                             "not a host name (with an optional port); not "
                             "converted");
        return;
    }
    if (colon) /* URLRewrite.hostname has no port */
        add_request_header(im, &ing->feat, "Host", v);
    else
        ing->feat.upstream_host = host;
}

static void connection_header(struct imp *im, struct ing *ing)
{
    const char *v = ing->cfg.connection_proxy_header;

    if (v)
        add_request_header(im, &ing->feat, "Connection", v);
}

/* ingress-nginx's custom-headers validators. */
static bool custom_value_ok(const char *v)
{
    return *v && strlen(v) <= 4096 &&
           imp_value_in_alphabet(v, "_ :;.,\\/\"'?!(){}[]@<>=-+*#$&`|~^%");
}

static void custom_headers(struct imp *im, struct ing *ing)
{
    const char *ref = ing->cfg.custom_headers, *slash, *ns, *name;
    const struct config_map *cm;
    struct o_header *h;
    size_t i;

    if (!ref)
        return;
    slash = strchr(ref, '/');
    ns = slash ? arena_strndup(im->a, ref, (size_t)(slash - ref)) : ing->namespace;
    name = slash ? slash + 1 : ref;
    if (!imp_value_dns_label(ns) || !imp_value_dns_subdomain(name)) {
        nx_report_annotation(im, ing, "custom-headers", DIAG_IMPORT_BAD_VALUE,
                             "not a ConfigMap reference (name or namespace/name)");
        return;
    }
    if (!str_eq(ns, ing->namespace)) {
        nx_report_annotation(im, ing, "custom-headers", DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: ingress-nginx refuses a ConfigMap of "
                             "another namespace (allow-cross-namespace-resources "
                             "is off by default)");
        return;
    }
    cm = (const struct config_map *)imp_find_object(im, KIND_CONFIG_MAP, ns, name);
    if (!cm) {
        nx_report_annotation(im, ing, "custom-headers", DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: the headers are in ConfigMap '%s/%s'; "
                             "give it to import-ingress",
                             ns, name);
        return;
    }
    for (i = 0; i < cm->data.n; i++) { /* strmap: sorted by key */
        const struct strmap_entry *e = &cm->data.v[i];
        if (!imp_value_in_alphabet(e->key, "-_") || !*e->key ||
            !custom_value_ok(e->value)) {
            nx_report_node(im, ing, e->src, DIAG_IMPORT_BAD_VALUE,
                           "ingress-nginx refuses this header (names "
                           "[A-Za-z0-9-_], printable values); not converted");
            continue;
        }
        h = ARENA_NEW(im->a, struct o_header);
        h->name = e->key;
        h->value = e->value;
        ptrvec_push(im->a, &ing->feat.response_set, h);
    }
    nx_report_annotation(im, ing, "custom-headers", DIAG_IMPORT_DETAIL,
                         "ingress-nginx sets these response headers only if the "
                         "controller's global-allowed-response-headers lists them");
}

void nx_headers_feature(struct imp *im, struct ing *ing)
{
    upstream_vhost(im, ing);
    connection_header(im, ing);
    custom_headers(im, ing);
}
