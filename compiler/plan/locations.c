/*
 * Locations of one server, from its precedence-ordered candidates
 * (docs/nginx-recipes.md, "Locations with segment semantics").
 *
 * nginx chooses a location by path: an exact `= P` first, then regexes in
 * config order, then the longest prefix.  For each location gwc works out
 * which candidates can still apply to a request that reached it:
 *   = P     the path is P, so every path condition is known statically
 *           (regular expressions are run against P now, with PCRE2);
 *   P/      no regex location matched and no longer prefix did, so the
 *           candidates are the prefix matches on P and its ancestors;
 *   ~ R     R matched and no earlier regex did; lower regexes and prefixes
 *           become runtime conditions on $uri.
 * The rest (method, headers, query) are runtime conditions: maps giving
 * "0"/"1", and one dispatch map per location over the concatenated bits
 * whose entries are the candidates in precedence order.  A location whose
 * first candidate needs no runtime condition handles the request itself.
 */
#include "plan_internal.h"
#include "candidate_match.h"

#include "base/arena.h"
#include "base/strbuf.h"

#include <stdlib.h>
#include <string.h>

/* ---- per-server state ---- */

/* Everything here but the handlers lives in p->tmp. */
struct server_build {
    struct planner *p;
    const struct server_ctx *sc;
    struct candidate *cands;
    size_t n;
    struct path_form *forms;      /* per candidate */
    size_t *regex_order;          /* per candidate: its regex's position */
    struct plan_handler **handlers; /* per candidate group */
    /* Which candidates can reach a location, found without trying them all:
     * exact and prefix candidates by path ("=/p", "^/p"), and the regexes. */
    struct strhash by_path;        /* key -> struct idxvec * */
    struct idxvec regex_cands;
    struct ptrvec locations;      /* struct plan_location * */
    struct ptrvec internal;       /* struct plan_handler * needing a named or
                                     internal location */
    struct strhash not_found;     /* named locations answering 404 */
    struct ptrvec not_found_names;
    /* The largest body limit of a dispatching location with policies
     * (0: none), or -1 when there is none. */
    int64_t max_body;
};

/* One handler per rule: candidates of other matches of the rule share it. */
static struct plan_handler *handler_of(struct server_build *sb, size_t i)
{
    struct plan_handler **h = &sb->handlers[sb->cands[i].group];

    if (!*h)
        *h = plan_handler_for_rule(sb->p, sb->sc, &sb->cands[i]);
    return *h;
}

/* Handlers in named locations see the request's own URI.  Mirrors do not:
 * they are subrequests to their internal location's URI, and one that
 * must send the original path on (gRPC) takes it from $gw_uri, which the
 * location the request arrived at sets (a subrequest shares variables). */
static bool mirror_needs_uri(const struct plan_handler *h)
{
    const struct plan_handler_extra *x = plan_handler_extra(h);
    size_t i;

    for (i = 0; i < x->n_mirrors; i++) {
        if (plan_handler_extra(x->mirrors[i])->rewrite != REWRITE_NONE ||
            x->mirrors[i]->grpc)
            return true;
    }
    for (i = 0; h->split && i < h->split->n_backends; i++) {
        if (mirror_needs_uri(h->split->backends[i]))
            return true;
    }
    return false;
}

/* ---- which candidates to try for a location ---- */

static const char *path_key(struct arena *a, char kind, const char *path, size_t len)
{
    char *k = ARENA_NEW_ARRAY(a, char, len + 2);

    k[0] = kind;
    memcpy(k + 1, path, len);
    return k;
}

static void index_candidate(struct server_build *sb, size_t i)
{
    const struct path_form *f = &sb->forms[i];
    struct idxvec **bucket;

    if (f->kind == LOC_REGEX) {
        idx_push(sb->p->tmp, &sb->regex_cands, i);
        return;
    }
    bucket = (struct idxvec **)strhash_slot(
        &sb->by_path, path_key(sb->p->tmp, f->kind == LOC_EXACT ? '=' : '^', f->path,
                               strlen(f->path)));
    if (!*bucket)
        *bucket = ARENA_NEW(sb->p->tmp, struct idxvec);
    idx_push(sb->p->tmp, *bucket, i);
}

static void add_bucket(struct server_build *sb, struct strbuf *key, char kind,
                       const char *path, size_t len, struct idxvec *out)
{
    const struct idxvec *b;
    size_t i;

    strbuf_reset(key);
    strbuf_addch(key, kind);
    strbuf_add(key, path, len);
    b = strhash_get(&sb->by_path, key->buf);
    for (i = 0; b && i < b->n; i++)
        idx_push(sb->p->tmp, out, b->v[i]);
}

