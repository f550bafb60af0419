/*
 * Route filters, of HTTPRoute and GRPCRoute rules and backendRefs
 * (httproute_types.go, grpcroute_types.go): the CEL rules on a filter list
 * (which types may repeat, RequestRedirect with URLRewrite), on one filter
 * (exactly the member its type names), and each member's fields.
 */
#include "schema_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"

#include <inttypes.h>
#include <string.h>

/* What each value of `type` (model_filter_type_names) asks of a filter. */
struct filter_type {
    const char *field; /* the member that type requires, and only it */
    size_t member;     /* offset of that member's pointer in struct route_filter */
    bool once;         /* CEL: "<type> filter cannot be repeated" */
    bool grpc;         /* a GRPCRoute filter type too */
};

#define MEMBER(m) offsetof(struct route_filter, m)

/* Indexed by enum route_filter_type; FILTER_UNSET's row is empty. */
static const struct filter_type filter_types[FILTER_OTHER] = {
    [FILTER_REQUEST_HEADER_MODIFIER] = {"requestHeaderModifier",
                                        MEMBER(request_header_modifier), true,
                                        true},
    [FILTER_RESPONSE_HEADER_MODIFIER] = {"responseHeaderModifier",
                                         MEMBER(response_header_modifier), true,
                                         true},
    [FILTER_REQUEST_MIRROR] = {"requestMirror", MEMBER(request_mirror), false,
                               true},
    [FILTER_REQUEST_REDIRECT] = {"requestRedirect", MEMBER(request_redirect), true,
                                 false},
    [FILTER_URL_REWRITE] = {"urlRewrite", MEMBER(url_rewrite), true, false},
    [FILTER_EXTENSION_REF] = {"extensionRef", MEMBER(extension_ref), false, true},
    [FILTER_CORS] = {"cors", MEMBER(cors), true, false},
    [FILTER_EXTERNAL_AUTH] = {"externalAuth", MEMBER(external_auth), false, false},
};

/* member_src() reads a member's src through its pointer: each starts so. */
_Static_assert(offsetof(struct header_filter, src) == 0, "src first");
_Static_assert(offsetof(struct request_mirror, src) == 0, "src first");
_Static_assert(offsetof(struct request_redirect, src) == 0, "src first");
_Static_assert(offsetof(struct url_rewrite, src) == 0, "src first");
_Static_assert(offsetof(struct local_ref, src) == 0, "src first");
_Static_assert(offsetof(struct cors_filter, src) == 0, "src first");
_Static_assert(offsetof(struct external_auth, src) == 0, "src first");

static const struct ynode *member_src(const struct route_filter *f,
                                      const struct filter_type *t)
{
    const char *p;
    const struct ynode *src;

    memcpy(&p, (const char *)f + t->member, sizeof(p));
    memcpy(&src, p, sizeof(src));
    return src;
}

static bool in_set(const struct filter_type *t, enum filter_set set)
{
    return set == FILTERS_HTTP || t->grpc;
}

/* The row of a type the set admits, or NULL. */
static const struct filter_type *find_type(enum route_filter_type type,
                                           enum filter_set set)
{
    if (type == FILTER_UNSET || type == FILTER_OTHER ||
        !in_set(&filter_types[type], set))
        return NULL;
    return &filter_types[type];
}

static const char *type_name(const struct filter_type *t)
{
    return model_filter_type_names[t - filter_types];
}

/* ---- header modifiers ---- */

/* One action per header name across set, add and remove, names compared
 * case-insensitively (HTTPHeaderFilter: "Filters specifying multiple
 * actions of the same or different type for any one header name are
 * invalid").  The CRD's list keys catch exact repeats within one list. */
static void check_action(struct schema *s, struct seen *names,
                         const struct ynode *at, const char *name)
{
    schema_seen_repeat(s, names, name, at, 0, "first named here",
                       DIAG_HEADER_MODIFIER_NAME,
                       "header '%s' already has an action in this filter; one "
                       "action per header name is allowed, and names are "
                       "case-insensitive",
                       schema_quote(s, name));
}

