/*
 * The whole of `gwc compile`, to memory: load, decode, validate, plan and
 * emit.  The configuration must be well formed nginx text (every quote
 * closed, braces balanced, no NUL byte), and a second compilation of the
 * same documents in the reverse order must give the same bytes.
 */
#include "fuzz.h"

#include "base/strbuf.h"
#include "emit/emit.h"
#include "plan/plan.h"

#include <string.h>

struct output {
    struct strbuf nginx_conf, http_conf, stream_conf, proxy_headers, grpc_headers, files;
};

/* nginx's tokenizer, reduced to what can go wrong: quotes, escapes,
 * comments and block nesting. */
static void check_nginx_text(const char *name, const struct strbuf *sb)
{
    const char *p = sb->buf, *end = sb->buf + sb->len;
    char quote = 0;
    long depth = 0;

    if (memchr(sb->buf, '\0', sb->len))
        fuzz_fail("%s holds a NUL byte", name);
    for (; p < end; p++) {
        if (quote) {
            if (*p == '\\' && p + 1 < end)
                p++;
            else if (*p == quote)
                quote = 0;
        } else if (*p == '#') {
            while (p < end && *p != '\n')
                p++;
        } else if (*p == '"' || *p == '\'') {
            quote = *p;
        } else if (*p == '\\' && p + 1 < end) {
            p++;
        } else if (*p == '{') {
            depth++;
        } else if (*p == '}' && --depth < 0) {
            fuzz_fail("%s closes a block it never opened at byte %zu", name,
                      (size_t)(p - sb->buf));
        }
    }
    if (quote || depth)
        fuzz_fail("%s ends inside a %s", name, quote ? "quoted string" : "block");
}

static void reverse(struct ydoc_list *docs)
{
    size_t i;

    for (i = 0; i < docs->n / 2; i++) {
        struct ydoc d = docs->v[i];
        docs->v[i] = docs->v[docs->n - 1 - i];
        docs->v[docs->n - 1 - i] = d;
    }
}

/* Returns false when the input has errors that stop compile. */
static bool compile(const uint8_t *data, size_t size, bool reversed,
                    struct output *out)
{
    struct emit_output eo = {&out->nginx_conf, &out->http_conf, &out->stream_conf,
                             &out->proxy_headers, &out->grpc_headers};
    struct fuzz_run r;
    struct plan plan;
    bool compiled = false;
    size_t i;

    fuzz_load(&r, CMD_COMPILE, data, size);
    if (reversed)
        reverse(&r.docs);
    fuzz_validate(&r);
    if (!diag_has_class_error(&r.c.diags, DCLASS_INPUT) &&
        !diag_has_class_error(&r.c.diags, DCLASS_MANIFEST)) {
        compiled = cli_render(&r.c, &r.o, &r.ctl, &plan);
        if (compiled) {
            struct emit_options eopt = {r.o.modules_dir};

            emit_nginx(&plan, &eopt, &eo);
        }
        for (i = 0; compiled && i < plan.n_files; i++) {
            strbuf_addf(&out->files, "%s %o %zu\n", plan.files[i].path,
                        plan.files[i].mode, plan.files[i].len);
            strbuf_add(&out->files, plan.files[i].data, plan.files[i].len);
        }
    }
    fuzz_diagnostics(&r);
    fuzz_release(&r);
    return compiled;
}

static void release(struct output *o)
{
    strbuf_release(&o->nginx_conf);
    strbuf_release(&o->http_conf);
    strbuf_release(&o->stream_conf);
    strbuf_release(&o->proxy_headers);
    strbuf_release(&o->grpc_headers);
    strbuf_release(&o->files);
}

static void same(const char *name, const struct strbuf *a, const struct strbuf *b)
{
    if (a->len != b->len || memcmp(a->buf, b->buf, a->len) != 0)
        fuzz_fail("%s differs when the documents come in reverse order", name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct output a = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT,
                       STRBUF_INIT};
    struct output b = {STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT,
                       STRBUF_INIT};

    if (compile(data, size, false, &a)) {
        check_nginx_text("nginx.conf", &a.nginx_conf);
        check_nginx_text("http.conf", &a.http_conf);
        check_nginx_text("stream.conf", &a.stream_conf);
        check_nginx_text(EMIT_PROXY_HEADERS_FILE, &a.proxy_headers);
        check_nginx_text(EMIT_GRPC_HEADERS_FILE, &a.grpc_headers);
        if (!compile(data, size, true, &b))
            fuzz_fail("the documents in reverse order do not compile");
        same("nginx.conf", &a.nginx_conf, &b.nginx_conf);
        same("http.conf", &a.http_conf, &b.http_conf);
        same("stream.conf", &a.stream_conf, &b.stream_conf);
        same(EMIT_PROXY_HEADERS_FILE, &a.proxy_headers, &b.proxy_headers);
        same(EMIT_GRPC_HEADERS_FILE, &a.grpc_headers, &b.grpc_headers);
        same("the certificate files", &a.files, &b.files);
    }
    release(&a);
    release(&b);
    return 0;
}
