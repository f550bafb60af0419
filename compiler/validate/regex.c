/*
 * Regular expressions are checked with the PCRE2 that nginx links (10.42 on
 * Debian 12), compiled with the options nginx uses: 0, or PCRE2_CASELESS for
 * ~*, and never PCRE2_UTF, so a pattern gwc accepts is one nginx accepts.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "validate_internal.h"

#include <pcre2.h>
#include <stdio.h>
#include <string.h>

bool regex_check(const char *pattern, bool caseless, char *err, size_t errlen,
                 size_t *offset)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, strlen(pattern),
                                   caseless ? PCRE2_CASELESS : 0, &code, &off, NULL);

    if (re) {
        pcre2_code_free(re);
        return true;
    }
    if (pcre2_get_error_message(code, (PCRE2_UCHAR *)err, errlen) < 0)
        snprintf(err, errlen, "PCRE2 error %d", code);
    *offset = off;
    return false;
}
