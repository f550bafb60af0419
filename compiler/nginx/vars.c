#include "vars.h"

#include "base/arena.h"
#include "base/str.h"

#include <ctype.h>

const char *nginx_header_variable(struct arena *a, const char *name)
{
    char *v = arena_printf(a, "http_%s", name), *p;

    for (p = v + 5; *p; p++) {
        if (*p == '-')
            *p = '_';
        else if (isalnum((unsigned char)*p))
            *p = (char)tolower((unsigned char)*p);
        else
            return NULL;
    }
    return v;
}

bool nginx_header_frames_message(const char *name)
{
    return str_eq_nocase(name, "content-length") || str_eq_nocase(name, "transfer-encoding");
}
