/*
 * Diagnostics: collected in a sink, sorted, rendered at the end.  The library
 * never prints and never exits; the CLI chooses format, colour and status.
 */
#ifndef GWC_DIAG_H
#define GWC_DIAG_H

#include "source.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct strbuf;

enum diag_severity { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

enum diag_class {
    DCLASS_INPUT,
    DCLASS_MANIFEST,
    DCLASS_FINDING,
    DCLASS_NGINX,
    DCLASS_IMPORT,
    DCLASS_SETTINGS,
};

enum diag_code {
#define DIAG(id, num, cls, sev, slug, summary) DIAG_##id,
#include "diag_codes.def"
#undef DIAG
    DIAG__COUNT
};

struct diag_info {
    unsigned number;
    enum diag_class cls;
    enum diag_severity severity;
    const char *slug;
    const char *summary;
};

struct diag {
    enum diag_severity severity;
    enum diag_code code;
    struct src_loc loc;
    const char *object;  /* "HTTPRoute default/shop", or NULL */
    const char *path;    /* "spec.rules[0].backendRefs[1].port", or NULL */
    const char *message; /* lowercase, no final period */
    struct src_loc note_loc;
    const char *note; /* a second location ("declared here"), or NULL */
    uint32_t seq;
};

struct diag_sink {
    struct arena *arena;
    struct diag **v;
    size_t n, cap;
    unsigned errors, warnings;
    unsigned class_errors[DCLASS_SETTINGS + 1];
};

const struct diag_info *diag_info(enum diag_code code);
/* "GW0102" */
const char *diag_code_name(enum diag_code code, char buf[8]);

void diag_sink_init(struct diag_sink *s, struct arena *a);
/* Records a diagnostic with the catalogue's default severity. */
struct diag *diag_report(struct diag_sink *s, enum diag_code code,
                         struct src_loc loc, const char *object,
                         const char *path, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Same, with an explicit severity; and from a va_list, for the stages'
 * own reporting wrappers. */
struct diag *diag_report_sev(struct diag_sink *s, enum diag_severity sev,
                             enum diag_code code, struct src_loc loc,
                             const char *object, const char *path,
                             const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
struct diag *diag_vreport(struct diag_sink *s, enum diag_severity sev,
                          enum diag_code code, struct src_loc loc,
                          const char *object, const char *path, const char *fmt,
                          va_list ap) __attribute__((format(printf, 7, 0)));
void diag_add_note(struct diag_sink *s, struct diag *d, struct src_loc loc,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_add_vnote(struct diag_sink *s, struct diag *d, struct src_loc loc,
                    const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
/* Orders by file name, line, column, then report order: deterministic. */
void diag_sort(struct diag_sink *s, const struct source_table *t);
bool diag_has_class_error(const struct diag_sink *s, enum diag_class cls);
/* What a code means, an example that triggers it (a manifest run with
 * command, or a shell script when command is NULL) and how to fix it
 * (diag_explain.def). */
struct diag_explanation {
    const char *meaning;
    const char *command;
    const char *example;
    const char *fix;
};
const struct diag_explanation *diag_explain(enum diag_code code);
const char *diag_class_name(enum diag_class cls);
/* Whether a code may be silenced (diag_codes.def says which). */
bool diag_can_disable(enum diag_code code);
/* Whether this diagnostic may be silenced: its code may, and it is no
 * error that makes the output invalid. */
bool diag_can_silence(const struct diag *d);
/* Keeps the diagnostics keep() approves, in order, and recounts. */
void diag_filter(struct diag_sink *s, bool (*keep)(const struct diag *d, void *ctx),
                 void *ctx);

enum diag_format {
    DIAG_FORMAT_TEXT,
    DIAG_FORMAT_JSON,
    DIAG_FORMAT_SARIF,
    DIAG_FORMAT_GITHUB,
    DIAG_FORMAT_JUNIT,
};

/* An object of the input, for a report that lists what was checked
 * (JUnit): the diagnostics of its file from offset up to the next
 * subject's belong to it.  A subject without a name (a document that is no
 * object) only ends the one before. */
struct diag_subject {
    uint32_t file;
    uint32_t offset;
    const char *name;
};

/* Where SARIF finds a source file: a URI reference relative to the run's
 * root (%SRCROOT%), or an absolute URI; NULL when it has none (stdin). */
struct diag_artifact {
    const char *uri;
    bool relative;
};

struct diag_render_options {
    enum diag_format format;
    bool color;        /* ANSI colours (text) */
    bool source_lines; /* quote the source line with a caret (text) */
    const char *tool_version;
    /* JUnit: the objects checked, in any order; whether warnings fail. */
    const struct diag_subject *subjects;
    size_t n_subjects;
    bool warnings_fail;
    /* SARIF: the root's absolute URI (ending in '/'), each source file's
     * artifact (indexed like the source table), and the catalogue page
     * whose anchors (#gw0102) the rules' helpUri name. */
    const char *root_uri;
    const struct diag_artifact *artifacts;
    const char *help_uri;
};

const char *diag_severity_name(enum diag_severity sev);

/* Renders every diagnostic in the sink's current order. */
void diag_render(const struct diag_sink *s, const struct source_table *t,
                 const struct diag_render_options *o, struct strbuf *out);
/* Looks a code up by "GW0102" or slug; DIAG__COUNT when unknown. */
enum diag_code diag_lookup(const char *name);

/* The renderers diag_render() picks from (diag_render.c): text, JSON and
 * GitHub annotations in diag.c, the others in files of their own. */
void diag_render_text(const struct diag_sink *s, const struct source_table *t,
                      const struct diag_render_options *o, struct strbuf *out);
void diag_render_json(const struct diag_sink *s, const struct source_table *t,
                      struct strbuf *out);
void diag_render_github(const struct diag_sink *s, const struct source_table *t,
                        struct strbuf *out);
void diag_render_sarif(const struct diag_sink *s, const struct source_table *t,
                       const struct diag_render_options *o, struct strbuf *out);
void diag_render_junit(const struct diag_sink *s, const struct source_table *t,
                       const struct diag_render_options *o, struct strbuf *out);

#endif
