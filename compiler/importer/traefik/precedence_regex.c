/*
 * Traefik's priority against Gateway API precedence for routers whose path
 * is a regular expression (PathRegexp, an Ingress's regex path).  Traefik
 * ranks them like any router, by priority (the rule's length unless set);
 * gwc ranks a RegularExpression match below an Exact one and above every
 * PathPrefix, the longer pattern first (docs/spec-notes.md, Route
 * precedence).  So the two disagree when, for requests both match:
 *
 *   - a PathPrefix router outranks a regex router in Traefik: the Gateway
 *     gives the requests to the regex;
 *   - a regex router outranks an Exact router whose path it matches: the
 *     Gateway gives that path to the Exact one;
 *   - a regex router outranks a regex router with a longer pattern.
 *
 * Whether a regex and a prefix meet is judged by the regex's literal start
 * (the characters before its first operator): they may meet when one of
 * the two is a prefix of the other; an Exact path is matched for real.
 * Each disagreement is reported at the router Traefik prefers (GW0802);
 * when that router has access control the other does not have, the other
 * answers 500 instead of serving those requests without it (GW0831), as
 * precedence.c does for literal paths.
 *
 * Without comparing every pair: entries are sorted by their literal start,
 * so the entries one regex may meet are the few whose path is a prefix of
 * its literal start (one binary search each) and one contiguous range;
 * at most MAX_VISITS entries are compared one by one per regex, so the
 * check is O(R (L log E + MAX_VISITS)) for R regexes of literal start up
 * to L.
 *
 * Past that cap the check fails closed instead of stopping: the entries
 * not compared are taken to meet the regex (reported once at its matcher,
 * GW0862), and only access control is still decided, through two range
 * trees per bucket (mintree.h: lowest priority among the Exact and regex
 * entries of routers not yet denied; highest among guarded ones) that
 * list just the entries whose priority puts them on the wrong side,
 * passing over those of routers with the regex router's own
 * AccessPolicies for free (each tree node keeps its least key and the
 * least of another class).  Each
 * listed entry is either denied (then taken out of the tree) or spends
 * one unit of a budget of MAX_VISITS per regex (more access control than
 * the regex router's, or an Exact path the regex does not match); once
 * the budget is spent, what is left is denied without looking closer.
 * So the cap costs O(MAX_VISITS log E) per regex plus O(log E) per
 * denial: still linear in E up to logs.
 */
#include "tr.h"
#include "mintree.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/str.h"
#include "base/strbuf.h"

#include <stdint.h>
#include <string.h>

#define MAX_VISITS 256  /* entries looked at per regex */
#define MAX_REPORTED 8  /* disagreements reported per router */

struct rx_entry {
    const char *path; /* literal: the path; regex: its literal start */
    const char *pattern; /* regex: the pattern (NULL: a literal path) */
    bool exact;
    int64_t priority;
    size_t router;
    const struct tr_alt *alt;
    struct re *re; /* compiled when first needed */
};

/* A bucket: its entries, sorted, and (built when a regex first reaches
 * the cap in it) its two trees. */
struct rx_bucket {
    struct ptrvec e; /* struct rx_entry * */
    struct tr_mintree open;  /* Exact and regex entries: priority; INT64_MAX
                           * for the others and once denied */
    struct tr_mintree guard; /* guarded PathPrefix and regex entries:
                           * -priority; INT64_MAX for the others */
    bool trees;
};

struct rx_state {
    struct index buckets; /* struct rx_bucket *, by "ep/host", "ep/" and
                           * "ep" */
    struct ptrvec all;
    size_t *said;         /* per router: disagreements reported */
    struct index pairs;   /* "a|b": reported */
    struct ptrvec compiled; /* struct re * to free */
    bool *guarded;        /* per router: access control (or denied) before
                           * this pass, so that one denial here does not
                           * spread to the routers the denied one outranks */
    struct index capped;  /* "router/pattern": the cap reported */
    /* per router: its access-control class, equal for routers with the
     * same AccessPolicies (then each passes the other's checks); 0 none,
     * negative for a router denied before this pass (a class alone) */
    int64_t *klass;
};

/* The characters every match of a Gateway API regex starts with: those
 * that match only themselves up to its first operator (a quantified last
 * one left out), past a leading "(?:" and "^" (tr_regex_whole's form of
 * an anchored Traefik regex); none with an alternation or a flag. */
