/*
 * The choice of format, above every renderer: the JUnit report renders each
 * failure's text with the text renderer, so the renderers must not call
 * back up into the dispatch.
 */
#include "diag.h"

void diag_render(const struct diag_sink *s, const struct source_table *t,
                 const struct diag_render_options *o, struct strbuf *out)
{
    switch (o->format) {
    case DIAG_FORMAT_TEXT:
        diag_render_text(s, t, o, out);
        return;
    case DIAG_FORMAT_JSON:
        diag_render_json(s, t, out);
        return;
    case DIAG_FORMAT_SARIF:
        diag_render_sarif(s, t, o, out);
        return;
    case DIAG_FORMAT_JUNIT:
        diag_render_junit(s, t, o, out);
        return;
    case DIAG_FORMAT_GITHUB:
        diag_render_github(s, t, out);
        return;
    }
}
