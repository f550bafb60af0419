/*
 * RoutingTests: each case's request is explained against the plan, and
 * the answer compared with what the case expects.  A case that fails is an
 * error at the case, with the route that answered it as a note.
 */
#include "explain_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/str.h"
#include "base/strbuf.h"
#include "load/load.h"

#include <stdlib.h>
#include <string.h>

const char *explain_summary(struct arena *a, const struct explain_result *x)
{
    struct strbuf sb = STRBUF_INIT;
    const char *s;
    size_t i;

    if (x->error) {
        strbuf_addf(&sb, "no answer: %s", x->error);
    } else if (x->status) {
        strbuf_addf(&sb, "status %d", x->status);
        if (x->location)
            strbuf_addf(&sb, " Location: %s", x->location);
    } else {
        for (i = 0; i < x->n_backends; i++) {
            const struct explain_backend *b = &x->backends[i];
            strbuf_addstr(&sb, i ? ", " : "");
            if (b->backend)
                strbuf_addstr(&sb, explain_backend_name(a, b->backend));
            else
                strbuf_addf(&sb, "status %d", b->status);
            strbuf_addf(&sb, " (weight %lld)", (long long)b->weight);
        }
    }
    s = arena_strndup(a, sb.buf, sb.len);
    strbuf_release(&sb);
    return s;
}

/* "ns/name" of an expected backend; a bare name is in the test's
 * namespace. */
static const char *full_name(struct arena *a, const struct routing_test *t, const char *name)
{
    return strchr(name, '/') ? name : arena_printf(a, "%s/%s", t->obj.meta.namespace, name);
}

/* Is the Service in the input?  Otherwise the expectation can never
 * hold, and saying so beats a confusing mismatch. */
static bool known_backend(struct compilation *c, const struct model *m,
                          const struct explain_case *k, const char *name,
                          const struct ynode *at)
{
    const char *slash = strchr(name, '/');
    const char *ns = arena_strndup(c->arena, name, (size_t)(slash - name));

    if (model_find(m, KIND_SERVICE, ns, slash + 1))
        return true;
    diag_report(&c->diags, DIAG_ROUTING_TEST_BACKEND, ynode_loc(c, at),
                model_object_label(c, &k->test->obj), model_path(c, at),
                "%s: Service '%s' is not in the input", k->name, name);
    return false;
}

static const struct explain_backend *chosen(const struct explain_result *x, struct arena *a,
                                            const char *name)
{
    size_t i;

    for (i = 0; i < x->n_backends; i++) {
        if (x->backends[i].backend &&
            str_eq(explain_backend_name(a, x->backends[i].backend), name))
            return &x->backends[i];
    }
    return NULL;
}

/* NULL when the answer is as expected, else what differs; *reported when
 * the expectation itself was reported as wrong. */
static const char *compare(struct compilation *c, const struct model *m, struct explain_case *k,
                           bool *reported)
{
    const struct routing_expect *e = &k->rcase->expect;
    const struct explain_result *x = &k->result;
    struct arena *a = c->arena;
    const char *got = explain_summary(a, x);
    size_t i;

    if (e->backend) {
        const char *want = full_name(a, k->test, e->backend);
        if ((*reported = !known_backend(c, m, k, want, e->src)))
            return "the expected backend is not in the input";
        if (x->error || x->status || x->n_backends != 1 || !chosen(x, a, want))
            return arena_printf(a, "expected backend %s, got %s", want, got);
    }
    if (e->backends) {
        size_t n = e->backends->n;
        for (i = 0; i < n; i++) {
            const struct ynode *w = e->backends->items[i];
            const char *want = full_name(a, k->test, w->key);
            const struct explain_backend *b;
            if ((*reported = !known_backend(c, m, k, want, w)))
                return "an expected backend is not in the input";
            b = chosen(x, a, want);
            if (!b || b->weight != strtoll(w->text, NULL, 10))
                return arena_printf(a, "expected %s with weight %s, got %s", want,
                                    w->text, got);
        }
        if (x->error || x->status || x->n_backends != n)
            return arena_printf(a, "expected %zu backend%s, got %s", n, n == 1 ? "" : "s",
                                got);
    }
    if (e->status != INT_UNSET && (x->error || x->status != e->status))
        return arena_printf(a, "expected status %lld, got %s", (long long)e->status, got);
    if (e->status == INT_UNSET && (x->error || x->status))
        return arena_printf(a, "expected a backend, got %s", got);
    if (e->location && !str_eq(e->location, x->location))
        return arena_printf(a, "expected Location %s, got %s", e->location, got);
    for (i = 0; i < e->headers_set.n; i++) {
        const struct strmap_entry *h = &e->headers_set.v[i];
        const char *v = NULL;
        size_t j;
        for (j = 0; j < x->upstream.n_set; j++) {
            if (str_eq_nocase(x->upstream.set[j].name, h->key))
                v = x->upstream.set[j].value;
        }
        if (!str_eq(v, h->value))
            return arena_printf(a, "expected the backend to get %s: %s, %s", h->key,
                                h->value, v ? arena_printf(a, "got %s", v) : "it is not set");
    }
    return NULL;
}

