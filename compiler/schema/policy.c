/*
 * ReferenceGrant and BackendTLSPolicy (referencegrant_types.go,
 * backendtlspolicy_types.go, policy_types.go).
 */
#include "schema_internal.h"

#include "base/arena.h"
#include "base/compilation.h"

void schema_reference_grant(struct schema *s)
{
    const struct reference_grant *g = (const struct reference_grant *)s->obj;
    size_t i;

    /* The decode table leaves spec optional; the CRD requires it. */
    if (!schema_check_required(s, g->obj.src, "spec", "ReferenceGrant"))
        return;
    schema_check_count(s, g->spec_src, "from", g->n_from, 1, 16);
    for (i = 0; i < g->n_from; i++) {
        const struct grant_from *f = &g->from[i];
        struct ref_fields r = {f->src, f->group, f->kind, NULL, f->namespace};
        schema_check_ref(s, &r);
    }
    schema_check_count(s, g->spec_src, "to", g->n_to, 1, 16);
    for (i = 0; i < g->n_to; i++) {
        const struct grant_to *t = &g->to[i];
        struct ref_fields r = {t->src, t->group, t->kind, t->name, NULL};
        schema_check_ref(s, &r);
    }
}

/* The CEL rules of targetRefs: references to one target (group, kind,
 * name) all set distinct sectionNames, or there is only one. */
static void check_target_refs(struct schema *s,
                              const struct backend_tls_policy *p)
{
    struct section_ref *refs = NULL;
    size_t i, k = 0;

    schema_check_count(s, p->spec_src, "targetRefs", p->n_target_refs, 1, 16);
    if (p->n_target_refs >= 2)
        refs =
            ARENA_NEW_ARRAY(s->c->arena, struct section_ref, p->n_target_refs);
    for (i = 0; i < p->n_target_refs; i++) {
        const struct policy_target_ref *t = &p->target_refs[i];
        struct ref_fields r = {t->src, t->group, t->kind, t->name, NULL};

        if (!t->src)
            continue;
        schema_check_ref(s, &r);
        schema_check_str(s, t->src, "sectionName", t->section_name,
                         &schema_fmt_section_name);
        if (!refs || !t->group || !t->kind || !t->name)
            continue;
        refs[k].at = t->src;
        refs[k].target = arena_printf(s->c->arena, "%s '%s'", t->kind, t->name);
        refs[k].key = arena_printf(s->c->arena, "%s\x1f%s\x1f%s", t->group,
                                   t->kind, t->name);
        refs[k].section =
            t->section_name && *t->section_name ? t->section_name : NULL;
        k++;
    }
    schema_check_distinct_sections(s, DIAG_POLICY_VALIDATION, refs, k);
}

static const char *const san_types[] = {"Hostname", "URI", NULL};

/* CEL: an entry of type 'type' has a non-empty 'key', and no other entry
 * has one. */
static void check_san_field(struct schema *s, const struct subject_alt_name *n,
                            const char *type, const char *key,
                            const char *value)
{
    bool set = has_field(n->src, key) && (!value || *value);

    if (!n->type)
        return;
    if (str_is(n->type, type) && !set)
        schema_report(s, DIAG_POLICY_VALIDATION, schema_field_node(n->src, "type"),
                      "a subjectAltName of type %s needs %s", type, key);
    else if (!str_is(n->type, type) && set)
        schema_report(s, DIAG_POLICY_VALIDATION, schema_field_node(n->src, key),
                      "%s must not be set when type is '%s'", key,
                      schema_quote(s, n->type));
}

static void check_subject_alt_names(struct schema *s,
                                    const struct backend_tls_validation *v)
{
    size_t i;

    schema_check_count(s, v->src, "subjectAltNames", v->n_subject_alt_names, 0, 5);
    for (i = 0; i < v->n_subject_alt_names; i++) {
        const struct subject_alt_name *n = &v->subject_alt_names[i];

        if (!n->src)
            continue;
        schema_check_enum(s, n->src, "type", n->type, san_types);
        schema_check_str(s, n->src, "hostname", n->hostname, &schema_fmt_hostname);
        schema_check_str(s, n->src, "uri", n->uri, &schema_fmt_uri);
        check_san_field(s, n, "Hostname", "hostname", n->hostname);
        check_san_field(s, n, "URI", "uri", n->uri);
    }
}

static void check_validation(struct schema *s,
                             const struct backend_tls_validation *v)
{
    const char *known = v->well_known_ca_certificates;
    bool has_refs = v->n_ca_certificate_refs > 0, has_known = known && *known;
    size_t i;

    if (!v->src)
        return;
    schema_check_count(s, v->src, "caCertificateRefs", v->n_ca_certificate_refs, 0,
                       8);
    for (i = 0; i < v->n_ca_certificate_refs; i++)
        schema_check_local_ref(s, &v->ca_certificate_refs[i]);
    schema_check_str(s, v->src, "wellKnownCACertificates", known,
                     &schema_fmt_well_known_ca);
    schema_check_str(s, v->src, "hostname", v->hostname,
                     &schema_fmt_precise_hostname);
    check_subject_alt_names(s, v);
    /* CEL: exactly one of caCertificateRefs and wellKnownCACertificates. */
    if (has_refs && has_known)
        schema_report(s, DIAG_POLICY_VALIDATION,
                      schema_field_node(v->src, "wellKnownCACertificates"),
                      "set either caCertificateRefs or wellKnownCACertificates, "
                      "not both");
    else if (!has_refs && !has_known)
        schema_report(s, DIAG_POLICY_VALIDATION, v->src,
                      "validation needs caCertificateRefs or "
                      "wellKnownCACertificates to trust the backend's "
                      "certificate");
}

void schema_backend_tls_policy(struct schema *s)
{
    const struct backend_tls_policy *p =
        (const struct backend_tls_policy *)s->obj;

    check_target_refs(s, p);
    check_validation(s, &p->validation);
    schema_check_map(s, p->spec_src, "options", &p->options, 16,
                     &schema_fmt_long_value);
}
