/*
 * `gwc import-ingress`: Ingresses to Gateway API YAML.  The YAML must always
 * load and decode without an error, and when the input passes gwc check's
 * schema rules, the output must pass them too: the importer writes only
 * objects the API server takes.
 */
#include "fuzz.h"

#include "base/strbuf.h"
#include "importer/importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool manifest_errors(const struct fuzz_run *r)
{
    return diag_has_class_error(&r->c.diags, DCLASS_INPUT) ||
           diag_has_class_error(&r->c.diags, DCLASS_MANIFEST);
}

static void check_output(const struct strbuf *yaml, bool input_valid)
{
    struct fuzz_run out;
    const struct diag *d = NULL;
    size_t i;

    fuzz_load(&out, CMD_CHECK, (const uint8_t *)yaml->buf, yaml->len);
    if (input_valid) {
        fuzz_validate(&out);
        for (i = 0; !d && manifest_errors(&out) && i < out.c.diags.n; i++) {
            if (out.c.diags.v[i]->severity == DIAG_ERROR)
                d = out.c.diags.v[i];
        }
    } else {
        model_build(&out.c, &out.docs, &(struct model_options){false}, &out.m);
        if (out.c.diags.errors)
            d = out.c.diags.v[0];
    }
    if (d)
        fuzz_fail("the imported YAML has errors: %u:%u: %s\n%.*s", d->loc.line,
                  d->loc.col, d->message, (int)(yaml->len < 4096 ? yaml->len : 4096),
                  yaml->buf);
    fuzz_release(&out);
}

/* Would gwc check find the input free of manifest errors? */
static bool input_valid(const uint8_t *data, size_t size)
{
    struct fuzz_run r;
    bool ok;

    fuzz_load(&r, CMD_CHECK, data, size);
    fuzz_validate(&r);
    ok = !manifest_errors(&r);
    fuzz_release(&r);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct import_options io = {0};
    struct import_output out = {.summary = NULL};
    struct strbuf yaml = STRBUF_INIT;
    struct fuzz_run r;

    /* As run_import: load and decode, no validation; the provider is
     * detected, so every provider is fuzzed. */
    fuzz_load(&r, CMD_IMPORT, data, size);
    model_build(&r.c, &r.docs, &(struct model_options){false}, &r.m);
    if (!diag_has_class_error(&r.c.diags, DCLASS_INPUT)) {
        imp_ingress(&r.c, &r.m, &r.docs, &io, &out);
        imp_output_stream(&out, &yaml);
        if (yaml.len)
            check_output(&yaml, input_valid(data, size));
    }
    fuzz_diagnostics(&r);
    strbuf_release(&yaml);
    fuzz_release(&r);
    return 0;
}
