/*
 * The nginx-inc provider's passes (see nic.h) and its identity: the
 * annotation prefixes, IngressClass controller, default class and CRD
 * group that name F5 NGINX Ingress Controller in the inputs.
 */
#include "nic.h"

#include "base/arena.h"

static void convert(struct imp *im)
{
    im->state = ARENA_NEW(im->a, struct nic);
    nic_ingresses(im);
    nic_virtual_servers(im);
    nic_servers_write(im);
}

static const char *const prefixes[] = {"nginx.org/", "nginx.com/", NULL};
static const char *const groups[] = {"k8s.nginx.org", NULL};
static const char *const classes[] = {"nginx", NULL};

const struct imp_provider nic_provider = {
    "nginx-inc", NIC_CONTROLLER, prefixes, groups, classes, "nginx-ingress",
    convert,
};
