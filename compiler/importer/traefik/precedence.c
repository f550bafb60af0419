/*
 * Traefik's priority against Gateway API precedence.  Traefik tries
 * routers by priority, by default the length of the rule; Gateway API by
 * the match (Exact, then the longest prefix, then method, headers,
 * query).  Router a is reported for router b when both serve an entry
 * point, their hosts meet, a's path takes b's literal path p, Traefik
 * ranks a first (higher priority) and the Gateway b (more specific).
 *
 * Without comparing every pair: the literal paths of every entry point
 * and host are sorted by (path, type, method/header/query), so that the
 * matches the Gateway ranks above a's match and whose paths a's takes are
 * one contiguous range (the paths with a's prefix, less those equal to
 * it that are not more specific).  A sparse table answers "the lowest
 * priority in a range" in O(1), and splitting the range at that minimum
 * lists the entries below a's priority in O(1) each.  A router is
 * reported for at most MAX_REPORTED others (then once more, that there
 * are more), so with E path literals the whole check is O(E log E).
 * Regular expression paths: precedence_regex.c.
 */
#include "tr.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPORTED 8

enum { TYPE_PREFIX = 1, TYPE_EXACT = 2 };

struct entry {
    const char *path;
    int type, score; /* score: method, header, query present (4, 2, 1) */
    int64_t priority;
    size_t router, alt; /* indexes, which break ties */
};

struct bucket {
    struct entry *v;
    size_t n, cap;
    uint32_t **min; /* min[j][i]: the lowest entry of v[i .. i + 2^j) */
    size_t levels;
};

static int score_of(const struct o_match *m)
{
    return (m->method ? 4 : 0) | (m->header.name ? 2 : 0) | (m->query.name ? 1 : 0);
}

/* The path of m as a literal: false for a regular expression (not
 * simulated).  No path is PathPrefix "/". */
static bool literal(const struct o_match *m, const char **path, int *type)
{
    if (!m->path.type) {
        *path = "/";
        *type = TYPE_PREFIX;
        return true;
    }
    *path = m->path.value;
    *type = str_eq(m->path.type, "Exact") ? TYPE_EXACT : TYPE_PREFIX;
    return !str_eq(m->path.type, "RegularExpression");
}

static void push(struct imp *im, struct bucket *b, const struct entry *e)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 8;
        struct entry *v = ARENA_NEW_ARRAY(im->a, struct entry, cap);
        if (b->n)
            memcpy(v, b->v, b->n * sizeof(*v));
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = *e;
}

static int cmp_entries(const void *pa, const void *pb)
{
    const struct entry *a = pa, *b = pb;
    int c = strcmp(a->path, b->path);

    if (c)
        return c;
    if (a->type != b->type)
        return a->type - b->type;
    if (a->score != b->score)
        return a->score - b->score;
    if (a->router != b->router)
        return a->router < b->router ? -1 : 1;
    return a->alt < b->alt ? -1 : a->alt > b->alt;
}

static bool below(const struct entry *v, uint32_t i, uint32_t k)
{
    return v[i].priority < v[k].priority ||
           (v[i].priority == v[k].priority && i < k);
}

/* Sorts b and builds its sparse table. */
static void prepare(struct imp *im, struct bucket *b)
{
    size_t j, i;

    qsort(b->v, b->n, sizeof(*b->v), cmp_entries);
    for (b->levels = 1; ((size_t)1 << b->levels) <= b->n; b->levels++)
        ;
    b->min = ARENA_NEW_ARRAY(im->a, uint32_t *, b->levels);
    for (j = 0; j < b->levels; j++) {
        size_t half = (size_t)1 << (j ? j - 1 : 0);
        b->min[j] = ARENA_NEW_ARRAY(im->a, uint32_t, b->n);
        for (i = 0; i + ((size_t)1 << j) <= b->n; i++) {
            uint32_t l, r;
            if (!j) {
                b->min[0][i] = (uint32_t)i;
                continue;
            }
            l = b->min[j - 1][i];
            r = b->min[j - 1][i + half];
            b->min[j][i] = below(b->v, r, l) ? r : l;
        }
    }
}

static uint32_t range_min(const struct bucket *b, size_t lo, size_t hi)
{
    size_t j = 0;
    uint32_t l, r;

    while (((size_t)2 << j) <= hi - lo)
        j++;
    l = b->min[j][lo];
    r = b->min[j][hi - ((size_t)1 << j)];
    return below(b->v, r, l) ? r : l;
}

