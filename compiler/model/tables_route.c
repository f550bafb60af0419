/*
 * Field tables for HTTPRoute, GRPCRoute, TLSRoute, TCPRoute and UDPRoute
 * (gateway-api apis/v1/{httproute,grpcroute,tlsroute,tcproute,udproute}_types.go).
 * All five decode into struct route; each kind's table admits only its own
 * fields, so `matches` in a TCPRoute is reported as unknown.
 */
#include "tables.h"

static const struct field http_header_fields[] = {
    FIELD("name", FT_STRING, FIELD_REQUIRED, struct http_header, name),
    FIELD("value", FT_STRING, FIELD_REQUIRED, struct http_header, value),
    FIELD_END,
};
const struct table model_http_header_table =
    TABLE(struct http_header, "HTTPHeader", http_header_fields);

static const struct field header_filter_fields[] = {
    FIELD_LIST("set", 0, struct header_filter, set, model_http_header_table),
    FIELD_LIST("add", 0, struct header_filter, add, model_http_header_table),
    FIELD_STRS("remove", 0, struct header_filter, remove),
    FIELD_END,
};
static const struct table header_filter_table =
    TABLE(struct header_filter, "HTTPHeaderFilter", header_filter_fields);

static const struct field path_modifier_fields[] = {
    FIELD_ENUM("type", FIELD_REQUIRED, struct path_modifier, type,
               model_modifier_type_names),
    FIELD("replaceFullPath", FT_STRING, 0, struct path_modifier, replace_full_path),
    FIELD("replacePrefixMatch", FT_STRING, 0, struct path_modifier,
          replace_prefix_match),
    FIELD_END,
};
static const struct table path_modifier_table =
    TABLE(struct path_modifier, "HTTPPathModifier", path_modifier_fields);

static const struct field request_redirect_fields[] = {
    FIELD("scheme", FT_STRING, 0, struct request_redirect, scheme),
    FIELD("hostname", FT_STRING, 0, struct request_redirect, hostname),
    FIELD_OBJ("path", 0, struct request_redirect, path, path_modifier_table),
    FIELD("port", FT_INT32, 0, struct request_redirect, port),
    FIELD("statusCode", FT_INT32, 0, struct request_redirect, status_code),
    FIELD_END,
};
static const struct table request_redirect_table = TABLE(
    struct request_redirect, "HTTPRequestRedirectFilter", request_redirect_fields);

static const struct field url_rewrite_fields[] = {
    FIELD("hostname", FT_STRING, 0, struct url_rewrite, hostname),
    FIELD_OBJ("path", 0, struct url_rewrite, path, path_modifier_table),
    FIELD_END,
};
static const struct table url_rewrite_table =
    TABLE(struct url_rewrite, "HTTPURLRewriteFilter", url_rewrite_fields);

static const struct field fraction_fields[] = {
    FIELD("numerator", FT_INT32, FIELD_REQUIRED, struct fraction, numerator),
    FIELD("denominator", FT_INT32, 0, struct fraction, denominator),
    FIELD_END,
};
static const struct table fraction_table =
    TABLE(struct fraction, "Fraction", fraction_fields);

static const struct field request_mirror_fields[] = {
    FIELD_OBJ("backendRef", FIELD_REQUIRED, struct request_mirror, backend_ref,
              model_backend_object_ref_table),
    FIELD("percent", FT_INT32, 0, struct request_mirror, percent),
    FIELD_OBJ("fraction", 0, struct request_mirror, fraction, fraction_table),
    FIELD_END,
};
static const struct table request_mirror_table = TABLE(
    struct request_mirror, "HTTPRequestMirrorFilter", request_mirror_fields);

