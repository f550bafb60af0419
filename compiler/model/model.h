/*
 * Stage 2: the typed model.  Plain data decoded from YAML trees by field
 * tables (decode.c).  Every struct decoded from a mapping starts with 'src',
 * its mapping node, so later stages can point at the exact field.
 *
 * Conventions: strings are arena-owned and NULL when absent; integers are
 * int64_t and INT_UNSET when absent; booleans are enum tri; a field with a
 * fixed set of values is an enum whose 0 means absent; lists are a
 * pointer plus a count.  Field names follow the Kubernetes JSON names.
 *
 * CRD defaults are filled in by the decoder, so a defaulted value looks
 * given.  Where a later stage must tell a field the manifest gives from one
 * it lacks, the struct has a 'present' byte: the decoder sets the field's
 * *_GIVEN_* bit when the key is there with a non-null value.  'src' is for
 * positions in diagnostics, never a test of presence.
 */
#ifndef GWC_MODEL_H
#define GWC_MODEL_H

#include "base/ptrvec.h"
#include "base/strhash.h"
#include "load/load.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct compilation;

#define INT_UNSET INT64_MIN

enum tri { TRI_UNSET, TRI_FALSE, TRI_TRUE };

/*
 * Fields with a fixed set of values, decoded by name through a table (as
 * nginx's ngx_conf_enum_t).  0 is "not given"; the last value, _OTHER, is a
 * name the table lacks, which schema/ refuses with the value as written, so
 * no stage after it meets _OTHER.  model_*_names[v] is the value's name as
 * the manifest writes it (NULL for 0 and _OTHER); from index 1 the table is
 * the CRD's list of allowed values, in its order, NULL-terminated.
 */
enum path_match_type {
    PATH_MATCH_UNSET,
    PATH_MATCH_EXACT,
    PATH_MATCH_PREFIX,
    PATH_MATCH_REGEX,
    PATH_MATCH_OTHER
};
/* Header, query parameter and gRPC method matches. */
enum match_type { MATCH_TYPE_UNSET, MATCH_EXACT, MATCH_REGEX, MATCH_TYPE_OTHER };
/* HTTPPathModifier.type. */
enum path_modifier_type {
    MODIFIER_UNSET,
    MODIFIER_FULL_PATH,
    MODIFIER_PREFIX_MATCH,
    MODIFIER_OTHER
};

/* HTTPRouteFilter.type; GRPCRoute admits a subset (schema/filter.c). */
enum route_filter_type {
    FILTER_UNSET,
    FILTER_REQUEST_HEADER_MODIFIER,
    FILTER_RESPONSE_HEADER_MODIFIER,
    FILTER_REQUEST_MIRROR,
    FILTER_REQUEST_REDIRECT,
    FILTER_URL_REWRITE,
    FILTER_EXTENSION_REF,
    FILTER_CORS,
    FILTER_EXTERNAL_AUTH, /* experimental channel */
    FILTER_OTHER
};

/* Listener tls.mode. */
enum listener_tls_mode {
    TLS_MODE_UNSET,
    TLS_TERMINATE,
    TLS_PASSTHROUGH,
    TLS_MODE_OTHER
};
/* FrontendTLSValidation.mode. */
enum frontend_mode {
    FRONTEND_MODE_UNSET,
    FRONTEND_ALLOW_VALID_ONLY,
    FRONTEND_ALLOW_INSECURE_FALLBACK,
    FRONTEND_MODE_OTHER
};
/* SessionPersistence.type and its cookie's lifetimeType. */
enum persistence_type {
    PERSISTENCE_UNSET,
    PERSISTENCE_COOKIE,
    PERSISTENCE_HEADER,
    PERSISTENCE_OTHER
};
enum cookie_lifetime {
    LIFETIME_UNSET,
    LIFETIME_PERMANENT,
    LIFETIME_SESSION,
    LIFETIME_OTHER
};

/* The namespaces an allowedRoutes or allowedListeners rule admits; None is
 * for listeners only (schema/). */
enum namespaces_from_type {
    FROM_UNSET,
    FROM_ALL,
    FROM_SELECTOR,
    FROM_SAME,
    FROM_NONE,
    FROM_OTHER
};

extern const char *const model_path_type_names[PATH_MATCH_OTHER + 1];
extern const char *const model_match_type_names[MATCH_TYPE_OTHER + 1];
extern const char *const model_modifier_type_names[MODIFIER_OTHER + 1];
extern const char *const model_filter_type_names[FILTER_OTHER + 1];
extern const char *const model_tls_mode_names[TLS_MODE_OTHER + 1];
extern const char *const model_frontend_mode_names[FRONTEND_MODE_OTHER + 1];
extern const char *const model_persistence_type_names[PERSISTENCE_OTHER + 1];
extern const char *const model_cookie_lifetime_names[LIFETIME_OTHER + 1];
extern const char *const model_from_names[FROM_OTHER + 1];

enum kind {
    KIND_GATEWAY_CLASS,
    KIND_GATEWAY,
    KIND_LISTENER_SET,
    KIND_HTTP_ROUTE,
    KIND_GRPC_ROUTE,
    KIND_TLS_ROUTE,
    KIND_TCP_ROUTE,
    KIND_UDP_ROUTE,
    KIND_REFERENCE_GRANT,
    KIND_BACKEND_TLS_POLICY,
    KIND_CLIENT_POLICY, /* gwc.dev: docs/policies.md */
    KIND_ACCESS_POLICY,
    KIND_BACKEND_POLICY,
    KIND_NAMESPACE,
    KIND_SERVICE,
    KIND_ENDPOINT_SLICE,
    KIND_SECRET,
    KIND_CONFIG_MAP,
    KIND_INGRESS,
    KIND_INGRESS_CLASS,
    KIND_ROUTING_TEST,
    KIND__COUNT
};

#define GATEWAY_GROUP "gateway.networking.k8s.io"
#define GWC_GROUP "gwc.dev"

struct strmap_entry {
    const char *key;
    const char *value;
    const struct ynode *src; /* the value node */
};

struct strmap {
    struct strmap_entry *v; /* sorted by key */
    size_t n;
};

const char *model_strmap_get(const struct strmap *m, const char *key);
/* Orders the entries by key; equal keys (which the loader reports as
 * duplicates) keep their document order.  Returns the number of key
 * comparisons made, which tests bound. */
size_t model_strmap_sort(struct strmap *m);

struct int_or_string {
    const struct ynode *src;
    bool is_int;
    int64_t i;
    const char *s;
};

struct object_meta {
    const struct ynode *src;
    const char *name;
    const char *namespace; /* defaulted to "default" for namespaced kinds */
    struct strmap labels;
    struct strmap annotations;
    const char *creation_timestamp;
    int64_t generation;
};

/* Every object pays for this header (50,000 of them at 10k routes): the
 * version is api_version's tail (model_object_version()), and the small
 * members share one word. */
struct object {
    enum kind kind;
    uint32_t seq;            /* input order: tie-break of last resort */
    const struct ynode *src; /* the object mapping (document or List item) */
    const char *api_version;
    struct object_meta meta;
    const char *nsname; /* "{namespace}/{name}", or the name if cluster-scoped */
    int64_t created;    /* creationTimestamp in seconds, INT_UNSET if absent */
    bool rejected;      /* breaks a CRD rule: the API server would refuse it */
    /* Checked as the API server would (model_options.check) as soon as it
     * was decoded, its tree then pruned to the nodes its fields point at. */
    bool checked;
};

/* "v1", "v1beta1", "v1alpha2", ...: the tail of o's apiVersion. */
const char *model_object_version(const struct object *o);

/* A Gateway API Duration ("1h30m", "500ms", also "30s1m": units may come in
 * any order and repeat) in milliseconds; false when it is not one. */
bool model_parse_duration(const char *s, int64_t *ms);
/* RFC 3339 (creationTimestamp) as seconds since the epoch; false when
 * the text is not a timestamp. */
bool model_parse_rfc3339(const char *s, int64_t *seconds);
/* The duration a user meant by a number where a duration belongs ("10" is
 * "10s", "1.5" and "1.5s" are "1500ms"), written into buf; NULL when the
 * text is no such number or the duration has no Gateway API form. */
const char *model_duration_fix(const char *text, char buf[32]);

/* A gwc.dev policy size ("0", "1048576", "512Ki", "10Mi", "2Gi") in bytes;
 * false when it is not one (nginx's "10m" is not). */
bool model_parse_size(const char *s, int64_t *bytes);

/* The Gateway API's order of precedence between objects: the older one
 * first (creationTimestamp; none counts as newest), then by the string
 * "{namespace}/{name}". */
int model_object_cmp_age(const struct object *a, const struct object *b);

/* ---- references ---- */

struct parent_ref {
    const struct ynode *src;
    const char *group, *kind, *namespace, *name, *section_name;
    int64_t port;
};