/* What a query looks for: the literal path of a's match, its type and
 * score. */
struct probe {
    const char *path;
    size_t len;
    int type, score;
};

static bool before_path(const struct entry *e, const struct probe *q)
{
    return strcmp(e->path, q->path) < 0;
}

static bool within_path(const struct entry *e, const struct probe *q)
{
    return strcmp(e->path, q->path) <= 0;
}

static bool within_prefix(const struct entry *e, const struct probe *q)
{
    return strncmp(e->path, q->path, q->len) <= 0;
}

static bool not_above(const struct entry *e, const struct probe *q)
{
    return e->type < q->type || (e->type == q->type && e->score <= q->score);
}

/* For access control: a match as specific as q's is not above it either,
 * but the Gateway breaks that tie by age, then name, which Traefik's order
 * need not follow. */
static bool below_tie(const struct entry *e, const struct probe *q)
{
    return e->type < q->type || (e->type == q->type && e->score < q->score);
}

/* The first entry of v[lo, hi) for which past(entry) is false (v is
 * ordered so that past holds for a prefix of it). */
static size_t first_not(const struct bucket *b, size_t lo, size_t hi,
                        bool (*past)(const struct entry *, const struct probe *),
                        const struct probe *q)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (past(&b->v[mid], q))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* What router a is reported for: the first MAX_REPORTED routers, each
 * with the first of a's alternatives and then of its own that meet. */
struct found {
    size_t router[MAX_REPORTED], alt[MAX_REPORTED], a_alt[MAX_REPORTED];
    size_t n;
    bool more;
};

static void note(struct found *f, const struct entry *e, size_t a_alt)
{
    size_t i;

    for (i = 0; i < f->n; i++) {
        if (f->router[i] == e->router) {
            if (f->a_alt[i] == a_alt && e->alt < f->alt[i])
                f->alt[i] = e->alt;
            return;
        }
    }
    if (f->n == MAX_REPORTED) {
        f->more = true;
        return;
    }
    f->router[f->n] = e->router;
    f->alt[f->n] = e->alt;
    f->a_alt[f->n++] = a_alt;
}

/* The entries of b the Gateway ranks above match m (with ties: or as
 * high), whose paths m's takes: b->v[*start, *end); false when there are
 * none. */
static bool query_range(const struct bucket *b, const struct o_match *m, bool ties,
                        size_t *start, size_t *end)
{
    struct probe q;
    size_t lo, block;

    if (!b || !b->n || !literal(m, &q.path, &q.type))
        return false;
    q.len = strlen(q.path);
    q.score = score_of(m);
    lo = first_not(b, 0, b->n, before_path, &q);
    block = first_not(b, lo, b->n, within_path, &q);
    *start = first_not(b, lo, block, ties ? below_tie : not_above, &q);
    *end = q.type == TYPE_EXACT ? block : first_not(b, lo, b->n, within_prefix, &q);
    return *start < *end;
}

/* Every entry of b the Gateway ranks above match m (of alternative a_alt)
 * and Traefik below priority. */
static void query(const struct bucket *b, const struct o_match *m, size_t a_alt,
                  int64_t priority, struct found *f)
{
    size_t start, end, top = 0;
    size_t stack[2 * (MAX_REPORTED + 1) * 16 + 2][2];

    if (!query_range(b, m, false, &start, &end))
        return;
    stack[top][0] = start;
    stack[top++][1] = end;
    while (top && !f->more) {
        size_t l = stack[--top][0], h = stack[top][1];
        uint32_t k;
        if (l >= h)
            continue;
        k = range_min(b, l, h);
        if (b->v[k].priority >= priority)
            continue;
        note(f, &b->v[k], a_alt);
        if (top + 2 > ARRAY_SIZE(stack))
            break; /* only past MAX_REPORTED routers of 16 alternatives */
        stack[top][0] = l;
        stack[top++][1] = k;
        stack[top][0] = k + 1;
        stack[top++][1] = h;
    }
}

struct buckets {
    struct index ix;
    struct ptrvec all; /* struct bucket * */
};

/* Per entry point: "web/<host>" (no host: "web/"), and "web" for all. */
static struct bucket *find(struct imp *im, struct buckets *bs, const char *key,
                           bool create)
{
    struct bucket *b = imp_index_get(&bs->ix, key);

    if (!b && create) {
        b = ARENA_NEW(im->a, struct bucket);
        imp_index_put(im->a, &bs->ix, key, b);
        ptrvec_push(im->a, &bs->all, b);
    }
    return b;
}

