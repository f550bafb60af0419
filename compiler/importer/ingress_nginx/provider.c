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

    canary_feature(im, ing);
    if (ing->cfg.canary == TRI_TRUE) {
        traffic_canary(im, ing);
        return;
    }
    backends_protocol(im, ing);
    grpc = ing->feat.protocol == BP_GRPC || ing->feat.protocol == BP_GRPCS;
    redirects_feature(im, ing, grpc);
    headers_feature(im, ing);
    session_feature(im, ing);
    imp_policies_feature(im, ing);
    mirror_feature(im, ing);
    if (grpc)
        return;
    paths_feature(im, ing);
    cors_feature(im, ing);
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
    classes_resolve(im);
    if (nx->ings.n == 0)
        report_nothing(im);
    for (i = 0; i < nx->ings.n; i++)
        annotations_parse(im, nx->ings.v[i]);
    for (i = 0; i < nx->ings.n; i++)
        features(im, nx->ings.v[i]);
    hosts_build(im);
    tls_build(im);
    backend_tls_build(im);
    gateways_assign(im);
    routes_build(im);
    imp_policies_build(im);
}

static const char *const prefixes[] = {NGINX_PREFIX, NULL};
static const char *const no_groups[] = {NULL};
static const char *const classes[] = {"nginx", NULL};

const struct imp_provider imp_provider_ingress_nginx = {
    "ingress-nginx", NGINX_CONTROLLER, prefixes, no_groups, classes, convert,
};
