/* ---- gwc.dev/v1alpha1: ClientPolicy, AccessPolicy, BackendPolicy ---- */
#include "tables.h"

/*
 * The reference types these kinds share with the Gateway API have
 * narrower limits here (schema/gwc_policy.c): their own tables, named as
 * the Gateway API's in messages.
 */
static const struct field target_ref_fields[] = {
    FIELD_L("group", FT_STRING, FIELD_REQUIRED, struct policy_target_ref, group,
            LIM_ONE_OF(GATEWAY_GROUP)),
    FIELD_L("kind", FT_STRING, FIELD_REQUIRED, struct policy_target_ref, kind,
            LIM_ONE_OF("Gateway", "ListenerSet", "HTTPRoute", "GRPCRoute")),
    FIELD_NAME(FIELD_REQUIRED, struct policy_target_ref),
    FIELD_L("sectionName", FT_STRING, 0, struct policy_target_ref, section_name,
            LIM_FMT(FMT_DNS_SUBDOMAIN)),
    FIELD_END,
};
static const struct table target_ref_table =
    TABLE(struct policy_target_ref, "LocalPolicyTargetReferenceWithSectionName",
          target_ref_fields);

static const struct field service_ref_fields[] = {
    FIELD_D("group", FT_STRING, 0, struct backend_object_ref, group,
            LIM_ONE_OF(""), DEF_STR("")),
    FIELD_D("kind", FT_STRING, 0, struct backend_object_ref, kind,
            LIM_ONE_OF("Service"), DEF_STR("Service")),
    FIELD_NAME(FIELD_REQUIRED, struct backend_object_ref),
    FIELD_L("namespace", FT_STRING, 0, struct backend_object_ref, namespace,
            LIM_FMT(FMT_DNS_LABEL)),
    FIELD_PORT(FIELD_GIVEN(BACKEND_REF_GIVEN_PORT), struct backend_object_ref),
    FIELD_END,
};
static const struct table service_ref_table =
    TABLE_GIVEN(struct backend_object_ref, "BackendObjectReference", service_ref_fields);

static const struct field header_fields[] = {
    FIELD_L("name", FT_STRING, FIELD_REQUIRED, struct http_header, name,
            LIM_FMT(FMT_POLICY_HEADER)),
    FIELD_L("value", FT_STRING, FIELD_REQUIRED, struct http_header, value,
            LIM_FMT(FMT_TEXT_1024)),
    FIELD_END,
};
static const struct table header_table =
    TABLE(struct http_header, "HTTPHeader", header_fields);

/* spec.targetRefs, the same in the three kinds. */
#define FIELD_TARGETS(T)                                                      \
    {                                                                         \
        "targetRefs", FT_LIST, FIELD_REQUIRED, offsetof(T, targets.v),        \
            offsetof(T, targets.n), &target_ref_table, NULL, LIM_ITEMS(1, 16) \
    }

#define SPEC_TABLE(T, go_name, fields) \
    {go_name, 0, 1, offsetof(T, spec_src), false, fields, offsetof(T, present)}

static const struct field policy_object_ref_fields[] = {
    FIELD_NAME(FIELD_REQUIRED, struct policy_object_ref),
    FIELD_L("namespace", FT_STRING, 0, struct policy_object_ref, namespace,
            LIM_FMT(FMT_DNS_LABEL)),
    FIELD_END,
};
static const struct table secret_object_ref_table =
    TABLE(struct policy_object_ref, "SecretObjectReference", policy_object_ref_fields);

static const struct field config_map_key_ref_fields[] = {
    FIELD_NAME(FIELD_REQUIRED, struct policy_object_ref),
    FIELD_L("namespace", FT_STRING, 0, struct policy_object_ref, namespace,
            LIM_FMT(FMT_DNS_LABEL)),
    FIELD_L("key", FT_STRING, FIELD_REQUIRED, struct policy_object_ref, key,
            LIM_FMT(FMT_SECRET_KEY)),
    FIELD_END,
};
static const struct table config_map_key_ref_table =
    TABLE(struct policy_object_ref, "ConfigMapKeyReference", config_map_key_ref_fields);

/* ---- ClientPolicy ---- */

