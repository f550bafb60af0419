#include "ptrvec.h"

#include "arena.h"

#include <stdlib.h>
#include <string.h>

void ptrvec_push(struct arena *a, struct ptrvec *pv, void *p)
{
    if (pv->n == pv->cap) {
        size_t cap = pv->cap ? pv->cap * 2 : 8;
        void **v = ARENA_NEW_ARRAY(a, void *, cap);
        if (pv->n)
            memcpy(v, pv->v, pv->n * sizeof(*v));
        pv->v = v;
        pv->cap = cap;
    }
    pv->v[pv->n++] = p;
}

void ptrvec_sort(struct ptrvec *pv, int (*cmp)(const void *, const void *))
{
    if (pv->n > 1)
        qsort(pv->v, pv->n, sizeof(*pv->v), cmp);
}
