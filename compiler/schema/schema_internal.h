/*
 * Shared by the files of the schema stage only: the API server's checks, split by
 * subject.  field.c holds the reporting context and the generic
 * checks of one field against one CRD constraint (length, pattern, range,
 * enum, list size, required); limits.c applies them to every field as the
 * field tables (model.h) describe it; util.c the string formats of the
 * CRDs, formats_policy.c those of gwc's policies; unique.c keyed lists;
 * meta.c and refs.c what every kind shares; the other files the rules of
 * one group of kinds each, those a table row cannot say.
 *
 * Every check reads the defaulted model.  A diagnostic points at the source
 * node of the offending field; a defaulted value has none, so it points at
 * the nearest enclosing node that exists.  List items that are not mappings
 * (decode reported them) and CRD-defaulted items have no src and are not
 * checked: there is nothing of the user's to check in them.
 */
#ifndef GWC_SCHEMA_INTERNAL_H
#define GWC_SCHEMA_INTERNAL_H

#include "schema.h"

#include "base/str.h"
#include "base/strhash.h"
#include "load/load.h"

#include "base/diag.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct arena;

#define SCHEMA_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define NO_MAX INT64_MAX

/* ---- reporting (field.c) ---- */

struct schema {
    struct compilation *c;
    struct object *obj; /* under check; every report marks it rejected */
    const char *label;  /* model_object_label(obj), made on the first report */
};

/* Reports at node 'at' (NULL: the object) and rejects the object. */
struct diag *schema_report(struct schema *s, enum diag_code code,
                           const struct ynode *at, const char *fmt, ...)
    SCHEMA_PRINTF(4, 5);
/* The va_list entry of schema_report(). */
struct diag *schema_vreport(struct schema *s, enum diag_code code,
                            const struct ynode *at, const char *fmt, va_list ap)
    SCHEMA_PRINTF(4, 0);
/* Same, at the key of mapping value 'value' (for map keys). */
struct diag *schema_report_key(struct schema *s, enum diag_code code,
                               const struct ynode *value, const char *fmt, ...)
    SCHEMA_PRINTF(4, 5);
/* A second location on d: the earlier item a duplicate repeats. */
void schema_note(struct schema *s, struct diag *d, const struct ynode *at,
                 const char *fmt, ...) SCHEMA_PRINTF(4, 5);
/* A value for a message: long values are shortened, in the arena. */
const char *schema_quote(struct schema *s, const char *v);

/* The value node of map[key]; map itself when the key is absent. */
const struct ynode *schema_field_node(const struct ynode *map, const char *key);

/* A union: members that each belong to one value of a discriminator field
 * ('type', 'protocol').  CEL requires a member exactly when the
 * discriminator selects it. */
struct schema_union {
    enum diag_code code;
    const struct ynode *map;   /* holds the discriminator and the members */
    const char *discriminator; /* its key */
    const char *value;         /* its value, as written or defaulted */
    bool defaulted;            /* not written: messages say "(the default)" */
};
/* Member 'key', which belongs to discriminator value 'owner': 'mine' says
 * the discriminator selects it, 'given' that it is set. */
void schema_check_union_member(struct schema *s, const struct schema_union *u,
                               const char *key, const char *owner, bool mine,
                               bool given);
/* has(self.key) as CEL reads it is the model's present bit (model.h): set
 * when the key is written and not null, so a value of the wrong type
 * (reported by decode) still counts as given.  The YAML nodes are for the
 * positions of reports only. */
/* A string field equal to 'want' (false when unset). */
static inline bool str_is(const char *v, const char *want)
{
    return v && strcmp(v, want) == 0;
}
/* Item i of list field map[key] when it is a string scalar, else NULL
 * (decode already reported an item of the wrong type). */
const struct ynode *schema_string_item(const struct ynode *map, const char *key,
                                       size_t i);

/* ---- string formats (util.c) ---- */

/*
 * One CRD string type: its length limits, in characters as the API server
 * counts them (the CRDs use minLength 0 or 1 only), and its pattern as a
 * predicate, described in words for messages.
 */
struct str_format {
    const char *name; /* "is not a valid <name>" */
    size_t min, max;  /* max 0: no limit */
    bool (*match)(const char *s);
    const char *allowed; /* what match() accepts */
    /* The valid value a mismatch most likely meant, in buf, or NULL. */
    const char *(*fix)(const char *s, char buf[32]);
};

extern const struct str_format schema_fmt_dns_subdomain, schema_fmt_dns_label,
    schema_fmt_dns1035_label, schema_fmt_hostname, schema_fmt_duration,
    schema_fmt_grpc_service, schema_fmt_grpc_method, schema_fmt_request_path,
    schema_fmt_text_1024;
