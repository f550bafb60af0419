/*
 * Conditions as status holds them: at most one per type, the catalogue
 * (conditions.def) giving every type and reason its one spelling.
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/array.h"

static const char *const type_names[] = {
#define COND(id, name) [COND_##id] = name,
#define REASON(id, name)
#include "conditions.def"
#undef COND
#undef REASON
};

static const char *const reason_names[] = {
#define COND(id, name)
#define REASON(id, name) [REASON_##id] = name,
#include "conditions.def"
#undef COND
#undef REASON
};

const char *ctl_cond_type_name(enum cond_type t)
{
    if ((size_t)t >= ARRAY_SIZE(type_names))
        BUG("a condition type outside the catalogue");
    return type_names[t];
}

const char *ctl_reason_name(enum cond_reason r)
{
    if (r == REASON_NONE || (size_t)r >= ARRAY_SIZE(reason_names))
        BUG("a condition reason outside the catalogue");
    return reason_names[r];
}

_Static_assert(COND__COUNT <= 256 && REASON__COUNT <= 256,
               "struct condition keeps a condition's type and reason in a byte");

void ctl_conditions_set(struct conditions *cs, enum cond_type type, bool status,
                        enum cond_reason reason, const char *message)
{
    struct condition *c = NULL;
    size_t i;

    if (reason == REASON_NONE)
        BUG("a condition without a reason");
    for (i = 0; i < cs->n; i++) {
        if (cs->v[i].type == type)
            c = &cs->v[i];
    }
    if (!c) {
        if (cs->n == MAX_CONDITIONS)
            BUG("more conditions than status may hold");
        c = &cs->v[cs->n++];
    }
    c->type = (uint8_t)type;
    c->status = status;
    c->reason = (uint8_t)reason;
    c->message = message ? message : "";
}

const struct condition *ctl_conditions_get(const struct conditions *cs,
                                           enum cond_type type)
{
    size_t i;

    for (i = 0; i < cs->n; i++) {
        if (cs->v[i].type == type)
            return &cs->v[i];
    }
    return NULL;
}
