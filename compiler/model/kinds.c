/*
 * The kinds gwc reads: name, API group and versions, whether namespaced,
 * and the table that decodes each.
 */
#include "tables.h"

#include <string.h>

static const char *const v1[] = {"v1", NULL};
static const char *const v1_v1beta1[] = {"v1", "v1beta1", NULL};
static const char *const v1_v1alpha2[] = {"v1", "v1alpha2", NULL};
static const char *const v1_v1alpha3[] = {"v1", "v1alpha3", NULL};
static const char *const v1alpha1[] = {"v1alpha1", NULL};
static const char *const tls_route_versions[] = {"v1", "v1alpha2", "v1alpha3",
                                                 NULL};

#define KIND(k, name, group, versions, namespaced, T, table) \
    [k] = {k, name, group, versions, namespaced, sizeof(T), alignof(T), &table}

const struct kind_info model_kind_infos[KIND__COUNT] = {
    KIND(KIND_GATEWAY_CLASS, "GatewayClass", GATEWAY_GROUP, v1_v1beta1, false,
         struct gateway_class, model_gateway_class_table),
    KIND(KIND_GATEWAY, "Gateway", GATEWAY_GROUP, v1_v1beta1, true, struct gateway,
         model_gateway_table),
    KIND(KIND_LISTENER_SET, "ListenerSet", GATEWAY_GROUP, v1, true,
         struct listener_set, model_listener_set_table),
    KIND(KIND_HTTP_ROUTE, "HTTPRoute", GATEWAY_GROUP, v1_v1beta1, true,
         struct route, model_http_route_table),
    KIND(KIND_GRPC_ROUTE, "GRPCRoute", GATEWAY_GROUP, v1, true, struct route,
         model_grpc_route_table),
    KIND(KIND_TLS_ROUTE, "TLSRoute", GATEWAY_GROUP, tls_route_versions, true,
         struct route, model_tls_route_table),
    KIND(KIND_TCP_ROUTE, "TCPRoute", GATEWAY_GROUP, v1_v1alpha2, true, struct route,
         model_tcp_route_table),
    KIND(KIND_UDP_ROUTE, "UDPRoute", GATEWAY_GROUP, v1_v1alpha2, true, struct route,
         model_udp_route_table),
    KIND(KIND_REFERENCE_GRANT, "ReferenceGrant", GATEWAY_GROUP, v1_v1beta1, true,
         struct reference_grant, model_reference_grant_table),
    KIND(KIND_BACKEND_TLS_POLICY, "BackendTLSPolicy", GATEWAY_GROUP, v1_v1alpha3,
         true, struct backend_tls_policy, model_backend_tls_policy_table),
    KIND(KIND_CLIENT_POLICY, "ClientPolicy", GWC_GROUP, v1alpha1, true,
         struct client_policy, model_client_policy_table),
    KIND(KIND_ACCESS_POLICY, "AccessPolicy", GWC_GROUP, v1alpha1, true,
         struct access_policy, model_access_policy_table),
    KIND(KIND_BACKEND_POLICY, "BackendPolicy", GWC_GROUP, v1alpha1, true,
         struct backend_policy, model_backend_policy_table),
    KIND(KIND_NAMESPACE, "Namespace", "", v1, false, struct namespace_obj,
         model_namespace_table),
    KIND(KIND_SERVICE, "Service", "", v1, true, struct service,
         model_service_table),
    KIND(KIND_ENDPOINT_SLICE, "EndpointSlice", "discovery.k8s.io", v1, true,
         struct endpoint_slice, model_endpoint_slice_table),
    KIND(KIND_SECRET, "Secret", "", v1, true, struct secret, model_secret_table),
    KIND(KIND_CONFIG_MAP, "ConfigMap", "", v1, true, struct config_map,
         model_config_map_table),
    KIND(KIND_INGRESS, "Ingress", "networking.k8s.io", v1, true, struct ingress,
         model_ingress_table),
    KIND(KIND_INGRESS_CLASS, "IngressClass", "networking.k8s.io", v1, false,
         struct ingress_class, model_ingress_class_table),
    KIND(KIND_ROUTING_TEST, "RoutingTest", GWC_GROUP, v1alpha1, true,
         struct routing_test, model_routing_test_table),
};

const struct table *model_kind_table(enum kind k)
{
    return model_kind_infos[k].top;
}

const char *model_kind_name(enum kind k)
{
    return model_kind_infos[k].name;
}

bool model_kind_is_route(enum kind k)
{
    return k == KIND_HTTP_ROUTE || k == KIND_GRPC_ROUTE || k == KIND_TLS_ROUTE ||
           k == KIND_TCP_ROUTE || k == KIND_UDP_ROUTE;
}

const struct policy_targets *model_policy_targets(const struct object *o)
{
    switch (o->kind) {
    case KIND_CLIENT_POLICY:
        return &((const struct client_policy *)o)->targets;
    case KIND_ACCESS_POLICY:
        return &((const struct access_policy *)o)->targets;
    case KIND_BACKEND_POLICY:
        return &((const struct backend_policy *)o)->targets;
    default:
        return NULL;
    }
}

/* The decoder split apiVersion at its last slash; the core group has
 * none. */
const char *model_object_version(const struct object *o)
{
    const char *slash = strrchr(o->api_version, '/');

    return slash ? slash + 1 : o->api_version;
}
