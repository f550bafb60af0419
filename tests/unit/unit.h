/* Shared helpers for the check-based unit tests. */
#ifndef GWC_TEST_UNIT_H
#define GWC_TEST_UNIT_H

#include <check.h>
#include <stdlib.h>

/* Runs one suite with TAP output (meson counts every case). */
static inline int unit_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;

    srunner_set_tap(sr, "-");
    srunner_run_all(sr, CK_SILENT);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
