/*
 * Maps: the conditions nginx evaluates per request without njs (docs/nginx-recipes.md, "Named-location dispatch through shared maps").
 * One map per distinct condition gives "1" or "0"; conditions are shared by
 * every location that needs them.  Variable names are hashed ids of the
 * content (ids.c), so they never depend on the order things were seen, and
 * two different contents never share a map.
 */
#include "plan_internal.h"

#include "nginx/vars.h"

#include "base/arena.h"
#include "base/strbuf.h"
#include "base/strhash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The id of the pair (a, b).  "\xff" between them: a separator no string
 * of a manifest contains (invalid UTF-8 is refused on load). */
static const char *pair_id(struct planner *p, const char *a, const char *b)
{
    char buf[256];
    int n = snprintf(buf, sizeof(buf), "%s\xff%s", a, b);

    if (n < 0 || (size_t)n >= sizeof(buf))
        return plan_id(p, arena_printf(p->a, "%s\xff%s", a, b));
    return plan_id(p, buf);
}

static struct plan_map *map_in(struct arena *a, struct plan_text source,
                               const char *variable)
{
    struct plan_map *m = ARENA_NEW(a, struct plan_map);

    m->source = source;
    m->variable = variable;
    m->default_value = plan_text_literal(a, "");
    return m;
}

struct plan_map *plan_map_draft(struct planner *p, struct plan_text source,
                                const char *variable)
{
    return map_in(p->tmp, source, variable);
}

static void map_register(struct planner *p, struct plan_map *m)
{
    ptrvec_push(p->a, &p->sec->maps, m);
    strhash_put(&p->sec->maps_by_name, m->variable, m);
}

struct plan_map *plan_map_new(struct planner *p, struct plan_text source,
                              const char *variable)
{
    struct plan_map *m = map_in(p->a, source, variable);

    map_register(p, m);
    return m;
}

static struct plan_text copy_text(struct arena *a, const struct plan_text *t)
{
    struct plan_text c = plan_text_new(a, t->n);
    size_t i;

    for (i = 0; i < t->n; i++) {
        c.parts[i].variable = t->parts[i].variable;
        c.parts[i].text = arena_strdup(a, t->parts[i].text);
    }
    c.n = t->n;
    return c;
}

/* A draft, out of the scratch into the plan. */
static struct plan_map *copy_map(struct arena *a, const struct plan_map *d)
{
    struct plan_map *m = map_in(a, copy_text(a, &d->source), arena_strdup(a, d->variable));
    size_t i;

    m->hostnames = d->hostnames;
    m->default_value = copy_text(a, &d->default_value);
    m->entries = ARENA_NEW_ARRAY(a, struct plan_map_entry, d->n_entries ? d->n_entries : 1);
    for (i = 0; i < d->n_entries; i++) {
        m->entries[i].kind = d->entries[i].kind;
        m->entries[i].key = arena_strdup(a, d->entries[i].key);
        m->entries[i].value = copy_text(a, &d->entries[i].value);
    }
    m->n_entries = m->entries_cap = d->n_entries;
    return m;
}

/* Appends tag and then n in decimal: the framing of content keys, made for
 * every dispatch map (printf was most of their cost). */
static void add_count(struct strbuf *sb, char tag, size_t n, char end)
{
    char digits[STR_DEC_MAX];
    const char *d = str_dec(digits, n);

    if (tag)
        strbuf_addch(sb, tag);
    strbuf_add(sb, d, (size_t)(digits + STR_DEC_MAX - d));
    strbuf_addch(sb, end);
}

/* Appends t so that different texts never give the same bytes: each part
 * is tagged and length-prefixed. */
static void key_text(struct strbuf *sb, const struct plan_text *t)
{
    size_t i;

    add_count(sb, 0, t->n, '{');
    for (i = 0; i < t->n; i++) {
        add_count(sb, t->parts[i].variable ? '$' : '"', strlen(t->parts[i].text), ':');
        strbuf_addstr(sb, t->parts[i].text);
    }
    strbuf_addch(sb, '}');
}

/* Everything that makes a map what it is, except its variable's name. */
static void content_key(struct strbuf *sb, const struct plan_map *m)
{
    size_t i;

    strbuf_addch(sb, m->hostnames ? 'h' : '-');
    key_text(sb, &m->source);
    key_text(sb, &m->default_value);
    for (i = 0; i < m->n_entries; i++) {
        const struct plan_map_entry *e = &m->entries[i];
        add_count(sb, (char)('0' + (int)e->kind), strlen(e->key), ':');
        strbuf_addstr(sb, e->key);
        key_text(sb, &e->value);
    }
}

/* Only maps that went through here are compared: dispatch maps, whose
 * sources (condition flags) no other kind of map reads.  The key is kept
 * only for a new map: most dispatch maps are shared. */
const char *plan_map_intern(struct planner *p, const struct plan_map *draft)
{
    struct strbuf sb = STRBUF_INIT;
    struct plan_map *same;
    void **slot;

    content_key(&sb, draft);
    same = strhash_get(&p->sec->dispatch_by_content, sb.buf);
    if (!same) {
        slot = strhash_slot(&p->sec->dispatch_by_content,
                            arena_strndup(p->a, sb.buf, sb.len));
        *slot = same = copy_map(p->a, draft);
        map_register(p, same);
    }
    strbuf_release(&sb);
    return same->variable;
}

static void add_in(struct arena *a, struct plan_map *m, enum map_key_kind kind,
                   const char *key, struct plan_text value)
{
    struct plan_map_entry *e;

    ARENA_GROW(a, struct plan_map_entry, m->entries, m->n_entries, m->entries_cap, 4);
    e = &m->entries[m->n_entries++];
    e->kind = kind;
    e->key = key;
    e->value = value;
}

