/*
 * Field tables for HTTPRoute, GRPCRoute, TLSRoute, TCPRoute and UDPRoute
 * (gateway-api apis/v1/{httproute,grpcroute,tlsroute,tcproute,udproute}_types.go).
 * All five decode into struct route; each kind's table admits only its own
 * fields, so `matches` in a TCPRoute is reported as unknown.
 */
#include "tables.h"

static const struct field http_header_fields[] = {
    FIELD_L("name", FT_STRING, FIELD_REQUIRED | FIELD_KEEP_NODE, struct http_header, name,
            LIM_FMT(FMT_HEADER_NAME)),
    FIELD_L("value", FT_STRING, FIELD_REQUIRED | FIELD_KEEP_NODE, struct http_header, value,
            LIM_FMT(FMT_HEADER_VALUE)),
    FIELD_END,
};
static const struct table http_header_table =
    TABLE(struct http_header, "HTTPHeader", http_header_fields);

static const struct field header_filter_fields[] = {
    FIELD_LIST_L("set", 0, struct header_filter, set, http_header_table,
                 LIM_ITEMS(0, 16)),
    FIELD_LIST_L("add", 0, struct header_filter, add, http_header_table,
                 LIM_ITEMS(0, 16)),
    FIELD_STRS_L("remove", FIELD_KEEP_NODE, struct header_filter, remove, LIM_ITEMS(0, 16)),
    FIELD_END,
};
static const struct table header_filter_table =
    TABLE(struct header_filter, "HTTPHeaderFilter", header_filter_fields);

static const struct field path_modifier_fields[] = {
    FIELD_ENUM("type", FIELD_REQUIRED, struct path_modifier, type,
               model_modifier_type_names),
    FIELD_L("replaceFullPath", FT_STRING,
            FIELD_KEEP_NODE | FIELD_GIVEN(MODIFIER_GIVEN_FULL_PATH),
            struct path_modifier, replace_full_path, LIM_FMT(FMT_PATH)),
    FIELD_L("replacePrefixMatch", FT_STRING,
            FIELD_KEEP_NODE | FIELD_GIVEN(MODIFIER_GIVEN_PREFIX_MATCH),
            struct path_modifier,
            replace_prefix_match, LIM_FMT(FMT_PATH)),
    FIELD_END,
};
static const struct table path_modifier_table =
    TABLE_GIVEN(struct path_modifier, "HTTPPathModifier", path_modifier_fields);

static const struct field request_redirect_fields[] = {
    FIELD_L("scheme", FT_STRING, 0, struct request_redirect, scheme,
            LIM_ONE_OF("http", "https")),
    FIELD_L("hostname", FT_STRING, FIELD_KEEP_NODE, struct request_redirect, hostname,
            LIM_FMT(FMT_PRECISE_HOSTNAME)),
    FIELD_OBJ("path", 0, struct request_redirect, path, path_modifier_table),
    FIELD_PORT(0, struct request_redirect),
    FIELD_D("statusCode", FT_INT32, 0, struct request_redirect, status_code, NULL,
            DEF_INT(302)),
    FIELD_END,
};
static const struct table request_redirect_table = TABLE(
    struct request_redirect, "HTTPRequestRedirectFilter", request_redirect_fields);

static const struct field url_rewrite_fields[] = {
    FIELD_L("hostname", FT_STRING, FIELD_KEEP_NODE, struct url_rewrite, hostname,
            LIM_FMT(FMT_PRECISE_HOSTNAME)),
    FIELD_OBJ("path", 0, struct url_rewrite, path, path_modifier_table),
    FIELD_END,
};
static const struct table url_rewrite_table =
    TABLE(struct url_rewrite, "HTTPURLRewriteFilter", url_rewrite_fields);

static const struct field fraction_fields[] = {
    FIELD_L("numerator", FT_INT32, FIELD_REQUIRED, struct fraction, numerator,
            LIM_RANGE(0, INT64_MAX)),
    FIELD_D("denominator", FT_INT32, 0, struct fraction, denominator,
            LIM_RANGE(1, INT64_MAX), DEF_INT(100)),
    FIELD_END,
};
static const struct table fraction_table =
    TABLE(struct fraction, "Fraction", fraction_fields);

