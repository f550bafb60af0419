/*
 * The http{} fragment: defaults, maps, splits, upstreams, then servers with
 * their locations, in that fixed order.  Every value of the plan that came
 * from a manifest is written with confw_quoted()/confw_text().
 */
#include "emit_internal.h"

#include "base/arena.h"
#include "base/strbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static void text_push(struct plan_text *t, bool variable, const char *s)
{
    if (t->n == t->cap)
        BUG("emitter text built past its capacity");
    t->parts[t->n].variable = variable;
    t->parts[t->n++].text = s;
}

/* ---- maps and splits ---- */

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
            confw_end(w);
        }
    }
    if (u->keepalive && u->keepalive_connections != 0) {
        confw_begin(w, "keepalive");
        confw_rawf(w, "%lld", (long long)u->keepalive_connections);
        confw_end(w);
        if (u->keepalive_requests != INT_UNSET) {
            confw_begin(w, "keepalive_requests");
            confw_rawf(w, "%lld", (long long)u->keepalive_requests);
            confw_end(w);
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
        emit_upstream(w, &sec->upstreams[i]);
}

/* ---- handlers ---- */

/*
 * Hands the request to the named location a variable holds.  error_page
 * with "=" keeps the method, the URI as the client sent it and the status
 * of what the named location answers (a rewrite would be an internal
 * redirect, after which proxy_pass must be given $request_uri, and a
 * proxy_pass with a variable costs nginx an SSL context per location while
 * loading).  418 is never sent.
 */
static void jump(struct confw *w, const struct plan_text *target)
{
    confw_begin(w, "error_page");
    confw_raw(w, "418 =");
    confw_text(w, target);
    confw_end(w);
    confw_begin(w, "return");
    confw_raw(w, "418");
    confw_end(w);
}

static bool user_sets(const struct plan_handler *h, const char *name)
{
    size_t i;

    if (h->rewrite_host && str_eq_nocase(name, "Host"))
        return true;
    for (i = 0; i < h->n_request_headers; i++) {
        if (str_eq_nocase(h->request_headers[i].name, name))
            return true;
    }
    return false;
}

static void include_base_headers(struct confw *w, bool grpc)
{
    confw_begin(w, "include");
    confw_raw(w, grpc ? EMIT_GRPC_HEADERS_FILE : EMIT_PROXY_HEADERS_FILE);
    confw_end(w);
}

static const char *next_line(const char *line)
{
    const char *nl = strchr(line, '\n');

    return nl ? nl + 1 : line + strlen(line);
}

/* The header a template line sets ("<directive> <name> <value>;"). */
static bool line_header(const char *line, char *hdr, size_t cap)
{
    const char *name = strchr(line, ' ');
    size_t n;

    if (!name)
        return false;
    n = strcspn(++name, " \n");
    if (n == 0 || n >= cap)
        return false;
    memcpy(hdr, name, n);
    hdr[n] = '\0';
    return true;
}

/* The base request headers (templates/proxy_headers.conf, grpc_headers.conf):
 * a location-level proxy_set_header (grpc_set_header) replaces all the
 * inherited ones, so they are repeated: by including their file, or, when
 * the route sets one of them itself, line by line without it (both lines
 * would be sent). */
static void base_request_headers(struct confw *w, const struct plan_handler *h)
{
    const char *base = h->grpc ? template_grpc_headers_conf : template_proxy_headers_conf;
    const char *line;
    char hdr[64];
    bool overridden = false;

    for (line = base; *line; line = next_line(line))
        overridden |= line_header(line, hdr, sizeof(hdr)) && user_sets(h, hdr);
    if (!overridden) {
        include_base_headers(w, h->grpc);
        return;
    }
    for (line = base; *line; line = next_line(line)) {
        if (line_header(line, hdr, sizeof(hdr)) && !user_sets(h, hdr)) {
            confw_begin(w, "");
            strbuf_add(w->out, line, strcspn(line, "\n"));
            strbuf_addch(w->out, '\n');
        }
    }
}

static void request_headers(struct confw *w, const struct plan_handler *h)
{
    const char *directive = h->grpc ? "grpc_set_header" : "proxy_set_header";
    size_t i;

    if (!h->n_request_headers && !h->rewrite_host)
        return;
    base_request_headers(w, h);
    if (h->rewrite_host) {
        confw_begin(w, directive);
        confw_raw(w, "Host");
        confw_quoted(w, h->rewrite_host, QUOTE_VALUE);
        confw_end(w);
    }
    for (i = 0; i < h->n_request_headers; i++) {
        const struct plan_header *x = &h->request_headers[i];
        struct plan_part parts[2];
        struct plan_text t = {parts, 0, 2};

        confw_begin(w, directive);
        confw_quoted(w, x->name, QUOTE_LITERAL);
        if (x->op == HEADER_ADD && x->add_variable) {
            parts[t.n].variable = true;
            parts[t.n++].text = x->add_variable;
        }
        if (x->value_variable) {
            parts[t.n].variable = true;
            parts[t.n++].text = x->value_variable;
        } else if (x->op != HEADER_REMOVE) {
            parts[t.n].variable = false;
            parts[t.n++].text = x->value;
        }
        confw_text(w, &t);
        confw_end(w);
    }
}

static void response_headers(struct confw *w, const struct plan_handler *h)
{
    size_t i;

    for (i = 0; i < h->n_response_headers; i++) {
        const struct plan_header *x = &h->response_headers[i];
        if (x->op != HEADER_ADD)
            confw_directive(w, h->grpc ? "grpc_hide_header" : "proxy_hide_header",
                             x->name, QUOTE_LITERAL);
        if (x->op == HEADER_REMOVE)
            continue;
        confw_begin(w, "add_header");
        confw_quoted(w, x->name, QUOTE_LITERAL);
        confw_quoted(w, x->value, QUOTE_VALUE);
        confw_raw(w, "always");
        confw_end(w);
    }
}

static void add_header_text(struct confw *w, const char *name,
                            const struct plan_text *t)
{
    confw_begin(w, "add_header");
    confw_raw(w, name);
    confw_text(w, t);
    confw_raw(w, "always");
    confw_end(w);
}

/* CORS headers on every response of the route (each empty, so absent,
 * when the Origin is not allowed), and preflights answered here. */
static void cors(struct confw *w, const struct plan_cors *c)
{
    struct plan_part part = {true, NULL};
    struct plan_text t = {&part, 1, 1};
    size_t i;

    for (i = 0; i < c->n_headers; i++) {
        part.text = c->headers[i].variable;
        add_header_text(w, c->headers[i].name, &t);
    }
    confw_begin(w, "if");
    confw_rawf(w, "($%s)", c->preflight_variable);
    confw_open(w);
    confw_begin(w, "return");
    confw_raw(w, "204");
    confw_end(w);
    confw_close(w);
}

static void return_text(struct confw *w, int status, const struct plan_text *t)
{
    confw_begin(w, "return");
    confw_rawf(w, "%d", status);
    confw_text(w, t);
    confw_end(w);
}

/* The Location's steps (plan/uris.c): the first whose regex matches the raw
 * $request_uri answers. */
static void redirect(struct confw *w, const struct plan_redirect *r)
{
    size_t i;

    for (i = 0; i < r->n_steps; i++) {
        const struct plan_uri_step *s = &r->steps[i];

        if (s->regex) {
            confw_begin(w, "if");
            strbuf_addstr(w->out, " ($request_uri ~");
            confw_quoted(w, s->regex, QUOTE_REGEX);
            strbuf_addch(w->out, ')');
            confw_open(w);
        }
        return_text(w, r->status, &s->text);
        if (s->regex)
            confw_close(w);
    }
}

/* ---- where the request goes ---- */

void emit_tls_to_backend(struct confw *w, const struct plan_target *t)
{
    const char *p = t->grpc ? "grpc_ssl_" : "proxy_ssl_";
    char d[48];

    snprintf(d, sizeof(d), "%sserver_name", p);
    confw_directive(w, d, "on", QUOTE_LITERAL);
    snprintf(d, sizeof(d), "%sname", p);
    confw_directive(w, d, t->tls_name, QUOTE_VALUE);
    snprintf(d, sizeof(d), "%sverify", p);
    confw_directive(w, d, "on", QUOTE_LITERAL);
    snprintf(d, sizeof(d), "%strusted_certificate", p);
    confw_directive(w, d, t->tls_ca_file, QUOTE_LITERAL);
    if (t->tls_client_cert_file) {
        snprintf(d, sizeof(d), "%scertificate", p);
        confw_directive(w, d, t->tls_client_cert_file, QUOTE_LITERAL);
        snprintf(d, sizeof(d), "%scertificate_key", p);
        confw_directive(w, d, t->tls_client_key_file, QUOTE_LITERAL);
    }
}

/*
 * proxy_pass in its three forms (docs/nginx-recipes.md, "URL rewrites"):
 *   handled where the request arrived, or in the named location it was
 *   handed to: the client's URI, unchanged;
 *   in an internal location (a mirror): $request_uri, the raw original;
 *   after a path rewrite: the rewritten URI, which nginx escapes.
 * A Service resolved at run time goes through a variable, which makes
 * nginx use its resolver per request.
 */
static void pass(struct confw *w, const struct plan_handler *h, bool internal)
{
    const struct plan_target *t = &h->target;
    struct plan_part parts[4];
    struct plan_text url = {parts, 0, 4};

    if (t->status) {
        confw_begin(w, "return");
        confw_rawf(w, "%d", t->status);
        confw_end(w);
        return;
    }
    if (t->tls)
        emit_tls_to_backend(w, t);
    if (t->address) {
        confw_begin(w, "set");
        confw_raw(w, "$gw_backend");
        confw_quoted(w, t->address, QUOTE_VALUE);
        confw_end(w);
    }
    text_push(&url, false, t->grpc ? (t->tls ? "grpcs://" : "grpc://")
                                   : (t->tls ? "https://" : "http://"));
    if (t->address)
        text_push(&url, true, "gw_backend");
    else
        text_push(&url, false, t->upstream);
    if (!t->grpc && internal && h->rewrite == REWRITE_NONE)
        text_push(&url, true, "request_uri");
    confw_begin(w, t->grpc ? "grpc_pass" : "proxy_pass");
    confw_text(w, &url);
    confw_end(w);
}

static void rewrite(struct confw *w, const char *regex, const struct plan_text *t)
{
    confw_begin(w, "rewrite");
    if (strcmp(regex, "^") == 0)
        confw_raw(w, regex);
    else
        confw_quoted(w, regex, QUOTE_REGEX);
    confw_text(w, t);
    confw_raw(w, "break");
    confw_end(w);
}

static void rewrites(struct confw *w, const struct plan_handler *h, bool internal)
{
    size_t i;

    if (internal && (h->rewrite != REWRITE_NONE || h->grpc)) {
        /* Back to the decoded original URI saved before the dispatch; a
         * variable replacement is not split at '?'. */
        confw_begin(w, "rewrite");
        confw_raw(w, "^");
        confw_raw(w, "\"${gw_uri}\"");
        if (h->rewrite == REWRITE_NONE)
            confw_raw(w, "break");
        confw_end(w);
    }
    if (h->rewrite_set) {
        confw_begin(w, "set");
        confw_raw(w, "$gw_rewrite");
        confw_quoted(w, h->rewrite_set, QUOTE_VALUE);
        confw_end(w);
    }
    for (i = 0; i < h->n_rewrites; i++)
        rewrite(w, h->rewrites[i].regex, &h->rewrites[i].text);
}

static void timeouts(struct confw *w, const struct plan_handler *h)
{
    const char *p = h->grpc ? "grpc_" : "proxy_";
    char d[48];

    if (h->read_timeout) {
        snprintf(d, sizeof(d), "%sread_timeout", p);
        confw_directive(w, d, h->read_timeout, QUOTE_LITERAL);
    }
    if (h->send_timeout || h->read_timeout) {
        snprintf(d, sizeof(d), "%ssend_timeout", p);
        confw_directive(w, d, h->send_timeout ? h->send_timeout : h->read_timeout,
                        QUOTE_LITERAL);
    }
    if (h->connect_timeout) {
        snprintf(d, sizeof(d), "%sconnect_timeout", p);
        confw_directive(w, d, h->connect_timeout, QUOTE_LITERAL);
    }
    if (h->retry_on) {
        snprintf(d, sizeof(d), "%snext_upstream", p);
        confw_begin(w, d);
        confw_raw(w, h->retry_on); /* gwc's own words: error timeout http_NNN */
        confw_end(w);
        snprintf(d, sizeof(d), "%snext_upstream_tries", p);
        confw_begin(w, d);
        confw_rawf(w, "%u", h->retry_tries);
        confw_end(w);
        if (h->retry_within) {
            snprintf(d, sizeof(d), "%snext_upstream_timeout", p);
            confw_directive(w, d, h->retry_within, QUOTE_LITERAL);
        }
        /* When every try failed to connect, nginx says 502; the Gateway API
         * expects 500 or 503 then (docs/spec-notes.md, "Retries and timeouts"), as Envoy answers. */
        if (strcmp(h->retry_on, "off") != 0)
            confw_template(w, "error_page 502 = @gw_unavailable;");
    }
}

static bool any_retry(const struct plan_server *srv)
{
    size_t i;

    for (i = 0; i < srv->n_locations; i++) {
        if (srv->locations[i].handler && srv->locations[i].handler->retry_on)
            return true;
    }
    return false;
}

static void handler(struct confw *w, const struct plan_handler *h, bool internal)
{
    size_t i;

    if (h->sample_variable) {
        confw_begin(w, "if");
        confw_rawf(w, "($%s = \"\")", h->sample_variable);
        confw_open(w);
        confw_begin(w, "return");
        confw_raw(w, "204");
        confw_end(w);
        confw_close(w);
    }
    if (h->policy && !h->split_variable && !h->status)
        emit_policy_handler(w, h->policy, h->grpc);
    if (h->cors)
        cors(w, h->cors);
    if (h->status) {
        confw_begin(w, "return");
        confw_rawf(w, "%d", h->status);
        confw_end(w);
        return;
    }
    if (h->redirect) {
        redirect(w, h->redirect);
        return;
    }
    if (h->split_variable) {
        jump(w, &h->split_target);
        return;
    }
    rewrites(w, h, internal);
    for (i = 0; i < h->n_mirrors; i++)
        confw_directive(w, "mirror", h->mirrors[i]->id, QUOTE_LITERAL);
    request_headers(w, h);
    response_headers(w, h);
    timeouts(w, h);
    pass(w, h, internal);
}

/* ---- locations and servers ---- */

static void location(struct confw *w, const struct plan_location *loc)
{
    struct strbuf path = STRBUF_INIT;

    confw_begin(w, "location");
    switch (loc->kind) {
    case LOC_EXACT:
    case LOC_INTERNAL:
        confw_raw(w, "=");
        confw_quoted(w, loc->path, QUOTE_LITERAL);
        break;
    case LOC_NAMED:
        confw_quoted(w, loc->path, QUOTE_LITERAL); /* "@..." */
        break;
    case LOC_PREFIX:
        /* Segment semantics: "/p" is served by "= /p" and "/p/". */
        strbuf_addstr(&path, loc->path);
        if (strcmp(loc->path, "/") != 0)
            strbuf_addch(&path, '/');
        confw_quoted(w, path.buf, QUOTE_LITERAL);
        break;
    case LOC_REGEX:
        strbuf_addf(&path, "^(?:%s)$", loc->path);
        confw_raw(w, "~");
        confw_quoted(w, path.buf, QUOTE_REGEX);
        break;
    }
    strbuf_release(&path);
    confw_open(w);
    if (loc->kind == LOC_INTERNAL) {
        confw_begin(w, "internal");
        confw_end(w);
    }
    if (loc->save_uri) {
        confw_begin(w, "set");
        confw_raw(w, "$gw_uri");
        confw_raw(w, "\"${uri}\"");
        confw_end(w);
    }
    emit_policy_location(w, loc);
    if (loc->dispatch_variable) {
        struct plan_part parts[2] = {{false, loc->dispatch_prefix},
                                     {true, loc->dispatch_variable}};
        struct plan_text t = {parts, 2, 2};
        jump(w, &t);
    } else if (loc->handler) {
        handler(w, loc->handler, loc->kind == LOC_INTERNAL);
    } else {
        confw_begin(w, "return");
        confw_raw(w, "404");
        confw_end(w);
    }
    confw_close(w);
}

void emit_listen(struct confw *w, const struct plan_listen *l)
{
    struct strbuf addr = STRBUF_INIT;

    if (l->unix_path)
        strbuf_addf(&addr, "unix:%s", l->unix_path);
    else if (l->address && strchr(l->address, ':'))
        strbuf_addf(&addr, "[%s]:%lld", l->address, (long long)l->port);
    else if (l->address)
        strbuf_addf(&addr, "%s:%lld", l->address, (long long)l->port);
    else
        strbuf_addf(&addr, "%lld", (long long)l->port);
    confw_begin(w, "listen");
    confw_quoted(w, addr.buf, QUOTE_LITERAL);
    if (l->udp)
        confw_raw(w, "udp");
    if (l->ssl)
        confw_raw(w, "ssl");
    if (l->http2)
        confw_raw(w, "http2");
    if (l->proxy_protocol)
        confw_raw(w, "proxy_protocol");
    if (l->default_server)
        confw_raw(w, "default_server");
    confw_end(w);
    strbuf_release(&addr);
}

static void server(struct confw *w, const struct plan_server *srv)
{
    size_t i;

    confw_begin(w, "server");
    confw_open(w);
    emit_listen(w, &srv->listen);
    if (srv->listen.proxy_protocol) {
        /* Behind the stream front: the client address is in the header. */
        confw_template(w, "set_real_ip_from unix:;\nreal_ip_header proxy_protocol;");
    }
    emit_policy_server(w, srv);
    confw_begin(w, "server_name");
    if (srv->n_names == 0)
        confw_raw(w, "\"\"");
    for (i = 0; i < srv->n_names; i++)
        confw_quoted(w, srv->names[i], QUOTE_LITERAL);
    confw_end(w);
    if (srv->cert_file) {
        confw_directive(w, "ssl_certificate", srv->cert_file, QUOTE_LITERAL);
        confw_directive(w, "ssl_certificate_key", srv->key_file, QUOTE_LITERAL);
    }
    if (srv->reject_handshake) {
        confw_begin(w, "ssl_reject_handshake");
        confw_raw(w, "on");
        confw_end(w);
    }
    if (srv->sni_listener_variable) {
        confw_begin(w, "if");
        confw_rawf(w, "($%s", srv->sni_listener_variable);
        confw_raw(w, "!=");
        confw_quoted(w, srv->sni_listener, QUOTE_LITERAL);
        strbuf_addch(w->out, ')');
        confw_open(w);
        confw_begin(w, "return");
        confw_raw(w, "421");
        confw_end(w);
        confw_close(w);
    }
    if (any_retry(srv)) {
        /* A request handed to a named location has been through error_page
         * once; a retry's own error_page (502) must still apply there. */
        confw_begin(w, "recursive_error_pages");
        confw_raw(w, "on");
        confw_end(w);
    }
    if (srv->client_ca_file) {
        confw_directive(w, "ssl_client_certificate", srv->client_ca_file, QUOTE_LITERAL);
        confw_begin(w, "ssl_verify_client");
        confw_raw(w, srv->client_verify_optional ? "optional_no_ca" : "on");
        confw_end(w);
        /* nginx finishes the handshake and answers a bad or missing
         * certificate with 495/496; the Gateway API wants no answer at all,
         * so those close the connection (444). */
        if (!srv->client_verify_optional)
            confw_template(w, "error_page 495 496 = @gw_client_certificate;");
    }
    for (i = 0; i < srv->n_locations; i++)
        location(w, &srv->locations[i]);
    emit_policy_locations(w, srv);
    if (srv->client_ca_file && !srv->client_verify_optional)
        confw_template(w, "location @gw_client_certificate {\n    return 444;\n}");
    if (any_retry(srv))
        confw_template(w, "location @gw_unavailable {\n    return 503;\n}");
    confw_close(w);
}

/* Variables every generated fragment relies on. */
static void fixed_maps(struct confw *w)
{
    confw_comment(w, "A literal '$' for values nginx would otherwise expand.");
    confw_template(w, "geo $gw_dollar {\n    default \"$\";\n}");
    confw_comment(w, "The Host header as the client sent it (port included).");
    confw_template(w, "map $http_host $gw_host {\n    \"\" \"${host}\";\n"
                      "    default \"${http_host}\";\n}");
    confw_comment(w, "Upgrade (WebSocket) passes; otherwise keep upstream connections alive.");
    confw_template(w, "map $http_upgrade $gw_connection {\n    \"\" \"\";\n"
                      "    default \"upgrade\";\n}");
    confw_template(w, "map \"${request_method}${http_access_control_request_method}\" "
                      "$gw_cors_preflight {\n    \"~^OPTIONS.\" \"1\";\n    default \"\";\n}");
}

void emit_http(const struct plan *plan, struct confw *w)
{
    size_t i;

    confw_comment(w, "Generated by gwc; do not edit.");
    confw_template(w, template_http_defaults_conf);
    include_base_headers(w, false);
    include_base_headers(w, true);
    confw_begin(w, "server_names_hash_bucket_size");
    confw_rawf(w, "%u", plan->server_names_bucket);
    confw_end(w);
    confw_begin(w, "server_names_hash_max_size");
    confw_rawf(w, "%u", plan->server_names_max);
    confw_end(w);
    confw_begin(w, "map_hash_bucket_size");
    confw_rawf(w, "%u", plan->http.map_bucket);
    confw_end(w);
    confw_begin(w, "variables_hash_bucket_size");
    confw_rawf(w, "%u", plan->variables_bucket);
    confw_end(w);
    confw_begin(w, "variables_hash_max_size");
    confw_rawf(w, "%u", plan->variables_max);
    confw_end(w);
    if (plan->proxy_headers_bucket) {
        confw_begin(w, "proxy_headers_hash_bucket_size");
        confw_rawf(w, "%u", plan->proxy_headers_bucket);
        confw_end(w);
    }
    if (plan->http.resolver)
        confw_directive(w, "resolver", plan->http.resolver, QUOTE_LITERAL);
    confw_blank(w);
    fixed_maps(w);
    emit_section(w, &plan->http, "${request_id}");
    emit_policy_zones(w, plan);
    for (i = 0; i < plan->n_servers; i++) {
        confw_blank(w);
        server(w, &plan->servers[i]);
    }
}
