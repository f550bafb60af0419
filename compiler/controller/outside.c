/*
 * References to objects the input does not hold.  One rule for every kind
 * gwc resolves (Service, Secret, ConfigMap, Namespace): such an object is
 * assumed to exist in the cluster, which a note says, because repositories
 * rarely hold everything (cert-manager and external-secrets create Secrets
 * in the cluster, Namespaces come from elsewhere).  --strict-refs makes
 * each of them an error, reported by the caller with its own condition.
 * Either way a misspelled name gets a suggestion from the names the input
 * does hold.
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/suggest.h"

const char *ctl_name_suggestion(struct ctx *x, enum kind kind, const char *ns,
                                const char *name)
{
    const char *best = model_suggest_name(x->m, kind, ns, name, &x->suggest_budget);

    return ctl_msgf(x, SUGGEST_FMT, SUGGEST_ARGS(best));
}

bool ctl_assume_exists(struct ctx *x, const struct object *from,
                       const struct ynode *at, enum kind kind, const char *ns,
                       const char *name, const char *how)
{
    /* A name no object can have names nothing in the cluster either; it
     * must never become a path or a host name in the output. */
    if (x->o->strict_refs || !schema_can_name(kind, name) ||
        (ns && !schema_can_name(KIND_NAMESPACE, ns)))
        return false;
    ctl_finding(
        x, DIAG_REF_ASSUMED, from, at,
        "%s '%s%s%s' is not in the input; assuming it exists in the cluster (%s; "
        "--strict-refs makes this an error)%s",
        model_kind_name(kind), ns ? ns : "", ns ? "/" : "", name, how,
        ctl_name_suggestion(x, kind, ns, name));
    return true;
}

bool ctl_namespace_missing(struct ctx *x, const struct object *owner,
                           const struct ynode *at, const char *ns)
{
    void **seen = strhash_slot(&x->missing_namespaces, ns);

    if (*seen)
        return x->o->strict_refs;
    *seen = (void *)ns;
    if (ctl_assume_exists(
            x, owner, at, KIND_NAMESPACE, NULL, ns,
            "the selector can match only its kubernetes.io/metadata.name "
            "label"))
        return false;
    ctl_finding(
        x, DIAG_NAMESPACE_NOT_FOUND, owner, at,
        "Namespace '%s' is not in the input, so its labels are unknown and the "
        "selector admits nothing from it%s",
        ns, ctl_name_suggestion(x, KIND_NAMESPACE, NULL, ns));
    return true;
}