static void check_header_list(struct schema *s, const struct http_header *v,
                              size_t n, struct seen *names)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (v[i].src && v[i].name)
            check_action(s, names, schema_field_node(v[i].src, "name"), v[i].name);
    }
}

static void check_header_filter(struct schema *s, const struct header_filter *h)
{
    struct seen names;
    size_t i;

    schema_seen_init(&names, s->c->tree, h->n_set + h->n_add + h->n_remove, true);
    check_header_list(s, h->set, h->n_set, &names);
    check_header_list(s, h->add, h->n_add, &names);
    for (i = 0; i < h->n_remove; i++) {
        const struct ynode *at = schema_string_item(h->src, "remove", i);
        if (at)
            check_action(s, &names, at, h->remove[i]);
    }
}

/* ---- RequestMirror ---- */

static void check_mirror(struct schema *s, const struct request_mirror *m)
{
    const struct fraction *f = &m->fraction;

    schema_check_backend_object_ref(s, &m->backend_ref);
    /* CEL: self.numerator <= self.denominator */
    if (f->src && f->numerator != INT_UNSET && f->denominator != INT_UNSET &&
        f->numerator > f->denominator)
        schema_report(s, DIAG_MIRROR_FRACTION, f->src,
                      "fraction numerator %" PRId64 " is greater than its "
                      "denominator %" PRId64,
                      f->numerator, f->denominator);
    /* CEL: !(has(self.percent) && has(self.fraction)) */
    if (f->src && (m->present & MIRROR_GIVEN_PERCENT))
        schema_report(s, DIAG_MIRROR_FRACTION, f->src,
                      "set either percent or fraction, not both");
}

/* ---- RequestRedirect and URLRewrite ---- */

static const int64_t redirect_codes[] = {301, 302, 303, 307, 308};

/* CEL: field 'key' (its present bit: 'bit') is set exactly when the type
 * is 'type'. */
static void check_modifier_field(struct schema *s, const struct path_modifier *p,
                                 enum path_modifier_type type, const char *key,
                                 uint8_t bit)
{
    const struct schema_union u = {
        DIAG_PATH_MODIFIER_FIELDS, p->src, "type",
        schema_enum_text(p->src, "type", p->type, model_modifier_type_names),
        false};

    if (p->type != MODIFIER_UNSET)
        schema_check_union_member(s, &u, key, model_modifier_type_names[type],
                                  p->type == type, p->present & bit);
}

static void check_path_modifier(struct schema *s, const struct path_modifier *p)
{
    if (!p->src)
        return;
    check_modifier_field(s, p, MODIFIER_FULL_PATH, "replaceFullPath",
                         MODIFIER_GIVEN_FULL_PATH);
    check_modifier_field(s, p, MODIFIER_PREFIX_MATCH, "replacePrefixMatch",
                         MODIFIER_GIVEN_PREFIX_MATCH);
}

bool schema_filter_replaces_prefix(const struct route_filter *f, bool redirect)
{
    const struct path_modifier *p =
        redirect ? &f->request_redirect->path : &f->url_rewrite->path;

    return p->src && p->type == MODIFIER_PREFIX_MATCH &&
           (p->present & MODIFIER_GIVEN_PREFIX_MATCH);
}

static void check_redirect(struct schema *s, const struct request_redirect *r)
{
    size_t i;

    check_path_modifier(s, &r->path);
    if (r->status_code == INT_UNSET)
        return;
    for (i = 0; i < ARRAY_SIZE(redirect_codes); i++) {
        if (r->status_code == redirect_codes[i])
            return;
    }
    schema_report(s, DIAG_ENUM_VALUE, schema_field_node(r->src, "statusCode"),
                  "statusCode %" PRId64 " is not supported: must be one of "
                  "301, 302, 303, 307, 308",
                  r->status_code);
}

