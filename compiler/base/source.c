#include "source.h"

#include "arena.h"
#include "fs.h"
#include "utf8.h"

#include <string.h>

void source_table_init(struct source_table *t, struct arena *a)
{
    t->v = NULL;
    t->n = t->cap = 0;
    t->arena = a;
}

/* Only LF, CR and the lead bytes of NEL, LS and PS can start a break. */
static bool may_break(unsigned char c)
{
    return c == '\n' || c == '\r' || c == 0xc2 || c == 0xe2;
}

/*
 * Line starts under two definitions.  libyaml breaks lines on LF, CR, CRLF,
 * NEL (C2 85), LS (E2 80 A8) and PS (E2 80 A9); editors on LF, CR and CRLF.
 * Returns the length of the break at d[i] and whether editors see it.
 */
static size_t line_break(const unsigned char *d, size_t len, size_t i,
                         bool *editor)
{
    *editor = true;
    if (d[i] == '\n')
        return 1;
    if (d[i] == '\r')
        return i + 1 < len && d[i + 1] == '\n' ? 2 : 1;
    *editor = false;
    if (d[i] == 0xc2 && i + 1 < len && d[i + 1] == 0x85)
        return 2;
    if (d[i] == 0xe2 && i + 2 < len && d[i + 1] == 0x80 &&
        (d[i + 2] == 0xa8 || d[i + 2] == 0xa9))
        return 3;
    return 0;
}

/* The common case: only LF breaks lines, and both definitions agree. */
static bool only_lf(const struct source *s)
{
    return !memchr(s->data, '\r', s->len) && !memchr(s->data, 0xc2, s->len) &&
           !memchr(s->data, 0xe2, s->len);
}

static void lines_init(struct source_lines *t, struct arena *a, size_t n)
{
    t->n = n;
    t->full = NULL;
    t->base = ARENA_NEW_ARRAY(a, uint32_t, (n + SOURCE_LINE_BLOCK - 1) / SOURCE_LINE_BLOCK);
    t->delta = ARENA_NEW_ARRAY(a, uint16_t, n);
}

/* Line i starts at off; lines are set in order.  The first block that
 * does not fit two bytes a line turns the table into plain offsets. */
static void lines_set(struct source_lines *t, struct arena *a, size_t i, uint32_t off)
{
    size_t k;

    if (!t->full) {
        if (i % SOURCE_LINE_BLOCK == 0)
            t->base[i / SOURCE_LINE_BLOCK] = off;
        if (off - t->base[i / SOURCE_LINE_BLOCK] <= UINT16_MAX) {
            t->delta[i] = (uint16_t)(off - t->base[i / SOURCE_LINE_BLOCK]);
            return;
        }
        t->full = ARENA_NEW_ARRAY(a, uint32_t, t->n);
        for (k = 0; k < i; k++)
            t->full[k] = t->base[k / SOURCE_LINE_BLOCK] + t->delta[k];
    }
    t->full[i] = off;
}

static size_t line_start(const struct source_lines *t, size_t i)
{
    return t->full ? t->full[i] : t->base[i / SOURCE_LINE_BLOCK] + t->delta[i];
}

/* The last line that starts at or before byte off (line 0 starts at or
 * before any offset a lookup asks about). */