static const struct field cors_fields[] = {
    FIELD_STRS("allowOrigins", 0, struct cors_filter, allow_origins),
    FIELD("allowCredentials", FT_BOOL, 0, struct cors_filter, allow_credentials),
    FIELD_STRS("allowMethods", 0, struct cors_filter, allow_methods),
    FIELD_STRS("allowHeaders", 0, struct cors_filter, allow_headers),
    FIELD_STRS("exposeHeaders", 0, struct cors_filter, expose_headers),
    FIELD("maxAge", FT_INT32, 0, struct cors_filter, max_age),
    FIELD_END,
};
static const struct table cors_table =
    TABLE(struct cors_filter, "HTTPCORSFilter", cors_fields);

static const struct field external_auth_fields[] = {
    FIELD("protocol", FT_STRING, FIELD_REQUIRED, struct external_auth, protocol),
    FIELD_OBJ("backendRef", FIELD_REQUIRED, struct external_auth, backend_ref,
              model_backend_object_ref_table),
    FIELD("grpc", FT_NODE, 0, struct external_auth, grpc),
    FIELD("http", FT_NODE, 0, struct external_auth, http),
    FIELD("forwardBody", FT_NODE, 0, struct external_auth, forward_body),
    FIELD_END,
};
static const struct table external_auth_table =
    TABLE(struct external_auth, "HTTPExternalAuthFilter", external_auth_fields);

static const struct field http_filter_fields[] = {
    FIELD_ENUM("type", FIELD_REQUIRED | FIELD_ENUM_BY_RULE, struct route_filter,
               type, model_filter_type_names),
    FIELD_OBJ("requestHeaderModifier", 0, struct route_filter,
              request_header_modifier, header_filter_table),
    FIELD_OBJ("responseHeaderModifier", 0, struct route_filter,
              response_header_modifier, header_filter_table),
    FIELD_OBJ("requestMirror", 0, struct route_filter, request_mirror,
              request_mirror_table),
    FIELD_OBJ("requestRedirect", 0, struct route_filter, request_redirect,
              request_redirect_table),
    FIELD_OBJ("urlRewrite", 0, struct route_filter, url_rewrite, url_rewrite_table),
    FIELD_OBJ("cors", 0, struct route_filter, cors, cors_table),
    FIELD_OBJ("externalAuth", 0, struct route_filter, external_auth,
              external_auth_table),
    FIELD_OBJ("extensionRef", 0, struct route_filter, extension_ref,
              model_local_ref_table),
    FIELD_END,
};
static const struct table http_filter_table =
    TABLE(struct route_filter, "HTTPRouteFilter", http_filter_fields);

static const struct field grpc_filter_fields[] = {
    FIELD_ENUM("type", FIELD_REQUIRED | FIELD_ENUM_BY_RULE, struct route_filter,
               type, model_filter_type_names),
    FIELD_OBJ("requestHeaderModifier", 0, struct route_filter,
              request_header_modifier, header_filter_table),
    FIELD_OBJ("responseHeaderModifier", 0, struct route_filter,
              response_header_modifier, header_filter_table),
    FIELD_OBJ("requestMirror", 0, struct route_filter, request_mirror,
              request_mirror_table),
    FIELD_OBJ("extensionRef", 0, struct route_filter, extension_ref,
              model_local_ref_table),
    FIELD_END,
};
static const struct table grpc_filter_table =
    TABLE(struct route_filter, "GRPCRouteFilter", grpc_filter_fields);

#define BACKEND_REF_FIELDS                                                     \
    FIELD("group", FT_STRING, 0, struct backend_ref, group),                   \
        FIELD("kind", FT_STRING, 0, struct backend_ref, kind),                 \
        FIELD("name", FT_STRING, FIELD_REQUIRED, struct backend_ref, name),    \
        FIELD("namespace", FT_STRING, 0, struct backend_ref, namespace),       \
        FIELD("port", FT_INT32, 0, struct backend_ref, port),                  \
        FIELD("weight", FT_INT32, 0, struct backend_ref, weight)

