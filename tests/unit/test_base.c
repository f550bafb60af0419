/* Unit tests: arena, strbuf, utf8, source positions, JSON writer, strhash,
 * suggestions. */
#include "unit.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/doc.h"
#include "base/fs.h"
#include "base/glob.h"
#include "base/ipaddr.h"
#include "base/jsonw.h"
#include "base/source.h"
#include "base/strbuf.h"
#include "base/strhash.h"
#include "base/suggest.h"
#include "base/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

START_TEST(arena_memory_is_zeroed_and_aligned)
{
    struct arena *a = arena_create(1024);
    int i;

    for (i = 0; i < 1000; i++) {
        uint64_t *p = arena_alloc(a, 24, 8);
        ck_assert_uint_eq((uintptr_t)p % 8, 0);
        ck_assert_uint_eq(p[0] | p[1] | p[2], 0);
        p[0] = ~0ull;
    }
    /* Bigger than a quarter block: served from its own block. */
    {
        char *big = arena_alloc(a, 100000, 1);
        ck_assert_int_eq(big[99999], 0);
    }
    ck_assert_uint_ge(arena_used(a), 24000 + 100000);
    arena_destroy(a);
}
END_TEST

START_TEST(arena_adopted_memory_is_reused_zeroed)
{
    struct arena *a = arena_create(4096), *b = arena_create(4096);
    unsigned char *p;
    size_t before, i;
    int k;

    /* Fill b with non-zero bytes over several blocks, then hand it to a. */
    for (k = 0; k < 10; k++)
        memset(arena_alloc(b, 900, 1), 0xff, 900);
    arena_adopt(a, b);
    before = arena_used(a);
    for (k = 0; k < 20; k++) {
        p = arena_alloc(a, 900, 1);
        for (i = 0; i < 900; i++)
            ck_assert_uint_eq(p[i], 0);
        memset(p, 0xee, 900);
    }
    ck_assert_uint_eq(arena_used(a), before + 20 * 900);
    arena_destroy(a);
}
END_TEST

static void assert_zero(const unsigned char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        ck_assert_uint_eq(p[i], 0);
}

/* A scratch arena reset between pieces of work hands out cleared memory
 * again, for small requests and for big ones served from its old blocks. */
START_TEST(arena_reset_memory_is_reused_zeroed)
{
    struct arena *a = arena_create(4096);
    unsigned char *p;
    int round, k;

    for (round = 0; round < 3; round++) {
        for (k = 0; k < 10; k++) {
            p = arena_alloc(a, 900, 1);
            assert_zero(p, 900);
            memset(p, 0xff, 900);
        }
        p = arena_alloc(a, 2000, 1); /* beyond a quarter block: its own */
        assert_zero(p, 2000);
        memset(p, 0xff, 2000);
        arena_reset(a);
    }
    arena_trim(a);
    p = arena_alloc(a, 900, 1);
    assert_zero(p, 900);
    arena_destroy(a);
}
END_TEST

START_TEST(arena_strings)
{
    struct arena *a = arena_create(0);

    ck_assert_str_eq(arena_strndup(a, "hello world", 5), "hello");
    ck_assert_str_eq(arena_printf(a, "%s/%d", "ns", 42), "ns/42");
    arena_destroy(a);
}
END_TEST

START_TEST(strbuf_grows_and_keeps_invariants)
{
    struct strbuf sb = STRBUF_INIT;
    int i;

    ck_assert_str_eq(sb.buf, "");
    for (i = 0; i < 1000; i++)
        strbuf_addf(&sb, "%d,", i);
    ck_assert_uint_eq(sb.buf[sb.len], '\0');
    ck_assert(strncmp(sb.buf, "0,1,2,", 6) == 0);
    ck_assert(strbuf_ends_with(&sb, "999,"));
    strbuf_setlen(&sb, 2);
    ck_assert_str_eq(sb.buf, "0,");
    strbuf_release(&sb);
    ck_assert_uint_eq(sb.cap, 0);
    ck_assert_str_eq(sb.buf, "");
}
END_TEST

START_TEST(strbuf_detach_hands_over)
{
    struct strbuf sb = STRBUF_INIT;
    size_t len;
    char *p;

    p = strbuf_detach(&sb, &len); /* even an empty buffer is heap-owned */
    ck_assert_uint_eq(len, 0);
    free(p);
    strbuf_addstr(&sb, "abc");
    p = strbuf_detach(&sb, &len);
    ck_assert_str_eq(p, "abc");
    ck_assert_uint_eq(sb.len, 0);
    free(p);
}
END_TEST