static size_t line_at(const struct source_lines *t, size_t off)
{
    size_t lo = 0, hi = t->n;

    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (line_start(t, mid) <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static void index_lf_lines(struct source *s, struct arena *a)
{
    const char *p = s->data, *end = s->data + s->len;
    size_t n = 1, i = 1;

    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    lines_init(&s->lines, a, n);
    lines_set(&s->lines, a, 0, 0);
    for (p = s->data; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        lines_set(&s->lines, a, i++, (uint32_t)(p + 1 - s->data));
    s->mark_lines = s->lines;
}

static void index_lines(struct source *s, struct arena *a)
{
    const unsigned char *d = (const unsigned char *)s->data;
    size_t n_mark = 1, n_ed = 1, i, m, e, br;
    bool editor;

    for (i = 0; i < s->len; i++) {
        if (may_break(d[i]) && (br = line_break(d, s->len, i, &editor)) > 0) {
            n_mark++;
            n_ed += editor;
            i += br - 1;
        }
    }
    lines_init(&s->mark_lines, a, n_mark);
    lines_init(&s->lines, a, n_ed);
    lines_set(&s->mark_lines, a, 0, (uint32_t)s->bom);
    lines_set(&s->lines, a, 0, 0);
    m = e = 1;
    for (i = 0; i < s->len; i++) {
        if (may_break(d[i]) && (br = line_break(d, s->len, i, &editor)) > 0) {
            lines_set(&s->mark_lines, a, m++, (uint32_t)(i + br));
            if (editor)
                lines_set(&s->lines, a, e++, (uint32_t)(i + br));
            i += br - 1;
        }
    }
}

/* The length of the character at byte i: a UTF-8 sequence, or a byte that
 * starts none (the loader refuses such text, but still positions it). */
static size_t char_len(const struct source *s, size_t i)
{
    uint32_t cp;
    size_t n = utf8_decode((const unsigned char *)s->data + i, s->len - i, &cp);

    return n ? n : 1;
}

/* A word at a time: every file is read through here once. */
static bool all_ascii(const struct source *s)
{
    uint64_t high = 0;
    size_t i;

    for (i = 0; i + 8 <= s->len; i += 8) {
        uint64_t w;
        memcpy(&w, s->data + i, sizeof(w));
        high |= w;
    }
    for (; i < s->len; i++)
        high |= (unsigned char)s->data[i];
    return !(high & 0x8080808080808080ull);
}

static void index_strides(struct source *s, struct arena *a)
{
    size_t i, chars = 0, k = 0;

    if (all_ascii(s))
        return;
    s->stride_offsets = ARENA_NEW_ARRAY(a, uint32_t, s->len / SOURCE_STRIDE + 1);
    for (i = 0; i < s->len; i += char_len(s, i), chars++) {
        if (chars % SOURCE_STRIDE == 0)
            s->stride_offsets[k++] = (uint32_t)i;
    }
    s->n_strides = k;
}

/* The last of the ascending offsets v[0..n) that is at most off (v[0] is). */
static size_t last_at_or_before(const uint32_t *v, size_t n, size_t off)
{
    size_t lo = 0, hi = n;

    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The number of characters that start before byte offset off. */
static size_t chars_before(struct source *s, size_t off)
{
    size_t lo, i, chars;

    if (!s->stride_offsets)
        return off;
    lo = last_at_or_before(s->stride_offsets, s->n_strides, off);
    i = s->stride_offsets[lo];
    s->lookup_bytes += off - i;
    for (chars = lo * SOURCE_STRIDE; i < off; i += char_len(s, i))
        chars++;
    return chars;
}

/* The byte offset of character number ci, or limit if that comes first. */
static size_t char_offset(struct source *s, size_t ci, size_t limit)
{
    size_t k, i, start, n;

    if (!s->stride_offsets)
        return ci < limit ? ci : limit;
    k = ci / SOURCE_STRIDE;
    if (k >= s->n_strides)
        k = s->n_strides - 1;
    start = i = s->stride_offsets[k];
    for (n = ci - k * SOURCE_STRIDE; n > 0 && i < limit; n--)
        i += char_len(s, i);
    if (i > start)
        s->lookup_bytes += i - start;
    return i < limit ? i : limit;
}

uint32_t source_add(struct source_table *t, const char *name, const char *data,
                    size_t len)
{
    struct source *s = ARENA_NEW(t->arena, struct source);

    s->name = arena_strdup(t->arena, name);
    s->data = data;
    s->len = len;
    s->bom = len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    if (only_lf(s) && !s->bom)
        index_lf_lines(s, t->arena);
    else
        index_lines(s, t->arena);
    index_strides(s, t->arena);
    ARENA_GROW(t->arena, struct source *, t->v, t->n, t->cap, 16);
    t->v[t->n] = s;
    return (uint32_t)t->n++;
}

const struct source *source_get(const struct source_table *t, uint32_t file)
{
    return file < t->n ? t->v[file] : NULL;
}

/* Lookups count their cost in the source itself; the table stays const
 * to its readers. */
static struct source *lookup(const struct source_table *t, uint32_t file)
{
    return file < t->n ? t->v[file] : NULL;
}

struct src_loc source_loc_from_offset(const struct source_table *t,
                                      uint32_t file, size_t offset)
{
    struct source *s = lookup(t, file);
    struct src_loc loc = {file, 0, 0, 0};
    size_t lo, start;

    if (!s)
        return loc;
    if (offset > s->len)
        offset = s->len;
    lo = line_at(&s->lines, offset);
    start = line_start(&s->lines, lo);
    if (lo == 0 && s->bom && offset >= s->bom)
        start = s->bom; /* the BOM is not a column */
    loc.line = (uint32_t)lo + 1;
    loc.col = (uint32_t)(chars_before(s, offset) - chars_before(s, start)) + 1;
    loc.offset = (uint32_t)offset;
    return loc;
}

struct src_loc source_loc_from_mark(const struct source_table *t, uint32_t file,
                                    size_t mark_line, size_t mark_col)
{
    struct source *s = lookup(t, file);
    size_t start, end;

    if (!s) {
        struct src_loc none = {file, 0, 0, 0};
        return none;
    }
    if (mark_line >= s->mark_lines.n)
        return source_loc_from_offset(t, file, s->len);
    start = line_start(&s->mark_lines, mark_line);
    end = mark_line + 1 < s->mark_lines.n ? line_start(&s->mark_lines, mark_line + 1)
                                          : s->len;
    return source_loc_from_offset(
        t, file, char_offset(s, chars_before(s, start) + mark_col, end));
}

struct src_loc source_loc_from_index(const struct source_table *t, uint32_t file,
                                     size_t mark_index)
{
    struct source *s = lookup(t, file);

    if (!s) {
        struct src_loc none = {file, 0, 0, 0};
        return none;
    }
    /* A BOM is one character of the text, and none of libyaml's. */
    return source_loc_from_offset(t, file,
                                  char_offset(s, mark_index + (s->bom ? 1 : 0), s->len));
}

/* Any change of the bytes changes it, almost surely; eight bytes a step,
 * so that hashing stays a small part of reading. */
static uint64_t text_hash(const char *data, size_t len)
{
    uint64_t h = 0x243f6a8885a308d3u ^ len, w;
    size_t i;

    for (i = 0; i + 8 <= len; i += 8) {
        memcpy(&w, data + i, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15u;
        h ^= h >> 29;
    }
    for (; i < len; i++)
        h = ((h ^ (unsigned char)data[i]) * 0x100000001b3u) ^ (h >> 31);
    return h;
}

bool source_forget_text(struct source_table *t, uint32_t file, const char *path)
{
    struct source *s = lookup(t, file);

    if (!s || !s->data || s->stride_offsets || s->bom)
        return false;
    s->path = arena_strdup(t->arena, path);
    s->hash = text_hash(s->data, s->len);
    s->reread_arena = t->arena;
    s->data = NULL;
    return true;
}

/* The forgotten text, read again; readers see the source as const, as
 * with the lookup statistics. */
static bool reread(const struct source *cs)
{
    struct source *s = (struct source *)cs;
    char *data;
    size_t len;

    if (s->data)
        return true;
    if (s->reread_failed || !s->path)
        return false;
    if (fs_read(s->reread_arena, s->path, s->len, &data, &len) != FS_OK || len != s->len ||
        text_hash(data, len) != s->hash) {
        s->reread_failed = true;
        return false;
    }
    s->data = data;
    return true;
}

bool source_line_text(const struct source *s, uint32_t line, const char **text,
                      size_t *len)
{
    size_t start, end;

    if (!s || line == 0 || line > s->lines.n || !reread(s))
        return false;
    start = line_start(&s->lines, line - 1);
    if (line == 1)
        start += s->bom;
    end = line < s->lines.n ? line_start(&s->lines, line) : s->len;
    while (end > start && (s->data[end - 1] == '\n' || s->data[end - 1] == '\r'))
        end--;
    *text = s->data + start;
    *len = end - start;
    return true;
}