static const struct field http_backend_ref_fields[] = {
    BACKEND_REF_FIELDS,
    FIELD_LIST("filters", 0, struct backend_ref, filters, http_filter_table),
    FIELD_END,
};
static const struct table http_backend_ref_table =
    TABLE(struct backend_ref, "HTTPBackendRef", http_backend_ref_fields);

static const struct field grpc_backend_ref_fields[] = {
    BACKEND_REF_FIELDS,
    FIELD_LIST("filters", 0, struct backend_ref, filters, grpc_filter_table),
    FIELD_END,
};
static const struct table grpc_backend_ref_table =
    TABLE(struct backend_ref, "GRPCBackendRef", grpc_backend_ref_fields);

static const struct field backend_ref_fields[] = {
    BACKEND_REF_FIELDS,
    FIELD_END,
};
static const struct table backend_ref_table =
    TABLE(struct backend_ref, "BackendRef", backend_ref_fields);

static const struct field value_match_fields[] = {
    FIELD_ENUM("type", 0, struct value_match, type, model_match_type_names),
    FIELD("name", FT_STRING, FIELD_REQUIRED, struct value_match, name),
    FIELD("value", FT_STRING, FIELD_REQUIRED, struct value_match, value),
    FIELD_END,
};
static const struct table header_match_table =
    TABLE(struct value_match, "HTTPHeaderMatch", value_match_fields);
static const struct table query_match_table =
    TABLE(struct value_match, "HTTPQueryParamMatch", value_match_fields);
static const struct table grpc_header_match_table =
    TABLE(struct value_match, "GRPCHeaderMatch", value_match_fields);

static const struct field path_match_fields[] = {
    FIELD_ENUM("type", 0, struct path_match, type, model_path_type_names),
    FIELD("value", FT_STRING, 0, struct path_match, value),
    FIELD_END,
};
static const struct table path_match_table =
    TABLE(struct path_match, "HTTPPathMatch", path_match_fields);

static const struct field http_match_fields[] = {
    FIELD_OBJ("path", 0, struct http_match, path, path_match_table),
    FIELD_LIST("headers", 0, struct http_match, headers, header_match_table),
    FIELD_LIST("queryParams", 0, struct http_match, query_params,
               query_match_table),
    FIELD("method", FT_STRING, 0, struct http_match, method),
    FIELD_END,
};
static const struct table http_match_table =
    TABLE(struct http_match, "HTTPRouteMatch", http_match_fields);

static const struct field grpc_method_fields[] = {
    FIELD_ENUM("type", 0, struct grpc_method_match, type, model_match_type_names),
    FIELD("service", FT_STRING, 0, struct grpc_method_match, service),
    FIELD("method", FT_STRING, 0, struct grpc_method_match, method),
    FIELD_END,
};
static const struct table grpc_method_table =
    TABLE(struct grpc_method_match, "GRPCMethodMatch", grpc_method_fields);

static const struct field grpc_match_fields[] = {
    FIELD_OBJ("method", 0, struct grpc_match, method, grpc_method_table),
    FIELD_LIST("headers", 0, struct grpc_match, headers, grpc_header_match_table),
    FIELD_END,
};
static const struct table grpc_match_table =
    TABLE(struct grpc_match, "GRPCRouteMatch", grpc_match_fields);

static const struct field timeouts_fields[] = {
    FIELD("request", FT_STRING, FIELD_DURATION, struct route_timeouts, request),
    FIELD("backendRequest", FT_STRING, FIELD_DURATION, struct route_timeouts, backend_request),
    FIELD_END,
};
static const struct table timeouts_table =
    TABLE(struct route_timeouts, "HTTPRouteTimeouts", timeouts_fields);

static const struct field retry_fields[] = {
    FIELD_INTS("codes", 0, struct route_retry, codes),
    FIELD("attempts", FT_INT32, 0, struct route_retry, attempts),
    FIELD("backoff", FT_STRING, FIELD_DURATION, struct route_retry, backoff),
    FIELD_END,
};
static const struct table retry_table =
    TABLE(struct route_retry, "HTTPRouteRetry", retry_fields);

