/*
 * The directives of the gwc policies (docs/policies.md, "Directives per
 * field"): zones in http{}, client address detection, auth and error page
 * locations in the server, and a rule's checks and limits in the location
 * that serves it.  Every user value goes through confw_quoted().
 */
#include "emit_internal.h"

#include "base/array.h"
#include "base/strbuf.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void emit_policy_zones(struct confw *w, const struct plan *plan)
{
    size_t i;

    for (i = 0; i < plan->n_geos; i++) {
        const struct plan_geo *g = &plan->geos[i];
        size_t j;
        confw_begin(w, "geo");
        confw_rawf(w, "$%s", g->variable);
        confw_open(w);
        confw_template(w, "default \"\";");
        for (j = 0; j < g->n_cidrs; j++) {
            confw_begin(w, "");
            confw_quoted(w, g->cidrs[j], QUOTE_LITERAL);
            confw_raw(w, "\"1\"");
            confw_end(w);
        }
        confw_close(w);
    }
    for (i = 0; i < plan->n_zones; i++) {
        const struct plan_zone *z = &plan->zones[i];
        /* 1 MiB: about 16,000 IPv4 or 8,000 IPv6 clients per zone; an empty
         * key (an exempt client) is not counted. */
        confw_begin(w, z->conn ? "limit_conn_zone" : "limit_req_zone");
        confw_rawf(w, "$%s", z->key);
        confw_rawf(w, "zone=%s:1m", z->name);
        if (!z->conn)
            confw_rawf(w, "rate=%" PRId64 "r/%s", z->requests, z->per_minute ? "m" : "s");
        confw_end(w);
    }
}

/* What the location serving a rule sets and its error page locations
 * read; the server sets them empty first, so that they exist (nginx -t)
 * and are empty when no rule was chosen yet. */
static const struct {
    const char *header, *variable;
} error_context_vars[] = {
    {"X-Namespace", "gw_err_namespace"},
    {"X-Route-Name", "gw_err_route"},
    {"X-Service-Name", "gw_err_service"},
    {"X-Service-Port", "gw_err_port"},
};

static void set_error_context(struct confw *w, const char *const values[4])
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(error_context_vars); i++) {
        confw_begin(w, "set");
        confw_rawf(w, "$%s", error_context_vars[i].variable);
        confw_quoted(w, values[i], QUOTE_VALUE);
        confw_end(w);
    }
}

void emit_policy_server(struct confw *w, const struct plan_server *srv)
{
    static const char *const empty[4] = {"", "", "", ""};
    size_t i;

    if (srv->error_context)
        set_error_context(w, empty);
    for (i = 0; i < srv->n_real_ip_from; i++)
        confw_directive(w, "set_real_ip_from", srv->real_ip_from[i], QUOTE_LITERAL);
    if (srv->real_ip_proxy_protocol) {
        confw_directive_raw(w, "real_ip_header", "proxy_protocol");
    } else if (srv->real_ip_header) {
        confw_directive(w, "real_ip_header", srv->real_ip_header, QUOTE_LITERAL);
        confw_directive_raw(w, "real_ip_recursive",
                            srv->real_ip_recursive ? "on" : "off");
    }
}

