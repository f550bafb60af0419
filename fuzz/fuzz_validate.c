/* Load, decode and validate: everything `gwc check` does. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_run r;

    fuzz_load(&r, CMD_CHECK, data, size);
    fuzz_validate(&r);
    fuzz_diagnostics(&r);
    fuzz_release(&r);
    return 0;
}
