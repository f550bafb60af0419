/*
 * Traefik's entry points as listener ports.  Their addresses are Traefik's
 * static configuration, which the import does not read: web is port 80 and
 * websecure 443 (the ports Traefik's Helm chart exposes them on), and
 * --entry-point NAME=PORT[/udp] gives the others (or moves these).
 */
#include "tr.h"

#include "base/array.h"
#include "base/compilation.h"

const char *const tr_http_entry_points[TR_HTTP_ENTRY_POINTS] = {"web", "websecure"};

bool tr_serves(const struct tr_router *r, size_t ep)
{
    return ep ? r->websecure : r->web;
}

bool tr_entry_point(const struct imp *im, const char *name, int64_t *port,
                    bool *udp)
{
    static const struct {
        const char *name;
        int64_t port;
    } defaults[] = {{"web", 80}, {"websecure", 443}};
    size_t i;

    if (imp_entry_point(im->o, name, port, udp))
        return true;
    *udp = false;
    for (i = 0; name && i < ARRAY_SIZE(defaults); i++) {
        if (str_eq(name, defaults[i].name)) {
            *port = defaults[i].port;
            return true;
        }
    }
    return false;
}

void tr_entry_point_unknown(struct imp *im, const struct imp_src *src,
                            const struct ynode *at, const char *name)
{
    imp_report_src(
        im, src, at, DIAG_IMPORT_NOT_CONVERTED,
        "not converted: entry point '%s' is not web (port 80), websecure "
        "(443) or one given with --entry-point NAME=PORT[/udp]; its port "
        "is Traefik's static configuration, which the import does not read",
        name ? imp_report_value(im, name) : "");
}

void tr_http_entry_point(struct imp *im, struct tr_router *r,
                         const struct imp_src *src, const struct ynode *at,
                         const char *name)
{
    int64_t port;
    bool udp;

    if (!tr_entry_point(im, name, &port, &udp))
        tr_entry_point_unknown(im, src, at, name);
    else if (!udp && (port == 80 || port == 443))
        *(port == 80 ? &r->web : &r->websecure) = true;
    else
        imp_report_src(
            im, src, at, DIAG_IMPORT_NOT_CONVERTED,
            "not converted: entry point '%s' is %s port %lld; the import "
            "serves HTTP routers on ports 80 and 443 only",
            imp_report_value(im, name), udp ? "UDP" : "TCP", (long long)port);
}
