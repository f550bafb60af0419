/*
 * The Services behind Ingress paths, and the protocol ingress-nginx speaks
 * to them (backend-protocol).
 *
 * A backendRef needs a port number; an Ingress may name the Service port
 * instead, which ingress-nginx resolves at run time and the import resolves
 * through the Service object, when the input has it (i2gw aborts the whole
 * run on an unresolved name; here only that path goes, reported).
 */
#include "nx.h"

#include "base/arena.h"
#include "base/array.h"

#include <string.h>

static const char *port_number_of(const struct service *svc, const char *name,
                                  int64_t *port)
{
    size_t i;

    for (i = 0; i < svc->n_ports; i++) {
        if (str_eq(svc->ports[i].name, name)) {
            *port = svc->ports[i].port;
            return NULL;
        }
    }
    return "has no port of that name";
}

static bool has_port(const struct service *svc, int64_t port)
{
    size_t i;

    for (i = 0; i < svc->n_ports; i++) {
        if (svc->ports[i].port == port)
            return true;
    }
    return false;
}

bool nx_backend_resolve(struct imp *im, const struct ing *ing,
                        const struct ingress_backend *b, struct backend *out)
{
    const struct ingress_service_backend *s = &b->service;
    const struct service *svc;

    memset(out, 0, sizeof(*out));
    out->src = b->src;
    out->namespace = ing->namespace;
    if (b->resource.src) {
        nx_report_node(im, ing, b->resource.src, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: a resource backend; ingress-nginx serves "
                       "only Service backends");
        return false;
    }
    if (!s->src || !s->name) {
        nx_report_node(im, ing, b->src, DIAG_IMPORT_BAD_VALUE,
                       "the backend names no Service");
        return false;
    }
    if (!imp_value_service_name(s->name)) {
        nx_report_node(im, ing, ynode_get(s->src, "name"), DIAG_IMPORT_BAD_VALUE,
                       "Service name is not a DNS-1035 label; the API server "
                       "refuses it");
        return false;
    }
    if (s->port.number != INT_UNSET) {
        if (s->port.number < 1 || s->port.number > 65535) {
            nx_report_node(im, ing, ynode_get(s->port.src, "number"),
                           DIAG_IMPORT_BAD_VALUE, "port %lld is not in 1-65535",
                           (long long)s->port.number);
            return false;
        }
        out->service = s->name;
        out->port = s->port.number;
        svc = (const struct service *)imp_find_object(im, KIND_SERVICE,
                                                      ing->namespace, s->name);
        if (svc && !has_port(svc, out->port))
            nx_report_node(im, ing, ynode_get(s->port.src, "number"),
                           DIAG_IMPORT_APPROXIMATED,
                           "Service '%s/%s' has no port %lld: ingress-nginx "
                           "answers 503 for this path, a Gateway 500",
                           ing->namespace, s->name, (long long)out->port);
        return true;
    }
    if (!s->port.name) {
        nx_report_node(im, ing, s->src, DIAG_IMPORT_BAD_VALUE,
                       "the Service backend has no port number or name");
        return false;
    }
    svc = (const struct service *)imp_find_object(im, KIND_SERVICE, ing->namespace,
                                                  s->name);
    if (!svc) {
        nx_report_node(im, ing, ynode_get(s->port.src, "name"),
                       DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: a backendRef needs the port number behind "
                       "port name '%s'; give Service '%s/%s' to import-ingress",
                       s->port.name, ing->namespace, s->name);
        return false;
    }
    if (port_number_of(svc, s->port.name, &out->port)) {
        nx_report_node(im, ing, ynode_get(s->port.src, "name"),
                       DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: Service '%s/%s' has no port named '%s'",
                       ing->namespace, s->name, s->port.name);
        return false;
    }
    out->service = s->name;
    return true;
}

/*
 * backend-protocol (case-insensitive in ingress-nginx): HTTP is the
 * default; HTTPS and GRPCS need a BackendTLSPolicy (backend_tls.c); GRPC
 * and GRPCS make the paths a GRPCRoute.  AUTO_HTTP and FCGI have no
 * Gateway API counterpart.
 */
void nx_backends_protocol(struct imp *im, struct ing *ing)
{
    static const struct {
        const char *name;
        enum backend_protocol p;
    } names[] = {{"HTTP", BP_HTTP},   {"HTTPS", BP_HTTPS}, {"GRPC", BP_GRPC},
                 {"GRPCS", BP_GRPCS}, {"AUTO_HTTP", BP_HTTP}, {"FCGI", BP_OTHER}};
    const char *v = ing->cfg.backend_protocol;
    char up[16];
    size_t i;

    ing->feat.protocol = BP_HTTP;
    if (!v)
        return;
    for (i = 0; v[i] && i + 1 < sizeof(up); i++)
        up[i] = v[i] >= 'a' && v[i] <= 'z' ? (char)(v[i] - 'a' + 'A') : v[i];
    up[i] = '\0';
    for (i = 0; i < ARRAY_SIZE(names); i++) {
        if (strcmp(up, names[i].name) != 0 || strlen(v) >= sizeof(up))
            continue;
        ing->feat.protocol = names[i].p;
        if (str_eq(up, "AUTO_HTTP"))
            nx_report_annotation(im, ing, "backend-protocol",
                                 DIAG_IMPORT_APPROXIMATED,
                                 "AUTO_HTTP is converted as HTTP: Gateway API "
                                 "picks the upstream protocol from the Service's "
                                 "appProtocol");
        else if (names[i].p == BP_OTHER)
            nx_report_annotation(im, ing, "backend-protocol",
                                 DIAG_IMPORT_NOT_CONVERTED,
                                 "not converted: Gateway API routes cannot speak "
                                 "FastCGI; the paths of this Ingress are left out");
        return;
    }
    nx_report_annotation(im, ing, "backend-protocol", DIAG_IMPORT_BAD_VALUE,
                         "not one of HTTP, HTTPS, AUTO_HTTP, GRPC, GRPCS, FCGI; "
                         "ingress-nginx refuses it, and so does the import");
}