static void auth_location(struct confw *w, const struct plan_auth *a)
{
    struct plan_part parts[3];
    struct plan_text url = {parts, 0, 3};
    size_t i;

    confw_begin(w, "location");
    confw_raw(w, "=");
    confw_quoted(w, a->uri, QUOTE_LITERAL);
    confw_open(w);
    confw_directive_raw(w, "internal", "");
    confw_directive_raw(w, "proxy_pass_request_body", "off");
    if (!a->pass_all_headers) {
        confw_directive_raw(w, "proxy_pass_request_headers", "off");
        for (i = 0; i < a->n_request_headers; i++) {
            confw_begin(w, "proxy_set_header");
            confw_quoted(w, a->request_headers[i], QUOTE_LITERAL);
            confw_rawf(w, "$%s", a->request_header_vars[i]);
            confw_end(w);
        }
    }
    confw_template(w, "proxy_set_header Content-Length \"\";\n"
                      "proxy_set_header X-Original-URI $request_uri;\n"
                      "proxy_set_header X-Original-URL $scheme://$http_host$request_uri;\n"
                      "proxy_set_header X-Original-Method $request_method;\n"
                      "proxy_set_header X-Real-IP $remote_addr;\n"
                      "proxy_set_header X-Forwarded-For $remote_addr;\n"
                      "proxy_set_header X-Forwarded-Proto \"\";\n"
                      "proxy_set_header Connection \"\";");
    confw_begin(w, "proxy_set_header");
    confw_raw(w, "Host");
    confw_quoted(w, a->host, QUOTE_VALUE);
    confw_end(w);
    confw_begin(w, "proxy_set_header");
    confw_raw(w, "X-Auth-Request-Redirect");
    if (a->redirect)
        confw_quoted(w, a->redirect, QUOTE_VALUE);
    else
        confw_raw(w, "$request_uri");
    confw_end(w);
    for (i = 0; i < a->n_set_headers; i++) {
        confw_begin(w, "proxy_set_header");
        confw_quoted(w, a->set_headers[i].name, QUOTE_LITERAL);
        confw_quoted(w, a->set_headers[i].value, QUOTE_VALUE);
        confw_end(w);
    }
    if (a->method)
        confw_directive_raw(w, "proxy_method", a->method);
    confw_directive_raw(w, "proxy_connect_timeout", a->timeout);
    confw_directive_raw(w, "proxy_send_timeout", a->timeout);
    confw_directive_raw(w, "proxy_read_timeout", a->timeout);
    if (a->target.tls)
        emit_tls_to_backend(w, &a->target);
    if (a->target.address) {
        confw_begin(w, "set");
        confw_raw(w, "$gw_backend");
        confw_quoted(w, a->target.address, QUOTE_VALUE);
        confw_end(w);
    }
    parts[url.n].variable = false;
    parts[url.n++].text = a->target.tls ? "https://" : "http://";
    parts[url.n].variable = a->target.address != NULL;
    parts[url.n++].text = a->target.address ? "gw_backend" : a->target.upstream;
    parts[url.n].variable = false;
    parts[url.n++].text = a->path;
    confw_begin(w, "proxy_pass");
    confw_text(w, &url);
    confw_end(w);
    confw_close(w);
}

void emit_policy_error_context(struct confw *w, const struct plan_handler *h)
{
    const struct plan_error_context *x = plan_handler_extra(h)->error_context;
    char port[24];
    const char *values[4];

    if (!x)
        return;
    snprintf(port, sizeof(port), "%" PRId64, x->port);
    values[0] = x->namespace;
    values[1] = x->route;
    values[2] = x->service;
    values[3] = port;
    set_error_context(w, values);
}

static void header_variable(struct confw *w, const char *name, const char *variable)
{
    confw_begin(w, "proxy_set_header");
    confw_raw(w, name);
    confw_rawf(w, "$%s", variable);
    confw_end(w);
}

/*
 * ingress-nginx's default-backend contract: the original method, path /
 * (the query dropped), no body (the page does not need it, and a 413's
 * body is never read), no Authorization, the X- headers; error_page
 * without "=" keeps the original status whatever the Service answers.
 */
static void proxied_error_page(struct confw *w, const struct plan_error_page *e)
{
    const struct plan_target *t = &e->target;
    struct plan_part parts[2];
    struct plan_text url = {parts, 2, 2};
    size_t i;

    if (t->status) {
        confw_begin(w, "return");
        confw_rawf(w, "%d", e->code);
        confw_end(w);
        return;
    }
    confw_directive_raw(w, "proxy_pass_request_body", "off");
    emit_include_base_headers(w, false);
    /* The page needs no credentials: a mistyped password stays here. */
    confw_template(w, "proxy_set_header Content-Length \"\";\n"
                      "proxy_set_header Authorization \"\";");
    confw_begin(w, "proxy_set_header");
    confw_raw(w, "X-Code");
    confw_rawf(w, "\"%d\"", e->code);
    confw_end(w);
    header_variable(w, "X-Format", "http_accept");
    header_variable(w, "X-Original-URI", "request_uri");
    for (i = 0; i < ARRAY_SIZE(error_context_vars); i++)
        header_variable(w, error_context_vars[i].header, error_context_vars[i].variable);
    header_variable(w, "X-Request-ID", e->request_id_variable);
    if (t->tls)
        emit_tls_to_backend(w, t);
    confw_template(w, "rewrite ^ /? break;");
    if (t->address) {
        confw_begin(w, "set");
        confw_raw(w, "$gw_backend");
        confw_quoted(w, t->address, QUOTE_VALUE);
        confw_end(w);
    }
    parts[0].variable = false;
    parts[0].text = t->tls ? "https://" : "http://";
    parts[1].variable = t->address != NULL;
    parts[1].text = t->address ? "gw_backend" : t->upstream;
    confw_begin(w, "proxy_pass");
    confw_text(w, &url);
    confw_end(w);
}

