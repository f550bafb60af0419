/* Unit tests: how the arena reuses blocks it was handed. */
#include "unit.h"

#include "base/arena.h"

#include <string.h>

/*
 * A large request takes the smallest spare block that holds it, wherever
 * it is on the spare list: freed tree blocks come in every size, and a
 * request that looked only at the first one took fresh memory while the
 * others sat idle.  The debug build frees adopted blocks instead, so only
 * the normal build can show the reuse.
 */
START_TEST(arena_large_request_takes_the_best_spare_block)
{
#ifndef GWC_ARENA_DEBUG
    struct arena *a = arena_create(4096), *b = arena_create(4096);
    unsigned char *small, *large, *p;
    size_t i;

    /* Each request beyond a quarter block gets its own block, listed
     * behind the head, newest first; adoption reverses that, so the spare
     * list is: large, small, b's head. */
    large = arena_alloc(b, 300000, 1);
    small = arena_alloc(b, 50000, 1);
    memset(small, 0xff, 50000);
    memset(large, 0xff, 300000);
    arena_adopt(a, b);
    /* The first spare block (large) would hold it; the best one is small. */
    p = arena_alloc(a, 40000, 1);
    ck_assert_ptr_eq(p, small);
    for (i = 0; i < 40000; i++)
        ck_assert_uint_eq(p[i], 0);
    p = arena_alloc(a, 200000, 1);
    ck_assert_ptr_eq(p, large);
    for (i = 0; i < 200000; i++)
        ck_assert_uint_eq(p[i], 0);
    arena_destroy(a);
#endif
}
END_TEST

/* The first spare block is too small for a request that a later one
 * holds: the later one serves it, not fresh memory. */
START_TEST(arena_large_request_looks_past_the_first_spare_block)
{
#ifndef GWC_ARENA_DEBUG
    struct arena *a = arena_create(4096), *b = arena_create(4096);
    unsigned char *small, *large;

    small = arena_alloc(b, 50000, 1);
    large = arena_alloc(b, 300000, 1); /* spare list: small, large, head */
    arena_adopt(a, b);
    ck_assert_ptr_eq(arena_alloc(a, 100000, 1), large);
    ck_assert_ptr_eq(arena_alloc(a, 30000, 1), small);
    arena_destroy(a);
#endif
}
END_TEST

static Suite *arena_suite(void)
{
    Suite *s = suite_create("arena");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, arena_large_request_takes_the_best_spare_block);
    tcase_add_test(tc, arena_large_request_looks_past_the_first_spare_block);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run(arena_suite());
}
