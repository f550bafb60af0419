/* The table of source controllers, which detection and --provider read.
 * A leaf: the driver and detect.c call it, it calls neither. */
#include "import_internal.h"

#include "base/str.h"

/* Every provider, in the order --provider lists them. */
const struct imp_provider *const imp_providers[] = {
    &nx_provider, &nic_provider, &tr_provider, &ct_provider, NULL,
};

const struct imp_provider *imp_provider_find(const char *name)
{
    size_t i;

    for (i = 0; imp_providers[i]; i++) {
        if (str_eq(imp_providers[i]->name, name))
            return imp_providers[i];
    }
    return NULL;
}

bool imp_crd_groups(const char **out, size_t max)
{
    size_t i, k, n = 0;

    for (i = 0; imp_providers[i]; i++) {
        for (k = 0; imp_providers[i]->crd_groups[k]; k++) {
            if (n + 1 >= max)
                return false;
            out[n++] = imp_providers[i]->crd_groups[k];
        }
    }
    out[n] = NULL;
    return true;
}
