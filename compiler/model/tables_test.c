/* RoutingTest (gwc.dev/v1alpha1): requests and the answers they must get.
 * The rules between fields are in schema/test.c. */
#include "tables.h"

static const struct field routing_request_fields[] = {
    FIELD_L("method", FT_STRING, 0, struct routing_request, method,
            LIM_FMT(FMT_TEST_METHOD)),
    FIELD_L("url", FT_STRING, FIELD_REQUIRED, struct routing_request, url,
            LIM_FMT(FMT_TEST_URL)),
    FIELD_L("headers", FT_MAP, 0, struct routing_request, headers,
            LIM_MAP(64, FMT_HEADER_VALUE)),
    FIELD_L("sni", FT_STRING, 0, struct routing_request, sni,
            LIM_FMT(FMT_TEST_SNI)),
    FIELD_END,
};
static const struct table routing_request_table = {
    "RoutingRequest", 0, 1, offsetof(struct routing_request, src), false,
    routing_request_fields};

static const struct field routing_expect_fields[] = {
    FIELD_L("backend", FT_STRING, 0, struct routing_expect, backend,
            LIM_FMT(FMT_TEST_BACKEND)),
    FIELD("backends", FT_NODE, 0, struct routing_expect, backends),
    FIELD_L("status", FT_INT32, 0, struct routing_expect, status,
            LIM_RANGE(100, 599)),
    FIELD_L("location", FT_STRING, 0, struct routing_expect, location,
            LIM_FMT(FMT_TEST_LOCATION)),
    FIELD_L("headers_set", FT_MAP, 0, struct routing_expect, headers_set,
            LIM_MAP(64, FMT_HEADER_VALUE)),
    FIELD_END,
};
static const struct table routing_expect_table = {
    "RoutingExpect", 0, 1, offsetof(struct routing_expect, src), false,
    routing_expect_fields};

static const struct field routing_case_fields[] = {
    FIELD_L("name", FT_STRING, 0, struct routing_case, name,
            LIM_FMT(FMT_TEST_CASE_NAME)),
    FIELD_OBJ("request", FIELD_REQUIRED, struct routing_case, request,
              routing_request_table),
    FIELD_OBJ("expect", FIELD_REQUIRED, struct routing_case, expect,
              routing_expect_table),
    FIELD_END,
};
static const struct table routing_case_table = {
    "RoutingCase", sizeof(struct routing_case), alignof(struct routing_case),
    offsetof(struct routing_case, src), false, routing_case_fields};

static const struct field routing_test_spec_fields[] = {
    FIELD_LIST_L("cases", FIELD_REQUIRED, struct routing_test, cases,
                 routing_case_table, LIM_ITEMS(1, 256)),
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
