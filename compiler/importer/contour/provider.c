/*
 * The contour provider's passes (see ct.h) and its identity: the annotation
 * prefix, IngressClass controller, default class and CRD group that name
 * Contour in the inputs.
 */
#include "ct.h"

#include "base/arena.h"

static const char *const groups[] = {"projectcontour.io", NULL};

static void convert(struct imp *im)
{
    im->state = ARENA_NEW(im->a, struct ct);
    imp_crd_collect(im, groups, &CT(im)->crds);
    ct_proxies(im);
    ct_ingresses(im);
    ct_vhosts_write(im);
    ct_backend_policies(im);
}

static const char *const prefixes[] = {"projectcontour.io/", NULL};
static const char *const classes[] = {"contour", NULL};

const struct imp_provider ct_provider = {
    "contour", CT_CONTROLLER, prefixes, groups, classes, "projectcontour",
    convert,
};
