/*
 * The summary of an import, for the person who reviews it: per source
 * object (an Ingress, or a custom resource of the provider) whether it
 * converted exactly, approximately (how), partly or not at all (why), the
 * output objects it became, and the next steps before the output can be
 * applied (CRDs, GatewayClasses, Secrets).  Text for standard error,
 * JSON for --summary FILE (docs/import-summary.md describes its shape).
 *
 * The findings of a source object are the diagnostics positioned inside
 * it (every input object's document spans from its start to the next
 * object's start in the same file), and those about it positioned in
 * another (an Ingress's, at the key of the ingress-nginx ConfigMap it took
 * a setting from).  They are classified once the report
 * is final (silenced codes left out), so the summary says what the report
 * says.
 */
#include "import_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/compilation.h"
#include "base/escape.h"
#include "base/jsonw.h"
#include "base/strbuf.h"
#include "load/load.h"

#include <stdlib.h>
#include <string.h>

enum outcome { OUT_EXACT, OUT_APPROXIMATED, OUT_PARTIAL, OUT_LEFT_OUT };

static const char *const outcome_names[] = {"exact", "approximated", "partial",
                                             "left-out"};

/* The CRD bundles the output's kinds come from. */
static const struct {
    const char *name, *install;
    const char *kinds[8];
} crds[] = {
    {"Gateway API, standard channel",
     "https://gateway-api.sigs.k8s.io/guides/#installing-gateway-api",
     {"Gateway", "HTTPRoute", "GRPCRoute", "ReferenceGrant", "BackendTLSPolicy",
      "ListenerSet"}}, /* ListenerSet: standard from v1.5.0 */
    {"Gateway API, experimental channel",
     "https://gateway-api.sigs.k8s.io/guides/#install-experimental-channel",
     {"TLSRoute", "TCPRoute", "UDPRoute"}},
    {"gwc policies", "kubectl apply -f deploy/crds/",
     {"AccessPolicy", "ClientPolicy", "BackendPolicy"}},
};

struct span { /* an input object: where its document starts */
    const char *file;
    uint32_t file_id, offset;
    struct summary_source *source; /* NULL: not a source object */
};

struct summary_source {
    const char *label; /* "Ingress/ns/name" */
    const char *object; /* "Ingress ns/name", as diagnostics name it */
    const char *file;
    uint32_t line;
    bool ingress;
    struct ptrvec output; /* const char * "Kind/ns/name", sorted at the end */
    struct ptrvec findings; /* struct finding *, see cmp_finding */
    enum outcome outcome;
};

/* A diagnostic of a source object: positioned inside it (own, at
 * offset rel from its start) or about it from another object. */
struct finding {
    const struct diag *d;
    bool own;
    uint32_t rel;
};

struct summary_secret {
    const char *namespace, *name, *user; /* user: "Gateway/ns/name" */
    bool in_inputs;
};

struct imp_summary {
    const char *provider;
    struct span *spans;
    size_t n_spans;
    struct ptrvec sources; /* struct summary_source *, by label */
    struct ptrvec secrets; /* struct summary_secret *, sorted */
    struct ptrvec classes; /* const char *, sorted, each once */
    struct ptrvec cert_manager; /* "Kind/ns/name" carrying cert-manager's
                                 * annotations, in output order */
    bool cert_manager_sets;     /* some of them are ListenerSets */
    bool kinds[ARRAY_SIZE(crds)][8]; /* the output's kinds, by bundle */
    bool include_inputs;
    bool converted; /* the output holds a converted object */
    size_t count[4]; /* sources by outcome (judge) */
};

/* ---- collection, during the import ---- */

struct collect {
    struct imp *im;
    struct imp_summary *s;
    const char *const *groups; /* the provider's */
    struct ptrvec spans;       /* struct span * */
};

