/*
 * Field tables for the Gateway API kinds (gateway-api apis/v1/ (one file per kind) at
 * v1.6; the older served versions carry the same fields).  Required marks
 * follow the CRDs' `required` lists.
 */
#include "tables.h"

/* ---- shared references ---- */

static const struct field parent_ref_fields[] = {
    FIELD_GROUP_D(struct parent_ref, GATEWAY_GROUP),
    FIELD_KIND_D(struct parent_ref, "Gateway"),
    FIELD_NAMESPACE(0, struct parent_ref),
    FIELD_NAME(FIELD_REQUIRED, struct parent_ref),
    FIELD_SECTION_NAME(0, struct parent_ref),
    FIELD_PORT(0, struct parent_ref),
    FIELD_END,
};
const struct table model_parent_ref_table =
    TABLE(struct parent_ref, "ParentReference", parent_ref_fields);

static const struct field backend_object_ref_fields[] = {
    FIELD_GROUP_D(struct backend_object_ref, ""),
    FIELD_KIND_D(struct backend_object_ref, "Service"),
    FIELD_NAME(FIELD_REQUIRED, struct backend_object_ref),
    FIELD_NAMESPACE(0, struct backend_object_ref),
    FIELD_PORT(FIELD_GIVEN(BACKEND_REF_GIVEN_PORT), struct backend_object_ref),
    FIELD_END,
};
const struct table model_backend_object_ref_table =
    TABLE_GIVEN(struct backend_object_ref, "BackendObjectReference",
                backend_object_ref_fields);

static const struct field secret_ref_fields[] = {
    FIELD_GROUP_D(struct secret_ref, ""),
    FIELD_KIND_D(struct secret_ref, "Secret"),
    FIELD_NAME(FIELD_REQUIRED, struct secret_ref),
    FIELD_NAMESPACE(0, struct secret_ref),
    FIELD_END,
};
static const struct table secret_ref_table =
    TABLE(struct secret_ref, "SecretObjectReference", secret_ref_fields);

static const struct field object_ref_fields[] = {
    FIELD_GROUP(FIELD_REQUIRED, struct object_ref),
    FIELD_KIND(FIELD_REQUIRED, struct object_ref),
    FIELD_NAME(FIELD_REQUIRED, struct object_ref),
    FIELD_NAMESPACE(0, struct object_ref),
    FIELD_END,
};
static const struct table object_ref_table =
    TABLE(struct object_ref, "ObjectReference", object_ref_fields);

static const struct field local_ref_fields[] = {
    FIELD_GROUP(FIELD_REQUIRED, struct local_ref),
    FIELD_KIND(FIELD_REQUIRED, struct local_ref),
    FIELD_NAME(FIELD_REQUIRED, struct local_ref),
    FIELD_END,
};
const struct table model_local_ref_table =
    TABLE(struct local_ref, "LocalObjectReference", local_ref_fields);

/* ---- GatewayClass ---- */

static const struct field parameters_ref_fields[] = {
    FIELD_GROUP(FIELD_REQUIRED, struct parameters_ref),
    FIELD_KIND(FIELD_REQUIRED, struct parameters_ref),
    FIELD_NAME(FIELD_REQUIRED, struct parameters_ref),
    FIELD_NAMESPACE(0, struct parameters_ref),
    FIELD_END,
};
static const struct table parameters_ref_table =
    TABLE(struct parameters_ref, "ParametersReference", parameters_ref_fields);

static const struct field gateway_class_spec_fields[] = {
    FIELD_L("controllerName", FT_STRING, FIELD_REQUIRED, struct gateway_class,
            controller_name, LIM_FMT(FMT_CONTROLLER_NAME)),
    FIELD_OBJ("parametersRef", 0, struct gateway_class, parameters_ref,
              parameters_ref_table),
    FIELD_L("description", FT_STRING, 0, struct gateway_class, description,
            LIM_FMT(FMT_DESCRIPTION)),
    FIELD_END,
};
static const struct table gateway_class_spec_table = {
    "GatewayClassSpec", 0, 1, offsetof(struct gateway_class, spec_src), false,
    gateway_class_spec_fields};

static const struct field gateway_class_fields[] = {
    OBJECT_HEADER(struct gateway_class),
    FIELD_SPEC(FIELD_REQUIRED, gateway_class_spec_table),
    FIELD_END,
};
const struct table model_gateway_class_table =
    TOP_TABLE(struct gateway_class, "GatewayClass", gateway_class_fields);

/* ---- listeners ---- */

