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
    const char *slots[] = {"@MODULES@", "", "@STREAM@", "", NULL};

    (void)o;
    emit_http(plan, &w);
    fill(out->nginx_conf, template_nginx_conf, slots);
}
