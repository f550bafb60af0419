#include "emit_internal.h"

#include "base/strbuf.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

/* The text kept before it goes to the sink: large enough that writes are
 * few, small enough to stay in the cache. */
#define CONFW_BUFFER (64u << 10)

void confw_flush(struct confw *w)
{
    if (w->out->len) {
        w->sink->write(w->sink->ctx, w->out->buf, w->out->len);
        strbuf_reset(w->out);
    }
}

/* At the end of each line: no line is written in two pieces unless it
 * is longer than the buffer. */
static void line_done(struct confw *w)
{
    if (w->out->len >= CONFW_BUFFER)
        confw_flush(w);
}

static void indent(struct confw *w)
{
    strbuf_addchars(w->out, ' ', 4 * w->depth);
}

void confw_begin(struct confw *w, const char *directive)
{
    indent(w);
    strbuf_addstr(w->out, directive);
}

void confw_raw(struct confw *w, const char *word)
{
    strbuf_addch(w->out, ' ');
    strbuf_addstr(w->out, word);
}

void confw_rawf(struct confw *w, const char *fmt, ...)
{
    va_list ap;

    strbuf_addch(w->out, ' ');
    va_start(ap, fmt);
    strbuf_vaddf(w->out, fmt, ap);
    va_end(ap);
}

void confw_quoted(struct confw *w, const char *s, enum quote_ctx ctx)
{
    strbuf_addch(w->out, ' ');
    nginx_quote_token(w->out, s, ctx);
}

void confw_directive_raw(struct confw *w, const char *name, const char *word)
{
    confw_begin(w, name);
    confw_raw(w, word);
    confw_end(w);
}

void confw_number(struct confw *w, const char *name, int64_t value)
{
    confw_begin(w, name);
    confw_rawf(w, "%" PRId64, value);
    confw_end(w);
}

void confw_text(struct confw *w, const struct plan_text *t)
{
    size_t i;

    strbuf_addstr(w->out, " \"");
    for (i = 0; i < t->n; i++) {
        if (t->parts[i].variable)
            nginx_quote_variable(w->out, t->parts[i].text);
        else
            nginx_quote_part(w->out, t->parts[i].text, QUOTE_VALUE);
    }
    strbuf_addch(w->out, '"');
}

void confw_end(struct confw *w)
{
    strbuf_addstr(w->out, ";\n");
    line_done(w);
}

void confw_open(struct confw *w)
{
    strbuf_addstr(w->out, " {\n");
    w->depth++;
    line_done(w);
}

void confw_close(struct confw *w)
{
    w->depth--;
    indent(w);
    strbuf_addstr(w->out, "}\n");
    line_done(w);
}

void confw_blank(struct confw *w)
{
    strbuf_addch(w->out, '\n');
    line_done(w);
}

void confw_comment(struct confw *w, const char *fmt, ...)
{
    va_list ap;

    indent(w);
    strbuf_addstr(w->out, "# ");
    va_start(ap, fmt);
    strbuf_vaddf(w->out, fmt, ap);
    va_end(ap);
    strbuf_addch(w->out, '\n');
    line_done(w);
}

void confw_template(struct confw *w, const char *text)
{
    while (*text) {
        const char *nl = strchr(text, '\n');
        size_t n = nl ? (size_t)(nl - text) : strlen(text);
        if (n)
            indent(w);
        strbuf_add(w->out, text, n);
        strbuf_addch(w->out, '\n');
        text += n + (nl ? 1 : 0);
    }
    line_done(w);
}

void confw_directive(struct confw *w, const char *name, const char *value,
                     enum quote_ctx ctx)
{
    confw_begin(w, name);
    confw_quoted(w, value, ctx);
    confw_end(w);
}
