#include "compilation.h"

#include "arena.h"

void compilation_init(struct compilation *c)
{
    c->arena = arena_create((size_t)2 << 20);
    c->tree = arena_create((size_t)2 << 20);
    source_table_init(&c->sources, c->arena);
    diag_sink_init(&c->diags, c->arena);
}

void compilation_release(struct compilation *c)
{
    arena_destroy(c->tree);
    arena_destroy(c->arena);
    c->tree = NULL;
    c->arena = NULL;
}

void compilation_drop_tree(struct compilation *c)
{
    arena_adopt(c->arena, c->tree);
    c->tree = NULL;
}