START_TEST(utf8_decode_rejects_bad_forms)
{
    uint32_t cp;

    ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xc3\xa9", 2, &cp), 2);
    ck_assert_uint_eq(cp, 0xe9);
    ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp), 4);
    ck_assert_uint_eq(cp, 0x1f600);
    ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xc0\xaf", 2, &cp), 0); /* overlong */
    ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &cp), 0); /* surrogate */
    ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp), 0);
    ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xe2\x82", 2, &cp), 0); /* truncated */
    ck_assert_uint_eq(utf8_count("h\xc3\xa9llo", 6), 5);
    ck_assert_uint_eq(utf8_advance("h\xc3\xa9llo", 6, 2), 3);
}
END_TEST

START_TEST(source_positions_count_characters)
{
    struct arena *a = arena_create(0);
    struct source_table t;
    const char *text = "k: \"h\xc3\xa9llo w\xc3\xb6rld\"\nz: 1\n";
    uint32_t f;
    struct src_loc loc;
    const char *line;
    size_t len;

    source_table_init(&t, a);
    f = source_add(&t, "x.yaml", text, strlen(text));
    /* libyaml reports z at line 1, column 0. */
    loc = source_loc_from_mark(&t, f, 1, 0);
    ck_assert_uint_eq(loc.line, 2);
    ck_assert_uint_eq(loc.col, 1);
    ck_assert_uint_eq(loc.offset, 19); /* line 1: 16 characters in 18 bytes */
    /* The closing quote: character column 15 on line 1. */
    loc = source_loc_from_mark(&t, f, 0, 15);
    ck_assert_uint_eq(loc.col, 16);
    ck_assert_uint_eq(text[loc.offset], '"');
    ck_assert(source_line_text(source_get(&t, f), 2, &line, &len));
    ck_assert_uint_eq(len, 4);
    ck_assert(strncmp(line, "z: 1", 4) == 0);
    arena_destroy(a);
}
END_TEST

/* A forgotten text is read again for a quote, and only while the file
 * has the bytes it had: a changed file gets no quote at all, never
 * another line at the same place. */
static bool write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    bool ok = f && fputs(text, f) >= 0;

    return f && fclose(f) == 0 && ok;
}

START_TEST(source_forgotten_text_is_read_again_unless_changed)
{
    struct arena *a = arena_create(0);
    char dir[] = "/tmp/gwc-test-XXXXXX", path[64];
    const char *text = "a: 1\nb: 2\n", *line;
    struct source_table t;
    uint32_t f, g, h;
    size_t len;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/x.yaml", dir);
    ck_assert(write_file(path, text));
    source_table_init(&t, a);
    f = source_add(&t, path, arena_strdup(a, text), strlen(text));
    g = source_add(&t, path, arena_strdup(a, text), strlen(text));
    ck_assert(source_forget_text(&t, f, path));
    ck_assert(source_forget_text(&t, g, path));
    ck_assert_ptr_null(source_get(&t, f)->data);
    ck_assert_uint_eq(source_loc_from_index(&t, f, 6).line, 2); /* no text needed */
    ck_assert(source_line_text(source_get(&t, f), 2, &line, &len));
    ck_assert_uint_eq(len, 4);
    ck_assert(strncmp(line, "b: 2", 4) == 0);
    /* Same length, other bytes. */
    ck_assert(write_file(path, "a: 1\nb: 3\n"));
    ck_assert(!source_line_text(source_get(&t, g), 2, &line, &len));
    ck_assert(!source_line_text(source_get(&t, g), 1, &line, &len));
    /* A text that is not ASCII keeps its bytes: positions count characters. */
    h = source_add(&t, path, "\xc3\xa9: 1\n", 6);
    ck_assert(!source_forget_text(&t, h, path));
    ck_assert_ptr_nonnull(source_get(&t, h)->data);
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(rmdir(dir), 0);
    arena_destroy(a);
}
END_TEST

