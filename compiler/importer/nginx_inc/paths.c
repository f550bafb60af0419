/*
 * NIC's Ingress locations (version1/nginx.ingress.tmpl) as Gateway API
 * matches:
 *   Exact /p                  location = /p        Exact /p
 *   Prefix, Impl.Spec. /p     location /p: a       PathPrefix /p plus the
 *                             string prefix        regex /p[^/].* for /pX
 *   ... /p/                   location /p/; nginx  PathPrefix /p/, plus an
 *                             answers /p with 301  Exact /p redirecting 301
 *   path-regex case_sensitive   ~ "^p"             RegularExpression p.*
 *   path-regex case_insensitive ~* "^p"            RegularExpression (?i)p.*
 *   path-regex exact            = "p"              Exact p
 */
#include "nic.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <stdlib.h>
#include <string.h>

static void form(struct nic_loc *l, const char *type, const char *value)
{
    l->matches[l->n_matches].path.type = type;
    l->matches[l->n_matches++].path.value = value;
}

static bool top_level_alternation(const char *re)
{
    int depth = 0;

    for (; *re; re++) {
        if (*re == '\\' && re[1])
            re++;
        else if (*re == '(')
            depth++;
        else if (*re == ')')
            depth--;
        else if (*re == '|' && depth == 0)
            return true;
    }
    return false;
}

void nic_regex_path(struct imp *im, struct nic_loc *l, const char *path,
                    bool nocase)
{
    bool anchored = path[0] == '^';
    char err[128];

    if (imp_re_unmatchable(path, true, err, sizeof(err))) {
        imp_report_src(im, &l->src, ynode_get(l->at, "path") ? ynode_get(l->at, "path") : l->at,
                       DIAG_IMPORT_REGEX_UNMATCHABLE,
                       "path '%s' is not converted: the regular expression %s",
                       imp_report_value(im, path), err);
        return;
    }
    if (!imp_re_ok(path, err, sizeof(err))) {
        imp_report_src(im, &l->src, l->at, DIAG_IMPORT_NOT_CONVERTED,
                       "path '%s' is not converted: %s", imp_report_value(im, path),
                       err);
        return;
    }
    if (top_level_alternation(path)) {
        /* nginx anchors only the alternatives written with '^': searched
         * as written, inside a whole-path match ('^' still means the
         * start of the path there). */
        form(l, "RegularExpression",
             arena_printf(im->a, "%s.*(?:%s).*", nocase ? "(?i)" : "", path));
        return;
    }
    /* Gateway API regular expressions match the whole path; nginx's
     * search anywhere unless anchored. */
    form(l, "RegularExpression",
         arena_printf(im->a, "%s%s%s.*", nocase ? "(?i)" : "",
                      anchored ? "" : ".*", anchored ? path + 1 : path));
}

void nic_path_matches(struct imp *im, struct nic_loc *l, const char *path,
                      bool exact, const char *path_regex)
{
    if (path_regex && !str_eq(path_regex, "exact")) {
        nic_regex_path(im, l, arena_printf(im->a, "^%s", path),
                       str_eq(path_regex, "case_insensitive"));
        return;
    }
    if (!imp_value_gateway_path(path)) {
        /* Left out, its requests would reach a shorter path of the host,
         * without this one's Policies: the same literal as a regular
         * expression instead. */
        if (path[0] != '/' || strlen(path) > 1000 || imp_value_unsafe_text(path)) {
            imp_report_src(im, &l->src, l->at, DIAG_IMPORT_NOT_CONVERTED,
                           "path '%s' is not a valid Gateway API path; not "
                           "converted",
                           imp_report_value(im, path));
            return;
        }
        imp_report_src(im, &l->src, l->at, DIAG_IMPORT_APPROXIMATED,
                       "path '%s' is not a valid Gateway API path: written as "
                       "the regular expression of the same %s, whose rank "
                       "among the host's other matches Gateway API leaves to "
                       "the implementation",
                       imp_report_value(im, path),
                       exact || str_eq(path_regex, "exact") ? "path" : "string prefix");
        form(l, "RegularExpression",
             exact || str_eq(path_regex, "exact")
                 ? imp_re_quote(im->a, path)
                 : arena_printf(im->a, "%s.*", imp_re_quote(im->a, path)));
        return;
    }
    if (exact || str_eq(path_regex, "exact")) {
        form(l, "Exact", path);
        return;
    }
    l->n_matches = imp_match_string_prefix(im, l->matches, path);
}

/* ---- string prefixes with longer siblings ---- */

void nic_prefix_siblings(struct imp *im, struct nic_server *s)
{
    struct o_match **ms = ARENA_NEW_ARRAY(im->a, struct o_match *, s->locs.n + 1);
    size_t **ns = ARENA_NEW_ARRAY(im->a, size_t *, s->locs.n + 1);
    size_t *twins = ARENA_NEW_ARRAY(im->a, size_t, s->locs.n + 1);
    bool *narrowed = ARENA_NEW_ARRAY(im->a, bool, s->locs.n + 1);
    size_t i;

    for (i = 0; i < s->locs.n; i++) {
        struct nic_loc *l = s->locs.v[i];
        ms[i] = l->matches;
        ns[i] = &l->n_matches;
        if (l->twin_at) { /* asked as the string prefix NIC matches */
            twins[i] = 2;
            ns[i] = &twins[i];
        }
    }
    imp_prefix_siblings(im, ms, ns, s->locs.n, narrowed);
    for (i = 0; i < s->locs.n; i++) {
        struct nic_loc *l = s->locs.v[i];
        if (l->twin_at)
            l->twin_taken = narrowed[i];
        else if (narrowed[i])
            imp_report_src(im, &l->src, l->at, DIAG_IMPORT_APPROXIMATED,
                           "NIC matches '%s' as a string prefix ('%sX' too); "
                           "converted to PathPrefix, which matches whole segments, "
                           "because a longer path of the host starts with it",
                           imp_report_value(im, l->matches[0].path.value),
                           imp_report_value(im, l->matches[0].path.value));
    }
}
