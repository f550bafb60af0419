/*
 * The traefik provider's passes (see tr.h) and its identity: the
 * annotation prefix, IngressClass controller, default class and CRD groups
 * that name Traefik Proxy in the inputs.
 */
#include "tr.h"

#include "base/arena.h"

static const char *const groups[] = {"traefik.io", "traefik.containo.us", NULL};

static void convert(struct imp *im)
{
    im->state = ARENA_NEW(im->a, struct tr);
    imp_crd_collect(im, groups, &TR(im)->crds);
    tr_ingress_routes(im);
    tr_ingresses(im);
    tr_routers_listeners(im);
    tr_l4_routes(im);
    tr_routers_write(im);
    tr_tls_options_report(im);
}

static const char *const prefixes[] = {"traefik.ingress.kubernetes.io/", NULL};
static const char *const classes[] = {"traefik", NULL};

const struct imp_provider tr_provider = {
    "traefik", TR_CONTROLLER, prefixes, groups, classes, "traefik",
    convert,
};
