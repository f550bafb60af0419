/*
 * Paths, continued: where the converted matches would not keep nginx's
 * choice between a host's regex locations (nginx tries the longest path
 * first; Gateway API ranks every regex above every prefix), a shorter
 * regex that also matches an idiom's prefix is reported.
 */
#include "nx.h"

#include "base/arena.h"

#include <string.h>

/* nginx tries regex locations longest path first (then by path,
 * descending); Gateway API puts every regex above every prefix.  A shorter
 * regex that also matches an idiom's prefix would now take its requests. */
static bool nginx_before(const struct location *a, const struct location *b)
{
    size_t na = strlen(a->value), nb = strlen(b->value);

    return na != nb ? na > nb : strcmp(a->value, b->value) > 0;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The literal text every subject of `~* "^<path>"` starts with (lower
 * case): the leading characters that are no regex syntax, less the last
 * one if a quantifier follows it; "" for an alternation. */
static const char *literal_prefix(struct imp *im, const char *path)
{
    size_t n = 0;
    char *out;

    if (strchr(path, '|'))
        return "";
    while (nx_paths_literal_char(path[n]))
        n++;
    if (n && str_has_char("?*+{", path[n]))
        n--;
    out = arena_strndup(im->a, path, n);
    for (n = 0; out[n]; n++)
        out[n] = lower(out[n]);
    return out;
}

struct regex_loc {
    const struct location *loc;
    size_t pos;     /* in the host's locations: the first match reports */
    struct re *re;  /* compiled on first use */
    bool bad;       /* PCRE2 refused it */
};

static bool regex_loc_matches(struct regex_loc *r, const char *a, const char *b)
{
    if (!r->re && !r->bad) {
        r->re = imp_re_compile(r->loc->plan->forms[0].value);
        r->bad = !r->re;
    }
    return r->re && (imp_re_matches(r->re, a) || imp_re_matches(r->re, b));
}

/* The first regex location (in the host's order) that nginx tries after l
 * and that matches l's idiom prefix p or a path below it.  Only regexes
 * whose literal prefix starts the probe can match: they are looked up by
 * each prefix of the probe, so the work is linear in the paths, not
 * quadratic. */
static struct regex_loc *shadowing(struct imp *im, const struct index *by_prefix,
                                   const struct location *l, const char *p)
{
    const char *below = arena_printf(im->a, "%s/x", p); /* built once */
    char *key = arena_strdup(im->a, below);
    size_t n = strlen(key), k, i;
    struct regex_loc *best = NULL;

    for (k = 0; k < n; k++)
        key[k] = lower(key[k]);
    for (k = 0; k <= n; k++) { /* every prefix of below, p's included */
        char c = key[k];
        const struct ptrvec *v;

        key[k] = '\0';
        v = imp_index_get(by_prefix, key);
        key[k] = c;
        for (i = 0; v && i < v->n; i++) {
            struct regex_loc *r = v->v[i];
            if ((best && r->pos >= best->pos) || !nginx_before(l, r->loc))
                continue;
            if (regex_loc_matches(r, p, below))
                best = r;
        }
    }
    return best;
}

void nx_paths_precedence(struct imp *im, const struct host_group *g)
{
    struct index by_prefix = {0};
    struct ptrvec all = {0};
    size_t i;

    if (!g->regex)
        return;
    for (i = 0; i < g->locations.n; i++) {
        const struct location *o = g->locations.v[i];
        const struct o_path *f = o->plan->n_forms ? &o->plan->forms[0] : NULL;
        struct regex_loc *r;
        const char *key;
        struct ptrvec *v;

        if (!f || !str_eq(f->type, "RegularExpression"))
            continue;
        r = ARENA_NEW(im->a, struct regex_loc);
        r->loc = o;
        r->pos = i;
        key = literal_prefix(im, o->value);
        if (!(v = imp_index_get(&by_prefix, key))) {
            v = ARENA_NEW(im->a, struct ptrvec);
            imp_index_put(im->a, &by_prefix, key, v);
        }
        ptrvec_push(im->a, v, r);
        ptrvec_push(im->a, &all, r);
    }
    for (i = 0; all.n && i < g->locations.n; i++) {
        struct location *l = g->locations.v[i];
        const char *p = l->plan->idiom_prefix;
        struct regex_loc *r;

        if (!p || l->plan->shadowed || !(r = shadowing(im, &by_prefix, l, p)))
            continue;
        l->plan->shadowed = true;
        nx_report_annotation(im, l->ing, "rewrite-target", DIAG_IMPORT_APPROXIMATED,
                             "the shorter regex path '%s' of Ingress %s/%s also "
                             "matches '%s': ingress-nginx tried '%s' first, but "
                             "Gateway API ranks regular expressions above "
                             "PathPrefix",
                             r->loc->shown, r->loc->ing->namespace,
                             r->loc->ing->src->obj.meta.name, p, l->shown);
    }
    for (i = 0; i < all.n; i++)
        imp_re_free(((struct regex_loc *)all.v[i])->re);
}