static const struct field address_detection_fields[] = {
    FIELD_L("source", FT_STRING, FIELD_REQUIRED, struct client_address_detection,
            source, LIM_ONE_OF("Connection", "Header", "ProxyProtocol")),
    FIELD_L("header", FT_STRING, FIELD_GIVEN(DETECTION_GIVEN_HEADER),
            struct client_address_detection, header, LIM_FMT(FMT_POLICY_HEADER)),
    FIELD_STRS_L("trustedProxies", FIELD_GIVEN(DETECTION_GIVEN_TRUSTED_PROXIES),
                 struct client_address_detection, trusted_proxies,
                 LIM_CIDRS(64)),
    FIELD("recursive", FT_BOOL, FIELD_GIVEN(DETECTION_GIVEN_RECURSIVE),
          struct client_address_detection, recursive),
    FIELD_END,
};
static const struct table address_detection_table = TABLE_GIVEN(
    struct client_address_detection, "ClientAddressDetection", address_detection_fields);

static const struct field client_timeouts_fields[] = {
    FIELD_L("requestBody", FT_STRING, 0, struct client_timeouts, request_body,
            LIM_DURATION(MS(0, 0, 1, 0), MS(1, 0, 0, 0))),
    FIELD_L("idle", FT_STRING, 0, struct client_timeouts, idle,
            LIM_DURATION(0, MS(1, 0, 0, 0))),
    FIELD_L("send", FT_STRING, 0, struct client_timeouts, send,
            LIM_DURATION(MS(0, 0, 1, 0), MS(1, 0, 0, 0))),
    FIELD_END,
};
static const struct table client_timeouts_table =
    TABLE(struct client_timeouts, "ClientTimeouts", client_timeouts_fields);

static const struct field request_body_fields[] = {
    FIELD("maxSize", FT_STRING, FIELD_REQUIRED, struct request_body, max_size),
    FIELD_END,
};
static const struct table request_body_table =
    TABLE(struct request_body, "RequestBody", request_body_fields);

static const struct field rate_limit_fields[] = {
    FIELD_L("requests", FT_INT32, FIELD_REQUIRED, struct rate_limit, requests,
            LIM_RANGE(1, 1000000)),
    FIELD_L("per", FT_STRING, FIELD_REQUIRED, struct rate_limit, per,
            LIM_ONE_OF("Second", "Minute")),
    FIELD_D("burst", FT_INT32, 0, struct rate_limit, burst, LIM_RANGE(0, 1000000),
            DEF_INT(0)),
    FIELD_D("noDelay", FT_BOOL, 0, struct rate_limit, no_delay, NULL,
            DEF_BOOL(true)),
    FIELD_END,
};
static const struct table rate_limit_table =
    TABLE(struct rate_limit, "RateLimit", rate_limit_fields);

static const struct field request_limits_fields[] = {
    FIELD_LIST_L("rate", FIELD_GIVEN(LIMITS_GIVEN_RATE), struct request_limits,
                 rate, rate_limit_table, LIM_ITEMS(0, 4)),
    FIELD_L("concurrent", FT_INT32, FIELD_GIVEN(LIMITS_GIVEN_CONCURRENT),
            struct request_limits, concurrent, LIM_RANGE(1, 65535)),
    FIELD_STRS_L("exemptCIDRs", 0, struct request_limits, exempt_cidrs,
                 LIM_CIDRS(64)),
    FIELD_D("rejectStatusCode", FT_INT32,
            FIELD_GIVEN(LIMITS_GIVEN_REJECT_STATUS_CODE), struct request_limits,
            reject_status_code, LIM_RANGE(400, 599), DEF_INT(503)),
    FIELD_END,
};
static const struct table request_limits_table =
    TABLE_GIVEN(struct request_limits, "RequestLimits", request_limits_fields);

static const struct field hsts_fields[] = {
    FIELD_D("maxAgeSeconds", FT_INT32, 0, struct hsts, max_age_seconds,
            LIM_RANGE(0, INT32_MAX), DEF_INT(31536000)),
    FIELD_D("includeSubDomains", FT_BOOL, 0, struct hsts, include_sub_domains, NULL,
            DEF_BOOL(false)),
    FIELD_D("preload", FT_BOOL, 0, struct hsts, preload, NULL, DEF_BOOL(false)),
    FIELD_END,
};
static const struct table hsts_table = TABLE(struct hsts, "HSTS", hsts_fields);

