/*
 * Traefik's router rule language (doc.traefik.io/traefik/routing/routers/,
 * rule syntax v3, and v2 for traefik.containo.us):
 *
 *   rule    := or
 *   or      := and { "||" and }
 *   and     := unary { "&&" unary }
 *   unary   := "!" unary | "(" or ")" | Name "(" string { "," string } ")"
 *   string  := `raw` | "with \" and \\ escapes"
 *
 * Matchers (v3): Host, HostRegexp, Path, PathPrefix, PathRegexp, Method,
 * ClientIP (one argument), Header, HeaderRegexp (two), Query, QueryRegexp
 * (one or two).  v2: Host, HostHeader, HostRegexp, Path, PathPrefix,
 * Method, ClientIP (one or more, ORed), Headers, HeadersRegexp (two),
 * Query ("k=v", one or more).  TCP routers (doc.traefik.io/traefik/
 * routing/routers/#rule_1): HostSNI, HostSNIRegexp, ClientIP, ALPN (v3:
 * one argument; v2: one or more, ORed); HostSNI(`*`) takes every
 * connection, with or without SNI.
 *
 * This file reads a rule into an expression tree; rule.c turns the tree
 * into Gateway API matches.
 */
#include "tr.h"

#include "base/arena.h"
#include "base/strbuf.h"

#include <string.h>

#define MAX_DEPTH 64

struct parser {
    struct arena *a;
    const char *s;
    size_t pos;
    bool v2, tcp;
    size_t depth;
    size_t err_off;
    const char *err;
    bool own; /* err is a limit of gwc's reader, not a rule Traefik refuses */
};

struct matcher_spec {
    const char *name;
    size_t min, max; /* arguments */
};

static const struct matcher_spec v3_matchers[] = {
    {"ClientIP", 1, 1},    {"Method", 1, 1},       {"Host", 1, 1},
    {"HostRegexp", 1, 1},  {"Path", 1, 1},         {"PathRegexp", 1, 1},
    {"PathPrefix", 1, 1},  {"Header", 2, 2},       {"HeaderRegexp", 2, 2},
    {"Query", 1, 2},       {"QueryRegexp", 1, 2},  {NULL, 0, 0},
};

static const struct matcher_spec v2_matchers[] = {
    {"Host", 1, SIZE_MAX},       {"HostHeader", 1, SIZE_MAX},
    {"HostRegexp", 1, SIZE_MAX}, {"ClientIP", 1, SIZE_MAX},
    {"Path", 1, SIZE_MAX},       {"PathPrefix", 1, SIZE_MAX},
    {"Method", 1, SIZE_MAX},     {"Headers", 2, 2},
    {"HeadersRegexp", 2, 2},     {"Query", 1, SIZE_MAX},
    {NULL, 0, 0},
};

/* TCP routers (IngressRouteTCP): v3 takes one argument, v2 several (ORed). */
static const struct matcher_spec v3_tcp_matchers[] = {
    {"HostSNI", 1, 1}, {"HostSNIRegexp", 1, 1}, {"ClientIP", 1, 1},
    {"ALPN", 1, 1},    {NULL, 0, 0},
};

static const struct matcher_spec v2_tcp_matchers[] = {
    {"HostSNI", 1, SIZE_MAX}, {"HostSNIRegexp", 1, SIZE_MAX},
    {"ClientIP", 1, SIZE_MAX}, {"ALPN", 1, SIZE_MAX}, {NULL, 0, 0},
};

static bool fail(struct parser *p, size_t off, const char *err)
{
    if (!p->err) {
        p->err = err;
        p->err_off = off;
    }
    return false;
}

/* A rule Traefik reads that gwc's reader does not. */
static bool limit(struct parser *p, size_t off, const char *err)
{
    if (!p->err)
        p->own = true;
    return fail(p, off, err);
}

static void blanks(struct parser *p)
{
    while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
           p->s[p->pos] == '\r')
        p->pos++;
}

static bool take(struct parser *p, const char *tok)
{
    size_t n = strlen(tok);

    blanks(p);
    if (strncmp(p->s + p->pos, tok, n) != 0)
        return false;
    p->pos += n;
    return true;
}

static const char *string(struct parser *p)
{
    char q = p->s[p->pos];
    size_t start = p->pos++;
    struct strbuf sb = STRBUF_INIT;
    const char *out;

    for (;;) {
        char c = p->s[p->pos];
        if (!c) {
            strbuf_release(&sb);
            fail(p, start, "unterminated string");
            return NULL;
        }
        p->pos++;
        if (c == q)
            break;
        if (c == '\\' && q == '"') {
            c = p->s[p->pos];
            if (c != '"' && c != '\\') {
                strbuf_release(&sb);
                limit(p, p->pos - 1, "gwc decodes only the escapes of a quote "
                      "and a backslash");
                return NULL;
            }
            p->pos++;
        }
        strbuf_addch(&sb, c);
    }
    out = arena_strndup(p->a, sb.buf, sb.len);
    strbuf_release(&sb);
    return out;
}

