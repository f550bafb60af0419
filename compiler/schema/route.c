/*
 * What the five route kinds share: parentRefs, hostnames, the number of
 * rules (which differs by kind and by version), rule names, backendRefs and
 * sessionPersistence.  HTTPRoute and GRPCRoute rules continue in
 * http.c and grpc.c.
 */
#include "schema_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/ipaddr.h"

#include <string.h>

/*
 * The shape of a route's spec by kind and version, from the CRDs.  TLSRoute
 * v1alpha3 has the shape of v1 (hostnames required, exactly one rule), not
 * that of v1alpha2.
 */
struct route_shape {
    enum kind kind;
    const char *version; /* NULL: every other version */
    const char *spec_type;
    size_t min_rules, max_rules;
    bool sni_hostnames; /* hostnames required, no IP addresses */
    bool l4;            /* rules without matches or filters */
};

static const struct route_shape shapes[] = {
    {KIND_HTTP_ROUTE, NULL, "HTTPRouteSpec", 1, 16, false, false},
    {KIND_GRPC_ROUTE, NULL, "GRPCRouteSpec", 0, 16, false, false},
    {KIND_TLS_ROUTE, "v1alpha2", "TLSRouteSpec", 1, 16, false, true},
    {KIND_TLS_ROUTE, NULL, "TLSRouteSpec", 1, 1, true, true},
    {KIND_TCP_ROUTE, "v1alpha2", "TCPRouteSpec", 1, 16, false, true},
    {KIND_TCP_ROUTE, NULL, "TCPRouteSpec", 1, 1, false, true},
    {KIND_UDP_ROUTE, "v1alpha2", "UDPRouteSpec", 1, 16, false, true},
    {KIND_UDP_ROUTE, NULL, "UDPRouteSpec", 1, 1, false, true},
};

static const struct route_shape *shape_of(const struct object *o)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(shapes); i++) {
        if (shapes[i].kind == o->kind &&
            (!shapes[i].version || strcmp(shapes[i].version, model_object_version(o)) == 0))
            return &shapes[i];
    }
    BUG("route kind without a shape");
}

static void check_hostnames(struct schema *s, const struct route *r,
                            const struct route_shape *sh)
{
    size_t i;

    /* The rest of the limits, the same in every version, are the table's. */
    if (!sh->sni_hostnames ||
        !schema_check_required(s, r->spec_src, r->present & ROUTE_GIVEN_HOSTNAMES,
                               "hostnames", sh->spec_type))
        return;
    schema_check_count(s, r->spec_src, "hostnames", r->n_hostnames, 1, SIZE_MAX);
    for (i = 0; i < r->n_hostnames; i++) {
        const struct ynode *at = schema_string_item(r->spec_src, "hostnames", i);

        /* TLSRoute CEL: self.all(h, !isIP(h)); the pattern alone lets
         * dotted-decimal addresses through. */
        if (at && schema_string_ok(r->hostnames[i], &schema_fmt_hostname) &&
            ipaddr_is_v4(r->hostnames[i]))
            schema_report(s, DIAG_HOSTNAME_IP, at,
                          "hostname '%s' is an IP address; TLSRoute hostnames "
                          "are server names (SNI), which cannot be IP "
                          "addresses",
                          r->hostnames[i]);
    }
}

static void check_rule_count(struct schema *s, const struct route *r,
                             const struct route_shape *sh)
{
    const struct ynode *at = ynode_get(r->spec_src, "rules");
    const char *kind = model_kind_name(r->obj.kind);
    size_t n = r->n_rules;

    /* Absent rules are defaulted (HTTPRoute) or reported missing. */
    if (!(r->present & ROUTE_GIVEN_RULES) ||
        (n >= sh->min_rules && n <= sh->max_rules))
        return;
    if (sh->min_rules == sh->max_rules)
        schema_report(s, DIAG_RULE_COUNT, at,
                      "%s %s must have exactly %zu rule, got %zu", kind,
                      model_object_version(&r->obj), sh->max_rules, n);
    else if (sh->min_rules == 0)
        schema_report(s, DIAG_RULE_COUNT, at,
                      "%s %s must have at most %zu rules, got %zu", kind,
                      model_object_version(&r->obj), sh->max_rules, n);
    else
        schema_report(s, DIAG_RULE_COUNT, at,
                      "%s %s must have between %zu and %zu rules, got %zu",
                      kind, model_object_version(&r->obj), sh->min_rules, sh->max_rules, n);
}

/*
 * CEL on HTTPRoute and GRPCRoute rules: the matches of all rules number at
 * most 128.  The rule sums self[0] to self[15] only, so with more than 16
 * rules (refused anyway) the rest are not counted; neither are they here.
 */
