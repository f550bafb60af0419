#include "diag.h"

#include "arena.h"
#include "array.h"
#include "escape.h"
#include "jsonw.h"
#include "strbuf.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct diag_info catalogue[] = {
#define DIAG(id, num, cls, sev, slug, summary) \
    {num, DCLASS_##cls, DIAG_##sev, slug, summary},
#include "diag_codes.def"
#undef DIAG
};

static const struct diag_explanation explanations[DIAG__COUNT] = {
#define EXPLAIN(id, meaning, command, example, fix) \
    [DIAG_##id] = {meaning, command, example, fix},
#include "diag_explain.def"
#undef EXPLAIN
};

const struct diag_explanation *diag_explain(enum diag_code code)
{
    diag_info(code); /* checks the range */
    return &explanations[code];
}

const char *diag_class_name(enum diag_class cls)
{
    static const char *const names[] = {"input", "manifest", "finding",
                                        "nginx", "import", "settings"};

    return names[cls];
}

const struct diag_info *diag_info(enum diag_code code)
{
    if ((size_t)code >= DIAG__COUNT)
        BUG("diagnostic code out of range");
    return &catalogue[code];
}

const char *diag_code_name(enum diag_code code, char buf[8])
{
    snprintf(buf, 8, "GW%04u", diag_info(code)->number % 10000);
    return buf;
}

enum diag_code diag_lookup(const char *name)
{
    char buf[8];
    size_t i;

    for (i = 0; i < DIAG__COUNT; i++) {
        if (strcmp(name, catalogue[i].slug) == 0 ||
            strcmp(name, diag_code_name((enum diag_code)i, buf)) == 0)
            return (enum diag_code)i;
    }
    return DIAG__COUNT;
}

void diag_sink_init(struct diag_sink *s, struct arena *a)
{
    memset(s, 0, sizeof(*s));
    s->arena = a;
}

/* Messages quote manifest values, keys and names; the whole text is shown
 * through the one rendering of user text, at the one place every
 * diagnostic passes, so that no call site can forget it.  gwc's own words
 * hold nothing that rendering changes. */
static const char *shown(struct arena *a, const char *s)
{
    return escape_text_dup(a, s, strlen(s));
}

static void count(struct diag_sink *s, const struct diag *d)
{
    if (d->severity == DIAG_ERROR) {
        s->errors++;
        s->class_errors[diag_info(d->code)->cls]++;
    } else if (d->severity == DIAG_WARNING) {
        s->warnings++;
    }
}

__attribute__((format(printf, 7, 0)))
struct diag *diag_vreport(struct diag_sink *s, enum diag_severity sev,
                          enum diag_code code, struct src_loc loc,
                          const char *object, const char *path, const char *fmt,
                          va_list ap)
{
    struct diag *d = ARENA_NEW(s->arena, struct diag);
    struct strbuf sb = STRBUF_INIT;

    strbuf_vaddf(&sb, fmt, ap);
    d->severity = sev;
    d->code = code;
    d->loc = loc;
    d->object = object ? shown(s->arena, object) : NULL;
    d->path = path && *path ? shown(s->arena, path) : NULL;
    d->message = escape_text_dup(s->arena, sb.buf, sb.len);
    d->note_loc.file = SOURCE_NONE;
    d->seq = (uint32_t)s->n;
    strbuf_release(&sb);
    ARENA_GROW(s->arena, struct diag *, s->v, s->n, s->cap, 32);
    s->v[s->n++] = d;
    count(s, d);
    return d;
}

struct diag *diag_report(struct diag_sink *s, enum diag_code code,
                         struct src_loc loc, const char *object,
                         const char *path, const char *fmt, ...)
{
    va_list ap;
    struct diag *d;

    va_start(ap, fmt);
    d = diag_vreport(s, diag_info(code)->severity, code, loc, object, path, fmt, ap);
    va_end(ap);
    return d;
}

struct diag *diag_report_sev(struct diag_sink *s, enum diag_severity sev,
                             enum diag_code code, struct src_loc loc,
                             const char *object, const char *path,
                             const char *fmt, ...)
{
    va_list ap;
    struct diag *d;

    va_start(ap, fmt);
    d = diag_vreport(s, sev, code, loc, object, path, fmt, ap);
    va_end(ap);
    return d;
}

void diag_add_vnote(struct diag_sink *s, struct diag *d, struct src_loc loc,
                    const char *fmt, va_list ap)
{
    struct strbuf sb = STRBUF_INIT;

    strbuf_vaddf(&sb, fmt, ap);
    d->note_loc = loc;
    d->note = escape_text_dup(s->arena, sb.buf, sb.len);
    strbuf_release(&sb);
}

void diag_add_note(struct diag_sink *s, struct diag *d, struct src_loc loc,
                   const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_add_vnote(s, d, loc, fmt, ap);
    va_end(ap);
}

bool diag_has_class_error(const struct diag_sink *s, enum diag_class cls)
{
    return s->class_errors[cls] > 0;
}

bool diag_can_disable(enum diag_code code)
{
    const struct diag_info *i = diag_info(code);

    switch (i->cls) {
    case DCLASS_INPUT:
    case DCLASS_SETTINGS:
        return false;
    case DCLASS_MANIFEST:
        return i->severity != DIAG_ERROR;
    case DCLASS_FINDING:
    case DCLASS_NGINX:
    case DCLASS_IMPORT:
        return true;
    }
    return false;
}

bool diag_can_silence(const struct diag *d)
{
    enum diag_class cls = diag_info(d->code)->cls;

    return diag_can_disable(d->code) &&
           !(d->severity == DIAG_ERROR && (cls == DCLASS_INPUT || cls == DCLASS_MANIFEST));
}

void diag_filter(struct diag_sink *s, bool (*keep)(const struct diag *d, void *ctx),
                 void *ctx)
{
    size_t i, n = 0;

    s->errors = s->warnings = 0;
    memset(s->class_errors, 0, sizeof(s->class_errors));
    for (i = 0; i < s->n; i++) {
        struct diag *d = s->v[i];
        if (!keep(d, ctx))
            continue;
        s->v[n++] = d;
        count(s, d);
    }
    s->n = n;
}

/* qsort has no context argument in C11; sort an array of (key, diag) pairs. */
struct sort_item {
    const char *file;
    const struct diag *d;
};

static int cmp_items(const void *pa, const void *pb)
{
    const struct sort_item *a = pa, *b = pb;
    int c;

    if (!a->file != !b->file)
        return a->file ? 1 : -1;
    if (a->file && (c = strcmp(a->file, b->file)) != 0)
        return c;
    if (a->d->loc.line != b->d->loc.line)
        return a->d->loc.line < b->d->loc.line ? -1 : 1;
    if (a->d->loc.col != b->d->loc.col)
        return a->d->loc.col < b->d->loc.col ? -1 : 1;
    if (a->d->code != b->d->code)
        return a->d->code < b->d->code ? -1 : 1;
    if ((c = strcmp(a->d->message, b->d->message)) != 0)
        return c;
    return a->d->seq < b->d->seq ? -1 : a->d->seq > b->d->seq;
}

void diag_sort(struct diag_sink *s, const struct source_table *t)
{
    struct sort_item *items;
    size_t i;

    if (s->n < 2)
        return;
    items = malloc(s->n * sizeof(*items));
    if (!items)
        arena_die_oom(s->n * sizeof(*items));
    for (i = 0; i < s->n; i++) {
        const struct source *src = source_get(t, s->v[i]->loc.file);
        items[i].file = src ? src->name : NULL;
        items[i].d = s->v[i];
    }
    qsort(items, s->n, sizeof(*items), cmp_items);
    for (i = 0; i < s->n; i++)
        s->v[i] = (struct diag *)items[i].d;
    free(items);
}

const char *diag_severity_name(enum diag_severity sev)
{
    static const char *const names[] = {
        [DIAG_ERROR] = "error", [DIAG_WARNING] = "warning", [DIAG_NOTE] = "note"};

    return (size_t)sev < ARRAY_SIZE(names) ? names[sev] : "error";
}

static const char *severity_color(enum diag_severity sev)
{
    static const char *const colors[] = {
        [DIAG_ERROR] = "\033[1;31m", [DIAG_WARNING] = "\033[1;35m",
        [DIAG_NOTE] = "\033[1;36m"};

    return (size_t)sev < ARRAY_SIZE(colors) ? colors[sev] : "";
}

/* A file name as diagnostics show it.  In a line of its own it never
 * starts with ' ' or ':': GitHub's runner reads a log line that starts with
 * "::", after blanks, as a workflow command. */
static void add_file_name(struct strbuf *out, const char *name, bool line_start)
{
    if (line_start && (name[0] == ' ' || name[0] == ':'))
        strbuf_addstr(out, "./");
    escape_text(out, name, strlen(name));
}

static void text_location(struct strbuf *out, const struct source_table *t,
                          struct src_loc loc, bool color)
{
    const struct source *src = source_get(t, loc.file);

    if (color)
        strbuf_addstr(out, "\033[1m");
    if (!src)
        strbuf_addstr(out, "gwc");
    else
        add_file_name(out, src->name, true);
    if (src && loc.line)
        strbuf_addf(out, ":%u:%u", loc.line, loc.col);
    if (color)
        strbuf_addstr(out, "\033[0m");
    strbuf_addstr(out, ": ");
}

/* A line longer than this is quoted as a window of QUOTE_CONTEXT
 * characters either side of the caret: quoting a whole minified file under
 * each of its diagnostics would make the output quadratic. */
enum { QUOTE_WHOLE_BYTES = 200, QUOTE_CONTEXT = 60 };

static bool continuation(char c)
{
    return ((unsigned char)c & 0xc0) == 0x80;
}

/* Narrows [*text, *text + *len) to the window around the caret at byte
 * offset 'at' in it; returns the caret's byte offset in the window. */
static size_t quote_window(const char **text, size_t *len, size_t at,
                           bool *cut_left, bool *cut_right)
{
    size_t begin = at, end = at, n;

    for (n = 0; begin > 0 && n < QUOTE_CONTEXT; n++) {
        do
            begin--;
        while (begin > 0 && continuation((*text)[begin]));
    }
    for (n = 0; end < *len && n < QUOTE_CONTEXT; n++) {
        do
            end++;
        while (end < *len && continuation((*text)[end]));
    }
    *cut_left = begin > 0;
    *cut_right = end < *len;
    *text += begin;
    *len = end - begin;
    return at - begin;
}

/* Quotes the source line with a caret under the column, as GCC does.  The
 * line is user text too, shown escaped; the caret counts the characters of
 * what is shown before the column.  The caret's place comes from the
 * position's byte offset, so a long line is not scanned up to it. */
static void text_source_line(struct strbuf *out, const struct source_table *t,
                             struct src_loc loc, bool color)
{
    const struct source *src = source_get(t, loc.file);
    struct strbuf before = STRBUF_INIT;
    const char *text;
    size_t len, head, at;
    bool cut_left = false, cut_right = false;
    char num[16];
    int w;

    if (!src || loc.line == 0 || !source_line_text(src, loc.line, &text, &len))
        return;
    at = (size_t)(text - src->data);
    if (len > QUOTE_WHOLE_BYTES && loc.offset >= at && loc.offset <= at + len)
        head = quote_window(&text, &len, loc.offset - at, &cut_left, &cut_right);
    else
        head = utf8_advance(text, len, loc.col ? loc.col - 1 : 0);
    w = snprintf(num, sizeof(num), "%u", loc.line);
    strbuf_addf(out, " %*s | ", w < 4 ? 4 : w, num);
    if (cut_left)
        strbuf_addstr(out, "...");
    escape_text(out, text, len);
    if (cut_right)
        strbuf_addstr(out, "...");
    strbuf_addch(out, '\n');
    strbuf_addf(out, " %*s | ", w < 4 ? 4 : w, "");
    escape_text(&before, text, head);
    /* Pad by characters; the caret lands under the right code point. */
    strbuf_addchars(out, ' ', utf8_count(before.buf, before.len) + (cut_left ? 3 : 0));
    strbuf_release(&before);
    if (color)
        strbuf_addstr(out, "\033[1;32m");
    strbuf_addch(out, '^');
    if (color)
        strbuf_addstr(out, "\033[0m");
    strbuf_addch(out, '\n');
}

void diag_render_text(const struct diag_sink *s, const struct source_table *t,
                      const struct diag_render_options *o, struct strbuf *out)
{
    char code[8];
    size_t i;

    for (i = 0; i < s->n; i++) {
        const struct diag *d = s->v[i];

        text_location(out, t, d->loc, o->color);
        if (o->color)
            strbuf_addstr(out, severity_color(d->severity));
        strbuf_addstr(out, diag_severity_name(d->severity));
        if (o->color)
            strbuf_addstr(out, "\033[0m");
        strbuf_addstr(out, ": ");
        if (d->path)
            strbuf_addf(out, "%s: ", d->path);
        strbuf_addf(out, "%s [%s]\n", d->message, diag_code_name(d->code, code));
        if (o->source_lines)
            text_source_line(out, t, d->loc, o->color);
        if (d->note) {
            text_location(out, t, d->note_loc, o->color);
            if (o->color)
                strbuf_addstr(out, severity_color(DIAG_NOTE));
            strbuf_addstr(out, "note");
            if (o->color)
                strbuf_addstr(out, "\033[0m");
            strbuf_addf(out, ": %s\n", d->note);
            if (o->source_lines)
                text_source_line(out, t, d->note_loc, o->color);
        }
    }
}

static void json_location(struct jsonw *w, const struct source_table *t,
                          struct src_loc loc)
{
    const struct source *src = source_get(t, loc.file);

    if (src) {
        struct strbuf name = STRBUF_INIT;
        add_file_name(&name, src->name, false);
        jsonw_kv_string(w, "file", name.buf);
        strbuf_release(&name);
    } else {
        jsonw_kv_string(w, "file", NULL);
    }
    if (src && loc.line) {
        jsonw_kv_int(w, "line", loc.line);
        jsonw_kv_int(w, "column", loc.col);
    }
}

void diag_render_json(const struct diag_sink *s, const struct source_table *t,
                      struct strbuf *out)
{
    struct jsonw w;
    char code[8];
    size_t i;

    jsonw_init(&w, out, false);
    jsonw_object_begin(&w);
    jsonw_kv_array_begin(&w, "diagnostics");
    for (i = 0; i < s->n; i++) {
        const struct diag *d = s->v[i];

        jsonw_object_begin(&w);
        json_location(&w, t, d->loc);
        jsonw_kv_string(&w, "severity", diag_severity_name(d->severity));
        jsonw_kv_string(&w, "code", diag_code_name(d->code, code));
        jsonw_kv_string(&w, "slug", diag_info(d->code)->slug);
        if (d->object)
            jsonw_kv_string(&w, "object", d->object);
        if (d->path)
            jsonw_kv_string(&w, "path", d->path);
        jsonw_kv_string(&w, "message", d->message);
        if (d->note) {
            jsonw_kv_object_begin(&w, "note");
            json_location(&w, t, d->note_loc);
            jsonw_kv_string(&w, "message", d->note);
            jsonw_object_end(&w);
        }
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_kv_int(&w, "errors", s->errors);
    jsonw_kv_int(&w, "warnings", s->warnings);
    jsonw_object_end(&w);
}

/* GitHub workflow commands: data escapes %, CR, LF; properties also : and ,. */
static void github_escape(struct strbuf *out, const char *s, bool property)
{
    for (; *s; s++) {
        if (*s == '%')
            strbuf_addstr(out, "%25");
        else if (*s == '\r')
            strbuf_addstr(out, "%0D");
        else if (*s == '\n')
            strbuf_addstr(out, "%0A");
        else if (property && *s == ':')
            strbuf_addstr(out, "%3A");
        else if (property && *s == ',')
            strbuf_addstr(out, "%2C");
        else
            strbuf_addch(out, *s);
    }
}

void diag_render_github(const struct diag_sink *s, const struct source_table *t,
                        struct strbuf *out)
{
    char code[8];
    size_t i;

    for (i = 0; i < s->n; i++) {
        const struct diag *d = s->v[i];
        const struct source *src = source_get(t, d->loc.file);
        struct strbuf msg = STRBUF_INIT;

        strbuf_addf(out, "::%s ", d->severity == DIAG_NOTE ? "notice" : diag_severity_name(d->severity));
        if (src) {
            struct strbuf name = STRBUF_INIT;
            add_file_name(&name, src->name, false);
            strbuf_addstr(out, "file=");
            github_escape(out, name.buf, true);
            strbuf_release(&name);
            if (d->loc.line)
                strbuf_addf(out, ",line=%u,col=%u", d->loc.line, d->loc.col);
            strbuf_addch(out, ',');
        }
        strbuf_addf(out, "title=%s::", diag_code_name(d->code, code));
        if (d->path)
            strbuf_addf(&msg, "%s: ", d->path);
        strbuf_addstr(&msg, d->message);
        github_escape(out, msg.buf, false);
        strbuf_release(&msg);
        strbuf_addch(out, '\n');
    }
}