static const struct field request_mirror_fields[] = {
    FIELD_OBJ("backendRef", FIELD_REQUIRED, struct request_mirror, backend_ref,
              model_backend_object_ref_table),
    FIELD_L("percent", FT_INT32, FIELD_GIVEN(MIRROR_GIVEN_PERCENT),
            struct request_mirror, percent,
            LIM_RANGE(0, 100)),
    FIELD_OBJ("fraction", FIELD_GIVEN(MIRROR_GIVEN_FRACTION), struct request_mirror,
              fraction, fraction_table),
    FIELD_END,
};
static const struct table request_mirror_table = TABLE_GIVEN(
    struct request_mirror, "HTTPRequestMirrorFilter", request_mirror_fields);

static const struct field cors_fields[] = {
    FIELD_STRS_L("allowOrigins", 0, struct cors_filter, allow_origins,
                 LIM_STRS(0, 64, FMT_CORS_ORIGIN, "origin")),
    FIELD("allowCredentials", FT_BOOL, 0, struct cors_filter, allow_credentials),
    FIELD_STRS_L("allowMethods", FIELD_KEEP_NODE, struct cors_filter, allow_methods,
                 LIM_STRS_ONE_OF(0, 9, "method", "GET", "HEAD", "POST", "PUT",
                                 "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
                                 "*")),
    FIELD_STRS_L("allowHeaders", FIELD_KEEP_NODE, struct cors_filter, allow_headers,
                 LIM_STRS(0, 64, FMT_HEADER_NAME, "header")),
    FIELD_STRS_L("exposeHeaders", FIELD_KEEP_NODE, struct cors_filter, expose_headers,
                 LIM_STRS(0, 64, FMT_HEADER_NAME, "header")),
    FIELD_D("maxAge", FT_INT32, 0, struct cors_filter, max_age,
            LIM_RANGE(1, INT64_MAX), DEF_INT(5)),
    FIELD_END,
};
static const struct table cors_table =
    TABLE(struct cors_filter, "HTTPCORSFilter", cors_fields);

static const struct field external_auth_fields[] = {
    FIELD_L("protocol", FT_STRING, FIELD_REQUIRED, struct external_auth, protocol,
            LIM_ONE_OF("HTTP", "GRPC")),
    FIELD_OBJ("backendRef", FIELD_REQUIRED, struct external_auth, backend_ref,
              model_backend_object_ref_table),
    FIELD("grpc", FT_NODE, 0, struct external_auth, grpc),
    FIELD("http", FT_NODE, 0, struct external_auth, http),
    FIELD("forwardBody", FT_NODE, 0, struct external_auth, forward_body),
    FIELD_END,
};
static const struct table external_auth_table =
    TABLE(struct external_auth, "HTTPExternalAuthFilter", external_auth_fields);

/* The rows HTTPRouteFilter and GRPCRouteFilter share: the first ones, and
 * extensionRef at the end. */
#define FILTER_HEAD_FIELDS                                                   \
    FIELD_ENUM("type", FIELD_REQUIRED | FIELD_ENUM_BY_RULE,                  \
               struct route_filter, type, model_filter_type_names),          \
        FIELD_OBJ_PTR("requestHeaderModifier", 0, struct route_filter,       \
                      request_header_modifier, header_filter_table),         \
        FIELD_OBJ_PTR("responseHeaderModifier", 0, struct route_filter,      \
                      response_header_modifier, header_filter_table),        \
        FIELD_OBJ_PTR("requestMirror", 0, struct route_filter,               \
                      request_mirror, request_mirror_table)
#define FILTER_TAIL_FIELDS                                                   \
    FIELD_OBJ_PTR("extensionRef", 0, struct route_filter, extension_ref,     \
                  model_local_ref_table),                                    \
        FIELD_END

static const struct field http_filter_fields[] = {
    FILTER_HEAD_FIELDS,
    FIELD_OBJ_PTR("requestRedirect", 0, struct route_filter, request_redirect,
                  request_redirect_table),
    FIELD_OBJ_PTR("urlRewrite", 0, struct route_filter, url_rewrite,
                  url_rewrite_table),
    FIELD_OBJ_PTR("cors", 0, struct route_filter, cors, cors_table),
    FIELD_OBJ_PTR("externalAuth", 0, struct route_filter, external_auth,
                  external_auth_table),
    FILTER_TAIL_FIELDS,
};
static const struct table http_filter_table =
    TABLE(struct route_filter, "HTTPRouteFilter", http_filter_fields);

