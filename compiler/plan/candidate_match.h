/* Inside plan/: what one candidate asks of a request (candidate_match.c),
 * for the locations of a server (locations.c) and explain/. */
#ifndef GWC_PLAN_CANDIDATE_MATCH_H
#define GWC_PLAN_CANDIDATE_MATCH_H

#include "plan_internal.h"

/* How a candidate's path reads in nginx terms. */
struct path_form {
    enum location_kind kind; /* LOC_EXACT, LOC_PREFIX or LOC_REGEX */
    const char *path;        /* normalized prefix, exact path, or pattern */
};
struct path_form plan_path_form_of(struct arena *a, const struct candidate *c);

/* The runtime conditions of one candidate: map variables that must all be
 * "1"; path_var first when given. */
struct cond_set {
    const char **vars;
    size_t n;
    bool impossible; /* a condition nginx can never see satisfied */
};
struct cond_set plan_candidate_conditions(struct planner *p, const struct candidate *c,
                                          const char *path_var);

/* Whether a request that reached location loc can be one for cand: the
 * regex positions order regex locations in the config. */
enum reach { REACH_NEVER, REACH_ALWAYS, REACH_IF_PATH };
enum reach plan_location_reaches(const struct path_form *cand,
                                 const struct path_form *loc, size_t cand_regex,
                                 size_t loc_regex);
/* The runtime path condition of a candidate inside a regex location. */
const char *plan_path_condition(struct planner *p, const struct path_form *f);

#endif
