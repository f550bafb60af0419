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
 * at most MAX_VISITS entries are looked at per regex, so the check is
 * O(R (L log E + MAX_VISITS)) for R regexes of literal start up to L.
 */
#include "tr.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/str.h"

#include <string.h>

#define MAX_VISITS 256  /* entries looked at per regex */
#define MAX_REPORTED 8  /* disagreements reported per router */

struct rx_entry {
    const char *path; /* literal: the path; regex: its literal start */
    const char *pattern; /* regex: the pattern (NULL: a literal path) */
    bool exact;
    int64_t priority;
    size_t router;
    struct re *re; /* compiled when first needed */
};

struct rx_state {
    struct index buckets; /* struct ptrvec * of struct rx_entry *, by
                           * "ep/host", "ep/" and "ep" */
    struct ptrvec all;
    size_t *said;         /* per router: disagreements reported */
    struct index pairs;   /* "a|b": reported */
    struct ptrvec compiled; /* struct re * to free */
    bool *guarded;        /* per router: access control (or denied) before
                           * this pass, so that one denial here does not
                           * spread to the routers the denied one outranks */
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
    struct ptrvec *b = imp_index_get(&st->buckets, key);

    if (!b) {
        b = ARENA_NEW(im->a, struct ptrvec);
        imp_index_put(im->a, &st->buckets, key, b);
        ptrvec_push(im->a, &st->all, b);
    }
    ptrvec_push(im->a, b, e);
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
    const struct ptrvec *rs = &TR(im)->routers;
    size_t k, x, ep;

    for (k = 0; k < rs->n; k++) {
        const struct tr_router *r = rs->v[k];
        for (x = 0; x < r->alts.n; x++) {
            const struct tr_alt *a = r->alts.v[x];
            const struct o_match *m = &a->m[0];
            struct rx_entry *e = ARENA_NEW(im->a, struct rx_entry);
            e->priority = r->priority;
            e->router = k;
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
            for (ep = 0; ep < TR_HTTP_ENTRY_POINTS; ep++) {
                if (!tr_serves(r, ep))
                    continue;
                push(im, st,
                     arena_printf(im->a, "%s/%s", tr_http_entry_points[ep],
                                  a->n_hosts ? a->hosts[0] : ""),
                     e);
                push(im, st, tr_http_entry_points[ep], e);
            }
        }
    }
    for (k = 0; k < st->all.n; k++)
        ptrvec_sort(st->all.v[k], cmp_entries);
}

static const struct rx_entry *at(const struct ptrvec *b, size_t i)
{
    return b->v[i];
}

static size_t lower_bound(const struct ptrvec *b, const char *path, size_t n)
{
    size_t lo = 0, hi = b->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strncmp(at(b, mid)->path, path, n) < 0 ||
            (strncmp(at(b, mid)->path, path, n) == 0 && strlen(at(b, mid)->path) < n))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
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

/* Router w (Traefik's choice) and router g (the Gateway's) disagree on
 * requests of what (a path or a pattern). */
static void disagree(struct imp *im, struct rx_state *st, const struct rx_entry *w,
                     const struct rx_entry *g, const char *what)
{
    const struct ptrvec *rs = &TR(im)->routers;
    struct tr_router *tw = rs->v[w->router], *tg = rs->v[g->router];
    const char *key = arena_printf(im->a, "%zu|%zu", w->router, g->router), *why;

    if (tw == tg || imp_index_get(&st->pairs, key))
        return;
    imp_index_put(im->a, &st->pairs, key, (void *)key);
    why = g->pattern && w->pattern ? "gwc tries the longer regular expression first"
          : g->pattern               ? "a regular expression ranks above any prefix"
                                     : "an Exact path ranks above a regular expression";
    if (st->guarded[w->router] && !tg->denied && !tg->l4 &&
        !tr_precedence_as_guarded(tw, tg)) {
        tg->denied = true;
        imp_report_src(im, &tg->src, tg->at, DIAG_IMPORT_FAIL_CLOSED,
                       "access control not converted exactly: Traefik gives %s "
                       "to %s/%s first (priority %lld over %lld), with access "
                       "control this router lacks; the Gateway would give them "
                       "to this one (%s), which answers 500 instead",
                       what, tw->namespace, tw->name, (long long)tw->priority,
                       (long long)tg->priority, why);
    }
    if (st->said[w->router] > MAX_REPORTED)
        return;
    if (st->said[w->router]++ == MAX_REPORTED) {
        imp_report_src(im, &tw->src, tw->at, DIAG_IMPORT_APPROXIMATED,
                       "more routers than the %d above rank differently in "
                       "Traefik and in Gateway API",
                       MAX_REPORTED);
        return;
    }
    imp_report_src(im, &tw->src, tw->at, DIAG_IMPORT_APPROXIMATED,
                   "Traefik gives %s to this router (priority %lld) before router "
                   "%s/%s (priority %lld); Gateway API precedence picks the other "
                   "one (%s)",
                   what, (long long)tw->priority, tg->namespace, tg->name,
                   (long long)tg->priority, why);
}