void plan_map_add(struct planner *p, struct plan_map *m, enum map_key_kind kind,
                  const char *key, struct plan_text value)
{
    add_in(p->a, m, kind, key, value);
}

void plan_map_draft_add(struct planner *p, struct plan_map *m, enum map_key_kind kind,
                        const char *key, struct plan_text value)
{
    add_in(p->tmp, m, kind, key, value);
}

/* A map named from its content: found again when asked again. */
static struct plan_map *content_map(struct planner *p, const char *prefix,
                                    const char *source_variable,
                                    const char *content, bool *created)
{
    const char *id = pair_id(p, source_variable, content);
    size_t np = strlen(prefix), ni = strlen(id);
    char buf[64];
    /* Built in buf, and kept only for a new map: most are found again. */
    char *name = np + ni < sizeof(buf) ? buf : arena_alloc(p->a, np + ni + 1, 1);
    struct plan_map *m;

    memcpy(name, prefix, np);
    memcpy(name + np, id, ni + 1);
    m = strhash_get(&p->sec->maps_by_name, name);
    *created = !m;
    return m ? m
             : plan_map_new(p, plan_text_variable(p->a, source_variable),
                            name == buf ? arena_strndup(p->a, buf, np + ni) : name);
}

const char *plan_map_condition(struct planner *p, const char *source_variable,
                               const char *pattern)
{
    bool created;
    struct plan_map *m = content_map(p, "gw_c", source_variable, pattern, &created);

    if (created) {
        plan_map_add(p, m, MAP_KEY_REGEX, pattern, plan_text_literal(p->a, "1"));
        m->default_value = plan_text_literal(p->a, "0");
    }
    return m->variable;
}

/* map $source: the value of the first `name=value` in a list whose items
 * start after `separator` (a regex), the name matched exactly and
 * case-sensitively (nginx's $arg_x and $cookie_x ignore case). */
static const char *map_list_value(struct planner *p, const char *prefix, const char *source,
                                  const char *separator, char end, const char *name)
{
    bool created;
    struct plan_map *m = content_map(p, prefix, source, name, &created);

    if (created) {
        struct strbuf re = STRBUF_INIT;
        char capture[48];
        snprintf(capture, sizeof(capture), "%sv%s", prefix, m->variable + strlen(prefix));
        strbuf_addf(&re, "(?:^|%s)", separator);
        nginx_quote_regex_literal(&re, name);
        strbuf_addf(&re, "=(?<%s>[^%c]*)", capture, end);
        plan_map_add(p, m, MAP_KEY_REGEX, arena_strdup(p->a, re.buf),
                     plan_text_variable(p->a, arena_strdup(p->a, capture)));
        strbuf_release(&re);
    }
    return m->variable;
}

const char *plan_map_query_value(struct planner *p, const char *name)
{
    return map_list_value(p, "gw_q", "args", "&", '&', name);
}

const char *plan_map_cookie_value(struct planner *p, const char *name)
{
    return map_list_value(p, "gw_k", "http_cookie", ";\\s*", ';', name);
}

const char *plan_hashed_id(struct planner *p, const char *text)
{
    return pair_id(p, "gwc-policy", text);
}

/* value when $source is not empty, else "": the regex "." never matches an
 * empty value, so that takes the default. */
static const char *when_set(struct planner *p, const char *prefix, const char *source,
                            const char *content, struct plan_text value)
{
    bool created;
    struct plan_map *m = content_map(p, prefix, source, content, &created);

    if (created)
        plan_map_add(p, m, MAP_KEY_REGEX, ".", value);
    return m->variable;
}

const char *plan_map_header_prefix(struct planner *p, const char *header_variable)
{
    /* An absent header gives "", a present one "value,". */
    struct plan_text t = plan_text_new(p->a, 2);

    plan_text_var(&t, header_variable);
    plan_text_lit(&t, ",");
    return when_set(p, VARS_HEADER_ADD_PREFIX, header_variable, "add", t);
}

const char *plan_map_when_set(struct planner *p, const char *source_variable,
                              struct plan_text value)
{
    struct strbuf content = STRBUF_INIT;
    const char *v;

    key_text(&content, &value);
    v = when_set(p, "gw_v", source_variable, content.buf, value);
    strbuf_release(&content);
    return v;
}

const char *plan_map_allowed(struct planner *p, const char *prefix,
                             const char *source_variable,
                             const char *const *patterns, size_t n)
{
    struct strbuf content = STRBUF_INIT;
    struct plan_map *m;
    bool created;
    size_t i;

    /* Patterns hold no newline (they are anchored one-line regexes). */
    for (i = 0; i < n; i++)
        strbuf_addf(&content, "%s\n", patterns[i]);
    m = content_map(p, prefix, source_variable, content.buf, &created);
    strbuf_release(&content);
    for (i = 0; created && i < n; i++)
        plan_map_add(p, m, MAP_KEY_REGEX, patterns[i],
                     plan_text_variable(p->a, source_variable));
    return m->variable;
}

static int cmp_maps(const void *pa, const void *pb)
{
    const struct plan_map *a = *(const struct plan_map *const *)pa;
    const struct plan_map *b = *(const struct plan_map *const *)pb;

    return strcmp(a->variable, b->variable);
}

void plan_maps_finish(struct planner *p, struct section_builder *sb,
                      struct plan_section *out)
{
    size_t i;

    ptrvec_sort(&sb->maps, cmp_maps);
    out->maps = ARENA_NEW_ARRAY(p->a, struct plan_map, sb->maps.n);
    for (i = 0; i < sb->maps.n; i++)
        out->maps[i] = *(struct plan_map *)sb->maps.v[i];
    out->n_maps = sb->maps.n;
}
