/*
 * Paths: what ingress-nginx makes of pathType, use-regex and rewrite-target
 * (controller/location.go, template.go; docs/spec-notes.md, "Paths"), in Gateway
 * API matches.
 *
 * Without regex mode on the host:
 *   Exact /p        location = /p             Exact /p
 *   Prefix /p       = /p and /p/ (segments)   PathPrefix /p
 *   Prefix /p/      /p/ only; nginx answers   PathPrefix /p/, plus Exact /p
 *                   /p with a 301 to /p/      redirecting 301 to /p/
 *   Impl.Spec. /p   location /p: a byte       PathPrefix /p plus the regex
 *                   prefix, /pbar matches     /p[^/].* for the bytes beyond
 * With regex mode (any location of the host has use-regex, or a
 * rewrite-target other than its path) every location of the host is
 * `location ~* "^<path>"`: a case-insensitive prefix regex, whatever its
 * pathType, which is RegularExpression "(?i)<path>.*" (and "/" is simply
 * PathPrefix "/").  rewrite-target then replaces the whole URI, with $1..$9
 * from the path's groups; Gateway API cannot substitute captures, so the
 * common idioms become ReplacePrefixMatch and anything else is reported:
 *   /p(/|$)(.*)  -> T/$2   PathPrefix /p, ReplacePrefixMatch T (exact)
 *   /p/?(.*)     -> T/$1   the same, but nginx also took /pxyz (reported)
 *   /p/(.*)      -> T/$1   the same, but nginx did not take /p (reported)
 *   /p(/.*)      -> T$1    the same ("$1" alone is a valid target)
 *   /(.*)        -> /$1    PathPrefix /, no rewrite (exact)
 *   no group used in T      the regex match, ReplaceFullPath T (exact)
 * A literal "/$2" is never written.
 */
#include "nx.h"

#include "base/arena.h"
#include "base/array.h"

#include <string.h>

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool rewrites(const struct location *l)
{
    const char *t = l->ing->cfg.rewrite_target;

    return l->path && t && strcmp(t, l->value) != 0;
}

/* enforceRegex of ingress-nginx: one location decides for the host; the
 * Ingress of the first such location, or NULL. */
const struct ing *nx_paths_regex_cause(const struct host_group *g)
{
    size_t i;

    for (i = 0; i < g->locations.n; i++) {
        const struct location *l = g->locations.v[i];
        if (l->path && (l->ing->cfg.use_regex == TRI_TRUE || rewrites(l)))
            return l->ing;
    }
    return NULL;
}

/* Some location of the host is exactly this path (then nginx has no
 * implicit trailing-slash redirect for it). */
static bool paths_claims_exact(const struct host_group *g, const char *path)
{
    return nx_host_location(g, path, PT_EXACT) ||
           nx_host_location(g, path, PT_PREFIX) ||
           nx_host_location(g, path, PT_IMPLEMENTATION_SPECIFIC);
}

void nx_paths_feature(struct imp *im, struct ing *ing)
{
    const char *t = ing->cfg.rewrite_target;

    if (ing->cfg.x_forwarded_prefix && !t)
        nx_report_annotation(im, ing, "x-forwarded-prefix", DIAG_IMPORT_IGNORED,
                             "ignored without rewrite-target: ingress-nginx sends "
                             "X-Forwarded-Prefix only when it rewrites");
    /* A target not starting with '/' ("$1") is valid in ingress-nginx
     * (RegexPathWithCapture) and still puts the host in regex mode; the
     * idioms convert "$1" after a "(/.*)" group, regex_plan() reports the
     * rest. */
}

static void set_form(struct path_plan *out, const char *type, const char *value)
{
    out->forms[out->n_forms].type = type;
    out->forms[out->n_forms].value = value;
    out->n_forms++;
}

/* ---- regex mode ---- */

/* Where the first '|' outside groups and classes is, or NULL. */
static const char *top_level_bar(const char *re)
{
    int depth = 0;
    bool in_class = false;
    const char *p;

    for (p = re; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
        } else if (in_class) {
            in_class = *p != ']';
        } else if (*p == '[') {
            in_class = true;
            if (p[1] == '^')
                p++;
            if (p[1] == ']')
                p++; /* a leading ']' is literal */
        } else if (*p == '(') {
            depth++;
        } else if (*p == ')') {
            depth -= depth > 0;
        } else if (*p == '|' && depth == 0) {
            return p;
        }
    }
    return NULL;
}