static void consider(void *ctx, const struct ynode *root)
{
    struct collect *k = ctx;
    struct imp *im = k->im;
    const char *kind = imp_crd_text(ynode_get(root, "kind"));
    const char *group = imp_crd_group(im->a, root);
    struct span *sp = ARENA_NEW(im->a, struct span);
    struct src_loc loc = ynode_loc(im->c, root);
    const struct source *src = source_get(&im->c->sources, loc.file);
    bool source = str_eq(kind, "Ingress") && str_eq(group, "networking.k8s.io");
    size_t i;

    for (i = 0; !source && k->groups[i]; i++)
        source = str_eq(group, k->groups[i]);
    for (i = 0; !source && i < im->summary_sources.n; i++)
        source = im->summary_sources.v[i] == root;
    sp->file = src ? src->name : "";
    sp->file_id = loc.file;
    sp->offset = loc.offset;
    ptrvec_push(im->a, &k->spans, sp);
    if (!source)
        return;
    sp->source = ARENA_NEW(im->a, struct summary_source);
    sp->source->label = imp_origin_label(im, root);
    sp->source->object = arena_strdup(im->a, sp->source->label);
    *strchr((char *)sp->source->object, '/') = ' ';
    sp->source->file = sp->file;
    sp->source->line = loc.line;
    sp->source->ingress = str_eq(kind, "Ingress");
    ptrvec_push(im->a, &k->s->sources, sp->source);
}

static int cmp_span(const void *pa, const void *pb)
{
    const struct span *a = pa, *b = pb;

    if (a->file_id != b->file_id)
        return a->file_id < b->file_id ? -1 : 1;
    return a->offset < b->offset ? -1 : a->offset > b->offset;
}

