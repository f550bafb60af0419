/*
 * The model's core kinds: Namespace, Service, EndpointSlice, Secret,
 * ConfigMap, Ingress and IngressClass.
 * Part of model.h and included by it only, where it stands: it uses
 * the enums and struct object declared before it.
 */
#ifndef GWC_MODEL_CORE_H
#define GWC_MODEL_CORE_H

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

#endif
