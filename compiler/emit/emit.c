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

void emit_nginx(const struct plan *plan, const struct emit_options *o,
                struct emit_output *out)
{
    struct confw w = {out->http_conf, 0};
    struct strbuf modules = STRBUF_INIT, stream = STRBUF_INIT, path = STRBUF_INIT;
    const char *slots[] = {"@MODULES@", "", "@STREAM@", "", NULL};

    emit_http(plan, &w);
    if (plan->n_stream_servers) {
        struct confw sw = {out->stream_conf, 0};
        emit_stream(plan, &sw);
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
    fill(out->nginx_conf, template_nginx_conf, slots);
    strbuf_addstr(out->proxy_headers_conf, template_proxy_headers_conf);
    strbuf_addstr(out->grpc_headers_conf, template_grpc_headers_conf);
    strbuf_release(&modules);
    strbuf_release(&stream);
    strbuf_release(&path);
}