/* ---- CORS ---- */

/* CEL: !('*' in self && self.size() > 1) */
static void check_wildcard_alone(struct schema *s, const struct ynode *map,
                                 const char *key, const char *const *v,
                                 size_t n)
{
    size_t i;

    for (i = 0; n > 1 && i < n; i++) {
        const struct ynode *at = schema_string_item(map, key, i);

        if (at && strcmp(v[i], "*") == 0) {
            schema_report(s, DIAG_CORS_WILDCARD, at,
                          "'*' in %s allows everything and cannot be combined "
                          "with other entries",
                          key);
            return;
        }
    }
}

static void check_cors(struct schema *s, const struct cors_filter *c)
{
    /* Every list is a set; all but exposeHeaders take '*' alone. */
    const struct {
        const char *key;
        const char **v;
        size_t n;
        bool wildcard;
    } lists[] = {
        {"allowOrigins", c->allow_origins, c->n_allow_origins, true},
        {"allowMethods", c->allow_methods, c->n_allow_methods, true},
        {"allowHeaders", c->allow_headers, c->n_allow_headers, true},
        {"exposeHeaders", c->expose_headers, c->n_expose_headers, false},
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(lists); i++) {
        schema_check_set(s, c->src, lists[i].key, lists[i].v, lists[i].n);
        if (lists[i].wildcard)
            check_wildcard_alone(s, c->src, lists[i].key, lists[i].v, lists[i].n);
    }
}

/* ---- ExternalAuth (experimental channel) ---- */

/* CEL: the member named by the protocol is set exactly for it. */
static void check_auth_member(struct schema *s, const struct external_auth *a,
                              const char *protocol, const char *key,
                              const struct ynode *member)
{
    const struct schema_union u = {DIAG_FILTER_FIELDS, a->src, "protocol",
                                   a->protocol, false};

    if (a->protocol)
        schema_check_union_member(s, &u, key, protocol,
                                  str_is(a->protocol, protocol), member != NULL);
}

/* The members are kept as raw nodes; their limits read the nodes. */
static void check_raw_list(struct schema *s, const struct ynode *map,
                           const char *key, size_t max)
{
    const struct ynode *list = ynode_get(map, key);

    if (list && list->kind == YNODE_SEQ)
        schema_check_count(s, map, key, list->n, 0, max);
}

static void check_external_auth(struct schema *s, const struct external_auth *a)
{
    const struct ynode *path = ynode_get(a->http, "path");
    const struct ynode *max_size = ynode_get(a->forward_body, "maxSize");

    schema_check_backend_object_ref(s, &a->backend_ref);
    check_auth_member(s, a, "GRPC", "grpc", a->grpc);
    check_auth_member(s, a, "HTTP", "http", a->http);
    check_raw_list(s, a->grpc, "allowedHeaders", 64);
    check_raw_list(s, a->http, "allowedHeaders", 64);
    check_raw_list(s, a->http, "allowedResponseHeaders", 64);
    if (path && path->kind == YNODE_SCALAR && path->scalar == YSCALAR_STRING)
        schema_check_string(s, path, "path", path->text, &schema_fmt_request_path);
    if (max_size && max_size->kind == YNODE_SCALAR &&
        max_size->scalar == YSCALAR_INT && max_size->text[0] == '-' &&
        strspn(max_size->text + 1, "0") != strlen(max_size->text + 1))
        schema_report(s, DIAG_VALUE_RANGE, max_size,
                      "maxSize must be at least 0, got %s", max_size->text);
}

/* ---- one filter, and a list ---- */

/* CEL per member: "filter.<member> must be nil if the filter.type is not
 * <type>" and "filter.<member> must be specified for <type> filter.type". */
