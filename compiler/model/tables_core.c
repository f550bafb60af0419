/*
 * Field tables for object metadata and the core kinds gwc reads in part
 * (Namespace, Service, EndpointSlice, Secret, ConfigMap, Ingress,
 * IngressClass).  Tables of kinds read in part are open: fields gwc does not
 * model are valid Kubernetes and must not be reported as unknown.
 */
#include "tables.h"

static const struct field object_meta_fields[] = {
    FIELD("name", FT_STRING, 0, struct object_meta, name),
    FIELD_NAMESPACE(0, struct object_meta),
    FIELD_L("labels", FT_MAP, 0, struct object_meta, labels,
            LIM_MAP(0, FMT_LABEL_VALUE)),
    FIELD("annotations", FT_MAP, 0, struct object_meta, annotations),
    FIELD("creationTimestamp", FT_STRING, 0, struct object_meta,
          creation_timestamp),
    FIELD("generation", FT_INT64, 0, struct object_meta, generation),
    {"generateName", FT_IGNORE, 0, 0, 0, NULL},
    {"uid", FT_IGNORE, 0, 0, 0, NULL},
    {"resourceVersion", FT_IGNORE, 0, 0, 0, NULL},
    {"selfLink", FT_IGNORE, 0, 0, 0, NULL},
    {"managedFields", FT_IGNORE, 0, 0, 0, NULL},
    {"ownerReferences", FT_IGNORE, 0, 0, 0, NULL},
    {"finalizers", FT_IGNORE, 0, 0, 0, NULL},
    {"deletionTimestamp", FT_IGNORE, 0, 0, 0, NULL},
    {"deletionGracePeriodSeconds", FT_IGNORE, 0, 0, 0, NULL},
    FIELD_END,
};
/* Diagnostics after the check point at an object's own node; its
 * gwc.dev/ignore annotation is copied while decoding (model_input). */
const struct table model_object_meta_table = {
    "ObjectMeta", sizeof(struct object_meta), alignof(struct object_meta), 0, false,
    object_meta_fields, .src_unread = true};

static const struct field namespace_fields[] = {
    OBJECT_HEADER(struct namespace_obj),
    {"spec", FT_IGNORE, 0, 0, 0, NULL},
    FIELD_END,
};
const struct table model_namespace_table =
    TOP_TABLE(struct namespace_obj, "Namespace", namespace_fields);

static const struct field service_port_fields[] = {
    FIELD("name", FT_STRING, 0, struct service_port, name),
    FIELD_D("protocol", FT_STRING, 0, struct service_port, protocol, NULL,
            DEF_STR("TCP")),
    FIELD("appProtocol", FT_STRING, 0, struct service_port, app_protocol),
    FIELD_PORT(FIELD_REQUIRED, struct service_port),
    FIELD("targetPort", FT_INT_OR_STRING, 0, struct service_port, target_port),
    FIELD_END,
};
/* The controller reads a Service's ports, not their positions: what it
 * reports is at the route's backendRef. */
static const struct table service_port_table = {
    "ServicePort", sizeof(struct service_port), alignof(struct service_port), 0,
    true, service_port_fields, .src_unread = true};

static const struct field service_spec_fields[] = {
    FIELD_D("type", FT_STRING, 0, struct service, type,
            LIM_ONE_OF("ClusterIP", "NodePort", "LoadBalancer", "ExternalName"),
            DEF_STR("ClusterIP")),
    FIELD("clusterIP", FT_STRING, 0, struct service, cluster_ip),
    FIELD_STRS("clusterIPs", 0, struct service, cluster_ips),
    FIELD("externalName", FT_STRING, FIELD_GIVEN(SERVICE_GIVEN_EXTERNAL_NAME),
          struct service, external_name),
    FIELD_LIST("ports", 0, struct service, ports, service_port_table),
    FIELD_END,
};
static const struct table service_spec_table = {
    "ServiceSpec",  0, 1, offsetof(struct service, spec_src), true,
    service_spec_fields, offsetof(struct service, present), .src_unread = true};

static const struct field service_fields[] = {
    OBJECT_HEADER(struct service),
    FIELD_SPEC(FIELD_DEFAULT_EMPTY, service_spec_table),
    FIELD_END,
};
const struct table model_service_table =
    TOP_TABLE(struct service, "Service", service_fields);

