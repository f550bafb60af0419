/* The plan's driver: servers (and with them maps, splits, upstreams and
 * files), then the sizes nginx's hash tables need for what was made. */
#include "plan_internal.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <stdalign.h>
#include <stddef.h>
#include <string.h>

static int cmp_upstreams(const void *pa, const void *pb)
{
    const struct plan_upstream *a = *(const struct plan_upstream *const *)pa;
    const struct plan_upstream *b = *(const struct plan_upstream *const *)pb;

    return strcmp(a->name, b->name);
}

static int cmp_files(const void *pa, const void *pb)
{
    const struct plan_file *a = *(const struct plan_file *const *)pa;
    const struct plan_file *b = *(const struct plan_file *const *)pb;

    return strcmp(a->path, b->path);
}

static int cmp_splits(const void *pa, const void *pb)
{
    const struct plan_split *a = *(const struct plan_split *const *)pa;
    const struct plan_split *b = *(const struct plan_split *const *)pb;

    return strcmp(a->variable, b->variable);
}

/*
 * nginx stores each key of a hash as a pointer plus the name padded to a
 * pointer, and ends a bucket with a pointer.  A bucket that holds only the
 * longest key is enough for a few keys, but with many keys nginx must find
 * a table size (up to the max) where no bucket overflows: with room for one
 * key each, that is a perfect hash, which it stops finding after a few dozen
 * names and warns ("could not build optimal server_names_hash").  Past 16
 * names, room for four keys per bucket makes an overflow at the quarter load
 * of the max size unlikely.
 */
static unsigned bucket_for(size_t longest, size_t keys_per_bucket)
{
    size_t key = sizeof(void *) + ((longest + 2 + sizeof(void *) - 1) & ~(sizeof(void *) - 1));
    size_t need = keys_per_bucket * key + sizeof(void *);
    unsigned b = 64;

    while (b < need)
        b *= 2;
    return b;
}

/* One bucket size serves every map of a section: the longest exact key,
 * and room for four keys once some map has many. */
static unsigned map_bucket(const struct plan_section *sec)
{
    size_t longest = 0, most = 0, i, j;

    for (i = 0; i < sec->n_maps; i++) {
        most = sec->maps[i].n_entries > most ? sec->maps[i].n_entries : most;
        for (j = 0; j < sec->maps[i].n_entries; j++) {
            size_t n = strlen(sec->maps[i].entries[j].key);
            if (sec->maps[i].entries[j].kind != MAP_KEY_REGEX && n > longest)
                longest = n;
        }
    }
    return bucket_for(longest, most > 16 ? 4 : 1);
}

static size_t longer(size_t n, const char *s)
{
    size_t m = strlen(s);

    return m > n ? m : n;
}

/* proxy_set_header and proxy_hide_header names go into one hash per
 * location (proxy_headers_hash): the longest name a handler sets, adds,
 * removes or hides, and the most names one location has.  (gRPC's hash
 * has a fixed bucket size: validation refused names too long for it.) */
static void header_names(const struct plan_handler *h, size_t *longest, size_t *most)
{
    size_t i, n = 0;

    if (!h)
        return;
    for (i = 0; !h->grpc && i < h->n_request_headers; i++, n++)
        *longest = longer(*longest, h->request_headers[i].name);
    for (i = 0; !h->grpc && i < h->n_response_headers; i++, n++)
        *longest = longer(*longest, h->response_headers[i].name);
    *most = n > *most ? n : *most;
    for (i = 0; h->split && i < h->split->n_backends; i++)
        header_names(h->split->backends[i], longest, most);
    for (i = 0; i < plan_handler_extra(h)->n_mirrors; i++)
        header_names(plan_handler_extra(h)->mirrors[i], longest, most);
}

/* The location of an externalAuth subrequest sets only its own headers:
 * the client headers it passes, setRequestHeaders, and gwc's ten fixed
 * ones (emit_policy.c), of which X-Auth-Request-Redirect is the longest. */
static void auth_header_names(const struct plan_auth *a, size_t *longest, size_t *most)
{
    size_t i, n = 10 + a->n_request_headers + a->n_set_headers;

    *longest = longer(*longest, "X-Auth-Request-Redirect");
    for (i = 0; i < a->n_request_headers; i++)
        *longest = longer(*longest, a->request_headers[i]);
    for (i = 0; i < a->n_set_headers; i++)
        *longest = longer(*longest, a->set_headers[i].name);
    *most = n > *most ? n : *most;
}

static unsigned proxy_headers_bucket(const struct plan *plan)
{
    size_t longest = 0, most = 0, auth_most = 0, names, i, j;
    unsigned b;

    for (i = 0; i < plan->n_servers; i++) {
        for (j = 0; j < plan->servers[i]->n_locations; j++)
            header_names(plan->servers[i]->locations[j].handler, &longest, &most);
        for (j = 0; j < plan->servers[i]->n_auths; j++)
            auth_header_names(plan->servers[i]->auths[j], &longest, &auth_most);
    }
    /* A routing location also has the 8 short base names
     * (templates/proxy_headers.conf). */
    names = most + 8 > auth_most ? most + 8 : auth_most;
    b = bucket_for(longest, names > 16 ? 4 : 1);
    return b > 64 ? b : 0;
}

