/*
 * A listener's TLS material: the certificates it terminates TLS with and
 * the CA bundle it validates client certificates with.
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

static const struct ynode *field_or(const struct ynode *map, const char *key)
{
    const struct ynode *n = map ? ynode_get(map, key) : NULL;

    return n ? n : map;
}

void ctl_listener_certificates(struct ctx *x, struct eff_listener *l,
                               enum cond_reason *reason, const char **message)
{
    const struct listener_tls *tls = &l->spec->tls;
    const struct object *owner = ctl_listener_owner(l);
    size_t i;

    if (tls->n_certificate_refs == 0) {
        /* The CRD accepts options instead of certificateRefs, for
         * implementations that find certificates through them; gwc
         * implements no TLS options, so there is nothing to terminate
         * TLS with (nginx refuses a TLS server without a certificate). */
        if (tls->options.n > 0) {
            *reason = REASON_INVALID_CERTIFICATE_REF;
            *message = "the listener has no certificateRefs, and gwc implements no "
                       "TLS options that could provide a certificate";
            ctl_finding(
                x, DIAG_CERT_REF_INVALID, owner, field_or(tls->src, "options"),
                "%s listener '%s' has tls.options but no tls.certificateRefs; "
                "gwc implements no TLS options, so it has no certificate to "
                "terminate TLS with",
                ctl_protocol_name(l->protocol), l->spec->name);
            return;
        }
        *reason = REASON_INVALID_CERTIFICATE_REF;
        *message = "the listener has no certificateRefs";
        ctl_finding(
            x, DIAG_CERT_REF_INVALID, owner, l->spec->src,
            "%s listener '%s' has no tls.certificateRefs to terminate TLS with",
            ctl_protocol_name(l->protocol), l->spec->name);
        return;
    }
    l->certificates = ARENA_NEW_ARRAY(x->c->arena, struct certificate,
                                      tls->n_certificate_refs);
    for (i = 0; i < tls->n_certificate_refs; i++) {
        const struct secret_ref *r = &tls->certificate_refs[i];
        const char *ns = r->namespace ? r->namespace : owner->meta.namespace;
        const struct secret *s;
        const char *problem;

        if (!str_eq(r->group, "") || !str_eq(r->kind, "Secret")) {
            ctl_finding(
                x, DIAG_CERT_REF_INVALID, owner, r->src,
                "certificateRef to %s/%s is not supported; use a core Secret",
                *r->group ? r->group : "core", r->kind);
            if (*reason == REASON_NONE) {
                *reason = REASON_INVALID_CERTIFICATE_REF;
                *message =
                    ctl_msgf(x, "unsupported certificateRef kind %s", r->kind);
            }
            continue;
        }
        if (!ctl_grant_allows(x, model_kind_name(owner->kind),
                              owner->meta.namespace, "", "Secret", ns, r->name)) {
            ctl_finding(
                x, DIAG_CERT_REF_NOT_PERMITTED, owner, r->src,
                "certificateRef to Secret '%s/%s' needs a ReferenceGrant in "
                "namespace '%s' from %s in '%s'",
                ns, r->name, ns, model_kind_name(owner->kind),
                owner->meta.namespace);
            if (*reason == REASON_NONE ||
                *reason == REASON_INVALID_CERTIFICATE_REF) {
                *reason = REASON_REF_NOT_PERMITTED;
                *message = ctl_msgf(x,
                                    "Secret %s/%s is in another namespace and no "
                                    "ReferenceGrant allows it",
                                    ns, r->name);
            }
            continue;
        }
        s = (const struct secret *)model_find(x->m, KIND_SECRET, ns, r->name);
        if (!s && ctl_assume_exists(x, owner, r->src, KIND_SECRET, ns, r->name,
                                    SECRET_MOUNTED)) {
            ctl_mounted_certificate(&l->certificates[l->n_certificates++], ns,
                                    r->name);
            continue;
        }
        problem = !s ? "is not in the input"
                     : ctl_tls_secret_problem(x->c->arena, s,
                                              &l->certificates[l->n_certificates]);
        if (problem) {
            ctl_finding(x, DIAG_CERT_REF_INVALID, owner, r->src,
                        "Secret '%s/%s' %s%s", ns, r->name, problem,
                        s ? "" : ctl_name_suggestion(x, KIND_SECRET, ns, r->name));
            if (*reason == REASON_NONE) {
                *reason = REASON_INVALID_CERTIFICATE_REF;
                *message = ctl_msgf(x, "Secret %s/%s %s", ns, r->name, problem);
            }
            continue;
        }
        l->n_certificates++;
    }
}

/* Frontend (client certificate) validation applies to HTTPS listeners: a
 * perPort entry for the listener's port, else the default. */
const struct frontend_validation *ctl_frontend_for(const struct gateway *g,
                                                   int64_t port)
{
    size_t i;

    for (i = 0; i < g->tls.frontend.n_per_port; i++) {
        if (g->tls.frontend.per_port[i].port == port)
            return &g->tls.frontend.per_port[i].tls.validation;
    }
    return g->tls.frontend.default_.present & TLS_GIVEN_VALIDATION
               ? &g->tls.frontend.default_.validation
               : NULL;
}

