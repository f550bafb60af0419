/*
 * The table of input texts, and the one place where positions are converted.
 *
 * libyaml reports marks as (line, column) counted in characters, with NEL,
 * U+2028 and U+2029 counted as line breaks.  Editors count lines on LF, CRLF
 * and CR only.  source_loc_from_mark() turns a libyaml mark (or
 * source_loc_from_index() its character index) into a byte offset and then
 * into the editor's 1-based line and character column; nothing else in gwc
 * converts positions.
 *
 * A lookup costs a binary search and at most SOURCE_STRIDE characters of
 * decoding, however long the line: the table keeps the byte offset of every
 * SOURCE_STRIDE-th character of a text that is not all ASCII (in an ASCII
 * text characters are bytes).  Many diagnostics on one minified line stay
 * linear.
 */
#ifndef GWC_SOURCE_H
#define GWC_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

#define SOURCE_NONE UINT32_MAX
#define SOURCE_STRIDE 64

/* A position shown to users: 1-based line and column (in characters). */
struct src_loc {
    uint32_t file;   /* index in the source table, or SOURCE_NONE */
    uint32_t line;   /* 1-based; 0 when only the file is known */
    uint32_t col;    /* 1-based, in characters */
    uint32_t offset; /* byte offset of the position in the file */
};

/* Line starts (byte offsets), two bytes a line and not four: the offset
 * of every SOURCE_LINE_BLOCK-th line, and each line's distance from it.
 * A text where a block of lines spans 64 KiB or more keeps plain offsets
 * (full) instead.  At 10k routes the input has 1.3 million lines. */
#define SOURCE_LINE_BLOCK 64
struct source_lines {
    uint32_t *base;  /* (n + SOURCE_LINE_BLOCK - 1) / SOURCE_LINE_BLOCK */
    uint16_t *delta; /* n */
    uint32_t *full;  /* NULL unless some block did not fit */
    size_t n;
};

struct source {
    const char *name; /* as the user gave it; "<stdin>" for standard input */
    const char *data; /* the bytes, NUL-terminated (arena-owned) */
    size_t len;
    size_t bom;           /* 3 when the text starts with a UTF-8 BOM */
    struct source_lines mark_lines; /* each line as libyaml counts them */
    struct source_lines lines;      /* each line as editors count them */
    /* Byte offset of characters 0, SOURCE_STRIDE, 2 * SOURCE_STRIDE, ...;
     * NULL when every byte is ASCII. */
    uint32_t *stride_offsets;
    size_t n_strides;
    /* Bytes read by position lookups so far: a statistic for tests, which
     * bound it per lookup whatever the length of the line. */
    size_t lookup_bytes;
    bool context; /* read only to resolve references (--context) */
    /* A forgotten text (source_forget_text()): read again from path, and
     * taken only if it still has the length and hash it had. */
    const char *path;
    uint64_t hash;
    struct arena *reread_arena;
    bool reread_failed;
};

struct source_table {
    struct source **v;
    size_t n, cap;
    struct arena *arena;
};

void source_table_init(struct source_table *t, struct arena *a);
/* Adds a text; data must stay valid (arena-owned); returns its index. */
uint32_t source_add(struct source_table *t, const char *name, const char *data,
                    size_t len);
const struct source *source_get(const struct source_table *t, uint32_t file);

/* libyaml mark (0-based line and character column) to a user position. */
struct src_loc source_loc_from_mark(const struct source_table *t, uint32_t file,
                                    size_t mark_line, size_t mark_col);
/* libyaml mark index (characters before the position, counted after a
 * BOM: the YAML trees keep only this) to a user position. */
struct src_loc source_loc_from_index(const struct source_table *t, uint32_t file,
                                     size_t mark_index);
/* Byte offset to a user position. */
struct src_loc source_loc_from_offset(const struct source_table *t,
                                      uint32_t file, size_t offset);
/* The text of a 1-based editor line, without its line break.  Of a
 * forgotten text, the file is read again on the first call; false when
 * it changed since (a quote of other bytes would mislead). */
bool source_line_text(const struct source *s, uint32_t line, const char **text,
                      size_t *len);
/*
 * Lets the text of a file read from path go (its data may be freed once
 * this returns true): positions need only the line tables when every byte
 * is ASCII, and only a diagnostic that quotes a line reads the file again.
 * False, and nothing changes, when the text is needed for positions.
 */
bool source_forget_text(struct source_table *t, uint32_t file, const char *path);

#endif
