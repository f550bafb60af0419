/*
 * gwc.yaml: the options of optable.c that have a settings key, read from
 * gwc's own YAML tree (which refuses aliases, duplicate keys and hostile
 * text, and knows every position).  Each value goes through the same
 * cli_option_apply() as the flag would, so the file accepts exactly what
 * the command line accepts.
 *
 *   listenAddress: 127.0.0.1          an option with a value: a scalar
 *   strictRefs: true                  a flag: true or false
 *   gatewayClasses: [nginx]           a repeatable option: a list
 *   portMap: [{from: 80, to: 8080}]   port maps: {from, to} or "80=8080"
 *
 * Every key is checked, also those the running command does not use.
 */
#include "cli_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/strbuf.h"
#include "load/load.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>

struct reader {
    struct compilation c;
    struct arena *out; /* where accepted values are copied */
    struct options *o;
    struct options scratch; /* receives what the command does not use */
    const bool *by_flag;
};

static void report(struct reader *r, const struct ynode *at, const char *fmt,
                   ...) __attribute__((format(printf, 3, 4)));

static void report(struct reader *r, const struct ynode *at, const char *fmt,
                   ...)
{
    struct strbuf path = STRBUF_INIT;
    va_list ap;

    ynode_path(at, &path);
    va_start(ap, fmt);
    diag_vreport(&r->c.diags, diag_info(DIAG_SETTINGS_INVALID)->severity,
                 DIAG_SETTINGS_INVALID, ynode_loc(&r->c, at), NULL, path.buf, fmt,
                 ap);
    va_end(ap);
    strbuf_release(&path);
}

static void unknown_key(struct reader *r, const struct ynode *v)
{
    struct strbuf known = STRBUF_INIT;
    const char *same = NULL;
    size_t i;

    for (i = 0; i < cli_n_options; i++) {
        const char *key = cli_options[i].setting;
        if (!key || cli_option_by_setting(key) != &cli_options[i])
            continue;
        strbuf_addf(&known, "%s%s", known.len ? ", " : "", key);
        if (strcasecmp(key, v->key) == 0)
            same = key;
    }
    if (same)
        diag_report(&r->c.diags, DIAG_SETTINGS_INVALID, ynode_key_loc(&r->c, v), NULL,
                    NULL, "unknown setting '%s'; did you mean '%s'?", v->key, same);
    else
        diag_report(&r->c.diags, DIAG_SETTINGS_INVALID, ynode_key_loc(&r->c, v), NULL,
                    NULL, "unknown setting '%s' (known: %s)", v->key, known.buf);
    strbuf_release(&known);
}

static bool scalar_text(struct reader *r, const struct ynode *n, const char **text)
{
    if (n->kind != YNODE_SCALAR || n->scalar == YSCALAR_NULL) {
        report(r, n, "expected a value, got a %s", ynode_type_name(n));
        return false;
    }
    *text = n->text;
    return true;
}

static void apply(struct reader *r, const struct cli_option *opt,
                  const struct ynode *at, const char *value)
{
    bool used = (opt->commands & CLI_FOR(r->o->command)) &&
                (!r->by_flag[opt->id] || opt->adds);
    const char *problem = cli_option_apply(r->out, used ? r->o : &r->scratch, opt,
                                           arena_strdup(r->out, value));

    if (problem)
        report(r, at, "%s, got '%s'", problem, value);
}

/* A port map entry written as {from: 80, to: 8080}. */
static void apply_port_mapping(struct reader *r, const struct cli_option *opt,
                               const struct ynode *item)
{
    static const char *const keys[] = {"from", "to"};
    const char *text[2] = {NULL, NULL};
    uint32_t i, k;
    bool ok = true;

    for (i = 0; i < item->n; i++) {
        const struct ynode *v = item->items[i];
        for (k = 0; k < 2 && strcmp(v->key, keys[k]) != 0; k++)
            ;
        if (k == 2) {
            diag_report(&r->c.diags, DIAG_SETTINGS_INVALID, ynode_key_loc(&r->c, v),
                        NULL, NULL, "unknown key '%s' in a port map (from, to)", v->key);
            ok = false;
        } else if (!scalar_text(r, v, &text[k])) {
            ok = false;
        } else if (strspn(text[k], "0123456789") != strlen(text[k]) ||
                   strlen(text[k]) > 5 || !*text[k]) {
            report(r, v, "expected a port number 1-65535, got '%s'", text[k]);
            ok = false;
        }
    }
    if (ok && (!text[0] || !text[1])) {
        report(r, item, "a port map needs both from and to");
        ok = false;
    }
    if (ok) {
        char pair[16];
        snprintf(pair, sizeof(pair), "%s=%s", text[0], text[1]);
        apply(r, opt, item, pair);
    }
}

static void read_setting(struct reader *r, const struct ynode *v)
{
    const struct cli_option *opt = cli_option_by_setting(v->key);
    const char *text;
    uint32_t i;

    if (!opt) {
        unknown_key(r, v);
        return;
    }
    if (!opt->repeatable || v->kind == YNODE_SCALAR) {
        if (scalar_text(r, v, &text))
            apply(r, opt, v, text);
        return;
    }
    if (v->kind != YNODE_SEQ) {
        report(r, v, "expected a list, got a %s", ynode_type_name(v));
        return;
    }
    for (i = 0; i < v->n; i++) {
        const struct ynode *item = v->items[i];
        if (opt->id == OPT_PORT_MAP && item->kind == YNODE_MAP)
            apply_port_mapping(r, opt, item);
        else if (scalar_text(r, item, &text))
            apply(r, opt, item, text);
    }
}

bool cli_settings_load(struct arena *a, const char *path, struct options *o,
                       const bool *by_flag)
{
    static const struct load_scope plain = {.plain = true};
    struct ydoc_list docs = {0};
    struct reader r;
    bool ok;

    compilation_init(&r.c);
    r.out = a;
    r.o = o;
    r.scratch = *o;
    r.by_flag = by_flag;
    if (load_inputs(&r.c, &load_default_limits, &path, 1, &plain, &docs)) {
        uint32_t i;
        if (docs.n > 1)
            report(&r, docs.v[1].root, "the settings file holds one document, not several");
        for (i = 0; docs.n == 1 && i < docs.v[0].root->n; i++)
            read_setting(&r, docs.v[0].root->items[i]);
    }
    if (r.c.diags.n) {
        struct diag_render_options ro = {DIAG_FORMAT_TEXT, false, false, GWC_VERSION};
        struct strbuf text = STRBUF_INIT;
        diag_sort(&r.c.diags, &r.c.sources);
        diag_render(&r.c.diags, &r.c.sources, &ro, &text);
        fputs(text.buf, stderr);
        strbuf_release(&text);
    }
    ok = r.c.diags.errors == 0;
    compilation_release(&r.c);
    return ok;
}
