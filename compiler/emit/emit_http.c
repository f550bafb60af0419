/*
 * The http{} fragment: defaults, the shared blocks (emit_section.c), then
 * servers with their locations, in that fixed order.  Every value of the plan that came
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
    confw_directive_raw(w, "return", "418");
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
    if (!t->grpc && internal && plan_handler_extra(h)->rewrite == REWRITE_NONE)
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
    const struct plan_handler_extra *x = plan_handler_extra(h);
    size_t i;

    if (internal && (x->rewrite != REWRITE_NONE || h->grpc)) {
        /* Back to the decoded original URI saved before the dispatch; a
         * variable replacement is not split at '?'. */
        confw_begin(w, "rewrite");
        confw_raw(w, "^");
        confw_raw(w, "\"${gw_uri}\"");
        if (x->rewrite == REWRITE_NONE)
            confw_raw(w, "break");
        confw_end(w);
    }
    if (x->rewrite_set) {
        confw_begin(w, "set");
        confw_raw(w, "$gw_rewrite");
        confw_quoted(w, x->rewrite_set, QUOTE_VALUE);
        confw_end(w);
    }
    for (i = 0; i < x->n_rewrites; i++)
        rewrite(w, x->rewrites[i].regex, &x->rewrites[i].text);
}

static void timeouts(struct confw *w, const struct plan_handler *h)
{
    const struct plan_handler_extra *x = plan_handler_extra(h);
    const char *p = h->grpc ? "grpc_" : "proxy_";
    char d[48];

    if (x->read_timeout) {
        snprintf(d, sizeof(d), "%sread_timeout", p);
        confw_directive(w, d, x->read_timeout, QUOTE_LITERAL);
    }
    if (x->send_timeout || x->read_timeout) {
        snprintf(d, sizeof(d), "%ssend_timeout", p);
        confw_directive(w, d, x->send_timeout ? x->send_timeout : x->read_timeout,
                        QUOTE_LITERAL);
    }
    if (x->connect_timeout) {
        snprintf(d, sizeof(d), "%sconnect_timeout", p);
        confw_directive(w, d, x->connect_timeout, QUOTE_LITERAL);
    }
    if (x->retry_on) {
        snprintf(d, sizeof(d), "%snext_upstream", p);
        confw_begin(w, d);
        confw_raw(w, x->retry_on); /* gwc's own words: error timeout http_NNN */
        confw_end(w);
        snprintf(d, sizeof(d), "%snext_upstream_tries", p);
        confw_number(w, d, x->retry_tries);
        if (x->retry_within) {
            snprintf(d, sizeof(d), "%snext_upstream_timeout", p);
            confw_directive(w, d, x->retry_within, QUOTE_LITERAL);
        }
        /* When every try failed to connect, nginx says 502; the Gateway API
         * expects 500 or 503 then (docs/spec-notes.md, "Retries and timeouts"), as Envoy answers. */
        if (strcmp(x->retry_on, "off") != 0)
            confw_template(w, "error_page 502 = @gw_unavailable;");
    }
}

static bool any_retry(const struct plan_server *srv)
{
    size_t i;

    for (i = 0; i < srv->n_locations; i++) {
        if (srv->locations[i].handler &&
            plan_handler_extra(srv->locations[i].handler)->retry_on)
            return true;
    }
    return false;
}

static void handler(struct confw *w, const struct plan_handler *h, bool internal)
{
    const struct plan_handler_extra *x = plan_handler_extra(h);
    size_t i;

    if (x->sample_variable) {
        confw_begin(w, "if");
        confw_rawf(w, "($%s = \"\")", x->sample_variable);
        confw_open(w);
        confw_directive_raw(w, "return", "204");
        confw_close(w);
    }
    if (h->policy && !h->split && !h->status)
        emit_policy_handler(w, h->policy, h->grpc);
    else if (h->policy && h->status)
        /* A rule left without backends answers its 500 here: its
         * errorResponses cover that answer too (docs/policies.md). */
        emit_policy_error_pages(w, h->policy, h->grpc);
    if (x->cors)
        emit_cors(w, x->cors);
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
    if (h->split) {
        jump(w, &h->split->target);
        return;
    }
    rewrites(w, h, internal);
    for (i = 0; i < x->n_mirrors; i++)
        confw_directive(w, "mirror", x->mirrors[i]->id, QUOTE_LITERAL);
    emit_request_headers(w, h);
    emit_response_headers(w, h);
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
        strbuf_addch(&path, '@');
        strbuf_addstr(&path, loc->path);
        confw_quoted(w, path.buf, QUOTE_LITERAL);
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
    if (loc->handler)
        emit_policy_error_context(w, loc->handler);
    emit_policy_location(w, loc);
    if (loc->dispatch_variable) {
        struct plan_part parts[2] = {{false, loc->dispatch_prefix},
                                     {true, loc->dispatch_variable}};
        struct plan_text t = {parts, 2, 2};
        jump(w, &t);
    } else if (loc->handler) {
        handler(w, loc->handler, loc->kind == LOC_INTERNAL);
    } else {
        confw_directive_raw(w, "return", "404");
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
    if (srv->listen.proxy_protocol && srv->listen.unix_path) {
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
    if (srv->reject_handshake)
        confw_directive_raw(w, "ssl_reject_handshake", "on");
    if (srv->sni_listener_variable) {
        confw_begin(w, "if");
        confw_rawf(w, "($%s", srv->sni_listener_variable);
        confw_raw(w, "!=");
        confw_quoted(w, srv->sni_listener, QUOTE_LITERAL);
        strbuf_addch(w->out, ')');
        confw_open(w);
        confw_directive_raw(w, "return", "421");
        confw_close(w);
    }
    if (any_retry(srv)) {
        /* A request handed to a named location has been through error_page
         * once; a retry's own error_page (502) must still apply there. */
        confw_directive_raw(w, "recursive_error_pages", "on");
    }
    if (srv->client_ca_file) {
        confw_directive(w, "ssl_client_certificate", srv->client_ca_file, QUOTE_LITERAL);
        confw_directive_raw(w, "ssl_verify_client",
                            srv->client_verify_optional ? "optional_no_ca" : "on");
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
    emit_include_base_headers(w, false);
    emit_include_base_headers(w, true);
    confw_number(w, "server_names_hash_bucket_size", plan->server_names_bucket);
    confw_number(w, "server_names_hash_max_size", plan->server_names_max);
    confw_number(w, "map_hash_bucket_size", plan->http.map_bucket);
    confw_number(w, "variables_hash_bucket_size", plan->variables_bucket);
    confw_number(w, "variables_hash_max_size", plan->variables_max);
    if (plan->proxy_headers_bucket) {
        confw_number(w, "proxy_headers_hash_bucket_size", plan->proxy_headers_bucket);
    }
    if (plan->http.resolver)
        confw_directive(w, "resolver", plan->http.resolver, QUOTE_LITERAL);
    confw_blank(w);
    fixed_maps(w);
    emit_section(w, &plan->http, "${request_id}");
    emit_policy_zones(w, plan);
    for (i = 0; i < plan->n_servers; i++) {
        confw_blank(w);
        server(w, plan->servers[i]);
    }
}