/* The Gateway API form of `location ~* "^<path>"`.  The "^" binds to the
 * first alternative only: "^a|b" is a prefix a, or b anywhere. */
static const char *regex_form(struct imp *im, const char *path)
{
    size_t n = strlen(path);
    bool anchored = n >= 2 && path[n - 1] == '$' && path[n - 2] != '\\';
    const char *bar = top_level_bar(path);

    if (bar)
        return arena_printf(im->a, "(?i)(?:%.*s.*|.*(?:%s).*)",
                            (int)(bar - path), path, bar + 1);
    if (strchr(path, '|'))
        return arena_printf(im->a, "(?i)(?:%s).*", path);
    if (anchored) /* "^/foo$" is an exact match, spelled without the $ */
        return arena_printf(im->a, "(?i)%.*s", (int)(n - 1), path);
    return arena_printf(im->a, "(?i)%s.*", path);
}

bool nx_paths_literal_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || str_has_char("/-_~", c);
}

enum idiom { ID_NONE, ID_SEGMENT, ID_BYTE, ID_AFTER_SLASH };

/* Splits path and target into one of the idioms: prefix P, target base T. */
static enum idiom find_idiom(struct imp *im, const char *path, const char *target,
                             const char **prefix, const char **base)
{
    static const struct {
        const char *suffix, *capture;
        enum idiom kind;
    } idioms[] = {
        {"(/|$)(.*)", "/$2", ID_SEGMENT},
        {"/?(.*)", "/$1", ID_BYTE},
        {"/(.*)", "/$1", ID_AFTER_SLASH},
        {"(/.*)", "$1", ID_AFTER_SLASH},
    };
    size_t plen = 0, i, tlen;

    while (nx_paths_literal_char(path[plen]))
        plen++;
    if (plen > 1 && path[plen - 1] == '/')
        plen--; /* "/p/(.*)": the slash belongs to the suffix */
    if (plen < 2 || path[0] != '/')
        return ID_NONE;
    for (i = 0; i < ARRAY_SIZE(idioms); i++) {
        if (strcmp(path + plen, idioms[i].suffix) != 0 ||
            !ends_with(target, idioms[i].capture))
            continue;
        tlen = strlen(target) - strlen(idioms[i].capture);
        *base = arena_strndup(im->a, target, tlen);
        if (**base &&
            ((*base)[0] != '/' || !imp_value_in_alphabet(*base, "/-_~.") ||
             (*base)[tlen - 1] == '/'))
            return ID_NONE;
        *prefix = arena_strndup(im->a, path, plen);
        return idioms[i].kind;
    }
    return ID_NONE;
}

static bool idiom_plan(struct imp *im, const struct location *l,
                       struct path_plan *out)
{
    const char *target = l->ing->cfg.rewrite_target, *p, *t;
    enum idiom kind = find_idiom(im, l->value, target, &p, &t);

    if (kind == ID_NONE)
        return false;
    set_form(out, "PathPrefix", p);
    out->rewrite.type = "ReplacePrefixMatch";
    out->rewrite.value = *t ? t : "/";
    out->rewritten = true;
    out->idiom_prefix = p;
    out->idiom_tail = kind == ID_BYTE ? ".*" : kind == ID_SEGMENT ? "(?:/.*)?" : "/.*";
    /* nginx turns "/p" itself into "T/"; ReplacePrefixMatch would give "T". */
    if (*t && kind != ID_AFTER_SLASH) {
        out->exact = p;
        out->exact_rewrite.type = "ReplaceFullPath";
        out->exact_rewrite.value = arena_printf(im->a, "%s/", t);
    }
    nx_report_annotation(im, l->ing, "rewrite-target", DIAG_IMPORT_DETAIL,
                         "path '%s' with target '%s' is converted to PathPrefix "
                         "'%s' with ReplacePrefixMatch '%s' (ingress-nginx matched "
                         "it case-insensitively)",
                         l->shown, target, p, out->rewrite.value);
    if (kind == ID_BYTE)
        nx_report_annotation(im, l->ing, "rewrite-target", DIAG_IMPORT_APPROXIMATED,
                             "ingress-nginx also sent '%sxyz' here (as '%s/xyz'); "
                             "PathPrefix '%s' matches whole segments only",
                             p, t, p);
    else if (kind == ID_AFTER_SLASH)
        nx_report_annotation(im, l->ing, "rewrite-target", DIAG_IMPORT_APPROXIMATED,
                             "ingress-nginx did not send '%s' itself here; "
                             "PathPrefix '%s' does (as '%s')",
                             p, p, out->rewrite.value);
    return true;
}

