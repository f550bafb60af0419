#include "fuzz.h"

#include "base/array.h"
#include "base/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void fuzz_fail(const char *fmt, ...)
{
    va_list ap;

    fputs("gwc fuzz: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

void fuzz_load(struct fuzz_run *r, enum command cmd, const uint8_t *data,
               size_t size)
{
    memset(r, 0, sizeof(*r));
    cli_defaults(&r->o);
    r->o.command = cmd;
    if (cmd == CMD_COMPILE)
        r->o.output = "out"; /* named (sockets go below it), never written */
    compilation_init(&r->c);
    load_buffer(&r->c, &load_default_limits, "input.yaml", (const char *)data,
                size, &r->docs);
}

void fuzz_validate(struct fuzz_run *r)
{
    cli_validate(&r->c, &r->o, &r->docs, &r->m, &r->ctl);
}

static void check_position(const struct compilation *c, struct src_loc loc)
{
    const struct source *s = source_get(&c->sources, loc.file);

    if (loc.file == SOURCE_NONE)
        return;
    if (!s)
        fuzz_fail("diagnostic in unknown file %u", loc.file);
    if (loc.line == 0)
        return;
    if (loc.line > s->lines.n || loc.col == 0 || loc.offset > s->len)
        fuzz_fail("diagnostic at %u:%u (offset %u) outside the text (%zu lines, "
                  "%zu bytes)", loc.line, loc.col, loc.offset, s->lines.n, s->len);
}

void fuzz_diagnostics(struct fuzz_run *r)
{
    static const enum diag_format formats[] = {DIAG_FORMAT_TEXT, DIAG_FORMAT_JSON,
                                               DIAG_FORMAT_SARIF, DIAG_FORMAT_GITHUB};
    size_t i;

    for (i = 0; i < r->c.diags.n; i++) {
        check_position(&r->c, r->c.diags.v[i]->loc);
        if (r->c.diags.v[i]->note)
            check_position(&r->c, r->c.diags.v[i]->note_loc);
    }
    diag_sort(&r->c.diags, &r->c.sources);
    for (i = 0; i < ARRAY_SIZE(formats); i++) {
        struct diag_render_options ro = {formats[i], true, true, "fuzz"};
        struct strbuf out = STRBUF_INIT;

        diag_render(&r->c.diags, &r->c.sources, &ro, &out);
        if (formats[i] == DIAG_FORMAT_JSON || formats[i] == DIAG_FORMAT_SARIF)
            fuzz_expect_loadable("diagnostics as JSON", out.buf, out.len);
        strbuf_release(&out);
    }
}

void fuzz_release(struct fuzz_run *r)
{
    compilation_release(&r->c);
}

void fuzz_expect_loadable(const char *what, const char *text, size_t len)
{
    struct compilation c;
    struct ydoc_list docs = {0};

    compilation_init(&c);
    load_buffer(&c, &load_default_limits, "output", text, len, &docs);
    if (c.diags.errors) {
        const struct diag *d = c.diags.v[0];
        fuzz_fail("%s does not load back: %u:%u: %s\n%.*s", what, d->loc.line,
                  d->loc.col, d->message, (int)(len < 4096 ? len : 4096), text);
    }
    compilation_release(&c);
}
