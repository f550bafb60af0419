#include "suggest.h"

#include <string.h>

static unsigned char fold(char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch - 'A' + 'a') : (unsigned char)ch;
}

static size_t min2(size_t a, size_t b)
{
    return a < b ? a : b;
}

size_t suggest_distance(const char *a, size_t la, const char *b, size_t lb,
                        size_t max)
{
    size_t rows[3][SUGGEST_MAX_LEN + 1];
    size_t *two = rows[0], *one = rows[1], *cur = rows[2];
    size_t i, j;

    if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
        return max + 1;
    if ((la > lb ? la - lb : lb - la) > max)
        return max + 1;
    for (j = 0; j <= lb; j++)
        one[j] = j;
    for (i = 1; i <= la; i++) {
        size_t row_min;
        size_t *t;

        cur[0] = row_min = i;
        for (j = 1; j <= lb; j++) {
            size_t cost = fold(a[i - 1]) != fold(b[j - 1]);
            size_t d = min2(min2(one[j] + 1, cur[j - 1] + 1), one[j - 1] + cost);

            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
                fold(a[i - 2]) == fold(b[j - 1]))
                d = min2(d, two[j - 2] + 1);
            cur[j] = d;
            row_min = min2(row_min, d);
        }
        /* Every later row only grows from this one. */
        if (row_min > max)
            return max + 1;
        t = two;
        two = one;
        one = cur;
        cur = t;
    }
    return one[lb] <= max ? one[lb] : max + 1;
}

static size_t reach(size_t len)
{
    return len / 3 > 1 ? len / 3 : 1;
}

bool suggest_near(const char *word, const char *candidate)
{
    size_t len = strlen(word), max = reach(len);

    return suggest_distance(word, len, candidate, strlen(candidate), max) <= max;
}

void suggest_begin(struct suggest *s, const char *word, size_t *budget)
{
    s->word = word;
    s->len = strlen(word);
    s->max = reach(s->len);
    s->budget = budget;
    s->best = NULL;
    s->best_dist = s->max + 1;
    s->tie = false;
}

/* Takes n cells from the budget; once it cannot, the budget is spent for
 * every later search too. */
static bool spend(struct suggest *s, size_t n)
{
    if (!s->budget)
        return true;
    if (*s->budget < n) {
        *s->budget = 0;
        return false;
    }
    *s->budget -= n;
    return true;
}

void suggest_add(struct suggest *s, const char *candidate)
{
    size_t len, d;

    /* Looking at a candidate costs a cell, comparing costs the table. */
    if (!spend(s, 1))
        return;
    len = strlen(candidate);
    if (s->len > SUGGEST_MAX_LEN || len > SUGGEST_MAX_LEN ||
        (s->len > len ? s->len - len : len - s->len) > s->max ||
        strcmp(candidate, s->word) == 0 || !spend(s, (s->len + 1) * (len + 1)))
        return;
    d = suggest_distance(s->word, s->len, candidate, len, s->max);
    if (d > s->max)
        return;
    if (d < s->best_dist) {
        s->best = candidate;
        s->best_dist = d;
        s->tie = false;
    } else if (d == s->best_dist && strcmp(candidate, s->best) != 0) {
        s->tie = true;
    }
}

bool suggest_spent(const struct suggest *s)
{
    return s->budget && *s->budget == 0;
}

const char *suggest_result(const struct suggest *s)
{
    return s->tie ? NULL : s->best;
}

const char *suggest_among(const char *word, const char *const *candidates)
{
    struct suggest s;

    suggest_begin(&s, word, NULL);
    for (; *candidates; candidates++)
        suggest_add(&s, *candidates);
    return suggest_result(&s);
}