/*
 * The candidates that may reach a location, in precedence order: a superset
 * of those plan_location_reaches() accepts, so that a server with many routes does not try
 * each of them for each of its locations.  A prefix candidate can reach "= P"
 * and "P/" only if it is P or an ancestor of P ("/", and P cut before each
 * '/'), an exact one only "= P" of its own path; a regex location may be
 * reached by any prefix or regex candidate.
 */
static struct idxvec reach_list(struct server_build *sb, const struct path_form *loc)
{
    struct idxvec out = {NULL, 0, 0};
    struct strbuf key = STRBUF_INIT;
    size_t len = strlen(loc->path), i;

    if (loc->kind == LOC_REGEX) {
        out.v = ARENA_NEW_ARRAY(sb->p->tmp, size_t, sb->n ? sb->n : 1);
        for (i = 0; i < sb->n; i++)
            out.v[i] = i;
        out.n = out.cap = sb->n;
        return out;
    }
    if (loc->kind == LOC_EXACT) {
        add_bucket(sb, &key, '=', loc->path, len, &out);
        for (i = 0; i < sb->regex_cands.n; i++)
            idx_push(sb->p->tmp, &out, sb->regex_cands.v[i]);
    }
    add_bucket(sb, &key, '^', "/", 1, &out); /* covers every path */
    for (i = 0; i < len; i++) {
        if (loc->path[i] == '/')
            add_bucket(sb, &key, '^', loc->path, i, &out);
    }
    add_bucket(sb, &key, '^', loc->path, len, &out);
    strbuf_release(&key);
    idx_sort_unique(&out);
    return out;
}

/* ---- dispatch ---- */

/* Where a dispatch sends a request for h: its named location, or for a
 * split straight to the chosen backend's. */
static struct plan_text target_text(struct planner *p, struct plan_handler *h,
                                    struct ptrvec *internal)
{
    if (h->split) {
        plan_handler_dependents(p->tmp, h, internal);
        return h->split->target;
    }
    ptrvec_push(p->tmp, internal, h);
    plan_handler_dependents(p->tmp, h, internal);
    /* Only read by the draft dispatch map: scratch. */
    return plan_text_literal(p->tmp, plan_cat(p->tmp, "@", h->id, NULL));
}

/* The part of the targets' names that they all start with, up to and
 * including a '/' (every name starts "@/"). */
static const char *common_prefix(struct arena *a, const struct plan_text *t, size_t n)
{
    const char *first = t[0].parts[0].text;
    size_t len = strlen(first), i, k;

    for (i = 1; i < n; i++) {
        const char *s = t[i].parts[0].text;
        for (k = 0; k < len && s[k] == first[k]; k++)
            ;
        len = k;
    }
    while (len > 0 && first[len - 1] != '/')
        len--;
    return arena_strndup(a, first, len);
}

/* t less the prefix: the value a dispatch map gives for it. */
static struct plan_text relative_to(struct arena *a, const struct plan_text *t, size_t cut)
{
    struct plan_text r = plan_text_new(a, t->n);
    size_t i;

    plan_text_lit(&r, t->parts[0].text + cut);
    for (i = 1; i < t->n; i++)
        r.parts[r.n++] = t->parts[i];
    return r;
}

/* A named location answering 404, once per name in the server. */
static void need_404(struct server_build *sb, const char *name)
{
    void **slot = strhash_slot(&sb->not_found, name);

    if (!*slot) {
        *slot = (void *)name;
        ptrvec_push(sb->p->tmp, &sb->not_found_names, (void *)name);
    }
}

/*
 * A location that hands requests to named ones (docs/policies.md, "Where
 * directives go"): nginx checks Content-Length against this location's
 * client_max_body_size only, so it takes the largest limit of its targets
 * (the named ones check theirs with a map); and an error page after the
 * 418 hop needs recursive_error_pages.
 */
static void dispatch_limits(struct server_build *sb, struct plan_location *loc,
                            struct plan_handler **targets, size_t n)
{
    int64_t max = -1;
    bool policies = false;
    size_t i;

