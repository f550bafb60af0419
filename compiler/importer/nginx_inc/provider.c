/*
 * The nginx-inc provider's passes (see nic.h) and its identity: the
 * annotation prefixes, IngressClass controller, default class and CRD
 * group that name F5 NGINX Ingress Controller in the inputs.
 */
#include "nic.h"

#include "base/arena.h"

static const char *const prefixes[] = {"nginx.org/", "nginx.com/", NULL};
static const char *const groups[] = {"k8s.nginx.org", NULL};
static const char *const classes[] = {"nginx", NULL};

static void convert(struct imp *im)
{
    struct nic *nic = ARENA_NEW(im->a, struct nic);
    struct ptrvec *crds = ARENA_NEW(im->a, struct ptrvec);
    size_t first_route = im->routes.n;

    imp_crd_collect(im, groups, crds); /* Policies serve Ingresses too */
    nic->crds = crds;
    im->state = nic;
    nic_virtual_servers_bid(im);
    nic_ingresses(im);
    nic_virtual_servers(im);
    nic_servers_write(im);
    nic_policies_write(im, first_route);
}

const struct imp_provider nic_provider = {
    "nginx-inc", NIC_CONTROLLER, prefixes, groups, classes, "nginx-ingress",
    convert,
};
