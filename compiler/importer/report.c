/*
 * The import report: every diagnostic points at the annotation or field it
 * concerns (the key of an annotation, so an editor jumps to its line), with
 * the Kubernetes field path and the object it belongs to.
 */
#include "import_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/strbuf.h"
#include "base/utf8.h"
#include "load/load.h"

#include <string.h>

/* A value quoted in a message, cut short at a character boundary so that
 * a long annotation does not drown the report.  Escaping is the
 * diagnostics' own business (every message is shown escaped). */
const char *report_value(struct imp *im, const char *s)
{
    size_t len = strlen(s), keep = utf8_advance(s, len, 80);

    if (keep == len)
        return s;
    return arena_printf(im->a, "%.*s...", (int)keep, s);
}

struct diag *report_vat(struct imp *im, const char *label,
                        const struct ynode *root, const struct ynode *at,
                        enum diag_severity sev, enum diag_code code,
                        const char *fmt, va_list ap)
{
    const struct ynode *annotations =
        ynode_get(ynode_get(root, "metadata"), "annotations");
    struct strbuf msg = STRBUF_INIT;
    struct src_loc loc;
    struct diag *d;

    if (!at)
        at = root;
    loc = annotations && at->parent == annotations ? ynode_key_loc(im->c, at)
                                                    : ynode_loc(im->c, at);
    strbuf_vaddf(&msg, fmt, ap);
    d = diag_report_sev(&im->c->diags, sev, code, loc, label,
                        at == root ? NULL : model_path(im->c, at), "%s",
                        msg.buf);
    strbuf_release(&msg);
    return d;
}

struct diag *report_at(struct imp *im, const char *label,
                       const struct ynode *root, const struct ynode *at,
                       enum diag_code code, const char *fmt, ...)
{
    va_list ap;
    struct diag *d;

    va_start(ap, fmt);
    d = report_vat(im, label, root, at, diag_info(code)->severity, code, fmt, ap);
    va_end(ap);
    return d;
}