/* A regex rx and an entry e that may meet. */
static void pair(struct imp *im, struct rx_state *st, struct rx_entry *rx,
                 struct rx_entry *e)
{
    const char *what;

    if (e->pattern) { /* regex against regex: each pair once, from both */
        if (rx->priority > e->priority && strlen(e->pattern) > strlen(rx->pattern))
            disagree(im, st, rx, e,
                     arena_printf(im->a, "requests matching both '%s' and '%s'",
                                  imp_report_value(im, rx->pattern),
                                  imp_report_value(im, e->pattern)));
        return;
    }
    if (e->exact) {
        if (rx->priority > e->priority && regex_matches(st, im, rx, e->path)) {
            what = arena_printf(im->a, "'%s'", imp_report_value(im, e->path));
            disagree(im, st, rx, e, what);
        }
        return;
    }
    if (e->priority > rx->priority)
        disagree(im, st, e, rx,
                 arena_printf(im->a, "requests under '%s' matching '%s'",
                              imp_report_value(im, e->path),
                              imp_report_value(im, rx->pattern)));
}

/* Every entry of b that may meet the regex rx (at most MAX_VISITS). */
static void visit(struct imp *im, struct rx_state *st, const struct ptrvec *b,
                  struct rx_entry *rx)
{
    size_t len = strlen(rx->path), visits = 0, i, n;

    if (!b)
        return;
    /* entries whose path is a prefix of the literal start ("/" included) */
    for (n = 1; n < len && visits < MAX_VISITS; n++) {
        for (i = lower_bound(b, rx->path, n);
             i < b->n && visits < MAX_VISITS && strlen(at(b, i)->path) == n &&
             strncmp(at(b, i)->path, rx->path, n) == 0;
             i++, visits++)
            pair(im, st, rx, b->v[i]);
    }
    /* entries whose path starts with it (all, for an empty start) */
    for (i = lower_bound(b, rx->path, len);
         i < b->n && visits < MAX_VISITS && strncmp(at(b, i)->path, rx->path, len) == 0;
         i++, visits++) {
        if (b->v[i] != rx)
            pair(im, st, rx, b->v[i]);
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
    for (ep = 0; ep < TR_HTTP_ENTRY_POINTS; ep++) {
        const struct ptrvec *all = imp_index_get(&st.buckets, tr_http_entry_points[ep]);
        for (i = 0; all && i < all->n; i++) {
            struct rx_entry *rx = all->v[i];
            const struct tr_router *r = rs->v[rx->router];
            size_t x;
            if (!rx->pattern)
                continue;
            /* its host's entries and the host-less ones; a host-less regex
             * meets every host */
            for (x = 0; x < r->alts.n; x++) {
                const struct tr_alt *a = r->alts.v[x];
                if (!str_eq(a->m[0].path.type, "RegularExpression") ||
                    !str_eq(a->m[0].path.value, rx->pattern))
                    continue;
                if (!a->n_hosts) {
                    visit(im, &st, all, rx);
                    continue;
                }
                visit(im, &st,
                      imp_index_get(&st.buckets,
                                    arena_printf(im->a, "%s/%s", tr_http_entry_points[ep],
                                                 a->hosts[0])),
                      rx);
                visit(im, &st,
                      imp_index_get(&st.buckets,
                                    arena_printf(im->a, "%s/", tr_http_entry_points[ep])),
                      rx);
            }
        }
    }
    for (k = 0; k < st.compiled.n; k++)
        imp_re_free(st.compiled.v[k]);
}