/* The case's request; false (reported) when it is not one. */
static bool build_request(struct compilation *c, struct explain_case *k)
{
    const struct routing_request *r = &k->rcase->request;
    const char **lines = ARENA_NEW_ARRAY(c->arena, const char *, r->headers.n + 1);
    const char *why;
    size_t i;

    for (i = 0; i < r->headers.n; i++)
        lines[i] = arena_printf(c->arena, "%s: %s", r->headers.v[i].key, r->headers.v[i].value);
    why = explain_request_init(c->arena, &k->request, r->method, r->url, lines, r->headers.n,
                               r->sni);
    if (!why)
        return true;
    diag_report(&c->diags, DIAG_ROUTING_TEST_INVALID, ynode_loc(c, r->src),
                model_object_label(c, &k->test->obj), model_path(c, r->src),
                "%s: %s", k->name, why);
    return false;
}

static void run_case(struct compilation *c, const struct model *m, const struct plan *plan,
                     const struct plan_options *po, struct explain_case *k)
{
    struct diag *d;
    const struct candidate *w;
    bool reported = false;

    if (!(k->runnable = build_request(c, k)))
        return;
    explain_request(c->arena, plan, po, &k->request, &k->result);
    if (!(k->failure = compare(c, m, k, &reported))) {
        k->passed = true;
        return;
    }
    if (reported)
        return;
    d = diag_report(&c->diags, DIAG_ROUTING_TEST_FAILED,
                    ynode_loc(c, k->rcase->src),
                    model_object_label(c, &k->test->obj),
                    model_path(c, k->rcase->src), "%s: %s", k->name, k->failure);
    if ((w = k->result.winner) != NULL)
        diag_add_note(
            &c->diags, d, ynode_loc(c, explain_match_src(w)),
            "answered by %s rule %zu match %zu (gwc explain-request shows why)",
            model_object_label(c, &w->att->route->route->obj), w->rule_index,
            w->match_index);
}

size_t explain_run_tests(struct compilation *c, const struct model *m,
                         const struct plan *plan, const struct plan_options *po,
                         struct explain_case **out)
{
    const struct ptrvec *tests = &m->objects[KIND_ROUTING_TEST];
    size_t n = 0, i, j;

    for (i = 0; i < tests->n; i++)
        n += ((const struct routing_test *)tests->v[i])->n_cases;
    *out = ARENA_NEW_ARRAY(c->arena, struct explain_case, n ? n : 1);
    n = 0;
    for (i = 0; i < tests->n; i++) {
        const struct routing_test *t = tests->v[i];
        if (t->obj.rejected)
            continue;
        for (j = 0; j < t->n_cases; j++) {
            struct explain_case *k = &(*out)[n++];
            k->test = t;
            k->rcase = &t->cases[j];
            k->name = t->cases[j].name ? t->cases[j].name
                                       : arena_printf(c->arena, "case %zu", j);
            run_case(c, m, plan, po, k);
        }
    }
    return n;
}
