/*
 * Shared by the libFuzzer targets: gwc's own pipeline (the CLI's steps,
 * cli/run.c) on one input text held in memory, with the checks every
 * target makes.  A failed check aborts, which libFuzzer reports as a crash
 * and keeps the input.
 */
#ifndef GWC_FUZZ_H
#define GWC_FUZZ_H

#include "base/compilation.h"
#include "cli/cli_internal.h"
#include "load/load.h"
#include "model/model.h"
#include "controller/controller.h"

#include <stddef.h>
#include <stdint.h>

struct fuzz_run {
    struct options o;
    struct compilation c;
    struct ydoc_list docs;
    struct model m;
    struct controller ctl;
};

/* compilation_init and load_buffer of data as "input.yaml", with the
 * defaults of the command. */
void fuzz_load(struct fuzz_run *r, enum command cmd, const uint8_t *data,
               size_t size);
/* Decode and validate, as check, compile and status do. */
void fuzz_validate(struct fuzz_run *r);
/* Renders the diagnostics in every format and checks each one's position. */
void fuzz_diagnostics(struct fuzz_run *r);
void fuzz_release(struct fuzz_run *r);

/* The loaded text, reloaded by a fresh compilation, must have no error
 * (gwc reads what gwc writes). */
void fuzz_expect_loadable(const char *what, const char *text, size_t len);

_Noreturn void fuzz_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif
