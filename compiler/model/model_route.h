/*
 * The model's routes (matches, filters, rules), ReferenceGrant and
 * BackendTLSPolicy.
 * Part of model.h and included by it only, where it stands: it uses
 * the enums and struct object declared before it.
 */
#ifndef GWC_MODEL_ROUTE_H
#define GWC_MODEL_ROUTE_H

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

#endif