static const struct field error_response_fields[] = {
    FIELD_INTS_L("statusCodes", FIELD_REQUIRED, struct error_response, status_codes,
                 LIM_ITEMS(1, 16)),
    FIELD_L("body", FT_STRING, FIELD_GIVEN(ERROR_RESPONSE_GIVEN_BODY),
            struct error_response, body, LIM_FMT(FMT_BODY)),
    FIELD_OBJ("configMapRef", FIELD_GIVEN(ERROR_RESPONSE_GIVEN_CONFIG_MAP_REF),
              struct error_response, config_map_ref, config_map_key_ref_table),
    FIELD_L("contentType", FT_STRING, FIELD_GIVEN(ERROR_RESPONSE_GIVEN_CONTENT_TYPE),
            struct error_response, content_type, LIM_FMT(FMT_CONTENT_TYPE)),
    FIELD_OBJ("backendRef", FIELD_GIVEN(ERROR_RESPONSE_GIVEN_BACKEND_REF),
              struct error_response, backend_ref, service_ref_table),
    FIELD_END,
};
static const struct table error_response_table =
    TABLE_GIVEN(struct error_response, "ErrorResponse", error_response_fields);

static const struct field client_policy_spec_fields[] = {
    FIELD_TARGETS(struct client_policy),
    FIELD_OBJ("clientAddressDetection", FIELD_GIVEN(CLIENT_GIVEN_ADDRESS_DETECTION),
              struct client_policy, client_address_detection,
              address_detection_table),
    FIELD_OBJ("timeouts", FIELD_GIVEN(CLIENT_GIVEN_TIMEOUTS), struct client_policy,
              timeouts, client_timeouts_table),
    FIELD_OBJ("requestBody", FIELD_GIVEN(CLIENT_GIVEN_REQUEST_BODY),
              struct client_policy, request_body, request_body_table),
    FIELD_OBJ("requestLimits", FIELD_GIVEN(CLIENT_GIVEN_REQUEST_LIMITS),
              struct client_policy, request_limits, request_limits_table),
    FIELD_OBJ("hsts", FIELD_GIVEN(CLIENT_GIVEN_HSTS), struct client_policy, hsts,
              hsts_table),
    FIELD_LIST_L("errorResponses", FIELD_GIVEN(CLIENT_GIVEN_ERROR_RESPONSES),
                 struct client_policy, error_responses, error_response_table,
                 LIM_ITEMS(0, 16)),
    FIELD_END,
};
static const struct table client_policy_spec_table =
    SPEC_TABLE(struct client_policy, "ClientPolicySpec", client_policy_spec_fields);

static const struct field client_policy_fields[] = {
    OBJECT_HEADER(struct client_policy),
    FIELD_SPEC(FIELD_REQUIRED, client_policy_spec_table),
    FIELD_END,
};
const struct table model_client_policy_table =
    TOP_TABLE(struct client_policy, "ClientPolicy", client_policy_fields);

/* ---- AccessPolicy ---- */

static const struct field client_addresses_fields[] = {
    FIELD_STRS_L("allow", FIELD_GIVEN(ADDRESSES_GIVEN_ALLOW),
                 struct client_addresses, allow, LIM_CIDRS(256)),
    FIELD_STRS_L("deny", FIELD_GIVEN(ADDRESSES_GIVEN_DENY), struct client_addresses,
                 deny, LIM_CIDRS(256)),
    FIELD_END,
};
static const struct table client_addresses_table =
    TABLE_GIVEN(struct client_addresses, "ClientAddresses", client_addresses_fields);

static const struct field basic_auth_fields[] = {
    FIELD_OBJ("secretRef", FIELD_REQUIRED, struct basic_auth, secret_ref,
              secret_object_ref_table),
    FIELD_D("format", FT_STRING, 0, struct basic_auth, format,
            LIM_ONE_OF("Htpasswd", "UserMap"), DEF_STR("Htpasswd")),
    FIELD_L("key", FT_STRING, FIELD_GIVEN(BASIC_AUTH_GIVEN_KEY), struct basic_auth,
            key, LIM_FMT(FMT_SECRET_KEY)),
    FIELD_L("realm", FT_STRING, 0, struct basic_auth, realm, LIM_FMT(FMT_REALM)),
    FIELD_D("forwardCredentials", FT_BOOL, 0, struct basic_auth,
            forward_credentials, NULL, DEF_BOOL(false)),
    FIELD_END,
};
static const struct table basic_auth_table =
    TABLE_GIVEN(struct basic_auth, "BasicAuth", basic_auth_fields);

