/*
 * import_ingress(): the passes of the importer, in order (see
 * import_internal.h), and the lookups of context objects they share.
 */
#include "import_internal.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

/* The namespace of an object: its own, or --namespace when it has none
 * (the model has already defaulted that case to "default"). */
const char *importer_object_namespace(const struct imp *im, const struct object *o)
{
    const struct ynode *meta = ynode_get(o->src, "metadata");

    if (!o->meta.namespace)
        return NULL; /* cluster-scoped */
    if (!ynode_get(meta, "namespace") && im->o->default_namespace)
        return im->o->default_namespace;
    return o->meta.namespace;
}

const struct object *importer_find_object(const struct imp *im, enum kind kind,
                                 const char *ns, const char *name)
{
    const struct object *o = model_find(im->m, kind, ns, name);

    if (o && (!ns || str_eq(importer_object_namespace(im, o), ns)))
        return o->rejected ? NULL : o;
    /* Objects without a namespace sit under "default" in the model. */
    if (ns && im->o->default_namespace && str_eq(ns, im->o->default_namespace)) {
        o = model_find(im->m, kind, "default", name);
        if (o && str_eq(importer_object_namespace(im, o), ns))
            return o->rejected ? NULL : o;
    }
    return NULL;
}

const char *import_options_problem(const struct import_options *o)
{
    size_t i;

    if (o->default_namespace && !value_dns_label(o->default_namespace))
        return "--namespace must be a namespace name (a DNS-1123 label)";
    if (o->gateway_name && (!value_dns_subdomain(o->gateway_name) ||
                            strlen(o->gateway_name) > 240))
        return "--gateway-name must be a Gateway name (a DNS-1123 subdomain of at "
               "most 240 characters, leaving room for a suffix)";
    if (o->gateway_class_name && !value_dns_subdomain(o->gateway_class_name))
        return "--gateway-class must be a GatewayClass name (a DNS-1123 "
               "subdomain)";
    for (i = 0; i < o->n_ingress_classes; i++) {
        if (!value_dns_subdomain(o->ingress_classes[i]))
            return "--ingress-class must be an IngressClass name (a DNS-1123 "
                   "subdomain)";
    }
    return NULL;
}

/* Each feature turns some annotations of one Ingress into output pieces
 * shared by its locations; canaries only carry canary settings, and gRPC
 * routes have no redirects, rewrites, CORS or timeouts (routes.c reports
 * those annotations once). */
static void features(struct imp *im, struct ing *ing)
{
    bool grpc;

    canary_feature(im, ing);
    if (ing->cfg.canary == TRI_TRUE)
        return;
    backends_protocol(im, ing);
    grpc = ing->feat.protocol == BP_GRPC || ing->feat.protocol == BP_GRPCS;
    redirects_feature(im, ing, grpc);
    headers_feature(im, ing);
    session_feature(im, ing);
    mirror_feature(im, ing);
    if (grpc)
        return;
    paths_feature(im, ing);
    cors_feature(im, ing);
    timeouts_feature(im, ing);
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

void import_ingress(struct compilation *c, const struct model *m,
                    const struct import_options *o, struct strbuf *out)
{
    struct imp im;
    size_t i;

    memset(&im, 0, sizeof(im));
    im.c = c;
    im.a = c->arena;
    im.m = m;
    im.o = o;
    classes_resolve(&im);
    if (im.ings.n == 0)
        report_nothing(&im);
    for (i = 0; i < im.ings.n; i++)
        annotations_parse(&im, im.ings.v[i]);
    for (i = 0; i < im.ings.n; i++)
        features(&im, im.ings.v[i]);
    hosts_build(&im);
    tls_build(&im);
    backend_tls_build(&im);
    gateways_assign(&im);
    routes_build(&im);
    write_output(&im, out);
}
