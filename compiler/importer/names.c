/*
 * Names of generated objects and listeners: valid DNS-1123 subdomains,
 * readable when the source text allows it, collision-free always.
 *
 * A text that is already a valid name is used as it is.  Anything else
 * (upper case, '_', a name too long once a suffix is added) is cleaned up
 * and given "-" plus a hash of the original text, so two texts that clean
 * up alike ("A.com" and "a.com") still get distinct names.  imp_name_claim()
 * then makes names unique in a scope (a kind and namespace, or the
 * listeners of one Gateway), in the deterministic
 * order the importer generates them (i2gw's "a-b.com" and "a.b.com" both
 * becoming "a-b-com" is the bug this avoids).
 */
#include "import_internal.h"

#include "base/arena.h"
#include "base/strhash.h"
#include "base/strbuf.h"

#include <stdint.h>
#include <string.h>

#define HASH_LEN 8

/* FNV-1a, 64 bits, printed as 8 hex digits: short, stable everywhere. */
static const char *name_hash(struct arena *a, const char *key)
{
    uint64_t h = strhash_fnv1a(STRHASH_FNV_BASIS, key);

    return arena_printf(a, "%08x", (unsigned)(h ^ (h >> 32)));
}

static bool is_alnum_lower(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Lower case; each run of other characters inside a label becomes one
 * '-'; labels lose leading and trailing dashes; empty labels go. */
static void clean(const char *text, struct strbuf *out)
{
    const char *p = text;

    while (*p) {
        bool dot = out->len > 0, dash = false;
        size_t start;

        if (dot)
            strbuf_addch(out, '.');
        start = out->len;
        for (; *p && *p != '.'; p++) {
            char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
            if (!is_alnum_lower(c)) {
                dash = true;
                continue;
            }
            if (dash && out->len > start)
                strbuf_addch(out, '-');
            dash = false;
            strbuf_addch(out, c);
        }
        if (out->len == start) /* an empty label goes, with its dot */
            strbuf_setlen(out, dot ? start - 1 : start);
        if (*p == '.')
            p++;
    }
}

static const char *dns_name(struct arena *a, const char *text, size_t max)
{
    struct strbuf sb = STRBUF_INIT;
    const char *hash, *name;
    size_t keep;

    if (strlen(text) <= max && imp_value_dns_subdomain(text))
        return text;
    clean(text, &sb);
    hash = name_hash(a, text);
    keep = max - HASH_LEN - 1;
    if (sb.len > keep)
        strbuf_setlen(&sb, keep);
    while (sb.len && !is_alnum_lower(sb.buf[sb.len - 1]))
        strbuf_setlen(&sb, sb.len - 1);
    name = sb.len ? arena_printf(a, "%s-%s", sb.buf, hash)
                  : arena_printf(a, "x%s", hash);
    strbuf_release(&sb);
    return name;
}

const char *imp_name_host_label(struct arena *a, const char *host)
{
    if (!host || !*host)
        return "";
    if (host[0] == '*')
        return arena_printf(a, "wildcard%s", host + 1);
    return host;
}

const char *imp_name_claim(struct imp *im, const char *scope, const char *base,
                           size_t max)
{
    const char *first = dns_name(im->a, base, max), *name = first;
    const char *key = arena_printf(im->a, "%s/%s", scope, name);
    size_t keep = max - HASH_LEN - 1, len = strlen(first);
    unsigned n;

    /* Taken: the name plus a hash of the base (and of a counter, should
     * even that be taken), cut to fit. */
    for (n = 0; imp_index_get(&im->names, key); n++) {
        const char *seed = n ? arena_printf(im->a, "%s#%u", base, n) : base;
        char *cut = arena_strndup(im->a, first, len > keep ? keep : len);
        size_t l = strlen(cut);

        while (l && !is_alnum_lower(cut[l - 1]))
            cut[--l] = '\0';
        name = arena_printf(im->a, "%s-%s", cut, name_hash(im->a, seed));
        key = arena_printf(im->a, "%s/%s", scope, name);
    }
    imp_index_put(im->a, &im->names, key, (void *)key);
    return name;
}
