/*
 * The references of gwc's policies: an AccessPolicy's htpasswd Secret and
 * auth Service, a ClientPolicy's error page Services.  An unusable one
 * makes the policy unusable (every rule it covers answers 500), and sets
 * its ResolvedRefs condition.
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/strbuf.h"

#include <string.h>

static bool basic_auth_secret(struct ctx *x, struct gwc_policy *gp, const char **why)
{
    const struct access_policy *p = (const struct access_policy *)gp->obj;
    const struct basic_auth *b = &p->basic_auth;
    const char *ns = b->secret_ref.namespace ? b->secret_ref.namespace : p->obj.meta.namespace;
    const struct secret *sec;
    struct strhash users;
    struct strbuf all = STRBUF_INIT;
    size_t i;

    if (!ctl_grant_allows(x, "AccessPolicy", p->obj.meta.namespace, "", "Secret",
                          ns, b->secret_ref.name)) {
        *why =
            ctl_msgf(x,
                     "Secret '%s/%s' is in another namespace and no ReferenceGrant "
                     "there allows AccessPolicy from '%s'",
                     ns, b->secret_ref.name, p->obj.meta.namespace);
        return false;
    }
    sec = (const struct secret *)model_find(x->m, KIND_SECRET, ns, b->secret_ref.name);
    if (!sec || sec->obj.rejected) {
        *why = ctl_msgf(x, "Secret '%s/%s' is not in the input", ns,
                        b->secret_ref.name);
        return false;
    }
    strhash_init(&users, x->c->arena);
    if (str_eq(b->format, "UserMap")) {
        /* Every key a user, its value the hash. */
        const struct strmap *maps[2] = {&sec->string_data, &sec->data};
        size_t k;
        for (k = 0; k < 2; k++) {
            for (i = 0; i < maps[k]->n; i++) {
                char *v;
                size_t n;
                const char *line;
                if (!ctl_secret_value(x->c->arena, sec, maps[k]->v[i].key, &v, &n))
                    continue;
                line = ctl_msgf(x, "%s:%.*s", maps[k]->v[i].key, (int)n, v);
                strbuf_addstr(&all, ctl_htpasswd_lines(
                                        x, &p->obj, b->secret_ref.src,
                                        ctl_msgf(x, "key '%s'", maps[k]->v[i].key),
                                        line, strlen(line), &users));
            }
        }
    } else {
        const char *key = b->key ? b->key : "auth";
        char *v;
        size_t n;
        if (!ctl_secret_value(x->c->arena, sec, key, &v, &n)) {
            *why = ctl_msgf(x, "Secret '%s/%s' has no key '%s'", ns,
                            b->secret_ref.name, key);
            return false;
        }
        strbuf_addstr(&all,
                      ctl_htpasswd_lines(x, &p->obj, b->secret_ref.src,
                                         ctl_msgf(x, "Secret '%s/%s' key '%s'", ns,
                                                  b->secret_ref.name, key),
                                         v, n, &users));
    }
    gp->htpasswd = arena_strndup(x->c->arena, all.buf ? all.buf : "", all.len);
    strbuf_release(&all);
    if (!*gp->htpasswd) {
        *why = ctl_msgf(x, "Secret '%s/%s' has no usable htpasswd line", ns,
                        b->secret_ref.name);
        return false;
    }
    return true;
}

/* ResolvedRefs of an AccessPolicy; false when a reference is unusable
 * (then every rule it covers answers 500). */
