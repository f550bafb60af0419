/*
 * Address lists as ingress-nginx reads them (allow and deny lists, the
 * rate-limit exemptions, the ConfigMap's proxy-real-ip-cidr).
 */
#include "nx.h"

#include "base/arena.h"

/* A comma list of addresses and CIDR blocks as ingress-nginx reads it
 * (each entry as value_cidr reads it; an empty entry is none): NULL, with
 * *why, when an entry is neither or gwc refuses it. */
const char **nx_pol_cidrs(struct imp *im, const char *value, size_t max, size_t *n,
                          const char **why)
{
    const char **items = imp_value_split_list(im->a, value, n), **out;
    size_t i, entries = 1;

    for (i = 0; value[i]; i++)
        entries += value[i] == ',';
    if (entries != *n) {
        *why = "an empty entry is not an address";
        return NULL;
    }
    if (*n > max) {
        *why = arena_printf(im->a, "%zu entries (gwc takes at most %zu)", *n, max);
        return NULL;
    }
    out = ARENA_NEW_ARRAY(im->a, const char *, *n);
    for (i = 0; i < *n; i++) {
        if (!(out[i] = imp_value_cidr(im, items[i], why)))
            return NULL;
    }
    return out;
}
