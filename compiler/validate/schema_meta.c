/*
 * ObjectMeta, as the API server validates it for every kind
 * (k8s.io/apimachinery ValidateObjectMeta): the name by the rule of the
 * kind's registry, the namespace as a DNS label, label keys and values, and
 * annotation keys and their total size.
 */
#include "schema_internal.h"

#include "base/arena.h"
#include "base/compilation.h"

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
        return &fmt_dns_label;
    case KIND_SERVICE:
        return &fmt_dns1035_label;
    default:
        return &fmt_dns_subdomain;
    }
}

static void check_key(struct schema *s, const struct strmap_entry *e,
                      const char *what, const char *key, size_t max_prefix)
{
    switch (qualified_name_problem(key, max_prefix)) {
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
                          schema_quote(s, e->key), qualified_name_allowed);
        return;
    }
}

/* Infrastructure labels and annotations check their keys by CEL rules
 * whose prefix limit is "size() < 253"; metadata's limit is 253. */
void check_label_keys(struct schema *s, const struct strmap *m,
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
        schema_report(s, DIAG_STRING_TOO_LONG, field_node(meta, "annotations"),
                      "annotations must total at most %u bytes, got %zu",
                      ANNOTATIONS_MAX_BYTES, total);
}

void schema_meta(struct schema *s)
{
    const struct object_meta *m = &s->obj->meta;

    check_str(s, m->src, "name", m->name, name_format(s->obj->kind));
    /* Cluster-scoped objects have namespace NULL: the API server clears a
     * namespace given to them. */
    check_str(s, m->src, "namespace", m->namespace, &fmt_namespace);
    check_label_keys(s, &m->labels, "label", 253);
    check_map(s, m->src, "labels", &m->labels, SIZE_MAX, &fmt_label_value);
    check_annotations(s, m->src, &m->annotations);
}
