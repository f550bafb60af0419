/*
 * The rules on the reference types every kind shares
 * (object_reference_types.go, shared_types.go) that go beyond one field
 * (the fields' formats are in the tables): the CEL rule of
 * BackendObjectReference, and parentRefs' sectionName rules.
 */
#include "schema_internal.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

/* CEL: (size(self.group) == 0 && self.kind == 'Service') ? has(self.port)
 * : true.  Presence is the field's (its present bit), so a port of the
 * wrong type (already reported) does not count as missing. */
static void check_service_port(struct schema *s, const struct ynode *src,
                               const char *group, const char *kind,
                               const char *name, uint8_t present)
{
    if (!group || !kind || *group || strcmp(kind, "Service") != 0 ||
        (present & BACKEND_REF_GIVEN_PORT))
        return;
    schema_report(s, DIAG_BACKEND_PORT_REQUIRED, src,
                  "a reference to Service '%s' must set port",
                  name ? name : "");
}

void schema_check_backend_object_ref(struct schema *s,
                                     const struct backend_object_ref *r)
{
    if (r->src)
        check_service_port(s, r->src, r->group, r->kind, r->name, r->present);
}

void schema_check_backend_ref(struct schema *s, const struct backend_ref *b)
{
    if (b->src)
        check_service_port(s, b->src, b->group, b->kind, b->name, b->present);
}

/*
 * The two CEL rules on every route's parentRefs (standard channel): among
 * references to one parent (group, kind, namespace, name; an absent and an
 * empty namespace are the same), either all set sectionName or none does,
 * and no two share a sectionName (or the lack of one).  The experimental
 * channel also keys on port; the standard rule is the stricter one.
 */
void schema_check_distinct_sections(struct schema *s, enum diag_code code,
                                    const struct section_ref *v, size_t n)
{
    struct seen targets, pairs;
    size_t i;

    if (n < 2)
        return;
    schema_seen_init(&targets, s->c->tree, n, false);
    schema_seen_init(&pairs, s->c->tree, n, false);
    for (i = 0; i < n; i++) {
        const struct seen_slot *first =
            schema_seen_add(&targets, v[i].key, v[i].at, i);
        const char *pair = arena_printf(s->c->arena, "%s\x1f%s", v[i].key,
                                        v[i].section ? v[i].section : "");
        const struct seen_slot *dup = schema_seen_add(&pairs, pair, v[i].at, i);
        struct diag *d;

        if (first && !v[first->index].section != !v[i].section) {
            d = schema_report(s, code, v[i].at,
                              "%s is referenced more than once, with and "
                              "without sectionName; set sectionName on every "
                              "reference to it",
                              v[i].target);
            schema_note(s, d, first->at, "first referenced here");
        }
        if (!dup)
            continue;
        if (v[i].section)
            d = schema_report(s, code, v[i].at,
                              "%s is referenced more than once with "
                              "sectionName '%s'; each reference must name a "
                              "different section",
                              v[i].target, schema_quote(s, v[i].section));
        else
            d = schema_report(s, code, v[i].at,
                              "%s is referenced more than once without "
                              "sectionName; give each reference a distinct "
                              "sectionName",
                              v[i].target);
        schema_note(s, d, dup->at, "first referenced here");
    }
}

static const char *nonempty(const char *v)
{
    return v && *v ? v : NULL;
}

void schema_check_parent_refs(struct schema *s, const struct parent_ref *v,
                              size_t n)
{
    struct section_ref *refs = NULL;
    size_t i, k = 0;

    if (n >= 2)
        refs = ARENA_NEW_ARRAY(s->c->arena, struct section_ref, n);
    for (i = 0; i < n; i++) {
        const struct parent_ref *p = &v[i];
        const char *ns = nonempty(p->namespace);

        if (!p->src || !refs || !p->group || !p->kind || !p->name)
            continue; /* a decode error hides the parent's identity */
        refs[k].at = p->src;
        refs[k].target = arena_printf(s->c->arena, "%s '%s%s%s'", p->kind,
                                      ns ? ns : "", ns ? "/" : "", p->name);
        refs[k].key = arena_printf(s->c->arena, "%s\x1f%s\x1f%s\x1f%s",
                                   p->group, p->kind, ns ? ns : "", p->name);
        refs[k].section = nonempty(p->section_name);
        k++;
    }
    schema_check_distinct_sections(s, DIAG_PARENTREF_SECTIONS, refs, k);
}