/* Regex mode reaches paths whose own Ingress never asked for it (the
 * second of the "five surprising behaviours" of ingress-nginx). */
static void regex_mode_note(struct imp *im, const struct host_group *g,
                            const struct location *l)
{
    const struct ing *cause = g->regex_cause;
    const struct ynode *at = ynode_get(l->path->src, "path");

    if (cause && cause != l->ing)
        nx_report_node(im, l->ing, at, DIAG_IMPORT_DETAIL,
                       "Ingress %s/%s puts host '%s' in regex mode (use-regex or "
                       "rewrite-target): ingress-nginx matches this path too as a "
                       "case-insensitive regular expression prefix",
                       cause->namespace, cause->src->obj.meta.name, g->host);
    else if (l->type == PT_EXACT)
        nx_report_node(im, l->ing, at, DIAG_IMPORT_DETAIL,
                       "in regex mode ingress-nginx matches an Exact path as a "
                       "case-insensitive regular expression prefix too");
}

/* The target as a fixed path, when it is one: no "$", or only $1..$9 of a
 * path without groups (nginx substitutes "" for them).  NULL otherwise. */
static const char *fixed_target(struct imp *im, const char *path,
                                const char *target)
{
    char *out, *o;
    const char *t;

    if (!strchr(target, '$'))
        return target;
    if (strchr(path, '('))
        return NULL;
    out = o = arena_strdup(im->a, target);
    for (t = target; *t; t++) {
        if (*t != '$') {
            *o++ = *t;
            continue;
        }
        if (t[1] < '0' || t[1] > '9')
            return NULL; /* an nginx variable */
        t++;
    }
    *o = '\0';
    return out[0] == '/' ? out : NULL;
}

/* Ingress ing's path at at, which gwc cannot write and ingress-nginx
 * serves (nginx tries a regex location before the host's shorter ones):
 * left out, its requests go to the host's other locations, so which of
 * them would serve what its access control guards is not known.  Every
 * Ingress with a path on the host fails closed (403). */
static void host_fails_closed(struct imp *im, const struct host_group *g,
                              struct ing *ing, const struct ynode *at)
{
    size_t i, k;

    nx_fail_closed(im, ing, at,
                   "host '%s': this path is longer than gwc writes (%d "
                   "characters as a regular expression); left out, its "
                   "requests would reach the host's other paths",
                   *g->host ? g->host : "*", IMP_RE_MAX);
    for (i = 0; i < g->locations.n; i++) {
        const struct location *o = g->locations.v[i];
        for (k = 0; k < i && ((const struct location *)g->locations.v[k])->ing != o->ing;
             k++)
            ;
        if (k < i || o->ing == ing)
            continue; /* that Ingress is done */
        nx_fail_closed(im, o->ing,
                       o->path ? ynode_get(o->path->src, "path")
                               : o->ing->src->obj.meta.src,
                       "host '%s': a path of Ingress %s/%s, which has access "
                       "control, is longer than gwc writes; which of this "
                       "host's requests it takes is not known",
                       *g->host ? g->host : "*", ing->namespace,
                       ing->src->obj.meta.name);
    }
}

void nx_paths_unwritable(struct imp *im, const struct host_group *g)
{
    host_fails_closed(im, g, g->unwritable, g->unwritable_at);
}

/* A regex location longer than gwc writes. */
static void too_long(struct imp *im, const struct host_group *g,
                     const struct location *l)
{
    const struct ynode *at = ynode_get(l->path->src, "path");

    if (nx_pol_find(l->ing, "AccessPolicy")) {
        host_fails_closed(im, g, l->ing, at);
        return;
    }
    nx_report_node(im, l->ing, at, DIAG_IMPORT_NOT_CONVERTED,
                   "not converted: with use-regex the path is a regular "
                   "expression, longer than the %d characters gwc writes; the "
                   "path is left out",
                   IMP_RE_MAX);
}