static const struct field cookie_config_fields[] = {
    FIELD("name", FT_STRING, 0, struct cookie_config, name),
    FIELD("path", FT_STRING, 0, struct cookie_config, path),
    FIELD_ENUM("lifetimeType", 0, struct cookie_config, lifetime_type,
               model_cookie_lifetime_names),
    FIELD_END,
};
static const struct table cookie_config_table =
    TABLE(struct cookie_config, "CookieConfig", cookie_config_fields);

static const struct field header_config_fields[] = {
    FIELD("name", FT_STRING, 0, struct header_config, name),
    FIELD_END,
};
static const struct table header_config_table =
    TABLE(struct header_config, "HeaderConfig", header_config_fields);

static const struct field session_persistence_fields[] = {
    FIELD("absoluteTimeout", FT_STRING, FIELD_DURATION, struct session_persistence,
          absolute_timeout),
    FIELD_ENUM("type", 0, struct session_persistence, type,
               model_persistence_type_names),
    FIELD_OBJ("cookie", 0, struct session_persistence, cookie, cookie_config_table),
    FIELD_OBJ("header", 0, struct session_persistence, header, header_config_table),
    FIELD_END,
};
static const struct table session_persistence_table = TABLE(
    struct session_persistence, "SessionPersistence", session_persistence_fields);

static const struct field http_rule_fields[] = {
    FIELD("name", FT_STRING, 0, struct route_rule, name),
    FIELD_LIST("matches", 0, struct route_rule, matches, http_match_table),
    FIELD_LIST("filters", 0, struct route_rule, filters, http_filter_table),
    FIELD_LIST("backendRefs", 0, struct route_rule, backend_refs,
               http_backend_ref_table),
    FIELD_OBJ("timeouts", 0, struct route_rule, timeouts, timeouts_table),
    FIELD_OBJ("retry", 0, struct route_rule, retry, retry_table),
    FIELD_OBJ("sessionPersistence", 0, struct route_rule, session_persistence,
              session_persistence_table),
    FIELD_END,
};
static const struct table http_rule_table =
    TABLE(struct route_rule, "HTTPRouteRule", http_rule_fields);

static const struct field grpc_rule_fields[] = {
    FIELD("name", FT_STRING, 0, struct route_rule, name),
    FIELD_LIST("matches", 0, struct route_rule, grpc_matches, grpc_match_table),
    FIELD_LIST("filters", 0, struct route_rule, filters, grpc_filter_table),
    FIELD_LIST("backendRefs", 0, struct route_rule, backend_refs,
               grpc_backend_ref_table),
    FIELD_OBJ("sessionPersistence", 0, struct route_rule, session_persistence,
              session_persistence_table),
    FIELD_END,
};
static const struct table grpc_rule_table =
    TABLE(struct route_rule, "GRPCRouteRule", grpc_rule_fields);

static const struct field l4_rule_fields[] = {
    FIELD("name", FT_STRING, 0, struct route_rule, name),
    FIELD_LIST("backendRefs", 0, struct route_rule, backend_refs,
               backend_ref_table),
    FIELD_END,
};
static const struct table tls_rule_table =
    TABLE(struct route_rule, "TLSRouteRule", l4_rule_fields);
static const struct table tcp_rule_table =
    TABLE(struct route_rule, "TCPRouteRule", l4_rule_fields);
static const struct table udp_rule_table =
    TABLE(struct route_rule, "UDPRouteRule", l4_rule_fields);

static const struct field http_spec_fields[] = {
    FIELD_LIST("parentRefs", 0, struct route, parent_refs, model_parent_ref_table),
    FIELD_STRS("hostnames", 0, struct route, hostnames),
    FIELD_LIST("rules", 0, struct route, rules, http_rule_table),
    FIELD("useDefaultGateways", FT_STRING, 0, struct route, use_default_gateways),
    FIELD_END,
};
static const struct table http_spec_table = {
    "HTTPRouteSpec", 0, 1, offsetof(struct route, spec_src), false,
    http_spec_fields};

