/* Sizes of the gwc.dev policies: ^(0|[1-9][0-9]{0,6}(Ki|Mi|Gi)?)$ */
#include "model.h"

#include <string.h>

bool model_parse_size(const char *s, int64_t *bytes)
{
    int64_t v = 0;
    size_t digits = 0;

    if (strcmp(s, "0") == 0) {
        *bytes = 0;
        return true;
    }
    if (*s < '1' || *s > '9')
        return false;
    for (; *s >= '0' && *s <= '9'; s++, digits++) {
        if (digits == 7)
            return false;
        v = v * 10 + (*s - '0');
    }
    if (*s == '\0')
        *bytes = v;
    else if (strcmp(s, "Ki") == 0)
        *bytes = v << 10;
    else if (strcmp(s, "Mi") == 0)
        *bytes = v << 20;
    else if (strcmp(s, "Gi") == 0)
        *bytes = v << 30;
    else
        return false;
    return true;
}
