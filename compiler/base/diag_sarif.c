/*
 * SARIF 2.1.0 (https://docs.oasis-open.org/sarif/sarif/v2.1.0/), as code
 * scanning services read it: file URIs relative to %SRCROOT% (the root the
 * CLI chose), columns counted in code points as gwc counts them, one rule
 * per code used (with its explanation and a helpUri into the catalogue,
 * docs/diagnostics.md), and a diagnostic's
 * second location ("first defined here") as a related location.
 */
#include "diag.h"

#include "escape.h"
#include "jsonw.h"
#include "strbuf.h"

#include <stdio.h>
#include <string.h>

#define SRCROOT "%SRCROOT%"

static const char *sarif_level(enum diag_severity sev)
{
    return sev == DIAG_ERROR ? "error" : sev == DIAG_WARNING ? "warning" : "note";
}

static void message(struct jsonw *w, const char *text)
{
    jsonw_kv_object_begin(w, "message");
    jsonw_kv_string(w, "text", text);
    jsonw_object_end(w);
}

/* Without artifacts from the caller, a file is named as it was given. */
static bool has_uri(const struct diag_render_options *o, struct src_loc loc)
{
    return loc.file != SOURCE_NONE && (!o->artifacts || o->artifacts[loc.file].uri);
}

static void physical_location(struct jsonw *w, const struct source_table *t,
                              const struct diag_render_options *o, struct src_loc loc)
{
    struct strbuf uri = STRBUF_INIT;
    bool relative = false;

    if (o->artifacts) {
        strbuf_addstr(&uri, o->artifacts[loc.file].uri);
        relative = o->artifacts[loc.file].relative;
    } else {
        const char *name = source_get(t, loc.file)->name;
        escape_uri_path(&uri, name, strlen(name));
    }
    jsonw_kv_object_begin(w, "physicalLocation");
    jsonw_kv_object_begin(w, "artifactLocation");
    jsonw_kv_string(w, "uri", uri.buf);
    if (relative)
        jsonw_kv_string(w, "uriBaseId", SRCROOT);
    jsonw_object_end(w);
    if (loc.line) {
        jsonw_kv_object_begin(w, "region");
        jsonw_kv_int(w, "startLine", loc.line);
        jsonw_kv_int(w, "startColumn", loc.col);
        jsonw_object_end(w);
    }
    jsonw_object_end(w);
    strbuf_release(&uri);
}

static void rules(struct jsonw *w, const struct diag_render_options *o,
                  const bool *used)
{
    char code[8], lower[8];
    size_t i, k;

    jsonw_kv_array_begin(w, "rules");
    for (i = 0; i < DIAG__COUNT; i++) {
        const struct diag_info *info = diag_info((enum diag_code)i);

        if (!used[i])
            continue;
        diag_code_name((enum diag_code)i, code);
        jsonw_object_begin(w);
        jsonw_kv_string(w, "id", code);
        jsonw_kv_string(w, "name", info->slug);
        jsonw_kv_object_begin(w, "shortDescription");
        jsonw_kv_string(w, "text", info->summary);
        jsonw_object_end(w);
        jsonw_kv_object_begin(w, "fullDescription");
        jsonw_kv_string(w, "text", diag_explain((enum diag_code)i)->meaning);
        jsonw_object_end(w);
        jsonw_kv_object_begin(w, "help");
        jsonw_kv_string(w, "text", diag_explain((enum diag_code)i)->fix);
        jsonw_object_end(w);
        if (o->help_uri) {
            struct strbuf uri = STRBUF_INIT;
            for (k = 0; code[k]; k++)
                lower[k] = (char)(code[k] >= 'A' && code[k] <= 'Z' ? code[k] + 32 : code[k]);
            lower[k] = '\0';
            strbuf_addf(&uri, "%s#%s", o->help_uri, lower);
            jsonw_kv_string(w, "helpUri", uri.buf);
            strbuf_release(&uri);
        }
        jsonw_kv_object_begin(w, "defaultConfiguration");
        jsonw_kv_string(w, "level", sarif_level(info->severity));
        jsonw_object_end(w);
        jsonw_object_end(w);
    }
    jsonw_array_end(w);
}

static void result(struct jsonw *w, const struct source_table *t,
                   const struct diag_render_options *o, const struct diag *d,
                   int64_t rule_index)
{
    struct strbuf msg = STRBUF_INIT;
    char code[8];

    if (d->path)
        strbuf_addf(&msg, "%s: ", d->path);
    strbuf_addstr(&msg, d->message);
    jsonw_object_begin(w);
    jsonw_kv_string(w, "ruleId", diag_code_name(d->code, code));
    jsonw_kv_int(w, "ruleIndex", rule_index);
    jsonw_kv_string(w, "level", sarif_level(d->severity));
    message(w, msg.buf);
    strbuf_release(&msg);
    jsonw_kv_array_begin(w, "locations");
    if (has_uri(o, d->loc)) {
        jsonw_object_begin(w);
        physical_location(w, t, o, d->loc);
        jsonw_object_end(w);
    } else if (d->object) {
        /* Without a file, the object at least is named. */
        jsonw_object_begin(w);
        jsonw_kv_array_begin(w, "logicalLocations");
        jsonw_object_begin(w);
        jsonw_kv_string(w, "fullyQualifiedName", d->object);
        jsonw_object_end(w);
        jsonw_array_end(w);
        jsonw_object_end(w);
    }
    jsonw_array_end(w);
    if (d->note) {
        jsonw_kv_array_begin(w, "relatedLocations");
        jsonw_object_begin(w);
        jsonw_kv_int(w, "id", 1);
        if (has_uri(o, d->note_loc))
            physical_location(w, t, o, d->note_loc);
        message(w, d->note);
        jsonw_object_end(w);
        jsonw_array_end(w);
    }
    jsonw_object_end(w);
}

void diag_render_sarif(const struct diag_sink *s, const struct source_table *t,
                       const struct diag_render_options *o, struct strbuf *out)
{
    bool used[DIAG__COUNT] = {false};
    int64_t index[DIAG__COUNT];
    int64_t n_rules = 0;
    struct jsonw w;
    size_t i;

    for (i = 0; i < s->n; i++)
        used[s->v[i]->code] = true;
    for (i = 0; i < DIAG__COUNT; i++)
        index[i] = used[i] ? n_rules++ : -1;
    jsonw_init(&w, out, false);
    jsonw_object_begin(&w);
    jsonw_kv_string(&w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    jsonw_kv_string(&w, "version", "2.1.0");
    jsonw_kv_array_begin(&w, "runs");
    jsonw_object_begin(&w);
    jsonw_kv_object_begin(&w, "tool");
    jsonw_kv_object_begin(&w, "driver");
    jsonw_kv_string(&w, "name", "gwc");
    jsonw_kv_string(&w, "version", o->tool_version ? o->tool_version : "0");
    rules(&w, o, used);
    jsonw_object_end(&w);
    jsonw_object_end(&w);
    if (o->root_uri) {
        jsonw_kv_object_begin(&w, "originalUriBaseIds");
        jsonw_kv_object_begin(&w, SRCROOT);
        jsonw_kv_string(&w, "uri", o->root_uri);
        jsonw_object_end(&w);
        jsonw_object_end(&w);
    }
    jsonw_kv_string(&w, "columnKind", "unicodeCodePoints");
    jsonw_kv_array_begin(&w, "results");
    for (i = 0; i < s->n; i++)
        result(&w, t, o, s->v[i], index[s->v[i]->code]);
    jsonw_array_end(&w);
    jsonw_object_end(&w);
    jsonw_array_end(&w);
    jsonw_object_end(&w);
}