static void error_page_location(struct confw *w, const struct plan_error_page *e)
{
    confw_begin(w, "location");
    confw_quoted(w, e->name, QUOTE_LITERAL);
    confw_open(w);
    if (e->proxied) {
        proxied_error_page(w, e);
    } else {
        confw_directive(w, "default_type", e->content_type, QUOTE_LITERAL);
        confw_begin(w, "return");
        confw_rawf(w, "%d", e->code);
        confw_quoted(w, e->body, QUOTE_VALUE);
        confw_end(w);
    }
    confw_close(w);
}

/*
 * rewrite ^(.*)$ "<sign-in>?rd=$scheme://$http_host$1?" redirect: nginx
 * escapes a capture placed in the query part, and the final '?' drops the
 * original query (stock nginx cannot escape it into the parameter).  $1 is
 * written raw: ${1} would name a variable.
 */
static void signin_location(struct confw *w, const struct plan_signin *s)
{
    const char *base = s->url ? s->url : s->path;

    confw_begin(w, "location");
    confw_quoted(w, s->name, QUOTE_LITERAL);
    confw_open(w);
    confw_begin(w, "rewrite");
    confw_raw(w, "\"^(.*)$\"");
    strbuf_addstr(w->out, " \"");
    if (!s->url) {
        nginx_quote_variable(w->out, "scheme");
        strbuf_addstr(w->out, "://");
        nginx_quote_variable(w->out, "http_host");
    }
    nginx_quote_part(w->out, base, QUOTE_VALUE);
    strbuf_addch(w->out, strchr(base, '?') ? '&' : '?');
    nginx_quote_part(w->out, s->param, QUOTE_VALUE);
    strbuf_addch(w->out, '=');
    nginx_quote_variable(w->out, "scheme");
    strbuf_addstr(w->out, "://");
    nginx_quote_variable(w->out, "http_host");
    strbuf_addstr(w->out, "$1?\"");
    confw_raw(w, "redirect");
    confw_end(w);
    confw_close(w);
}

void emit_policy_locations(struct confw *w, const struct plan_server *srv)
{
    size_t i;

    for (i = 0; i < srv->n_signins; i++)
        signin_location(w, srv->signins[i]);
    for (i = 0; i < srv->n_auths; i++)
        auth_location(w, srv->auths[i]);
    for (i = 0; i < srv->n_error_pages; i++)
        error_page_location(w, srv->error_pages[i]);
}

void emit_policy_location(struct confw *w, const struct plan_location *loc)
{
    if (loc->max_body_size)
        confw_directive_raw(w, "client_max_body_size", loc->max_body_size);
    if (loc->recursive_errors)
        confw_directive_raw(w, "recursive_error_pages", "on");
    if (loc->body_over_variable) {
        /* nginx checked Content-Length against the dispatching location's
         * larger limit; this rule's is smaller.  413 closes the connection
         * as nginx's own check does. */
        confw_begin(w, "if");
        confw_rawf(w, "($%s)", loc->body_over_variable);
        confw_open(w);
        confw_directive_raw(w, "return", "413");
        confw_close(w);
    }
}

void emit_policy_error_pages(struct confw *w, const struct plan_policy *pp, bool grpc)
{
    size_t i;

    if (!pp->n_errors || grpc)
        return;
    confw_directive_raw(w, "proxy_intercept_errors", "on");
    for (i = 0; i < pp->n_errors; i++) {
        if (pp->signin && pp->errors[i]->code == 401)
            continue; /* the sign-in redirect answers it */
        confw_begin(w, "error_page");
        confw_rawf(w, "%d", pp->errors[i]->code);
        confw_quoted(w, pp->errors[i]->name, QUOTE_LITERAL);
        confw_end(w);
    }
}