static void check_members(struct schema *s, const struct route_filter *f,
                          const struct filter_type *want)
{
    size_t i;

    for (i = FILTER_UNSET + 1; i < FILTER_OTHER; i++) {
        const struct filter_type *t = &filter_types[i];
        const struct ynode *member = member_src(f, t);

        if (member && t != want)
            schema_report(s, DIAG_FILTER_FIELDS, member,
                          "%s must not be set when type is %s", t->field,
                          type_name(want));
        else if (!member && t == want)
            schema_report(s, DIAG_FILTER_FIELDS, schema_field_node(f->src, "type"),
                          "type %s needs the %s field", type_name(t), t->field);
    }
}

static void check_filter_type(struct schema *s, const struct route_filter *f,
                              enum filter_set set)
{
    const struct filter_type *want = find_type(f->type, set);
    const char *allowed[FILTER_OTHER];
    size_t i, k = 0;

    if (want) {
        check_members(s, f, want);
        return;
    }
    if (f->type == FILTER_UNSET)
        return; /* decode reported it missing */
    /* An unknown type: which member it should have is anyone's guess, so
     * the member rules are not reported on top. */
    for (i = FILTER_UNSET + 1; i < FILTER_OTHER; i++) {
        if (in_set(&filter_types[i], set))
            allowed[k++] = model_filter_type_names[i];
    }
    allowed[k] = NULL;
    schema_check_enum(
        s, f->src, "type",
        schema_enum_text(f->src, "type", f->type, model_filter_type_names),
        allowed);
}

static void check_filter(struct schema *s, const struct route_filter *f,
                         enum filter_set set)
{
    check_filter_type(s, f, set);
    if (f->request_header_modifier->src)
        check_header_filter(s, f->request_header_modifier);
    if (f->response_header_modifier->src)
        check_header_filter(s, f->response_header_modifier);
    if (f->request_mirror->src)
        check_mirror(s, f->request_mirror);
    if (f->request_redirect->src)
        check_redirect(s, f->request_redirect);
    if (f->url_rewrite->src)
        check_path_modifier(s, &f->url_rewrite->path);
    if (f->cors->src)
        check_cors(s, f->cors);
    if (f->external_auth->src)
        check_external_auth(s, f->external_auth);
}

/* CEL on a filter list: the types marked once appear at most once, and
 * RequestRedirect and URLRewrite not together. */
void schema_check_filters(struct schema *s, const struct route_filter *v, size_t n,
                          enum filter_set set)
{
    const struct route_filter *first[FILTER_OTHER] = {NULL};
    const struct route_filter *redirect, *rewrite;
    size_t i;
    struct diag *d;

    for (i = 0; i < n; i++) {
        const struct filter_type *t;

        if (!v[i].src)
            continue;
        check_filter(s, &v[i], set);
        if (!(t = find_type(v[i].type, set)))
            continue;
        if (!first[t - filter_types]) {
            first[t - filter_types] = &v[i];
        } else if (t->once) {
            d = schema_report(s, DIAG_FILTER_REPEATED,
                              schema_field_node(v[i].src, "type"),
                              "a %s filter may appear only once in a filter "
                              "list",
                              type_name(t));
            schema_note(s, d, first[t - filter_types]->src,
                        "first %s filter is here", type_name(t));
        }
    }
    redirect = first[FILTER_REQUEST_REDIRECT];
    rewrite = first[FILTER_URL_REWRITE];
    if (redirect && rewrite) {
        const struct route_filter *later =
            redirect > rewrite ? redirect : rewrite;
        const struct route_filter *earlier =
            later == redirect ? rewrite : redirect;

        d = schema_report(s, DIAG_REDIRECT_AND_REWRITE,
                          schema_field_node(later->src, "type"),
                          "RequestRedirect and URLRewrite cannot be combined in "
                          "one filter list: a redirect answers the request, so "
                          "there is nothing to rewrite");
        schema_note(s, d, earlier->src, "the %s filter is here",
                    model_filter_type_names[earlier->type]);
    }
}
