/*
 * Files written next to the configuration (certs/): certificates with
 * their keys, CA bundles.  Each path is written once however many servers
 * refer to it.  Names come from object names joined by '_', which no DNS
 * name holds, so different objects give different names, all safe as file
 * names ([a-z0-9._-]) and ending in ".pem".
 */
#include "plan_internal.h"

#include "base/arena.h"
#include "base/strbuf.h"

#include <string.h>

/* A file name has at most 255 bytes (NAME_MAX), and a namespace with a
 * 253-character name exceeds that.  A longer name is cut into directories
 * of CUT bytes, each marked by a final '_' that no whole name ends with,
 * so the mapping stays one-to-one (joined back, the parts are the name)
 * and the same name always gives the same path. */
#define NAME_MAX_BYTES 255
#define CUT 200

static const char *bounded_path(struct arena *a, const char *path)
{
    const char *name = strrchr(path, '/');
    struct strbuf sb = STRBUF_INIT;
    const char *out;

    name = name ? name + 1 : path;
    if (strlen(name) <= NAME_MAX_BYTES)
        return path;
    strbuf_add(&sb, path, (size_t)(name - path));
    for (; strlen(name) > NAME_MAX_BYTES; name += CUT) {
        strbuf_add(&sb, name, CUT);
        strbuf_addstr(&sb, "_/");
    }
    strbuf_addstr(&sb, name);
    out = arena_strndup(a, sb.buf, sb.len);
    strbuf_release(&sb);
    return out;
}

static const char *add_file(struct planner *p, const char *path, const char *data,
                            size_t len, unsigned mode)
{
    void **slot = strhash_slot(&p->files_by_path, path = bounded_path(p->a, path));
    struct plan_file *f = *slot;

    if (f)
        return f->path;
    f = ARENA_NEW(p->a, struct plan_file);
    *slot = f;
    f->path = path;
    f->data = data;
    f->len = len;
    f->mode = mode;
    ptrvec_push(p->a, &p->files, f);
    return path;
}

/* DIR/NAMESPACE/NAME/KEY: a Secret or ConfigMap volume mounted at
 * DIR/NAMESPACE/NAME holds one file per key. */
static const char *mounted(struct planner *p, const char *dir, const char *ns,
                           const char *name, const char *key)
{
    return arena_printf(p->a, "%s/%s/%s/%s", dir, ns, name, key);
}

struct cert_files plan_certificate_files(struct planner *p,
                                         const struct certificate *cert)
{
    struct strbuf sb = STRBUF_INIT;
    struct cert_files f;
    const char *path;
    const struct plan_file *known;

    if (!cert->cert_pem) {
        f.cert = mounted(p, p->o->secrets_dir, cert->namespace, cert->name, "tls.crt");
        f.key = mounted(p, p->o->secrets_dir, cert->namespace, cert->name, "tls.key");
        return f;
    }
    /* Every server of a listener names the same file: made once, and
     * the name asked for by each is planning's scratch (p->tmp). */
    path = arena_printf(p->tmp, "certs/%s_%s.pem", cert->namespace, cert->name);
    known = strhash_get(&p->files_by_path, bounded_path(p->tmp, path));
    if (known) {
        f.cert = f.key = known->path;
        return f;
    }
    path = arena_strdup(p->a, path);
    /* nginx reads certificate and key from one file. */
    strbuf_add(&sb, cert->cert_pem, cert->cert_len);
    if (sb.len && sb.buf[sb.len - 1] != '\n')
        strbuf_addch(&sb, '\n');
    strbuf_add(&sb, cert->key_pem, cert->key_len);
    if (sb.len && sb.buf[sb.len - 1] != '\n')
        strbuf_addch(&sb, '\n');
    f.cert = f.key = add_file(p, path, arena_strndup(p->a, sb.buf, sb.len), sb.len, 0600);
    strbuf_release(&sb);
    return f;
}

const char *plan_ca_bundle_file(struct planner *p, const struct ca_bundle *ca,
                                const char *path)
{
    if (!ca->pem)
        return mounted(p, p->o->configmaps_dir, ca->namespace, ca->name, "ca.crt");
    return plan_text_file(p, path, ca->pem);
}

const char *plan_text_file(struct planner *p, const char *path, const char *text)
{
    return add_file(p, path, text, strlen(text), 0644);
}

const char *plan_secret_file(struct planner *p, const char *path, const char *text)
{
    /* nginx's workers read it on every request: readable by the group
     * nginx runs in, by nobody else. */
    return add_file(p, path, text, strlen(text), 0640);
}
