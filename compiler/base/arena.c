/* mmap flags beyond POSIX 2008 (MAP_ANONYMOUS). */
#define _DEFAULT_SOURCE

#include "arena.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>

struct block {
    struct block *prev;
    size_t used, cap;
    bool reused; /* not fresh from the system: clear what is handed out */
    max_align_t data[];
};

struct arena {
    struct block *head;
    struct block *spare; /* adopted blocks, served before new ones */
    size_t block_size;
    size_t total;
    uint64_t hash_key[2]; /* arena_hash_key(): drawn when first asked for */
    uint64_t hash_keys;   /* keys handed out so far */
};

/*
 * With -Darena_debug=true (the sanitizer build), every allocation is its own
 * malloc, so AddressSanitizer puts a redzone around each object and catches
 * a read past one object into the next, which one shared block would hide.
 * The blocks only record the pointers, for arena_destroy().
 */
#ifdef GWC_ARENA_DEBUG
enum { ARENA_DEBUG = 1 };
#else
enum { ARENA_DEBUG = 0 };
#endif

_Noreturn void arena_die_oom(size_t wanted)
{
    fprintf(stderr, "gwc: out of memory (wanted %zu bytes)\n", wanted);
    abort();
}

_Noreturn void arena_bug_at(const char *file, int line, const char *msg)
{
    fprintf(stderr, "gwc: BUG at %s:%d: %s\n", file, line, msg);
    abort();
}

/*
 * Blocks come straight from mmap: the kernel hands out zeroed pages, so
 * memory is never cleared twice.  The arena never hands out a byte twice,
 * so everything it returns is still zero.
 *
 * Blocks are not offered to transparent huge pages (MADV_HUGEPAGE): a huge
 * page is in memory as a whole once touched, so every arena's partly used
 * last block (and a large request rounded up to whole huge pages) was
 * backed in full.  Measured on bench/ repositories, 4 KiB pages lowered
 * peak memory by 5 MiB of 17 at 1k routes, 3.4 of 84 at 10k and 22 of 786
 * at 100k; they take 3-5 times the page faults, but the kernel's time went
 * down (zeroing and compacting for huge pages cost more than the faults
 * saved: 1.8 s -> 0.6 s of system time at 100k) and user time stayed the
 * same within noise.
 */
#define PAGE ((size_t)4096)

/* Whole pages for a block. */
static size_t block_bytes(size_t cap)
{
    if (cap > SIZE_MAX / 2)
        arena_die_oom(cap);
    return (sizeof(struct block) + cap + PAGE - 1) & ~(PAGE - 1);
}

static struct block *block_new(size_t cap)
{
    size_t bytes = block_bytes(cap);
    void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct block *b;

    if (m == MAP_FAILED)
        arena_die_oom(bytes);
    b = (struct block *)m;
    b->prev = NULL;
    b->used = 0;
    b->cap = bytes - sizeof(struct block);
    b->reused = false;
    return b;
}

static void block_free(struct block *b)
{
    munmap(b, sizeof(struct block) + b->cap);
}

struct arena *arena_create(size_t block_size)
{
    struct arena *a = malloc(sizeof(*a));

    if (!a)
        arena_die_oom(sizeof(*a));
    if (block_size < 1024 || ARENA_DEBUG)
        block_size = 1024; /* debug blocks hold only pointers */
    a->block_size = block_size;
    a->head = block_new(block_size);
    a->spare = NULL;
    a->total = 0;
    a->hash_keys = 0;
    return a;
}

static void debug_free(struct block *b)
{
    size_t i;

    for (i = 0; i < b->used; i += sizeof(void *)) {
        void *p;
        memcpy(&p, (unsigned char *)b->data + i, sizeof(p));
        free(p);
    }
}

/* A block and, in the debug build, the objects it lists. */
static void block_release(struct block *b)
{
    if (ARENA_DEBUG)
        debug_free(b);
    block_free(b);
}

static void free_chain(struct block *b)
{
    struct block *prev;

    for (; b; b = prev) {
        prev = b->prev;
        block_release(b);
    }
}

/* Blocks at least a's block size wait on its spare list, cleared as they
 * are handed out again; smaller ones (a big request's own) go back.  The
 * debug build frees the objects, so a use after the end is caught. */
static void keep_spare(struct arena *a, struct block *b)
{
    if (ARENA_DEBUG || b->cap < a->block_size) {
        block_release(b);
        return;
    }
    b->used = 0;
    b->reused = true;
    b->prev = a->spare;
    a->spare = b;
}

void arena_adopt(struct arena *dst, struct arena *src)
{
    struct block *b, *prev;

    for (b = src->head; b; b = prev) {
        prev = b->prev;
        keep_spare(dst, b);
    }
    free_chain(src->spare);
    free(src);
}

void arena_reset(struct arena *a)
{
    struct block *b, *prev;

    for (b = a->head; b; b = prev) {
        prev = b->prev;
        keep_spare(a, b);
    }
    a->head = a->spare;
    if (a->head)
        a->spare = a->head->prev;
    else
        a->head = block_new(a->block_size);
    a->head->prev = NULL;
}

void arena_trim(struct arena *a)
{
    free_chain(a->spare);
    a->spare = NULL;
}

void arena_destroy(struct arena *a)
{
    if (!a)
        return;
    free_chain(a->head);
    free_chain(a->spare);
    free(a);
}

/*
 * The smallest spare block that holds size bytes, unlinked, or NULL.  Not
 * just the first: the spare list is mostly blocks of freed trees in every
 * size, and a big table (an upstream list, a hostname index) that gave up
 * on the first one took fresh memory while the freed blocks sat idle.
 * One walk over the list, which holds tens of blocks, not thousands.
 */