START_TEST(source_yaml_line_breaks_differ_from_editor_lines)
{
    struct arena *a = arena_create(0);
    struct source_table t;
    /* U+2028 breaks a line for libyaml but not for an editor. */
    const char *text = "a: \"x\xe2\x80\xa8y\"\nb: 2\n";
    uint32_t f;
    struct src_loc loc;

    source_table_init(&t, a);
    f = source_add(&t, "x.yaml", text, strlen(text));
    loc = source_loc_from_mark(&t, f, 2, 0); /* libyaml's line 2 is "b: 2" */
    ck_assert_uint_eq(loc.line, 2);
    ck_assert_uint_eq(loc.col, 1);
    arena_destroy(a);
}
END_TEST

START_TEST(source_bom_is_not_a_column)
{
    struct arena *a = arena_create(0);
    struct source_table t;
    const char *text = "\xef\xbb\xbfkind: X\n";
    uint32_t f;
    struct src_loc loc;
    const char *line;
    size_t len;

    source_table_init(&t, a);
    f = source_add(&t, "x.yaml", text, strlen(text));
    loc = source_loc_from_mark(&t, f, 0, 6);
    ck_assert_uint_eq(loc.col, 7);
    ck_assert_uint_eq(text[loc.offset], 'X');
    ck_assert(source_line_text(source_get(&t, f), 1, &line, &len));
    ck_assert(strncmp(line, "kind", 4) == 0);
    arena_destroy(a);
}
END_TEST

/* A position costs the same on a 400 KB line as on a short one: the text
 * before it on its line is not scanned again (many diagnostics on one
 * minified line were quadratic).  The bound is per lookup, independent of
 * where on the line the position is. */
enum { LONG_LINE_KEYS = 20000, BYTES_PER_LOOKUP = 1024 };

static void long_line_lookups(bool utf8)
{
    struct arena *a = arena_create(0);
    struct strbuf text = STRBUF_INIT;
    struct source_table t;
    size_t *cols = malloc(LONG_LINE_KEYS * sizeof(*cols));
    size_t *offs = malloc(LONG_LINE_KEYS * sizeof(*offs));
    size_t i, chars = 1;
    uint32_t f;

    strbuf_addch(&text, '{');
    for (i = 0; i < LONG_LINE_KEYS; i++) {
        size_t before = text.len;
        cols[i] = chars;
        offs[i] = text.len;
        if (utf8)
            strbuf_addf(&text, "\"k\xc3\xa9\xe2\x82\xac%zu\": \"\xf0\x9f\x98\x80\", ", i);
        else
            strbuf_addf(&text, "\"k%zu\": 1, ", i);
        chars += utf8_count(text.buf + before, text.len - before);
    }
    strbuf_addstr(&text, "}\n");
    source_table_init(&t, a);
    f = source_add(&t, "x.json", text.buf, text.len);
    for (i = 0; i < LONG_LINE_KEYS; i++) {
        struct src_loc m = source_loc_from_mark(&t, f, 0, cols[i]);
        struct src_loc o = source_loc_from_offset(&t, f, offs[i]);
        ck_assert_uint_eq(m.offset, offs[i]);
        ck_assert_uint_eq(m.line, 1);
        ck_assert_uint_eq(m.col, cols[i] + 1);
        ck_assert_uint_eq(o.col, cols[i] + 1);
    }
    ck_assert_uint_le(source_get(&t, f)->lookup_bytes,
                      2 * LONG_LINE_KEYS * BYTES_PER_LOOKUP);
    free(cols);
    free(offs);
    strbuf_release(&text);
    arena_destroy(a);
}

/* Line starts are kept two bytes a line unless a block of lines spans
 * 64 KiB or more: around one long line every line still starts where it
 * does, under both definitions of a line. */
static void every_line_start(const char *eol)
{
    struct arena *a = arena_create(0);
    struct source_table t;
    size_t n = 300, k, off = 0, eol_len = strlen(eol);
    size_t *starts = malloc(n * sizeof(*starts));
    char *text = malloc(n * (70000 + eol_len) + 1), *p = text;
    uint32_t f;

    for (k = 0; k < n; k++) {
        size_t len = k == 100 || k == 250 ? 70000 : k % 7 + 1;
        starts[k] = off;
        memset(p, 'a', len);
        memcpy(p + len, eol, eol_len);
        p += len + eol_len;
        off += len + eol_len;
    }
    *p = 0;
    source_table_init(&t, a);
    f = source_add(&t, "x.yaml", text, off);
    for (k = 0; k < n; k++) {
        struct src_loc loc = source_loc_from_offset(&t, f, starts[k] + 1);
        const char *line;
        size_t len;

        ck_assert_uint_eq(loc.line, k + 1);
        ck_assert_uint_eq(loc.col, 2);
        loc = source_loc_from_mark(&t, f, k, 0);
        ck_assert_uint_eq(loc.offset, starts[k]);
        ck_assert(source_line_text(source_get(&t, f), (uint32_t)k + 1, &line, &len));
        ck_assert_uint_eq(len, k == 100 || k == 250 ? 70000 : k % 7 + 1);
    }
    free(starts);
    free(text);
    arena_destroy(a);
}