/* The *_GIVEN_* bits of backend_object_ref and backend_ref. */
enum { BACKEND_REF_GIVEN_PORT = 1 };

struct backend_object_ref {
    const struct ynode *src;
    const char *group, *kind, *name, *namespace;
    int64_t port;
    uint8_t present; /* BACKEND_REF_GIVEN_* */
};

struct secret_ref {
    const struct ynode *src;
    const char *group, *kind, *name, *namespace;
};

struct local_ref {
    const struct ynode *src;
    const char *group, *kind, *name;
};

struct object_ref {
    const struct ynode *src;
    const char *group, *kind, *name, *namespace;
};

/* ---- GatewayClass ---- */

struct parameters_ref {
    const struct ynode *src;
    const char *group, *kind, *name, *namespace;
};

struct gateway_class {
    struct object obj;
    const struct ynode *spec_src;
    const char *controller_name;
    const char *description;
    struct parameters_ref parameters_ref;
};

/* ---- Gateway and listeners ---- */

struct label_selector_req {
    const struct ynode *src;
    const char *key, *operator;
    const char **values;
    size_t n_values;
};

struct label_selector {
    const struct ynode *src;
    struct strmap match_labels;
    struct label_selector_req *match_expressions;
    size_t n_match_expressions;
};

struct namespaces_from {
    const struct ynode *src;
    enum namespaces_from_type from;
    struct label_selector selector;
};

struct route_group_kind {
    const struct ynode *src;
    const char *group, *kind;
};

struct allowed_routes {
    const struct ynode *src;
    struct namespaces_from namespaces;
    struct route_group_kind *kinds;
    size_t n_kinds;
};

struct listener_tls {
    const struct ynode *src;
    enum listener_tls_mode mode;
    struct secret_ref *certificate_refs;
    size_t n_certificate_refs;
    struct strmap options;
};

enum { LISTENER_GIVEN_PORT = 1, LISTENER_GIVEN_TLS = 2 };

struct listener {
    const struct ynode *src;
    const char *name;
    const char *hostname;
    int64_t port;
    const char *protocol;
    struct listener_tls tls;
    struct allowed_routes allowed_routes;
    uint8_t present; /* LISTENER_GIVEN_* */
};

struct gateway_address {
    const struct ynode *src;
    const char *type, *value;
};

enum { FRONTEND_VALIDATION_GIVEN_CA_REFS = 1 };

struct frontend_validation {
    const struct ynode *src;
    struct object_ref *ca_certificate_refs;
    size_t n_ca_certificate_refs;
    enum frontend_mode mode;
    uint8_t present; /* FRONTEND_VALIDATION_GIVEN_* */
};

enum { TLS_GIVEN_VALIDATION = 1 };

struct tls_config {
    const struct ynode *src;
    struct frontend_validation validation;
    uint8_t present; /* TLS_GIVEN_* */
};

struct tls_port_config {
    const struct ynode *src;
    int64_t port;
    struct tls_config tls;
};

enum { BACKEND_TLS_GIVEN_CLIENT_CERTIFICATE_REF = 1 };

struct gateway_backend_tls {
    const struct ynode *src;
    struct secret_ref client_certificate_ref;
    uint8_t present; /* BACKEND_TLS_GIVEN_* */
};

enum { FRONTEND_TLS_GIVEN_DEFAULT = 1 };

struct frontend_tls {
    const struct ynode *src;
    struct tls_config default_;
    struct tls_port_config *per_port;
    size_t n_per_port;
    uint8_t present; /* FRONTEND_TLS_GIVEN_* */
};

struct gateway_tls {
    const struct ynode *src;
    struct gateway_backend_tls backend;
    struct frontend_tls frontend;
};

struct allowed_listeners {
    const struct ynode *src;
    struct namespaces_from namespaces;
};

enum { INFRA_GIVEN_PARAMETERS_REF = 1 };

struct gateway_infrastructure {
    const struct ynode *src;
    struct strmap labels, annotations;
    struct local_ref parameters_ref;
    uint8_t present; /* INFRA_GIVEN_* */
};

struct gateway {
    struct object obj;
    const struct ynode *spec_src;
    const char *gateway_class_name;
    struct listener *listeners;
    size_t n_listeners;
    struct gateway_address *addresses;
    size_t n_addresses;
    struct gateway_infrastructure infrastructure;
    struct allowed_listeners allowed_listeners;
    struct gateway_tls tls;
    const char *default_scope;
};

