/* Unit tests: every field table row is consistent with its type, and the
 * string formats the rows name accept and refuse what the CRDs do, at
 * their boundaries. */
#include "unit.h"

#include "model/model.h"
#include "schema/schema.h"

#include <stdio.h>
#include <string.h>

/* ---- the tables ---- */

#define MAX_TABLES 512

struct visit {
    const struct table *seen[MAX_TABLES];
    size_t n;
};

static bool first_visit(struct visit *v, const struct table *t)
{
    size_t i;

    for (i = 0; i < v->n; i++) {
        if (v->seen[i] == t)
            return false;
    }
    ck_assert_uint_lt(v->n, MAX_TABLES);
    v->seen[v->n++] = t;
    return true;
}

static bool is_string(enum ftype t)
{
    return t == FT_STRING || t == FT_STRING_LIST;
}

static bool is_counted(enum ftype t)
{
    return t == FT_LIST || t == FT_STRING_LIST || t == FT_INT_LIST || t == FT_MAP;
}

static void check_names_unique(const char *where, const char *const *v, size_t from)
{
    size_t i, j;

    for (i = from; v[i]; i++) {
        ck_assert_msg(*v[i] || from == 0, "%s: empty name at %zu", where, i);
        for (j = from; j < i; j++)
            ck_assert_msg(strcmp(v[i], v[j]) != 0, "%s: '%s' twice", where, v[i]);
    }
}

static void check_limits(const char *where, const struct field *f)
{
    const struct field_limits *l = f->lim;

    if (l->ranged) {
        ck_assert_msg(f->type == FT_INT32 || f->type == FT_INT64 ||
                          (f->type == FT_STRING && l->format == FMT_DURATION),
                      "%s: bounds on a non-integer, non-duration", where);
        ck_assert_msg(l->min <= l->max, "%s: min > max", where);
        ck_assert_msg(f->type != FT_INT32 || l->min >= INT32_MIN,
                      "%s: min below 32 bits", where);
        ck_assert_msg(f->type != FT_INT32 || l->max <= INT32_MAX ||
                          l->max == INT64_MAX,
                      "%s: max beyond 32 bits (INT64_MAX: no maximum)", where);
    }
    ck_assert_msg(l->format < FMT__COUNT, "%s: format out of range", where);
    ck_assert_msg(!l->format || is_string(f->type) || f->type == FT_MAP,
                  "%s: a format on a field that is not a string", where);
    ck_assert_msg(!l->allowed || is_string(f->type),
                  "%s: allowed values on a field that is not a string", where);
    ck_assert_msg(!(l->allowed && l->format), "%s: both a format and values",
                  where);
    if (l->allowed) {
        ck_assert_msg(l->allowed[0] != NULL, "%s: no allowed value", where);
        check_names_unique(where, l->allowed, 0);
    }
    ck_assert_msg(!l->max_items || is_counted(f->type),
                  "%s: an item count on a field that is not a list or map", where);
    ck_assert_msg(!l->max_items || l->min_items <= l->max_items,
                  "%s: min items > max items", where);
    ck_assert_msg(l->max_items || !l->min_items, "%s: min items without max",
                  where);
    ck_assert_msg(f->type != FT_MAP || l->format,
                  "%s: a map's limits without a "
                  "value format",
                  where);
    ck_assert_msg(f->type != FT_STRING_LIST || !(l->format || l->allowed) ||
                      l->item,
                  "%s: string items checked but not named", where);
    ck_assert_msg(l->ranged || l->format || l->allowed || l->max_items,
                  "%s: limits that limit nothing", where);
}