START_TEST(source_line_starts_around_a_64k_block)
{
    every_line_start("\n");
    every_line_start("\r\n");
}
END_TEST

START_TEST(source_lookups_on_a_long_ascii_line_are_bounded)
{
    long_line_lookups(false);
}
END_TEST

START_TEST(source_lookups_on_a_long_utf8_line_are_bounded)
{
    long_line_lookups(true);
}
END_TEST

/* The document writer hands its text over as it goes: a 5 MB document is
 * never held whole (gwc status held 2.7 GB for a 30 MB input), and the
 * pieces add up to what one buffer would have held. */
struct collected {
    struct strbuf all;
    size_t largest, flushes;
};

static void collect(struct strbuf *out, void *ctx)
{
    struct collected *c = ctx;

    strbuf_add(&c->all, out->buf, out->len);
    if (out->len > c->largest)
        c->largest = out->len;
    c->flushes++;
}

static void write_items(struct doc_writer *w)
{
    size_t i;

    doc_writer_map_begin(w);
    doc_writer_key(w, "items");
    doc_writer_seq_begin(w);
    for (i = 0; i < 50000; i++) {
        doc_writer_map_begin(w);
        doc_writer_kv_str(w, "name", "a route with a long enough name");
        doc_writer_kv_int(w, "index", (int64_t)i);
        doc_writer_kv_str(w, "looks like a number", "80");
        doc_writer_map_end(w);
    }
    doc_writer_seq_end(w);
    doc_writer_map_end(w);
}

static void streams(enum doc_format format)
{
    struct collected c = {STRBUF_INIT, 0, 0};
    struct strbuf buffer = STRBUF_INIT, whole = STRBUF_INIT;
    struct doc_writer *w;

    w = doc_writer_begin(format, &buffer, collect, &c);
    write_items(w);
    doc_writer_end(w);
    w = doc_writer_begin(format, &whole, NULL, NULL);
    write_items(w);
    doc_writer_end(w);
    ck_assert_uint_gt(whole.len, 3u << 20);
    ck_assert_uint_gt(c.flushes, 50);
    ck_assert_uint_le(c.largest, 2 * DOC_FLUSH_BYTES);
    ck_assert_uint_eq(buffer.len, 0);
    ck_assert_uint_eq(c.all.len, whole.len);
    ck_assert(memcmp(c.all.buf, whole.buf, whole.len) == 0);
    strbuf_release(&c.all);
    strbuf_release(&buffer);
    strbuf_release(&whole);
}

/* NEL breaks a line for libyaml, not for editors: 20,000 YAML lines can be
 * one editor line, and every mark on it is a column far from its start. */
START_TEST(source_lookups_on_yaml_lines_within_one_editor_line_are_bounded)
{
    enum { LINES = 20000 };
    struct arena *a = arena_create(0);
    struct strbuf text = STRBUF_INIT;
    struct source_table t;
    size_t i;
    uint32_t f;

    strbuf_addstr(&text, "k:\n");
    for (i = 0; i < LINES; i++)
        strbuf_addstr(&text, "  a: b\xc2\x85");
    source_table_init(&t, a);
    f = source_add(&t, "x.yaml", text.buf, text.len);
    for (i = 0; i < LINES; i++) {
        struct src_loc loc = source_loc_from_mark(&t, f, 1 + i, 2);
        ck_assert_uint_eq(loc.line, 2);
        ck_assert_uint_eq(loc.col, 7 * i + 3);
        ck_assert_int_eq(text.buf[loc.offset], 'a');
    }
    ck_assert_uint_le(source_get(&t, f)->lookup_bytes, LINES * BYTES_PER_LOOKUP);
    strbuf_release(&text);
    arena_destroy(a);
}
END_TEST

