/*
 * ObjectMeta, as the API server validates it for every kind
 * (k8s.io/apimachinery ValidateObjectMeta): the name by the rule of the
 * kind's registry, the namespace as a DNS label, label keys and values, and
 * annotation keys and their total size.  Then the core registries' rules
 * for the fields of Service and EndpointSlice that gwc reads
 * (pkg/apis/core/validation ValidateService, pkg/apis/discovery/validation
 * ValidateEndpointSlice): those values reach nginx as upstream servers and
 * resolver names, so a value the API server would refuse must never get
 * that far.
 */
#include "schema_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/ipaddr.h"

#include <ctype.h>
#include <string.h>

/* apimachinery TotalAnnotationSizeLimitB */
#define ANNOTATIONS_MAX_BYTES (256u * 1024u)

/*
 * Custom resources and most core kinds take a DNS-1123 subdomain; a
 * Namespace name is a DNS-1123 label (ValidateNamespaceName) and a Service
 * name a DNS-1035 label (ValidateServiceName: it becomes a DNS name and an
 * environment variable prefix, so it starts with a letter).
 */
static const struct str_format *name_format(enum kind k)
{
    switch (k) {
    case KIND_NAMESPACE:
        return &schema_fmt_dns_label;
    case KIND_SERVICE:
        return &schema_fmt_dns1035_label;
    default:
        return &schema_fmt_dns_subdomain;
    }
}

static void check_key(struct schema *s, const struct strmap_entry *e,
                      const char *what, const char *key, size_t max_prefix)
{
    switch (schema_qualified_name_problem(key, max_prefix)) {
    case QNAME_OK:
        return;
    case QNAME_PREFIX_TOO_LONG:
        schema_report_key(s, DIAG_STRING_TOO_LONG, e->src,
                          "%s key '%s' has a prefix of %zu characters; at most "
                          "%zu are allowed",
                          what, schema_quote(s, e->key),
                          (size_t)(strchr(key, '/') - key), max_prefix);
        return;
    case QNAME_INVALID:
        schema_report_key(s, DIAG_PATTERN_MISMATCH, e->src,
                          "%s key '%s' is not a valid qualified name: %s", what,
                          schema_quote(s, e->key), schema_qualified_name_allowed);
        return;
    }
}

/* Infrastructure labels and annotations check their keys by CEL rules
 * whose prefix limit is "size() < 253"; metadata's limit is 253. */
void schema_check_label_keys(struct schema *s, const struct strmap *m,
                             const char *what, size_t max_prefix)
{
    size_t i;

    for (i = 0; i < m->n; i++)
        check_key(s, &m->v[i], what, m->v[i].key, max_prefix);
}

/* ValidateAnnotations lowercases a key before checking it: "Example.com/X"
 * is a valid annotation key but not a valid label key. */