static void regex_plan(struct imp *im, const struct host_group *g,
                       const struct location *l, struct path_plan *out)
{
    const char *target = l->ing->cfg.rewrite_target, *form, *fixed;
    char err[128];

    if (rewrites(l) && idiom_plan(im, l, out))
        return;
    if (rewrites(l) && strcmp(l->value, "/(.*)") == 0 &&
        strcmp(target, "/$1") == 0) {
        set_form(out, "PathPrefix", "/"); /* the URI, rewritten to itself */
        out->rewritten = true;
        return;
    }
    if (strcmp(l->value, "/") != 0)
        regex_mode_note(im, g, l);
    if (strcmp(l->value, "/") == 0) {
        set_form(out, "PathPrefix", "/"); /* every path starts with "/" */
    } else {
        form = regex_form(im, l->value);
        /* The path alone too: in the form, ".*" follows it. */
        if (strlen(form) > IMP_RE_MAX) {
            too_long(im, g, l);
            return;
        }
        if (imp_re_unmatchable(l->value, true, err, sizeof(err))) {
            nx_report_node(im, l->ing, ynode_get(l->path->src, "path"),
                           DIAG_IMPORT_REGEX_UNMATCHABLE,
                           "with use-regex the path is a regular expression, and "
                           "it %s; the path is left out",
                           err);
            return;
        }
        if (!imp_re_ok(l->value, err, sizeof(err)) ||
            !imp_re_ok(form, err, sizeof(err))) {
            nx_report_node(im, l->ing, ynode_get(l->path->src, "path"),
                           DIAG_IMPORT_BAD_VALUE,
                           "with use-regex the path is a regular expression, and "
                           "PCRE2 refuses it: %s; the path is left out",
                           err);
            return;
        }
        set_form(out, "RegularExpression", form);
        if (top_level_bar(l->value))
            nx_report_node(im, l->ing, ynode_get(l->path->src, "path"),
                           DIAG_IMPORT_DETAIL,
                           "'%s' has a '|' outside any group: ingress-nginx "
                           "writes location ~* \"^%s\", where '^' anchors only "
                           "the first alternative and the others match anywhere "
                           "in the path; the RegularExpression does the same",
                           l->shown, l->shown);
    }
    if (!rewrites(l))
        return;
    if (target[0] != '/' && target[0] != '$') {
        nx_report_annotation(im, l->ing, "rewrite-target",
                             DIAG_IMPORT_NOT_CONVERTED,
                             "not converted for path '%s': target '%s' does not "
                             "start with '/' or a capture group, so nginx "
                             "rewrites to a URI that is not a path; the path is "
                             "matched as a regular expression and forwarded "
                             "unchanged",
                             l->shown, target);
        return;
    }
    if ((fixed = fixed_target(im, l->value, target)) != NULL) {
        out->rewrite.type = "ReplaceFullPath";
        out->rewrite.value = fixed;
        out->rewritten = true;
        return;
    }
    nx_report_annotation(im, l->ing, "rewrite-target", DIAG_IMPORT_NOT_CONVERTED,
                         "not converted for path '%s': target '%s' uses capture "
                         "groups or nginx variables, and Gateway API rewrites "
                         "cannot substitute them; the path is matched as a "
                         "regular expression and forwarded unchanged",
                         l->shown, target);
}

/* ---- plain mode ---- */

