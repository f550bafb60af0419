/*
 * Namespace selectors (allowedRoutes.namespaces, allowedListeners): Same,
 * All, or a metav1.LabelSelector on the Namespace's labels.
 */
#include "controller_internal.h"

#include <string.h>

static bool in_values(const struct label_selector_req *r, const char *v)
{
    size_t i;

    for (i = 0; v && i < r->n_values; i++) {
        if (strcmp(r->values[i], v) == 0)
            return true;
    }
    return false;
}

/* A namespace's label: its object's labels, plus the one Kubernetes sets on
 * every namespace, kubernetes.io/metadata.name (known even when the
 * Namespace object is not in the input). */
static const char *ns_label(const struct object *nso, const char *ns,
                            const char *key)
{
    if (strcmp(key, "kubernetes.io/metadata.name") == 0)
        return ns;
    return nso ? model_strmap_get(&nso->meta.labels, key) : NULL;
}

/* metav1.LabelSelector: every matchLabels entry and every expression holds. */
static bool selector_matches(const struct label_selector *sel,
                             const struct object *nso, const char *ns)
{
    size_t i;

    for (i = 0; i < sel->match_labels.n; i++) {
        const char *v = ns_label(nso, ns, sel->match_labels.v[i].key);
        if (!v || strcmp(v, sel->match_labels.v[i].value) != 0)
            return false;
    }
    for (i = 0; i < sel->n_match_expressions; i++) {
        const struct label_selector_req *r = &sel->match_expressions[i];
        const char *v = ns_label(nso, ns, r->key);
        bool ok;

        if (str_eq(r->operator, "In"))
            ok = in_values(r, v);
        else if (str_eq(r->operator, "NotIn"))
            ok = !in_values(r, v);
        else if (str_eq(r->operator, "Exists"))
            ok = v != NULL;
        else if (str_eq(r->operator, "DoesNotExist"))
            ok = v == NULL;
        else
            ok = false;
        if (!ok)
            return false;
    }
    return true;
}

/* Does `from` (Same, All, Selector) admit an object from namespace ns?
 * "Same" is the namespace of the object that declares the rule. */
bool ctl_namespace_selected(struct ctx *x, const struct object *owner,
                            const struct namespaces_from *nf, const char *home_ns,
                            const char *ns)
{
    const struct object *nso;

    switch (nf->from) {
    case FROM_ALL:
        return true;
    case FROM_SAME:
        return str_eq(home_ns, ns);
    case FROM_SELECTOR:
        break;
    case FROM_NONE:
    case FROM_UNSET:
    case FROM_OTHER:
        return false;
    }
    nso = model_find(x->m, KIND_NAMESPACE, NULL, ns);
    if (!nso && ctl_namespace_missing(x, owner, nf->src, ns))
        return false;
    return selector_matches(&nf->selector, nso, ns);
}
