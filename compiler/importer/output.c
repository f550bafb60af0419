/*
 * The output as objects, each rendered on its own (a comment line naming
 * where it came from, then one YAML document), and the two ways it is
 * written: one stream, or one file per namespace and kind.
 */
#include "import_internal.h"

#include "base/arena.h"
#include "base/doc.h"
#include "base/outdir.h"
#include "base/strbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void imp_output_add(struct arena *a, struct import_output *out, const char *kind,
                    const char *ns, const char *comment, struct doc *d)
{
    struct import_object *o = ARENA_NEW(a, struct import_object);
    struct strbuf sb = STRBUF_INIT;

    if (comment)
        strbuf_addstr(&sb, comment);
    doc_write_yaml(&d, 1, &sb);
    o->kind = arena_strdup(a, kind);
    o->namespace = ns ? arena_strdup(a, ns) : NULL;
    o->text = arena_strndup(a, sb.buf, sb.len);
    o->len = sb.len;
    strbuf_release(&sb);
    ptrvec_push(a, &out->objects, o);
}

static void join(struct strbuf *sb, const struct import_object *o)
{
    if (sb->len)
        strbuf_addstr(sb, "---\n");
    strbuf_add(sb, o->text, o->len);
}

void imp_output_stream(const struct import_output *out, struct strbuf *sb)
{
    size_t i;

    for (i = 0; i < out->objects.n; i++)
        join(sb, out->objects.v[i]);
}

/* "HTTPRoute" -> "httproutes", "AccessPolicy" -> "accesspolicies",
 * "Endpoints" -> "endpoints": the resource names kubectl uses. */
static const char *plural(struct arena *a, const char *kind)
{
    size_t n = strlen(kind), i;
    char *s = arena_alloc(a, n + 3, 1);

    for (i = 0; i < n; i++)
        s[i] = (char)tolower((unsigned char)kind[i]);
    s[n] = '\0';
    if (n > 1 && s[n - 1] == 'y' && !str_has_char("aeiou", s[n - 2]))
        strcpy(s + n - 1, "ies");
    else if (n > 1 && s[n - 1] == 's' && s[n - 2] == 's')
        strcpy(s + n, "es");
    else if (n && s[n - 1] != 's')
        strcpy(s + n, "s");
    return s;
}

struct placed {
    const char *path;
    size_t index; /* in the output: the order inside a file */
};

static int cmp_placed(const void *pa, const void *pb)
{
    const struct placed *a = pa, *b = pb;
    int c = strcmp(a->path, b->path);

    if (c)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

size_t imp_output_files(struct arena *a, const struct import_output *out,
                        struct outdir_file **files)
{
    size_t n = out->objects.n, i, k = 0;
    struct placed *p = ARENA_NEW_ARRAY(a, struct placed, n + 1);
    struct outdir_file *f = ARENA_NEW_ARRAY(a, struct outdir_file, n + 1);

    for (i = 0; i < n; i++) {
        const struct import_object *o = out->objects.v[i];
        p[i].path = arena_printf(a, "%s/%s.yaml",
                                 o->namespace ? o->namespace : IMP_CLUSTER_DIR,
                                 plural(a, o->kind));
        p[i].index = i;
    }
    qsort(p, n, sizeof(*p), cmp_placed);
    for (i = 0; i < n;) {
        struct strbuf sb = STRBUF_INIT;
        const char *path = p[i].path;

        for (; i < n && str_eq(p[i].path, path); i++)
            join(&sb, out->objects.v[p[i].index]);
        f[k].path = path;
        f[k].len = sb.len;
        f[k].data = arena_strndup(a, sb.buf, sb.len);
        f[k].mode = 0644;
        k++;
        strbuf_release(&sb);
    }
    *files = f;
    return k;
}
