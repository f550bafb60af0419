/*
 * The model's gwc.dev policies: ClientPolicy, AccessPolicy and
 * BackendPolicy.
 * Part of model.h and included by it only, where it stands: it uses
 * the enums and struct object declared before it.
 */
#ifndef GWC_MODEL_POLICY_H
#define GWC_MODEL_POLICY_H

/* ---- gwc.dev/v1alpha1 policies (docs/policies.md) ---- */

/* spec.targetRefs of a gwc policy. */
struct policy_targets {
    struct policy_target_ref *v;
    size_t n;
};

/* A Secret or ConfigMap: name, optional namespace, and (ConfigMap) key. */
struct policy_object_ref {
    const struct ynode *src;
    const char *name, *namespace, *key;
};

enum {
    DETECTION_GIVEN_HEADER = 1,
    DETECTION_GIVEN_TRUSTED_PROXIES = 2,
    DETECTION_GIVEN_RECURSIVE = 4
};

struct client_address_detection {
    const struct ynode *src;
    const char *source; /* Connection | Header | ProxyProtocol */
    const char *header;
    const char **trusted_proxies;
    size_t n_trusted_proxies;
    enum tri recursive;
    uint8_t present; /* DETECTION_GIVEN_* */
};

struct client_timeouts {
    const struct ynode *src;
    const char *request_body, *idle, *send;
};

struct request_body {
    const struct ynode *src;
    const char *max_size;
};

struct rate_limit {
    const struct ynode *src;
    int64_t requests;
    const char *per; /* Second | Minute */
    int64_t burst;
    enum tri no_delay;
};

enum {
    LIMITS_GIVEN_REJECT_STATUS_CODE = 1,
    LIMITS_GIVEN_RATE = 2,
    LIMITS_GIVEN_CONCURRENT = 4
};

struct request_limits {
    const struct ynode *src;
    struct rate_limit *rate;
    size_t n_rate;
    int64_t concurrent;
    const char **exempt_cidrs;
    size_t n_exempt_cidrs;
    int64_t reject_status_code;
    uint8_t present; /* LIMITS_GIVEN_* */
};

struct hsts {
    const struct ynode *src;
    int64_t max_age_seconds;
    enum tri include_sub_domains, preload;
};

struct error_response {
    const struct ynode *src;
    int64_t *status_codes;
    size_t n_status_codes;
    const char *body;
    struct policy_object_ref config_map_ref;
    const char *content_type;
    struct backend_object_ref backend_ref;
    uint8_t present; /* ERROR_RESPONSE_GIVEN_* */
};

enum {
    ERROR_RESPONSE_GIVEN_BACKEND_REF = 1,
    ERROR_RESPONSE_GIVEN_BODY = 2,
    ERROR_RESPONSE_GIVEN_CONFIG_MAP_REF = 4,
    ERROR_RESPONSE_GIVEN_CONTENT_TYPE = 8
};

enum {
    CLIENT_GIVEN_ADDRESS_DETECTION = 1,
    CLIENT_GIVEN_HSTS = 2,
    CLIENT_GIVEN_ERROR_RESPONSES = 4,
    CLIENT_GIVEN_TIMEOUTS = 8,
    CLIENT_GIVEN_REQUEST_BODY = 16,
    CLIENT_GIVEN_REQUEST_LIMITS = 32
};

struct client_policy {
    struct object obj;
    const struct ynode *spec_src;
    struct policy_targets targets;
    struct client_address_detection client_address_detection;
    struct client_timeouts timeouts;
    struct request_body request_body;
    struct request_limits request_limits;
    struct hsts hsts;
    struct error_response *error_responses;
    size_t n_error_responses;
    uint8_t present; /* CLIENT_GIVEN_* */
};

enum { ADDRESSES_GIVEN_ALLOW = 1, ADDRESSES_GIVEN_DENY = 2 };

struct client_addresses {
    const struct ynode *src;
    const char **allow;
    size_t n_allow;
    const char **deny;
    size_t n_deny;
    uint8_t present; /* ADDRESSES_GIVEN_* */
};

enum { BASIC_AUTH_GIVEN_KEY = 1 };

struct basic_auth {
    const struct ynode *src;
    struct policy_object_ref secret_ref;
    const char *format; /* Htpasswd | UserMap */
    const char *key;
    const char *realm;
    enum tri forward_credentials;
    uint8_t present; /* BASIC_AUTH_GIVEN_* */
};

enum { SIGN_IN_GIVEN_URL = 1, SIGN_IN_GIVEN_PATH = 2 };