static void check_annotations(struct schema *s, const struct ynode *meta,
                              const struct strmap *m)
{
    size_t i, total = 0;

    for (i = 0; i < m->n; i++) {
        char *lower = arena_strdup(s->c->arena, m->v[i].key), *p;

        for (p = lower; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        check_key(s, &m->v[i], "annotation", lower, 253);
        total += strlen(m->v[i].key) + strlen(m->v[i].value);
    }
    if (total > ANNOTATIONS_MAX_BYTES)
        schema_report(s, DIAG_STRING_TOO_LONG,
                      schema_field_node(meta, "annotations"),
                      "annotations must total at most %u bytes, got %zu",
                      ANNOTATIONS_MAX_BYTES, total);
}

void schema_meta(struct schema *s)
{
    const struct object_meta *m = &s->obj->meta;

    /* The name's format is the kind's; namespace and label values are the
     * table's. */
    schema_check_str(s, m->src, "name", m->name, name_format(s->obj->kind));
    schema_check_label_keys(s, &m->labels, "label", 253);
    check_annotations(s, m->src, &m->annotations);
}

/* ---- Service ---- */

static bool is_ipv6_only(const char *v)
{
    return !ipaddr_is_v4(v) && ipaddr_is_ip(v);
}

/*
 * ExternalName: externalName is required and is a DNS-1123 subdomain (a
 * trailing dot, marking the name fully qualified, is allowed), and the
 * Service has no cluster IP at all.
 */
static void check_external_name(struct schema *s, const struct service *svc)
{
    const struct ynode *spec = svc->spec_src;
    const char *name = svc->external_name;
    size_t n;

    if (!name || !*name) {
        if (!name)
            schema_check_required(s, spec,
                                  svc->present & SERVICE_GIVEN_EXTERNAL_NAME,
                                  "externalName", "ServiceSpec");
        else
            schema_report(s, DIAG_MISSING_FIELD,
                          schema_field_node(spec, "externalName"),
                          "an ExternalName Service needs externalName, the DNS "
                          "name it stands for");
    } else {
        n = strlen(name);
        if (name[n - 1] == '.')
            name = arena_strndup(s->c->arena, name, n - 1);
        schema_check_string(s, schema_field_node(spec, "externalName"),
                            "externalName", name, &schema_fmt_dns_subdomain);
    }
    if (svc->cluster_ip && *svc->cluster_ip)
        schema_report(s, DIAG_CORE_VALIDATION, schema_field_node(spec, "clusterIP"),
                      "clusterIP may not be set for ExternalName Services");
    else if (svc->n_cluster_ips)
        schema_report(s, DIAG_CORE_VALIDATION,
                      schema_field_node(spec, "clusterIPs"),
                      "clusterIPs may not be set for ExternalName Services");
}

/*
 * clusterIP is empty (the cluster allocates one), "None" (a headless
 * Service) or an IP address; clusterIPs holds one such value per IP family
 * (at most two, "None" only alone), the first equal to clusterIP when both
 * are given.  NodePort and LoadBalancer Services cannot be headless.
 */
static void check_cluster_ips(struct schema *s, const struct service *svc)
{
    const struct ynode *spec = svc->spec_src;
    const char *ip = svc->cluster_ip;
    size_t i;

    if (ip && *ip && strcmp(ip, "None") != 0 && !ipaddr_is_ip(ip))
        schema_report(s, DIAG_PATTERN_MISMATCH,
                      schema_field_node(spec, "clusterIP"),
                      "clusterIP '%s' is not 'None' or a valid IPv4 or IPv6 "
                      "address",
                      schema_quote(s, ip));
    schema_check_count(s, spec, "clusterIPs", svc->n_cluster_ips, 0, 2);
    for (i = 0; i < svc->n_cluster_ips; i++) {
        const char *v = svc->cluster_ips[i];
        const struct ynode *at = schema_string_item(spec, "clusterIPs", i);

        if (!at)
            continue;
        if (strcmp(v, "None") == 0) {
            if (i > 0 || svc->n_cluster_ips > 1)
                schema_report(s, DIAG_CORE_VALIDATION, at,
                              "'None' must be the only value of clusterIPs");
        } else if (!ipaddr_is_ip(v)) {
            schema_report(s, DIAG_PATTERN_MISMATCH, at,
                          "clusterIPs value '%s' is not 'None' or a valid IPv4 "
                          "or IPv6 address",
                          schema_quote(s, v));
        } else if (i == 1 && ipaddr_is_ip(svc->cluster_ips[0]) &&
                   is_ipv6_only(v) == is_ipv6_only(svc->cluster_ips[0])) {
            schema_report(s, DIAG_CORE_VALIDATION, at,
                          "clusterIPs may hold one address of each IP family; "
                          "'%s' and '%s' are both %s",
                          schema_quote(s, svc->cluster_ips[0]),
                          schema_quote(s, v), is_ipv6_only(v) ? "IPv6" : "IPv4");
        }
    }
    if (ip && *ip && svc->n_cluster_ips &&
        schema_string_item(spec, "clusterIPs", 0) &&
        strcmp(ip, svc->cluster_ips[0]) != 0)
        schema_report(s, DIAG_CORE_VALIDATION,
                      schema_string_item(spec, "clusterIPs", 0),
                      "the first value of clusterIPs must equal clusterIP '%s'",
                      schema_quote(s, ip));
    if ((str_is(ip, "None") ||
         (svc->n_cluster_ips && str_is(svc->cluster_ips[0], "None"))) &&
        (str_is(svc->type, "NodePort") || str_is(svc->type, "LoadBalancer")))
        schema_report(s, DIAG_CORE_VALIDATION,
                      schema_field_node(spec, str_is(ip, "None") ? "clusterIP"
                                                                 : "clusterIPs"),
                      "a %s Service cannot be headless (clusterIP None)",
                      svc->type);
}

void schema_service(struct schema *s)
{
    const struct service *svc = (const struct service *)s->obj;
    const struct ynode *spec = svc->spec_src;

    if (!spec)
        return;
    if (str_is(svc->type, "ExternalName"))
        check_external_name(s, svc);
    else
        check_cluster_ips(s, svc);
}

/* ---- EndpointSlice ---- */

/*
 * Addresses must be of the slice's addressType.  FQDN slices are not
 * checked: gwc never routes to them.  Newer API servers also refuse
 * loopback, link-local and unspecified addresses; gwc accepts them, since
 * a slice that points at 127.0.0.1 is how a Service is run locally (and
 * how gwc's own tests run one), and nginx connects to them all the same.
 */
static void check_endpoint(struct schema *s, const struct endpoint_slice *es,
                           const struct endpoint *e)
{
    bool v4 = str_is(es->address_type, "IPv4");
    size_t i;

    schema_check_count(s, e->src, "addresses", e->n_addresses, 1, 100);
    for (i = 0; i < e->n_addresses; i++) {
        const char *a = e->addresses[i];
        const struct ynode *at = schema_string_item(e->src, "addresses", i);

        if (!at || (v4 ? ipaddr_is_v4(a) : is_ipv6_only(a)))
            continue;
        schema_report(s, DIAG_PATTERN_MISMATCH, at,
                      "address '%s' is not a valid %s address (the slice's "
                      "addressType)",
                      schema_quote(s, a), v4 ? "IPv4" : "IPv6");
    }
}

void schema_endpoint_slice(struct schema *s)
{
    const struct endpoint_slice *es = (const struct endpoint_slice *)s->obj;
    size_t i;

    if (!str_is(es->address_type, "IPv4") && !str_is(es->address_type, "IPv6"))
        return;
    for (i = 0; i < es->n_endpoints; i++) {
        if (es->endpoints[i].src)
            check_endpoint(s, es, &es->endpoints[i]);
    }
}