/* nginx reads client CA certificates from one file.  The bundles of
 * ConfigMaps in the input are joined into one; a ConfigMap that is not (a
 * file mounted at run time) cannot be joined with anything, so the first
 * usable reference decides, and a finding names each bundle left out:
 * clients that only it would validate are refused, never let in. */
static void keep_one_ca_file(struct ctx *x, struct eff_listener *l,
                             const struct object_ref *r, const char *ns, const char *pem)
{
    const struct gateway *g = l->gateway->gw;
    struct ca_bundle *cur = l->client_ca;

    if (!cur) {
        cur = l->client_ca = ARENA_NEW(x->c->arena, struct ca_bundle);
        cur->namespace = ns;
        cur->name = r->name;
        cur->pem = pem;
        return;
    }
    if (pem && cur->pem) {
        cur->pem = ctl_msgf(x, "%s%s", cur->pem, pem);
        return;
    }
    ctl_finding(
        x, DIAG_NGINX_UNSUPPORTED, &g->obj, r->src,
        "nginx reads client CA certificates from one file, and ConfigMap '%s/%s' "
        "is %s; its ca.crt is left out, so clients that only it validates are "
        "refused",
        ns, r->name,
        pem ? "in the input while the first one is not"
            : "not in the input (a file mounted at run time) and cannot be "
              "joined with the others");
}

/* Collects the usable CA bundles into l->client_ca; returns true when there
 * is at least one. */
bool ctl_listener_client_ca(struct ctx *x, struct eff_listener *l,
                            const struct frontend_validation *v,
                            enum cond_reason *reason, const char **message)
{
    const struct gateway *g = l->gateway->gw;
    size_t i, usable = 0;

    for (i = 0; i < v->n_ca_certificate_refs; i++) {
        const struct object_ref *r = &v->ca_certificate_refs[i];
        const char *ns = r->namespace ? r->namespace : g->obj.meta.namespace;
        const struct config_map *cm;
        const char *problem = NULL, *pem;
        enum cond_reason why;

        if (!str_eq(r->group, "") || !str_eq(r->kind, "ConfigMap")) {
            ctl_finding(
                x, DIAG_CA_CERT_REF_INVALID, &g->obj, r->src,
                "caCertificateRef to %s/%s is not supported; use a ConfigMap "
                "with ca.crt",
                *r->group ? r->group : "core", r->kind);
            why = REASON_INVALID_CA_CERTIFICATE_KIND;
            problem = ctl_msgf(x, "unsupported kind %s", r->kind);
        } else if (!ctl_grant_allows(x, "Gateway", g->obj.meta.namespace, "",
                                     "ConfigMap", ns, r->name)) {
            ctl_finding(
                x, DIAG_REF_NOT_PERMITTED, &g->obj, r->src,
                "caCertificateRef to ConfigMap '%s/%s' needs a ReferenceGrant", ns,
                r->name);
            why = REASON_REF_NOT_PERMITTED;
            problem = "no ReferenceGrant allows it";
        } else if (!(cm = (const struct config_map *)model_find(
                         x->m, KIND_CONFIG_MAP, ns, r->name))) {
            if (ctl_assume_exists(x, &g->obj, r->src, KIND_CONFIG_MAP, ns, r->name,
                                  CONFIG_MAP_MOUNTED)) {
                usable++;
                keep_one_ca_file(x, l, r, ns, NULL);
                continue;
            }
            ctl_finding(x, DIAG_CA_CERT_REF_INVALID, &g->obj, r->src,
                        "ConfigMap '%s/%s' is not in the input%s", ns, r->name,
                        ctl_name_suggestion(x, KIND_CONFIG_MAP, ns, r->name));
            why = REASON_INVALID_CA_CERTIFICATE_REF;
            problem = "is not in the input";
        } else if ((problem = ctl_ca_config_map_problem(x->c->arena, cm, &pem)) !=
                   NULL) {
            ctl_finding(x, DIAG_CA_CERT_REF_INVALID, &g->obj, r->src,
                        "ConfigMap '%s/%s' %s", ns, r->name, problem);
            why = REASON_INVALID_CA_CERTIFICATE_REF;
        } else {
            usable++;
            keep_one_ca_file(
                x, l, r, ns,
                ctl_msgf(x, "%s%s", pem, pem[strlen(pem) - 1] == '\n' ? "" : "\n"));
            continue;
        }
        if (*reason == REASON_NONE) {
            *reason = why;
            *message =
                ctl_msgf(x, "CA certificate %s/%s: %s", ns, r->name, problem);
        }
    }
    if (usable)
        l->client_verify_optional = v->mode == FRONTEND_ALLOW_INSECURE_FALLBACK;
    return usable > 0 || v->n_ca_certificate_refs == 0;
}
