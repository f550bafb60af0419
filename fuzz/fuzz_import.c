/*
 * `gwc import-ingress`: Ingresses to Gateway API YAML.  The YAML must load
 * and decode without an error: the importer writes only objects the API
 * server takes.
 */
#include "fuzz.h"

#include "base/strbuf.h"
#include "importer/importer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void expect_decodable(const struct strbuf *yaml)
{
    struct fuzz_run out;

    fuzz_load(&out, CMD_CHECK, (const uint8_t *)yaml->buf, yaml->len);
    model_build(&out.c, &out.docs, &(struct model_options){false}, &out.m);
    if (out.c.diags.errors) {
        const struct diag *d = out.c.diags.v[0];
        fuzz_fail("the imported YAML has errors: %u:%u: %s\n%.*s", d->loc.line,
                  d->loc.col, d->message, (int)(yaml->len < 4096 ? yaml->len : 4096),
                  yaml->buf);
    }
    fuzz_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct import_options io = {0};
    struct strbuf yaml = STRBUF_INIT;
    struct fuzz_run r;

    fuzz_load(&r, CMD_IMPORT, data, size);
    model_build(&r.c, &r.docs, &(struct model_options){false}, &r.m);
    if (!diag_has_class_error(&r.c.diags, DCLASS_INPUT)) {
        import_ingress(&r.c, &r.m, &io, &yaml);
        expect_decodable(&yaml);
    }
    fuzz_diagnostics(&r);
    strbuf_release(&yaml);
    fuzz_release(&r);
    return 0;
}