static int cmp_source(const void *pa, const void *pb)
{
    const struct summary_source *a = *(const struct summary_source *const *)pa;
    const struct summary_source *b = *(const struct summary_source *const *)pb;
    int c = strcmp(a->label, b->label);

    if (!c)
        c = strcmp(a->file, b->file);
    return c ? c : (a->line < b->line ? -1 : a->line > b->line);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_secret(struct imp *im, struct imp_summary *s, const char *ns,
                       const char *name, const char *user)
{
    struct summary_secret *x = ARENA_NEW(im->a, struct summary_secret);

    x->namespace = ns;
    x->name = name;
    x->user = user;
    x->in_inputs = imp_find_object(im, KIND_SECRET, ns, name) != NULL;
    ptrvec_push(im->a, &s->secrets, x);
}

static int cmp_secret(const void *pa, const void *pb)
{
    const struct summary_secret *a = *(const struct summary_secret *const *)pa;
    const struct summary_secret *b = *(const struct summary_secret *const *)pb;
    int c = strcmp(a->namespace, b->namespace);

    if (!c)
        c = strcmp(a->name, b->name);
    return c ? c : strcmp(a->user, b->user);
}

/* The certificates of the listeners of g, a Gateway or ListenerSet. */
static void listener_secrets(struct imp *im, struct imp_summary *s,
                             const struct o_gateway *g, const char *kind)
{
    const char *user = arena_printf(im->a, "%s/%s/%s", kind, g->namespace, g->name);
    size_t k;

    for (k = 0; k < g->listeners.n; k++) {
        const struct o_listener *l = g->listeners.v[k];
        if (l->secret)
            add_secret(im, s, l->secret_namespace ? l->secret_namespace : g->namespace,
                       l->secret, user);
    }
}

/* g (kind Gateway or ListenerSet) among those cert-manager must read,
 * when it carries cert-manager's annotations (certmgr.c) other than the
 * listeners it must leave alone. */
static void cert_manager(struct imp *im, struct imp_summary *s,
                         const struct o_gateway *g, const char *kind)
{
    size_t i;

    for (i = 0; i < g->annotations.n; i++) {
        const struct o_header *h = g->annotations.v[i];
        if (!strncmp(h->name, "cert-manager.io/", strlen("cert-manager.io/")) &&
            !str_eq(h->name, "cert-manager.io/ignore-tls-listeners")) {
            ptrvec_push(im->a, &s->cert_manager,
                        arena_printf(im->a, "%s/%s/%s", kind, g->namespace, g->name));
            s->cert_manager_sets = s->cert_manager_sets || g->parent;
            return;
        }
    }
}

static void needs(struct imp *im, struct imp_summary *s)
{
    size_t i, k;

    for (i = 0; i < im->gateways.n; i++) {
        const struct o_gateway *g = im->gateways.v[i];
        ptrvec_push(im->a, &s->classes, (void *)g->class_name);
        listener_secrets(im, s, g, "Gateway");
        cert_manager(im, s, g, "Gateway");
        for (k = 0; k < g->sets.n; k++) {
            listener_secrets(im, s, g->sets.v[k], "ListenerSet");
            cert_manager(im, s, g->sets.v[k], "ListenerSet");
        }
    }
    for (i = 0; i < im->gwc_policies.n; i++) {
        const struct o_gwc_policy *p = im->gwc_policies.v[i];
        if (p->basic_secret)
            add_secret(im, s,
                       p->basic_secret->namespace ? p->basic_secret->namespace
                                                  : p->namespace,
                       p->basic_secret->name,
                       arena_printf(im->a, "%s/%s/%s", p->kind, p->namespace, p->name));
    }
    ptrvec_sort(&s->secrets, cmp_secret);
    ptrvec_sort(&s->classes, cmp_str);
    for (i = k = 0; i < s->classes.n; i++) { /* each once */
        if (!k || !str_eq(s->classes.v[i], s->classes.v[k - 1]))
            s->classes.v[k++] = s->classes.v[i];
    }
    s->classes.n = k;
}

struct imp_summary *imp_summary_collect(struct imp *im, const char *provider,
                                        const char *const *groups)
{
    struct imp_summary *s = ARENA_NEW(im->a, struct imp_summary);
    struct collect k = {im, s, groups, {0}};
    struct index sources = {0};
    size_t i, j, b;

    s->provider = provider;
    s->include_inputs = im->o->include_inputs;
    s->converted = im->written.n > 0;
    imp_crd_for_each(im, consider, &k);
    s->n_spans = k.spans.n;
    s->spans = ARENA_NEW_ARRAY(im->a, struct span, k.spans.n + 1);
    for (i = 0; i < k.spans.n; i++)
        s->spans[i] = *(struct span *)k.spans.v[i];
    qsort(s->spans, s->n_spans, sizeof(*s->spans), cmp_span);
    ptrvec_sort(&s->sources, cmp_source);
    for (i = 0; i < s->sources.n; i++) {
        struct summary_source *x = s->sources.v[i];
        if (!imp_index_get(&sources, x->label))
            imp_index_put(im->a, &sources, x->label, x);
    }
    for (i = 0; i < im->written.n; i++) {
        const struct imp_written *w = im->written.v[i];
        for (b = 0; b < ARRAY_SIZE(crds); b++) {
            for (j = 0; crds[b].kinds[j]; j++)
                s->kinds[b][j] |= str_eq(crds[b].kinds[j], w->kind);
        }
        for (j = 0; j < w->origins->n; j++) {
            struct summary_source *x =
                imp_index_get(&sources, imp_origin_label(im, w->origins->v[j]));
            if (x && (!x->output.n || x->output.v[x->output.n - 1] != w->label))
                ptrvec_push(im->a, &x->output, (void *)w->label);
        }
    }
    for (i = 0; i < s->sources.n; i++) {
        struct summary_source *x = s->sources.v[i];
        ptrvec_sort(&x->output, cmp_str);
    }
    needs(im, s);
    return s;
}

/* ---- the verdict, once the report is final ---- */

static const struct span *owner(const struct imp_summary *s, const struct diag *d)
{
    size_t lo = 0, hi = s->n_spans;

    if (d->loc.file == SOURCE_NONE)
        return NULL;
    while (lo < hi) { /* the first span after the diagnostic */
        size_t mid = lo + (hi - lo) / 2;
        const struct span *sp = &s->spans[mid];
        if (sp->file_id < d->loc.file ||
            (sp->file_id == d->loc.file && sp->offset <= d->loc.offset))
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo || s->spans[lo - 1].file_id != d->loc.file)
        return NULL;
    return &s->spans[lo - 1];
}

/* The findings of an object in an order its input's order does not
 * change: its own by where they are inside it, then those positioned in
 * other objects by what they say (their objects' order in the files is
 * the input's). */
static int cmp_finding(const void *pa, const void *pb)
{
    const struct finding *a = *(const struct finding *const *)pa;
    const struct finding *b = *(const struct finding *const *)pb;
    int c;

    if (a->own != b->own)
        return a->own ? -1 : 1;
    if (a->own && a->rel != b->rel)
        return a->rel < b->rel ? -1 : 1;
    if (a->d->code != b->d->code)
        return a->d->code < b->d->code ? -1 : 1;
    c = strcmp(a->d->path ? a->d->path : "", b->d->path ? b->d->path : "");
    if (!c)
        c = strcmp(a->d->message, b->d->message);
    if (!c && a->rel != b->rel)
        c = a->rel < b->rel ? -1 : 1;
    return c;
}

static void add_finding(const struct compilation *c, struct summary_source *x,
                        const struct diag *d, const struct span *sp)
{
    struct finding *f = ARENA_NEW(c->arena, struct finding);

    f->d = d;
    f->own = sp && sp->source == x;
    f->rel = sp ? d->loc.offset - sp->offset : 0;
    ptrvec_push(c->arena, &x->findings, f);
}

static void judge(const struct compilation *c, struct imp_summary *s)
{
    struct index by_object = {0};
    size_t i;

    for (i = 0; i < s->sources.n; i++) {
        struct summary_source *x = s->sources.v[i];
        x->findings.n = 0;
        imp_index_put(c->arena, &by_object, x->object, x);
    }
    for (i = 0; i < c->diags.n; i++) {
        const struct diag *d = c->diags.v[i];
        const struct span *sp = owner(s, d);
        struct summary_source *x = sp ? sp->source : NULL;
        struct summary_source *about =
            d->object ? imp_index_get(&by_object, d->object) : NULL;
        if (x)
            add_finding(c, x, d, sp);
        if (about && about != x)
            add_finding(c, about, d, sp);
    }
    for (i = 0; i < s->sources.n; i++)
        ptrvec_sort(&((struct summary_source *)s->sources.v[i])->findings,
                    cmp_finding);
    memset(s->count, 0, sizeof(s->count));
    for (i = 0; i < s->sources.n; i++) {
        struct summary_source *x = s->sources.v[i];
        bool errors = false, warnings = false, skipped = false;
        size_t k;
        for (k = 0; k < x->findings.n; k++) {
            const struct diag *d = ((const struct finding *)x->findings.v[k])->d;
            errors |= d->severity == DIAG_ERROR;
            warnings |= d->severity == DIAG_WARNING;
            skipped |= d->code == DIAG_IMPORT_SKIPPED;
        }
        if (!x->output.n && (errors || skipped || x->ingress))
            x->outcome = OUT_LEFT_OUT;
        else if (errors)
            x->outcome = OUT_PARTIAL;
        else if (warnings)
            x->outcome = OUT_APPROXIMATED;
        else
            x->outcome = OUT_EXACT;
        s->count[x->outcome]++;
    }
}

static bool bundle_used(const struct imp_summary *s, size_t b)
{
    size_t j;

    for (j = 0; crds[b].kinds[j]; j++) {
        if (s->kinds[b][j])
            return true;
    }
    return false;
}

/* ---- text ---- */

/* The findings shown in the text, at most this many per object: the
 * diagnostics above it say the rest. */
#define TEXT_FINDINGS 4

static void text_findings(struct strbuf *sb, const struct summary_source *x)
{
    size_t k, shown = 0;
    char code[8];

    for (k = 0; k < x->findings.n; k++) {
        const struct diag *d = ((const struct finding *)x->findings.v[k])->d;
        if (d->severity == DIAG_NOTE && x->outcome != OUT_LEFT_OUT)
            continue;
        if (shown++ == TEXT_FINDINGS) {
            strbuf_addstr(sb, ", ...");
            break;
        }
        strbuf_addf(sb, "%s%s at line %u", shown > 1 ? ", " : ": ",
                    diag_code_name(d->code, code), (unsigned)d->loc.line);
    }
}

void imp_summary_text(const struct compilation *c, struct imp_summary *s,
                      struct strbuf *sb)
{
    size_t i, step = 0;

    judge(c, s);
    strbuf_addf(sb, "gwc: import summary: %zu source object%s: %zu exact, %zu "
                "approximated, %zu partly converted, %zu left out\n",
                s->sources.n, s->sources.n == 1 ? "" : "s", s->count[OUT_EXACT], s->count[OUT_APPROXIMATED],
                s->count[OUT_PARTIAL], s->count[OUT_LEFT_OUT]);
    for (i = 0; i < s->sources.n; i++) {
        const struct summary_source *x = s->sources.v[i];
        if (x->outcome == OUT_EXACT)
            continue;
        strbuf_addf(sb, "  %s ", outcome_names[x->outcome]);
        escape_text(sb, x->label, strlen(x->label));
        strbuf_addstr(sb, " (");
        escape_text(sb, x->file, strlen(x->file));
        strbuf_addf(sb, ":%u)", (unsigned)x->line);
        text_findings(sb, x);
        strbuf_addch(sb, '\n');
    }
    if (!s->converted)
        return; /* GW0812 said why */
    strbuf_addstr(sb, "gwc: next steps:\n");
    for (i = 0; i < ARRAY_SIZE(crds); i++) {
        if (bundle_used(s, i))
            strbuf_addf(sb, "  %zu. install the CRDs of %s: %s\n", ++step,
                        crds[i].name, crds[i].install);
    }
    for (i = 0; i < s->classes.n; i++) {
        /* From the options, or (--gateway) from the input Gateway, whose
         * gatewayClassName the CRD does not restrict to a DNS name. */
        const char *klass = s->classes.v[i];
        strbuf_addf(sb, "  %zu. make sure GatewayClass '", ++step);
        escape_text(sb, klass, strlen(klass));
        strbuf_addstr(sb, "' exists, served by your Gateway API implementation\n");
    }
    for (i = 0; i < s->secrets.n; i++) {
        const struct summary_secret *x = s->secrets.v[i];
        if (x->in_inputs && s->include_inputs)
            continue;
        strbuf_addf(sb, "  %zu. Secret ", ++step);
        escape_text(sb, x->namespace, strlen(x->namespace));
        strbuf_addch(sb, '/');
        escape_text(sb, x->name, strlen(x->name));
        strbuf_addstr(sb, " (for ");
        escape_text(sb, x->user, strlen(x->user));
        strbuf_addf(sb, ") must exist in the cluster%s\n",
                    x->in_inputs ? ": it is in the inputs, apply it too (or "
                                   "import with --include-inputs)"
                                 : ": it is not in the inputs");
    }
    if (s->cert_manager.n) {
        strbuf_addf(sb, "  %zu. turn on cert-manager's Gateway API support "
                        "(config.enableGatewayAPI)%s, so that it keeps issuing "
                        "the certificates of ",
                    ++step,
                    s->cert_manager_sets
                        ? " and its ListenerSets (cert-manager 1.20 or later, "
                          "config.gatewayAPI.enableListenerSet and the "
                          "ListenerSets feature gate enabled)"
                        : "");
        for (i = 0; i < s->cert_manager.n; i++) {
            const char *x = s->cert_manager.v[i];
            if (i)
                strbuf_addstr(sb, ", ");
            escape_text(sb, x, strlen(x));
        }
        strbuf_addch(sb, '\n');
    }
    strbuf_addf(sb, "  %zu. check the output: gwc check on it%s\n", ++step,
                s->include_inputs ? "" : " and the Services and Secrets it uses");
}

/* ---- JSON ---- */

void imp_summary_json(const struct compilation *c, struct imp_summary *s,
                      struct strbuf *sb)
{
    struct jsonw w;
    size_t i, k;
    char code[8];

    judge(c, s);
    jsonw_init(&w, sb, false);
    jsonw_object_begin(&w);
    jsonw_kv_int(&w, "version", 1);
    jsonw_kv_string(&w, "provider", s->provider);
    jsonw_kv_object_begin(&w, "totals");
    jsonw_kv_int(&w, "sources", (int64_t)s->sources.n);
    for (i = 0; i < 4; i++)
        jsonw_kv_int(&w, outcome_names[i], (int64_t)s->count[i]);
    jsonw_object_end(&w);
    jsonw_kv_array_begin(&w, "sources");
    for (i = 0; i < s->sources.n; i++) {
        const struct summary_source *x = s->sources.v[i];
        jsonw_object_begin(&w);
        jsonw_kv_string(&w, "object", x->label);
        jsonw_kv_string(&w, "file", x->file);
        jsonw_kv_int(&w, "line", x->line);
        jsonw_kv_string(&w, "outcome", outcome_names[x->outcome]);
        jsonw_kv_array_begin(&w, "output");
        for (k = 0; k < x->output.n; k++)
            jsonw_string(&w, x->output.v[k]);
        jsonw_array_end(&w);
        jsonw_kv_array_begin(&w, "findings");
        for (k = 0; k < x->findings.n; k++) {
            const struct diag *d = ((const struct finding *)x->findings.v[k])->d;
            jsonw_object_begin(&w);
            jsonw_kv_string(&w, "code", diag_code_name(d->code, code));
            jsonw_kv_string(&w, "severity", diag_severity_name(d->severity));
            jsonw_kv_int(&w, "line", d->loc.line);
            if (d->path)
                jsonw_kv_string(&w, "field", d->path);
            jsonw_kv_string(&w, "message", d->message);
            jsonw_object_end(&w);
        }
        jsonw_array_end(&w);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_kv_object_begin(&w, "nextSteps");
    jsonw_kv_array_begin(&w, "crds");
    for (i = 0; i < ARRAY_SIZE(crds); i++) {
        if (!bundle_used(s, i))
            continue;
        jsonw_object_begin(&w);
        jsonw_kv_string(&w, "bundle", crds[i].name);
        jsonw_kv_string(&w, "install", crds[i].install);
        jsonw_kv_array_begin(&w, "kinds");
        for (k = 0; crds[i].kinds[k]; k++) {
            if (s->kinds[i][k])
                jsonw_string(&w, crds[i].kinds[k]);
        }
        jsonw_array_end(&w);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_kv_array_begin(&w, "gatewayClasses");
    for (i = 0; i < s->classes.n; i++)
        jsonw_string(&w, s->classes.v[i]);
    jsonw_array_end(&w);
    jsonw_kv_array_begin(&w, "secrets");
    for (i = 0; i < s->secrets.n; i++) {
        const struct summary_secret *x = s->secrets.v[i];
        jsonw_object_begin(&w);
        jsonw_kv_string(&w, "namespace", x->namespace);
        jsonw_kv_string(&w, "name", x->name);
        jsonw_kv_string(&w, "usedBy", x->user);
        jsonw_key(&w, "inInputs");
        jsonw_bool(&w, x->in_inputs);
        jsonw_object_end(&w);
    }
    jsonw_array_end(&w);
    jsonw_kv_array_begin(&w, "certManager");
    for (i = 0; i < s->cert_manager.n; i++)
        jsonw_string(&w, s->cert_manager.v[i]);
    jsonw_array_end(&w);
    jsonw_object_end(&w);
    jsonw_object_end(&w);
    strbuf_addch(sb, '\n');
}
