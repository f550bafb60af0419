/*
 * htpasswd lines as nginx 1.22 on Debian 12 checks them (docs/policies.md,
 * "basicAuth"): nginx's own code for {PLAIN}, {SHA}, {SSHA} and $apr1$,
 * libxcrypt for the rest.  A line nginx cannot check locks its user out
 * forever, so it is refused; weak schemes are accepted with a warning.
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/strbuf.h"
#include "base/strhash.h"

#include <string.h>

enum hash_class { HASH_REFUSED, HASH_OK, HASH_WEAK };

static bool des_char(char ch)
{
    return (ch >= '.' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

static bool all_des(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (!des_char(s[i]))
            return false;
    }
    return true;
}

static enum hash_class classify(const char *h, size_t n)
{
    static const struct {
        const char *prefix;
        bool crypt;   /* $id$salt$hash: a further '$' must follow */
        enum hash_class class;
    } schemes[] = {
        {"{PLAIN}", false, HASH_WEAK}, {"{SHA}", false, HASH_WEAK},
        {"{SSHA}", false, HASH_OK},    {"$apr1$", true, HASH_OK},
        {"$2y$", true, HASH_OK},       {"$2b$", true, HASH_OK},
        {"$2a$", true, HASH_OK},       {"$y$", true, HASH_OK},
        {"$gy$", true, HASH_OK},       {"$7$", false, HASH_OK},
        {"$5$", true, HASH_OK},        {"$6$", true, HASH_OK},
        {"$1$", true, HASH_OK},        {"$3$", true, HASH_WEAK},
        {"$md5", true, HASH_OK},       {"$sha1$", true, HASH_OK},
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(schemes); i++) {
        size_t pl = strlen(schemes[i].prefix);
        if (n < pl || memcmp(h, schemes[i].prefix, pl) != 0)
            continue;
        if (n == pl || (schemes[i].crypt && !memchr(h + pl, '$', n - pl)))
            return HASH_REFUSED;
        return schemes[i].class;
    }
    if (n == 13 && all_des(h, n))
        return HASH_WEAK; /* traditional DES crypt */
    if (n == 20 && h[0] == '_' && all_des(h + 1, n - 1))
        return HASH_WEAK; /* BSDi extended DES */
    return HASH_REFUSED;
}

/* One "user:hash[:comment]" line; appended to out when usable. */
static void check_line(struct ctx *x, const struct object *o, const struct ynode *at,
                       const char *where, size_t lineno, const char *line, size_t n,
                       struct strhash *users, struct strbuf *out)
{
    const char *colon = memchr(line, ':', n), *end;
    const char *user;
    enum hash_class c;

    while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
        n--;
    if (n == 0 || line[0] == '#')
        return;
    if (!colon || colon == line) {
        ctl_finding(x, DIAG_HTPASSWD_LINE, o, at,
                    "%s line %zu is not user:hash; it is left out", where, lineno);
        return;
    }
    end = memchr(colon + 1, ':', n - (size_t)(colon + 1 - line));
    if (!end)
        end = line + n;
    user = arena_strndup(x->c->arena, line, (size_t)(colon - line));
    c = classify(colon + 1, (size_t)(end - colon - 1));
    if (c == HASH_REFUSED) {
        ctl_finding(
            x, DIAG_HTPASSWD_LINE, o, at,
            "%s line %zu (user '%s'): nginx cannot check this hash, so that user "
            "could never sign in; use htpasswd -B (bcrypt) or -m ($apr1$)",
            where, lineno, user);
        return;
    }
    if (*strhash_slot(users, user)) {
        ctl_finding(
            x, DIAG_HTPASSWD_LINE, o, at,
            "%s line %zu: user '%s' is listed twice (nginx would take the first)",
            where, lineno, user);
        return;
    }
    strhash_put(users, user, (void *)user);
    if (c == HASH_WEAK)
        ctl_finding(
            x, DIAG_HTPASSWD_WEAK, o, at,
            "%s line %zu (user '%s'): the password is stored in a weak form "
            "(plain text, unsalted SHA-1, DES or NT hash); use htpasswd -B",
            where, lineno, user);
    strbuf_add(out, line, (size_t)(end - line));
    strbuf_addch(out, '\n');
}

const char *ctl_htpasswd_lines(struct ctx *x, const struct object *o,
                               const struct ynode *at, const char *where,
                               const char *text, size_t len, struct strhash *users)
{
    struct strbuf out = STRBUF_INIT;
    const char *p = text, *end = text + len, *r;
    size_t lineno = 0;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        check_line(x, o, at, where, ++lineno, p, n, users, &out);
        p += n + 1;
    }
    r = arena_strndup(x->c->arena, out.buf ? out.buf : "", out.len);
    strbuf_release(&out);
    return r;
}