static const struct field sign_in_fields[] = {
    FIELD_L("url", FT_STRING, FIELD_GIVEN(SIGN_IN_GIVEN_URL), struct sign_in, url,
            LIM_FMT(FMT_HTTP_URL)),
    FIELD_L("path", FT_STRING, FIELD_GIVEN(SIGN_IN_GIVEN_PATH), struct sign_in, path,
            LIM_FMT(FMT_POLICY_PATH)),
    FIELD_D("redirectParameter", FT_STRING, 0, struct sign_in, redirect_parameter,
            LIM_FMT(FMT_PARAM_NAME), DEF_STR("rd")),
    FIELD_END,
};
static const struct table sign_in_table =
    TABLE_GIVEN(struct sign_in, "SignIn", sign_in_fields);

static const struct field external_auth_fields[] = {
    FIELD_OBJ("backendRef", FIELD_GIVEN(EXTAUTH_GIVEN_BACKEND_REF),
              struct external_auth_policy, backend_ref, service_ref_table),
    FIELD_L("url", FT_STRING, FIELD_GIVEN(EXTAUTH_GIVEN_URL),
            struct external_auth_policy, url, LIM_FMT(FMT_HTTP_URL)),
    FIELD_L("path", FT_STRING, FIELD_GIVEN(EXTAUTH_GIVEN_PATH),
            struct external_auth_policy, path, LIM_FMT(FMT_POLICY_PATH)),
    FIELD_D("method", FT_STRING, 0, struct external_auth_policy, method,
            LIM_ONE_OF("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"),
            DEF_STR("GET")),
    FIELD_STRS_L("requestHeaders", 0, struct external_auth_policy, request_headers,
                 LIM_STRS(0, 64, FMT_POLICY_HEADER, "requestHeaders")),
    FIELD_LIST_L("setRequestHeaders", 0, struct external_auth_policy,
                 set_request_headers, header_table, LIM_ITEMS(0, 16)),
    FIELD_STRS_L("responseHeaders", 0, struct external_auth_policy,
                 response_headers,
                 LIM_STRS(0, 64, FMT_POLICY_HEADER, "responseHeaders")),
    FIELD_L("requestRedirect", FT_STRING, 0, struct external_auth_policy,
            request_redirect, LIM_FMT(FMT_REDIRECT_VALUE)),
    FIELD_D("setCookie", FT_STRING, 0, struct external_auth_policy, set_cookie,
            LIM_ONE_OF("Never", "OnSuccess", "Always"), DEF_STR("OnSuccess")),
    FIELD_OBJ("signIn", FIELD_GIVEN(EXTAUTH_GIVEN_SIGN_IN),
              struct external_auth_policy, sign_in, sign_in_table),
    FIELD_D("timeout", FT_STRING, 0, struct external_auth_policy, timeout,
            LIM_DURATION(MS(0, 0, 1, 0), MS(0, 5, 0, 0)), DEF_STR("10s")),
    FIELD_END,
};
static const struct table external_auth_table =
    TABLE_GIVEN(struct external_auth_policy, "ExternalAuth", external_auth_fields);

static const struct field access_policy_spec_fields[] = {
    FIELD_TARGETS(struct access_policy),
    FIELD_OBJ("clientAddresses", FIELD_GIVEN(ACCESS_GIVEN_CLIENT_ADDRESSES),
              struct access_policy, client_addresses, client_addresses_table),
    FIELD_OBJ("basicAuth", FIELD_GIVEN(ACCESS_GIVEN_BASIC_AUTH),
              struct access_policy, basic_auth, basic_auth_table),
    FIELD_OBJ("externalAuth", FIELD_GIVEN(ACCESS_GIVEN_EXTERNAL_AUTH),
              struct access_policy, external_auth, external_auth_table),
    FIELD_D("satisfy", FT_STRING, 0, struct access_policy, satisfy,
            LIM_ONE_OF("All", "Any"), DEF_STR("All")),
    FIELD_END,
};
static const struct table access_policy_spec_table =
    SPEC_TABLE(struct access_policy, "AccessPolicySpec", access_policy_spec_fields);