static void hash_sizes(struct plan *plan)
{
    const struct plan_section *h = &plan->http;
    size_t longest_name = 0, names = 0, i, j;

    for (i = 0; i < plan->n_servers; i++) {
        for (j = 0; j < plan->servers[i]->n_names; j++) {
            size_t n = strlen(plan->servers[i]->names[j]);
            longest_name = n > longest_name ? n : longest_name;
            names++;
        }
    }
    plan->server_names_bucket = bucket_for(longest_name, names > 16 ? 4 : 1);
    plan->server_names_max = names * 4 > 512 ? (unsigned)names * 4 : 512;
    plan->http.map_bucket = map_bucket(&plan->http);
    plan->stream.map_bucket = map_bucket(&plan->stream);
    plan->variables_bucket = 128; /* gw_ names are short; $http_<header> may not be */
    plan->proxy_headers_bucket = proxy_headers_bucket(plan);
    plan->variables_max = h->n_maps * 4 + h->n_splits * 2 > 1024
                              ? (unsigned)(h->n_maps * 4 + h->n_splits * 2)
                              : 1024;
}

/* The plan keeps arrays of values; the builders collected pointers. */
static void *copy_out(struct arena *a, const struct ptrvec *v, size_t size,
                      size_t *n)
{
    char *out = arena_alloc_array(a, v->n ? v->n : 1, size, alignof(max_align_t));
    size_t i;

    for (i = 0; i < v->n; i++)
        memcpy(out + i * size, v->v[i], size);
    *n = v->n;
    return out;
}

static void finish_section(struct planner *p, struct section_builder *sb,
                           struct plan_section *out)
{
    size_t i;

    plan_maps_finish(p, sb, out);
    ptrvec_sort(&sb->upstreams, cmp_upstreams);
    ptrvec_sort(&sb->splits, cmp_splits);
    out->upstreams = ARENA_NEW_ARRAY(p->a, struct plan_upstream *,
                                     sb->upstreams.n ? sb->upstreams.n : 1);
    for (i = 0; i < sb->upstreams.n; i++)
        out->upstreams[i] = sb->upstreams.v[i];
    out->n_upstreams = sb->upstreams.n;
    out->splits = copy_out(p->a, &sb->splits, sizeof(*out->splits), &out->n_splits);
    if (sb->needs_resolver)
        out->resolver = p->o->resolver ? p->o->resolver : PLAN_DEFAULT_RESOLVER;
}

static void section_init(struct planner *p, struct section_builder *sb)
{
    strhash_init(&sb->maps_by_name, p->a);
    strhash_init(&sb->dispatch_by_content, p->a);
    strhash_init(&sb->splits_by_content, p->a);
    strhash_init(&sb->upstreams_by_name, p->a);
}

/* Room for the upstreams in one table, not a table per doubling left
 * behind: about one per backend, and no more than the Services' ports,
 * which backends share (a hint: the table grows past it if need be). */
static void reserve_upstreams(struct planner *p)
{
    const struct ptrvec *services = &p->ctl->model->objects[KIND_SERVICE];
    size_t i, j, backends = 0, ports = 0;

    for (i = 0; i < p->ctl->n_routes; i++) {
        const struct route_state *rs = &p->ctl->routes[i];
        for (j = 0; j < rs->n_rules; j++)
            backends += rs->rules[j].n_backends + rs->rules[j].n_mirrors;
    }
    for (i = 0; i < services->n; i++)
        ports += ((const struct service *)services->v[i])->n_ports;
    strhash_reserve(&p->http.upstreams_by_name, backends < ports ? backends : ports);
}

void plan_build(struct compilation *c, const struct controller *ctl,
                const struct plan_options *o, struct plan *out)
{
    struct planner p;

    memset(out, 0, sizeof(*out));
    memset(&p, 0, sizeof(p));
    p.c = c;
    p.a = c->arena;
    p.ctl = ctl;
    p.o = o;
    p.plan = out;
    p.tmp = arena_create((size_t)64 << 10);
    section_init(&p, &p.http);
    section_init(&p, &p.stream);
    reserve_upstreams(&p);
    strhash_init(&p.files_by_path, p.a);
    strhash_init(&p.zones_by_name, p.a);
    strhash_init(&p.geos_by_name, p.a);
    strhash_init(&p.ids_by_text, p.a);
    strhash_init(&p.texts_by_id, p.a);
    p.sec = &p.stream;
    plan_stream_build(&p);
    p.sec = &p.http;
    plan_servers_build(&p);
    finish_section(&p, &p.http, &out->http);
    plan_policy_zones_finish(&p);
    finish_section(&p, &p.stream, &out->stream);
    ptrvec_sort(&p.files, cmp_files);
    out->stream_servers = copy_out(p.a, &p.stream_servers, sizeof(*out->stream_servers),
                                   &out->n_stream_servers);
    out->files = copy_out(p.a, &p.files, sizeof(*out->files), &out->n_files);
    hash_sizes(out);
    arena_destroy(p.tmp);
}
