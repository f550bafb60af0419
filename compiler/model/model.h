/*
 * Stage 2: the typed model.  Plain data decoded from YAML trees by field
 * tables (decode.c).  Every struct decoded from a mapping starts with 'src',
 * its mapping node, so later stages can point at the exact field.
 *
 * Conventions: strings are arena-owned and NULL when absent; integers are
 * int64_t and INT_UNSET when absent; booleans are enum tri; a field with a
 * fixed set of values is an enum whose 0 means absent; lists are a
 * pointer plus a count.  Field names follow the Kubernetes JSON names.
 *
 * CRD defaults are filled in by the decoder, so a defaulted value looks
 * given.  Where a later stage must tell a field the manifest gives from one
 * it lacks, the struct has a 'present' byte: the decoder sets the field's
 * *_GIVEN_* bit when the key is there with a non-null value.  'src' is for
 * positions in diagnostics, never a test of presence.
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

/*
 * Fields with a fixed set of values, decoded by name through a table (as
 * nginx's ngx_conf_enum_t).  0 is "not given"; the last value, _OTHER, is a
 * name the table lacks, which schema/ refuses with the value as written, so
 * no stage after it meets _OTHER.  model_*_names[v] is the value's name as
 * the manifest writes it (NULL for 0 and _OTHER); from index 1 the table is
 * the CRD's list of allowed values, in its order, NULL-terminated.
 */
enum path_match_type {
    PATH_MATCH_UNSET,
    PATH_MATCH_EXACT,
    PATH_MATCH_PREFIX,
    PATH_MATCH_REGEX,
    PATH_MATCH_OTHER
};
/* Header, query parameter and gRPC method matches. */
enum match_type { MATCH_TYPE_UNSET, MATCH_EXACT, MATCH_REGEX, MATCH_TYPE_OTHER };
/* HTTPPathModifier.type. */
enum path_modifier_type {
    MODIFIER_UNSET,
    MODIFIER_FULL_PATH,
    MODIFIER_PREFIX_MATCH,
    MODIFIER_OTHER
};

/* HTTPRouteFilter.type; GRPCRoute admits a subset (schema/filter.c). */
enum route_filter_type {
    FILTER_UNSET,
    FILTER_REQUEST_HEADER_MODIFIER,
    FILTER_RESPONSE_HEADER_MODIFIER,
    FILTER_REQUEST_MIRROR,
    FILTER_REQUEST_REDIRECT,
    FILTER_URL_REWRITE,
    FILTER_EXTENSION_REF,
    FILTER_CORS,
    FILTER_EXTERNAL_AUTH, /* experimental channel */
    FILTER_OTHER
};

/* Listener tls.mode. */
enum listener_tls_mode {
    TLS_MODE_UNSET,
    TLS_TERMINATE,
    TLS_PASSTHROUGH,
    TLS_MODE_OTHER
};
/* FrontendTLSValidation.mode. */
enum frontend_mode {
    FRONTEND_MODE_UNSET,
    FRONTEND_ALLOW_VALID_ONLY,
    FRONTEND_ALLOW_INSECURE_FALLBACK,
    FRONTEND_MODE_OTHER
};
/* SessionPersistence.type and its cookie's lifetimeType. */
enum persistence_type {
    PERSISTENCE_UNSET,
    PERSISTENCE_COOKIE,
    PERSISTENCE_HEADER,
    PERSISTENCE_OTHER
};
enum cookie_lifetime {
    LIFETIME_UNSET,
    LIFETIME_PERMANENT,
    LIFETIME_SESSION,
    LIFETIME_OTHER
};

/* The namespaces an allowedRoutes or allowedListeners rule admits; None is
 * for listeners only (schema/). */
enum namespaces_from_type {
    FROM_UNSET,
    FROM_ALL,
    FROM_SELECTOR,
    FROM_SAME,
    FROM_NONE,
    FROM_OTHER
};

extern const char *const model_path_type_names[PATH_MATCH_OTHER + 1];
extern const char *const model_match_type_names[MATCH_TYPE_OTHER + 1];
extern const char *const model_modifier_type_names[MODIFIER_OTHER + 1];
extern const char *const model_filter_type_names[FILTER_OTHER + 1];
extern const char *const model_tls_mode_names[TLS_MODE_OTHER + 1];
extern const char *const model_frontend_mode_names[FRONTEND_MODE_OTHER + 1];
extern const char *const model_persistence_type_names[PERSISTENCE_OTHER + 1];
extern const char *const model_cookie_lifetime_names[LIFETIME_OTHER + 1];
extern const char *const model_from_names[FROM_OTHER + 1];

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
    KIND_CLIENT_POLICY, /* gwc.dev: docs/policies.md */
    KIND_ACCESS_POLICY,
    KIND_BACKEND_POLICY,
    KIND_NAMESPACE,
    KIND_SERVICE,
    KIND_ENDPOINT_SLICE,
    KIND_SECRET,
    KIND_CONFIG_MAP,
    KIND_INGRESS,
    KIND_INGRESS_CLASS,
    KIND_ROUTING_TEST,
    KIND__COUNT
};

