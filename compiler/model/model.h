/*
 * Stage 2: the typed model.  Plain data decoded from YAML trees by field
 * tables (decode.c).  Every struct decoded from a mapping starts with 'src',
 * its mapping node, so later stages can point at the exact field.
 *
 * Conventions: strings are arena-owned and NULL when absent; integers are
 * int64_t and INT_UNSET when absent; booleans are enum tri; lists are a
 * pointer plus a count.  Field names follow the Kubernetes JSON names.
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
    KIND_NAMESPACE,
    KIND_SERVICE,
    KIND_ENDPOINT_SLICE,
    KIND_SECRET,
    KIND_CONFIG_MAP,
    KIND_INGRESS,
    KIND_INGRESS_CLASS,
    KIND__COUNT
};

#define GATEWAY_GROUP "gateway.networking.k8s.io"

struct strmap_entry {
    const char *key;
    const char *value;
    const struct ynode *src; /* the value node */
};

struct strmap {
    struct strmap_entry *v; /* sorted by key */
    size_t n;
};

const char *strmap_get(const struct strmap *m, const char *key);
/* Orders the entries by key; equal keys (which the loader reports as
 * duplicates) keep their document order.  Returns the number of key
 * comparisons made, which tests bound. */
size_t strmap_sort(struct strmap *m);

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

struct object {
    enum kind kind;
    const struct ynode *src; /* the object mapping (document or List item) */
    const char *api_version;
    const char *version; /* "v1", "v1beta1", "v1alpha2", ... */
    struct object_meta meta;
    const char *nsname; /* "{namespace}/{name}", or the name if cluster-scoped */
    int64_t created;    /* creationTimestamp in seconds, INT_UNSET if absent */
    uint32_t seq;       /* input order: tie-break of last resort */
    bool rejected;      /* breaks a CRD rule: the API server would refuse it */
};

/* A Gateway API Duration ("1h30m", "500ms", also "30s1m": units may come in
 * any order and repeat) in milliseconds; false when it is not one. */
bool model_parse_duration(const char *s, int64_t *ms);

/* The Gateway API's order of precedence between objects: the older one
 * first (creationTimestamp; none counts as newest), then by the string
 * "{namespace}/{name}". */
int object_cmp_age(const struct object *a, const struct object *b);

/* ---- references ---- */

struct parent_ref {
    const struct ynode *src;
    const char *group, *kind, *namespace, *name, *section_name;
    int64_t port;
};

struct backend_object_ref {
    const struct ynode *src;
    const char *group, *kind, *name, *namespace;
    int64_t port;
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
    const char *from; /* All | Same | Selector (| None for listeners) */
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
    const char *mode;
    struct secret_ref *certificate_refs;
    size_t n_certificate_refs;
    struct strmap options;
};

struct listener {
    const struct ynode *src;
    const char *name;
    const char *hostname;
    int64_t port;
    const char *protocol;
    struct listener_tls tls;
    struct allowed_routes allowed_routes;
};

struct gateway_address {
    const struct ynode *src;
    const char *type, *value;
};

struct frontend_validation {
    const struct ynode *src;
    struct object_ref *ca_certificate_refs;
    size_t n_ca_certificate_refs;
    const char *mode;
};

struct tls_config {
    const struct ynode *src;
    struct frontend_validation validation;
};

struct tls_port_config {
    const struct ynode *src;
    int64_t port;
    struct tls_config tls;
};

struct gateway_backend_tls {
    const struct ynode *src;
    struct secret_ref client_certificate_ref;
};

struct frontend_tls {
    const struct ynode *src;
    struct tls_config default_;
    struct tls_port_config *per_port;
    size_t n_per_port;
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

struct gateway_infrastructure {
    const struct ynode *src;
    struct strmap labels, annotations;
    struct local_ref parameters_ref;
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

struct path_modifier {
    const struct ynode *src;
    const char *type;
    const char *replace_full_path;
    const char *replace_prefix_match;
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

struct request_mirror {
    const struct ynode *src;
    struct backend_object_ref backend_ref;
    int64_t percent;
    struct fraction fraction;
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

struct route_filter {
    const struct ynode *src;
    const char *type;
    struct header_filter request_header_modifier;
    struct header_filter response_header_modifier;
    struct request_mirror request_mirror;
    struct request_redirect request_redirect;
    struct url_rewrite url_rewrite;
    struct cors_filter cors;
    struct external_auth external_auth;
    struct local_ref extension_ref;
};

struct backend_ref {
    const struct ynode *src;
    const char *group, *kind, *name, *namespace;
    int64_t port;
    int64_t weight;
    struct route_filter *filters;
    size_t n_filters;
};

struct value_match {
    const struct ynode *src;
    const char *type; /* Exact | RegularExpression */
    const char *name, *value;
};

struct path_match {
    const struct ynode *src;
    const char *type; /* Exact | PathPrefix | RegularExpression */
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

struct grpc_method_match {
    const struct ynode *src;
    const char *type, *service, *method;
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
    const char *name, *path, *lifetime_type;
};

struct header_config {
    const struct ynode *src;
    const char *name;
};

struct session_persistence {
    const struct ynode *src;
    const char *absolute_timeout, *type;
    struct cookie_config cookie;
    struct header_config header;
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
    struct route_timeouts timeouts;
    struct route_retry retry;
    struct session_persistence session_persistence;
};

/* HTTPRoute, GRPCRoute, TLSRoute, TCPRoute and UDPRoute. */
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

struct reference_grant {
    struct object obj;
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

struct subject_alt_name {
    const struct ynode *src;
    const char *type, *hostname, *uri;
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

struct model {
    /* Objects per kind, sorted by nsname (then input order). */
    struct ptrvec objects[KIND__COUNT];
    /* Lookups, built once by model_build (model/index.c). */
    struct strhash by_nsname[KIND__COUNT]; /* nsname -> its first object */
    struct strhash slices_by_service; /* "ns/service" -> struct ptrvec * of
                                         EndpointSlices, in nsname order */
};

struct model_options {
    bool strict; /* unknown fields are errors, as kubectl --validate=strict */
};

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

const char *kind_name(enum kind k);
/* Route kinds in the order gwc reports them. */
bool kind_is_route(enum kind k);
/* "HTTPRoute default/shop" in the arena. */
const char *object_label(struct compilation *c, const struct object *o);

/* HTTPHeaderMatch and GRPCHeaderMatch (apis/v1/httproute_types.go,
 * grpcroute_types.go): header names are case-insensitive, and of entries
 * with equivalent names only the first is considered, the others MUST be
 * ignored.  Is v[i] one to ignore? */
bool model_header_ignored(const struct value_match *v, size_t i);

/* The field path of a node, in the arena (for diagnostics). */
const char *model_path(struct compilation *c, const struct ynode *n);

#endif