    for (i = 0; i < n; i++) {
        int64_t l = plan_policy_body_limit(targets[i]);
        policies |= targets[i]->policy != NULL;
        if (l == 0 || max == 0)
            max = 0;
        else if (l > max)
            max = l;
    }
    if (!policies)
        return;
    loc->recursive_errors = true;
    if (max != 1 << 20)
        loc->max_body_size = plan_policy_body_size_text(sb->p, max);
    if (sb->max_body < 0 || max == 0)
        sb->max_body = max;
    else if (sb->max_body != 0 && max > sb->max_body)
        sb->max_body = max;
}

static void fill_location(struct server_build *sb, struct plan_location *loc,
                          size_t loc_regex)
{
    struct planner *p = sb->p;
    struct plan_map *dispatch = NULL;
    struct ptrvec vars = {0}, slots = {0};
    struct path_form lf = {loc->kind, loc->path};
    struct idxvec reach = reach_list(sb, &lf);
    struct cond_set *sets = ARENA_NEW_ARRAY(p->tmp, struct cond_set, reach.n ? reach.n : 1);
    size_t *order = ARENA_NEW_ARRAY(p->tmp, size_t, reach.n ? reach.n : 1);
    struct plan_text *texts, *slot_texts;
    const char *prefix;
    size_t n = 0, r, i, j, k, cut;

    for (r = 0; r < reach.n; r++) {
        enum reach how;
        i = reach.v[r];
        how = plan_location_reaches(&sb->forms[i], &lf, sb->regex_order[i], loc_regex);
        if (how == REACH_NEVER)
            continue;
        sets[n] = plan_candidate_conditions(p, &sb->cands[i],
                             how == REACH_IF_PATH ? plan_path_condition(p, &sb->forms[i]) : NULL);
        if (sets[n].impossible)
            continue;
        order[n++] = i;
        if (sets[n - 1].n == 0)
            break; /* everything after it is unreachable */
    }
    if (n == 0) {
        loc->handler = NULL; /* 404 */
        return;
    }
    if (sets[0].n == 0) {
        loc->handler = handler_of(sb, order[0]);
        loc->save_uri = mirror_needs_uri(loc->handler);
        plan_handler_dependents(p->tmp, loc->handler, &sb->internal);
        if (loc->handler->split)
            dispatch_limits(sb, loc, (struct plan_handler **)&loc->handler, 1);
        return;
    }
    /* The bit string: every distinct condition variable, in first use. */
    for (i = 0; i < n; i++) {
        for (j = 0; j < sets[i].n; j++) {
            bool seen = false;
            for (k = 0; k < vars.n && !seen; k++)
                seen = strcmp(vars.v[k], sets[i].vars[j]) == 0;
            if (!seen)
                ptrvec_push(p->tmp, &vars, (void *)sets[i].vars[j]);
        }
    }
    /* Each candidate's target, each distinct handler's made once. */
    texts = ARENA_NEW_ARRAY(p->tmp, struct plan_text, n);
    slot_texts = ARENA_NEW_ARRAY(p->tmp, struct plan_text, n);
    for (i = 0; i < n; i++) {
        struct plan_handler *h = handler_of(sb, order[i]);
        for (k = 0; k < slots.n && slots.v[k] != h; k++)
            ;
        if (k == slots.n) {
            ptrvec_push(p->tmp, &slots, h);
            slot_texts[k] = target_text(p, h, &sb->internal);
            loc->save_uri |= mirror_needs_uri(h);
        }
        texts[i] = slot_texts[k];
        if (sets[i].n == 0) {
            n = i + 1;
            break;
        }
    }
    prefix = common_prefix(p->a, texts, n);
    cut = strlen(prefix);
    {
        struct plan_text src = plan_text_new(p->tmp, vars.n);
        char num[STR_DEC_MAX + 1];
        for (k = 0; k < vars.n; k++)
            plan_text_var(&src, vars.v[k]);
        dispatch =
            plan_map_draft(p, src, plan_cat(p->tmp, "gw_d", plan_dec(num, p->n_dispatch), NULL));
    }
    for (i = 0; i < n; i++) {
        struct plan_text value = relative_to(p->tmp, &texts[i], cut);
        struct strbuf key = STRBUF_INIT;

        if (sets[i].n == 0) {
            dispatch->default_value = value;
            break;
        }
        strbuf_addch(&key, '^');
        for (k = 0; k < vars.n; k++) {
            bool need = false;
            for (j = 0; j < sets[i].n && !need; j++)
                need = strcmp(sets[i].vars[j], vars.v[k]) == 0;
            strbuf_addch(&key, need ? '1' : '.');
        }
        plan_map_draft_add(p, dispatch, MAP_KEY_REGEX,
                           arena_strndup(p->tmp, key.buf, key.len), value);
        strbuf_release(&key);
    }
    if (sets[n - 1].n != 0) {
        /* No candidate without conditions: the rest is not found.  Handler
         * names end in "/r<rule>..." so "<prefix>404" names no handler. */
        dispatch->default_value = plan_text_literal(p->tmp, "404");
        need_404(sb, plan_cat(p->a, prefix, "404", NULL));
    }
    dispatch_limits(sb, loc, (struct plan_handler **)slots.v, slots.n);
    /* Locations with the same conditions and the same targets relative to
     * their prefix share one dispatch map, across servers too: the map
     * encodes nothing else (body limits and error handling are the
     * location's own). */
    loc->dispatch_prefix = prefix;
    loc->dispatch_variable = plan_map_intern(p, dispatch);
    if (strcmp(loc->dispatch_variable, dispatch->variable) == 0)
        p->n_dispatch++; /* a new map (an older one has a lower number) */
}