struct listener_set {
    struct object obj;
    const struct ynode *spec_src;
    struct parent_ref parent_ref; /* group, kind, name, namespace */
    struct listener *listeners;
    size_t n_listeners;
};

/* ---- routes: matches and filters ---- */

struct http_header {
    const struct ynode *src;
    const char *name, *value;
};

struct header_filter {
    const struct ynode *src;
    struct http_header *set;
    size_t n_set;
    struct http_header *add;
    size_t n_add;
    const char **remove;
    size_t n_remove;
};

enum { MODIFIER_GIVEN_FULL_PATH = 1, MODIFIER_GIVEN_PREFIX_MATCH = 2 };

struct path_modifier {
    const struct ynode *src;
    enum path_modifier_type type;
    const char *replace_full_path;
    const char *replace_prefix_match;
    uint8_t present; /* MODIFIER_GIVEN_* */
};

struct request_redirect {
    const struct ynode *src;
    const char *scheme, *hostname;
    struct path_modifier path;
    int64_t port;
    int64_t status_code;
};

struct url_rewrite {
    const struct ynode *src;
    const char *hostname;
    struct path_modifier path;
};

struct fraction {
    const struct ynode *src;
    int64_t numerator, denominator;
};

enum { MIRROR_GIVEN_FRACTION = 1, MIRROR_GIVEN_PERCENT = 2 };

struct request_mirror {
    const struct ynode *src;
    struct backend_object_ref backend_ref;
    int64_t percent;
    struct fraction fraction;
    uint8_t present; /* MIRROR_GIVEN_* */
};

struct cors_filter {
    const struct ynode *src;
    const char **allow_origins;
    size_t n_allow_origins;
    enum tri allow_credentials;
    const char **allow_methods;
    size_t n_allow_methods;
    const char **allow_headers;
    size_t n_allow_headers;
    const char **expose_headers;
    size_t n_expose_headers;
    int64_t max_age;
};

struct external_auth {
    const struct ynode *src;
    const char *protocol;
    struct backend_object_ref backend_ref;
    const struct ynode *grpc, *http, *forward_body;
};

/* A filter gives one member (the one its type names): the members are
 * out of line (FT_OBJECT_PTR), never NULL; one not given reads as absent
 * (src NULL).  Inline, the eight took 550 bytes per filter. */
struct route_filter {
    const struct ynode *src;
    enum route_filter_type type;
    const struct header_filter *request_header_modifier;
    const struct header_filter *response_header_modifier;
    const struct request_mirror *request_mirror;
    const struct request_redirect *request_redirect;
    const struct url_rewrite *url_rewrite;
    const struct cors_filter *cors;
    const struct external_auth *external_auth;
    const struct local_ref *extension_ref;
};

struct backend_ref {
    const struct ynode *src;
    const char *group, *kind, *name, *namespace;
    int64_t port;
    int64_t weight;
    struct route_filter *filters;
    size_t n_filters;
    uint8_t present; /* BACKEND_REF_GIVEN_* */
};

struct value_match {
    const struct ynode *src;
    enum match_type type;
    const char *name, *value;
};

struct path_match {
    const struct ynode *src;
    enum path_match_type type;
    const char *value;
};

struct http_match {
    const struct ynode *src;
    struct path_match path;
    struct value_match *headers;
    size_t n_headers;
    struct value_match *query_params;
    size_t n_query_params;
    const char *method;
};

enum { GRPC_METHOD_GIVEN_SERVICE = 1, GRPC_METHOD_GIVEN_METHOD = 2 };

struct grpc_method_match {
    const struct ynode *src;
    enum match_type type;
    const char *service, *method;
    uint8_t present; /* GRPC_METHOD_GIVEN_* */
};

struct grpc_match {
    const struct ynode *src;
    struct grpc_method_match method;
    struct value_match *headers;
    size_t n_headers;
};

struct route_timeouts {
    const struct ynode *src;
    const char *request, *backend_request;
};

struct route_retry {
    const struct ynode *src;
    int64_t *codes;
    size_t n_codes;
    int64_t attempts;
    const char *backoff;
};

struct cookie_config {
    const struct ynode *src;
    const char *name, *path;
    enum cookie_lifetime lifetime_type;
};

enum { HEADER_CONFIG_GIVEN_NAME = 1 };

struct header_config {
    const struct ynode *src;
    const char *name;
    uint8_t present; /* HEADER_CONFIG_GIVEN_* */
};