static const struct field selector_req_fields[] = {
    FIELD("key", FT_STRING, FIELD_REQUIRED, struct label_selector_req, key),
    FIELD("operator", FT_STRING, FIELD_REQUIRED, struct label_selector_req,
          operator),
    FIELD_STRS("values", 0, struct label_selector_req, values),
    FIELD_END,
};
static const struct table selector_req_table = TABLE(
    struct label_selector_req, "LabelSelectorRequirement", selector_req_fields);

static const struct field label_selector_fields[] = {
    FIELD("matchLabels", FT_MAP, 0, struct label_selector, match_labels),
    FIELD_LIST("matchExpressions", 0, struct label_selector, match_expressions,
               selector_req_table),
    FIELD_END,
};
static const struct table label_selector_table =
    TABLE(struct label_selector, "LabelSelector", label_selector_fields);

/* allowedRoutes admits every value but None (schema/listener.c), which is
 * for allowedListeners only. */
static const struct field namespaces_from_fields[] = {
    FIELD_ENUM_D("from", FIELD_ENUM_BY_RULE, struct namespaces_from, from,
                 model_from_names, DEF_STR("Same")),
    FIELD_OBJ("selector", 0, struct namespaces_from, selector,
              label_selector_table),
    FIELD_END,
};
static const struct table namespaces_from_table =
    TABLE(struct namespaces_from, "RouteNamespaces", namespaces_from_fields);

static const struct field listener_namespaces_fields[] = {
    FIELD_ENUM_D("from", 0, struct namespaces_from, from, model_from_names,
                 DEF_STR("None")),
    FIELD_OBJ("selector", 0, struct namespaces_from, selector,
              label_selector_table),
    FIELD_END,
};
/* Named as allowedRoutes' type in messages, as it always was. */
static const struct table listener_namespaces_table =
    TABLE(struct namespaces_from, "RouteNamespaces", listener_namespaces_fields);

static const struct field route_group_kind_fields[] = {
    FIELD_GROUP_D(struct route_group_kind, GATEWAY_GROUP),
    FIELD_KIND(FIELD_REQUIRED, struct route_group_kind),
    FIELD_END,
};
static const struct table route_group_kind_table =
    TABLE(struct route_group_kind, "RouteGroupKind", route_group_kind_fields);

static const struct field allowed_routes_fields[] = {
    FIELD_OBJ("namespaces", FIELD_DEFAULT_EMPTY, struct allowed_routes, namespaces,
              namespaces_from_table),
    FIELD_LIST_L("kinds", 0, struct allowed_routes, kinds, route_group_kind_table,
                 LIM_ITEMS(0, 8)),
    FIELD_END,
};
static const struct table allowed_routes_table =
    TABLE(struct allowed_routes, "AllowedRoutes", allowed_routes_fields);

static const struct field listener_tls_fields[] = {
    FIELD_ENUM_D("mode", 0, struct listener_tls, mode, model_tls_mode_names,
                 DEF_STR("Terminate")),
    FIELD_LIST_L("certificateRefs", 0, struct listener_tls, certificate_refs,
                 secret_ref_table, LIM_ITEMS(0, 64)),
    FIELD_L("options", FT_MAP, 0, struct listener_tls, options,
            LIM_MAP(16, FMT_LONG_VALUE)),
    FIELD_END,
};
static const struct table listener_tls_table =
    TABLE(struct listener_tls, "ListenerTLSConfig", listener_tls_fields);

/* A Listener's rows; ListenerSet entries have the same, but their port is
 * required by the schema, not by the decoder. */
#define LISTENER_FIELDS(port_flag)                                          \
    {FIELD_L("name", FT_STRING, FIELD_REQUIRED, struct listener, name,      \
             LIM_FMT(FMT_SECTION_NAME)),                                    \
     FIELD_L("hostname", FT_STRING, 0, struct listener, hostname,           \
             LIM_FMT(FMT_HOSTNAME)),                                        \
     FIELD_PORT((port_flag) | FIELD_GIVEN(LISTENER_GIVEN_PORT),             \
                struct listener),                                \
     FIELD_L("protocol", FT_STRING, FIELD_REQUIRED, struct listener,        \
             protocol, LIM_FMT(FMT_PROTOCOL)),                              \
     FIELD_OBJ("tls", FIELD_GIVEN(LISTENER_GIVEN_TLS), struct listener, tls, \
               listener_tls_table),                                         \
     FIELD_OBJ("allowedRoutes", FIELD_DEFAULT_EMPTY, struct listener,       \
               allowed_routes, allowed_routes_table),                       \
     FIELD_END}