/* kubectl reads YAML 1.1: a plain "<<" key merges the map under it and
 * "=" is the value key, so both are quoted, as "true" and "80" are. */
START_TEST(doc_writer_quotes_merge_and_value_keys)
{
    struct strbuf out = STRBUF_INIT;
    struct doc_writer *w = doc_writer_begin(DOC_FORMAT_YAML, &out, NULL, NULL);

    doc_writer_map_begin(w);
    doc_writer_kv_str(w, "<<", "=");
    doc_writer_kv_str(w, "=", "<<");
    doc_writer_kv_str(w, "<<<", "a=b");
    doc_writer_map_end(w);
    doc_writer_end(w);
    ck_assert_str_eq(out.buf, "'<<': '='\n'=': '<<'\n<<<: a=b\n");
    strbuf_release(&out);
}
END_TEST

START_TEST(doc_writer_streams_json)
{
    streams(DOC_FORMAT_JSON);
}
END_TEST

START_TEST(doc_writer_streams_yaml)
{
    streams(DOC_FORMAT_YAML);
}
END_TEST

START_TEST(json_writer_escapes_and_nests)
{
    struct strbuf sb = STRBUF_INIT;
    struct jsonw w;

    jsonw_init(&w, &sb, true);
    jsonw_object_begin(&w);
    jsonw_kv_string(&w, "a", "x\"y\\z\n\x01");
    jsonw_key(&w, "l");
    jsonw_array_begin(&w);
    jsonw_int(&w, -3);
    jsonw_bool(&w, true);
    jsonw_null(&w);
    jsonw_array_end(&w);
    jsonw_object_end(&w);
    ck_assert_str_eq(sb.buf, "{\"a\":\"x\\\"y\\\\z\\n\\u0001\",\"l\":[-3,true,null]}");
    strbuf_release(&sb);
}
END_TEST

START_TEST(strhash_finds_what_was_put)
{
    struct arena *a = arena_create(0);
    struct strhash m;
    int i;

    strhash_init(&m, a);
    ck_assert_ptr_null(strhash_get(&m, "absent"));
    /* Enough keys to grow the table several times. */
    for (i = 0; i < 5000; i++) {
        char *k = arena_printf(a, "key-%d", i);
        void **slot = strhash_slot(&m, k);
        ck_assert_ptr_null(*slot);
        *slot = k;
    }
    ck_assert_uint_eq(m.n, 5000);
    for (i = 0; i < 5000; i++) {
        char k[32];
        snprintf(k, sizeof(k), "key-%d", i);
        ck_assert_str_eq(strhash_get(&m, k), k);
    }
    ck_assert_ptr_null(strhash_get(&m, "key-5000"));
    /* An existing key keeps its slot; put replaces the value. */
    ck_assert_ptr_nonnull(*strhash_slot(&m, "key-7"));
    strhash_put(&m, "key-7", (void *)"seven");
    ck_assert_str_eq(strhash_get(&m, "key-7"), "seven");
    strhash_put(&m, "", (void *)"empty");
    ck_assert_str_eq(strhash_get(&m, ""), "empty");
    ck_assert_uint_eq(m.n, 5001);
    arena_destroy(a);
}
END_TEST

/*
 * Names picked so that an unkeyed FNV-1a puts them all in one slot of a
 * 1,024-slot table (the size 512 keys grow it to): with the per-table
 * random key they spread out, so no key sits far from its home slot.
 */
START_TEST(strhash_names_chosen_to_collide_spread_out)
{
    struct arena *a = arena_create(0);
    struct strhash m;
    size_t found = 0, longest = 0, i;
    unsigned long c;

    strhash_init(&m, a);
    for (c = 0; found < 512; c++) {
        char *k = arena_printf(a, "route-%lu", c);
        uint64_t h = strhash_fnv1a(STRHASH_FNV_BASIS, k);
        if (((h ^ (h >> 32)) & 1023) == 0) {
            strhash_put(&m, k, k);
            found++;
        }
    }
    ck_assert_uint_eq(m.cap, 1024);
    for (i = 0; i < m.cap; i++) {
        size_t home = m.slots[i].hash & (m.cap - 1);
        if (m.slots[i].key && ((i - home) & (m.cap - 1)) > longest)
            longest = (i - home) & (m.cap - 1);
    }
    ck_assert_uint_lt(longest, 64);
    arena_destroy(a);
}
END_TEST