enum {
    PERSISTENCE_GIVEN_ABSOLUTE_TIMEOUT = 1,
    PERSISTENCE_GIVEN_TYPE = 2,
    PERSISTENCE_GIVEN_COOKIE = 4,
    PERSISTENCE_GIVEN_HEADER = 8
};

struct session_persistence {
    const struct ynode *src;
    const char *absolute_timeout;
    enum persistence_type type;
    struct cookie_config cookie;
    struct header_config header;
    uint8_t present; /* PERSISTENCE_GIVEN_* */
};

enum {
    RULE_GIVEN_TIMEOUTS = 1,
    RULE_GIVEN_RETRY = 2,
    RULE_GIVEN_SESSION_PERSISTENCE = 4,
    RULE_GIVEN_BACKEND_REFS = 8
};

/* One rule shape serves every route kind; unused lists stay empty. */
struct route_rule {
    const struct ynode *src;
    const char *name;
    struct http_match *matches; /* HTTPRoute */
    size_t n_matches;
    struct grpc_match *grpc_matches; /* GRPCRoute */
    size_t n_grpc_matches;
    struct route_filter *filters;
    size_t n_filters;
    struct backend_ref *backend_refs;
    size_t n_backend_refs;
    /* Rare, so out of line (FT_OBJECT_PTR): never NULL, one not given
     * reads as absent (src NULL).  Inline they were 128 of a rule's 240
     * bytes, paid by every rule. */
    const struct route_timeouts *timeouts;
    const struct route_retry *retry;
    const struct session_persistence *session_persistence;
    uint8_t present; /* RULE_GIVEN_* */
};

/* HTTPRoute, GRPCRoute, TLSRoute, TCPRoute and UDPRoute. */
enum { ROUTE_GIVEN_HOSTNAMES = 1, ROUTE_GIVEN_RULES = 2 };

struct route {
    struct object obj;
    const struct ynode *spec_src;
    struct parent_ref *parent_refs;
    size_t n_parent_refs;
    const char **hostnames;
    size_t n_hostnames;
    struct route_rule *rules;
    size_t n_rules;
    const char *use_default_gateways; /* All | None (experimental) */
    uint8_t present;                  /* ROUTE_GIVEN_* (spec's fields) */
};

/* ---- ReferenceGrant, BackendTLSPolicy ---- */

struct grant_from {
    const struct ynode *src;
    const char *group, *kind, *namespace;
};

struct grant_to {
    const struct ynode *src;
    const char *group, *kind, *name;
};

enum { GRANT_GIVEN_SPEC = 1 };

struct reference_grant {
    struct object obj;
    uint8_t present; /* GRANT_GIVEN_* */
    const struct ynode *spec_src;
    struct grant_from *from;
    size_t n_from;
    struct grant_to *to;
    size_t n_to;
};

struct policy_target_ref {
    const struct ynode *src;
    const char *group, *kind, *name, *section_name;
};

enum { SAN_GIVEN_HOSTNAME = 1, SAN_GIVEN_URI = 2 };

struct subject_alt_name {
    const struct ynode *src;
    const char *type, *hostname, *uri;
    uint8_t present; /* SAN_GIVEN_* */
};

struct backend_tls_validation {
    const struct ynode *src;
    struct local_ref *ca_certificate_refs;
    size_t n_ca_certificate_refs;
    const char *well_known_ca_certificates;
    const char *hostname;
    struct subject_alt_name *subject_alt_names;
    size_t n_subject_alt_names;
};

struct backend_tls_policy {
    struct object obj;
    const struct ynode *spec_src;
    struct policy_target_ref *target_refs;
    size_t n_target_refs;
    struct backend_tls_validation validation;
    struct strmap options;
};

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

/* ---- core kinds: only the fields gwc reads ---- */

struct namespace_obj {
    struct object obj;
};

struct service_port {
    const struct ynode *src;
    const char *name, *protocol, *app_protocol;
    int64_t port;
    struct int_or_string target_port;
};

enum { SERVICE_GIVEN_EXTERNAL_NAME = 1 };

struct service {
    struct object obj;
    const struct ynode *spec_src;
    const char *type;
    const char *cluster_ip;
    const char **cluster_ips; /* dual stack: clusterIP first, if both set */
    size_t n_cluster_ips;
    const char *external_name;
    struct service_port *ports;
    size_t n_ports;
    uint8_t present; /* SERVICE_GIVEN_* (spec's fields) */
};

struct endpoint_conditions {
    const struct ynode *src;
    enum tri ready, serving, terminating;
};

