/* The validate stage's driver: the API server first, then the controller. */
#include "controller_internal.h"

#include "base/compilation.h"

#include <string.h>

bool ctl_model(struct compilation *c, struct model *m,
               const struct validate_options *o, struct controller *out)
{
    unsigned before = c->diags.class_errors[DCLASS_MANIFEST];

    schema_check(c, m);
    ctl_controller_build(c, m, o, out);
    return c->diags.class_errors[DCLASS_MANIFEST] == before;
}
