/*
 * What a VirtualServer delegates, and what it cannot hold twice
 * (pkg/apis/configuration/validation/virtualserver.go,
 * internal/k8s/configuration.go): a VirtualServerRoute NIC accepts under
 * the routes that refer to it, taken whole or not at all, and the nginx
 * locations that two of its routes or subroutes would both make.  The
 * VirtualServer's own reading is virtualserver.c.
 */
#include "nic.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

/* NIC's NormalizePath: a modifier, then the path without the blanks
 * between them. */
const char *nic_path_norm(struct imp *im, const char *p)
{
    static const char *const mods[] = {"~*", "~", "^~", "=", NULL};
    size_t k, n;

    for (k = 0; mods[k]; k++) {
        n = strlen(mods[k]);
        if (strncmp(p, mods[k], n) != 0)
            continue;
        p += n;
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
               *p == '\f' || *p == '\v')
            p++;
        return arena_printf(im->a, "%s%s", mods[k], p);
    }
    return p;
}

/* subrouteModifierCategory: regex, exact, longest prefix or prefix. */
char nic_path_kind(const char *p)
{
    return p[0] == '~' ? 'r' : p[0] == '=' ? 'e' : strncmp(p, "^~", 2) == 0 ? 'l' : 'p';
}

/* The nginx location a route's path makes, as nginx compares them for
 * "duplicate location": '^~' and plain prefixes alike, exact apart;
 * NULL for a regex (nginx allows the same one twice; the first wins). */
const char *nic_path_location(struct imp *im, const char *path)
{
    const char *p = nic_path_norm(im, path);

    if (nic_path_kind(p) == 'r')
        return NULL;
    if (nic_path_kind(p) == 'e')
        return p;
    return nic_path_kind(p) == 'l' ? p + 2 : p;
}
const struct crd *nic_vsr_find(struct imp *im, const char *key)
{
    const struct ptrvec *vsrs = NIC(im)->crds;
    const char *slash = key ? strchr(key, '/') : NULL;
    const char *ns = slash ? arena_strndup(im->a, key, (size_t)(slash - key)) : NULL;
    const char *name = slash ? slash + 1 : NULL;
    size_t i;

    for (i = 0; slash && i < vsrs->n; i++) {
        const struct crd *o = vsrs->v[i];
        if (str_eq(o->kind, "VirtualServerRoute") && str_eq(o->namespace, ns) &&
            str_eq(o->name, name))
            return o;
    }
    return NULL;
}

const char *nic_vsr_key(struct imp *im, const char *ns, const struct ynode *r)
{
    const char *ref = imp_crd_text(ynode_get(r, "route"));

    if (!ref)
        return NULL;
    return strchr(ref, '/') ? ref : arena_printf(im->a, "%s/%s", ns, ref);
}

void nic_vsr_refs(struct imp *im, struct index *refs, const char *ns,
                  const struct ynode *routes)
{
    size_t i;

    for (i = 0; routes && i < routes->n; i++) {
        const char *key = nic_vsr_key(im, ns, routes->items[i]);
        const char *p = imp_crd_text(ynode_get(routes->items[i], "path"));
        struct ptrvec *paths = key ? imp_index_get(refs, key) : NULL;
        if (!key || !p)
            continue;
        if (!paths) {
            paths = ARENA_NEW(im->a, struct ptrvec);
            imp_index_put(im->a, refs, key, paths);
        }
        ptrvec_push(im->a, paths, (void *)p);
    }
}

/* Whether subroute path sub belongs under the route path vs, both as
 * written.  NIC compares a regex or exact route's path with its
 * subroute's as strings (validateVirtualServerRouteSubroutes: the
 * subroute's path != the route's is refused), so "~ ^/a/" takes no
 * "~^/a/" subroute although nginx would read both alike; prefixes are
 * compared after normalizing the modifier, as before. */
bool nic_path_delegated(struct imp *im, const char *vs, const char *sub)
{
    const char *nv;

    if (!sub)
        return false;
    nv = nic_path_norm(im, vs);
    if (nic_path_kind(vs) == 'r' || nic_path_kind(vs) == 'e')
        return str_eq(vs, sub);
    return strncmp(nic_path_norm(im, sub), nv, strlen(nv)) == 0;
}

