/*
 * The import report: every diagnostic points at the annotation or field it
 * concerns (the key of an annotation, so an editor jumps to its line), with
 * the Kubernetes field path and the object it belongs to.
 */
#include "import_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/utf8.h"
#include "load/load.h"

#include <stdarg.h>
#include <string.h>

/* A value quoted in a message, cut short at a character boundary so that
 * a long annotation does not drown the report.  Escaping is the
 * diagnostics' own business (every message is shown escaped). */
const char *imp_report_value(struct imp *im, const char *s)
{
    size_t len = strlen(s), keep = utf8_advance(s, len, 80);

    if (keep == len)
        return s;
    return arena_printf(im->a, "%.*s...", (int)keep, s);
}

/* Where byte off of scalar n's text is in its file: the source is walked
 * from the scalar's start, skipping what YAML does not keep (quotes,
 * escapes' backslashes, a block scalar's header, line breaks and
 * indentation), until off
 * characters of the text have been matched.  A text the source does not
 * spell out that way (escapes such as \x41) gets the scalar's start. */
static struct src_loc scalar_loc(const struct compilation *c,
                                 const struct ynode *n, size_t off)
{
    struct src_loc start = ynode_loc(c, n);
    const struct source *src = source_get(&c->sources, start.file);
    const char *raw, *end;
    size_t i;

    if (!src || n->kind != YNODE_SCALAR || off > n->len)
        return start;
    raw = src->data + start.offset;
    end = src->data + src->len;
    if (raw < end && (*raw == '\'' || *raw == '"'))
        raw++;
    else if (raw < end && (*raw == '|' || *raw == '>'))
        while (raw < end && *raw != '\n')
            raw++; /* the block scalar's header */
    for (i = 0; i < off && raw < end; raw++) {
        if (*raw == n->text[i]) {
            i++;
            continue;
        }
        if (*raw != '\\' && *raw != '\'' && *raw != '"' && *raw != ' ' &&
            *raw != '\n' && *raw != '\r' && *raw != '\t')
            return start;
    }
    while (raw < end && i < n->len && *raw != n->text[i])
        raw++; /* the quote or line break in front of the character */
    if (i < off || raw >= end)
        return start;
    return source_loc_from_offset(&c->sources, start.file,
                                  (size_t)(raw - src->data));
}

__attribute__((format(printf, 8, 0)))
static struct diag *report_loc(struct imp *im, const char *label,
                               const struct ynode *root, const struct ynode *at,
                               struct src_loc loc, enum diag_severity sev,
                               enum diag_code code, const char *fmt, va_list ap)
{
    return diag_vreport(&im->c->diags, sev, code, loc, label,
                        at == root ? NULL : model_path(im->c, at), fmt, ap);
}

struct diag *imp_report_vin_scalar(struct imp *im, const char *label,
                                   const struct ynode *root, const struct ynode *at,
                                   size_t off, enum diag_code code, const char *fmt,
                                   va_list ap)
{
    return report_loc(im, label, root, at, scalar_loc(im->c, at, off),
                      diag_info(code)->severity, code, fmt, ap);
}

struct diag *imp_report_in_scalar(struct imp *im, const char *label,
                                  const struct ynode *root, const struct ynode *at,
                                  size_t off, enum diag_code code, const char *fmt,
                                  ...)
{
    struct diag *d;
    va_list ap;

    va_start(ap, fmt);
    d = imp_report_vin_scalar(im, label, root, at, off, code, fmt, ap);
    va_end(ap);
    return d;
}

/* An annotation, or a key of a ConfigMap's data: shown at its key. */
static bool keyed(const struct ynode *at, const struct ynode *annotations)
{
    const struct ynode *map = at->parent, *kind;

    if (!map)
        return false;
    if (map == annotations)
        return true;
    kind = map->parent ? ynode_get(map->parent, "kind") : NULL;
    return kind && map->key && str_eq(map->key, "data") && !map->parent->parent &&
           kind->kind == YNODE_SCALAR && str_eq(kind->text, "ConfigMap");
}

struct diag *imp_report_vat(struct imp *im, const char *label,
                            const struct ynode *root, const struct ynode *at,
                            enum diag_severity sev, enum diag_code code,
                            const char *fmt, va_list ap)
{
    const struct ynode *annotations =
        ynode_get(ynode_get(root, "metadata"), "annotations");
    struct src_loc loc;

    if (!at)
        at = root;
    loc = keyed(at, annotations) ? ynode_key_loc(im->c, at) : ynode_loc(im->c, at);
    return report_loc(im, label, root, at, loc, sev, code, fmt, ap);
}

struct diag *imp_report_src(struct imp *im, const struct imp_src *src,
                            const struct ynode *at, enum diag_code code,
                            const char *fmt, ...)
{
    va_list ap;
    struct diag *d;

    va_start(ap, fmt);
    d = imp_report_vat(im, src->label, src->root, at, diag_info(code)->severity,
                       code, fmt, ap);
    va_end(ap);
    return d;
}

struct diag *imp_report_at(struct imp *im, const char *label,
                           const struct ynode *root, const struct ynode *at,
                           enum diag_code code, const char *fmt, ...)
{
    va_list ap;
    struct diag *d;

    va_start(ap, fmt);
    d = imp_report_vat(im, label, root, at, diag_info(code)->severity, code, fmt,
                       ap);
    va_end(ap);
    return d;
}

void imp_report_other_fields(struct imp *im, const char *label,
                             const struct ynode *root, const struct ynode *map,
                             const char *const *known, const char *controller)
{
    size_t i;
    const char *const *k;

    for (i = 0; map && map->kind == YNODE_MAP && i < map->n; i++) {
        for (k = known; *k && !str_eq(*k, map->items[i]->key); k++)
            ;
        if (!*k)
            imp_report_at(im, label, root, map->items[i], DIAG_IMPORT_NOT_CONVERTED,
                          "not converted: gwc does not convert this field of %s",
                          controller);
    }
}
