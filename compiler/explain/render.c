/* An explanation as JSON (for tools and RoutingTests) or as text that
 * names the file:line:col of every object involved. */
#include "explain_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/escape.h"
#include "base/jsonw.h"
#include "base/strbuf.h"
#include "load/load.h"

#include <string.h>

/* "file:line:col" of a node, or NULL. */
static const char *where(struct compilation *c, const struct ynode *n)
{
    struct src_loc loc = ynode_loc(c, n);
    const struct source *s;

    if (loc.file == SOURCE_NONE || !(s = source_get(&c->sources, loc.file)))
        return NULL;
    return arena_printf(c->arena, "%s:%u:%u", s->name, loc.line, loc.col);
}

static const struct object *route_obj(const struct attachment *att)
{
    return &att->route->route->obj;
}

const struct ynode *explain_match_src(const struct candidate *c)
{
    if (c->match && c->match->src)
        return c->match->src;
    if (c->grpc && c->grpc->src)
        return c->grpc->src;
    return c->rule->rule->src;
}

/* ---- JSON ---- */

static void json_opt_string(struct jsonw *w, const char *key, const char *s)
{
    jsonw_key(w, key);
    if (s)
        jsonw_string(w, s);
    else
        jsonw_null(w);
}

static void json_route(struct compilation *c, struct jsonw *w, const struct attachment *att)
{
    const struct object *o = route_obj(att);

    jsonw_kv_object_begin(w, "route");
    jsonw_kv_string(w, "kind", model_kind_name(o->kind));
    jsonw_kv_string(w, "namespace", o->meta.namespace);
    jsonw_kv_string(w, "name", o->meta.name);
    json_opt_string(w, "source", where(c, o->src));
    jsonw_object_end(w);
}

static void json_headers(struct jsonw *w, const char *key, const struct explain_header *h,
                         size_t n)
{
    size_t i;

    jsonw_kv_object_begin(w, key);
    for (i = 0; i < n; i++)
        jsonw_kv_string(w, h[i].name, h[i].value);
    jsonw_object_end(w);
}

static void json_upstream(struct jsonw *w, const struct explain_upstream *u)
{
    size_t i;

    jsonw_key(w, "upstream_request");
    if (!u->path) {
        jsonw_null(w);
        return;
    }
    jsonw_object_begin(w);
    jsonw_kv_string(w, "path", u->path);
    jsonw_kv_string(w, "host", u->host);
    json_headers(w, "headers_set", u->set, u->n_set);
    jsonw_kv_array_begin(w, "headers_removed");
    for (i = 0; i < u->n_removed; i++)
        jsonw_string(w, u->removed[i]);
    jsonw_array_end(w);
    jsonw_object_end(w);
}

static void json_backends(struct compilation *c, struct jsonw *w,
                          const struct explain_result *x)
{
    size_t i;

    jsonw_kv_array_begin(w, "backends");
    for (i = 0; i < x->n_backends; i++) {
        const struct explain_backend *b = &x->backends[i];
        jsonw_object_begin(w);
        if (b->backend) {
            jsonw_kv_string(w, "name", explain_backend_name(c->arena, b->backend));
            jsonw_kv_int(w, "port", b->backend->port_number);
        } else {
            jsonw_kv_int(w, "status", b->status);
        }
        jsonw_kv_int(w, "weight", b->weight);
        jsonw_object_end(w);
    }
    jsonw_array_end(w);
}

static void json_considered(struct compilation *c, struct jsonw *w,
                            const struct explain_result *x)
{
    size_t i;

    jsonw_kv_array_begin(w, "considered");
    for (i = 0; i < x->n_considered; i++) {
        const struct explain_loser *l = &x->considered[i];
        jsonw_object_begin(w);
        json_route(c, w, l->att);
        if (l->cand) {
            jsonw_kv_int(w, "rule", (int64_t)l->cand->rule_index);
            jsonw_kv_int(w, "match", (int64_t)l->cand->match_index);
            json_opt_string(w, "source", where(c, explain_match_src(l->cand)));
        }
        jsonw_kv_string(w, "why_not", l->why_not);
        jsonw_object_end(w);
    }
    jsonw_array_end(w);
}

void explain_write_json(struct compilation *c, const struct explain_request *r,
                        const struct explain_result *x, struct strbuf *out)
{
    struct jsonw w;
    size_t i;

    jsonw_init(&w, out, false);
    jsonw_object_begin(&w);
    jsonw_kv_object_begin(&w, "request");
    jsonw_kv_string(&w, "method", r->method);
    jsonw_kv_string(&w, "url", r->url);
    json_headers(&w, "headers", r->headers, r->n_headers);
    json_opt_string(&w, "sni", r->sni);
    jsonw_object_end(&w);
    if (x->error)
        jsonw_kv_string(&w, "error", x->error);
    json_opt_string(&w, "gateway", x->listener ? x->listener->gateway->gw->obj.nsname : NULL);
    json_opt_string(&w, "listener", x->listener ? x->listener->spec->name : NULL);
    if (x->winner) {
        json_route(c, &w, x->winner->att);
        jsonw_kv_int(&w, "rule", (int64_t)x->winner->rule_index);
        jsonw_kv_int(&w, "match", (int64_t)x->winner->match_index);
    } else {
        jsonw_key(&w, "route");
        jsonw_null(&w);
        jsonw_key(&w, "rule");
        jsonw_null(&w);
        jsonw_key(&w, "match");
        jsonw_null(&w);
    }
    json_backends(c, &w, x);
    jsonw_key(&w, "status");
    if (x->status)
        jsonw_int(&w, x->status);
    else
        jsonw_null(&w);
    json_opt_string(&w, "location", x->location);
    jsonw_kv_array_begin(&w, "filters");
    for (i = 0; i < x->n_filters; i++)
        jsonw_string(&w, x->filters[i]);
    jsonw_array_end(&w);
    json_upstream(&w, &x->upstream);
    json_considered(c, &w, x);
    jsonw_object_end(&w);
    strbuf_addch(out, '\n');
}

