/*
 * enable-cors and the cors-* family to the CORS filter (standard since
 * Gateway API v1.5), with ingress-nginx's defaults filled in where an
 * annotation is absent (annotations/cors/main.go):
 *   origin "*", methods GET, PUT, POST, DELETE, PATCH, OPTIONS, the nine
 *   headers below, credentials true, max age 1728000 (20 days).
 * Entries ingress-nginx's validators refuse are left out and reported, as
 * the controller drops them.
 */
#include "nx.h"

#include "base/arena.h"
#include "base/array.h"
#include "schema/schema.h"

#include <string.h>

static const char *const default_methods[] = {"GET",    "PUT",   "POST",
                                              "DELETE", "PATCH", "OPTIONS"};
static const char *const default_headers[] = {
    "DNT",           "Keep-Alive",    "User-Agent",
    "X-Requested-With", "If-Modified-Since", "Cache-Control",
    "Content-Type",  "Range",         "Authorization"};
static const char *const gateway_methods[] = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE",
    "PATCH", "*"};

static const char *const cors_keys[] = {
    "cors-allow-origin",  "cors-allow-methods",     "cors-allow-headers",
    "cors-expose-headers", "cors-allow-credentials", "cors-max-age"};

/* "*", or scheme://host[:port] where host may start with "*.". */
static bool origin_ok(struct imp *im, const char *o)
{
    struct url u;
    const char *host;

    if (strcmp(o, "*") == 0)
        return true;
    if (!imp_value_parse_url(im->a, o, &u) || *u.path || u.query)
        return false;
    host = strncmp(u.host, "*.", 2) == 0 ? u.host + 2 : u.host;
    return imp_value_in_alphabet(host, "-.") && *host;
}

static const char **copy(struct imp *im, const char *const *v, size_t n)
{
    const char **out = ARENA_NEW_ARRAY(im->a, const char *, n ? n : 1);

    memcpy(out, v, n * sizeof(*v));
    return out;
}

static bool in(const char *const *set, size_t n, const char *s)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(set[i], s) == 0)
            return true;
    }
    return false;
}

/* A list annotation, each item kept if ok() accepts it. */
static const char **filter(struct imp *im, const struct ing *ing,
                           const char *key, const char *value,
                           bool (*ok)(struct imp *, const char *), size_t *n)
{
    size_t all, i;
    const char **items = imp_value_split_list(im->a, value, &all);

    *n = 0;
    for (i = 0; i < all; i++) {
        if (ok(im, items[i]))
            items[(*n)++] = items[i];
        else
            nx_report_annotation(im, ing, key, DIAG_IMPORT_BAD_VALUE,
                                 "'%s' is refused by ingress-nginx's validation "
                                 "and left out",
                                 items[i]);
    }
    return items;
}

static bool method_ok(struct imp *im, const char *m)
{
    (void)im;
    return in(gateway_methods, ARRAY_SIZE(gateway_methods), m);
}

static bool header_ok(struct imp *im, const char *h)
{
    (void)im;
    return imp_value_header_name(h) || strcmp(h, "*") == 0;
}

/* Gateway API takes "*" only alone; next to it the rest says nothing. */
static void star_alone(struct imp *im, const struct ing *ing, const char *key,
                       const char ***list, size_t *n)
{
    static const char *const any[] = {"*"};

    if (*n < 2 || !in(*list, *n, "*"))
        return;
    nx_report_annotation(im, ing, key, DIAG_IMPORT_IGNORED,
                         "'*' allows everything; the other entries are redundant "
                         "and left out");
    *list = copy(im, any, 1);
    *n = 1;
}

/* The list annotation key gives (value; NULL: not given), the items ok
 * takes, a '*' alone; else the n_def defaults (none: empty). */
static const char **list_or_default(struct imp *im, const struct ing *ing,
                                    const char *key, const char *value,
                                    bool (*ok)(struct imp *, const char *),
                                    const char *const *def, size_t n_def, size_t *n)
{
    const char **v = NULL;

    *n = 0;
    if (value)
        v = filter(im, ing, key, value, ok, n);
    star_alone(im, ing, key, &v, n);
    if (!*n && n_def) {
        v = copy(im, def, n_def);
        *n = n_def;
    }
    return v;
}

/* ingress-nginx also takes empty host labels ("https://example.com."),
 * which Gateway API's CORS filter refuses. */
