/* RoutingTest (gwc.dev/v1alpha1): requests and the answers they must get.
 * Limits live with the schema checks (schema/test.c). */
#include "tables.h"

static const struct field routing_request_fields[] = {
    FIELD("method", FT_STRING, 0, struct routing_request, method),
    FIELD("url", FT_STRING, FIELD_REQUIRED, struct routing_request, url),
    FIELD("headers", FT_MAP, 0, struct routing_request, headers),
    FIELD("sni", FT_STRING, 0, struct routing_request, sni),
    FIELD_END,
};
static const struct table routing_request_table = {
    "RoutingRequest", 0, 1, offsetof(struct routing_request, src), false,
    routing_request_fields};

static const struct field routing_expect_fields[] = {
    FIELD("backend", FT_STRING, 0, struct routing_expect, backend),
    FIELD("backends", FT_NODE, 0, struct routing_expect, backends),
    FIELD("status", FT_INT32, 0, struct routing_expect, status),
    FIELD("location", FT_STRING, 0, struct routing_expect, location),
    FIELD("headers_set", FT_MAP, 0, struct routing_expect, headers_set),
    FIELD_END,
};
static const struct table routing_expect_table = {
    "RoutingExpect", 0, 1, offsetof(struct routing_expect, src), false,
    routing_expect_fields};

static const struct field routing_case_fields[] = {
    FIELD("name", FT_STRING, 0, struct routing_case, name),
    FIELD_OBJ("request", FIELD_REQUIRED, struct routing_case, request,
              routing_request_table),
    FIELD_OBJ("expect", FIELD_REQUIRED, struct routing_case, expect, routing_expect_table),
    FIELD_END,
};
static const struct table routing_case_table = {
    "RoutingCase", sizeof(struct routing_case), alignof(struct routing_case),
    offsetof(struct routing_case, src), false, routing_case_fields};

static const struct field routing_test_spec_fields[] = {
    FIELD_LIST("cases", FIELD_REQUIRED, struct routing_test, cases, routing_case_table),
    FIELD_END,
};
static const struct table routing_test_spec_table = {
    "RoutingTestSpec", 0, 1, offsetof(struct routing_test, spec_src), false,
    routing_test_spec_fields};

static const struct field routing_test_fields[] = {
    OBJECT_HEADER(struct routing_test),
    FIELD_SPEC(FIELD_REQUIRED, routing_test_spec_table),
    FIELD_END,
};
const struct table model_routing_test_table =
    TOP_TABLE(struct routing_test, "RoutingTest", routing_test_fields);
