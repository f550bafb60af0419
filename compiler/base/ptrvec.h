/* A growable array of pointers whose storage lives in an arena. */
#ifndef GWC_PTRVEC_H
#define GWC_PTRVEC_H

#include <stddef.h>

struct arena;

struct ptrvec {
    void **v;
    size_t n, cap;
};

void ptrvec_push(struct arena *a, struct ptrvec *pv, void *p);
/* Sorts with a comparator over element pointers (as qsort passes them). */
void ptrvec_sort(struct ptrvec *pv, int (*cmp)(const void *, const void *));

#endif
