/* What filters and policies both write into a handler: its headers and
 * its extras. */
#include "plan_internal.h"

#include "base/arena.h"
#include "base/str.h"

#include <string.h>

void plan_header_push(struct arena *a, struct plan_header **v, size_t *n,
                      struct plan_header h)
{
    struct plan_header *nv;
    size_t i;

    nv = ARENA_NEW_ARRAY(a, struct plan_header, *n + 1);
    if (*n)
        memcpy(nv, *v, *n * sizeof(*nv));
    for (i = 0; i < *n; i++) {
        if (str_eq_nocase(nv[i].name, h.name)) {
            nv[i] = h;
            *v = nv;
            return;
        }
    }
    nv[(*n)++] = h;
    *v = nv;
}

const struct plan_handler_extra *plan_handler_extra(const struct plan_handler *h)
{
    static const struct plan_handler_extra none; /* REWRITE_NONE, NULLs */

    return h->extra ? h->extra : &none;
}

struct plan_handler_extra *plan_handler_extra_mut(struct planner *p, struct plan_handler *h)
{
    if (!h->extra)
        h->extra = ARENA_NEW(p->a, struct plan_handler_extra);
    return h->extra;
}
