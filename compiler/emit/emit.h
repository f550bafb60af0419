/*
 * Stage 5: the plan as nginx configuration text.  The emitter takes no
 * decisions: it prints the plan in a fixed section order, and every string
 * that did not come from gwc itself goes through nginx/quote.h.
 */
#ifndef GWC_EMIT_H
#define GWC_EMIT_H

#include "plan/plan.h"

#include <stdbool.h>

struct strbuf;

struct emit_options {
    const char *modules_dir; /* where ngx_stream_module.so lives */
};

struct emit_output {
    struct strbuf *nginx_conf;
    struct strbuf *http_conf;
    struct strbuf *stream_conf; /* left empty when there is no stream{} */
};

void emit_nginx(const struct plan *plan, const struct emit_options *o,
                struct emit_output *out);

#endif
