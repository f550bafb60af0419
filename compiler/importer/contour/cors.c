/*
 * An HTTPProxy virtual host's corsPolicy (projectcontour.io/docs/main/
 * config/cors/) as the HTTPRoute CORS filter on every route of the host,
 * included ones too.  Contour compares an origin of the form
 * scheme://host[:port] exactly and reads any other as a regular
 * expression; the filter takes "*" and exact http(s) origins, so other
 * entries are left out and reported: browsers then refuse what Contour
 * allowed, never the other way round.  Without maxAge Envoy sends no
 * Access-Control-Max-Age, and browsers cache a preflight for 5 s, the
 * filter's default.
 */
#include "ct.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "schema/schema.h"

#include <string.h>

#define MAX_ENTRIES 64 /* Gateway API's list limit */
#define DEFAULT_MAX_AGE 5

static const char *const methods[] = {"GET",     "HEAD",    "POST",  "PUT",
                                      "DELETE",  "CONNECT", "OPTIONS",
                                      "TRACE",   "PATCH",   "*"};

static void left_out(struct imp *im, const struct imp_src *src,
                     const struct ynode *at, const char *why)
{
    ct_report(im, src, at, DIAG_IMPORT_NOT_CONVERTED,
              "not converted: %s; left out, so browsers refuse it", why);
}

static bool exact_origin(struct imp *im, const char *v)
{
    struct url u;

    return imp_value_in_alphabet(v, "-.:/") && imp_value_parse_url(im->a, v, &u) &&
           (str_eq(u.scheme, "http") || str_eq(u.scheme, "https")) && *u.host &&
           !*u.path && !u.query;
}

/* The entries of list that keep(v) accepts, each once (Envoy repeats a
 * repeated one to no effect); the others are reported.  The filter takes
 * '*' only alone: next to others, Envoy allows every origin, so that is
 * '*'; in a header list a browser reads '*' as a wildcard only without
 * credentials, so it is left out there. */
static const char **entries(struct imp *im, const struct imp_src *src,
                            const struct ynode *map, const char *key,
                            bool (*keep)(struct imp *, const char *),
                            const char *why, size_t *n)
{
    const struct ynode *list = imp_crd_seq(ynode_get(map, key));
    const char **out;
    const struct ynode *star = NULL;
    size_t i;

    *n = 0;
    if (!list)
        return NULL;
    out = ARENA_NEW_ARRAY(im->a, const char *, list->n + 1);
    for (i = 0; i < list->n; i++) {
        const char *v = imp_crd_text(list->items[i]);
        if (!v || !keep(im, v))
            left_out(im, src, list->items[i], why);
        else if (*n == MAX_ENTRIES)
            left_out(im, src, list->items[i], "the CORS filter takes 64 entries");
        else if (!str_in(out, *n, v))
            out[(*n)++] = v;
        if (str_eq(v, "*"))
            star = list->items[i];
    }
    if (!star || *n == 1)
        return out;
    if (str_eq(key, "allowOrigin")) {
        out[0] = "*";
        *n = 1;
        return out;
    }
    left_out(im, src, star, "the CORS filter takes '*' only alone, and next "
                            "to other entries a browser reads it as a "
                            "wildcard only without credentials");
    for (i = 0; !str_eq(out[i], "*"); i++)
        ;
    memmove(&out[i], &out[i + 1], (--*n - i) * sizeof(*out));
    return out;
}

/* ... and one the Gateway API field takes (a host of at most 253
 * characters, labels of 63): the output must pass gwc check. */
static bool keep_origin(struct imp *im, const char *v)
{
    return str_eq(v, "*") ||
           (exact_origin(im, v) && schema_format_ok(FMT_CORS_ORIGIN, v));
}

static bool keep_method(struct imp *im, const char *v)
{
    size_t i;

    (void)im;
    for (i = 0; i < ARRAY_SIZE(methods); i++) {
        if (str_eq(methods[i], v))
            return true;
    }
    return false;
}

static bool keep_header(struct imp *im, const char *v)
{
    (void)im;
    return str_eq(v, "*") || imp_value_header_name(v);
}

/* Contour sends the whole seconds of a Go duration; 0 means "never
 * cache", which the filter (maxAge 1 or more) cannot say. */
static int64_t max_age(struct imp *im, const struct imp_src *src,
                       const struct ynode *at)
{
    const char *s = imp_crd_text(at);
    int64_t ms;

    if (!at)
        return DEFAULT_MAX_AGE;
    /* "infinity" is a word of route timeouts, not of maxAge */
    s = s && !str_eq(s, "infinity") && !str_eq(s, "infinite") ? ct_duration(im, s) : NULL;
    if (!s || !model_parse_duration(s, &ms)) {
        ct_report(im, src, at, DIAG_IMPORT_NOT_CONVERTED,
                  "not converted: not a duration gwc reads; maxAge is %d "
                  "seconds, browsers' default",
                  DEFAULT_MAX_AGE);
        return DEFAULT_MAX_AGE;
    }
    if (ms < 500) {
        ct_report(im, src, at, DIAG_IMPORT_APPROXIMATED,
                  "0 s (never cache a preflight) has no Gateway API form: "
                  "written as 1 s, the least maxAge takes");
        return 1;
    }
    return (ms + 500) / 1000;
}

const struct o_cors *ct_cors(struct imp *im, const struct imp_src *src,
                             const struct ynode *p)
{
    static const char *const known[] = {"allowOrigin", "allowMethods",
                                        "allowHeaders", "exposeHeaders",
                                        "allowCredentials", "maxAge",
                                        "allowPrivateNetwork", NULL};
    struct o_cors *c = ARENA_NEW(im->a, struct o_cors);

    imp_report_other_fields(im, src->label, src->root, p, known, "Contour");
    c->origins = entries(im, src, p, "allowOrigin", keep_origin,
                         "the CORS filter takes '*' or an exact http(s) origin; "
                         "Contour matches this one as a regular expression "
                         "(or, holding '*', literally)",
                         &c->n_origins);
    c->methods = entries(im, src, p, "allowMethods", keep_method,
                         "the CORS filter takes the methods of RFC 9110 and '*'",
                         &c->n_methods);
    c->headers = entries(im, src, p, "allowHeaders", keep_header,
                         "not a header name", &c->n_headers);
    c->expose = entries(im, src, p, "exposeHeaders", keep_header,
                        "not a header name", &c->n_expose);
    c->credentials = ct_flag(ynode_get(p, "allowCredentials"));
    c->max_age = max_age(im, src, ynode_get(p, "maxAge"));
    if (ct_flag(ynode_get(p, "allowPrivateNetwork")))
        left_out(im, src, ynode_get(p, "allowPrivateNetwork"),
                 "Private Network Access (Access-Control-Allow-Private-Network) "
                 "has no Gateway API equivalent");
    return c;
}