static const char *literal_start(struct imp *im, const char *re)
{
    static const char ops[] = "\\.^$|?*+()[]{}";
    size_t n = 0;

    if (strchr(re, '|') || str_starts_with(re, "(?i"))
        return "";
    if (str_starts_with(re, "(?:"))
        re += 3;
    if (re[0] == '^')
        re++;
    while (re[n] && !str_has_char(ops, re[n]))
        n++;
    if (n && str_has_char("?*{", re[n]))
        n--;
    return arena_strndup(im->a, re, n);
}

static void push(struct imp *im, struct rx_state *st, const char *key,
                 struct rx_entry *e)
{
    struct rx_bucket *b = imp_index_get(&st->buckets, key);

    if (!b) {
        b = ARENA_NEW(im->a, struct rx_bucket);
        imp_index_put(im->a, &st->buckets, key, b);
        ptrvec_push(im->a, &st->all, b);
    }
    ptrvec_push(im->a, &b->e, e);
}

static int cmp_entries(const void *pa, const void *pb)
{
    const struct rx_entry *a = *(const struct rx_entry *const *)pa;
    const struct rx_entry *b = *(const struct rx_entry *const *)pb;
    int c = strcmp(a->path, b->path);

    if (c)
        return c;
    if (!a->pattern != !b->pattern)
        return a->pattern ? 1 : -1;
    if (a->pattern && (c = strcmp(a->pattern, b->pattern)) != 0)
        return c;
    if (a->exact != b->exact)
        return a->exact ? 1 : -1;
    return a->router < b->router ? -1 : a->router > b->router;
}

static void collect(struct imp *im, struct rx_state *st, bool *any_regex)
{
    struct tr_alt_walk w = {0};
    size_t k;

    while (tr_alt_next(im, &w)) {
        const struct o_match *m = &w.a->m[0];
        struct rx_entry *e = ARENA_NEW(im->a, struct rx_entry);

        e->priority = w.r->priority;
        e->router = w.router;
        e->alt = w.a;
        if (!m->path.type) {
            e->path = "/";
        } else if (str_eq(m->path.type, "RegularExpression")) {
            e->pattern = m->path.value;
            e->path = literal_start(im, m->path.value);
            *any_regex = true;
        } else {
            e->path = m->path.value;
            e->exact = str_eq(m->path.type, "Exact");
        }
        for (k = 0; k < w.n_keys; k++)
            push(im, st, w.keys[k], e);
    }
    for (k = 0; k < st->all.n; k++) {
        struct rx_bucket *b = st->all.v[k];
        ptrvec_sort(&b->e, cmp_entries);
    }
}

static const struct rx_entry *at(const struct ptrvec *b, size_t i)
{
    return b->v[i];
}

/* The first entry of b at or after lo whose path is not before path's
 * first n characters; with past: not before nor starting with them. */
