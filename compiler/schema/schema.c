/*
 * The API server's part of validation: every object is checked as the
 * Gateway API CRDs (standard channel, plus the rules of experimental fields
 * when they are used) and the core registries would check it on admission.
 * Each kind's checks live in their own file; this is the driver.
 */
#include "schema_internal.h"

typedef void kind_check_fn(struct schema *s);

/* Other core kinds are checked for their metadata only. */
static kind_check_fn *const kind_checks[KIND__COUNT] = {
    [KIND_GATEWAY] = schema_gateway,
    [KIND_LISTENER_SET] = schema_listener_set,
    [KIND_HTTP_ROUTE] = schema_route,
    [KIND_GRPC_ROUTE] = schema_route,
    [KIND_TLS_ROUTE] = schema_route,
    [KIND_TCP_ROUTE] = schema_route,
    [KIND_UDP_ROUTE] = schema_route,
    [KIND_BACKEND_TLS_POLICY] = schema_backend_tls_policy,
    [KIND_CLIENT_POLICY] = schema_gwc_policy,
    [KIND_ACCESS_POLICY] = schema_gwc_policy,
    [KIND_BACKEND_POLICY] = schema_gwc_policy,
    [KIND_SERVICE] = schema_service,
    [KIND_ENDPOINT_SLICE] = schema_endpoint_slice,
    [KIND_ROUTING_TEST] = schema_routing_test,
};

void schema_check_object(struct compilation *c, struct object *o)
{
    struct schema s = {c, o, NULL};

    schema_check_limits(&s);
    schema_meta(&s);
    if (kind_checks[o->kind])
        kind_checks[o->kind](&s);
}

void schema_check(struct compilation *c, struct model *m)
{
    size_t k, i;

    for (k = 0; k < KIND__COUNT; k++) {
        for (i = 0; i < m->objects[k].n; i++) {
            struct object *o = m->objects[k].v[i];
            if (!o->checked)
                schema_check_object(c, o);
        }
    }
}