static bool labels_filled(const char *o)
{
    const char *host = strstr(o, "://");

    if (!host)
        return true; /* "*" */
    host += 3;
    if (strncmp(host, "*.", 2) == 0)
        host += 2;
    return *host != '.' && !strstr(host, "..") && !strstr(host, ".:") &&
           host[strlen(host) - 1] != '.';
}

/* False when every origin given is one Gateway API cannot take: then CORS
 * is left out, which lets no other origin in, rather than widened to "*". */
static bool origins(struct imp *im, const struct ing *ing, struct o_cors *c)
{
    static const char *const any[] = {"*"};
    const char *v = ing->cfg.cors_allow_origin;
    size_t i, kept = 0, taken;

    if (v)
        c->origins = filter(im, ing, "cors-allow-origin", v, origin_ok,
                            &c->n_origins);
    taken = c->n_origins;
    for (i = 0; i < c->n_origins; i++) {
        if (!labels_filled(c->origins[i]))
            nx_report_annotation(im, ing, "cors-allow-origin", DIAG_IMPORT_BAD_VALUE,
                                 "'%s' has an empty host label, which Gateway "
                                 "API's CORS filter does not take; left out",
                                 c->origins[i]);
        else if (!schema_format_ok(FMT_CORS_ORIGIN, c->origins[i]))
            /* the output must pass gwc check */
            nx_report_annotation(im, ing, "cors-allow-origin", DIAG_IMPORT_NOT_CONVERTED,
                                 "not converted: '%s' is longer than Gateway API's "
                                 "CORS filter takes (a host of 253 characters, "
                                 "labels of 63); left out",
                                 imp_report_value(im, c->origins[i]));
        else
            c->origins[kept++] = c->origins[i];
    }
    c->n_origins = kept;
    if (taken && !kept) {
        nx_report_annotation(im, ing, "cors-allow-origin", DIAG_IMPORT_NOT_CONVERTED,
                             "not converted: no origin left; CORS is left out, "
                             "so browsers let no other origin read the answers");
        return false;
    }
    star_alone(im, ing, "cors-allow-origin", &c->origins, &c->n_origins);
    if (!c->n_origins) {
        c->origins = copy(im, any, 1);
        c->n_origins = 1;
    }
    return true;
}

/*
 * With origin "*", ingress-nginx answers "Access-Control-Allow-Origin: *"
 * (buildCorsOriginRegex), which browsers refuse for credentialed requests
 * whatever Allow-Credentials says.  A Gateway with allowCredentials true
 * must echo the request's Origin instead, which would let every site make
 * credentialed requests: false keeps them refused, as before.
 */
static void any_origin_with_credentials(struct imp *im, const struct ing *ing,
                                        struct o_cors *c)
{
    c->credentials = false;
    nx_report_annotation(im, ing, "enable-cors", DIAG_IMPORT_APPROXIMATED,
                         "with every origin allowed ingress-nginx answers "
                         "'Access-Control-Allow-Origin: *', which browsers refuse "
                         "for credentialed requests; allowCredentials is false so "
                         "that they stay refused (true would echo any Origin)");
}

void nx_cors_feature(struct imp *im, struct ing *ing)
{
    const struct ing_config *cfg = &ing->cfg;
    struct o_cors *c;
    size_t i;

    if (cfg->enable_cors != TRI_TRUE) {
        for (i = 0; i < ARRAY_SIZE(cors_keys); i++) {
            if (nx_report_annotation_node(ing, cors_keys[i]))
                nx_report_annotation(im, ing, cors_keys[i], DIAG_IMPORT_IGNORED,
                                     "ignored without enable-cors: \"true\"");
        }
        return;
    }
    c = ARENA_NEW(im->a, struct o_cors);
    if (!origins(im, ing, c))
        return;
    c->methods = list_or_default(im, ing, "cors-allow-methods",
                                 cfg->cors_allow_methods, method_ok, default_methods,
                                 ARRAY_SIZE(default_methods), &c->n_methods);
    c->headers = list_or_default(im, ing, "cors-allow-headers",
                                 cfg->cors_allow_headers, header_ok, default_headers,
                                 ARRAY_SIZE(default_headers), &c->n_headers);
    c->expose = list_or_default(im, ing, "cors-expose-headers",
                                cfg->cors_expose_headers, header_ok, NULL, 0,
                                &c->n_expose);
    c->credentials = cfg->cors_allow_credentials != TRI_FALSE;
    c->max_age = cfg->cors_max_age != INT_UNSET ? cfg->cors_max_age : 1728000;
    if (c->credentials && strcmp(c->origins[0], "*") == 0)
        any_origin_with_credentials(im, ing, c);
    ing->feat.cors = c;
}