static void check_total_matches(struct schema *s, const struct route *r)
{
    size_t i, total = 0;

    for (i = 0; i < r->n_rules && i < 16; i++)
        total += schema_http_match_count(&r->rules[i]) + r->rules[i].n_grpc_matches;
    if (total > 128)
        schema_report(s, DIAG_TOO_MANY_MATCHES,
                      schema_field_node(r->spec_src, "rules"),
                      "the rules hold %zu matches in total; at most 128 are "
                      "allowed",
                      total);
}

/* CEL (experimental channel): rule names are unique within the route. */
static void check_rule_names(struct schema *s, const struct route *r)
{
    struct seen names;
    size_t i;

    schema_seen_init(&names, s->c->tree, r->n_rules, false);
    for (i = 0; i < r->n_rules; i++) {
        const struct route_rule *rule = &r->rules[i];

        if (rule->src && rule->name)
            schema_seen_repeat(s, &names, rule->name,
                               schema_field_node(rule->src, "name"), i,
                               "first used here", DIAG_RULE_NAME_DUPLICATE,
                               "rule name '%s' is used more than once; rule "
                               "names must be unique within a route",
                               schema_quote(s, rule->name));
    }
}

/* The CEL rules of SessionPersistence (experimental channel): cookie and
 * header each belong to their type and are required by it (the type
 * defaults to Cookie), and a Permanent cookie needs absoluteTimeout. */
static void check_persistence_union(struct schema *s,
                                    const struct session_persistence *p)
{
    /* The union's members, each for one type (only Cookie is a default). */
    static const struct {
        enum persistence_type type;
        unsigned given;
        const char *key, *type_name;
    } members[] = {
        {PERSISTENCE_COOKIE, PERSISTENCE_GIVEN_COOKIE, "cookie", "Cookie"},
        {PERSISTENCE_HEADER, PERSISTENCE_GIVEN_HEADER, "header", "Header"},
    };
    const struct schema_union u = {
        DIAG_SESSION_PERSISTENCE, p->src, "type",
        schema_enum_text(p->src, "type", p->type, model_persistence_type_names),
        !(p->present & PERSISTENCE_GIVEN_TYPE)};
    size_t i;

    if (p->cookie.lifetime_type == LIFETIME_PERMANENT &&
        !(p->present & PERSISTENCE_GIVEN_ABSOLUTE_TIMEOUT))
        schema_report(s, DIAG_SESSION_PERSISTENCE,
                      schema_field_node(p->cookie.src, "lifetimeType"),
                      "a Permanent cookie needs absoluteTimeout");
    if (p->type == PERSISTENCE_UNSET)
        return;
    for (i = 0; i < ARRAY_SIZE(members); i++)
        schema_check_union_member(s, &u, members[i].key, members[i].type_name,
                                  p->type == members[i].type,
                                  p->present & members[i].given);
}

static void check_backend_refs(struct schema *s, const struct route *r,
                               const struct route_rule *rule,
                               const struct route_shape *sh)
{
    enum filter_set set =
        r->obj.kind == KIND_GRPC_ROUTE ? FILTERS_GRPC : FILTERS_HTTP;
    size_t i;

    for (i = 0; i < rule->n_backend_refs; i++) {
        const struct backend_ref *b = &rule->backend_refs[i];

        schema_check_backend_ref(s, b);
        if (b->src && !sh->l4)
            schema_check_filters(s, b->filters, b->n_filters, set);
    }
}

static void check_rule(struct schema *s, const struct route *r,
                       const struct route_rule *rule,
                       const struct route_shape *sh)
{
    check_backend_refs(s, r, rule, sh);
    if (rule->session_persistence->src)
        check_persistence_union(s, rule->session_persistence);
    if (r->obj.kind == KIND_HTTP_ROUTE)
        schema_check_http_rule(s, rule);
    else if (r->obj.kind == KIND_GRPC_ROUTE)
        schema_check_grpc_rule(s, rule);
}

void schema_route(struct schema *s)
{
    const struct route *r = (const struct route *)s->obj;
    const struct route_shape *sh = shape_of(&r->obj);
    size_t i;

    schema_check_parent_refs(s, r->parent_refs, r->n_parent_refs);
    check_hostnames(s, r, sh);
    check_rule_count(s, r, sh);
    if (!sh->l4)
        check_total_matches(s, r);
    check_rule_names(s, r);
    for (i = 0; i < r->n_rules; i++) {
        if (r->rules[i].src)
            check_rule(s, r, &r->rules[i], sh);
    }
}
