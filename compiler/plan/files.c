/*
 * Files written next to the configuration (certs/): certificates with
 * their keys, CA bundles.  Each path is written once however many servers
 * refer to it; names come from object names (DNS labels), so they are
 * unique and safe as file names.
 */
#include "plan_internal.h"

#include "base/arena.h"
#include "base/strbuf.h"

#include <string.h>

static const char *add_file(struct planner *p, const char *path, const char *data,
                            size_t len, unsigned mode)
{
    void **slot = strhash_slot(&p->files_by_path, path);
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

const char *certificate_file(struct planner *p, const struct certificate *cert)
{
    const struct object *o = &cert->secret->obj;
    struct strbuf sb = STRBUF_INIT;
    const char *path;

    /* nginx reads certificate and key from one file. */
    strbuf_add(&sb, cert->cert_pem, cert->cert_len);
    if (sb.len && sb.buf[sb.len - 1] != '\n')
        strbuf_addch(&sb, '\n');
    strbuf_add(&sb, cert->key_pem, cert->key_len);
    if (sb.len && sb.buf[sb.len - 1] != '\n')
        strbuf_addch(&sb, '\n');
    path = add_file(p, arena_printf(p->a, "certs/%s_%s.pem", o->meta.namespace, o->meta.name),
                    arena_strndup(p->a, sb.buf, sb.len), sb.len, 0600);
    strbuf_release(&sb);
    return path;
}

const char *text_file(struct planner *p, const char *path, const char *text)
{
    return add_file(p, path, text, strlen(text), 0644);
}