/* A row's default is a value its own limits admit, of the row's type. */
static void check_default(const char *where, const struct field *f)
{
    const struct field_default *d = f->def;
    const struct field_limits *l = f->lim;
    size_t i;

    switch (f->type) {
    case FT_STRING:
        ck_assert_msg(d->str != NULL, "%s: a string default without a string", where);
        ck_assert_msg(!l || !l->format || schema_format_ok(l->format, d->str),
                      "%s: default '%s' is no %s", where, d->str,
                      schema_format_name(l->format));
        for (i = 0; l && l->allowed && l->allowed[i]; i++) {
            if (strcmp(l->allowed[i], d->str) == 0)
                break;
        }
        ck_assert_msg(!l || !l->allowed || l->allowed[i],
                      "%s: default '%s' is not an allowed value", where, d->str);
        return;
    case FT_ENUM:
        ck_assert_msg(d->str != NULL, "%s: an enum default without its name", where);
        for (i = 1; f->names[i]; i++) {
            if (strcmp(f->names[i], d->str) == 0)
                break;
        }
        ck_assert_msg(f->names[i] != NULL, "%s: default '%s' is not a value", where,
                      d->str);
        return;
    case FT_INT32:
    case FT_INT64:
        ck_assert_msg(!l || !l->ranged || (d->num >= l->min && d->num <= l->max),
                      "%s: default %lld out of range", where, (long long)d->num);
        ck_assert_msg(f->type != FT_INT32 || (d->num >= INT32_MIN && d->num <= INT32_MAX),
                      "%s: default beyond 32 bits", where);
        return;
    case FT_BOOL:
        ck_assert_msg(d->num == 0 || d->num == 1, "%s: a boolean default not 0 or 1",
                      where);
        return;
    default:
        ck_abort_msg("%s: a default on a field of a type that takes none", where);
    }
}

static void check_default_flags(const char *where, const struct field *f)
{
    ck_assert_msg(!(f->flags & FIELD_DEFAULT_EMPTY) ||
                      ((f->type == FT_OBJECT || f->type == FT_OBJECT_PTR ||
                        f->type == FT_LIST) &&
                       !f->def),
                  "%s: FIELD_DEFAULT_EMPTY on a field that is no object or list",
                  where);
    ck_assert_msg(!(f->flags & FIELD_EMPTY_AS_ABSENT) ||
                      (f->type == FT_LIST && (f->flags & FIELD_DEFAULT_EMPTY)),
                  "%s: FIELD_EMPTY_AS_ABSENT without a list's FIELD_DEFAULT_EMPTY",
                  where);
    ck_assert_msg(!f->def || !(f->flags & (FIELD_REQUIRED | FIELD_REQUIRED_IN_SCHEMA)),
                  "%s: a required field with a default", where);
}

/* A row's present bit is one bit of a byte its table has, its own. */
static void check_given(const char *where, const struct table *t,
                        const struct field *f)
{
    unsigned bit = FIELD_GIVEN_BIT(f->flags);
    const struct field *g;

    ck_assert_msg(f->flags >> 16 == 0, "%s: a present bit beyond 8", where);
    if (!bit)
        return;
    ck_assert_msg(t->present_offset != 0, "%s: a present bit, no present byte", where);
    ck_assert_msg((bit & (bit - 1)) == 0, "%s: more than one present bit", where);
    for (g = t->fields; g != f; g++)
        ck_assert_msg(FIELD_GIVEN_BIT(g->flags) != bit, "%s: %s's present bit", where,
                      g->key);
}

static void check_table(struct visit *v, const struct table *t);

static void check_field(struct visit *v, const struct table *t,
                        const struct field *f)
{
    char where[160];

    snprintf(where, sizeof(where), "%s.%s", t->name, f->key);
    ck_assert_msg(*f->key, "%s: empty key", t->name);
    ck_assert_msg((f->type == FT_ENUM) == (f->names != NULL),
                  "%s: names go with FT_ENUM, and only with it", where);
    ck_assert_msg(!(f->flags & FIELD_ENUM_BY_RULE) || f->type == FT_ENUM,
                  "%s: FIELD_ENUM_BY_RULE on a field that is not an enum", where);
    ck_assert_msg(!(f->flags & FIELD_REQUIRED) ||
                      !(f->flags & FIELD_REQUIRED_IN_SCHEMA),
                  "%s: required twice", where);
    if (f->names) {
        /* Index 0 is "not given", the terminating NULL "_OTHER". */
        ck_assert_msg(f->names[0] == NULL && f->names[1] != NULL,
                      "%s: enum names start at 1", where);
        check_names_unique(where, f->names, 1);
    }
    ck_assert_msg((f->type == FT_OBJECT || f->type == FT_OBJECT_PTR || f->type == FT_LIST) ==
                      (f->sub != NULL),
                  "%s: a sub-table goes with objects and lists, and only them",
                  where);
    ck_assert_msg(f->type != FT_LIST || f->sub->size > 0,
                  "%s: a list's items need their size", where);
    ck_assert_msg(!f->lim || (f->type != FT_IGNORE && f->type != FT_NODE &&
                              f->type != FT_OBJECT && f->type != FT_OBJECT_PTR &&
                              f->type != FT_BOOL),
                  "%s: limits on a field that has none", where);
    if (f->lim)
        check_limits(where, f);
    if (f->def)
        check_default(where, f);
    check_default_flags(where, f);
    check_given(where, t, f);
    if (f->sub)
        check_table(v, f->sub);
}