bool tr_alt_next(struct imp *im, struct tr_alt_walk *w)
{
    const struct ptrvec *rs = &TR(im)->routers;
    size_t ep;

    if (w->r)
        w->alt++;
    for (; w->router < rs->n; w->router++, w->alt = 0) {
        w->r = rs->v[w->router];
        if (w->alt < w->r->alts.n)
            break;
    }
    if (w->router == rs->n)
        return false;
    w->a = w->r->alts.v[w->alt];
    w->n_keys = 0;
    for (ep = 0; ep < TR_HTTP_ENTRY_POINTS; ep++) {
        if (!tr_serves(w->r, ep))
            continue;
        w->keys[w->n_keys++] = arena_printf(im->a, "%s/%s", tr_http_entry_points[ep],
                                            w->a->n_hosts ? w->a->hosts[0] : "");
        w->keys[w->n_keys++] = tr_http_entry_points[ep];
    }
    return true;
}

static void collect(struct imp *im, struct buckets *bs)
{
    struct tr_alt_walk w = {0};
    size_t k;

    while (tr_alt_next(im, &w)) {
        const struct o_match *m = &w.a->m[0];
        struct entry e;

        if (!m->path.type || !literal(m, &e.path, &e.type))
            continue; /* b needs a literal path */
        e.score = score_of(m);
        e.priority = w.r->priority;
        e.router = w.router;
        e.alt = w.alt;
        for (k = 0; k < w.n_keys; k++)
            push(im, find(im, bs, w.keys[k], true), &e);
    }
    for (k = 0; k < bs->all.n; k++)
        prepare(im, bs->all.v[k]);
}

static void report(struct imp *im, const struct tr_router *a, const struct found *f)
{
    const struct ptrvec *rs = &TR(im)->routers;
    size_t i;

    for (i = 0; i < f->n; i++) {
        const struct tr_router *b = rs->v[f->router[i]];
        const struct tr_alt *bb = b->alts.v[f->alt[i]];
        tr_report_path(
            im, a, a->alts.v[f->a_alt[i]], DIAG_IMPORT_APPROXIMATED,
            "Traefik gives %s to this router (priority %lld) before router "
            "%s/%s (priority %lld); Gateway API precedence picks the other "
            "one's more specific match",
            imp_report_value(im, bb->m[0].path.value), (long long)a->priority,
            b->namespace, b->name, (long long)b->priority);
    }
    if (f->more)
        tr_report_path(im, a, f->n ? a->alts.v[f->a_alt[0]] : NULL,
                       DIAG_IMPORT_APPROXIMATED,
                       "more routers than the %d above have a more specific match "
                       "that Traefik ranks below this router",
                       MAX_REPORTED);
}

void tr_report_path(struct imp *im, const struct tr_router *r, const struct tr_alt *a,
                    enum diag_code code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (r->rule && a)
        imp_report_vin_scalar(im, r->src.label, r->src.root, r->rule, a->path_off,
                              code, fmt, ap);
    else
        imp_report_vat(im, r->src.label, r->src.root, r->at,
                       diag_info(code)->severity, code, fmt, ap);
    va_end(ap);
}

/* ---- access control: fail closed where the Gateway would skip it ---- */

bool tr_precedence_as_guarded(const struct tr_router *a, const struct tr_router *b)
{
    size_t i, k;

    if (a->denied)
        return b->denied;
    for (i = 0; i < a->policies.n; i++) {
        const struct tr_policy *t = a->policies.v[i];
        if (!str_eq(t->p.kind, "AccessPolicy"))
            continue;
        for (k = 0; k < b->policies.n && b->policies.v[k] != t; k++)
            ;
        if (k == b->policies.n)
            return false;
    }
    return true;
}

/* Every router of b's entries in v[l, h) that Traefik ranks below
 * priority, or ties with (Traefik orders routers of one priority as it
 * finds them): all of them, unlike query's report. */
static void deny_below(struct imp *im, const struct bucket *b, size_t l0, size_t h0,
                       const struct tr_router *a,
                       struct ptrvec *out /* router, its alternative */)
{
    const struct ptrvec *rs = &TR(im)->routers;
    size_t cap = 16, top = 0;
    size_t *stack = ARENA_NEW_ARRAY(im->a, size_t, 2 * cap);

