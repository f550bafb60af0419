#include "ptrvec.h"

#include "arena.h"

#include <stdlib.h>
#include <string.h>

void ptrvec_push(struct arena *a, struct ptrvec *pv, void *p)
{
    ARENA_GROW(a, void *, pv->v, pv->n, pv->cap, 8);
    pv->v[pv->n++] = p;
}

void ptrvec_sort(struct ptrvec *pv, int (*cmp)(const void *, const void *))
{
    if (pv->n > 1)
        qsort(pv->v, pv->n, sizeof(*pv->v), cmp);
}