static const struct field access_policy_fields[] = {
    OBJECT_HEADER(struct access_policy),
    FIELD_SPEC(FIELD_REQUIRED, access_policy_spec_table),
    FIELD_END,
};
const struct table model_access_policy_table =
    TOP_TABLE(struct access_policy, "AccessPolicy", access_policy_fields);

/* ---- BackendPolicy ---- */

static const struct field backend_timeouts_fields[] = {
    FIELD_L("connect", FT_STRING, 0, struct backend_timeouts, connect,
            LIM_DURATION(1, MS(0, 0, 75, 0))),
    FIELD_L("send", FT_STRING, 0, struct backend_timeouts, send,
            LIM_DURATION(1, MS(576, 0, 0, 0))),
    FIELD_L("read", FT_STRING, 0, struct backend_timeouts, read,
            LIM_DURATION(1, MS(576, 0, 0, 0))),
    FIELD_END,
};
static const struct table backend_timeouts_table =
    TABLE(struct backend_timeouts, "BackendTimeouts", backend_timeouts_fields);

static const struct field hash_cookie_fields[] = {
    FIELD_L("name", FT_STRING, FIELD_REQUIRED, struct hash_cookie, name,
            LIM_FMT(FMT_COOKIE_NAME)),
    FIELD_D("issue", FT_BOOL, 0, struct hash_cookie, issue, NULL, DEF_BOOL(false)),
    FIELD_L("path", FT_STRING, FIELD_GIVEN(HASH_COOKIE_GIVEN_PATH),
            struct hash_cookie, path, LIM_FMT(FMT_COOKIE_PATH)),
    FIELD_L("domain", FT_STRING, FIELD_GIVEN(HASH_COOKIE_GIVEN_DOMAIN),
            struct hash_cookie, domain, LIM_FMT(FMT_DNS_SUBDOMAIN)),
    FIELD_L("maxAgeSeconds", FT_INT32, FIELD_GIVEN(HASH_COOKIE_GIVEN_MAX_AGE_SECONDS),
            struct hash_cookie, max_age_seconds, LIM_RANGE(1, INT32_MAX)),
    FIELD_D("secure", FT_BOOL, FIELD_GIVEN(HASH_COOKIE_GIVEN_SECURE),
            struct hash_cookie, secure, NULL, DEF_BOOL(false)),
    FIELD_D("httpOnly", FT_BOOL, FIELD_GIVEN(HASH_COOKIE_GIVEN_HTTP_ONLY),
            struct hash_cookie, http_only, NULL, DEF_BOOL(true)),
    FIELD_L("sameSite", FT_STRING, FIELD_GIVEN(HASH_COOKIE_GIVEN_SAME_SITE),
            struct hash_cookie, same_site, LIM_ONE_OF("Strict", "Lax", "None")),
    FIELD_END,
};
static const struct table hash_cookie_table =
    TABLE_GIVEN(struct hash_cookie, "HashCookie", hash_cookie_fields);

static const struct field consistent_hash_fields[] = {
    FIELD_L("source", FT_STRING, FIELD_REQUIRED, struct consistent_hash, source,
            LIM_ONE_OF("ClientAddress", "Header", "Cookie", "QueryParameter",
                       "RequestURI")),
    FIELD_L("header", FT_STRING, FIELD_GIVEN(HASH_GIVEN_HEADER),
            struct consistent_hash, header, LIM_FMT(FMT_POLICY_HEADER)),
    FIELD_L("queryParameter", FT_STRING, FIELD_GIVEN(HASH_GIVEN_QUERY_PARAMETER),
            struct consistent_hash, query_parameter, LIM_FMT(FMT_QUERY_NAME)),
    FIELD_OBJ("cookie", FIELD_GIVEN(HASH_GIVEN_COOKIE), struct consistent_hash,
              cookie, hash_cookie_table),
    FIELD_END,
};
static const struct table consistent_hash_table =
    TABLE_GIVEN(struct consistent_hash, "ConsistentHash", consistent_hash_fields);

