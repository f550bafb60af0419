/*
 * The loader: bytes to positioned YAML trees.  Besides the common checks,
 * every node's position is recomputed the slow, obvious way (scan from the
 * start of the text) and must equal what the source table answers.
 */
#include "fuzz.h"

#include "base/utf8.h"

#include <string.h>

/* libyaml's line breaks: LF, CR, CRLF, NEL, LS, PS; editors' only the
 * first three.  Returns the break's length at i, 0 if none. */
static size_t break_at(const unsigned char *d, size_t len, size_t i, bool *editor)
{
    *editor = true;
    if (d[i] == '\n')
        return 1;
    if (d[i] == '\r')
        return i + 1 < len && d[i + 1] == '\n' ? 2 : 1;
    *editor = false;
    if (i + 1 < len && d[i] == 0xc2 && d[i + 1] == 0x85)
        return 2;
    if (i + 2 < len && d[i] == 0xe2 && d[i + 1] == 0x80 &&
        (d[i + 2] == 0xa8 || d[i + 2] == 0xa9))
        return 3;
    return 0;
}

/* The user position of a libyaml mark index (characters before it, after
 * a BOM), by definition. */
static struct src_loc reference_loc(const struct source *s, uint32_t file,
                                    size_t mark_index)
{
    const unsigned char *d = (const unsigned char *)s->data;
    size_t i, off, ed_line = 1, ed_start = 0, br;
    struct src_loc loc = {file, 0, 0, 0};
    bool editor;

    off = s->bom + utf8_advance(s->data + s->bom, s->len - s->bom, mark_index);
    for (i = 0; i < off;) {
        if ((br = break_at(d, s->len, i, &editor)) > 0 && editor && i + br <= off) {
            i += br;
            ed_line++;
            ed_start = i;
        } else {
            i++;
        }
    }
    if (ed_line == 1 && off >= s->bom)
        ed_start = s->bom;
    loc.line = (uint32_t)ed_line;
    loc.col = (uint32_t)utf8_count(s->data + ed_start, off - ed_start) + 1;
    loc.offset = (uint32_t)off;
    return loc;
}

static void check_loc(const struct compilation *c, uint32_t file, uint32_t pos,
                      struct src_loc got)
{
    struct src_loc want = reference_loc(source_get(&c->sources, file), file, pos);

    if (memcmp(&want, &got, sizeof(want)) != 0)
        fuzz_fail("mark index %u is %u:%u (offset %u), the source table says "
                  "%u:%u (offset %u)", pos, want.line, want.col,
                  want.offset, got.line, got.col, got.offset);
}

/* The reference scans the whole text: keep its cost per input bounded. */
enum { CHECK_MAX_BYTES = 32 << 10, CHECK_MAX_NODES = 256 };

static void check_tree(const struct compilation *c, const struct ynode *n,
                       size_t *budget)
{
    uint32_t i;

    if (*budget == 0)
        return;
    --*budget;
    /* Only a root holds its file (ynode_file()): in a child the field is
     * the key's mark or the item's index. */
    check_loc(c, ynode_file(n), n->pos, ynode_loc(c, n));
    if (n->key)
        check_loc(c, ynode_file(n), n->key_pos, ynode_key_loc(c, n));
    if (n->kind == YNODE_SCALAR)
        return;
    for (i = 0; i < n->n; i++)
        check_tree(c, n->items[i], budget);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_run r;
    size_t i, budget = size <= CHECK_MAX_BYTES ? CHECK_MAX_NODES : 0;

    fuzz_load(&r, CMD_CHECK, data, size);
    for (i = 0; i < r.docs.n; i++)
        check_tree(&r.c, r.docs.v[i].root, &budget);
    fuzz_diagnostics(&r);
    fuzz_release(&r);
    return 0;
}
