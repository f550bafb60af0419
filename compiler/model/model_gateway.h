/*
 * The model's references between objects, GatewayClass, Gateway with its
 * listeners, and ListenerSet.
 * Part of model.h and included by it only, where it stands: it uses
 * the enums and struct object declared before it.
 */
#ifndef GWC_MODEL_GATEWAY_H
#define GWC_MODEL_GATEWAY_H

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

#endif
