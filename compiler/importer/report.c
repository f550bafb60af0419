/*
 * The import report: every diagnostic points at the annotation or field it
 * concerns (the key of an annotation, so an editor jumps to its line), with
 * the Kubernetes field path and the Ingress it belongs to.
 */
#include "import_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/strbuf.h"
#include "base/utf8.h"

#include <stdarg.h>
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

const struct ynode *report_annotation_node(const struct ing *ing, const char *name)
{
    const char *key;
    const struct ynode *n;
    struct strbuf sb = STRBUF_INIT;

    if (!ing->annotations)
        return NULL;
    strbuf_addf(&sb, "%s%s", NGINX_PREFIX, name);
    key = sb.buf;
    n = ynode_get(ing->annotations, key);
    strbuf_release(&sb);
    return n;
}

__attribute__((format(printf, 7, 0)))
static struct diag *vreport(struct imp *im, const struct ing *ing,
                            const struct ynode *at, bool at_key,
                            enum diag_severity sev, enum diag_code code,
                            const char *fmt, va_list ap)
    __attribute__((format(printf, 7, 0)));

static struct diag *vreport(struct imp *im, const struct ing *ing,
                            const struct ynode *at, bool at_key,
                            enum diag_severity sev, enum diag_code code,
                            const char *fmt, va_list ap)
{
    struct strbuf msg = STRBUF_INIT;
    struct src_loc loc;
    const char *object = object_label(im->c, &ing->src->obj);
    struct diag *d;

    if (!at)
        at = ing->src->obj.src;
    /* An annotation is found by its key, which is where its line starts. */
    at_key |= ing->annotations && at->parent == ing->annotations;
    loc = at_key ? ynode_key_loc(im->c, at) : ynode_loc(im->c, at);
    strbuf_vaddf(&msg, fmt, ap);
    d = diag_report_sev(&im->c->diags, sev, code, loc, object,
                        at == ing->src->obj.src ? NULL : model_path(im->c, at),
                        "%s", msg.buf);
    strbuf_release(&msg);
    return d;
}

struct diag *report_annotation(struct imp *im, const struct ing *ing,
                               const char *name, enum diag_code code,
                               const char *fmt, ...)
{
    va_list ap;
    struct diag *d;

    va_start(ap, fmt);
    d = vreport(im, ing, report_annotation_node(ing, name), true,
                diag_info(code)->severity, code, fmt, ap);
    va_end(ap);
    return d;
}

struct diag *report_node_sev(struct imp *im, const struct ing *ing,
                             const struct ynode *at, enum diag_severity sev,
                             enum diag_code code, const char *fmt, ...)
{
    va_list ap;
    struct diag *d;

    va_start(ap, fmt);
    d = vreport(im, ing, at, false, sev, code, fmt, ap);
    va_end(ap);
    return d;
}

struct diag *report_node(struct imp *im, const struct ing *ing,
                         const struct ynode *at, enum diag_code code,
                         const char *fmt, ...)
{
    va_list ap;
    struct diag *d;

    va_start(ap, fmt);
    d = vreport(im, ing, at, false, diag_info(code)->severity, code, fmt, ap);
    va_end(ap);
    return d;
}
