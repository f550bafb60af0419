/*
 * Diagnostics at the annotations and fields of one Ingress (the core's
 * report.c, with the Ingress as the object).
 */
#include "nx.h"

#include "base/compilation.h"
#include "base/strbuf.h"

#include <stdarg.h>

const struct ynode *nx_report_annotation_node(const struct ing *ing,
                                              const char *name)
{
    const struct ynode *n;
    struct strbuf sb = STRBUF_INIT;

    strbuf_addf(&sb, "%s%s", NGINX_PREFIX, name);
    n = ing->annotations ? ynode_get(ing->annotations, sb.buf) : NULL;
    strbuf_release(&sb);
    return n ? n : imp_index_get(&ing->config_nodes, name);
}

struct diag *nx_vreport(struct imp *im, const struct ing *ing, const struct ynode *at,
                        enum diag_severity sev, enum diag_code code, const char *fmt,
                        va_list ap)
{
    return imp_report_vat(im, model_object_label(im->c, &ing->src->obj),
                          ing->src->obj.src, at, sev, code, fmt, ap);
}

struct diag *nx_report_annotation(struct imp *im, const struct ing *ing,
                                  const char *name, enum diag_code code,
                                  const char *fmt, ...)
{
    va_list ap;
    struct diag *d;

    va_start(ap, fmt);
    d = nx_vreport(im, ing, nx_report_annotation_node(ing, name),
                diag_info(code)->severity, code, fmt, ap);
    va_end(ap);
    return d;
}

struct diag *nx_report_node_sev(struct imp *im, const struct ing *ing,
                                const struct ynode *at, enum diag_severity sev,
                                enum diag_code code, const char *fmt, ...)
{
    va_list ap;
    struct diag *d;

    va_start(ap, fmt);
    d = nx_vreport(im, ing, at, sev, code, fmt, ap);
    va_end(ap);
    return d;
}

struct diag *nx_report_node(struct imp *im, const struct ing *ing,
                            const struct ynode *at, enum diag_code code,
                            const char *fmt, ...)
{
    va_list ap;
    struct diag *d;

    va_start(ap, fmt);
    d = nx_vreport(im, ing, at, diag_info(code)->severity, code, fmt, ap);
    va_end(ap);
    return d;
}
