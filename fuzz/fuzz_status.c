/* `gwc status` in both formats: what gwc writes, gwc must read back. */
#include "fuzz.h"

#include "base/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_run r;
    struct strbuf yaml = STRBUF_INIT, json = STRBUF_INIT;

    fuzz_load(&r, CMD_STATUS, data, size);
    fuzz_validate(&r);
    ctl_status_write(&r.ctl, DOC_FORMAT_YAML, &yaml, NULL, NULL);
    ctl_status_write(&r.ctl, DOC_FORMAT_JSON, &json, NULL, NULL);
    fuzz_expect_loadable("status YAML", yaml.buf, yaml.len);
    fuzz_expect_loadable("status JSON", json.buf, json.len);
    fuzz_diagnostics(&r);
    strbuf_release(&yaml);
    strbuf_release(&json);
    fuzz_release(&r);
    return 0;
}
