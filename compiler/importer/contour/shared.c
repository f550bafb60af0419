/*
 * What Contour's Ingresses and HTTPProxies share: the class
 * (internal/ingressclass/ingressclass.go), durations, flags, and the
 * access control fields of a virtual host or route.  A leaf:
 * every pass calls it, it calls none of them.
 */
#include "ct.h"

#include "base/arena.h"

const char ct_default_timeout[] = "15s";

bool ct_class_selected(const struct imp *im, const struct ynode *root,
                       const char **klass, const struct ynode **at)
{
    static const char *const keys[] = {"projectcontour.io/ingress.class",
                                       "kubernetes.io/ingress.class", NULL};
    const struct ynode *ann = ynode_get(ynode_get(root, "metadata"), "annotations");
    size_t i;

    *klass = NULL;
    for (i = 0; keys[i] && !*klass; i++) {
        *at = ynode_get(ann, keys[i]);
        *klass = imp_crd_text(*at);
    }
    if (!*klass) {
        *at = ynode_get(ynode_get(root, "spec"), "ingressClassName");
        *klass = imp_crd_text(*at);
    }
    if (!im->o->n_ingress_classes)
        return !*klass || str_eq(*klass, "contour");
    for (i = 0; i < im->o->n_ingress_classes; i++) {
        if (str_eq(im->o->ingress_classes[i], *klass))
            return true;
    }
    return false;
}

/* Contour parses Go durations; "infinity" (and "infinite") turn the
 * timeout off, which Gateway API spells 0s. */
const char *ct_duration(struct imp *im, const char *s)
{
    char buf[32];
    int64_t ms;

    if (str_eq(s, "infinity") || str_eq(s, "infinite"))
        return "0s";
    if (s && model_parse_duration(s, &ms))
        return s;
    s = s ? model_duration_fix(s, buf) : NULL; /* "1.5s": 1500ms */
    return s ? arena_strdup(im->a, s) : NULL;
}

bool ct_flag(const struct ynode *n)
{
    bool b = false;

    return n && n->kind == YNODE_SCALAR && imp_value_parse_go_bool(n->text, &b) &&
           b;
}

bool ct_access_control(struct imp *im, const struct imp_src *src,
                       const struct ynode *map, const char *what)
{
    static const char *const fields[] = {"authorization", "jwtProviders",
                                         "ipAllowPolicy", "ipDenyPolicy",
                                         "authPolicy", "jwtVerificationPolicy",
                                         NULL};
    bool found = false;
    size_t i;

    for (i = 0; fields[i]; i++) {
        const struct ynode *at = ynode_get(map, fields[i]);
        if (!at)
            continue;
        /* authPolicy {disabled: true} only lifts the host's own. */
        if (str_eq(fields[i], "authPolicy") && ct_flag(ynode_get(at, "disabled")))
            continue;
        if (str_eq(what, "tcpproxy"))
            ct_report(im, src, at, DIAG_IMPORT_FAIL_CLOSED,
                      "access control not converted exactly: %s has no "
                      "equivalent for TLS routes; the host's TLS listener is "
                      "written without its route, so its connections are "
                      "closed instead of being served without it",
                      fields[i]);
        else
            ct_report(im, src, at, DIAG_IMPORT_FAIL_CLOSED,
                      "access control not converted exactly: %s has no Gateway "
                      "API equivalent gwc writes; the %s answers 500 instead of "
                      "being served without it",
                      fields[i], what);
        found = true;
    }
    return found;
}