struct endpoint {
    const struct ynode *src;
    const char **addresses;
    size_t n_addresses;
    struct endpoint_conditions conditions;
};

struct endpoint_port {
    const struct ynode *src;
    const char *name, *protocol, *app_protocol;
    int64_t port;
};

struct endpoint_slice {
    struct object obj;
    const char *address_type;
    struct endpoint *endpoints;
    size_t n_endpoints;
    struct endpoint_port *ports;
    size_t n_ports;
};

struct secret {
    struct object obj;
    const char *type;
    struct strmap data;        /* base64 text as written */
    struct strmap string_data; /* plain text */
};

struct config_map {
    struct object obj;
    struct strmap data;
};

struct ingress_port {
    const struct ynode *src;
    const char *name;
    int64_t number;
};

struct ingress_service_backend {
    const struct ynode *src;
    const char *name;
    struct ingress_port port;
};

struct ingress_backend {
    const struct ynode *src;
    struct ingress_service_backend service;
    struct local_ref resource;
};

struct ingress_path {
    const struct ynode *src;
    const char *path, *path_type;
    struct ingress_backend backend;
};

struct ingress_http {
    const struct ynode *src;
    struct ingress_path *paths;
    size_t n_paths;
};

struct ingress_rule {
    const struct ynode *src;
    const char *host;
    struct ingress_http http;
};

struct ingress_tls {
    const struct ynode *src;
    const char **hosts;
    size_t n_hosts;
    const char *secret_name;
};

struct ingress {
    struct object obj;
    const struct ynode *spec_src;
    const char *ingress_class_name;
    struct ingress_backend default_backend;
    struct ingress_tls *tls;
    size_t n_tls;
    struct ingress_rule *rules;
    size_t n_rules;
};

struct ingress_class {
    struct object obj;
    const struct ynode *spec_src;
    const char *controller;
    const struct ynode *parameters;
};

/* ---- the model ---- */

/* ---- RoutingTest (gwc.dev/v1alpha1): requests and what must answer them ---- */

#define GWC_GROUP "gwc.dev"

struct routing_request {
    const struct ynode *src;
    const char *method;
    const char *url;
    struct strmap headers;
    const char *sni;
};

struct routing_expect {
    const struct ynode *src;
    const char *backend;          /* "ns/name" or "name" (the test's ns) */
    const struct ynode *backends; /* mapping: backend name -> weight */
    int64_t status;               /* INT_UNSET: not expected */
    const char *location;
    struct strmap headers_set;
};

struct routing_case {
    const struct ynode *src;
    const char *name;
    struct routing_request request;
    struct routing_expect expect;
};

struct routing_test {
    struct object obj;
    const struct ynode *spec_src;
    struct routing_case *cases;
    size_t n_cases;
};

/* A mapping of the input that may be an object: a document or an item of
 * a kind: List, whatever its kind (gwc decodes some kinds, not all). */
/* The annotation that silences diagnostics inside its object. */
#define MODEL_IGNORE_ANNOTATION "gwc.dev/ignore"

struct model_input {
    struct src_loc loc; /* of its mapping */
    /* Its gwc.dev/ignore annotation (ynode_keep(): it outlives the trees),
     * or NULL. */
    const struct ynode *ignore;
    /* "HTTPRoute default/shop", "Deployment web"; NULL when the mapping is
     * no object (no apiVersion or kind) or a List. */
    const char *label;
};

struct model {
    /* Objects per kind, sorted by nsname (then input order). */
    struct ptrvec objects[KIND__COUNT];
    /* Lookups, built once by model_build (model/index.c). */
    struct strhash by_nsname[KIND__COUNT]; /* nsname -> its first object */
    struct strhash slices_by_service; /* "ns/service" -> struct ptrvec * of
                                         EndpointSlices, in nsname order */
    /* Every struct model_input, in input order. */
    struct ptrvec inputs;
    /* Documents (and List items) with apiVersion and kind, of any kind. */
    size_t n_manifests;
};

struct model_options {
    /* Unknown fields are errors, as with kubectl's default strict field
     * validation; this makes them warnings. */
    bool allow_unknown_fields;
    /* API groups whose objects another stage reads (import-ingress's
     * providers): not reported as skipped.  NULL-terminated, or NULL. */
    const char *const *read_elsewhere;
    /* Set when the documents given to model_add() live only during the
     * call (load_scope.each_document): the trees of the kinds a repository
     * has most of (Services, EndpointSlices, HTTP and gRPC routes) are
     * then checked with it at
     * once, as the API server checks one object (schema/), and pruned
     * (struct ynode_keeper); the other kinds' trees are copied, since
     * later stages read them. */
    void (*check)(struct compilation *c, struct object *o);
};

/* The model built a few documents at a time: model_build() is begin,
 * add, end. */
struct model_builder;
struct model_builder *model_begin(struct compilation *c, const struct model_options *o,
                                  struct model *m);
void model_add(struct model_builder *b, const struct ydoc_list *docs);
/* Sorts and indexes; returns false if an error was reported. */
bool model_end(struct model_builder *b);

/*
 * Decodes every document (and kind: List item) into typed objects, applies
 * the API defaults and sorts.  Returns false if an error was reported.
 */
bool model_build(struct compilation *c, const struct ydoc_list *docs,
                 const struct model_options *o, struct model *m);

/* Exact lookup by kind, namespace (NULL for cluster-scoped) and name. */
struct object *model_find(const struct model *m, enum kind kind,
                          const char *namespace, const char *name);
/* The EndpointSlices labelled kubernetes.io/service-name: name in the
 * namespace (rejected ones included), or NULL when there are none. */
const struct ptrvec *model_endpoint_slices(const struct model *m,
                                           const char *namespace, const char *name);
/* The name of an object of that kind and namespace that 'name' most likely
 * misspells, or NULL (base/suggest.h; budget bounds the work). */
const char *model_suggest_name(const struct model *m, enum kind kind,
                               const char *namespace, const char *name,
                               size_t *budget);

const char *model_kind_name(enum kind k);
/* Route kinds in the order gwc reports them. */
bool model_kind_is_route(enum kind k);
/* "HTTPRoute default/shop" in the arena. */
const char *model_object_label(struct compilation *c, const struct object *o);

/* HTTPHeaderMatch and GRPCHeaderMatch (apis/v1/httproute_types.go,
 * grpcroute_types.go): header names are case-insensitive, and of entries
 * with equivalent names only the first is considered, the others MUST be
 * ignored.  Is v[i] one to ignore? */
bool model_header_ignored(const struct value_match *v, size_t i);

/* The field path of a node, in the arena (for diagnostics). */
const char *model_path(struct compilation *c, const struct ynode *n);

/* ---- field tables (model/tables_*.c) ----
 *
 * Each kind is described once, by a table of its fields (after nginx's
 * ngx_command_t): the decoder reads a manifest with it, and schema/ checks
 * the decoded object against the limits in it.  A field's limits are the
 * CRD's: numeric bounds, item counts, and a string format (a length range
 * and a pattern, named here and judged by schema/).  So is its default,
 * which the decoder fills in.
 */

/* String formats of the CRDs; schema/ holds each one's length limits and
 * pattern (schema_format_ok()). */
enum field_format {
    FMT_NONE,
    FMT_OBJECT_NAME,
    FMT_DNS_SUBDOMAIN,
    FMT_DNS_LABEL,
    FMT_SECTION_NAME,
    FMT_HOSTNAME,
    FMT_PRECISE_HOSTNAME,
    FMT_NAMESPACE,
    FMT_GROUP,
    FMT_KIND,
    FMT_HEADER_NAME,
    FMT_QUERY_NAME,
    FMT_HEADER_VALUE,
    FMT_QUERY_VALUE,
    FMT_PATH,
    FMT_DURATION,
    FMT_PROTOCOL,
    FMT_CONTROLLER_NAME,
    FMT_ADDRESS_TYPE,
    FMT_ADDRESS_VALUE,
    FMT_CORS_ORIGIN,
    FMT_LABEL_VALUE,
    FMT_LONG_VALUE,
    FMT_DESCRIPTION,
    FMT_WELL_KNOWN_CA,
    FMT_URI,
    FMT_TEXT_1024,
    /* gwc.dev policies */
    FMT_POLICY_HEADER,
    FMT_POLICY_PATH,
    FMT_REALM,
    FMT_REDIRECT_VALUE,
    FMT_HTTP_URL,
    FMT_PARAM_NAME,
    FMT_CONTENT_TYPE,
    FMT_COOKIE_NAME,
    FMT_COOKIE_PATH,
    FMT_BODY,
    FMT_SECRET_KEY,
    FMT_CIDR, /* string list items: also distinct once normalized */
    /* RoutingTest */
    FMT_TEST_CASE_NAME,
    FMT_TEST_METHOD,
    FMT_TEST_URL,
    FMT_TEST_SNI,
    FMT_TEST_BACKEND,
    FMT_TEST_LOCATION,
    FMT__COUNT
};

