/*
 * imp_ingress(): the options, the providers run, and what they leave.
 */
#include "import_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"

#include <string.h>

void imp_ingress_taken(struct imp *im, const struct ingress *in)
{
    ptrvec_push(im->a, &im->ingresses, (void *)in);
}

/* Every provider's Ingress host (and NIC's VirtualServer host) must become
 * a Gateway listener hostname, which the CRD pattern keeps lower-case:
 * report anything else at the host, where the API server would. */
bool imp_ingress_host_ok(struct imp *im, const struct imp_src *src,
                         const struct ynode *at, const char *host)
{
    if (!*host || imp_value_hostname(host, true))
        return true;
    imp_report_src(im, src, at, DIAG_IMPORT_BAD_VALUE,
                   "host must be a lower-case DNS name, optionally with a leading "
                   "'*.', and not an IP address; it is left out");
    return false;
}

/* "NAME=PORT[/tcp|/udp]" (Traefik's address ":PORT/udp", named): the
 * name's length, the port and the transport. */
static bool entry_point_parse(const char *s, size_t *name_len, int64_t *port,
                              bool *udp)
{
    const char *eq = strchr(s, '='), *slash;
    char num[6];
    size_t n;

    if (!eq || eq == s)
        return false;
    slash = strchr(eq, '/');
    *udp = slash && str_eq(slash, "/udp");
    if (slash && !*udp && !str_eq(slash, "/tcp"))
        return false;
    n = slash ? (size_t)(slash - eq - 1) : strlen(eq + 1);
    if (!n || n >= sizeof(num))
        return false;
    memcpy(num, eq + 1, n);
    num[n] = '\0';
    *name_len = (size_t)(eq - s);
    return imp_value_parse_decimal(num, 1, 65535, port);
}

/* "NAMESPACE/NAME" (--gateway): the namespace into ns (a DNS label fits),
 * and where the name starts; false when s is no such pair. */
static bool ns_name_split(const char *s, char ns[64], const char **name)
{
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : 0;

    if (!n || n >= 64)
        return false;
    memcpy(ns, s, n);
    ns[n] = '\0';
    *name = slash + 1;
    return imp_value_dns_label(ns) && imp_value_dns_subdomain(*name);
}

const char *imp_options_problem(const struct import_options *o)
{
    const char *name;
    char ns[64];
    size_t i;

    if (o->provider && !imp_provider_find(o->provider))
        return "--provider must be ingress-nginx, nginx-inc, traefik or contour";
    if (o->default_namespace && !imp_value_dns_label(o->default_namespace))
        return "--namespace must be a namespace name (a DNS-1123 label)";
    if (o->gateway_name && (!imp_value_dns_subdomain(o->gateway_name) ||
                            strlen(o->gateway_name) > 240))
        return "--gateway-name must be a Gateway name (a DNS-1123 subdomain of at "
               "most 240 characters, leaving room for a suffix)";
    if (o->gateway_namespace && !imp_value_dns_label(o->gateway_namespace))
        return "--gateway-namespace must be a namespace name (a DNS-1123 label)";
    if (o->shared_gateway && !ns_name_split(o->shared_gateway, ns, &name))
        return "--gateway must be NAMESPACE/NAME: a namespace name (a DNS-1123 "
               "label), then a Gateway name (a DNS-1123 subdomain)";
    if (o->controller_config && !ns_name_split(o->controller_config, ns, &name))
        return "--controller-config must be NAMESPACE/NAME: a namespace name (a "
               "DNS-1123 label), then a ConfigMap name (a DNS-1123 subdomain)";
    if (o->controller_config && o->provider && !str_eq(o->provider, "ingress-nginx"))
        return "--controller-config names the ingress-nginx controller's "
               "ConfigMap: it goes with --provider ingress-nginx";
    if (o->shared_gateway && (o->gateway_name || o->gateway_namespace))
        return "--gateway names the one Gateway of the output; --gateway-name and "
               "--gateway-namespace name the per-class Gateways: give one or the "
               "other";
    if (o->gateway_class_name && !imp_value_dns_subdomain(o->gateway_class_name))
        return "--gateway-class must be a GatewayClass name (a DNS-1123 "
               "subdomain)";
    for (i = 0; i < o->n_ingress_classes; i++) {
        if (!imp_value_dns_subdomain(o->ingress_classes[i]))
            return "--ingress-class must be an IngressClass name (a DNS-1123 "
                   "subdomain)";
    }
    for (i = 0; i < o->n_entry_points; i++) {
        size_t n;
        int64_t port;
        bool udp;
        if (!entry_point_parse(o->entry_points[i], &n, &port, &udp))
            return "--entry-point must be NAME=PORT, NAME=PORT/tcp or "
                   "NAME=PORT/udp, PORT from 1 to 65535";
    }
    return NULL;
}

bool imp_entry_point(const struct import_options *o, const char *name,
                            int64_t *port, bool *udp)
{
    bool found = false;
    size_t i, n;

    for (i = 0; name && i < o->n_entry_points; i++) { /* the last one wins */
        int64_t p;
        bool u;
        if (entry_point_parse(o->entry_points[i], &n, &p, &u) &&
            strlen(name) == n && strncmp(o->entry_points[i], name, n) == 0) {
            *port = p;
            *udp = u;
            found = true;
        }
    }
    return found;
}

/* Whether the provider said itself why nothing was converted. */
static bool reported_nothing(const struct compilation *c)
{
    size_t i;

    for (i = 0; i < c->diags.n; i++) {
        if (c->diags.v[i]->code == DIAG_IMPORT_NOTHING)
            return true;
    }
    return false;
}

