/*
 * Header changes of a handler: request headers sent upstream (with the base
 * set each location must repeat), response headers added, and CORS.
 */
#include "emit_internal.h"

#include "base/strbuf.h"

static bool user_sets(const struct plan_handler *h, const char *name)
{
    size_t i;

    if (plan_handler_extra(h)->rewrite_host && str_eq_nocase(name, "Host"))
        return true;
    for (i = 0; i < h->n_request_headers; i++) {
        if (str_eq_nocase(h->request_headers[i].name, name))
            return true;
    }
    return false;
}

void emit_include_base_headers(struct confw *w, bool grpc)
{
    confw_directive_raw(w, "include",
                        grpc ? EMIT_GRPC_HEADERS_FILE : EMIT_PROXY_HEADERS_FILE);
}

/* The base request headers (templates/proxy_headers.conf, grpc_headers.conf):
 * a location-level proxy_set_header (grpc_set_header) replaces all the
 * inherited ones, so they are repeated: by including their file, or, when
 * the route sets one of them itself, line by line without it (both lines
 * would be sent). */
static void base_request_headers(struct confw *w, const struct plan_handler *h)
{
    const struct emit_template_line *base =
        h->grpc ? template_grpc_headers_conf_lines : template_proxy_headers_conf_lines;
    const struct emit_template_line *l;
    bool overridden = false;

    for (l = base; l->header; l++)
        overridden |= user_sets(h, l->header);
    if (!overridden) {
        emit_include_base_headers(w, h->grpc);
        return;
    }
    for (l = base; l->header; l++) {
        if (!user_sets(h, l->header)) {
            confw_begin(w, "");
            strbuf_addstr(w->out, l->text);
            strbuf_addch(w->out, '\n');
        }
    }
}

void emit_request_headers(struct confw *w, const struct plan_handler *h)
{
    const char *directive = h->grpc ? "grpc_set_header" : "proxy_set_header";
    const char *host = plan_handler_extra(h)->rewrite_host;
    size_t i;

    if (!h->n_request_headers && !host)
        return;
    base_request_headers(w, h);
    if (host) {
        confw_begin(w, directive);
        confw_raw(w, "Host");
        confw_quoted(w, host, QUOTE_VALUE);
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

void emit_response_headers(struct confw *w, const struct plan_handler *h)
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
void emit_cors(struct confw *w, const struct plan_cors *c)
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
    confw_directive_raw(w, "return", "204");
    confw_close(w);
}
