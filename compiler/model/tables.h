/* The field tables, shared between the table files and model.c. */
#ifndef GWC_TABLES_H
#define GWC_TABLES_H

#include "decode_internal.h"

/* apiVersion and kind are read before decoding; status is the controller's. */
#define OBJECT_HEADER(T)                                                          \
    {"apiVersion", FT_IGNORE, 0, 0, 0, NULL}, {"kind", FT_IGNORE, 0, 0, 0, NULL}, \
        FIELD_OBJ("metadata", FIELD_REQUIRED, T, obj.meta,                        \
                  model_object_meta_table),                                       \
    {                                                                             \
        "status", FT_IGNORE, 0, 0, 0, NULL                                        \
    }

/* A whole object: the mapping node goes to obj.src. */
#define TOP_TABLE(T, go_name, fields) \
    {go_name, sizeof(T), alignof(T), offsetof(T, obj.src), false, fields}
/* The same, for an object whose rows name *_GIVEN_* bits of T's 'present'
 * byte. */
#define TOP_TABLE_GIVEN(T, go_name, fields)                                 \
    {go_name, sizeof(T),  alignof(T), offsetof(T, obj.src), false, fields, \
     offsetof(T, present)}

/* spec's fields live directly in the kind's struct (offset 0). */
#define FIELD_SPEC(fl, sub) {"spec", FT_OBJECT, fl, 0, 0, &sub}

/* Rows of the Gateway API's shared field types (Group, Kind, ObjectName,
 * Namespace, SectionName, PortNumber), under their usual JSON names. */
#define FIELD_GROUP(fl, T) \
    FIELD_L("group", FT_STRING, fl, T, group, LIM_FMT(FMT_GROUP))
#define FIELD_KIND(fl, T) FIELD_L("kind", FT_STRING, fl, T, kind, LIM_FMT(FMT_KIND))
/* Optional group and kind rows with the CRD's default. */
#define FIELD_GROUP_D(T, g) \
    FIELD_D("group", FT_STRING, 0, T, group, LIM_FMT(FMT_GROUP), DEF_STR(g))
#define FIELD_KIND_D(T, k) \
    FIELD_D("kind", FT_STRING, 0, T, kind, LIM_FMT(FMT_KIND), DEF_STR(k))
#define FIELD_NAME(fl, T) \
    FIELD_L("name", FT_STRING, fl, T, name, LIM_FMT(FMT_OBJECT_NAME))
#define FIELD_NAMESPACE(fl, T) \
    FIELD_L("namespace", FT_STRING, fl, T, namespace, LIM_FMT(FMT_NAMESPACE))
#define FIELD_SECTION_NAME(fl, T)                          \
    FIELD_L("sectionName", FT_STRING, fl, T, section_name, \
            LIM_FMT(FMT_SECTION_NAME))
#define FIELD_PORT(fl, T) \
    FIELD_L("port", FT_INT32, fl, T, port, LIM_RANGE(1, 65535))

extern const struct table model_object_meta_table;
extern const struct table model_parent_ref_table;
extern const struct table model_backend_object_ref_table;
extern const struct table model_local_ref_table;

extern const struct table model_gateway_class_table;
extern const struct table model_gateway_table;
extern const struct table model_listener_set_table;
extern const struct table model_reference_grant_table;
extern const struct table model_backend_tls_policy_table;
extern const struct table model_client_policy_table;
extern const struct table model_access_policy_table;
extern const struct table model_backend_policy_table;
extern const struct table model_http_route_table;
extern const struct table model_grpc_route_table;
extern const struct table model_tls_route_table;
extern const struct table model_tcp_route_table;
extern const struct table model_udp_route_table;
extern const struct table model_namespace_table;
extern const struct table model_service_table;
extern const struct table model_endpoint_slice_table;
extern const struct table model_secret_table;
extern const struct table model_config_map_table;
extern const struct table model_ingress_table;
extern const struct table model_ingress_class_table;
extern const struct table model_routing_test_table;

/* The nodes the struct of table t at base points at, kept (load.h), and
 * its pointers moved to the copies: all that is left of its tree
 * (keep.c). */
void model_keep_nodes(struct ynode_keeper *k, const struct table *t, void *base);

#endif
