/*
 * A CA bundle the source controller reads from a Secret's ca.crt, as the
 * ConfigMap Gateway API refers to (BackendTLSPolicy validation, Gateway
 * frontend validation): written into the output from the Secret when the
 * input has it.  One ConfigMap per namespace and PEM text, however many
 * objects share it; one BackendTLSPolicy per Service.
 */
#include "import_internal.h"

#include "base/arena.h"
#include "base/base64.h"

#include <string.h>

/* A Secret value as PEM text: stringData, or data decoded; NULL when
 * absent or not printable PEM with a certificate. */
static const char *secret_pem(struct imp *im, const struct secret *s, const char *key)
{
    const char *v = model_strmap_get(&s->string_data, key);
    char *out;
    size_t len, i;

    if (!v) {
        v = model_strmap_get(&s->data, key);
        if (!v || !base64_decode(im->a, v, &out, &len))
            return NULL;
        v = out;
    }
    for (i = 0; v[i]; i++) { /* PEM is printable ASCII lines */
        unsigned char c = (unsigned char)v[i];
        if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c >= 0x7f)
            return NULL;
    }
    return strstr(v, "-----BEGIN CERTIFICATE-----") ? v : NULL;
}

bool imp_secret_has_pem(struct imp *im, const struct secret *s, const char *key)
{
    return secret_pem(im, s, key) != NULL;
}

const char *imp_ca_config_map(struct imp *im, const struct ynode *origin,
                              const char *secret_ns, const char *secret_name,
                              const char *ns, const char *user, const char **why)
{
    return imp_ca_config_map_key(im, origin, secret_ns, secret_name, "ca.crt", ns,
                                 user, why);
}

const char *imp_ca_config_map_key(struct imp *im, const struct ynode *origin,
                                  const char *secret_ns, const char *secret_name,
                                  const char *key, const char *ns, const char *user,
                                  const char **why)
{
    const struct secret *s =
        (const struct secret *)imp_find_object(im, KIND_SECRET, secret_ns, secret_name);
    struct o_config_map *cm;
    const char *pem;
    size_t i;

    if (!s) {
        *why = arena_printf(im->a, "give Secret '%s/%s' to import-ingress so that "
                            "its %s becomes %s CA ConfigMap",
                            secret_ns, secret_name, key, user);
        return NULL;
    }
    if (!(pem = secret_pem(im, s, key))) {
        *why = arena_printf(im->a, "Secret '%s/%s' has no PEM %s", secret_ns,
                            secret_name, key);
        return NULL;
    }
    for (i = 0; i < im->config_maps.n; i++) {
        cm = im->config_maps.v[i];
        if (str_eq(cm->namespace, ns) && str_eq(cm->value, pem)) {
            imp_origin_add(im, &cm->origins, origin);
            return cm->name;
        }
    }
    cm = ARENA_NEW(im->a, struct o_config_map);
    cm->namespace = ns;
    cm->name = imp_name_claim(im, arena_printf(im->a, "ConfigMap/%s", ns),
                              arena_printf(im->a, "%s-ca", secret_name), 253);
    cm->key = "ca.crt";
    cm->value = pem;
    imp_origin_add(im, &cm->origins, origin);
    ptrvec_push(im->a, &im->config_maps, cm);
    return cm->name;
}

int imp_backend_tls_add(struct imp *im, const struct ynode *origin, const char *ns,
                        const char *service, const char *hostname,
                        const char *config_map)
{
    struct o_policy *p;
    size_t i;

    for (i = 0; i < im->policies.n; i++) {
        p = im->policies.v[i];
        if (!str_eq(p->namespace, ns) || !str_eq(p->service, service))
            continue;
        imp_origin_add(im, &p->origins, origin);
        return str_eq(p->hostname, hostname) && str_eq(p->ca_config_map, config_map)
                   ? 0
                   : -1;
    }
    p = ARENA_NEW(im->a, struct o_policy);
    imp_origin_add(im, &p->origins, origin);
    p->namespace = ns;
    p->service = service;
    p->hostname = hostname;
    p->ca_config_map = config_map;
    p->name = imp_name_claim(im, arena_printf(im->a, "BackendTLSPolicy/%s", ns),
                             arena_printf(im->a, "%s-backend-tls", service), 253);
    ptrvec_push(im->a, &im->policies, p);
    return 1;
}
