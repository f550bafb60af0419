/*
 * TLS material from Secrets and ConfigMaps.  A listener certificate must be
 * a kubernetes.io/tls Secret whose tls.crt holds a PEM certificate and whose
 * tls.key holds a PEM private key; a CA bundle is a ConfigMap with ca.crt
 * (Core support).  gwc checks the PEM framing and base64 body here, so that
 * nginx never meets a file it cannot load.
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/base64.h"
#include "base/compilation.h"

#include <string.h>

/* One or more PEM blocks, and at least one whose label is accepted. */
static bool pem_has(struct arena *a, const char *text, size_t len,
                    const char *const *labels)
{
    const char *p = text, *end = text + len;
    bool found = false;

    for (;;) {
        const char *begin = strstr(p, "-----BEGIN "), *label_end, *stop;
        char *body, *decoded;
        size_t label_len, dlen;
        const char *const *l;
        bool wanted = false;

        if (!begin || begin >= end)
            return found;
        label_end = strstr(begin + 11, "-----");
        if (!label_end)
            return false;
        label_len = (size_t)(label_end - (begin + 11));
        for (l = labels; *l; l++)
            wanted |= strlen(*l) == label_len && memcmp(*l, begin + 11, label_len) == 0;
        stop = strstr(label_end + 5, "-----END ");
        if (!stop)
            return false;
        body = arena_strndup(a, label_end + 5, (size_t)(stop - (label_end + 5)));
        /* Encrypted keys carry "Proc-Type:" headers; nginx cannot use them
         * without a passphrase, so they are not valid here. */
        if (strchr(body, ':') || !base64_decode(a, body, &decoded, &dlen) || dlen == 0)
            return false;
        found |= wanted;
        p = strstr(stop + 9, "-----");
        if (!p)
            return false;
        p += 5;
    }
}

static bool tls_pem_certificate(struct arena *a, const char *pem, size_t len)
{
    static const char *const labels[] = {"CERTIFICATE", NULL};
    return pem_has(a, pem, len, labels);
}

static bool tls_pem_private_key(struct arena *a, const char *pem, size_t len)
{
    static const char *const labels[] = {"PRIVATE KEY", "RSA PRIVATE KEY",
                                         "EC PRIVATE KEY", NULL};
    return pem_has(a, pem, len, labels);
}

/* Secret data values are base64; stringData values are plain text. */
bool ctl_secret_value(struct arena *a, const struct secret *s, const char *key,
                      char **out, size_t *len)
{
    const char *v = model_strmap_get(&s->string_data, key);

    if (v) {
        *out = arena_strdup(a, v);
        *len = strlen(v);
        return true;
    }
    v = model_strmap_get(&s->data, key);
    return v && base64_decode(a, v, out, len);
}

const char *ctl_tls_secret_problem(struct arena *a, const struct secret *s,
                                   struct certificate *out)
{
    char *crt, *key;
    size_t crt_len, key_len;

    if (!s->type || strcmp(s->type, "kubernetes.io/tls") != 0)
        return "is not of type kubernetes.io/tls";
    if (!ctl_secret_value(a, s, "tls.crt", &crt, &crt_len))
        return "has no base64 tls.crt";
    if (!ctl_secret_value(a, s, "tls.key", &key, &key_len))
        return "has no base64 tls.key";
    if (!tls_pem_certificate(a, crt, crt_len))
        return "has a tls.crt that is not a PEM certificate";
    if (!tls_pem_private_key(a, key, key_len))
        return "has a tls.key that is not an unencrypted PEM private key";
    out->namespace = s->obj.meta.namespace;
    out->name = s->obj.meta.name;
    out->cert_pem = crt;
    out->cert_len = crt_len;
    out->key_pem = key;
    out->key_len = key_len;
    return NULL;
}

void ctl_mounted_certificate(struct certificate *out, const char *ns,
                             const char *name)
{
    memset(out, 0, sizeof(*out));
    out->namespace = ns;
    out->name = name;
}

const char *ctl_ca_config_map_problem(struct arena *a, const struct config_map *cm,
                                      const char **pem)
{
    const char *v = model_strmap_get(&cm->data, "ca.crt");

    if (!v)
        return "has no ca.crt";
    if (!tls_pem_certificate(a, v, strlen(v)))
        return "has a ca.crt that is not a PEM certificate";
    *pem = v;
    return NULL;
}