#define GATEWAY_GROUP "gateway.networking.k8s.io"
#define GWC_GROUP "gwc.dev"

struct strmap_entry {
    const char *key;
    const char *value;
    const struct ynode *src; /* the value node */
};

struct strmap {
    struct strmap_entry *v; /* sorted by key */
    size_t n;
};

const char *model_strmap_get(const struct strmap *m, const char *key);
/* Orders the entries by key; equal keys (which the loader reports as
 * duplicates) keep their document order.  Returns the number of key
 * comparisons made, which tests bound. */
size_t model_strmap_sort(struct strmap *m);

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

/* Every object pays for this header (50,000 of them at 10k routes): the
 * version is api_version's tail (model_object_version()), and the small
 * members share one word. */
struct object {
    enum kind kind;
    uint32_t seq;            /* input order: tie-break of last resort */
    const struct ynode *src; /* the object mapping (document or List item) */
    const char *api_version;
    struct object_meta meta;
    const char *nsname; /* "{namespace}/{name}", or the name if cluster-scoped */
    int64_t created;    /* creationTimestamp in seconds, INT_UNSET if absent */
    bool rejected;      /* breaks a CRD rule: the API server would refuse it */
    /* Checked as the API server would (model_options.check) as soon as it
     * was decoded, its tree then pruned to the nodes its fields point at. */
    bool checked;
};

/* "v1", "v1beta1", "v1alpha2", ...: the tail of o's apiVersion. */
const char *model_object_version(const struct object *o);

/* A Gateway API Duration ("1h30m", "500ms", also "30s1m": units may come in
 * any order and repeat) in milliseconds; false when it is not one. */
bool model_parse_duration(const char *s, int64_t *ms);
/* RFC 3339 (creationTimestamp) as seconds since the epoch; false when
 * the text is not a timestamp. */
bool model_parse_rfc3339(const char *s, int64_t *seconds);
/* The duration a user meant by a number where a duration belongs ("10" is
 * "10s", "1.5" and "1.5s" are "1500ms"), written into buf; NULL when the
 * text is no such number or the duration has no Gateway API form. */
const char *model_duration_fix(const char *text, char buf[32]);

/* A gwc.dev policy size ("0", "1048576", "512Ki", "10Mi", "2Gi") in bytes;
 * false when it is not one (nginx's "10m" is not). */
bool model_parse_size(const char *s, int64_t *bytes);

/* The Gateway API's order of precedence between objects: the older one
 * first (creationTimestamp; none counts as newest), then by the string
 * "{namespace}/{name}". */
int model_object_cmp_age(const struct object *a, const struct object *b);

#include "model/model_gateway.h"
#include "model/model_route.h"
#include "model/model_policy.h"
#include "model/model_core.h"

/* ---- the model ---- */

/* ---- RoutingTest (gwc.dev/v1alpha1): requests and what must answer them ---- */

#define GWC_GROUP "gwc.dev"

struct routing_request {
    const struct ynode *src;
    const char *method;
    const char *url;
    struct strmap headers;
    const char *sni;
};

struct routing_expect {
    const struct ynode *src;
    const char *backend;          /* "ns/name" or "name" (the test's ns) */
    const struct ynode *backends; /* mapping: backend name -> weight */
    int64_t status;               /* INT_UNSET: not expected */
    const char *location;
    struct strmap headers_set;
};

struct routing_case {
    const struct ynode *src;
    const char *name;
    struct routing_request request;
    struct routing_expect expect;
};

struct routing_test {
    struct object obj;
    const struct ynode *spec_src;
    struct routing_case *cases;
    size_t n_cases;
};

/* A mapping of the input that may be an object: a document or an item of
 * a kind: List, whatever its kind (gwc decodes some kinds, not all). */
/* The annotation that silences diagnostics inside its object. */
#define MODEL_IGNORE_ANNOTATION "gwc.dev/ignore"

struct model_input {
    struct src_loc loc; /* of its mapping */
    /* Its gwc.dev/ignore annotation (ynode_keep(): it outlives the trees),
     * or NULL. */
    const struct ynode *ignore;
    /* "HTTPRoute default/shop", "Deployment web"; NULL when the mapping is
     * no object (no apiVersion or kind) or a List. */
    const char *label;
};