static const struct field grpc_filter_fields[] = {
    FILTER_HEAD_FIELDS,
    FILTER_TAIL_FIELDS,
};
static const struct table grpc_filter_table = {
    "GRPCRouteFilter", sizeof(struct route_filter), alignof(struct route_filter), 0, false,
    grpc_filter_fields, 0, &http_filter_table};

#define BACKEND_REF_FIELDS                                                         \
    FIELD_GROUP_D(struct backend_ref, ""),                                         \
        FIELD_KIND_D(struct backend_ref, "Service"),                               \
        FIELD_NAME(FIELD_REQUIRED, struct backend_ref),                            \
        FIELD_NAMESPACE(0, struct backend_ref),                                    \
        FIELD_PORT(FIELD_GIVEN(BACKEND_REF_GIVEN_PORT), struct backend_ref),       \
        FIELD_D("weight", FT_INT32, 0, struct backend_ref, weight,                 \
                LIM_RANGE(0, 1000000), DEF_INT(1))

static const struct field http_backend_ref_fields[] = {
    BACKEND_REF_FIELDS,
    FIELD_LIST_L("filters", 0, struct backend_ref, filters, http_filter_table,
                 LIM_ITEMS(0, 16)),
    FIELD_END,
};
static const struct table http_backend_ref_table =
    TABLE_GIVEN(struct backend_ref, "HTTPBackendRef", http_backend_ref_fields);

static const struct field grpc_backend_ref_fields[] = {
    BACKEND_REF_FIELDS,
    FIELD_LIST_L("filters", 0, struct backend_ref, filters, grpc_filter_table,
                 LIM_ITEMS(0, 16)),
    FIELD_END,
};
static const struct table grpc_backend_ref_table =
    TABLE_GIVEN(struct backend_ref, "GRPCBackendRef", grpc_backend_ref_fields);

static const struct field backend_ref_fields[] = {
    BACKEND_REF_FIELDS,
    FIELD_END,
};
static const struct table backend_ref_table =
    TABLE_GIVEN(struct backend_ref, "BackendRef", backend_ref_fields);

static const struct field value_match_fields[] = {
    FIELD_ENUM_D("type", 0, struct value_match, type, model_match_type_names,
                 DEF_STR("Exact")),
    FIELD_L("name", FT_STRING, FIELD_REQUIRED | FIELD_KEEP_NODE, struct value_match, name,
            LIM_FMT(FMT_HEADER_NAME)),
    FIELD_L("value", FT_STRING, FIELD_REQUIRED | FIELD_KEEP_NODE, struct value_match, value,
            LIM_FMT(FMT_HEADER_VALUE)),
    FIELD_END,
};
static const struct table header_match_table =
    TABLE(struct value_match, "HTTPHeaderMatch", value_match_fields);

static const struct field query_match_fields[] = {
    FIELD_ENUM_D("type", 0, struct value_match, type, model_match_type_names,
                 DEF_STR("Exact")),
    FIELD_L("name", FT_STRING, FIELD_REQUIRED | FIELD_KEEP_NODE, struct value_match, name,
            LIM_FMT(FMT_QUERY_NAME)),
    FIELD_L("value", FT_STRING, FIELD_REQUIRED | FIELD_KEEP_NODE, struct value_match, value,
            LIM_FMT(FMT_QUERY_VALUE)),
    FIELD_END,
};
static const struct table query_match_table =
    TABLE(struct value_match, "HTTPQueryParamMatch", query_match_fields);
static const struct table grpc_header_match_table =
    TABLE(struct value_match, "GRPCHeaderMatch", value_match_fields);

static const struct field path_match_fields[] = {
    FIELD_ENUM_D("type", 0, struct path_match, type, model_path_type_names,
                 DEF_STR("PathPrefix")),
    FIELD_D("value", FT_STRING, FIELD_KEEP_NODE, struct path_match, value, LIM_FMT(FMT_PATH),
            DEF_STR("/")),
    FIELD_END,
};
static const struct table path_match_table =
    TABLE(struct path_match, "HTTPPathMatch", path_match_fields);

