/* Placeholder: the controller lands here. */
#include "validate_internal.h"

#include <string.h>

void controller_build(struct compilation *c, struct model *m,
                      const struct validate_options *o, struct controller *out)
{
    (void)c;
    (void)o;
    memset(out, 0, sizeof(*out));
    out->model = m;
}