struct sign_in {
    const struct ynode *src;
    const char *url, *path, *redirect_parameter;
    uint8_t present; /* SIGN_IN_GIVEN_* */
};

enum {
    EXTAUTH_GIVEN_BACKEND_REF = 1,
    EXTAUTH_GIVEN_SIGN_IN = 2,
    EXTAUTH_GIVEN_URL = 4,
    EXTAUTH_GIVEN_PATH = 8
};

struct external_auth_policy {
    const struct ynode *src;
    struct backend_object_ref backend_ref;
    const char *url, *path, *method;
    const char **request_headers; /* NULL when absent, never when listed */
    size_t n_request_headers;
    struct http_header *set_request_headers;
    size_t n_set_request_headers;
    const char **response_headers;
    size_t n_response_headers;
    const char *request_redirect;
    const char *set_cookie; /* Never | OnSuccess | Always */
    struct sign_in sign_in;
    const char *timeout;
    uint8_t present; /* EXTAUTH_GIVEN_* */
};

enum {
    ACCESS_GIVEN_CLIENT_ADDRESSES = 1,
    ACCESS_GIVEN_BASIC_AUTH = 2,
    ACCESS_GIVEN_EXTERNAL_AUTH = 4
};

struct access_policy {
    struct object obj;
    const struct ynode *spec_src;
    struct policy_targets targets;
    struct client_addresses client_addresses;
    struct basic_auth basic_auth;
    struct external_auth_policy external_auth;
    const char *satisfy; /* All | Any */
    uint8_t present;     /* ACCESS_GIVEN_* */
};

struct backend_timeouts {
    const struct ynode *src;
    const char *connect, *send, *read;
};

/* The attributes of an issued cookie, each its own bit. */
enum {
    HASH_COOKIE_GIVEN_PATH = 1,
    HASH_COOKIE_GIVEN_DOMAIN = 2,
    HASH_COOKIE_GIVEN_MAX_AGE_SECONDS = 4,
    HASH_COOKIE_GIVEN_SECURE = 8,
    HASH_COOKIE_GIVEN_HTTP_ONLY = 16,
    HASH_COOKIE_GIVEN_SAME_SITE = 32
};

struct hash_cookie {
    const struct ynode *src;
    const char *name;
    enum tri issue;
    const char *path, *domain;
    int64_t max_age_seconds;
    enum tri secure, http_only;
    const char *same_site;
    uint8_t present; /* HASH_COOKIE_GIVEN_* */
};

enum { HASH_GIVEN_HEADER = 1, HASH_GIVEN_COOKIE = 2, HASH_GIVEN_QUERY_PARAMETER = 4 };

struct consistent_hash {
    const struct ynode *src;
    const char *source; /* ClientAddress | Header | Cookie | QueryParameter | RequestURI */
    const char *header, *query_parameter;
    struct hash_cookie cookie;
    uint8_t present; /* HASH_GIVEN_* */
};

enum { LB_GIVEN_CONSISTENT_HASH = 1 };

struct load_balancing {
    const struct ynode *src;
    const char *method; /* RoundRobin | LeastConnections | ConsistentHash */
    struct consistent_hash consistent_hash;
    uint8_t present; /* LB_GIVEN_* */
};

struct upstream_keepalive {
    const struct ynode *src;
    int64_t connections, requests;
    const char *idle_timeout, *max_lifetime;
};

struct buffering {
    const struct ynode *src;
    enum tri response, request;
};

struct backend_retry {
    const struct ynode *src;
    const char **on;
    size_t n_on;
    int64_t *status_codes;
    size_t n_status_codes;
    enum tri non_idempotent;
    int64_t tries;
    const char *timeout;
};

enum {
    BACKEND_GIVEN_LOAD_BALANCING = 1,
    BACKEND_GIVEN_KEEPALIVE = 2,
    BACKEND_GIVEN_RETRY = 4,
    BACKEND_GIVEN_TIMEOUTS = 8,
    BACKEND_GIVEN_BUFFERING = 16
};

struct backend_policy {
    struct object obj;
    const struct ynode *spec_src;
    struct policy_targets targets;
    struct backend_timeouts timeouts;
    struct load_balancing load_balancing;
    struct upstream_keepalive keepalive;
    struct buffering buffering;
    struct backend_retry retry;
    uint8_t present; /* BACKEND_GIVEN_* */
};


/* The targetRefs of a ClientPolicy, AccessPolicy or BackendPolicy. */
const struct policy_targets *model_policy_targets(const struct object *o);

#endif