static const struct field http_match_fields[] = {
    FIELD_OBJ("path", FIELD_DEFAULT_EMPTY, struct http_match, path,
              path_match_table),
    FIELD_LIST_L("headers", 0, struct http_match, headers, header_match_table,
                 LIM_ITEMS(0, 16)),
    FIELD_LIST_L("queryParams", 0, struct http_match, query_params,
                 query_match_table, LIM_ITEMS(0, 16)),
    FIELD_L("method", FT_STRING, 0, struct http_match, method,
            LIM_ONE_OF("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
                       "TRACE", "PATCH")),
    FIELD_END,
};
static const struct table http_match_table =
    TABLE(struct http_match, "HTTPRouteMatch", http_match_fields);

static const struct field grpc_method_fields[] = {
    FIELD_ENUM_D("type", 0, struct grpc_method_match, type, model_match_type_names,
                 DEF_STR("Exact")),
    FIELD("service", FT_STRING,
          FIELD_KEEP_NODE | FIELD_GIVEN(GRPC_METHOD_GIVEN_SERVICE),
          struct grpc_method_match, service),
    FIELD("method", FT_STRING,
          FIELD_KEEP_NODE | FIELD_GIVEN(GRPC_METHOD_GIVEN_METHOD),
          struct grpc_method_match, method),
    FIELD_END,
};
static const struct table grpc_method_table =
    TABLE_GIVEN(struct grpc_method_match, "GRPCMethodMatch", grpc_method_fields);

static const struct field grpc_match_fields[] = {
    FIELD_OBJ("method", 0, struct grpc_match, method, grpc_method_table),
    FIELD_LIST_L("headers", 0, struct grpc_match, headers, grpc_header_match_table,
                 LIM_ITEMS(0, 16)),
    FIELD_END,
};
static const struct table grpc_match_table =
    TABLE(struct grpc_match, "GRPCRouteMatch", grpc_match_fields);

static const struct field timeouts_fields[] = {
    FIELD_L("request", FT_STRING, FIELD_KEEP_NODE, struct route_timeouts, request,
            LIM_FMT(FMT_DURATION)),
    FIELD_L("backendRequest", FT_STRING, FIELD_KEEP_NODE, struct route_timeouts,
            backend_request,
            LIM_FMT(FMT_DURATION)),
    FIELD_END,
};
static const struct table timeouts_table =
    TABLE(struct route_timeouts, "HTTPRouteTimeouts", timeouts_fields);

static const struct field retry_fields[] = {
    FIELD_INTS("codes", FIELD_KEEP_NODE, struct route_retry, codes),
    FIELD_L("attempts", FT_INT32, 0, struct route_retry, attempts,
            LIM_RANGE(1, INT64_MAX)),
    FIELD_L("backoff", FT_STRING, FIELD_KEEP_NODE, struct route_retry, backoff,
            LIM_FMT(FMT_DURATION)),
    FIELD_END,
};
static const struct table retry_table =
    TABLE(struct route_retry, "HTTPRouteRetry", retry_fields);

static const struct field cookie_config_fields[] = {
    FIELD_L("name", FT_STRING, 0, struct cookie_config, name,
            LIM_FMT(FMT_HEADER_NAME)),
    FIELD_L("path", FT_STRING, 0, struct cookie_config, path, LIM_FMT(FMT_PATH)),
    FIELD_ENUM_D("lifetimeType", 0, struct cookie_config, lifetime_type,
                 model_cookie_lifetime_names, DEF_STR("Session")),
    FIELD_END,
};
static const struct table cookie_config_table =
    TABLE(struct cookie_config, "CookieConfig", cookie_config_fields);

static const struct field header_config_fields[] = {
    FIELD_L("name", FT_STRING,
            FIELD_REQUIRED_IN_SCHEMA | FIELD_GIVEN(HEADER_CONFIG_GIVEN_NAME),
            struct header_config, name, LIM_FMT(FMT_HEADER_NAME)),
    FIELD_END,
};
static const struct table header_config_table =
    TABLE_GIVEN(struct header_config, "HeaderConfig", header_config_fields);