static const struct field listener_fields[] = LISTENER_FIELDS(FIELD_REQUIRED);
static const struct table listener_table =
    TABLE_GIVEN(struct listener, "Listener", listener_fields);

static const struct field listener_entry_fields[] =
    LISTENER_FIELDS(FIELD_REQUIRED_IN_SCHEMA);
static const struct table listener_entry_table =
    TABLE_GIVEN(struct listener, "ListenerEntry", listener_entry_fields);

/* ---- Gateway ---- */

static const struct field gateway_address_fields[] = {
    FIELD_D("type", FT_STRING, 0, struct gateway_address, type,
            LIM_FMT(FMT_ADDRESS_TYPE), DEF_STR("IPAddress")),
    FIELD_L("value", FT_STRING, 0, struct gateway_address, value,
            LIM_FMT(FMT_ADDRESS_VALUE)),
    FIELD_END,
};
static const struct table gateway_address_table =
    TABLE(struct gateway_address, "GatewaySpecAddress", gateway_address_fields);

static const struct field frontend_validation_fields[] = {
    FIELD_LIST_L("caCertificateRefs",
                 FIELD_REQUIRED_IN_SCHEMA |
                     FIELD_GIVEN(FRONTEND_VALIDATION_GIVEN_CA_REFS),
                 struct frontend_validation, ca_certificate_refs, object_ref_table,
                 LIM_ITEMS(1, 16)),
    FIELD_ENUM_D("mode", 0, struct frontend_validation, mode,
                 model_frontend_mode_names, DEF_STR("AllowValidOnly")),
    FIELD_END,
};
static const struct table frontend_validation_table = TABLE_GIVEN(
    struct frontend_validation, "FrontendTLSValidation", frontend_validation_fields);

static const struct field tls_config_fields[] = {
    FIELD_OBJ("validation", FIELD_GIVEN(TLS_GIVEN_VALIDATION), struct tls_config,
              validation, frontend_validation_table),
    FIELD_END,
};
static const struct table tls_config_table =
    TABLE_GIVEN(struct tls_config, "TLSConfig", tls_config_fields);

static const struct field tls_port_config_fields[] = {
    FIELD_PORT(FIELD_REQUIRED, struct tls_port_config),
    FIELD_OBJ("tls", FIELD_REQUIRED, struct tls_port_config, tls, tls_config_table),
    FIELD_END,
};
static const struct table tls_port_config_table =
    TABLE(struct tls_port_config, "TLSPortConfig", tls_port_config_fields);

static const struct field frontend_tls_fields[] = {
    FIELD_OBJ("default",
              FIELD_REQUIRED_IN_SCHEMA | FIELD_GIVEN(FRONTEND_TLS_GIVEN_DEFAULT),
              struct frontend_tls, default_, tls_config_table),
    FIELD_LIST_L("perPort", 0, struct frontend_tls, per_port, tls_port_config_table,
                 LIM_ITEMS(0, 64)),
    FIELD_END,
};
static const struct table frontend_tls_table =
    TABLE_GIVEN(struct frontend_tls, "FrontendTLSConfig", frontend_tls_fields);

static const struct field gateway_backend_tls_fields[] = {
    FIELD_OBJ("clientCertificateRef", FIELD_GIVEN(BACKEND_TLS_GIVEN_CLIENT_CERTIFICATE_REF),
              struct gateway_backend_tls, client_certificate_ref, secret_ref_table),
    FIELD_END,
};
static const struct table gateway_backend_tls_table = TABLE_GIVEN(
    struct gateway_backend_tls, "GatewayBackendTLS", gateway_backend_tls_fields);

static const struct field gateway_tls_fields[] = {
    FIELD_OBJ("backend", 0, struct gateway_tls, backend, gateway_backend_tls_table),
    FIELD_OBJ("frontend", 0, struct gateway_tls, frontend, frontend_tls_table),
    FIELD_END,
};
static const struct table gateway_tls_table =
    TABLE(struct gateway_tls, "GatewayTLSConfig", gateway_tls_fields);

static const struct field infrastructure_fields[] = {
    FIELD_L("labels", FT_MAP, 0, struct gateway_infrastructure, labels,
            LIM_MAP(8, FMT_LABEL_VALUE)),
    FIELD_L("annotations", FT_MAP, 0, struct gateway_infrastructure, annotations,
            LIM_MAP(16, FMT_LONG_VALUE)),
    FIELD_OBJ("parametersRef", FIELD_GIVEN(INFRA_GIVEN_PARAMETERS_REF),
              struct gateway_infrastructure, parameters_ref, model_local_ref_table),
    FIELD_END,
};
static const struct table infrastructure_table = TABLE_GIVEN(
    struct gateway_infrastructure, "GatewayInfrastructure", infrastructure_fields);