static int cmp_values(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

void nx_paths_index(struct imp *im, struct host_group *g)
{
    size_t i;

    for (i = 0; i < g->locations.n; i++) {
        const struct location *o = g->locations.v[i];
        if (o->path && o->type != PT_EXACT)
            ptrvec_push(im->a, &g->prefix_values, (void *)o->value);
    }
    ptrvec_sort(&g->prefix_values, cmp_values);
}

/* The first sorted value not below key. */
static size_t lower_bound(const struct ptrvec *v, const char *key)
{
    size_t lo = 0, hi = v->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v->v[mid], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool has_prefix(const struct ptrvec *v, size_t i, const char *p, size_t n)
{
    return i < v->n && strncmp(v->v[i], p, n) == 0;
}

/* Another Prefix-like path beyond this byte prefix ("/foobar" past "/foo")
 * is matched in nginx by the longer prefix; a Gateway API regex would win
 * over it instead, so the regex is not used then.  In the sorted values,
 * such a path sorts right after the path itself (next byte below '/') or
 * right after the "/foo/..." block (next byte above '/'). */
static bool byte_siblings(struct imp *im, const struct host_group *g,
                          const struct location *l)
{
    const struct ptrvec *v = &g->prefix_values;
    size_t n = strlen(l->value), i = lower_bound(v, l->value);
    const char *s;

    while (i < v->n && strcmp(v->v[i], l->value) == 0)
        i++;
    s = has_prefix(v, i, l->value, n) ? v->v[i] : NULL;
    if (s && s[n] != '/')
        return true;
    i = lower_bound(v, arena_printf(im->a, "%s0", l->value)); /* '0' follows '/' */
    return has_prefix(v, i, l->value, n);
}

static void trailing_slash(struct imp *im, const struct host_group *g,
                           const struct location *l, struct path_plan *out)
{
    size_t n = strlen(l->value);
    const char *bare;

    if (n < 2 || l->value[n - 1] != '/')
        return;
    bare = arena_strndup(im->a, l->value, n - 1);
    if (paths_claims_exact(g, bare))
        return;
    out->exact = bare;
    nx_report_node(im, l->ing, ynode_get(l->path->src, "path"), DIAG_IMPORT_DETAIL,
                   "nginx answers '%s' with a 301 to '%s' (location '%s'); the "
                   "redirect is an Exact rule in the output",
                   imp_report_value(im, bare), l->shown, l->shown);
}

static void byte_prefix(struct imp *im, const struct host_group *g,
                        const struct location *l, struct path_plan *out)
{
    const char *v = l->value;
    const struct ynode *at = ynode_get(l->path->src, "pathType");
    char err[128];

    if (imp_re_unmatchable(v, true, err, sizeof(err))) {
        nx_report_node(im, l->ing, ynode_get(l->path->src, "path"),
                       DIAG_IMPORT_REGEX_UNMATCHABLE,
                       "'%s' is not a valid Gateway API path, and as the regular "
                       "expression of its literal prefix it %s; the path is left "
                       "out",
                       l->shown, err);
        return;
    }
    if (!imp_value_gateway_path(v)) {
        set_form(out, "RegularExpression",
                 arena_printf(im->a, "%s.*", imp_re_quote(im->a, v)));
        nx_report_node(im, l->ing, at, DIAG_IMPORT_DETAIL,
                       "'%s' is a byte prefix in ingress-nginx and not a valid "
                       "Gateway API path: converted to a RegularExpression of the "
                       "literal prefix",
                       l->shown);
        return;
    }
    set_form(out, "PathPrefix", v);
    if (ends_with(v, "/")) {
        trailing_slash(im, g, l, out);
        return;
    }
    if (byte_siblings(im, g, l)) {
        nx_report_node(im, l->ing, at, DIAG_IMPORT_APPROXIMATED,
                       "ingress-nginx matches ImplementationSpecific '%s' as a "
                       "byte prefix ('%sX' too); converted to PathPrefix, which "
                       "matches whole segments, because a longer path of the "
                       "host starts with it",
                       l->shown, l->shown);
        return;
    }
    set_form(out, "RegularExpression",
             arena_printf(im->a, "%s[^/].*", imp_re_quote(im->a, v)));
    nx_report_node(im, l->ing, at, DIAG_IMPORT_DETAIL,
                   "ImplementationSpecific '%s' is a byte prefix in ingress-nginx "
                   "(it matches '%sX' too): PathPrefix '%s' plus a "
                   "RegularExpression for the rest",
                   l->shown, l->shown, l->shown);
}

void nx_paths_plan(struct imp *im, const struct host_group *g,
                   const struct location *l, struct path_plan *out)
{
    memset(out, 0, sizeof(*out));
    if (!l->path) { /* a default backend */
        set_form(out, "PathPrefix", "/");
        return;
    }
    if (g->regex) {
        regex_plan(im, g, l, out);
        return;
    }
    if (l->type != PT_IMPLEMENTATION_SPECIFIC &&
        !imp_value_gateway_path(l->value)) {
        nx_report_node(im, l->ing, ynode_get(l->path->src, "path"),
                       DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: '%s' is not a valid Gateway API %s path "
                       "(no '//', '/./', '/../', '%%2f' or characters outside "
                       "RFC 3986 paths)",
                       l->shown, l->type == PT_EXACT ? "Exact" : "PathPrefix");
        return;
    }
    switch (l->type) {
    case PT_EXACT:
        set_form(out, "Exact", l->value);
        return;
    case PT_PREFIX:
        set_form(out, "PathPrefix", l->value);
        trailing_slash(im, g, l, out);
        return;
    case PT_IMPLEMENTATION_SPECIFIC:
        byte_prefix(im, g, l, out);
        return;
    }
}