static const struct field session_persistence_fields[] = {
    FIELD_L("absoluteTimeout", FT_STRING,
            FIELD_GIVEN(PERSISTENCE_GIVEN_ABSOLUTE_TIMEOUT),
            struct session_persistence, absolute_timeout, LIM_FMT(FMT_DURATION)),
    FIELD_ENUM_D("type", FIELD_GIVEN(PERSISTENCE_GIVEN_TYPE),
                 struct session_persistence, type,
                 model_persistence_type_names, DEF_STR("Cookie")),
    FIELD_OBJ("cookie", FIELD_GIVEN(PERSISTENCE_GIVEN_COOKIE),
              struct session_persistence, cookie, cookie_config_table),
    FIELD_OBJ("header", FIELD_GIVEN(PERSISTENCE_GIVEN_HEADER),
              struct session_persistence, header, header_config_table),
    FIELD_END,
};
static const struct table session_persistence_table = TABLE_GIVEN(
    struct session_persistence, "SessionPersistence", session_persistence_fields);

static const struct field http_rule_fields[] = {
    FIELD_L("name", FT_STRING, 0, struct route_rule, name,
            LIM_FMT(FMT_SECTION_NAME)),
    /* "If no matches are specified, the default is a prefix path match on
     * "/"": an empty list too. */
    FIELD_LIST_L("matches", FIELD_DEFAULT_EMPTY | FIELD_EMPTY_AS_ABSENT,
                 struct route_rule, matches, http_match_table, LIM_ITEMS(0, 64)),
    FIELD_LIST_L("filters", 0, struct route_rule, filters, http_filter_table,
                 LIM_ITEMS(0, 16)),
    FIELD_LIST_L("backendRefs", 0, struct route_rule, backend_refs,
                 http_backend_ref_table, LIM_ITEMS(0, 16)),
    FIELD_OBJ_PTR("timeouts", FIELD_GIVEN(RULE_GIVEN_TIMEOUTS), struct route_rule,
              timeouts, timeouts_table),
    FIELD_OBJ_PTR("retry", FIELD_GIVEN(RULE_GIVEN_RETRY), struct route_rule, retry,
              retry_table),
    FIELD_OBJ_PTR("sessionPersistence", FIELD_GIVEN(RULE_GIVEN_SESSION_PERSISTENCE),
              struct route_rule, session_persistence, session_persistence_table),
    FIELD_END,
};
static const struct table http_rule_table =
    TABLE_GIVEN(struct route_rule, "HTTPRouteRule", http_rule_fields);

static const struct field grpc_rule_fields[] = {
    FIELD_L("name", FT_STRING, 0, struct route_rule, name,
            LIM_FMT(FMT_SECTION_NAME)),
    FIELD_LIST_L("matches", 0, struct route_rule, grpc_matches, grpc_match_table,
                 LIM_ITEMS(0, 64)),
    FIELD_LIST_L("filters", 0, struct route_rule, filters, grpc_filter_table,
                 LIM_ITEMS(0, 16)),
    FIELD_LIST_L("backendRefs", 0, struct route_rule, backend_refs,
                 grpc_backend_ref_table, LIM_ITEMS(0, 16)),
    FIELD_OBJ_PTR("sessionPersistence", FIELD_GIVEN(RULE_GIVEN_SESSION_PERSISTENCE),
              struct route_rule, session_persistence, session_persistence_table),
    FIELD_END,
};
/* The rules of the other kinds lack some of an HTTP rule's out-of-line
 * members; they read as absent (init_as), never NULL. */
#define RULE_TABLE(go_name, fields)                                          \
    {go_name, sizeof(struct route_rule), alignof(struct route_rule), 0, false, \
     fields, offsetof(struct route_rule, present), &http_rule_table}
static const struct table grpc_rule_table =
    RULE_TABLE("GRPCRouteRule", grpc_rule_fields);

static const struct field l4_rule_fields[] = {
    FIELD_L("name", FT_STRING, 0, struct route_rule, name,
            LIM_FMT(FMT_SECTION_NAME)),
    FIELD_LIST_L("backendRefs",
                 FIELD_REQUIRED_IN_SCHEMA | FIELD_GIVEN(RULE_GIVEN_BACKEND_REFS),
                 struct route_rule, backend_refs, backend_ref_table,
                 LIM_ITEMS(1, 16)),
    FIELD_END,
};
static const struct table tls_rule_table =
    RULE_TABLE("TLSRouteRule", l4_rule_fields);
static const struct table tcp_rule_table =
    RULE_TABLE("TCPRouteRule", l4_rule_fields);