static const struct field allowed_listeners_fields[] = {
    FIELD_OBJ("namespaces", FIELD_DEFAULT_EMPTY, struct allowed_listeners,
              namespaces, listener_namespaces_table),
    FIELD_END,
};
static const struct table allowed_listeners_table =
    TABLE(struct allowed_listeners, "AllowedListeners", allowed_listeners_fields);

static const struct field gateway_spec_fields[] = {
    FIELD_L("gatewayClassName", FT_STRING, FIELD_REQUIRED, struct gateway,
            gateway_class_name, LIM_FMT(FMT_OBJECT_NAME)),
    FIELD_LIST_L("listeners", FIELD_REQUIRED, struct gateway, listeners,
                 listener_table, LIM_ITEMS(1, 64)),
    FIELD_LIST_L("addresses", 0, struct gateway, addresses, gateway_address_table,
                 LIM_ITEMS(0, 16)),
    FIELD_OBJ("infrastructure", 0, struct gateway, infrastructure,
              infrastructure_table),
    FIELD_OBJ("allowedListeners", FIELD_DEFAULT_EMPTY, struct gateway,
              allowed_listeners, allowed_listeners_table),
    FIELD_OBJ("tls", 0, struct gateway, tls, gateway_tls_table),
    FIELD_L("defaultScope", FT_STRING, 0, struct gateway, default_scope,
            LIM_ONE_OF("All", "None")),
    FIELD_END,
};
static const struct table gateway_spec_table = {
    "GatewaySpec", 0, 1, offsetof(struct gateway, spec_src), false,
    gateway_spec_fields};

static const struct field gateway_fields[] = {
    OBJECT_HEADER(struct gateway),
    FIELD_SPEC(FIELD_REQUIRED, gateway_spec_table),
    FIELD_END,
};
const struct table model_gateway_table =
    TOP_TABLE(struct gateway, "Gateway", gateway_fields);

/* ---- ListenerSet ---- */

/* ParentGatewayReference: a Gateway, with no sectionName or port. */
static const struct field parent_gateway_ref_fields[] = {
    FIELD_GROUP_D(struct parent_ref, GATEWAY_GROUP),
    FIELD_KIND_D(struct parent_ref, "Gateway"),
    FIELD_NAMESPACE(0, struct parent_ref),
    FIELD_NAME(FIELD_REQUIRED, struct parent_ref),
    FIELD_END,
};
static const struct table parent_gateway_ref_table =
    TABLE(struct parent_ref, "ParentGatewayReference", parent_gateway_ref_fields);

static const struct field listener_set_spec_fields[] = {
    FIELD_OBJ("parentRef", FIELD_REQUIRED, struct listener_set, parent_ref,
              parent_gateway_ref_table),
    FIELD_LIST_L("listeners", FIELD_REQUIRED, struct listener_set, listeners,
                 listener_entry_table, LIM_ITEMS(1, 64)),
    FIELD_END,
};
static const struct table listener_set_spec_table = {
    "ListenerSetSpec", 0, 1, offsetof(struct listener_set, spec_src), false,
    listener_set_spec_fields};

static const struct field listener_set_fields[] = {
    OBJECT_HEADER(struct listener_set),
    FIELD_SPEC(FIELD_REQUIRED, listener_set_spec_table),
    FIELD_END,
};
const struct table model_listener_set_table =
    TOP_TABLE(struct listener_set, "ListenerSet", listener_set_fields);

/* ---- ReferenceGrant ---- */

static const struct field grant_from_fields[] = {
    FIELD_GROUP(FIELD_REQUIRED, struct grant_from),
    FIELD_KIND(FIELD_REQUIRED, struct grant_from),
    FIELD_NAMESPACE(FIELD_REQUIRED, struct grant_from),
    FIELD_END,
};
static const struct table grant_from_table =
    TABLE(struct grant_from, "ReferenceGrantFrom", grant_from_fields);

static const struct field grant_to_fields[] = {
    FIELD_GROUP(FIELD_REQUIRED, struct grant_to),
    FIELD_KIND(FIELD_REQUIRED, struct grant_to),
    FIELD_NAME(0, struct grant_to),
    FIELD_END,
};
static const struct table grant_to_table =
    TABLE(struct grant_to, "ReferenceGrantTo", grant_to_fields);