static size_t hash_in(const struct strhash *m, const char *key)
{
    size_t i;

    for (i = 0; i < m->cap; i++) {
        if (m->slots[i].key && strcmp(m->slots[i].key, key) == 0)
            return m->slots[i].hash;
    }
    return 0;
}

/* One draw of randomness serves an arena's tables, but no two of them
 * share a key: a name that collides in one table says nothing of another. */
START_TEST(strhash_tables_of_one_arena_have_their_own_keys)
{
    struct arena *a = arena_create(0);
    struct strhash m1, m2;

    strhash_init(&m1, a);
    strhash_init(&m2, a);
    strhash_put(&m1, "x", a);
    strhash_put(&m2, "x", a);
    ck_assert(m1.key[0] != m2.key[0] || m1.key[1] != m2.key[1]);
    ck_assert_uint_ne(hash_in(&m1, "x"), hash_in(&m2, "x"));
    arena_destroy(a);
}
END_TEST

START_TEST(strhash_reserve_makes_room_once)
{
    struct arena *a = arena_create(0);
    struct strhash m;
    const struct strhash_slot *slots;
    int i;

    strhash_init(&m, a);
    strhash_reserve(&m, 1000);
    slots = m.slots;
    for (i = 0; i < 1000; i++)
        strhash_put(&m, arena_printf(a, "k%d", i), a);
    ck_assert_ptr_eq(m.slots, slots); /* no growth on the way */
    ck_assert_ptr_eq(strhash_get(&m, "k999"), a);
    arena_destroy(a);
}
END_TEST

START_TEST(strhash_keys_of_parts_never_collide)
{
    struct arena *a = arena_create(0);
    const char *ab_c[] = {"a/b", "c"}, *a_bc[] = {"a", "b/c"};
    const char *ab_[] = {"ab", ""}, *a_b[] = {"a", "b"}, *a_null[] = {"a", NULL};
    const char *a_empty[] = {"a", ""}, *digits[] = {"1:a", ""}, *digits2[] = {"", "a"};
    char buf[8], big[256];
    const char *k;

    ck_assert_str_ne(strhash_key(a, big, sizeof(big), ab_c, 2),
                     strhash_key(a, buf, sizeof(buf), a_bc, 2));
    ck_assert_str_ne(strhash_key(a, big, sizeof(big), ab_, 2),
                     strhash_key(a, buf, sizeof(buf), a_b, 2));
    ck_assert_str_ne(strhash_key(a, big, sizeof(big), digits, 2),
                     strhash_key(a, buf, sizeof(buf), digits2, 2));
    /* NULL reads as "", as str_eq() compares absent fields. */
    ck_assert_str_eq(strhash_key(a, big, sizeof(big), a_null, 2),
                     strhash_key(a, buf, sizeof(buf), a_empty, 2));
    /* In the buffer when it fits, else in the arena. */
    ck_assert_ptr_eq(strhash_key(a, big, sizeof(big), ab_c, 2), big);
    k = strhash_key(a, buf, sizeof(buf), ab_c, 2);
    ck_assert_ptr_ne(k, buf);
    ck_assert_str_eq(k, "3:a/b1:c");
    arena_destroy(a);
}
END_TEST

static bool take_all(const char *rel, bool is_dir, void *ctx)
{
    (void)rel, (void)is_dir, (void)ctx;
    return true;
}

/* An empty directory lists nothing (and sorts no array: UBSan caught
 * qsort(NULL, 0, ...) here). */
START_TEST(fs_lists_an_empty_directory)
{
    const struct fs_filter all = {take_all, NULL};
    char dir[] = "/tmp/gwc-test-XXXXXX";
    struct fs_list files = {0};
    const char *bad = NULL;
    struct arena *a = arena_create(0);

    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert(fs_list_tree(a, dir, &all, &files, &bad));
    ck_assert_uint_eq(files.n, 0);
    ck_assert_int_eq(rmdir(dir), 0);
    arena_destroy(a);
}
END_TEST

