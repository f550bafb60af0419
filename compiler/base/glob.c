#include "glob.h"

#include <fnmatch.h>
#include <string.h>

/* The length of the segment at s (up to '/' or the end). */
static size_t seg_len(const char *s)
{
    return strcspn(s, "/");
}

static bool seg_match(const char *g, size_t gl, const char *p, size_t pl)
{
    char gs[256], ps[256];

    if (gl >= sizeof(gs) || pl >= sizeof(ps))
        return false;
    memcpy(gs, g, gl);
    gs[gl] = '\0';
    memcpy(ps, p, pl);
    ps[pl] = '\0';
    return fnmatch(gs, ps, 0) == 0;
}

/* g and p point at segment starts (or at their ends). '**' tries every
 * number of segments; a glob has few of them, so the search is small. */
static bool match_from(const char *g, const char *p)
{
    while (*g) {
        size_t gl = seg_len(g);

        if (gl == 2 && g[0] == '*' && g[1] == '*') {
            const char *rest = g[2] ? g + 3 : g + 2;
            /* "**" "/" "**" is "**": a run of them searches once. */
            while (rest[0] == '*' && rest[1] == '*' && (rest[2] == '/' || !rest[2]))
                rest += rest[2] ? 3 : 2;
            for (;;) {
                if (match_from(rest, p))
                    return true;
                if (!*p)
                    return false;
                p += seg_len(p);
                p += *p == '/';
            }
        }
        if (!*p || !seg_match(g, gl, p, seg_len(p)))
            return false;
        g += gl;
        g += *g == '/';
        p += seg_len(p);
        p += *p == '/';
    }
    return !*p;
}

bool glob_match(const char *glob, const char *path, bool is_dir)
{
    char g[1024];
    size_t n;
    bool anchored;

    while (glob[0] == '.' && glob[1] == '/')
        glob += 2;
    while (*glob == '/')
        glob++;
    n = strlen(glob);
    if (n == 0 || n + 4 > sizeof(g))
        return false;
    if (glob[n - 1] == '/') {
        if (!is_dir)
            return false;
        n--;
    }
    anchored = memchr(glob, '/', n) != NULL;
    /* Without a '/', a name at any depth. */
    if (!anchored)
        memcpy(g, "**/", 3);
    memcpy(g + (anchored ? 0 : 3), glob, n);
    g[n + (anchored ? 0 : 3)] = '\0';
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    return match_from(g, path);
}