static const struct matcher_spec *spec_of(const struct parser *p, const char *name)
{
    const struct matcher_spec *s = p->tcp ? (p->v2 ? v2_tcp_matchers : v3_tcp_matchers)
                                          : (p->v2 ? v2_matchers : v3_matchers);

    for (; s->name; s++) {
        if (str_eq(s->name, name))
            return s;
    }
    return NULL;
}

static struct tr_expr *node(struct parser *p, enum tr_op op, size_t off)
{
    struct tr_expr *e = ARENA_NEW(p->a, struct tr_expr);

    e->op = op;
    e->off = off;
    return e;
}

static const struct tr_expr *or_expr(struct parser *p);

static const struct tr_expr *matcher(struct parser *p)
{
    size_t start = p->pos, cap = 4, offs_cap = 4;
    const struct matcher_spec *spec;
    struct tr_expr *e;
    const char *name;

    while ((p->s[p->pos] >= 'A' && p->s[p->pos] <= 'Z') ||
           (p->s[p->pos] >= 'a' && p->s[p->pos] <= 'z'))
        p->pos++;
    if (p->pos == start) {
        fail(p, start, p->s[start] ? "a matcher, '!' or '(' expected"
                                   : "the rule ends where a matcher is expected");
        return NULL;
    }
    name = arena_strndup(p->a, p->s + start, p->pos - start);
    spec = spec_of(p, name);
    if (!spec) {
        fail(p, start, p->tcp ? (p->v2 ? "not a TCP matcher of the v2 rule syntax"
                                       : "not a TCP matcher of the v3 rule syntax")
                              : (p->v2 ? "not a matcher of the v2 rule syntax"
                                       : "not a matcher of the v3 rule syntax"));
        return NULL;
    }
    if (!take(p, "(")) {
        fail(p, p->pos, "'(' expected after the matcher's name");
        return NULL;
    }
    e = node(p, TR_MATCHER, start);
    e->name = name;
    e->args = ARENA_NEW_ARRAY(p->a, const char *, cap);
    e->arg_offs = ARENA_NEW_ARRAY(p->a, size_t, offs_cap);
    for (;;) {
        blanks(p);
        if (p->s[p->pos] != '`' && p->s[p->pos] != '"') {
            fail(p, p->pos, "a string in `backquotes` or \"quotes\" expected");
            return NULL;
        }
        ARENA_GROW(p->a, const char *, e->args, e->n_args, cap, 4);
        ARENA_GROW(p->a, size_t, e->arg_offs, e->n_args, offs_cap, 4);
        e->arg_offs[e->n_args] = p->pos + 1;
        e->args[e->n_args] = string(p);
        if (!e->args[e->n_args++])
            return NULL;
        if (take(p, ")"))
            break;
        if (!take(p, ",")) {
            fail(p, p->pos, "',' or ')' expected");
            return NULL;
        }
    }
    if (e->n_args < spec->min || e->n_args > spec->max) {
        fail(p, start, spec->min == spec->max
                           ? (spec->min == 1 ? "this matcher takes one argument"
                                             : "this matcher takes two arguments")
                           : "this matcher takes one or two arguments");
        return NULL;
    }
    return e;
}

static const struct tr_expr *unary(struct parser *p)
{
    size_t at;
    struct tr_expr *e;

    if (++p->depth > MAX_DEPTH) {
        limit(p, p->pos, "gwc reads rules nested at most 64 deep");
        return NULL;
    }
    blanks(p);
    at = p->pos;
    if (take(p, "!")) {
        e = node(p, TR_NOT, at);
        e->l = unary(p);
        p->depth--;
        return e->l ? e : NULL;
    }
    if (take(p, "(")) {
        const struct tr_expr *in = or_expr(p);
        if (in && !take(p, ")")) {
            fail(p, p->pos, "')' expected");
            return NULL;
        }
        p->depth--;
        return in;
    }
    p->depth--;
    return matcher(p);
}

static const struct tr_expr *binary(struct parser *p, const char *tok, enum tr_op op,
                                    const struct tr_expr *(*sub)(struct parser *))
{
    const struct tr_expr *l = sub(p);

    while (l) {
        size_t at;
        struct tr_expr *e;

        blanks(p);
        at = p->pos;
        if (!take(p, tok))
            break;
        e = node(p, op, at);
        e->l = l;
        e->r = sub(p);
        l = e->r ? e : NULL;
    }
    return l;
}

static const struct tr_expr *and_expr(struct parser *p)
{
    return binary(p, "&&", TR_AND, unary);
}

static const struct tr_expr *or_expr(struct parser *p)
{
    return binary(p, "||", TR_OR, and_expr);
}

const struct tr_expr *tr_rule_parse(struct arena *a, const char *rule, bool v2,
                                    bool tcp, size_t *err_off, const char **err,
                                    bool *own)
{
    struct parser p;
    const struct tr_expr *e;

    memset(&p, 0, sizeof(p));
    p.a = a;
    p.s = rule;
    p.v2 = v2;
    p.tcp = tcp;
    e = or_expr(&p);
    blanks(&p);
    if (e && p.s[p.pos]) {
        fail(&p, p.pos, "'&&', '||' or the end of the rule expected");
        e = NULL;
    }
    if (!e) {
        *err_off = p.err_off;
        *err = p.err;
        if (own)
            *own = p.own;
    }
    return e;
}