/* The gwc.dev policies' (formats_policy.c). */
extern const struct str_format schema_fmt_policy_header, schema_fmt_policy_path,
    schema_fmt_realm, schema_fmt_redirect_value, schema_fmt_http_url,
    schema_fmt_param_name, schema_fmt_content_type, schema_fmt_cookie_name,
    schema_fmt_cookie_path, schema_fmt_body, schema_fmt_secret_key, schema_fmt_cidr;
/* RoutingTest's (test.c). */
extern const struct str_format schema_fmt_test_case_name, schema_fmt_test_method,
    schema_fmt_test_url, schema_fmt_test_sni, schema_fmt_test_backend,
    schema_fmt_test_location;

/* The formats the field tables name, indexed by enum field_format. */
extern const struct str_format *const schema_formats[FMT__COUNT];
/* Does v pass f's length limits and pattern (what schema_check_string()
 * would accept, silently)? */
bool schema_string_ok(const char *v, const struct str_format *f);

bool schema_is_hostname(const char *s);
/* GEP-2257 duration to milliseconds; false when it is not one. */

/* The characters of a request path (HTTPRoute path matches): offset of the
 * first one ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$ refuses,
 * or SIZE_MAX. */
size_t schema_path_char_error(const char *s);
#define PATH_CHARS_WORDS "letters, digits, -._~!$&'()*+,;=:@/ and %XX escapes"

enum qname_problem { QNAME_OK, QNAME_INVALID, QNAME_PREFIX_TOO_LONG };
/* A label or annotation key: [prefix/]name, the prefix a DNS subdomain of
 * at most max_prefix characters, the name 1-63 characters. */
enum qname_problem schema_qualified_name_problem(const char *key,
                                                 size_t max_prefix);
extern const char schema_qualified_name_allowed[];

/* ---- generic checks (field.c) ---- */

/* v against f at node at; 'what' names the field.  True when valid. */
bool schema_check_string(struct schema *s, const struct ynode *at, const char *what,
                         const char *v, const struct str_format *f);
/* map[key] when set. */
void schema_check_str(struct schema *s, const struct ynode *map, const char *key,
                      const char *v, const struct str_format *f);
/* Every item of list map[key], each named 'what'. */
void schema_check_str_list(struct schema *s, const struct ynode *map,
                           const char *key, const char *what, const char *const *v,
                           size_t n, const struct str_format *f);
/* map[key] in [min, max] when set (max NO_MAX: no upper bound). */
void schema_check_int(struct schema *s, const struct ynode *map, const char *key,
                      int64_t v, int64_t min, int64_t max);
/* v, at node at, one of the NULL-terminated 'allowed'. */
void schema_check_enum_at(struct schema *s, const struct ynode *at,
                          const char *what, const char *v,
                          const char *const *allowed);
/* map[key] one of 'allowed' when set. */
void schema_check_enum(struct schema *s, const struct ynode *map, const char *key,
                       const char *v, const char *const *allowed);
/* An enum field of the model (FT_ENUM): map[key] one of its table's names
 * when set.  The decoder kept an unknown name as _OTHER; the message names
 * the value as written, like schema_check_enum's. */
void schema_check_enum_field(struct schema *s, const struct ynode *map,
                             const char *key, int v, const char *const *names);
/* Enum field map[key] as the manifest writes it; "" when absent. */
const char *schema_enum_text(const struct ynode *map, const char *key, int v,
                             const char *const *names);
/* Item counts of list map[key] when it is given (absent lists take their
 * default or are reported missing elsewhere). */
void schema_check_count(struct schema *s, const struct ynode *map, const char *key,
                        size_t n, size_t min, size_t max);
/* Entry count (maxProperties) and every value of string map map[key]. */
void schema_check_map(struct schema *s, const struct ynode *map, const char *key,
                      const struct strmap *m, size_t max,
                      const struct str_format *values);
/* For fields the decode tables leave optional but a CRD requires (or whose
 * requirement depends on the version): absent or null is reported.  given
 * is the field's *_GIVEN_* bit; map (NULL: the struct is absent) is where
 * the report points. */
bool schema_check_required(struct schema *s, const struct ynode *map, bool given,
                           const char *key, const char *type_name);
/* Duration v (valid: schema_fmt_duration) at node at in [min_ms, max_ms]. */
void schema_check_duration(struct schema *s, const struct ynode *at, const char *key,
                           const char *v, int64_t min_ms, int64_t max_ms);
/* A regular expression must compile with the PCRE2 nginx links. */
void schema_check_regex(struct schema *s, const struct ynode *at,
                        const char *pattern);

/* ---- the field tables' limits (limits.c) ---- */