const char *nic_vsr_refused(struct imp *im, const struct index *refs,
                            const struct crd *o, const struct ynode **at)
{
    const struct ynode *subs = imp_crd_seq(ynode_get(o->spec, "subroutes"));
    const struct ptrvec *mine =
        imp_index_get(refs, arena_printf(im->a, "%s/%s", o->namespace, o->name));
    struct ptrvec vs = mine ? *mine : (struct ptrvec){0};
    struct index seen = {0}, raw = {0};
    size_t i, k, n = subs ? subs->n : 0;

    *at = o->spec ? o->spec : o->root;
    if (!vs.n)
        return NULL; /* not referred to: nothing of it is served */
    for (i = 0; vs.n > 1 && i < vs.n; i++) {
        if (nic_path_kind(vs.v[i]) != 'r')
            return "several routes of the VirtualServer refer to it: NIC "
                   "takes it once for regular expression paths, and otherwise "
                   "under the first route whose path all its subroutes start "
                   "with, which gwc does not follow";
    }
    for (i = 0; i < n; i++) {
        const char *p = imp_crd_text(ynode_get(subs->items[i], "path"));
        const char *np = p ? nic_path_norm(im, p) : NULL;
        *at = ynode_get(subs->items[i], "path") ? ynode_get(subs->items[i], "path")
                                                : subs->items[i];
        if (!np)
            return "a subroute without a path";
        if (nic_path_kind(np) != nic_path_kind(imp_crd_text(ynode_get(subs->items[0], "path"))))
            return "its subroutes' paths are not all of one kind (prefix, "
                   "^~, = or a regular expression)";
        if (imp_index_get(&seen, np))
            return "two subroutes have the same path";
        imp_index_put(im->a, &seen, np, (void *)np);
        imp_index_put(im->a, &raw, p, (void *)p);
        for (k = 0; k < vs.n && !nic_path_delegated(im, vs.v[k], p); k++)
            ;
        if (k == vs.n)
            return nic_path_kind(vs.v[0]) == 'p' || nic_path_kind(vs.v[0]) == 'l'
                       ? "a subroute's path does not start with the path of "
                         "the VirtualServer route that refers to it"
                       : "a subroute's path is not the path of a VirtualServer "
                         "route that refers to it (NIC wants the same "
                         "regular expression or exact path, character for "
                         "character, blanks included)";
    }
    if (nic_path_kind(vs.v[0]) == 'e' && n != 1)
        return "NIC wants exactly one subroute under an exact path";
    for (k = 0; nic_path_kind(vs.v[0]) == 'r' && k < vs.n; k++) {
        if (!imp_index_get(&raw, vs.v[k])) {
            *at = o->spec ? o->spec : o->root;
            return "a regular expression path of the VirtualServer that "
                   "refers to it has no subroute of the same path";
        }
    }
    return NULL;
}

/* Two routes or subroutes of one VirtualServer making the same nginx
 * location: NIC refuses such a VirtualServer (a repeated route path) or
 * nginx refuses its configuration (a subroute repeating a route's path,
 * "duplicate location"), so neither serves.  In one HTTPRoute the first
 * rule would win, which could give a delegate's subroute a path the
 * VirtualServer guards: every location of the path answers 500. */
void nic_duplicate_locations(struct imp *im, struct nic_server *s, size_t first)
{
    struct index owner = {0}, dup = {0};
    size_t i;

    for (i = first; i < s->locs.n; i++) {
        const struct nic_loc *l = s->locs.v[i];
        const struct ynode *r = l->location ? imp_index_get(&owner, l->location) : NULL;
        if (!l->location)
            continue;
        if (!r)
            imp_index_put(im->a, &owner, l->location, (void *)l->route);
        else if (r != l->route && !imp_index_get(&dup, l->location)) {
            imp_index_put(im->a, &dup, l->location, (void *)l->location);
            imp_report_src(im, &l->src, ynode_get(l->route, "path"),
                           DIAG_IMPORT_CONFLICT,
                           "path '%s' makes the same nginx location as an "
                           "earlier route or subroute of the VirtualServer: "
                           "NIC refuses the VirtualServer or nginx its "
                           "configuration; the path answers 500",
                           imp_report_value(im, imp_crd_text(ynode_get(l->route, "path"))));
        }
    }
    for (i = first; dup.h.n && i < s->locs.n; i++) {
        struct nic_loc *l = s->locs.v[i];
        if (l->location && imp_index_get(&dup, l->location))
            l->denied = true;
    }
}