struct model {
    /* Objects per kind, sorted by nsname (then input order). */
    struct ptrvec objects[KIND__COUNT];
    /* Lookups, built once by model_build (model/index.c). */
    struct strhash by_nsname[KIND__COUNT]; /* nsname -> its first object */
    struct strhash slices_by_service; /* "ns/service" -> struct ptrvec * of
                                         EndpointSlices, in nsname order */
    /* Every struct model_input, in input order. */
    struct ptrvec inputs;
    /* Documents (and List items) with apiVersion and kind, of any kind. */
    size_t n_manifests;
};

struct model_options {
    /* Unknown fields are errors, as with kubectl's default strict field
     * validation; this makes them warnings. */
    bool allow_unknown_fields;
    /* API groups whose objects another stage reads (import-ingress's
     * providers): not reported as skipped.  NULL-terminated, or NULL. */
    const char *const *read_elsewhere;
    /* Set when the documents given to model_add() live only during the
     * call (load_scope.each_document): the trees of the kinds a repository
     * has most of (Services, EndpointSlices, HTTP and gRPC routes) are
     * then checked with it at
     * once, as the API server checks one object (schema/), and pruned
     * (struct ynode_keeper); the other kinds' trees are copied, since
     * later stages read them. */
    void (*check)(struct compilation *c, struct object *o);
};

/* The model built a few documents at a time: model_build() is begin,
 * add, end. */
struct model_builder;
struct model_builder *model_begin(struct compilation *c, const struct model_options *o,
                                  struct model *m);
void model_add(struct model_builder *b, const struct ydoc_list *docs);
/* Sorts and indexes; returns false if an error was reported. */
bool model_end(struct model_builder *b);

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
/* The name of an object of that kind and namespace that 'name' most likely
 * misspells, or NULL (base/suggest.h; budget bounds the work). */
const char *model_suggest_name(const struct model *m, enum kind kind,
                               const char *namespace, const char *name,
                               size_t *budget);

const char *model_kind_name(enum kind k);
/* Route kinds in the order gwc reports them. */
bool model_kind_is_route(enum kind k);
/* "HTTPRoute default/shop" in the arena. */
const char *model_object_label(struct compilation *c, const struct object *o);

/* HTTPHeaderMatch and GRPCHeaderMatch (apis/v1/httproute_types.go,
 * grpcroute_types.go): header names are case-insensitive, and of entries
 * with equivalent names only the first is considered, the others MUST be
 * ignored.  Is v[i] one to ignore? */
bool model_header_ignored(const struct value_match *v, size_t i);

/* The field path of a node, in the arena (for diagnostics). */
const char *model_path(struct compilation *c, const struct ynode *n);

/* ---- field tables (model/tables_*.c) ----
 *
 * Each kind is described once, by a table of its fields (after nginx's
 * ngx_command_t): the decoder reads a manifest with it, and schema/ checks
 * the decoded object against the limits in it.  A field's limits are the
 * CRD's: numeric bounds, item counts, and a string format (a length range
 * and a pattern, named here and judged by schema/).  So is its default,
 * which the decoder fills in.
 */

/* String formats of the CRDs; schema/ holds each one's length limits and
 * pattern (schema_format_ok()). */
enum field_format {
    FMT_NONE,
    FMT_OBJECT_NAME,
    FMT_DNS_SUBDOMAIN,
    FMT_DNS_LABEL,
    FMT_SECTION_NAME,
    FMT_HOSTNAME,
    FMT_PRECISE_HOSTNAME,
    FMT_NAMESPACE,
    FMT_GROUP,
    FMT_KIND,
    FMT_HEADER_NAME,
    FMT_QUERY_NAME,
    FMT_HEADER_VALUE,
    FMT_QUERY_VALUE,
    FMT_PATH,
    FMT_DURATION,
    FMT_PROTOCOL,
    FMT_CONTROLLER_NAME,
    FMT_ADDRESS_TYPE,
    FMT_ADDRESS_VALUE,
    FMT_CORS_ORIGIN,
    FMT_LABEL_VALUE,
    FMT_LONG_VALUE,
    FMT_DESCRIPTION,
    FMT_WELL_KNOWN_CA,
    FMT_URI,
    FMT_TEXT_1024,
    /* gwc.dev policies */
    FMT_POLICY_HEADER,
    FMT_POLICY_PATH,
    FMT_REALM,
    FMT_REDIRECT_VALUE,
    FMT_HTTP_URL,
    FMT_PARAM_NAME,
    FMT_CONTENT_TYPE,
    FMT_COOKIE_NAME,
    FMT_COOKIE_PATH,
    FMT_BODY,
    FMT_SECRET_KEY,
    FMT_CIDR, /* string list items: also distinct once normalized */
    /* RoutingTest */
    FMT_TEST_CASE_NAME,
    FMT_TEST_METHOD,
    FMT_TEST_URL,
    FMT_TEST_SNI,
    FMT_TEST_BACKEND,
    FMT_TEST_LOCATION,
    FMT__COUNT
};