static const struct table udp_rule_table =
    RULE_TABLE("UDPRouteRule", l4_rule_fields);

/* Every route kind's spec: its parent refs, maybe hostnames, its rules, and
 * useDefaultGateways; the kinds differ in the hostname limit and whether
 * rules are required. */
#define ROUTE_PARENT_REFS                                                   \
    FIELD_LIST_L("parentRefs", 0, struct route, parent_refs,                \
                 model_parent_ref_table, LIM_ITEMS(0, 32))
#define ROUTE_HOSTNAMES(max)                                                \
    FIELD_STRS_L("hostnames", FIELD_GIVEN(ROUTE_GIVEN_HOSTNAMES), struct route, \
                 hostnames, LIM_STRS(0, max, FMT_HOSTNAME, "hostname"))
#define ROUTE_RULES_ETC(fl, rules_table)                                    \
    FIELD_LIST("rules", (fl) | FIELD_GIVEN(ROUTE_GIVEN_RULES), struct route, \
               rules, rules_table),                                         \
        FIELD("useDefaultGateways", FT_STRING, 0, struct route,             \
              use_default_gateways),                                        \
        FIELD_END
#define ROUTE_SPEC_TABLE(go_name, fields)                                \
    {go_name, 0, 1, offsetof(struct route, spec_src), false, fields,    \
     offsetof(struct route, present)}
/* The object around a route spec. */
#define ROUTE_FIELDS(spec_table)                                 \
    {OBJECT_HEADER(struct route), FIELD_SPEC(FIELD_REQUIRED, spec_table), \
     FIELD_END}

static const struct field http_spec_fields[] = {
    ROUTE_PARENT_REFS, ROUTE_HOSTNAMES(16),
    ROUTE_RULES_ETC(FIELD_DEFAULT_EMPTY, http_rule_table)};
static const struct table http_spec_table =
    ROUTE_SPEC_TABLE("HTTPRouteSpec", http_spec_fields);

static const struct field grpc_spec_fields[] = {
    ROUTE_PARENT_REFS, ROUTE_HOSTNAMES(16), ROUTE_RULES_ETC(0, grpc_rule_table)};
static const struct table grpc_spec_table =
    ROUTE_SPEC_TABLE("GRPCRouteSpec", grpc_spec_fields);

static const struct field tls_spec_fields[] = {
    ROUTE_PARENT_REFS, ROUTE_HOSTNAMES(1024),
    ROUTE_RULES_ETC(FIELD_REQUIRED, tls_rule_table)};
static const struct table tls_spec_table =
    ROUTE_SPEC_TABLE("TLSRouteSpec", tls_spec_fields);

static const struct field tcp_spec_fields[] = {
    ROUTE_PARENT_REFS, ROUTE_RULES_ETC(FIELD_REQUIRED, tcp_rule_table)};
static const struct table tcp_spec_table =
    ROUTE_SPEC_TABLE("TCPRouteSpec", tcp_spec_fields);

static const struct field udp_spec_fields[] = {
    ROUTE_PARENT_REFS, ROUTE_RULES_ETC(FIELD_REQUIRED, udp_rule_table)};
static const struct table udp_spec_table =
    ROUTE_SPEC_TABLE("UDPRouteSpec", udp_spec_fields);

static const struct field http_route_fields[] = ROUTE_FIELDS(http_spec_table);
static const struct field grpc_route_fields[] = ROUTE_FIELDS(grpc_spec_table);
static const struct field tls_route_fields[] = ROUTE_FIELDS(tls_spec_table);
static const struct field tcp_route_fields[] = ROUTE_FIELDS(tcp_spec_table);
static const struct field udp_route_fields[] = ROUTE_FIELDS(udp_spec_table);
const struct table model_http_route_table =
    TOP_TABLE(struct route, "HTTPRoute", http_route_fields);
const struct table model_grpc_route_table =
    TOP_TABLE(struct route, "GRPCRoute", grpc_route_fields);
const struct table model_tls_route_table =
    TOP_TABLE(struct route, "TLSRoute", tls_route_fields);
const struct table model_tcp_route_table =
    TOP_TABLE(struct route, "TCPRoute", tcp_route_fields);
const struct table model_udp_route_table =
    TOP_TABLE(struct route, "UDPRoute", udp_route_fields);
