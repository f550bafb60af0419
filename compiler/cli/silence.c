/*
 * What the user asked not to be told: what lies in --context files, codes
 * turned off by --disable (or gwc.yaml's disable), and codes an object's
 * gwc.dev/ignore annotation names, for the diagnostics positioned inside
 * that object.  Errors that
 * make the output invalid are never silenced (diag_can_silence).  Silenced
 * diagnostics leave the sink, so they change neither the reports nor the
 * exit status; the summary line counts them.
 */
#include "cli_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "load/load.h"
#include "model/model.h"

#include <stdlib.h>
#include <string.h>

/* A mapping of the input, from its position to the next one's in the same
 * file, and the codes its annotation silences (NULL: none). */
struct span {
    uint32_t file, offset;
    const bool *ignore;
};

struct silencer {
    const struct compilation *c;
    const struct options *o;
    const struct span *spans;
    size_t n_spans;
    struct cli_silenced *count;
};

/* The codes of a gwc.dev/ignore value; a name that is no code, or names
 * a code that cannot be silenced, is reported and skipped. */
static const bool *parse_ignore(struct compilation *c, const struct ynode *v)
{
    bool *codes = ARENA_NEW_ARRAY(c->arena, bool, DIAG__COUNT);
    const char *p;

    if (v->kind != YNODE_SCALAR || v->scalar != YSCALAR_STRING) {
        diag_report(&c->diags, DIAG_IGNORE_ANNOTATION, ynode_loc(c, v), NULL,
                    model_path(c, v), "%s must be a string of codes such as "
                    "\"GW0605,GW0401\"", MODEL_IGNORE_ANNOTATION);
        return NULL;
    }
    for (p = v->text; *p;) {
        size_t len = strcspn(p, ",");
        char *name = arena_strndup(c->arena, p, len);
        enum diag_code code;

        name += strspn(name, " ");
        name[strcspn(name, " ")] = '\0';
        code = diag_lookup(name);
        if (code == DIAG__COUNT)
            diag_report(&c->diags, DIAG_IGNORE_ANNOTATION, ynode_loc(c, v), NULL,
                        model_path(c, v), "'%s' is no diagnostic code (GWnnnn)", name);
        else if (!diag_can_disable(code))
            diag_report(&c->diags, DIAG_IGNORE_ANNOTATION, ynode_loc(c, v), NULL,
                        model_path(c, v), "%s cannot be silenced: it means the output "
                        "would be invalid (gwc explain %s)", name, name);
        else
            codes[code] = true;
        p += len + (p[len] == ',');
    }
    return codes;
}

static int cmp_spans(const void *pa, const void *pb)
{
    const struct span *a = pa, *b = pb;

    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    return a->offset < b->offset ? -1 : a->offset > b->offset;
}

/* The span a diagnostic lies in, or NULL. */
static const struct span *span_of(const struct silencer *s, const struct diag *d)
{
    size_t lo = 0, hi = s->n_spans;

    if (d->loc.file == SOURCE_NONE || d->loc.line == 0)
        return NULL;
    /* The last span at or before the position. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct span *sp = &s->spans[mid];
        if (sp->file < d->loc.file || (sp->file == d->loc.file && sp->offset <= d->loc.offset))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && s->spans[lo - 1].file == d->loc.file ? &s->spans[lo - 1] : NULL;
}

static bool in_context(const struct compilation *c, struct src_loc loc)
{
    const struct source *src = source_get(&c->sources, loc.file);

    return src && src->context;
}

/* --context files are read, not reported on; a diagnostic whose second
 * location is in an argument's file concerns that file. */
static bool about_arguments(const struct compilation *c, const struct diag *d)
{
    if (!in_context(c, d->loc))
        return true;
    return d->note && d->note_loc.file != SOURCE_NONE && !in_context(c, d->note_loc);
}

static bool keep(const struct diag *d, void *ctx)
{
    struct silencer *s = ctx;
    const struct span *sp;

    if (!about_arguments(s->c, d))
        return false;
    if (!diag_can_silence(d))
        return true;
    if (s->o->disabled[d->code]) {
        s->count->disabled++;
        return false;
    }
    sp = span_of(s, d);
    if (sp && sp->ignore && sp->ignore[d->code]) {
        s->count->ignored++;
        return false;
    }
    return true;
}

void cli_silence(struct compilation *c, const struct options *o, const struct model *m,
                 struct cli_silenced *count)
{
    struct span *spans = NULL;
    struct silencer s;
    size_t i, n = 0;

    if (m) {
        spans = ARENA_NEW_ARRAY(c->arena, struct span, m->inputs.n + 1);
        for (i = 0; i < m->inputs.n; i++) {
            const struct model_input *in = m->inputs.v[i];

            spans[n].file = in->loc.file;
            spans[n].offset = in->loc.offset;
            spans[n].ignore = in->ignore ? parse_ignore(c, in->ignore) : NULL;
            n++;
        }
        qsort(spans, n, sizeof(*spans), cmp_spans);
    }
    s.c = c;
    s.o = o;
    s.spans = spans;
    s.n_spans = n;
    s.count = count;
    diag_filter(&c->diags, keep, &s);
}