struct field_limits {
    /* integers: min <= value <= max; FMT_DURATION strings: the same, in
     * milliseconds */
    bool ranged;
    int64_t min, max;
    size_t min_items, max_items; /* lists; maps: max entries.  max 0: none */
    enum field_format format;    /* strings, string list items, map values */
    const char *const *allowed;  /* strings and string list items: one of
                                    these (NULL-terminated), as written */
    const char *item;            /* a string list item, for messages */
};

enum ftype {
    FT_STRING,
    FT_INT32,
    FT_INT64,
    FT_BOOL,
    FT_ENUM,        /* a string from 'names', stored as its index (model.h) */
    FT_OBJECT,      /* nested mapping, decoded at offset with 'sub' */
    /* Nested mapping out of line: a const pointer at offset to 'sub' (a
     * struct of which few are given, as the members of a route filter).
     * Never NULL: an absent key points at the table's empty instance,
     * which reads as an absent FT_OBJECT does (src NULL, integers unset). */
    FT_OBJECT_PTR,
    FT_LIST,        /* list of mappings: pointer at offset, count at count */
    FT_STRING_LIST, /* const char ** */
    FT_INT_LIST,    /* int64_t * */
    FT_MAP,         /* struct strmap of string to string */
    FT_INT_OR_STRING,
    FT_NODE,   /* keep the raw node (const struct ynode *) */
    FT_IGNORE, /* any value, dropped (status, managedFields, ...) */
};

enum {
    FIELD_REQUIRED = 1u << 0,
    /* An enum whose allowed values depend on where it is used: schema/
     * checks it by a rule of its own, not from the name table. */
    FIELD_ENUM_BY_RULE = 1u << 1,
    /* Required by the CRD, but reported by schema/, not by the decoder:
     * the object decodes, and is refused with the rest of its findings. */
    FIELD_REQUIRED_IN_SCHEMA = 1u << 2,
    /* An object or list the CRD defaults to {} or [{}] when absent (or
     * null): the decoder builds it from its own rows' defaults. */
    FIELD_DEFAULT_EMPTY = 1u << 3,
    /* With FIELD_DEFAULT_EMPTY, a list given empty is defaulted too. */
    FIELD_EMPTY_AS_ABSENT = 1u << 4,
    /* A finding after decoding points at this value (ynode_get() on the
     * struct's src): its node is kept when the tree is pruned. */
    FIELD_KEEP_NODE = 1u << 5,
};
/* The row's *_GIVEN_* bit: set in its struct's 'present' byte when the
 * key is given with a non-null value. */
#define FIELD_GIVEN(bit) ((unsigned)(bit) << 8)
#define FIELD_GIVEN_BIT(flags) ((uint8_t)((flags) >> 8))

/* A CRD default of a scalar, as the manifest would write it; the decoder
 * fills it in when a given mapping lacks the key (or gives null). */
struct field_default {
    const char *str; /* FT_STRING; FT_ENUM: the value's name */
    int64_t num;     /* FT_INT32, FT_INT64; FT_BOOL: 0 or 1 */
};

struct table;

struct field {
    const char *key;
    enum ftype type;
    unsigned flags;
    size_t offset;
    size_t count_offset;
    const struct table *sub;
    const char *const *names;       /* FT_ENUM: model_*_names */
    const struct field_limits *lim; /* NULL: none beyond the type */
    const struct field_default *def; /* NULL: none */
};

struct table {
    const char *name; /* Go type name, for messages */
    size_t size;      /* element size when used in a list */
    size_t align;
    size_t src_offset; /* where the mapping node is stored */
    bool open;         /* unknown keys ignored: a kind gwc reads in part */
    const struct field *fields;
    size_t present_offset; /* its 'present' byte; 0: it has none */
    /* A table for the same struct with more rows, whose initial values
     * (init_fields()) this one's struct takes: a GRPCRouteFilter is a
     * route_filter whose HTTP-only members read as absent, never NULL. */
    const struct table *init_as;
    /* Of the kinds pruned after their check (model_options.check): no
     * later stage reads this struct's node, nor its map entries' and
     * int-or-string values' nodes, so the pruned tree keeps none of them
     * (model/keep.c) unless a kept node below needs it as an ancestor. */
    bool src_unread;
};

/* The table of a whole object of kind k. */
const struct table *model_kind_table(enum kind k);

#endif
