/* The field tables, shared between the table files and model.c. */
#ifndef GWC_TABLES_H
#define GWC_TABLES_H

#include "decode_internal.h"

/* apiVersion and kind are read before decoding; status is the controller's. */
#define OBJECT_HEADER(T)                                                     \
    {"apiVersion", FT_IGNORE, 0, 0, 0, NULL},                                \
        {"kind", FT_IGNORE, 0, 0, 0, NULL},                                  \
        FIELD_OBJ("metadata", FIELD_REQUIRED, T, obj.meta, object_meta_table), \
        {"status", FT_IGNORE, 0, 0, 0, NULL}

/* A whole object: the mapping node goes to obj.src. */
#define TOP_TABLE(T, go_name, fields) \
    {go_name, sizeof(T), alignof(T), offsetof(T, obj.src), false, fields}

/* spec's fields live directly in the kind's struct (offset 0). */
#define FIELD_SPEC(fl, sub) {"spec", FT_OBJECT, fl, 0, 0, &sub}

extern const struct table object_meta_table;
extern const struct table parent_ref_table;
extern const struct table backend_object_ref_table;
extern const struct table local_ref_table;
extern const struct table policy_target_ref_table;
extern const struct table http_header_table;

extern const struct table gateway_class_table;
extern const struct table gateway_table;
extern const struct table listener_set_table;
extern const struct table reference_grant_table;
extern const struct table backend_tls_policy_table;
extern const struct table client_policy_table;
extern const struct table access_policy_table;
extern const struct table backend_policy_table;
extern const struct table http_route_table;
extern const struct table grpc_route_table;
extern const struct table tls_route_table;
extern const struct table tcp_route_table;
extern const struct table udp_route_table;
extern const struct table namespace_table;
extern const struct table service_table;
extern const struct table endpoint_slice_table;
extern const struct table secret_table;
extern const struct table config_map_table;
extern const struct table ingress_table;
extern const struct table ingress_class_table;
extern const struct table routing_test_table;

#endif
