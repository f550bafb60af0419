/*
 * The ingress-nginx provider's passes, in order (see nx.h).
 */
#include "nx.h"

#include "base/arena.h"
#include "base/compilation.h"

/* Each feature turns some annotations of one Ingress into output pieces
 * shared by its locations; canaries only carry canary settings, and gRPC
 * routes have no redirects, rewrites, CORS or timeouts (routes.c reports
 * those annotations once). */
static void features(struct imp *im, struct ing *ing)
{
    bool grpc;

    nx_canary_feature(im, ing);
    if (ing->cfg.canary == TRI_TRUE) {
        nx_traffic_canary(im, ing);
        return;
    }
    nx_backends_protocol(im, ing);
    grpc = ing->feat.protocol == BP_GRPC || ing->feat.protocol == BP_GRPCS;
    nx_redirects_feature(im, ing, grpc);
    nx_headers_feature(im, ing);
    nx_session_feature(im, ing);
    nx_access_feature(im, ing);
    nx_traffic_feature(im, ing);
    nx_errors_feature(im, ing);
    nx_mirror_feature(im, ing);
    if (grpc)
        return;
    nx_paths_feature(im, ing);
    nx_cors_feature(im, ing);
}

/* An import that converts nothing must not pass: say why nothing was. */
static void report_nothing(struct imp *im)
{
    const struct ptrvec *pv = &im->m->objects[KIND_INGRESS];
    struct src_loc none = {SOURCE_NONE, 0, 0, 0};
    size_t i, valid = 0;

    for (i = 0; i < pv->n; i++)
        valid += !((const struct object *)pv->v[i])->rejected;
    if (pv->n == 0)
        diag_report(&im->c->diags, DIAG_IMPORT_NOTHING, none, NULL, NULL,
                    "nothing converted: the input holds no Ingress");
    else if (valid == 0)
        diag_report(&im->c->diags, DIAG_IMPORT_NOTHING, none, NULL, NULL,
                    "nothing converted: every Ingress is invalid (each is reported)");
    else
        diag_report(&im->c->diags, DIAG_IMPORT_NOTHING, none, NULL, NULL,
                    "nothing converted: %s none of the %zu Ingress%s in the input "
                    "(each one left out is reported%s)",
                    im->o->n_ingress_classes ? "--ingress-class selects"
                                             : "the ingress-nginx classes take",
                    valid, valid == 1 ? "" : "es",
                    im->o->n_ingress_classes ? ""
                                             : "; --ingress-class NAME converts "
                                               "another class");
}

static void convert(struct imp *im)
{
    struct nx *nx = ARENA_NEW(im->a, struct nx);
    size_t i;

    im->state = nx;
    if (!nx_config_load(im))
        return;
    nx_classes_resolve(im);
    if (nx->ings.n == 0)
        report_nothing(im);
    for (i = 0; i < nx->ings.n; i++) {
        nx_annotations_parse(im, nx->ings.v[i]);
        nx_config_defaults(im, nx->ings.v[i]);
    }
    for (i = 0; i < nx->ings.n; i++)
        features(im, nx->ings.v[i]);
    nx_hosts_build(im);
    nx_tls_build(im);
    nx_backend_tls_build(im);
    nx_gateways_assign(im);
    nx_client_certs_build(im);
    nx_routes_build(im);
    nx_policies_build(im);
    nx_config_gateways(im);
}

static const char *const prefixes[] = {NGINX_PREFIX, NULL};
static const char *const no_groups[] = {NULL};
static const char *const classes[] = {"nginx", NULL};

const struct imp_provider nx_provider = {
    "ingress-nginx", NGINX_CONTROLLER, prefixes, no_groups, classes, "ingress-nginx",
    convert,
};
