/*
 * GRPCRoute rules (grpcroute_types.go): method and header matches.  The
 * rest of a rule is shared with the other kinds (route.c) and with
 * HTTPRoute (filter.c, schema_check_value_matches()).
 */
#include "schema_internal.h"

/*
 * The CEL rules of GRPCMethodMatch: service or method (or both) is set; for
 * type Exact (the default) each matches its pattern.  For type
 * RegularExpression each must compile, as nginx will compile it.
 */
static void check_method_match(struct schema *s,
                               const struct grpc_method_match *m)
{
    if (!m->src)
        return;
    if (!(m->present & (GRPC_METHOD_GIVEN_SERVICE | GRPC_METHOD_GIVEN_METHOD)))
        schema_report(s, DIAG_GRPC_METHOD_EMPTY, m->src,
                      "a method match needs service, method or both");
    if (m->type == MATCH_EXACT) {
        schema_check_str(s, m->src, "service", m->service,
                         &schema_fmt_grpc_service);
        schema_check_str(s, m->src, "method", m->method, &schema_fmt_grpc_method);
    } else if (m->type == MATCH_REGEX) {
        schema_check_str(s, m->src, "service", m->service, &schema_fmt_text_1024);
        schema_check_str(s, m->src, "method", m->method, &schema_fmt_text_1024);
        if (m->service)
            schema_check_regex(s, schema_field_node(m->src, "service"), m->service);
        if (m->method)
            schema_check_regex(s, schema_field_node(m->src, "method"), m->method);
    }
}

void schema_check_grpc_rule(struct schema *s, const struct route_rule *r)
{
    size_t i;

    for (i = 0; i < r->n_grpc_matches; i++) {
        const struct grpc_match *m = &r->grpc_matches[i];

        if (!m->src)
            continue;
        check_method_match(s, &m->method);
        schema_check_value_matches(s, "headers", m->headers, m->n_headers);
    }
    schema_check_filters(s, r->filters, r->n_filters, FILTERS_GRPC);
}