static void check_table(struct visit *v, const struct table *t)
{
    const struct field *f, *g;

    if (!first_visit(v, t))
        return;
    ck_assert_ptr_nonnull(t->name);
    for (f = t->fields; f->key; f++) {
        for (g = t->fields; g != f; g++)
            ck_assert_msg(strcmp(f->key, g->key) != 0, "%s.%s twice", t->name,
                          f->key);
        check_field(v, t, f);
    }
}

START_TEST(tables_consistent)
{
    struct visit v = {.n = 0};
    int k;

    for (k = 0; k < KIND__COUNT; k++)
        check_table(&v, model_kind_table((enum kind)k));
    ck_assert_uint_gt(v.n, 50);
}
END_TEST

/* Every format is described (schema_formats[] has a row for it). */
START_TEST(formats_described)
{
    int f;

    ck_assert_ptr_null(schema_format_name(FMT_NONE));
    for (f = FMT_NONE + 1; f < FMT__COUNT; f++)
        ck_assert_msg(schema_format_name((enum field_format)f) != NULL,
                      "format %d has no description", f);
}
END_TEST

/* ---- the formats, at their boundaries ---- */

static char buf[16384];

/* n copies of unit (a string of one or more bytes), then tail. */
static const char *rep(const char *unit, size_t n, const char *tail)
{
    size_t i, k = strlen(unit);

    ck_assert_uint_lt(n * k + strlen(tail), sizeof(buf));
    for (i = 0; i < n; i++)
        memcpy(buf + i * k, unit, k);
    strcpy(buf + n * k, tail);
    return buf;
}

#define OK(fmt, v) ck_assert_msg(schema_format_ok(fmt, v), #fmt " refuses '%s'", v)
#define NO(fmt, v) ck_assert_msg(!schema_format_ok(fmt, v), #fmt " accepts '%s'", v)

START_TEST(dns_label)
{
    enum field_format fmts[] = {FMT_DNS_LABEL, FMT_NAMESPACE};
    size_t i;

    for (i = 0; i < 2; i++) {
        OK(fmts[i], "a");
        OK(fmts[i], "a-1");
        OK(fmts[i], "0a");
        OK(fmts[i], rep("a", 63, ""));
        NO(fmts[i], rep("a", 64, ""));
        NO(fmts[i], "");
        NO(fmts[i], "A");
        NO(fmts[i], "-a");
        NO(fmts[i], "a-");
        NO(fmts[i], "a.b");
        NO(fmts[i], "a_b");
    }
}
END_TEST

START_TEST(dns_subdomain)
{
    enum field_format fmts[] = {FMT_DNS_SUBDOMAIN, FMT_SECTION_NAME,
                                FMT_PRECISE_HOSTNAME};
    size_t i;

    for (i = 0; i < 3; i++) {
        OK(fmts[i], "a.b-c.d");
        /* 63 + '.' four times is 256: 62 + '.' four times, then 'a'. */
        OK(fmts[i],
           rep("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.", 4,
               "a"));
        ck_assert_uint_eq(strlen(buf), 253);
        NO(fmts[i],
           rep("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.", 4,
               "ab"));
        NO(fmts[i], "");
        NO(fmts[i], "A.b");
        NO(fmts[i], "-a.b");
        NO(fmts[i], "a..b");
        NO(fmts[i], "a.");
        NO(fmts[i], "*.a");
    }
}
END_TEST

START_TEST(hostname)
{
    OK(FMT_HOSTNAME, "*.example.com");
    OK(FMT_HOSTNAME, "example.com");
    NO(FMT_HOSTNAME, "a.*.com");
    NO(FMT_HOSTNAME, "*");
    NO(FMT_HOSTNAME, "Example.com");
    NO(FMT_HOSTNAME, "");
    NO(FMT_HOSTNAME, rep("a.", 127, "a"));
}
END_TEST

START_TEST(group_and_kind)
{
    OK(FMT_GROUP, "");
    OK(FMT_GROUP, "gateway.networking.k8s.io");
    NO(FMT_GROUP, "Gateway.networking.k8s.io");
    NO(FMT_GROUP, "-a");
    OK(FMT_KIND, "Gateway");
    OK(FMT_KIND, rep("a", 63, ""));
    NO(FMT_KIND, rep("a", 64, ""));
    NO(FMT_KIND, "");
    NO(FMT_KIND, "1Gateway");
    NO(FMT_KIND, "Gateway-");
}
END_TEST

