/*
 * BackendTLSPolicy (backendtlspolicy_types.go, policy_types.go).
 * ReferenceGrant has no rules beyond its fields' limits (in its table).
 */
#include "schema_internal.h"

#include "base/arena.h"
#include "base/compilation.h"

/* The CEL rules of targetRefs: references to one target (group, kind,
 * name) all set distinct sectionNames, or there is only one. */
static void check_target_refs(struct schema *s,
                              const struct backend_tls_policy *p)
{
    struct section_ref *refs = NULL;
    size_t i, k = 0;

    if (p->n_target_refs >= 2)
        refs =
            ARENA_NEW_ARRAY(s->c->arena, struct section_ref, p->n_target_refs);
    for (i = 0; i < p->n_target_refs; i++) {
        const struct policy_target_ref *t = &p->target_refs[i];

        if (!t->src || !refs || !t->group || !t->kind || !t->name)
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

/* CEL: an entry of type 'type' has a non-empty 'key' (its present bit:
 * 'bit'), and no other entry has one. */
static void check_san_field(struct schema *s, const struct subject_alt_name *n,
                            const char *type, const char *key, uint8_t bit,
                            const char *value)
{
    const struct schema_union u = {DIAG_POLICY_VALIDATION, n->src, "type",
                                   n->type, false};

    if (n->type)
        schema_check_union_member(s, &u, key, type, str_is(n->type, type),
                                  (n->present & bit) && (!value || *value));
}

static void check_subject_alt_names(struct schema *s,
                                    const struct backend_tls_validation *v)
{
    size_t i;

    for (i = 0; i < v->n_subject_alt_names; i++) {
        const struct subject_alt_name *n = &v->subject_alt_names[i];

        if (!n->src)
            continue;
        check_san_field(s, n, "Hostname", "hostname", SAN_GIVEN_HOSTNAME,
                        n->hostname);
        check_san_field(s, n, "URI", "uri", SAN_GIVEN_URI, n->uri);
    }
}

static void check_validation(struct schema *s,
                             const struct backend_tls_validation *v)
{
    const char *known = v->well_known_ca_certificates;
    bool has_refs = v->n_ca_certificate_refs > 0, has_known = known && *known;

    if (!v->src)
        return;
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
}