bool ctl_access_policy_refs(struct ctx *x, struct gwc_policy *gp, struct conditions *cs)
{
    const struct access_policy *p = (const struct access_policy *)gp->obj;
    const char *why = NULL;

    if ((p->present & ACCESS_GIVEN_BASIC_AUTH) && !basic_auth_secret(x, gp, &why))
        ctl_finding(x, DIAG_POLICY_REF_INVALID, &p->obj,
                    p->basic_auth.secret_ref.src,
                    "%s; the rules this policy covers answer 500 until it is", why);
    if ((p->external_auth.present & EXTAUTH_GIVEN_BACKEND_REF) &&
        (!ctl_backend_resolve_for(x, &p->obj, &p->external_auth.backend_ref,
                                  &gp->auth) ||
         gp->auth.status != BACKEND_OK)) {
        if (!why)
            why = ctl_msgf(x, "the auth Service '%s' cannot be used",
                           p->external_auth.backend_ref.name);
        if (gp->auth.status == BACKEND_UNAVAILABLE)
            ctl_finding(
                x, DIAG_POLICY_REF_INVALID, &p->obj,
                p->external_auth.backend_ref.src,
                "auth Service '%s' has no ready endpoints; the rules this policy "
                "covers answer 500",
                p->external_auth.backend_ref.name);
    }
    if (why) {
        ctl_conditions_set(cs, COND_RESOLVED_REFS, false, REASON_INVALID, why);
        return false;
    }
    if (p->present & (ACCESS_GIVEN_BASIC_AUTH | ACCESS_GIVEN_EXTERNAL_AUTH))
        ctl_conditions_set(cs, COND_RESOLVED_REFS, true, REASON_RESOLVED_REFS, "");
    return true;
}

/* ---- ClientPolicy references ---- */

/* The Services of errorResponses.backendRef, resolved like a route's
 * backendRef (ReferenceGrant from ClientPolicy, port, endpoints); false
 * when one cannot be used (then every rule the policy covers answers 500,
 * as for any unusable policy).  A Service without ready endpoints is not
 * an error: nginx's own page answers those codes (docs/policies.md). */
bool ctl_client_policy_refs(struct ctx *x, struct gwc_policy *gp, struct conditions *cs)
{
    const struct client_policy *p = (const struct client_policy *)gp->obj;
    const char *why = NULL;
    size_t i;

    gp->error_backends = ARENA_NEW_ARRAY(x->c->arena, struct backend,
                                         p->n_error_responses ? p->n_error_responses : 1);
    for (i = 0; i < p->n_error_responses; i++) {
        const struct backend_object_ref *ref = &p->error_responses[i].backend_ref;
        struct backend *b = &gp->error_backends[i];
        if (!ref->src)
            continue;
        if (!ctl_backend_resolve_for(x, &p->obj, ref, b)) {
            if (!why)
                why = ctl_msgf(x, "the error page Service '%s' cannot be used", ref->name);
            continue;
        }
        if (str_eq(ctl_backend_app_protocol(b), "kubernetes.io/h2c")) {
            why = ctl_msgf(x, "the error page Service '%s' speaks h2c", ref->name);
            ctl_finding(x, DIAG_POLICY_REF_INVALID, &p->obj, ref->src,
                        "Service '%s/%s' port %lld has appProtocol kubernetes.io/h2c; "
                        "gwc sends error page requests over HTTP/1.1 only; the rules "
                        "this policy covers answer 500",
                        b->namespace, b->name, (long long)b->port_number);
            continue;
        }
        if (b->status == BACKEND_UNAVAILABLE)
            ctl_finding(x, DIAG_ERROR_PAGE_UNAVAILABLE, &p->obj, ref->src,
                        "Service '%s/%s' has no ready endpoints: responses with "
                        "these codes keep their status with nginx's own page",
                        b->namespace, b->name);
    }
    if (why) {
        ctl_conditions_set(cs, COND_RESOLVED_REFS, false, REASON_INVALID, why);
        return false;
    }
    for (i = 0; i < p->n_error_responses; i++) {
        if (p->error_responses[i].present & ERROR_RESPONSE_GIVEN_BACKEND_REF) {
            ctl_conditions_set(cs, COND_RESOLVED_REFS, true, REASON_RESOLVED_REFS, "");
            break;
        }
    }
    return true;
}