START_TEST(header_name)
{
    OK(FMT_HEADER_NAME, "X-Custom_1");
    OK(FMT_HEADER_NAME, rep("a", 256, ""));
    NO(FMT_HEADER_NAME, rep("a", 257, ""));
    NO(FMT_HEADER_NAME, "");
    NO(FMT_HEADER_NAME, "a b");
    NO(FMT_HEADER_NAME, "a:b");
    NO(FMT_QUERY_NAME, "a=b");
}
END_TEST

/* Lengths are characters, as the API server counts them, not bytes. */
START_TEST(lengths_in_characters)
{
    OK(FMT_HEADER_VALUE, rep("\xc3\xa9", 4096, ""));
    NO(FMT_HEADER_VALUE, rep("\xc3\xa9", 4097, ""));
    NO(FMT_HEADER_VALUE, "");
    OK(FMT_PATH, rep("/", 1024, ""));
    NO(FMT_PATH, rep("/", 1025, ""));
    OK(FMT_PATH, "");
    OK(FMT_LABEL_VALUE, "");
    OK(FMT_LABEL_VALUE, rep("a", 63, ""));
    NO(FMT_LABEL_VALUE, rep("a", 64, ""));
    NO(FMT_LABEL_VALUE, "-a");
}
END_TEST

START_TEST(duration)
{
    OK(FMT_DURATION, "10s");
    OK(FMT_DURATION, "1h30m");
    OK(FMT_DURATION, "500ms");
    OK(FMT_DURATION, "99999s");
    NO(FMT_DURATION, "100000s");
    NO(FMT_DURATION, "10");
    NO(FMT_DURATION, "1.5s");
    NO(FMT_DURATION, "1h1m1s1ms1h");
    NO(FMT_DURATION, "");
}
END_TEST

/* The gwc.dev policies' and RoutingTest's own formats. */
START_TEST(policy_formats)
{
    OK(FMT_POLICY_HEADER, "X-Real-IP");
    OK(FMT_POLICY_HEADER, rep("a", 128, ""));
    NO(FMT_POLICY_HEADER, rep("a", 129, ""));
    NO(FMT_POLICY_HEADER, "X_Real_IP");
    NO(FMT_POLICY_HEADER, "-a");
    NO(FMT_POLICY_HEADER, "");
    OK(FMT_SECRET_KEY, "tls.crt");
    OK(FMT_SECRET_KEY, rep("a", 253, ""));
    NO(FMT_SECRET_KEY, rep("a", 254, ""));
    NO(FMT_SECRET_KEY, "a/b");
    OK(FMT_HTTP_URL, "https://auth.example.com:8443/check?x=1");
    NO(FMT_HTTP_URL, "ftp://auth.example.com");
    NO(FMT_HTTP_URL, "http://a.example/$x");
    OK(FMT_COOKIE_PATH, "/a");
    NO(FMT_COOKIE_PATH, "a");
    NO(FMT_COOKIE_PATH, "/a;b");
    OK(FMT_REALM, "");
    OK(FMT_REALM, rep("a", 64, ""));
    NO(FMT_REALM, rep("a", 65, ""));
    NO(FMT_REALM, "a\"b");
    OK(FMT_TEST_METHOD, "GET");
    OK(FMT_TEST_METHOD, rep("A", 16, ""));
    NO(FMT_TEST_METHOD, rep("A", 17, ""));
    NO(FMT_TEST_METHOD, "get");
    OK(FMT_TEST_URL, "http://a/");
    NO(FMT_TEST_URL, "a.example/");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fields");
    TCase *tables = tcase_create("tables");
    TCase *formats = tcase_create("formats");

    tcase_add_test(tables, tables_consistent);
    tcase_add_test(tables, formats_described);
    suite_add_tcase(s, tables);
    tcase_add_test(formats, dns_label);
    tcase_add_test(formats, dns_subdomain);
    tcase_add_test(formats, hostname);
    tcase_add_test(formats, group_and_kind);
    tcase_add_test(formats, header_name);
    tcase_add_test(formats, lengths_in_characters);
    tcase_add_test(formats, duration);
    tcase_add_test(formats, policy_formats);
    suite_add_tcase(s, formats);
    return unit_run(s);
}
