/* Unit tests: the condition catalogue (controller/conditions.def) and the
 * one-per-type rule of a condition list. */
#include "unit.h"

#include "base/str.h"
#include "controller/controller.h"

#include <string.h>

/* metav1.Condition's reason: ^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$ */
static bool valid_reason(const char *s)
{
    size_t n = strlen(s);

    return n > 0 && n <= 1024 &&
           str_has_char("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                        s[0]) &&
           strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                     "0123456789_,:") == n &&
           s[n - 1] != ',' && s[n - 1] != ':';
}

/* metav1.Condition's type, unqualified (gwc defines no domain-prefixed
 * types): ^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$, at most 316. */
static bool valid_type(const char *s)
{
    static const char alnum[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        "0123456789";
    size_t n = strlen(s);

    return n > 0 && n <= 316 && str_has_char(alnum, s[0]) &&
           str_has_char(alnum, s[n - 1]) &&
           strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                     "0123456789-_.") == n;
}

START_TEST(type_names_valid_and_unique)
{
    int i, j;

    for (i = 0; i < COND__COUNT; i++) {
        const char *a = ctl_cond_type_name((enum cond_type)i);
        ck_assert_msg(a && valid_type(a), "condition type %d: bad name", i);
        for (j = 0; j < i; j++)
            ck_assert_msg(strcmp(a, ctl_cond_type_name((enum cond_type)j)) != 0,
                          "condition type %s is in the catalogue twice", a);
    }
}
END_TEST

START_TEST(reason_names_valid_and_unique)
{
    int i, j;

    for (i = REASON_NONE + 1; i < REASON__COUNT; i++) {
        const char *a = ctl_reason_name((enum cond_reason)i);
        ck_assert_msg(a && valid_reason(a), "reason %d: bad name", i);
        for (j = REASON_NONE + 1; j < i; j++)
            ck_assert_msg(strcmp(a, ctl_reason_name((enum cond_reason)j)) != 0,
                          "reason %s is in the catalogue twice", a);
    }
}
END_TEST

/* Status holds one condition per type: setting it again replaces it in
 * place, so the order conditions are written in stays the order they were
 * first set in. */
START_TEST(set_replaces_in_place)
{
    struct conditions cs = {0};
    const struct condition *c;

    ctl_conditions_set(&cs, COND_ACCEPTED, true, REASON_ACCEPTED, NULL);
    ctl_conditions_set(&cs, COND_RESOLVED_REFS, true, REASON_RESOLVED_REFS, "");
    ctl_conditions_set(&cs, COND_ACCEPTED, false, REASON_NOT_ALLOWED_BY_LISTENERS,
                       "no");
    ck_assert_uint_eq(cs.n, 2);
    ck_assert_int_eq(cs.v[0].type, COND_ACCEPTED);
    ck_assert_int_eq(cs.v[1].type, COND_RESOLVED_REFS);
    c = ctl_conditions_get(&cs, COND_ACCEPTED);
    ck_assert_ptr_eq(c, &cs.v[0]);
    ck_assert(!c->status);
    ck_assert_int_eq(c->reason, REASON_NOT_ALLOWED_BY_LISTENERS);
    ck_assert_str_eq(c->message, "no");
    ck_assert_str_eq(cs.v[1].message, "");
    ck_assert_ptr_null(ctl_conditions_get(&cs, COND_PROGRAMMED));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("conditions");
    TCase *tc = tcase_create("catalogue");

    tcase_add_test(tc, type_names_valid_and_unique);
    tcase_add_test(tc, reason_names_valid_and_unique);
    tcase_add_test(tc, set_replaces_in_place);
    suite_add_tcase(s, tc);
    return unit_run(s);
}