static const struct field grpc_spec_fields[] = {
    FIELD_LIST("parentRefs", 0, struct route, parent_refs, model_parent_ref_table),
    FIELD_STRS("hostnames", 0, struct route, hostnames),
    FIELD_LIST("rules", 0, struct route, rules, grpc_rule_table),
    FIELD("useDefaultGateways", FT_STRING, 0, struct route, use_default_gateways),
    FIELD_END,
};
static const struct table grpc_spec_table = {
    "GRPCRouteSpec", 0, 1, offsetof(struct route, spec_src), false,
    grpc_spec_fields};

static const struct field tls_spec_fields[] = {
    FIELD_LIST("parentRefs", 0, struct route, parent_refs, model_parent_ref_table),
    FIELD_STRS("hostnames", 0, struct route, hostnames),
    FIELD_LIST("rules", FIELD_REQUIRED, struct route, rules, tls_rule_table),
    FIELD("useDefaultGateways", FT_STRING, 0, struct route, use_default_gateways),
    FIELD_END,
};
static const struct table tls_spec_table = {
    "TLSRouteSpec", 0, 1, offsetof(struct route, spec_src), false,
    tls_spec_fields};

static const struct field tcp_spec_fields[] = {
    FIELD_LIST("parentRefs", 0, struct route, parent_refs, model_parent_ref_table),
    FIELD_LIST("rules", FIELD_REQUIRED, struct route, rules, tcp_rule_table),
    FIELD("useDefaultGateways", FT_STRING, 0, struct route, use_default_gateways),
    FIELD_END,
};
static const struct table tcp_spec_table = {
    "TCPRouteSpec", 0, 1, offsetof(struct route, spec_src), false,
    tcp_spec_fields};

static const struct field udp_spec_fields[] = {
    FIELD_LIST("parentRefs", 0, struct route, parent_refs, model_parent_ref_table),
    FIELD_LIST("rules", FIELD_REQUIRED, struct route, rules, udp_rule_table),
    FIELD("useDefaultGateways", FT_STRING, 0, struct route, use_default_gateways),
    FIELD_END,
};
static const struct table udp_spec_table = {
    "UDPRouteSpec", 0, 1, offsetof(struct route, spec_src), false,
    udp_spec_fields};

static const struct field http_route_fields[] = {
    OBJECT_HEADER(struct route),
    FIELD_SPEC(FIELD_REQUIRED, http_spec_table),
    FIELD_END,
};
const struct table model_http_route_table =
    TOP_TABLE(struct route, "HTTPRoute", http_route_fields);

static const struct field grpc_route_fields[] = {
    OBJECT_HEADER(struct route),
    FIELD_SPEC(FIELD_REQUIRED, grpc_spec_table),
    FIELD_END,
};
const struct table model_grpc_route_table =
    TOP_TABLE(struct route, "GRPCRoute", grpc_route_fields);

static const struct field tls_route_fields[] = {
    OBJECT_HEADER(struct route),
    FIELD_SPEC(FIELD_REQUIRED, tls_spec_table),
    FIELD_END,
};
const struct table model_tls_route_table =
    TOP_TABLE(struct route, "TLSRoute", tls_route_fields);

static const struct field tcp_route_fields[] = {
    OBJECT_HEADER(struct route),
    FIELD_SPEC(FIELD_REQUIRED, tcp_spec_table),
    FIELD_END,
};
const struct table model_tcp_route_table =
    TOP_TABLE(struct route, "TCPRoute", tcp_route_fields);

static const struct field udp_route_fields[] = {
    OBJECT_HEADER(struct route),
    FIELD_SPEC(FIELD_REQUIRED, udp_spec_table),
    FIELD_END,
};
const struct table model_udp_route_table =
    TOP_TABLE(struct route, "UDPRoute", udp_route_fields);