static const struct field reference_grant_spec_fields[] = {
    FIELD_LIST_L("from", FIELD_REQUIRED, struct reference_grant, from,
                 grant_from_table, LIM_ITEMS(1, 16)),
    FIELD_LIST_L("to", FIELD_REQUIRED, struct reference_grant, to, grant_to_table,
                 LIM_ITEMS(1, 16)),
    FIELD_END,
};
static const struct table reference_grant_spec_table = {
    "ReferenceGrantSpec", 0, 1, offsetof(struct reference_grant, spec_src), false,
    reference_grant_spec_fields};

static const struct field reference_grant_fields[] = {
    OBJECT_HEADER(struct reference_grant),
    FIELD_SPEC(FIELD_REQUIRED_IN_SCHEMA | FIELD_GIVEN(GRANT_GIVEN_SPEC),
               reference_grant_spec_table),
    FIELD_END,
};
const struct table model_reference_grant_table =
    TOP_TABLE_GIVEN(struct reference_grant, "ReferenceGrant", reference_grant_fields);

/* ---- BackendTLSPolicy ---- */

static const struct field policy_target_ref_fields[] = {
    FIELD_GROUP(FIELD_REQUIRED, struct policy_target_ref),
    FIELD_KIND(FIELD_REQUIRED, struct policy_target_ref),
    FIELD_NAME(FIELD_REQUIRED, struct policy_target_ref),
    FIELD_SECTION_NAME(0, struct policy_target_ref),
    FIELD_END,
};
static const struct table policy_target_ref_table =
    TABLE(struct policy_target_ref, "LocalPolicyTargetReferenceWithSectionName",
          policy_target_ref_fields);

static const struct field san_fields[] = {
    FIELD_L("type", FT_STRING, FIELD_REQUIRED, struct subject_alt_name, type,
            LIM_ONE_OF("Hostname", "URI")),
    FIELD_L("hostname", FT_STRING, FIELD_GIVEN(SAN_GIVEN_HOSTNAME),
            struct subject_alt_name, hostname, LIM_FMT(FMT_HOSTNAME)),
    FIELD_L("uri", FT_STRING, FIELD_GIVEN(SAN_GIVEN_URI), struct subject_alt_name,
            uri, LIM_FMT(FMT_URI)),
    FIELD_END,
};
static const struct table san_table =
    TABLE_GIVEN(struct subject_alt_name, "SubjectAltName", san_fields);

static const struct field backend_tls_validation_fields[] = {
    FIELD_LIST_L("caCertificateRefs", 0, struct backend_tls_validation,
                 ca_certificate_refs, model_local_ref_table, LIM_ITEMS(0, 8)),
    FIELD_L("wellKnownCACertificates", FT_STRING, 0, struct backend_tls_validation,
            well_known_ca_certificates, LIM_FMT(FMT_WELL_KNOWN_CA)),
    FIELD_L("hostname", FT_STRING, FIELD_REQUIRED, struct backend_tls_validation,
            hostname, LIM_FMT(FMT_PRECISE_HOSTNAME)),
    FIELD_LIST_L("subjectAltNames", 0, struct backend_tls_validation,
                 subject_alt_names, san_table, LIM_ITEMS(0, 5)),
    FIELD_END,
};
static const struct table backend_tls_validation_table =
    TABLE(struct backend_tls_validation, "BackendTLSPolicyValidation",
          backend_tls_validation_fields);

static const struct field backend_tls_policy_spec_fields[] = {
    FIELD_LIST_L("targetRefs", FIELD_REQUIRED, struct backend_tls_policy,
                 target_refs, policy_target_ref_table, LIM_ITEMS(1, 16)),
    FIELD_OBJ("validation", FIELD_REQUIRED, struct backend_tls_policy, validation,
              backend_tls_validation_table),
    FIELD_L("options", FT_MAP, 0, struct backend_tls_policy, options,
            LIM_MAP(16, FMT_LONG_VALUE)),
    FIELD_END,
};
static const struct table backend_tls_policy_spec_table = {
    "BackendTLSPolicySpec", 0, 1, offsetof(struct backend_tls_policy, spec_src),
    false, backend_tls_policy_spec_fields};

static const struct field backend_tls_policy_fields[] = {
    OBJECT_HEADER(struct backend_tls_policy),
    FIELD_SPEC(FIELD_REQUIRED, backend_tls_policy_spec_table),
    FIELD_END,
};
const struct table model_backend_tls_policy_table = TOP_TABLE(
    struct backend_tls_policy, "BackendTLSPolicy", backend_tls_policy_fields);
