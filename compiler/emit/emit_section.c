/*
 * The blocks a section (http{} or stream{}) shares between its servers:
 * maps, split_clients and upstreams, each in the plan's sorted order.
 */
#include "emit_internal.h"

#include "base/strbuf.h"

#include <stdio.h>
#include <string.h>

static void emit_map(struct confw *w, const struct plan_map *m)
{
    size_t i;

    confw_begin(w, "map");
    confw_text(w, &m->source);
    confw_rawf(w, "$%s", m->variable);
    confw_open(w);
    if (m->hostnames) {
        confw_begin(w, "hostnames");
        confw_end(w);
    }
    for (i = 0; i < m->n_entries; i++) {
        const struct plan_map_entry *e = &m->entries[i];

        confw_begin(w, "");
        if (e->kind == MAP_KEY_REGEX) {
            struct strbuf key = STRBUF_INIT;
            strbuf_addch(&key, '~');
            strbuf_addstr(&key, e->key);
            nginx_quote_token(w->out, key.buf, QUOTE_REGEX);
            strbuf_release(&key);
        } else {
            nginx_quote_map_key(w->out, e->key);
        }
        confw_text(w, &e->value);
        confw_end(w);
    }
    confw_begin(w, "default");
    confw_text(w, &m->default_value);
    confw_end(w);
    confw_close(w);
}

static void emit_split(struct confw *w, const struct plan_split *s, const char *key)
{
    size_t i;

    confw_begin(w, "split_clients");
    confw_rawf(w, "\"%s%s\"", s->salt ? s->salt : "", key); /* gwc's own words */
    confw_rawf(w, "$%s", s->variable);
    confw_open(w);
    for (i = 0; i < s->n_entries; i++) {
        const struct plan_split_entry *e = &s->entries[i];
        if (e->hundredths)
            confw_begin(w, "");
        else
            confw_begin(w, "*");
        if (e->hundredths)
            strbuf_addf(w->out, "%u.%02u%%", e->hundredths / 100,
                        e->hundredths % 100);
        confw_quoted(w, e->value, QUOTE_LITERAL); /* split_clients never expands */
        confw_end(w);
    }
    confw_close(w);
}

static void emit_upstream(struct confw *w, const struct plan_upstream *u)
{
    size_t i;
    unsigned r;

    confw_begin(w, "upstream");
    confw_raw(w, u->name); /* gw_<namespace>_<service>_<port>: DNS labels */
    confw_open(w);
    if (u->least_conn)
        confw_template(w, "least_conn;");
    if (u->hash_key) {
        confw_begin(w, "hash");
        confw_rawf(w, "$%s", u->hash_key); /* a variable gwc named */
        confw_raw(w, "consistent");
        confw_end(w);
    }
    for (r = 0; r < u->repeat; r++) {
        for (i = 0; i < u->n_servers; i++) {
            confw_begin(w, "server");
            confw_quoted(w, u->servers[i], QUOTE_LITERAL);
            if (u->repeat > 1)
                confw_raw(w, "max_fails=0");
            if (r > 0 && u->copies_are_backups)
                confw_raw(w, "backup");
            confw_end(w);
        }
    }
    if (u->keepalive && u->keepalive_connections != 0) {
        confw_number(w, "keepalive", u->keepalive_connections);
        if (u->keepalive_requests != INT_UNSET) {
            confw_number(w, "keepalive_requests", u->keepalive_requests);
        }
        if (u->keepalive_timeout)
            confw_directive(w, "keepalive_timeout", u->keepalive_timeout, QUOTE_LITERAL);
        if (u->keepalive_time)
            confw_directive(w, "keepalive_time", u->keepalive_time, QUOTE_LITERAL);
    }
    confw_close(w);
}

/* Maps, splits and upstreams of http{} or stream{}; splits hash `key`. */
void emit_section(struct confw *w, const struct plan_section *sec, const char *key)
{
    size_t i;

    for (i = 0; i < sec->n_maps; i++)
        emit_map(w, &sec->maps[i]);
    for (i = 0; i < sec->n_splits; i++)
        emit_split(w, &sec->splits[i], key);
    for (i = 0; i < sec->n_upstreams; i++)
        emit_upstream(w, sec->upstreams[i]);
}
