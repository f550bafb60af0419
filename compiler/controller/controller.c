/* The controller's passes, in order, over the objects the API server kept. */
#include "controller_internal.h"

#include "base/compilation.h"

#include <string.h>

void ctl_controller_build(struct compilation *c, struct model *m,
                          const struct validate_options *o, struct controller *out)
{
    struct ctx x = {.c = c, .m = m, .o = o, .ctl = out, .suggest_budget = 1u << 26};
    size_t i;

    strhash_init(&x.missing_namespaces, c->arena);
    memset(out, 0, sizeof(*out));
    out->model = m;
    out->controller_name = o->controller_name;
    ctl_grants_index(&x);
    ctl_gateways_build(&x);
    ctl_endpoint_slices_check(&x);
    ctl_routes_attach(&x);
    ctl_policies_build(&x);
    ctl_gwc_policies_build(&x);
    ctl_proxy_sockets(&x);
    ctl_nginx_limits(&x);
    for (i = 0; i < out->n_routes; i++) {
        ctl_header_matches_check(&x, &out->routes[i]);
        ctl_route_conditions(&x, &out->routes[i]);
    }
}
