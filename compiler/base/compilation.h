/*
 * What every stage of one run shares: the arena that owns all data, the
 * table of input texts and the diagnostic sink.  There is no global state;
 * two compilations never touch each other.
 */
#ifndef GWC_COMPILATION_H
#define GWC_COMPILATION_H

#include "diag.h"
#include "source.h"

struct arena;

struct compilation {
    struct arena *arena;
    struct arena *tree; /* YAML nodes (load/) and validation's scratch;
                          NULL once dropped */
    struct source_table sources;
    struct diag_sink diags;
};

void compilation_init(struct compilation *c);
void compilation_release(struct compilation *c);
/* Ends the YAML trees (their texts live on in the arena, as the model's
 * strings) and lets the arena reuse their memory.  After this, a node
 * pointer kept by the model (a `src` field) may be tested against NULL,
 * never followed. */
void compilation_drop_tree(struct compilation *c);

#endif