static const struct field endpoint_conditions_fields[] = {
    FIELD("ready", FT_BOOL, 0, struct endpoint_conditions, ready),
    FIELD("serving", FT_BOOL, 0, struct endpoint_conditions, serving),
    FIELD("terminating", FT_BOOL, 0, struct endpoint_conditions, terminating),
    FIELD_END,
};
static const struct table endpoint_conditions_table = {
    "EndpointConditions", sizeof(struct endpoint_conditions),
    alignof(struct endpoint_conditions), 0, true, endpoint_conditions_fields,
    .src_unread = true};

static const struct field endpoint_fields[] = {
    FIELD_STRS("addresses", FIELD_REQUIRED, struct endpoint, addresses),
    FIELD_OBJ("conditions", 0, struct endpoint, conditions,
              endpoint_conditions_table),
    FIELD_END,
};
/* Endpoints are read, never pointed at after the check; an EndpointSlice's
 * ports are (ctl_endpoint_slices_check()). */
static const struct table endpoint_table = {
    "Endpoint", sizeof(struct endpoint), alignof(struct endpoint), 0, true,
    endpoint_fields, .src_unread = true};

static const struct field endpoint_port_fields[] = {
    FIELD("name", FT_STRING, 0, struct endpoint_port, name),
    FIELD_D("protocol", FT_STRING, 0, struct endpoint_port, protocol, NULL,
            DEF_STR("TCP")),
    FIELD("appProtocol", FT_STRING, 0, struct endpoint_port, app_protocol),
    /* ctl_endpoint_slices_check() points at it. */
    FIELD("port", FT_INT32, FIELD_KEEP_NODE, struct endpoint_port, port),
    FIELD_END,
};
static const struct table endpoint_port_table = {
    "EndpointPort", sizeof(struct endpoint_port), alignof(struct endpoint_port),
    0, true, endpoint_port_fields};

static const struct field endpoint_slice_fields[] = {
    OBJECT_HEADER(struct endpoint_slice),
    FIELD_L("addressType", FT_STRING, FIELD_REQUIRED, struct endpoint_slice,
            address_type, LIM_ONE_OF("IPv4", "IPv6", "FQDN")),
    FIELD_LIST_L("endpoints", 0, struct endpoint_slice, endpoints, endpoint_table,
                 LIM_ITEMS(0, 1000)),
    FIELD_LIST_L("ports", 0, struct endpoint_slice, ports, endpoint_port_table,
                 LIM_ITEMS(0, 100)),
    FIELD_END,
};
const struct table model_endpoint_slice_table =
    TOP_TABLE(struct endpoint_slice, "EndpointSlice", endpoint_slice_fields);

static const struct field secret_fields[] = {
    OBJECT_HEADER(struct secret),
    FIELD("type", FT_STRING, 0, struct secret, type),
    FIELD("data", FT_MAP, 0, struct secret, data),
    FIELD("stringData", FT_MAP, 0, struct secret, string_data),
    {"immutable", FT_IGNORE, 0, 0, 0, NULL},
    FIELD_END,
};
const struct table model_secret_table =
    TOP_TABLE(struct secret, "Secret", secret_fields);

static const struct field config_map_fields[] = {
    OBJECT_HEADER(struct config_map),
    FIELD("data", FT_MAP, 0, struct config_map, data),
    {"binaryData", FT_IGNORE, 0, 0, 0, NULL},
    {"immutable", FT_IGNORE, 0, 0, 0, NULL},
    FIELD_END,
};
const struct table model_config_map_table =
    TOP_TABLE(struct config_map, "ConfigMap", config_map_fields);

/* ---- Ingress (networking.k8s.io/v1) ---- */

static const struct field ingress_port_fields[] = {
    FIELD("name", FT_STRING, 0, struct ingress_port, name),
    FIELD("number", FT_INT32, 0, struct ingress_port, number),
    FIELD_END,
};
static const struct table ingress_port_table =
    TABLE(struct ingress_port, "ServiceBackendPort", ingress_port_fields);

static const struct field ingress_service_fields[] = {
    FIELD("name", FT_STRING, FIELD_REQUIRED, struct ingress_service_backend, name),
    FIELD_OBJ("port", 0, struct ingress_service_backend, port, ingress_port_table),
    FIELD_END,
};
static const struct table ingress_service_table = TABLE(
    struct ingress_service_backend, "IngressServiceBackend", ingress_service_fields);

/* core/v1 TypedLocalObjectReference: apiGroup (optional), kind, name. */
static const struct field typed_local_ref_fields[] = {
    FIELD("apiGroup", FT_STRING, 0, struct local_ref, group),
    FIELD("kind", FT_STRING, FIELD_REQUIRED, struct local_ref, kind),
    FIELD("name", FT_STRING, FIELD_REQUIRED, struct local_ref, name),
    FIELD_END,
};
static const struct table typed_local_ref_table =
    TABLE(struct local_ref, "TypedLocalObjectReference", typed_local_ref_fields);

static const struct field ingress_backend_fields[] = {
    FIELD_OBJ("service", 0, struct ingress_backend, service,
              ingress_service_table),
    FIELD_OBJ("resource", 0, struct ingress_backend, resource, typed_local_ref_table),
    FIELD_END,
};
static const struct table ingress_backend_table =
    TABLE(struct ingress_backend, "IngressBackend", ingress_backend_fields);

static const struct field ingress_path_fields[] = {
    FIELD("path", FT_STRING, 0, struct ingress_path, path),
    FIELD("pathType", FT_STRING, FIELD_REQUIRED, struct ingress_path, path_type),
    FIELD_OBJ("backend", FIELD_REQUIRED, struct ingress_path, backend,
              ingress_backend_table),
    FIELD_END,
};
static const struct table ingress_path_table =
    TABLE(struct ingress_path, "HTTPIngressPath", ingress_path_fields);

static const struct field ingress_http_fields[] = {
    FIELD_LIST("paths", FIELD_REQUIRED, struct ingress_http, paths,
               ingress_path_table),
    FIELD_END,
};
static const struct table ingress_http_table =
    TABLE(struct ingress_http, "HTTPIngressRuleValue", ingress_http_fields);

static const struct field ingress_rule_fields[] = {
    FIELD("host", FT_STRING, 0, struct ingress_rule, host),
    FIELD_OBJ("http", 0, struct ingress_rule, http, ingress_http_table),
    FIELD_END,
};
static const struct table ingress_rule_table =
    TABLE(struct ingress_rule, "IngressRule", ingress_rule_fields);

static const struct field ingress_tls_fields[] = {
    FIELD_STRS("hosts", 0, struct ingress_tls, hosts),
    FIELD("secretName", FT_STRING, 0, struct ingress_tls, secret_name),
    FIELD_END,
};
static const struct table ingress_tls_table =
    TABLE(struct ingress_tls, "IngressTLS", ingress_tls_fields);

static const struct field ingress_spec_fields[] = {
    FIELD("ingressClassName", FT_STRING, 0, struct ingress, ingress_class_name),
    FIELD_OBJ("defaultBackend", 0, struct ingress, default_backend,
              ingress_backend_table),
    FIELD_LIST("tls", 0, struct ingress, tls, ingress_tls_table),
    FIELD_LIST("rules", 0, struct ingress, rules, ingress_rule_table),
    FIELD_END,
};
static const struct table ingress_spec_table = {
    "IngressSpec", 0, 1, offsetof(struct ingress, spec_src), false,
    ingress_spec_fields};

static const struct field ingress_fields[] = {
    OBJECT_HEADER(struct ingress),
    FIELD_SPEC(0, ingress_spec_table),
    FIELD_END,
};
const struct table model_ingress_table =
    TOP_TABLE(struct ingress, "Ingress", ingress_fields);

static const struct field ingress_class_spec_fields[] = {
    FIELD("controller", FT_STRING, 0, struct ingress_class, controller),
    FIELD("parameters", FT_NODE, 0, struct ingress_class, parameters),
    FIELD_END,
};
static const struct table ingress_class_spec_table = {
    "IngressClassSpec", 0, 1, offsetof(struct ingress_class, spec_src), true,
    ingress_class_spec_fields};

static const struct field ingress_class_fields[] = {
    OBJECT_HEADER(struct ingress_class),
    FIELD_SPEC(0, ingress_class_spec_table),
    FIELD_END,
};
const struct table model_ingress_class_table =
    TOP_TABLE(struct ingress_class, "IngressClass", ingress_class_fields);
