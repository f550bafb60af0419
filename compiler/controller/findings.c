/* How the controller reports: a finding on an object, at a field; and
 * messages formatted into the arena.  A leaf: every pass calls it, it
 * calls none of them. */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <stdarg.h>

__attribute__((format(printf, 6, 0)))
static struct diag *vfinding(struct ctx *x, enum diag_severity sev,
                             enum diag_code code, const struct object *o,
                             const struct ynode *at, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

static struct diag *vfinding(struct ctx *x, enum diag_severity sev,
                             enum diag_code code, const struct object *o,
                             const struct ynode *at, const char *fmt, va_list ap)
{
    const struct ynode *where = at ? at : o->src;

    return diag_vreport(&x->c->diags, sev, code, ynode_loc(x->c, where),
                        model_object_label(x->c, o), model_path(x->c, at), fmt, ap);
}

struct diag *ctl_finding(struct ctx *x, enum diag_code code, const struct object *o,
                         const struct ynode *at, const char *fmt, ...)
{
    va_list ap;
    struct diag *d;

    va_start(ap, fmt);
    d = vfinding(x, diag_info(code)->severity, code, o, at, fmt, ap);
    va_end(ap);
    return d;
}

struct diag *ctl_finding_sev(struct ctx *x, enum diag_severity sev,
                             enum diag_code code, const struct object *o,
                             const struct ynode *at, const char *fmt, ...)
{
    va_list ap;
    struct diag *d;

    va_start(ap, fmt);
    d = vfinding(x, sev, code, o, at, fmt, ap);
    va_end(ap);
    return d;
}

const char *ctl_msgf(struct ctx *x, const char *fmt, ...)
{
    const char *s;
    va_list ap;

    va_start(ap, fmt);
    s = arena_vprintf(x->c->arena, fmt, ap);
    va_end(ap);
    return s;
}