/* ---- text ---- */

/* User text as diagnostics show it. */
static void text(struct strbuf *out, const char *s)
{
    escape_text(out, s, strlen(s));
}

static void text_at(struct compilation *c, struct strbuf *out, const struct ynode *n)
{
    const char *at = where(c, n);

    if (at) {
        strbuf_addstr(out, "  (");
        text(out, at);
        strbuf_addch(out, ')');
    }
}

static void text_candidate(struct compilation *c, struct strbuf *out,
                           const struct attachment *att, const struct candidate *cand)
{
    const struct object *o = route_obj(att);

    strbuf_addf(out, "%s ", model_kind_name(o->kind));
    text(out, o->nsname);
    if (cand) {
        strbuf_addf(out, " rule %zu match %zu", cand->rule_index, cand->match_index);
        text_at(c, out, explain_match_src(cand));
    } else {
        text_at(c, out, o->src);
    }
}

void explain_write_text(struct compilation *c, const struct explain_request *r,
                        const struct explain_result *x, struct strbuf *out)
{
    size_t i;

    strbuf_addf(out, "request:   %s ", r->method);
    text(out, r->url);
    if (r->sni) {
        strbuf_addstr(out, " (SNI ");
        text(out, r->sni);
        strbuf_addch(out, ')');
    }
    strbuf_addch(out, '\n');
    if (x->error) {
        strbuf_addstr(out, "no answer: ");
        text(out, x->error);
        strbuf_addch(out, '\n');
        return;
    }
    if (x->listener) {
        const struct object *g = &x->listener->gateway->gw->obj;
        strbuf_addstr(out, "listener:  Gateway ");
        text(out, g->nsname);
        strbuf_addstr(out, " listener ");
        text(out, x->listener->spec->name);
        text_at(c, out, x->listener->spec->src);
        strbuf_addch(out, '\n');
    }
    if (x->winner) {
        strbuf_addstr(out, "route:     ");
        text_candidate(c, out, x->winner->att, x->winner);
        strbuf_addch(out, '\n');
    }
    if (x->n_filters) {
        strbuf_addstr(out, "filters:  ");
        for (i = 0; i < x->n_filters; i++) {
            strbuf_addch(out, ' ');
            text(out, x->filters[i]);
        }
        strbuf_addch(out, '\n');
    }
    if (x->status) {
        strbuf_addf(out, "answer:    %d", x->status);
        if (x->location) {
            strbuf_addstr(out, " Location: ");
            text(out, x->location);
        }
        strbuf_addstr(out, " (");
        text(out, x->status_reason);
        strbuf_addstr(out, ")\n");
    }
    for (i = 0; i < x->n_backends && !x->status; i++) {
        const struct explain_backend *b = &x->backends[i];
        strbuf_addstr(out, i ? "           " : "backends:  ");
        if (b->backend) {
            text(out, explain_backend_name(c->arena, b->backend));
            strbuf_addf(out, ":%lld weight %lld", (long long)b->backend->port_number,
                        (long long)b->weight);
            text_at(c, out, b->backend->ref->src);
        } else {
            strbuf_addf(out, "status %d weight %lld", b->status, (long long)b->weight);
        }
        strbuf_addch(out, '\n');
    }
    if (x->upstream.path) {
        strbuf_addstr(out, "upstream:  ");
        text(out, x->upstream.path);
        strbuf_addstr(out, " Host: ");
        text(out, x->upstream.host);
        strbuf_addch(out, '\n');
        for (i = 0; i < x->upstream.n_set; i++) {
            strbuf_addstr(out, "           set ");
            text(out, x->upstream.set[i].name);
            strbuf_addstr(out, ": ");
            text(out, x->upstream.set[i].value);
            strbuf_addch(out, '\n');
        }
        for (i = 0; i < x->upstream.n_removed; i++) {
            strbuf_addstr(out, "           remove ");
            text(out, x->upstream.removed[i]);
            strbuf_addch(out, '\n');
        }
    }
    if (x->n_considered)
        strbuf_addstr(out, "considered:\n");
    for (i = 0; i < x->n_considered; i++) {
        strbuf_addstr(out, "  ");
        text_candidate(c, out, x->considered[i].att, x->considered[i].cand);
        strbuf_addstr(out, "\n    ");
        text(out, x->considered[i].why_not);
        strbuf_addch(out, '\n');
    }
}