/* ---- building the server's locations ---- */

/* Adds a location key once; keys are "=/p", "^/p" or "~pattern". */
static void add_key(struct arena *a, struct ptrvec *keys, struct strhash *seen,
                    enum location_kind kind, const char *path)
{
    char tag = kind == LOC_EXACT ? '=' : kind == LOC_PREFIX ? '^' : '~';
    void **slot = strhash_slot(seen, path_key(a, tag, path, strlen(path)));
    struct path_form *f;

    if (*slot)
        return;
    f = ARENA_NEW(a, struct path_form);
    f->kind = kind;
    f->path = path;
    *slot = f;
    ptrvec_push(a, keys, f);
}

/* nginx's own order for prefix and exact locations (byte order of the
 * path: inserting pre-sorted is what keeps `nginx -t` fast on large
 * configs), then regexes in precedence order, then internal and named ones. */
static int loc_group(enum location_kind k)
{
    return k == LOC_REGEX ? 1 : k == LOC_INTERNAL || k == LOC_NAMED ? 2 : 0;
}

static int cmp_locations(const struct plan_location *a, const struct plan_location *b)
{
    int ga = loc_group(a->kind), gb = loc_group(b->kind);
    int c;

    if (ga != gb)
        return ga - gb;
    if (ga == 1)
        return 0; /* kept in precedence order: the sort is stable */
    if ((c = strcmp(a->path, b->path)) != 0)
        return c;
    return (int)a->kind - (int)b->kind;
}

struct loc_pos {
    struct plan_location *loc;
    size_t pos;
};