    stack[top++] = l0;
    stack[top++] = h0;
    while (top) {
        size_t h = stack[--top], l = stack[--top];
        uint32_t k;
        struct tr_router *r;
        if (l >= h)
            continue;
        k = range_min(b, l, h);
        if (b->v[k].priority > a->priority)
            continue;
        r = rs->v[b->v[k].router];
        if (r != a && !r->denied && !r->l4 && !tr_precedence_as_guarded(a, r)) {
            r->denied = true;
            ptrvec_push(im->a, out, r);
            ptrvec_push(im->a, out, r->alts.v[b->v[k].alt]);
        }
        if (top + 4 > 2 * cap) {
            size_t *bigger = ARENA_NEW_ARRAY(im->a, size_t, 4 * cap);
            memcpy(bigger, stack, top * sizeof(*stack));
            stack = bigger;
            cap *= 2;
        }
        stack[top++] = l;
        stack[top++] = k;
        stack[top++] = k + 1;
        stack[top++] = h;
    }
}

/* Traefik gives a guarded router a's requests before the more specific
 * routers ranked below it; the Gateway gives them to those, which would
 * serve them without a's access control: they answer 500 instead. */
static void fail_closed(struct imp *im, struct buckets *bs, const struct tr_router *a)
{
    struct ptrvec denied = {0};
    size_t x, ep, i, start, end;

    if (!a->denied && !tr_policies_guard(a))
        return;
    for (x = 0; x < a->alts.n; x++) {
        const struct tr_alt *aa = a->alts.v[x];
        for (ep = 0; ep < TR_HTTP_ENTRY_POINTS; ep++) {
            const char *e = tr_http_entry_points[ep];
            const struct bucket *b[2];
            size_t n = 0, j;
            if (!tr_serves(a, ep))
                continue;
            if (!aa->n_hosts) {
                b[n++] = find(im, bs, e, false);
            } else {
                b[n++] = find(im, bs, arena_printf(im->a, "%s/%s", e, aa->hosts[0]),
                              false);
                b[n++] = find(im, bs, arena_printf(im->a, "%s/", e), false);
            }
            for (j = 0; j < n; j++) {
                if (query_range(b[j], &aa->m[0], true, &start, &end))
                    deny_below(im, b[j], start, end, a, &denied);
            }
        }
    }
    for (i = 0; i + 1 < denied.n; i += 2) { /* router, alternative */
        const struct tr_router *r = denied.v[i];
        const struct tr_alt *ra = denied.v[i + 1];
        if (r->priority == a->priority)
            tr_report_path(im, r, ra, DIAG_IMPORT_FAIL_CLOSED,
                           "access control not converted exactly: this router "
                           "and %s/%s, with access control this router lacks, "
                           "have one priority (%lld), and which of them Traefik "
                           "gives requests both match is not known; this one "
                           "answers 500 instead",
                           a->namespace, a->name, (long long)a->priority);
        else
            tr_report_path(im, r, ra, DIAG_IMPORT_FAIL_CLOSED,
                           "access control not converted exactly: Traefik gives "
                           "requests of this router to %s/%s first (priority "
                           "%lld over %lld), with access control this router "
                           "lacks; the Gateway would give them to this one, "
                           "which answers 500 instead",
                           a->namespace, a->name, (long long)a->priority,
                           (long long)r->priority);
    }
}

void tr_precedence(struct imp *im)
{
    const struct ptrvec *rs = &TR(im)->routers;
    struct buckets bs;
    size_t k, x, ep;

    memset(&bs, 0, sizeof(bs));
    collect(im, &bs);
    for (k = 0; k < rs->n; k++) {
        const struct tr_router *a = rs->v[k];
        struct found f;
        memset(&f, 0, sizeof(f));
        for (x = 0; x < a->alts.n && !f.more; x++) {
            const struct tr_alt *aa = a->alts.v[x];
            for (ep = 0; ep < TR_HTTP_ENTRY_POINTS; ep++) {
                const char *e = tr_http_entry_points[ep], *host, *any;
                if (!tr_serves(a, ep))
                    continue;
                if (!aa->n_hosts) {
                    query(find(im, &bs, e, false), &aa->m[0], x, a->priority, &f);
                    continue;
                }
                /* its host's paths, and those of routers without a host */
                host = arena_printf(im->a, "%s/%s", e, aa->hosts[0]);
                any = arena_printf(im->a, "%s/", e);
                query(find(im, &bs, host, false), &aa->m[0], x, a->priority, &f);
                query(find(im, &bs, any, false), &aa->m[0], x, a->priority, &f);
            }
        }
        report(im, a, &f);
    }
    for (k = 0; k < rs->n; k++)
        fail_closed(im, &bs, rs->v[k]);
}