/* The API server refuses an Ingress whose name is not a DNS subdomain or
 * whose namespace is not a DNS label, and no schema check reads Ingresses
 * on import: such a name would reach the output, where it names routes,
 * policies and, with -o DIR, directories.  Marked rejected, every provider
 * leaves them out. */
static void refuse_bad_names(struct imp *im, struct model *m)
{
    const struct ptrvec *v = &m->objects[KIND_INGRESS];
    size_t i;

    for (i = 0; i < v->n; i++) {
        struct object *o = v->v[i];
        const struct ynode *meta = ynode_get(o->src, "metadata");
        const char *ns = imp_object_namespace(im, o);
        const char *label = model_object_label(im->c, o);

        if (o->rejected)
            continue;
        if (!imp_value_dns_subdomain(o->meta.name)) {
            imp_report_at(im, label, o->src, ynode_get(meta, "name"),
                          DIAG_IMPORT_BAD_VALUE,
                          "'%s' is not a valid Ingress name (a DNS subdomain); "
                          "skipped",
                          imp_report_value(im, o->meta.name));
            o->rejected = true;
        } else if (ns && !imp_value_dns_label(ns)) {
            imp_report_at(im, label, o->src, ynode_get(meta, "namespace"),
                          DIAG_IMPORT_BAD_VALUE,
                          "'%s' is not a valid namespace (a DNS label); skipped",
                          imp_report_value(im, ns));
            o->rejected = true;
        }
    }
}

/* The first loss of a document the loader could not read whole, or NULL.
 * Its objects are unknown: had one closed a path that another object
 * serves (an allow list on /admin, beside a / for everyone), converting
 * the rest would open that path. */
static const struct diag *input_lost(const struct compilation *c)
{
    static const enum diag_code lost[] = {
        DIAG_YAML_SYNTAX,       DIAG_YAML_ALIAS,      DIAG_YAML_DEPTH,
        DIAG_YAML_DUPLICATE_KEY, DIAG_INVALID_UTF8,   DIAG_CONTROL_CHARACTER,
        DIAG_FILE_TOO_LARGE,    DIAG_YAML_COMPLEX_KEY, DIAG_YAML_TAG,
        DIAG_DOCUMENT_NOT_OBJECT, DIAG_TOO_MANY_NODES,
    };
    size_t i, k;

    for (i = 0; i < c->diags.n; i++) {
        const struct diag *d = c->diags.v[i];
        for (k = 0; d->severity == DIAG_ERROR && k < ARRAY_SIZE(lost);
             k++) {
            if (d->code == lost[k])
                return d;
        }
    }
    return NULL;
}

/* An import that converts nothing must not pass, whichever the provider:
 * a migration that silently produced no routes would look done. */
void imp_ingress(struct compilation *c, struct model *m,
                 const struct ydoc_list *docs, const struct import_options *o,
                 struct import_output *out)
{
    const struct imp_provider *p;
    struct imp im;
    char ns[64];

    const struct diag *lost = input_lost(c);

    if (lost && !o->allow_insecure) {
        diag_report(&c->diags, DIAG_IMPORT_INPUT_UNREAD, lost->loc, lost->object,
                    lost->path,
                    "nothing written: this document was not read whole, and "
                    "what it held (access control, routes) is unknown; fix it, "
                    "or convert the rest with --allow-insecure-import");
        return;
    }
    if (lost)
        diag_report(&c->diags, DIAG_IMPORT_INSECURE, lost->loc, lost->object,
                    lost->path,
                    "this document was not read whole (--allow-insecure-import): "
                    "the output leaves out what it held, access control "
                    "included; convert it by hand before the output is applied");
    im = (struct imp){.c = c, .a = c->arena, .m = m, .docs = docs, .o = o};
    refuse_bad_names(&im, m);
    p = o->provider ? imp_provider_find(o->provider) : imp_detect_provider(&im);
    if (!p)
        return; /* ambiguous, reported: nothing is written */
    im.provider = p;
    if (o->controller_config && p != &nx_provider)
        diag_report(&c->diags, DIAG_IMPORT_CONTROLLER_CONFIG_UNUSED,
                    (struct src_loc){SOURCE_NONE, 0, 0, 0}, NULL, NULL,
                    "--controller-config names the ingress-nginx controller's "
                    "ConfigMap, but the inputs are %s's: not read",
                    p->name);
    if (o->shared_gateway && ns_name_split(o->shared_gateway, ns, &im.shared_name))
        im.shared_ns = arena_strdup(im.a, ns);
    if (o->controller_config &&
        ns_name_split(o->controller_config, ns, &im.config_name))
        im.config_ns = arena_strdup(im.a, ns);
    if (o->include_inputs)
        imp_inputs_reserve(&im);
    imp_certmgr_plan(&im);
    p->convert(&im);
    imp_certmgr_move(&im);
    imp_foreign_report(&im, p);
    if (!im.routes.n && !reported_nothing(c))
        diag_report(&c->diags, DIAG_IMPORT_NOTHING, (struct src_loc){SOURCE_NONE, 0, 0, 0},
                    NULL, NULL,
                    "nothing converted: no route came out of the input for "
                    "provider %s (what was left out is reported)",
                    p->name);
    imp_write_output(&im, out);
    if (o->include_inputs)
        imp_inputs_carry(&im, out);
    out->summary = imp_summary_collect(&im, p->name, p->crd_groups);
}
