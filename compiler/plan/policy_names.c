/*
 * What every part of the policy planning names the same way: a policy's
 * id (in file, zone and variable names) and its durations in nginx's form.
 * A leaf: policies.c and policy_access.c both call it.
 */
#include "plan_internal.h"

#include "base/arena.h"

const char *plan_policy_id(struct planner *p, const struct object *o)
{
    return plan_hashed_id(
        p, arena_printf(p->a, "%s/%s", model_kind_name(o->kind), o->nsname));
}

/* Policy durations: "0s" only where 0 means "at once" (keepalive_timeout). */
const char *plan_policy_duration(struct planner *p, const char *d)
{
    return plan_nginx_time(p->a, d, "0s");
}
