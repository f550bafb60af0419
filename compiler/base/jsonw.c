#include "jsonw.h"

#include "strbuf.h"

#include <inttypes.h>
#include <string.h>

void jsonw_init(struct jsonw *w, struct strbuf *out, bool compact)
{
    w->out = out;
    w->depth = 0;
    w->first = true;
    w->pending = false;
    w->compact = compact;
}

static void newline(struct jsonw *w)
{
    if (w->compact)
        return;
    strbuf_addch(w->out, '\n');
    strbuf_addchars(w->out, ' ', 2 * w->depth);
}

/* Separator before a value or key inside a container. */
static void before_item(struct jsonw *w)
{
    if (w->pending) {
        w->pending = false;
        return;
    }
    if (w->depth == 0)
        return;
    if (!w->first)
        strbuf_addch(w->out, ',');
    newline(w);
    w->first = false;
}

static void open(struct jsonw *w, char c)
{
    before_item(w);
    strbuf_addch(w->out, c);
    w->depth++;
    w->first = true;
}

static void close(struct jsonw *w, char c)
{
    w->depth--;
    if (!w->first)
        newline(w);
    strbuf_addch(w->out, c);
    w->first = false;
    if (w->depth == 0 && !w->compact)
        strbuf_addch(w->out, '\n');
}

void jsonw_object_begin(struct jsonw *w) { open(w, '{'); }
void jsonw_object_end(struct jsonw *w) { close(w, '}'); }
void jsonw_array_begin(struct jsonw *w) { open(w, '['); }
void jsonw_array_end(struct jsonw *w) { close(w, ']'); }

void jsonw_escape(struct strbuf *out, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i;

    strbuf_addch(out, '"');
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': strbuf_addstr(out, "\\\""); break;
        case '\\': strbuf_addstr(out, "\\\\"); break;
        case '\n': strbuf_addstr(out, "\\n"); break;
        case '\r': strbuf_addstr(out, "\\r"); break;
        case '\t': strbuf_addstr(out, "\\t"); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                strbuf_addstr(out, "\\u00");
                strbuf_addch(out, hex[c >> 4]);
                strbuf_addch(out, hex[c & 15]);
            } else {
                strbuf_addch(out, (char)c);
            }
        }
    }
    strbuf_addch(out, '"');
}

void jsonw_key(struct jsonw *w, const char *key)
{
    before_item(w);
    jsonw_escape(w->out, key, strlen(key));
    strbuf_addstr(w->out, w->compact ? ":" : ": ");
    w->pending = true;
}

void jsonw_string_n(struct jsonw *w, const char *s, size_t n)
{
    before_item(w);
    jsonw_escape(w->out, s, n);
}

void jsonw_string(struct jsonw *w, const char *s)
{
    if (!s) {
        jsonw_null(w);
        return;
    }
    jsonw_string_n(w, s, strlen(s));
}

void jsonw_int(struct jsonw *w, int64_t v)
{
    before_item(w);
    strbuf_addf(w->out, "%" PRId64, v);
}

void jsonw_bool(struct jsonw *w, bool v)
{
    before_item(w);
    strbuf_addstr(w->out, v ? "true" : "false");
}

void jsonw_null(struct jsonw *w)
{
    before_item(w);
    strbuf_addstr(w->out, "null");
}

void jsonw_kv_string(struct jsonw *w, const char *key, const char *s)
{
    jsonw_key(w, key);
    jsonw_string(w, s);
}

void jsonw_kv_int(struct jsonw *w, const char *key, int64_t v)
{
    jsonw_key(w, key);
    jsonw_int(w, v);
}

void jsonw_kv_object_begin(struct jsonw *w, const char *key)
{
    jsonw_key(w, key);
    jsonw_object_begin(w);
}

void jsonw_kv_array_begin(struct jsonw *w, const char *key)
{
    jsonw_key(w, key);
    jsonw_array_begin(w);
}
