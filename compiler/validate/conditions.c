#include "validate_internal.h"

#include "base/arena.h"

#include <string.h>

void val_conditions_set(struct conditions *cs, const char *type, bool status,
                        const char *reason, const char *message)
{
    struct condition *c = NULL;
    size_t i;

    for (i = 0; i < cs->n; i++) {
        if (strcmp(cs->v[i].type, type) == 0)
            c = &cs->v[i];
    }
    if (!c) {
        if (cs->n == MAX_CONDITIONS)
            BUG("more conditions than status may hold");
        c = &cs->v[cs->n++];
    }
    c->type = type;
    c->status = status ? "True" : "False";
    c->reason = reason;
    c->message = message ? message : "";
}

const struct condition *val_conditions_get(const struct conditions *cs,
                                           const char *type)
{
    size_t i;

    for (i = 0; i < cs->n; i++) {
        if (strcmp(cs->v[i].type, type) == 0)
            return &cs->v[i];
    }
    return NULL;
}