static struct block *take_spare(struct arena *a, size_t size)
{
    struct block **link, **best = NULL, *b;

    for (link = &a->spare; *link; link = &(*link)->prev) {
        if ((*link)->cap < size || (best && (*best)->cap <= (*link)->cap))
            continue;
        best = link;
        if ((*link)->cap == size)
            break;
    }
    if (!best)
        return NULL;
    b = *best;
    *best = b->prev;
    return b;
}

/* One malloc per object; the blocks list them. */
static void *debug_alloc(struct arena *a, size_t size, size_t align)
{
    struct block *b = a->head;
    void *p;

    if (align > alignof(max_align_t))
        BUG("arena alignment beyond max_align_t");
    if (b->cap - b->used < sizeof(void *)) {
        struct block *fresh = block_new(a->block_size);
        fresh->prev = b;
        a->head = b = fresh;
    }
    p = calloc(1, size);
    if (!p)
        arena_die_oom(size);
    memcpy((unsigned char *)b->data + b->used, &p, sizeof(p));
    b->used += sizeof(p);
    return p;
}

void *arena_alloc(struct arena *a, size_t size, size_t align)
{
    struct block *b = a->head;
    void *p;

    if (size == 0)
        size = 1;
    a->total += size;
    if (ARENA_DEBUG)
        return debug_alloc(a, size, align);
    if (size > a->block_size / 4) {
        struct block *big = take_spare(a, size);
        if (big) {
            /* A spare block, its pages in memory already, opens with it
             * and serves small requests after it. */
            big->prev = b;
            big->used = size;
            a->head = big;
            p = big->data;
            memset(p, 0, size);
        } else {
            /* Its own block behind the head, so the head keeps serving
             * small requests (nginx keeps a "large" list). */
            big = block_new(size);
            big->prev = b->prev;
            b->prev = big;
            p = big->data;
        }
    } else {
        size_t off = (b->used + align - 1) & ~(align - 1);
        if (off > b->cap || size > b->cap - off) {
            struct block *fresh = a->spare;
            if (fresh)
                a->spare = fresh->prev;
            else
                fresh = block_new(a->block_size);
            fresh->prev = b;
            a->head = b = fresh;
            off = 0;
        }
        b->used = off + size;
        p = (unsigned char *)b->data + off;
        if (b->reused)
            memset(p, 0, size);
    }
    return p;
}

void *arena_alloc_array(struct arena *a, size_t n, size_t size, size_t align)
{
    if (size && n > SIZE_MAX / size)
        arena_die_oom(SIZE_MAX);
    return arena_alloc(a, n * size, align);
}

void *arena_grow(struct arena *a, void *v, size_t n, size_t *cap, size_t size,
                 size_t align, size_t first)
{
    size_t grown;
    void *w;

    if (n < *cap)
        return v;
    grown = *cap ? *cap * 2 : first;
    w = arena_alloc_array(a, grown, size, align);
    if (n)
        memcpy(w, v, n * size);
    *cap = grown;
    return w;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
    char *p;

    if (len == SIZE_MAX)
        arena_die_oom(len);
    p = arena_alloc(a, len + 1, 1);
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_join(struct arena *a, const char *const *parts, size_t n)
{
    size_t len[8], total = 0, i, at = 0;
    char *p;

    if (n > sizeof(len) / sizeof(len[0]))
        BUG("arena_join of more than 8 parts");
    for (i = 0; i < n; i++) {
        len[i] = strlen(parts[i]);
        total += len[i];
    }
    p = arena_alloc(a, total + 1, 1);
    for (i = 0; i < n; i++) {
        memcpy(p + at, parts[i], len[i]);
        at += len[i];
    }
    p[at] = '\0';
    return p;
}

/* Formats once into a buffer on the stack and copies, formatting a second
 * time only for text longer than it: printf is slow enough that a sizing
 * pass for every string was a visible share of planning (ids, names). */
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
    char buf[256];
    va_list again;
    int n;
    char *p;

    va_copy(again, ap);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    if (n < 0)
        BUG("vsnprintf failed");
    if ((size_t)n < sizeof(buf)) {
        va_end(again);
        return arena_strndup(a, buf, (size_t)n);
    }
    p = arena_alloc(a, (size_t)n + 1, 1);
    vsnprintf(p, (size_t)n + 1, fmt, again);
    va_end(again);
    return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    char *p;

    va_start(ap, fmt);
    p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

/* Without the kernel's randomness (getrandom fails only on kernels before
 * 3.17), the address-space layout is the best seed at hand. */
static void draw_hash_key(struct arena *a)
{
    if (getrandom(a->hash_key, sizeof(a->hash_key), 0) == (ssize_t)sizeof(a->hash_key))
        return;
    a->hash_key[0] = (uint64_t)(uintptr_t)a ^ (uint64_t)time(NULL);
    a->hash_key[1] = (uint64_t)(uintptr_t)&draw_hash_key;
}

/* One draw from the kernel per arena, not per table: a compilation makes
 * tens of thousands of small tables (a few per server), and a system call
 * each was a visible share of its time.  Tables still get distinct keys:
 * the second word counts them, and SipHash under keys that differ in any
 * bit is as unpredictable as under independent ones. */
void arena_hash_key(struct arena *a, uint64_t key[2])
{
    if (a->hash_keys++ == 0)
        draw_hash_key(a);
    key[0] = a->hash_key[0];
    key[1] = a->hash_key[1] + a->hash_keys;
}

size_t arena_used(const struct arena *a)
{
    return a->total;
}