static size_t bound(const struct ptrvec *b, size_t lo, const char *path, size_t n,
                    bool past)
{
    size_t hi = b->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *p = at(b, mid)->path;
        int c = strncmp(p, path, n);
        if (c < 0 || (c == 0 && (past || strlen(p) < n)))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void trees(struct imp *im, struct rx_state *st, struct rx_bucket *b)
{
    size_t i;

    if (b->trees)
        return;
    b->trees = true;
    tr_mintree_init(im->a, &b->open, b->e.n);
    tr_mintree_init(im->a, &b->guard, b->e.n);
    for (i = 0; i < b->e.n; i++) {
        const struct rx_entry *e = at(&b->e, i);
        const int64_t c = st->klass[e->router];
        const struct tr_mintree_node leaf = {e->priority, INT64_MAX, c};
        const struct tr_mintree_node neg = {-e->priority, INT64_MAX, c};
        if (e->exact || e->pattern)
            b->open.v[b->open.size + i] = leaf;
        if (!e->exact && st->guarded[e->router])
            b->guard.v[b->guard.size + i] = neg;
    }
    tr_mintree_build(&b->open);
    tr_mintree_build(&b->guard);
}

static bool regex_matches(struct rx_state *st, struct imp *im, struct rx_entry *rx,
                          const char *path)
{
    if (!rx->re) {
        rx->re = imp_re_compile(rx->pattern);
        if (!rx->re)
            return true; /* gwc refuses it: assume they meet */
        ptrvec_push(im->a, &st->compiled, rx->re);
    }
    return imp_re_matches(rx->re, path);
}

static const char *why_of(const struct rx_entry *w, const struct rx_entry *g)
{
    return g->pattern && w->pattern ? "gwc tries the longer regular expression first"
           : g->pattern             ? "a regular expression ranks above any prefix"
                                    : "an Exact path ranks above a regular expression";
}

/* Router w (Traefik's choice) and router g (the Gateway's) disagree on
 * requests of what (a path or a pattern). */
static void disagree(struct imp *im, struct rx_state *st, const struct rx_entry *w,
                     const struct rx_entry *g, const char *what)
{
    const struct ptrvec *rs = &TR(im)->routers;
    struct tr_router *tw = rs->v[w->router], *tg = rs->v[g->router];
    const char *key = arena_printf(im->a, "%zu|%zu", w->router, g->router);

    if (tw == tg || imp_index_get(&st->pairs, key))
        return;
    imp_index_put(im->a, &st->pairs, key, (void *)key);
    if (st->guarded[w->router] && !tg->denied && !tg->l4 &&
        !tr_precedence_as_guarded(tw, tg)) {
        tg->denied = true;
        tr_report_path(im, tg, g->alt, DIAG_IMPORT_FAIL_CLOSED,
                       "access control not converted exactly: Traefik gives %s "
                       "to %s/%s first (priority %lld over %lld), with access "
                       "control this router lacks; the Gateway would give them "
                       "to this one (%s), which answers 500 instead",
                       what, tw->namespace, tw->name, (long long)tw->priority,
                       (long long)tg->priority, why_of(w, g));
    }
    if (st->said[w->router] > MAX_REPORTED)
        return;
    if (st->said[w->router]++ == MAX_REPORTED) {
        tr_report_path(im, tw, w->alt, DIAG_IMPORT_APPROXIMATED,
                       "more routers than the %d above rank differently in "
                       "Traefik and in Gateway API",
                       MAX_REPORTED);
        return;
    }
    tr_report_path(im, tw, w->alt, DIAG_IMPORT_APPROXIMATED,
                   "Traefik gives %s to this router (priority %lld) before router "
                   "%s/%s (priority %lld); Gateway API precedence picks the other "
                   "one (%s)",
                   what, (long long)tw->priority, tg->namespace, tg->name,
                   (long long)tg->priority, why_of(w, g));
}

static const char *both(struct imp *im, const struct rx_entry *a,
                        const struct rx_entry *b)
{
    return arena_printf(im->a, "requests matching both '%s' and '%s'",
                        imp_report_value(im, a->pattern),
                        imp_report_value(im, b->pattern));
}

static const char *under(struct imp *im, const struct rx_entry *prefix,
                         const struct rx_entry *rx)
{
    return arena_printf(im->a, "requests under '%s' matching '%s'",
                        imp_report_value(im, prefix->path),
                        imp_report_value(im, rx->pattern));
}

/* A regex rx and an entry e that may meet. */
static void pair(struct imp *im, struct rx_state *st, struct rx_entry *rx,
                 struct rx_entry *e)
{
    if (e->pattern) { /* regex against regex: each pair once, from both */
        if (rx->priority > e->priority && strlen(e->pattern) > strlen(rx->pattern))
            disagree(im, st, rx, e, both(im, rx, e));
        return;
    }
    if (e->exact) {
        if (rx->priority > e->priority && regex_matches(st, im, rx, e->path))
            disagree(im, st, rx, e,
                     arena_printf(im->a, "'%s'", imp_report_value(im, e->path)));
        return;
    }
    if (e->priority > rx->priority)
        disagree(im, st, e, rx, under(im, e, rx));
}

/* ---- past the cap: access control only, conservatively ---- */

static void cap_report(struct imp *im, struct rx_state *st, const struct rx_entry *rx)
{
    const struct tr_router *r = TR(im)->routers.v[rx->router];
    const char *key = arena_printf(im->a, "%zu/%s", rx->router, rx->pattern);

    if (imp_index_get(&st->capped, key))
        return;
    imp_index_put(im->a, &st->capped, key, (void *)key);
    tr_report_path(im, r, rx->alt, DIAG_IMPORT_PRECEDENCE_UNCHECKED,
                   "more than %d routes may meet '%s': past the first %d, their "
                   "precedence against it is not reported, and where access "
                   "control is involved they are taken to meet it (an Exact "
                   "path is still tested while a budget lasts), so that the "
                   "route Traefik would not choose answers 500",
                   MAX_VISITS, imp_report_value(im, rx->pattern), MAX_VISITS);
}

static void cap_deny(struct imp *im, const struct rx_entry *w,
                     const struct rx_entry *g)
{
    const struct ptrvec *rs = &TR(im)->routers;
    struct tr_router *tw = rs->v[w->router], *tg = rs->v[g->router];

    if (tg->denied || tg->l4 || tw == tg)
        return;
    tg->denied = true;
    tr_report_path(im, tg, g->alt, DIAG_IMPORT_FAIL_CLOSED,
                   "access control not converted exactly: past the %d routes "
                   "compared one by one, this route is taken to meet %s/%s (with "
                   "access control, priority %lld; this one %lld) on requests "
                   "the Gateway would give to the other one; it answers 500 "
                   "instead",
                   MAX_VISITS, tw->namespace, tw->name, (long long)tw->priority,
                   (long long)tg->priority);
}

/* Guarded entries of b->e[lo, hi) that Traefik ranks above the regex rx
 * and the Gateway below it: rx answers 500 unless it has their access
 * control. */
static void cap_above(struct imp *im, struct rx_state *st, struct rx_bucket *b,
                      struct rx_entry *rx, size_t lo, size_t hi, size_t *budget)
{
    const struct ptrvec *rs = &TR(im)->routers;
    const struct tr_router *r = rs->v[rx->router];
    const int64_t c = st->klass[rx->router]; /* passed over: the same access control */
    size_t i;

    for (i = tr_mintree_first_below(&b->guard, lo, hi, -rx->priority, c);
         i < hi && !r->denied;
         i = tr_mintree_first_below(&b->guard, i + 1, hi, -rx->priority, c)) {
        struct rx_entry *e = b->e.v[i];
        const struct tr_router *w = rs->v[e->router];
        if (e == rx || w == r)
            continue;
        if (*budget == 0) {
            cap_deny(im, e, rx);
            return;
        }
        if ((e->pattern && strlen(rx->pattern) <= strlen(e->pattern)) ||
            tr_precedence_as_guarded(w, r))
            --*budget;
        else
            disagree(im, st, e, rx, e->pattern ? both(im, e, rx) : under(im, e, rx));
    }
}

/* Exact and regex entries of b->e[lo, hi) that Traefik ranks below the
 * guarded regex rx and the Gateway above it: they answer 500 unless they
 * have its access control. */
static void cap_below(struct imp *im, struct rx_state *st, struct rx_bucket *b,
                      struct rx_entry *rx, size_t lo, size_t hi, size_t *budget)
{
    const struct ptrvec *rs = &TR(im)->routers;
    const struct tr_router *r = rs->v[rx->router];
    const int64_t c = st->klass[rx->router]; /* passed over: the same access control */
    size_t i;

    for (i = tr_mintree_first_below(&b->open, lo, hi, rx->priority, c); i < hi;
         i = tr_mintree_first_below(&b->open, i + 1, hi, rx->priority, c)) {
        struct rx_entry *e = b->e.v[i];
        struct tr_router *g = rs->v[e->router];
        bool met;
        if (g->denied || g->l4) {
            tr_mintree_kill(&b->open, i);
            continue;
        }
        if (e == rx || g == r)
            continue;
        if (*budget == 0) {
            cap_deny(im, rx, e);
            tr_mintree_kill(&b->open, i);
            continue;
        }
        met = e->pattern ? strlen(e->pattern) > strlen(rx->pattern)
                         : regex_matches(st, im, rx, e->path);
        if (!met || tr_precedence_as_guarded(r, g)) {
            --*budget;
            continue;
        }
        disagree(im, st, rx, e,
                 e->pattern ? both(im, rx, e)
                            : arena_printf(im->a, "'%s'", imp_report_value(im, e->path)));
        tr_mintree_kill(&b->open, i);
    }
}

/* b->e[lo, hi), not compared with rx one by one. */
static void past_cap(struct imp *im, struct rx_state *st, struct rx_bucket *b,
                     struct rx_entry *rx, size_t lo, size_t hi, size_t *budget)
{
    if (lo >= hi)
        return;
    cap_report(im, st, rx);
    trees(im, st, b);
    cap_above(im, st, b, rx, lo, hi, budget);
    if (st->guarded[rx->router])
        cap_below(im, st, b, rx, lo, hi, budget);
}

/* Every entry of b that may meet the regex rx: the first MAX_VISITS one
 * by one, the others past_cap. */
static void visit(struct imp *im, struct rx_state *st, struct rx_bucket *b,
                  struct rx_entry *rx)
{
    size_t len = strlen(rx->path), visits = 0, budget = MAX_VISITS, i, n, end;
    const struct ptrvec *v;

    if (!b)
        return;
    v = &b->e;
    /* entries whose path is a prefix of the literal start ("/" included) */
    for (n = 1; n < len; n++) {
        i = bound(v, 0, rx->path, n, false);
        end = i;
        while (end < v->n && strlen(at(v, end)->path) == n &&
               strncmp(at(v, end)->path, rx->path, n) == 0 && visits < MAX_VISITS) {
            pair(im, st, rx, v->v[end++]);
            visits++;
        }
        if (visits == MAX_VISITS) /* the rest of this block */
            past_cap(im, st, b, rx, end,
                     bound(v, end, arena_strndup(im->a, rx->path, n), n + 1, false),
                     &budget);
    }
    /* entries whose path starts with it (all, for an empty start) */
    for (i = bound(v, 0, rx->path, len, false);
         i < v->n && visits < MAX_VISITS && strncmp(at(v, i)->path, rx->path, len) == 0;
         i++) {
        if (v->v[i] != rx) {
            pair(im, st, rx, v->v[i]);
            visits++;
        }
    }
    if (visits == MAX_VISITS)
        past_cap(im, st, b, rx, i, bound(v, i, rx->path, len, true), &budget);
}

static int cmp_ptrs(const void *pa, const void *pb)
{
    uintptr_t a = (uintptr_t)*(const void *const *)pa;
    uintptr_t b = (uintptr_t)*(const void *const *)pb;

    return a < b ? -1 : a > b;
}

/* st->klass: routers with the same set of AccessPolicies share a class
 * (only compared for equality: the output does not depend on it). */
static void classes(struct imp *im, struct rx_state *st)
{
    const struct ptrvec *rs = &TR(im)->routers;
    struct index ids = {0};
    int64_t next = 1;
    size_t k, i;

    st->klass = ARENA_NEW_ARRAY(im->a, int64_t, rs->n);
    for (k = 0; k < rs->n; k++) {
        const struct tr_router *r = rs->v[k];
        struct ptrvec aps = {0};
        struct strbuf key = STRBUF_INIT;
        int64_t *id;
        if (r->denied) {
            st->klass[k] = -(int64_t)k - 1;
            continue;
        }
        for (i = 0; i < r->policies.n; i++) {
            const struct tr_policy *t = r->policies.v[i];
            if (str_eq(t->p.kind, "AccessPolicy"))
                ptrvec_push(im->a, &aps, r->policies.v[i]);
        }
        if (!aps.n)
            continue; /* class 0 */
        ptrvec_sort(&aps, cmp_ptrs);
        for (i = 0; i < aps.n; i++)
            strbuf_addf(&key, "%p,", aps.v[i]);
        id = imp_index_get(&ids, key.buf);
        if (!id) {
            id = ARENA_NEW(im->a, int64_t);
            *id = next++;
            imp_index_put(im->a, &ids, arena_strdup(im->a, key.buf), id);
        }
        st->klass[k] = *id;
        strbuf_release(&key);
    }
}

void tr_precedence_regex(struct imp *im)
{
    const struct ptrvec *rs = &TR(im)->routers;
    struct rx_state st;
    bool any = false;
    size_t k, i, ep;

    memset(&st, 0, sizeof(st));
    collect(im, &st, &any);
    if (!any)
        return;
    st.said = ARENA_NEW_ARRAY(im->a, size_t, rs->n);
    st.guarded = ARENA_NEW_ARRAY(im->a, bool, rs->n);
    for (k = 0; k < rs->n; k++) {
        const struct tr_router *r = rs->v[k];
        st.guarded[k] = r->denied || tr_policies_guard(r);
    }
    classes(im, &st);
    for (ep = 0; ep < TR_HTTP_ENTRY_POINTS; ep++) {
        const char *e = tr_http_entry_points[ep];
        struct rx_bucket *all = imp_index_get(&st.buckets, e);
        for (i = 0; all && i < all->e.n; i++) {
            struct rx_entry *rx = all->e.v[i];
            if (!rx->pattern)
                continue;
            /* its host's entries and the host-less ones; a host-less regex
             * meets every host */
            if (!rx->alt->n_hosts) {
                visit(im, &st, all, rx);
                continue;
            }
            visit(im, &st,
                  imp_index_get(&st.buckets,
                                arena_printf(im->a, "%s/%s", e, rx->alt->hosts[0])),
                  rx);
            visit(im, &st, imp_index_get(&st.buckets, arena_printf(im->a, "%s/", e)),
                  rx);
        }
    }
    for (k = 0; k < st.compiled.n; k++)
        imp_re_free(st.compiled.v[k]);
}