START_TEST(glob_matches_as_gitignore_does)
{
    /* Without a slash: a name at any depth, files and directories. */
    ck_assert(glob_match("values.yaml", "values.yaml", false));
    ck_assert(glob_match("values.yaml", "charts/web/values.yaml", false));
    ck_assert(glob_match("*.tmpl.yaml", "a/b/x.tmpl.yaml", false));
    ck_assert(!glob_match("*.yaml", "a/b", true));
    ck_assert(glob_match("charts", "deploy/charts", true));
    /* With a slash: the whole relative path; '*' stops at '/'. */
    ck_assert(glob_match("charts/*", "charts/web", true));
    ck_assert(!glob_match("charts/*", "charts/web/values.yaml", false));
    ck_assert(!glob_match("charts/*", "deploy/charts/web", true));
    ck_assert(glob_match("./charts/*", "./charts/web", true));
    ck_assert(glob_match("/charts/*", "charts/web", true));
    /* '**' matches any number of segments, none included. */
    ck_assert(glob_match("charts/**", "charts/web/templates/a.yaml", false));
    ck_assert(glob_match("charts/**", "charts", true));
    ck_assert(glob_match("**/templates/*.yaml", "templates/a.yaml", false));
    ck_assert(glob_match("**/templates/*.yaml", "x/y/templates/a.yaml", false));
    ck_assert(!glob_match("**/templates/*.yaml", "x/templates/y/a.yaml", false));
    ck_assert(glob_match("a/**/b", "a/b", true));
    ck_assert(glob_match("a/**/**/b", "a/x/y/b", true));
    /* A trailing slash: directories only. */
    ck_assert(glob_match("generated/", "x/generated", true));
    ck_assert(!glob_match("generated/", "x/generated", false));
    ck_assert(glob_match("[!a]*.yaml", "b.yaml", false));
    ck_assert(!glob_match("[!a]*.yaml", "a.yaml", false));
    ck_assert(!glob_match("", "a", false));
}
END_TEST

static size_t dist(const char *a, const char *b, size_t max)
{
    return suggest_distance(a, strlen(a), b, strlen(b), max);
}

START_TEST(suggest_distance_counts_edits)
{
    ck_assert_uint_eq(dist("path", "path", 5), 0);
    ck_assert_uint_eq(dist("pathh", "path", 5), 1);  /* insertion */
    ck_assert_uint_eq(dist("pth", "path", 5), 1);    /* deletion */
    ck_assert_uint_eq(dist("pakh", "path", 5), 1);   /* substitution */
    ck_assert_uint_eq(dist("ptah", "path", 5), 1);   /* neighbours swapped */
    ck_assert_uint_eq(dist("HttpRoute", "HTTPRoute", 5), 0); /* case */
    ck_assert_uint_eq(dist("", "abc", 5), 3);
    ck_assert_uint_eq(dist("kitten", "sitting", 5), 3);
    /* Beyond max the answer is max + 1, however far. */
    ck_assert_uint_eq(dist("kitten", "sitting", 2), 3);
    ck_assert_uint_eq(dist("a", "abcdefgh", 2), 3);
}
END_TEST

START_TEST(suggest_picks_the_unique_closest)
{
    static const char *const fields[] = {"path", "headers", "queryParams", "method",
                                         NULL};
    static const char *const twins[] = {"gw-a", "gw-b", NULL};
    static const char *const kinds[] = {"HTTPRoute", "GRPCRoute", "TLSRoute", NULL};
    size_t budget;
    struct suggest s;

    ck_assert_str_eq(suggest_among("pathh", fields), "path");
    ck_assert_str_eq(suggest_among("header", fields), "headers");
    ck_assert_str_eq(suggest_among("HttpRoute", kinds), "HTTPRoute");
    /* Too far: 'xyz' shares nothing with any field. */
    ck_assert_ptr_null(suggest_among("xyz", fields));
    /* Two equally close candidates: no guess. */
    ck_assert_ptr_null(suggest_among("gw-c", twins));
    /* The word itself is not a suggestion. */
    ck_assert_ptr_null(suggest_among("path", fields));
    /* A candidate costs a cell to look at and one per cell compared; a
     * budget that cannot pay is spent for good. */
    budget = 1000;
    suggest_begin(&s, "pathh", &budget);
    suggest_add(&s, "path");
    ck_assert_str_eq(suggest_result(&s), "path");
    ck_assert_uint_eq(budget, 1000 - 1 - 6 * 5);
    ck_assert(!suggest_spent(&s));
    budget = 10;
    suggest_begin(&s, "pathh", &budget);
    suggest_add(&s, "path");
    ck_assert_ptr_null(suggest_result(&s));
    ck_assert_uint_eq(budget, 0);
    ck_assert(suggest_spent(&s));
}
END_TEST