/* Every limit the field tables give the fields of s->obj (model.h): string
 * formats, numeric bounds, item counts and enum names. */
void schema_check_limits(struct schema *s);

/* ---- keyed lists (unique.c) ---- */

/* First occurrences by key: an open-addressing table in the arena, so a
 * list of n items is checked in O(n) whatever its length. */
struct seen_slot {
    const char *key;
    const struct ynode *at;
    size_t index;
};

struct seen {
    struct strhash keys; /* struct seen_slot * by key */
    bool fold_case;      /* ASCII case-insensitive keys (header names) */
    bool on;             /* off for fewer than two items */
};

/* Room for n keys, in a: the trees' arena (c->tree), since the table is
 * scratch of validation, dead with the trees. */
void schema_seen_init(struct seen *t, struct arena *a, size_t n, bool fold_case);
/* The earlier slot with an equal key, or NULL after recording this one. */
const struct seen_slot *schema_seen_add(struct seen *t, const char *key,
                                        const struct ynode *at, size_t index);
/* schema_seen_add(), and when an earlier item has key: a report at at
 * (code, fmt), with note at the earlier one ("first listed here").
 * Returns the earlier item's slot, or NULL. */
const struct seen_slot *schema_seen_repeat(struct schema *s, struct seen *t,
                                           const char *key, const struct ynode *at,
                                           size_t index, const char *note,
                                           enum diag_code code, const char *fmt, ...)
    SCHEMA_PRINTF(8, 9);
/* List map[key] of addresses and CIDR blocks (FMT_CIDR): each one nginx
 * reads as written (no bits past the prefix, which it would silently
 * clear), and distinct once normalized. */
void schema_check_cidrs(struct schema *s, const struct ynode *map, const char *key,
                        const char *const *v, size_t n);
/* listType=set: items of map[key] must be distinct. */
void schema_check_set(struct schema *s, const struct ynode *map, const char *key,
                      const char *const *v, size_t n);

/* ---- shared parts (meta.c, refs.c) ---- */

void schema_meta(struct schema *s);
/* Keys of a label or annotation map, the prefix at most max_prefix long. */
void schema_check_label_keys(struct schema *s, const struct strmap *m,
                             const char *what, size_t max_prefix);

/* BackendObjectReference: a core Service needs a port (CEL). */
void schema_check_backend_object_ref(struct schema *s,
                                     const struct backend_object_ref *r);
void schema_check_backend_ref(struct schema *s, const struct backend_ref *b);
/* parentRefs' sectionName rules (CEL). */
void schema_check_parent_refs(struct schema *s, const struct parent_ref *v,
                              size_t n);

/* References to one target must all set distinct sectionNames, or none. */
struct section_ref {
    const struct ynode *at;
    const char *target; /* "Gateway 'infra/gw'", for messages */
    const char *key;    /* identity of the target */
    const char *section;
};
void schema_check_distinct_sections(struct schema *s, enum diag_code code,
                                    const struct section_ref *v, size_t n);

/* ---- kinds ---- */

void schema_gateway(struct schema *s);
void schema_listener_set(struct schema *s);
/* Gateway and ListenerSet listeners; in_set: ListenerSet entries. */
void schema_check_listeners(struct schema *s, const struct listener *v, size_t n,
                            bool in_set);
void schema_route(struct schema *s);
/* Core kinds gwc routes with (meta.c). */
void schema_service(struct schema *s);
void schema_endpoint_slice(struct schema *s);
void schema_routing_test(struct schema *s);
void schema_backend_tls_policy(struct schema *s);
/* ClientPolicy, AccessPolicy, BackendPolicy (gwc_policy.c). */
void schema_gwc_policy(struct schema *s);

/* Route parts, called by schema_route(). */
void schema_check_http_rule(struct schema *s, const struct route_rule *r);
/* An HTTPRoute rule's matches as the API server counts them: the CRD
 * default (one PathPrefix "/" match) fills an absent list but not an empty
 * one, which the model's defaults fill too. */
size_t schema_http_match_count(const struct route_rule *r);
void schema_check_grpc_rule(struct schema *s, const struct route_rule *r);
/* Header or query parameter matches, a list keyed by name. */
void schema_check_value_matches(struct schema *s, const char *key,
                                const struct value_match *v, size_t n);

enum filter_set { FILTERS_HTTP, FILTERS_GRPC };
/* The filters of a rule or of a backendRef. */
void schema_check_filters(struct schema *s, const struct route_filter *v, size_t n,
                          enum filter_set set);
/* A RequestRedirect (redirect) or URLRewrite filter whose path replaces
 * the prefix match, as the ReplacePrefixMatch CEL rules test it. */
bool schema_filter_replaces_prefix(const struct route_filter *f, bool redirect);

#endif
