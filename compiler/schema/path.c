/*
 * The characters of a request path the Gateway API CRDs allow:
 * ^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$.  A leaf, so that
 * the format table (util.c) and the policies' formats (formats_policy.c)
 * can both use it without calling each other.
 */
#include "schema_internal.h"

#include "base/str.h"

#include <ctype.h>

size_t schema_path_char_error(const char *s)
{
    const char *p;

    for (p = s; *p; p++) {
        if (*p == '%') {
            if (!isxdigit((unsigned char)p[1]) || !isxdigit((unsigned char)p[2]))
                return (size_t)(p - s);
            p += 2;
        } else if (!isalnum((unsigned char)*p) && !str_has_char("-/._~!$&'()*+,;=:@", *p)) {
            return (size_t)(p - s);
        }
    }
    return SIZE_MAX;
}
