#include "plan_internal.h"

#include "base/arena.h"

struct plan_text plan_text_new(struct arena *a, size_t cap)
{
    struct plan_text t;

    t.parts = ARENA_NEW_ARRAY(a, struct plan_part, cap ? cap : 1);
    t.n = 0;
    t.cap = cap;
    return t;
}

static void push(struct plan_text *t, bool variable, const char *s)
{
    if (t->n == t->cap)
        BUG("plan_text built past its capacity");
    t->parts[t->n].variable = variable;
    t->parts[t->n].text = s;
    t->n++;
}

void plan_text_lit(struct plan_text *t, const char *s)
{
    push(t, false, s);
}

void plan_text_var(struct plan_text *t, const char *name)
{
    push(t, true, name);
}

struct plan_text plan_text_literal(struct arena *a, const char *s)
{
    struct plan_text t = plan_text_new(a, 1);

    plan_text_lit(&t, s);
    return t;
}

struct plan_text plan_text_variable(struct arena *a, const char *name)
{
    struct plan_text t = plan_text_new(a, 1);

    plan_text_var(&t, name);
    return t;
}

bool plan_text_is_empty(const struct plan_text *t)
{
    size_t i;

    for (i = 0; i < t->n; i++) {
        if (t->parts[i].variable || *t->parts[i].text)
            return false;
    }
    return true;
}
