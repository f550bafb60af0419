/*
 * Stage 5: the plan as nginx configuration text.  The emitter takes no
 * decisions: it prints the plan in a fixed section order, and every string
 * that did not come from gwc itself goes through nginx/quote.h.
 */
#ifndef GWC_EMIT_H
#define GWC_EMIT_H

#include "plan/plan.h"

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

struct emit_options {
    const char *modules_dir; /* where ngx_stream_module.so lives */
};

/* The request headers every proxied request gets, in files of their own
 * next to http.conf: http{} includes them, and so does each location that
 * changes a header (a location's own proxy_set_header replaces every
 * inherited one, so it must repeat them). */
#define EMIT_PROXY_HEADERS_FILE "gwc_proxy_headers.conf"
#define EMIT_GRPC_HEADERS_FILE "gwc_grpc_headers.conf"

/*
 * Where the emitter writes: each file starts with begin(path), its text
 * follows in write() calls, a few KiB at a time, so that no file needs to
 * be whole in memory.  The sink remembers a failure itself.
 */
struct emit_sink {
    void (*begin)(void *ctx, const char *path);
    void (*write)(void *ctx, const char *data, size_t len);
    void *ctx;
};

#define EMIT_MAX_FILES 5

/* The files emit_nginx_to writes for this plan, in the order they are to
 * be put into place: nginx.conf, which includes the others, last. */
size_t emit_files(const struct plan *plan, const char *paths[EMIT_MAX_FILES]);

void emit_nginx_to(const struct plan *plan, const struct emit_options *o,
                   const struct emit_sink *sink);

/* The same files in memory. */
struct emit_output {
    struct strbuf *nginx_conf;
    struct strbuf *http_conf;
    struct strbuf *stream_conf; /* left empty when there is no stream{} */
    struct strbuf *proxy_headers_conf;
    struct strbuf *grpc_headers_conf;
};

void emit_nginx(const struct plan *plan, const struct emit_options *o,
                struct emit_output *out);

#endif
