#include "plan_internal.h"

#include "base/arena.h"
#include "base/array.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

const char *plan_cat(struct arena *a, const char *first, ...)
{
    va_list ap;
    const char *s;
    size_t n = 0;
    char *out, *at;

    va_start(ap, first);
    for (s = first; s; s = va_arg(ap, const char *))
        n += strlen(s);
    va_end(ap);
    at = out = arena_alloc(a, n + 1, 1);
    va_start(ap, first);
    for (s = first; s; s = va_arg(ap, const char *)) {
        size_t k = strlen(s);
        memcpy(at, s, k);
        at += k;
    }
    va_end(ap);
    *at = '\0';
    return out;
}

const char *plan_dec(char buf[STR_DEC_MAX + 1], uint64_t v)
{
    buf[STR_DEC_MAX] = '\0';
    return str_dec(buf, v);
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

const char *plan_nginx_time(struct arena *a, const char *d, const char *zero)
{
    static const struct {
        const char *unit;
        int64_t ms;
    } units[] = {{"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1}};
    char buf[64];
    size_t i, n = 0;
    int64_t ms;

    if (!d)
        return NULL;
    if (!model_parse_duration(d, &ms))
        BUG("duration not validated");
    if (ms == 0)
        return zero;
    for (i = 0; i < ARRAY_SIZE(units); i++) {
        if (ms >= units[i].ms)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%lld%s",
                                  (long long)(ms / units[i].ms), units[i].unit);
        ms %= units[i].ms;
    }
    return arena_strdup(a, buf);
}