struct field_limits {
    /* integers: min <= value <= max; FMT_DURATION strings: the same, in
     * milliseconds */
    bool ranged;
    int64_t min, max;
    size_t min_items, max_items; /* lists; maps: max entries.  max 0: none */
    enum field_format format;    /* strings, string list items, map values */
    const char *const *allowed;  /* strings and string list items: one of
                                    these (NULL-terminated), as written */
    const char *item;            /* a string list item, for messages */
};

enum ftype {
    FT_STRING,
    FT_INT32,
    FT_INT64,
    FT_BOOL,
    FT_ENUM,        /* a string from 'names', stored as its index (model.h) */
    FT_OBJECT,      /* nested mapping, decoded at offset with 'sub' */
    /* Nested mapping out of line: a const pointer at offset to 'sub' (a
     * struct of which few are given, as the members of a route filter).
     * Never NULL: an absent key points at the table's empty instance,
     * which reads as an absent FT_OBJECT does (src NULL, integers unset). */
    FT_OBJECT_PTR,
    FT_LIST,        /* list of mappings: pointer at offset, count at count */
    FT_STRING_LIST, /* const char ** */
    FT_INT_LIST,    /* int64_t * */
    FT_MAP,         /* struct strmap of string to string */
    FT_INT_OR_STRING,
    FT_NODE,   /* keep the raw node (const struct ynode *) */
    FT_IGNORE, /* any value, dropped (status, managedFields, ...) */
};

enum {
    FIELD_REQUIRED = 1u << 0,
    /* An enum whose allowed values depend on where it is used: schema/
     * checks it by a rule of its own, not from the name table. */
    FIELD_ENUM_BY_RULE = 1u << 1,
    /* Required by the CRD, but reported by schema/, not by the decoder:
     * the object decodes, and is refused with the rest of its findings. */
    FIELD_REQUIRED_IN_SCHEMA = 1u << 2,
    /* An object or list the CRD defaults to {} or [{}] when absent (or
     * null): the decoder builds it from its own rows' defaults. */
    FIELD_DEFAULT_EMPTY = 1u << 3,
    /* With FIELD_DEFAULT_EMPTY, a list given empty is defaulted too. */
    FIELD_EMPTY_AS_ABSENT = 1u << 4,
    /* A finding after decoding points at this value (ynode_get() on the
     * struct's src): its node is kept when the tree is pruned. */
    FIELD_KEEP_NODE = 1u << 5,
};
/* The row's *_GIVEN_* bit: set in its struct's 'present' byte when the
 * key is given with a non-null value. */
#define FIELD_GIVEN(bit) ((unsigned)(bit) << 8)
#define FIELD_GIVEN_BIT(flags) ((uint8_t)((flags) >> 8))

/* A CRD default of a scalar, as the manifest would write it; the decoder
 * fills it in when a given mapping lacks the key (or gives null). */
struct field_default {
    const char *str; /* FT_STRING; FT_ENUM: the value's name */
    int64_t num;     /* FT_INT32, FT_INT64; FT_BOOL: 0 or 1 */
};

struct table;

struct field {
    const char *key;
    enum ftype type;
    unsigned flags;
    size_t offset;
    size_t count_offset;
    const struct table *sub;
    const char *const *names;       /* FT_ENUM: model_*_names */
    const struct field_limits *lim; /* NULL: none beyond the type */
    const struct field_default *def; /* NULL: none */
};

struct table {
    const char *name; /* Go type name, for messages */
    size_t size;      /* element size when used in a list */
    size_t align;
    size_t src_offset; /* where the mapping node is stored */
    bool open;         /* unknown keys ignored: a kind gwc reads in part */
    const struct field *fields;
    size_t present_offset; /* its 'present' byte; 0: it has none */
    /* A table for the same struct with more rows, whose initial values
     * (init_fields()) this one's struct takes: a GRPCRouteFilter is a
     * route_filter whose HTTP-only members read as absent, never NULL. */
    const struct table *init_as;
    /* Of the kinds pruned after their check (model_options.check): no
     * later stage reads this struct's node, nor its map entries' and
     * int-or-string values' nodes, so the pruned tree keeps none of them
     * (model/keep.c) unless a kept node below needs it as an ancestor. */
    bool src_unread;
};

/* The table of a whole object of kind k. */
const struct table *model_kind_table(enum kind k);

#endif
