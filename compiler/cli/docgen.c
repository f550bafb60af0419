/*
 * gwc-docgen, run by the build: writes the files rendered from gwc's
 * tables (the man page, the bash completion, the catalogue of
 * diagnostics), so that they can never describe another gwc than the one
 * built with them.
 *
 *   gwc-docgen man TEMPLATE OUT
 *   gwc-docgen completion OUT
 *   gwc-docgen diagnostics OUT     (docs/diagnostics.md)
 */
#include "cli_internal.h"

#include "base/arena.h"
#include "base/fs.h"
#include "base/strbuf.h"

#include <errno.h>
#include <string.h>

static int write_out(const char *path, const struct strbuf *sb)
{
    if (fs_write_atomic(path, sb->buf, sb->len, 0644))
        return 0;
    fprintf(stderr, "gwc-docgen: cannot write '%s': %s\n", path, strerror(errno));
    return 1;
}

int cli_docgen(int argc, char **argv)
{
    struct arena *a = arena_create(1 << 16);
    struct strbuf out = STRBUF_INIT;
    int status = 2;

    if (argc == 4 && strcmp(argv[1], "man") == 0) {
        char *tmpl;
        size_t len;
        if (fs_read(a, argv[2], 1 << 20, &tmpl, &len) != FS_OK) {
            fprintf(stderr, "gwc-docgen: cannot read '%s'\n", argv[2]);
            status = 1;
        } else if (!cli_render_man(tmpl, &out)) {
            fprintf(stderr, "gwc-docgen: '%s' has an unknown @DIRECTIVE@\n", argv[2]);
            status = 1;
        } else {
            status = write_out(argv[3], &out);
        }
    } else if (argc == 3 && strcmp(argv[1], "completion") == 0) {
        cli_render_completion(&out);
        status = write_out(argv[2], &out);
    } else if (argc == 3 && strcmp(argv[1], "diagnostics") == 0) {
        cli_render_catalogue(&out);
        status = write_out(argv[2], &out);
    } else {
        fputs("usage: gwc-docgen man TEMPLATE OUT | completion OUT | diagnostics OUT\n",
              stderr);
    }
    strbuf_release(&out);
    arena_destroy(a);
    return status;
}