/* add_header Set-Cookie $variable [always]: a cookie computed in a map. */
static void set_cookie(struct confw *w, const char *variable, bool always)
{
    confw_begin(w, "add_header");
    confw_raw(w, "Set-Cookie");
    confw_rawf(w, "$%s", variable);
    if (always)
        confw_raw(w, "always");
    confw_end(w);
}

/* The checks and limits of a rule, where it is served. */
void emit_policy_handler(struct confw *w, const struct plan_policy *pp, bool grpc)
{
    size_t i;

    if (pp->satisfy_any)
        confw_directive_raw(w, "satisfy", "any");
    for (i = 0; i < pp->n_deny; i++)
        confw_directive(w, "deny", pp->deny[i], QUOTE_LITERAL);
    for (i = 0; i < pp->n_allow; i++)
        confw_directive(w, "allow", pp->allow[i], QUOTE_LITERAL);
    if (pp->deny_all)
        confw_directive_raw(w, "deny", "all");
    if (pp->basic_realm) {
        confw_directive(w, "auth_basic", pp->basic_realm, QUOTE_VALUE); /* expands */
        confw_directive(w, "auth_basic_user_file", pp->htpasswd_file, QUOTE_LITERAL);
    }
    if (pp->auth) {
        confw_directive(w, "auth_request", pp->auth->uri, QUOTE_LITERAL);
        for (i = 0; i < pp->n_auth_set; i++) {
            confw_begin(w, "auth_request_set");
            confw_rawf(w, "$%s", pp->auth_set[2 * i]);
            confw_rawf(w, "$%s", pp->auth_set[2 * i + 1]);
            confw_end(w);
        }
    }
    for (i = 0; i < pp->n_rates; i++) {
        confw_begin(w, "limit_req");
        confw_rawf(w, "zone=%s", pp->rates[i].zone);
        if (pp->rates[i].burst > 0)
            confw_rawf(w, "burst=%" PRId64, pp->rates[i].burst);
        if (pp->rates[i].nodelay)
            confw_raw(w, "nodelay");
        confw_end(w);
    }
    for (i = 0; i < pp->n_conn; i++) {
        confw_begin(w, "limit_conn");
        confw_raw(w, pp->conn_zones[i]);
        confw_rawf(w, "%" PRId64, pp->conn_limits[i]);
        confw_end(w);
    }
    if (pp->reject_status && (pp->n_rates || pp->n_conn)) {
        confw_number(w, "limit_req_status", pp->reject_status);
        confw_number(w, "limit_conn_status", pp->reject_status);
    }
    if (pp->max_body_size)
        confw_directive_raw(w, "client_max_body_size", pp->max_body_size);
    if (pp->body_timeout)
        confw_directive_raw(w, "client_body_timeout", pp->body_timeout);
    if (pp->idle_timeout)
        confw_directive_raw(w, "keepalive_timeout", pp->idle_timeout);
    if (pp->send_timeout)
        confw_directive_raw(w, "send_timeout", pp->send_timeout);
    if (pp->hsts) {
        confw_directive(w, grpc ? "grpc_hide_header" : "proxy_hide_header",
                        "Strict-Transport-Security", QUOTE_LITERAL);
        confw_begin(w, "add_header");
        confw_raw(w, "Strict-Transport-Security");
        confw_quoted(w, pp->hsts, QUOTE_VALUE);
        confw_raw(w, "always");
        confw_end(w);
    }
    if (pp->auth_cookie_variable)
        set_cookie(w, pp->auth_cookie_variable, pp->auth_cookie_always);
    if (pp->affinity_cookie_variable)
        set_cookie(w, pp->affinity_cookie_variable, false);
    if (pp->signin) {
        confw_begin(w, "error_page");
        confw_raw(w, "401 =");
        confw_quoted(w, pp->signin->name, QUOTE_LITERAL);
        confw_end(w);
    }
    emit_policy_error_pages(w, pp, grpc);
    if (!grpc && pp->buffer_response != TRI_UNSET)
        confw_directive_raw(w, "proxy_buffering",
                            pp->buffer_response == TRI_TRUE ? "on" : "off");
    if (!grpc && pp->buffer_request != TRI_UNSET)
        confw_directive_raw(w, "proxy_request_buffering",
                            pp->buffer_request == TRI_TRUE ? "on" : "off");
}
