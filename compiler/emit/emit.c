/* The output files: nginx.conf around the fragments, and the fragments. */
#include "emit_internal.h"

#include "base/strbuf.h"

#include <string.h>

/* Copies the template, replacing each @NAME@ slot by the matching text. */
static void fill(struct strbuf *out, const char *tpl, const char *const *slots)
{
    while (*tpl) {
        const char *at = strchr(tpl, '@');
        const char *const *s;
        bool done = false;

        if (!at) {
            strbuf_addstr(out, tpl);
            return;
        }
        strbuf_add(out, tpl, (size_t)(at - tpl));
        for (s = slots; *s && !done; s += 2) {
            size_t n = strlen(s[0]);
            if (strncmp(at, s[0], n) == 0) {
                strbuf_addstr(out, s[1]);
                tpl = at + n;
                done = true;
            }
        }
        if (!done) {
            strbuf_addch(out, '@');
            tpl = at + 1;
        }
    }
}

size_t emit_files(const struct plan *plan, const char *paths[EMIT_MAX_FILES])
{
    size_t n = 0;

    if (plan->n_stream_servers)
        paths[n++] = "stream.conf";
    paths[n++] = EMIT_PROXY_HEADERS_FILE;
    paths[n++] = EMIT_GRPC_HEADERS_FILE;
    paths[n++] = "http.conf";
    paths[n++] = "nginx.conf";
    return n;
}

void emit_nginx_to(const struct plan *plan, const struct emit_options *o,
                   const struct emit_sink *sink)
{
    struct strbuf buf = STRBUF_INIT, modules = STRBUF_INIT, stream = STRBUF_INIT;
    struct strbuf path = STRBUF_INIT;
    struct confw w = {&buf, 0, sink};
    const char *slots[] = {"@MODULES@", "", "@STREAM@", "", NULL};

    sink->begin(sink->ctx, "http.conf");
    emit_http(plan, &w);
    confw_flush(&w);
    if (plan->n_stream_servers) {
        sink->begin(sink->ctx, "stream.conf");
        emit_stream(plan, &w);
        confw_flush(&w);
        /* stream is a dynamic module on Debian; load it by absolute path
         * (a relative one would resolve against -p). */
        strbuf_addf(&path, "%s/ngx_stream_module.so", o->modules_dir);
        strbuf_addstr(&modules, "load_module ");
        nginx_quote_token(&modules, path.buf, QUOTE_LITERAL);
        strbuf_addstr(&modules, ";");
        strbuf_addstr(&stream, "\nstream {\n    include stream.conf;\n}");
        slots[1] = modules.buf;
        slots[3] = stream.buf;
    }
    sink->begin(sink->ctx, "nginx.conf");
    fill(&buf, template_nginx_conf, slots);
    confw_flush(&w);
    sink->begin(sink->ctx, EMIT_PROXY_HEADERS_FILE);
    sink->write(sink->ctx, template_proxy_headers_conf, strlen(template_proxy_headers_conf));
    sink->begin(sink->ctx, EMIT_GRPC_HEADERS_FILE);
    sink->write(sink->ctx, template_grpc_headers_conf, strlen(template_grpc_headers_conf));
    strbuf_release(&buf);
    strbuf_release(&modules);
    strbuf_release(&stream);
    strbuf_release(&path);
}

struct memory {
    struct emit_output *out;
    struct strbuf *file;
};

static void memory_begin(void *ctx, const char *path)
{
    struct memory *m = ctx;

    m->file = strcmp(path, "http.conf") == 0            ? m->out->http_conf
              : strcmp(path, "stream.conf") == 0        ? m->out->stream_conf
              : strcmp(path, "nginx.conf") == 0         ? m->out->nginx_conf
              : strcmp(path, EMIT_PROXY_HEADERS_FILE) == 0 ? m->out->proxy_headers_conf
                                                          : m->out->grpc_headers_conf;
}

static void memory_write(void *ctx, const char *data, size_t len)
{
    strbuf_add(((struct memory *)ctx)->file, data, len);
}

void emit_nginx(const struct plan *plan, const struct emit_options *o,
                struct emit_output *out)
{
    struct memory m = {out, NULL};
    struct emit_sink sink = {memory_begin, memory_write, &m};

    emit_nginx_to(plan, o, &sink);
}