static const struct field load_balancing_fields[] = {
    FIELD_D("method", FT_STRING, 0, struct load_balancing, method,
            LIM_ONE_OF("RoundRobin", "LeastConnections", "ConsistentHash"),
            DEF_STR("RoundRobin")),
    FIELD_OBJ("consistentHash", FIELD_GIVEN(LB_GIVEN_CONSISTENT_HASH),
              struct load_balancing, consistent_hash, consistent_hash_table),
    FIELD_END,
};
static const struct table load_balancing_table =
    TABLE_GIVEN(struct load_balancing, "LoadBalancing", load_balancing_fields);

static const struct field keepalive_fields[] = {
    FIELD_L("connections", FT_INT32, 0, struct upstream_keepalive, connections,
            LIM_RANGE(0, 1024)),
    FIELD_L("requests", FT_INT32, 0, struct upstream_keepalive, requests,
            LIM_RANGE(1, 1000000)),
    FIELD_L("idleTimeout", FT_STRING, 0, struct upstream_keepalive, idle_timeout,
            LIM_DURATION(MS(0, 0, 1, 0), MS(1, 0, 0, 0))),
    FIELD_L("maxLifetime", FT_STRING, 0, struct upstream_keepalive, max_lifetime,
            LIM_DURATION(MS(0, 0, 1, 0), MS(24, 0, 0, 0))),
    FIELD_END,
};
static const struct table keepalive_table =
    TABLE(struct upstream_keepalive, "Keepalive", keepalive_fields);

static const struct field buffering_fields[] = {
    FIELD("response", FT_BOOL, 0, struct buffering, response),
    FIELD("request", FT_BOOL, 0, struct buffering, request),
    FIELD_END,
};
static const struct table buffering_table =
    TABLE(struct buffering, "Buffering", buffering_fields);

static const struct field backend_retry_fields[] = {
    FIELD_STRS_L("on", 0, struct backend_retry, on,
                 LIM_STRS_ONE_OF(0, 3, "on", "Error", "Timeout", "InvalidHeader")),
    FIELD_INTS_L("statusCodes", 0, struct backend_retry, status_codes,
                 LIM_ITEMS(0, 7)),
    FIELD_D("nonIdempotent", FT_BOOL, 0, struct backend_retry, non_idempotent, NULL,
            DEF_BOOL(false)),
    FIELD_D("tries", FT_INT32, 0, struct backend_retry, tries, LIM_RANGE(1, 16),
            DEF_INT(3)),
    FIELD_L("timeout", FT_STRING, 0, struct backend_retry, timeout,
            LIM_DURATION(1, MS(24, 0, 0, 0))),
    FIELD_END,
};
static const struct table backend_retry_table =
    TABLE(struct backend_retry, "Retry", backend_retry_fields);

static const struct field backend_policy_spec_fields[] = {
    FIELD_TARGETS(struct backend_policy),
    FIELD_OBJ("timeouts", FIELD_GIVEN(BACKEND_GIVEN_TIMEOUTS), struct backend_policy,
              timeouts, backend_timeouts_table),
    FIELD_OBJ("loadBalancing", FIELD_GIVEN(BACKEND_GIVEN_LOAD_BALANCING),
              struct backend_policy, load_balancing, load_balancing_table),
    FIELD_OBJ("keepalive", FIELD_GIVEN(BACKEND_GIVEN_KEEPALIVE),
              struct backend_policy, keepalive, keepalive_table),
    FIELD_OBJ("buffering", FIELD_GIVEN(BACKEND_GIVEN_BUFFERING),
              struct backend_policy, buffering, buffering_table),
    FIELD_OBJ("retry", FIELD_GIVEN(BACKEND_GIVEN_RETRY), struct backend_policy,
              retry, backend_retry_table),
    FIELD_END,
};
static const struct table backend_policy_spec_table =
    SPEC_TABLE(struct backend_policy, "BackendPolicySpec", backend_policy_spec_fields);

static const struct field backend_policy_fields[] = {
    OBJECT_HEADER(struct backend_policy),
    FIELD_SPEC(FIELD_REQUIRED, backend_policy_spec_table),
    FIELD_END,
};
const struct table model_backend_policy_table =
    TOP_TABLE(struct backend_policy, "BackendPolicy", backend_policy_fields);
