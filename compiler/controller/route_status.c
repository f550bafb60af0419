/*
 * Route conditions per parent (docs/spec-notes.md, "Status conditions"): Accepted from attachment,
 * ResolvedRefs from the references (reported even when Accepted is False),
 * PartiallyInvalid when some rules were dropped.
 */
#include "controller_internal.h"

void ctl_route_conditions(struct ctx *x, struct route_state *rs)
{
    size_t i, dropped = 0;

    (void)x;
    for (i = 0; i < rs->n_rules; i++)
        dropped += rs->rules[i].dropped;
    for (i = 0; i < rs->n_parents; i++) {
        struct route_parent *rp = &rs->parents[i];

        if (rp->accepted && rs->unsupported) {
            ctl_conditions_set(&rp->conditions, COND_ACCEPTED, false,
                               REASON_UNSUPPORTED_VALUE, rs->unsupported);
            rp->accepted = false;
        }
        if (rp->accepted && rs->n_rules > 0 && dropped == rs->n_rules) {
            ctl_conditions_set(&rp->conditions, COND_ACCEPTED, false,
                               REASON_UNSUPPORTED_VALUE,
                               "no rule of the route can be programmed");
            rp->accepted = false;
        }
        if (rs->resolved)
            ctl_conditions_set(&rp->conditions, COND_RESOLVED_REFS, true,
                               REASON_RESOLVED_REFS, "");
        else
            ctl_conditions_set(&rp->conditions, COND_RESOLVED_REFS, false,
                               rs->refs_reason, rs->refs_message);
        if (rp->accepted && dropped && dropped < rs->n_rules)
            ctl_conditions_set(&rp->conditions, COND_PARTIALLY_INVALID, true,
                               REASON_UNSUPPORTED_VALUE,
                               "Dropped Rule(s): some rules cannot be programmed");
    }
}
