/* Shared between the files of the explain stage only. */
#ifndef GWC_EXPLAIN_INTERNAL_H
#define GWC_EXPLAIN_INTERNAL_H

#include "explain.h"

/* match.c: NULL when the candidate accepts the request, else why not. */
const char *explain_why_not(struct arena *a, const struct candidate *c,
                            const struct explain_request *r);

/* answer.c: what the handler of the winning candidate does. */
void explain_answer(struct arena *a, const struct plan *plan, const struct explain_request *r,
                    const struct candidate *winner, const struct plan_handler *h,
                    struct explain_result *out);

/* render.c: the node of a candidate's match, else of its rule. */
const struct ynode *explain_match_src(const struct candidate *c);

#endif
