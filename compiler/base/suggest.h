/*
 * "Did you mean ...?": the one candidate closest to a misspelled word.
 *
 * Closeness is the optimal string alignment distance (Damerau-Levenshtein
 * where no substring is edited twice: insertions, deletions, substitutions
 * and swaps of two neighbours cost 1), with ASCII case ignored, so
 * "HttpRoute" is next to "HTTPRoute".  A candidate is suggested only when it
 * is within max(1, len / 3) edits of the word and no other candidate is as
 * close: a guess between two equally likely names helps no one.
 *
 * The cost of one comparison is bounded (words and candidates longer than
 * SUGGEST_MAX_LEN are never compared), so a search is linear in the number
 * of candidates.  Searches over candidate sets the input can make large
 * (object names) also draw on a budget that the caller owns: a cell for
 * each candidate looked at and one for each cell of a comparison.  When it
 * runs out, no more suggestions are made, so all searches of a run cost at
 * most the budget, however many there are.
 */
#ifndef GWC_SUGGEST_H
#define GWC_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>

#define SUGGEST_MAX_LEN 256

struct suggest {
    const char *word;
    size_t len;
    size_t max;        /* the farthest a suggestion may be */
    size_t *budget;    /* cells left for comparisons, or NULL: unbounded */
    const char *best;  /* closest so far */
    size_t best_dist;
    bool tie;          /* another candidate is as close as best */
};

/* Starts a search for word; budget may be NULL (small, fixed sets). */
void suggest_begin(struct suggest *s, const char *word, size_t *budget);
/* Considers one candidate; the word itself is never suggested. */
void suggest_add(struct suggest *s, const char *candidate);
/* Has the budget run out (so that adding more candidates is useless)? */
bool suggest_spent(const struct suggest *s);
/* The unique closest candidate within reach, or NULL. */
const char *suggest_result(const struct suggest *s);
/* Considers every string of a NULL-terminated list; returns the result. */
const char *suggest_among(const char *word, const char *const *candidates);

/* The end of a message that offers the suggestion, or nothing when best is
 * NULL: printf("unknown field '%s'" SUGGEST_FMT, key, SUGGEST_ARGS(best))
 * prints "unknown field 'pathh'; did you mean 'path'?". */
#define SUGGEST_FMT "%s%s%s"
#define SUGGEST_ARGS(best) \
    (best) ? "; did you mean '" : "", (best) ? (best) : "", (best) ? "'?" : ""

/* Is candidate within reach of word (as suggest_result would accept it)? */
bool suggest_near(const char *word, const char *candidate);
/* The distance between a and b when it is at most max, else max + 1. */
size_t suggest_distance(const char *a, size_t la, const char *b, size_t lb,
                        size_t max);

#endif