static int cmp_loc_pos(const void *pa, const void *pb)
{
    const struct loc_pos *a = pa, *b = pb;
    int c = cmp_locations(a->loc, b->loc);

    if (c != 0)
        return c;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Stable: equal locations keep the order they were made in. */
static void stable_sort(struct arena *a, struct ptrvec *v)
{
    struct loc_pos *x = ARENA_NEW_ARRAY(a, struct loc_pos, v->n ? v->n : 1);
    size_t i;

    for (i = 0; i < v->n; i++) {
        x[i].loc = v->v[i];
        x[i].pos = i;
    }
    qsort(x, v->n, sizeof(*x), cmp_loc_pos);
    for (i = 0; i < v->n; i++)
        v->v[i] = x[i].loc;
}

static int cmp_handler_ids(const void *pa, const void *pb)
{
    const struct plan_handler *a = *(const struct plan_handler *const *)pa;
    const struct plan_handler *b = *(const struct plan_handler *const *)pb;

    return strcmp(a->id, b->id);
}

static int cmp_strings(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static void internal_locations(struct server_build *sb)
{
    struct planner *p = sb->p;
    size_t i;

    ptrvec_sort(&sb->internal, cmp_handler_ids);
    for (i = 0; i < sb->internal.n; i++) {
        struct plan_handler *h = sb->internal.v[i];
        struct plan_location *loc;

        if (i > 0 && strcmp(((struct plan_handler *)sb->internal.v[i - 1])->id, h->id) == 0)
            continue;
        loc = ARENA_NEW(p->tmp, struct plan_location);
        loc->kind = h->by_uri ? LOC_INTERNAL : LOC_NAMED;
        loc->path = h->id;
        loc->handler = h;
        /* Below what a dispatching location let through: check here. */
        if (!h->by_uri && sb->max_body >= 0 && plan_policy_body_limit(h) != 0 &&
            (sb->max_body == 0 || plan_policy_body_limit(h) < sb->max_body))
            loc->body_over_variable =
                plan_map_body_over(p, plan_policy_body_limit(h));
        ptrvec_push(p->tmp, &sb->locations, loc);
    }
    ptrvec_sort(&sb->not_found_names, cmp_strings);
    for (i = 0; i < sb->not_found_names.n; i++) {
        struct plan_location *loc = ARENA_NEW(p->tmp, struct plan_location);
        const char *name = sb->not_found_names.v[i];
        if (name[0] != '@')
            BUG("a named location's name without its '@'");
        loc->kind = LOC_NAMED;
        loc->path = name + 1;
        ptrvec_push(p->tmp, &sb->locations, loc);
    }
}

void plan_locations_build(struct planner *p, struct plan_server *srv,
                          const struct server_ctx *sc, struct candidate *cands,
                          size_t n)
{
    struct server_build sb;
    struct ptrvec keys = {0}, regexes = {0};
    struct strhash seen, regex_pos;
    size_t groups = 0, i, *positions;

    memset(&sb, 0, sizeof(sb));
    sb.p = p;
    sb.sc = sc;
    sb.max_body = -1;
    sb.cands = cands;
    sb.n = n;
    strhash_init(&sb.by_path, p->tmp);
    strhash_init(&sb.not_found, p->tmp);
    strhash_init(&seen, p->tmp);
    strhash_init(&regex_pos, p->tmp);
    for (i = 0; i < n; i++)
        groups = cands[i].group >= groups ? cands[i].group + 1 : groups;
    sb.forms = ARENA_NEW_ARRAY(p->tmp, struct path_form, n ? n : 1);
    sb.regex_order = ARENA_NEW_ARRAY(p->tmp, size_t, n ? n : 1);
    sb.handlers = ARENA_NEW_ARRAY(p->o->no_explain ? p->tmp : p->a, struct plan_handler *,
                                  groups ? groups : 1);
    for (i = 0; i < n; i++) {
        struct path_form *f = &sb.forms[i];
        *f = plan_path_form_of(p->a, &cands[i]);
        index_candidate(&sb, i);
        if (f->kind == LOC_EXACT) {
            add_key(p->tmp, &keys, &seen, LOC_EXACT, f->path);
        } else if (f->kind == LOC_PREFIX) {
            add_key(p->tmp, &keys, &seen, LOC_PREFIX, f->path);
            if (strcmp(f->path, "/") != 0)
                add_key(p->tmp, &keys, &seen, LOC_EXACT, f->path);
        } else {
            add_key(p->tmp, &regexes, &seen, LOC_REGEX, f->path);
        }
    }
    add_key(p->tmp, &keys, &seen, LOC_PREFIX, "/"); /* the catch-all: 404 if unclaimed */
    /* A regex candidate's position among the regex locations. */
    positions = ARENA_NEW_ARRAY(p->tmp, size_t, regexes.n ? regexes.n : 1);
    for (i = 0; i < regexes.n; i++) {
        positions[i] = i;
        strhash_put(&regex_pos, ((struct path_form *)regexes.v[i])->path, &positions[i]);
    }
    for (i = 0; i < n; i++) {
        const size_t *at = sb.forms[i].kind == LOC_REGEX
                               ? strhash_get(&regex_pos, sb.forms[i].path) : NULL;
        sb.regex_order[i] = at ? *at : regexes.n;
    }
    for (i = 0; i < keys.n + regexes.n; i++) {
        const struct path_form *k = i < keys.n ? keys.v[i] : regexes.v[i - keys.n];
        struct plan_location *loc = ARENA_NEW(p->tmp, struct plan_location);
        loc->kind = k->kind;
        loc->path = k->path;
        fill_location(&sb, loc, i < keys.n ? regexes.n : i - keys.n);
        ptrvec_push(p->tmp, &sb.locations, loc);
    }
    stable_sort(p->tmp, &sb.locations);
    internal_locations(&sb);
    srv->locations = ARENA_NEW_ARRAY(p->a, struct plan_location, sb.locations.n);
    for (i = 0; i < sb.locations.n; i++)
        srv->locations[i] = *(struct plan_location *)sb.locations.v[i];
    srv->n_locations = sb.locations.n;
    if (!p->o->no_explain) {
        srv->candidates = cands;
        srv->n_candidates = n;
        srv->group_handlers = sb.handlers;
    }
    /* Nothing made in p->tmp outlives the server: its memory serves the
     * next one, so planning's scratch does not grow with the routes. */
    arena_reset(p->tmp);
}