START_TEST(ipaddr_is_as_strict_as_the_api_server)
{
    static const char *const v4[] = {"0.0.0.0", "10.0.0.1", "255.255.255.255"};
    static const char *const not_v4[] = {"...", "999.1.1.1", "1.2.3", "1.2.3.4.5",
                                         "01.2.3.4", "1.2.3.", "1..2.3", "1.2.3.4 ",
                                         "", "1.2.3.1000"};
    static const char *const v6[] = {"::", "::1", "2001:db8::1", "fe80::1:2:3:4",
                                     "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8"};
    static const char *const not_v6[] = {":::", "1::2::3", "1:2:3:4:5:6:7:8:9",
                                         "12345::", "fe80::1%eth0", "1:2:3:4:5:6:7::8:9",
                                         "::1.2.3", ""};
    size_t i;

    for (i = 0; i < ARRAY_SIZE(v4); i++)
        ck_assert_msg(ipaddr_is_v4(v4[i]) && ipaddr_is_ip(v4[i]), "%s", v4[i]);
    for (i = 0; i < ARRAY_SIZE(not_v4); i++)
        ck_assert_msg(!ipaddr_is_v4(not_v4[i]), "%s", not_v4[i]);
    for (i = 0; i < ARRAY_SIZE(v6); i++)
        ck_assert_msg(ipaddr_is_v6(v6[i]) && !ipaddr_is_v4(v6[i]), "%s", v6[i]);
    for (i = 0; i < ARRAY_SIZE(not_v6); i++)
        ck_assert_msg(!ipaddr_is_v6(not_v6[i]) && !ipaddr_is_ip(not_v6[i]), "%s", not_v6[i]);
}
END_TEST

static Suite *base_suite(void)
{
    Suite *s = suite_create("base");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, arena_memory_is_zeroed_and_aligned);
    tcase_add_test(tc, arena_adopted_memory_is_reused_zeroed);
    tcase_add_test(tc, arena_reset_memory_is_reused_zeroed);
    tcase_add_test(tc, arena_strings);
    tcase_add_test(tc, strbuf_grows_and_keeps_invariants);
    tcase_add_test(tc, strbuf_detach_hands_over);
    tcase_add_test(tc, utf8_decode_rejects_bad_forms);
    tcase_add_test(tc, source_positions_count_characters);
    tcase_add_test(tc, source_forgotten_text_is_read_again_unless_changed);
    tcase_add_test(tc, source_yaml_line_breaks_differ_from_editor_lines);
    tcase_add_test(tc, source_bom_is_not_a_column);
    tcase_add_test(tc, source_line_starts_around_a_64k_block);
    tcase_add_test(tc, source_lookups_on_a_long_ascii_line_are_bounded);
    tcase_add_test(tc, source_lookups_on_a_long_utf8_line_are_bounded);
    tcase_add_test(tc, source_lookups_on_yaml_lines_within_one_editor_line_are_bounded);
    tcase_add_test(tc, doc_writer_quotes_merge_and_value_keys);
    tcase_add_test(tc, doc_writer_streams_json);
    tcase_add_test(tc, doc_writer_streams_yaml);
    tcase_add_test(tc, json_writer_escapes_and_nests);
    tcase_add_test(tc, strhash_finds_what_was_put);
    tcase_add_test(tc, strhash_tables_of_one_arena_have_their_own_keys);
    tcase_add_test(tc, strhash_reserve_makes_room_once);
    tcase_add_test(tc, strhash_names_chosen_to_collide_spread_out);
    tcase_add_test(tc, strhash_keys_of_parts_never_collide);
    tcase_add_test(tc, fs_lists_an_empty_directory);
    tcase_add_test(tc, glob_matches_as_gitignore_does);
    tcase_add_test(tc, suggest_distance_counts_edits);
    tcase_add_test(tc, suggest_picks_the_unique_closest);
    tcase_add_test(tc, ipaddr_is_as_strict_as_the_api_server);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return unit_run(base_suite());
}
