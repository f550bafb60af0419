/*
 * Every manifest of the vendored Gateway API conformance suite loads and
 * decodes with no error and no warning (placeholders substituted as the
 * upstream suite substitutes them).
 *
 * usage: test_conformance_decode MANIFESTS_DIR
 */
#include "base/arena.h"
#include "base/compilation.h"
#include "base/fs.h"
#include "base/strbuf.h"
#include "load/load.h"
#include "model/model.h"

#include <stdio.h>
#include <string.h>

static void substitute(struct strbuf *out, const char *text, size_t len)
{
    static const char placeholder[] = "{GATEWAY_CLASS_NAME}";
    const char *p = text, *end = text + len, *hit;

    while ((hit = strstr(p, placeholder)) != NULL && hit < end) {
        strbuf_add(out, p, (size_t)(hit - p));
        strbuf_addstr(out, "gwc");
        p = hit + strlen(placeholder);
    }
    strbuf_add(out, p, (size_t)(end - p));
}

static bool is_yaml(const char *rel, bool is_dir, void *ctx)
{
    size_t n = strlen(rel);

    (void)ctx;
    return is_dir || (n > 5 && strcmp(rel + n - 5, ".yaml") == 0);
}

int main(int argc, char **argv)
{
    struct arena *a = arena_create(0);
    struct fs_list files = {0};
    const struct fs_filter yaml_files = {is_yaml, NULL};
    const char *bad;
    size_t i, failed = 0;

    if (argc != 2 || !fs_list_tree(a, argv[1], &yaml_files, &files, &bad)) {
        fprintf(stderr, "usage: %s MANIFESTS_DIR\n", argv[0]);
        return 2;
    }
    printf("1..%zu\n", files.n);
    for (i = 0; i < files.n; i++) {
        struct compilation c;
        struct ydoc_list docs = {0};
        struct model_options mo = {false};
        struct strbuf text = STRBUF_INIT;
        struct model m;
        char *data;
        size_t len;

        compilation_init(&c);
        if (fs_read(c.arena, files.v[i], 1 << 24, &data, &len) != FS_OK) {
            printf("not ok %zu - %s: unreadable\n", i + 1, files.v[i]);
            failed++;
            compilation_release(&c);
            continue;
        }
        substitute(&text, data, len);
        load_buffer(&c, &load_default_limits, files.v[i], text.buf, text.len, &docs);
        model_build(&c, &docs, &mo, &m);
        if (c.diags.errors || c.diags.warnings) {
            printf("not ok %zu - %s: %u errors, %u warnings; first: %s\n", i + 1,
                   files.v[i], c.diags.errors, c.diags.warnings,
                   c.diags.v[0]->message);
            failed++;
        } else {
            printf("ok %zu - %s (%zu documents)\n", i + 1, files.v[i], docs.n);
        }
        strbuf_release(&text);
        compilation_release(&c);
    }
    arena_destroy(a);
    return failed ? 1 : 0;
}
