/*
 * The conditions Contour itself refuses (internal/dag/conditions.go: the
 * path, header and query parameter checks), as opposed to conditions it
 * takes and gwc cannot convert.  What a refusal costs differs: Contour
 * skips an include whose own conditions it refuses, and drops every route
 * of an HTTPProxy (its includes' too) when one route's conditions are
 * refused, marking the proxy invalid (httpproxy.c follows it).
 *
 * Contour compares header conditions as whole structs with the name in
 * lower case: an `exact` conflicts with a `notexact` of the same value
 * only when the `notexact` sets nothing else (no ignoreCase), and so on.
 * The keys below spell a condition's fields the same way, so that a
 * lookup finds exactly what Contour's map lookup finds.  A regular
 * expression RE2 refuses also makes Contour refuse the conditions; gwc
 * cannot run RE2, so such a regex stays a route that answers 500
 * (route_conditions.c).
 */
#include "ct.h"

#include "base/arena.h"
#include "base/array.h"

#include <string.h>

/* A field Contour sees as set: a non-empty string, or true. */
static const char *set_text(const struct ynode *map, const char *field)
{
    const char *v = imp_crd_text(ynode_get(map, field));

    return v && *v ? v : NULL;
}

static const char *const header_fields[] = {"present", "notpresent", "contains",
                                            "notcontains", "exact", "notexact",
                                            "regex", "ignoreCase",
                                            "treatMissingAsEmpty"};

static bool is_flag(size_t i)
{
    return i < 2 || i > 6;
}

/* The header condition h as Contour's map key: the name in lower case and
 * every field; or, with only (a field index), a condition that sets only
 * that one field to value. */
static const char *header_key(struct imp *im, const char *name, const struct ynode *h,
                              size_t only, const char *value)
{
    const char *key = imp_value_ascii_lower(im->a, name);
    size_t i;

    for (i = 0; i < ARRAY_SIZE(header_fields); i++) {
        const char *v;
        if (h)
            v = is_flag(i) ? (ct_flag(ynode_get(h, header_fields[i])) ? "1" : "")
                           : set_text(h, header_fields[i]);
        else
            v = i == only ? value : NULL;
        key = arena_printf(im->a, "%s\x1f%s", key, v ? v : "");
    }
    return key;
}

struct seen {
    struct index headers;     /* header_key() of each header condition */
    struct index exact_names; /* "h:" or "q:" and the lower-case name */
};

static const char *header_refused(struct imp *im, struct seen *s, const struct ynode *h)
{
    const char *name = imp_crd_text(ynode_get(h, "name"));
    const char *lower, *exact = set_text(h, "exact");
    const char *notexact = set_text(h, "notexact");
    const char *contains = set_text(h, "contains");
    const char *notcontains = set_text(h, "notcontains");
    const char *why = NULL;

    if (!name)
        return NULL; /* the API server refuses it: no name */
    lower = imp_value_ascii_lower(im->a, name);
    /* Contour's switch takes the first field set, in this order. */
    if (ct_flag(ynode_get(h, "present"))) {
        if (imp_index_get(&s->headers, header_key(im, name, NULL, 1, "1")))
            why = "contradictory 'present' and 'notpresent' conditions for one header";
    } else if (ct_flag(ynode_get(h, "notpresent"))) {
        if (imp_index_get(&s->headers, header_key(im, name, NULL, 0, "1")))
            why = "contradictory 'present' and 'notpresent' conditions for one header";
    } else if (exact) {
        const char *k = arena_printf(im->a, "h:%s", lower);
        if (imp_index_get(&s->exact_names, k))
            why = "two 'exact' conditions for one header";
        else if (imp_index_get(&s->headers, header_key(im, name, NULL, 5, exact)))
            why = "contradictory 'exact' and 'notexact' conditions for one header";
        imp_index_put(im->a, &s->exact_names, k, (void *)h);
    } else if (notexact) {
        if (imp_index_get(&s->headers, header_key(im, name, NULL, 4, notexact)))
            why = "contradictory 'exact' and 'notexact' conditions for one header";
    } else if (contains) {
        if (imp_index_get(&s->headers, header_key(im, name, NULL, 3, contains)))
            why = "contradictory 'contains' and 'notcontains' conditions for one header";
    } else if (notcontains) {
        if (imp_index_get(&s->headers, header_key(im, name, NULL, 2, notcontains)))
            why = "contradictory 'contains' and 'notcontains' conditions for one header";
    }
    imp_index_put(im->a, &s->headers, header_key(im, name, h, 0, NULL), (void *)h);
    return why;
}

static const char *query_refused(struct imp *im, struct seen *s, const struct ynode *q)
{
    static const char *const forms[] = {"exact", "prefix", "suffix", "regex",
                                        "contains"};
    const char *name = imp_crd_text(ynode_get(q, "name"));
    size_t i, n = ct_flag(ynode_get(q, "present"));

    for (i = 0; i < ARRAY_SIZE(forms); i++)
        n += set_text(q, forms[i]) != NULL;
    if (!n)
        return "a query parameter condition that matches nothing (none of exact, "
               "prefix, suffix, regex, contains, present)";
    if (n > 1)
        return "a query parameter condition with more than one of exact, prefix, "
               "suffix, regex, contains and present";
    if (name && set_text(q, "exact")) {
        const char *k =
            arena_printf(im->a, "q:%s", imp_value_ascii_lower(im->a, name));
        if (imp_index_get(&s->exact_names, k))
            return "two 'exact' conditions for one query parameter";
        imp_index_put(im->a, &s->exact_names, k, (void *)q);
    }
    return NULL;
}

/* The header and query conditions of conds, after those already seen. */
static const struct ynode *values_refused(struct imp *im, struct seen *s,
                                          const struct ynode *conds, const char **why)
{
    size_t i;

    for (i = 0; imp_crd_seq(conds) && i < conds->n; i++) {
        const struct ynode *h = ynode_get(conds->items[i], "header");
        const struct ynode *q = ynode_get(conds->items[i], "queryParameter");
        if (h && (*why = header_refused(im, s, h)))
            return h;
        if (q && (*why = query_refused(im, s, q)))
            return q;
    }
    return NULL;
}

/* Contour merges the chain from the root down; its conditions were
 * checked with the includes that brought them. */
static const struct ynode *chain_refused(struct imp *im, struct seen *s,
                                         const struct ct_chain *c, const char **why)
{
    const struct ynode *at;

    if (!c)
        return NULL;
    if ((at = chain_refused(im, s, c->up, why)))
        return at;
    return values_refused(im, s, c->conds, why);
}

const struct ynode *ct_conditions_refused(struct imp *im, const struct ct_chain *chain,
                                          const struct ynode *conds, bool include,
                                          const char **why)
{
    static const char *const kinds[] = {"prefix", "exact", "regex"};
    const struct ynode *path = NULL, *at;
    struct seen s;
    size_t i, k;

    for (i = 0; imp_crd_seq(conds) && i < conds->n; i++) {
        const struct ynode *c = conds->items[i];
        for (k = 0; k < ARRAY_SIZE(kinds); k++) {
            const char *v = set_text(c, kinds[k]);
            if (!v)
                continue;
            if (include && k) {
                *why = "an include takes no exact or regex condition";
                return c;
            }
            if (v[0] != '/') {
                *why = "a path condition that does not start with '/'";
                return c;
            }
            if (path) {
                *why = "more than one prefix, exact or regex condition";
                return c;
            }
            path = c;
        }
    }
    memset(&s, 0, sizeof(s));
    if ((at = chain_refused(im, &s, chain, why)))
        return at;
    return values_refused(im, &s, conds, why);
}
