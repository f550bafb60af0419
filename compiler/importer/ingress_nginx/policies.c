/*
 * The gwc policies (docs/policies.md) an Ingress's annotations become: at
 * most one AccessPolicy, ClientPolicy and BackendPolicy per Ingress, named
 * "<ingress>-access", "-client", "-backend", in the namespace of the
 * routes its rules went to, targeting those rules (the whole route when
 * every forwarding rule of it comes from the Ingress, else each rule by
 * name).  ingress-nginx counts rate limits per Ingress; one ClientPolicy
 * per Ingress keeps one counter per client, as it does.
 *
 * Access control (address lists, authentication) converts exactly or
 * fails closed: the annotation is an error (GW0831) and the Ingress's
 * AccessPolicy denies every client, so its paths answer 403 instead of
 * being served without the check.  --allow-insecure-import serves them
 * without it, with a warning per Ingress (GW0832).
 */
#include "nx.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/strbuf.h"

#include <stdarg.h>
#include <string.h>

struct ing_policies {
    /* without targets; kind NULL until the Ingress has one */
    struct o_gwc_policy access, client, backend;
    bool fail_closed;
    const struct ynode *insecure_at; /* the first annotation not converted */
    struct ptrvec targets;           /* struct pol_target * */
    size_t n_rule_names;
    struct ptrvec notes; /* struct note *: said once the policies are written */
    struct strbuf written[3]; /* per kind: "Kind/name", ... as written */
};

/* A field converted: said once the policies are written, with their names
 * (split, in another namespace, or replaced by a deny-all AccessPolicy). */
struct note {
    const char *kind, *key, *field;
};

struct pol_target {
    const char *namespace; /* the route's */
    struct o_target t;
};

static struct ing_policies *pol(struct imp *im, struct ing *ing)
{
    size_t i;

    if (!ing->pol) {
        ing->pol = ARENA_NEW(im->a, struct ing_policies);
        for (i = 0; i < 3; i++)
            strbuf_init(&ing->pol->written[i]);
    }
    return ing->pol;
}

/* "access", "client", "backend": what a policy name ends in. */
static const char *suffix_of(const char *kind)
{
    return str_eq(kind, "AccessPolicy")   ? "access"
           : str_eq(kind, "ClientPolicy") ? "client"
                                          : "backend";
}

static const char *policy_name(struct imp *im, const struct ing *ing,
                               const char *kind, const char *ns, const char *suffix)
{
    const char *base =
        str_eq(ns, ing->namespace)
            ? arena_printf(im->a, "%s-%s", ing->src->obj.meta.name, suffix)
            : arena_printf(im->a, "%s-%s-%s", ing->namespace,
                           ing->src->obj.meta.name, suffix);

    return imp_name_claim(im, arena_printf(im->a, "%s/%s", kind, ns), base, 253);
}

static struct o_gwc_policy *slot(struct ing_policies *p, const char *kind)
{
    return str_eq(kind, "AccessPolicy")   ? &p->access
           : str_eq(kind, "ClientPolicy") ? &p->client
                                          : &p->backend;
}

struct o_gwc_policy *nx_pol_get(struct imp *im, struct ing *ing, const char *kind)
{
    struct o_gwc_policy *o = slot(pol(im, ing), kind);

    if (!o->kind) {
        o->kind = kind;
        o->namespace = ing->namespace;
        o->name = policy_name(im, ing, kind, ing->namespace, suffix_of(kind));
    }
    return o;
}

struct o_gwc_policy *nx_pol_find(struct ing *ing, const char *kind)
{
    struct o_gwc_policy *o = ing->pol ? slot(ing->pol, kind) : NULL;

    return o && o->kind ? o : NULL;
}

/* The ConfigMap, into origins, when ing took annotation key from it. */
static void config_origin(struct imp *im, const struct ing *ing, const char *key,
                          struct ptrvec *origins)
{
    if (imp_index_get(&ing->config_nodes, key))
        imp_origin_add(im, origins, NX(im)->config->root);
}

void nx_pol_converted(struct imp *im, struct ing *ing, const char *key,
                      const char *kind, const char *fmt, ...)
{
    struct note *n = ARENA_NEW(im->a, struct note);
    va_list ap;

    config_origin(im, ing, key, &nx_pol_get(im, ing, kind)->origins);
    va_start(ap, fmt);
    n->field = arena_vprintf(im->a, fmt, ap);
    va_end(ap);
    n->kind = kind;
    n->key = key;
    ptrvec_push(im->a, &ing->pol->notes, n);
}

static size_t kind_index(const char *kind)
{
    return str_eq(kind, "AccessPolicy") ? 0 : str_eq(kind, "ClientPolicy") ? 1 : 2;
}

static void notes(struct imp *im, struct ing *ing)
{
    struct ing_policies *p = ing->pol;
    size_t i;

    for (i = 0; i < p->notes.n; i++) {
        const struct note *n = p->notes.v[i];
        const struct strbuf *names = &p->written[kind_index(n->kind)];
        if (!names->len)
            nx_report_annotation(im, ing, n->key, DIAG_IMPORT_POLICY,
                                 "converts to a gwc %s (%s), not written: no rule "
                                 "of the Ingress forwards requests",
                                 n->kind, n->field);
        else if (str_eq(n->kind, "AccessPolicy") && p->fail_closed &&
                 !im->o->allow_insecure)
            nx_report_annotation(im, ing, n->key, DIAG_IMPORT_POLICY,
                                 "converts to gwc policy %s (%s), which denies "
                                 "every client instead, since other access control "
                                 "of the Ingress is not converted exactly",
                                 names->buf, n->field);
        else
            nx_report_annotation(im, ing, n->key, DIAG_IMPORT_POLICY,
                                 "converted to gwc policy %s (%s)", names->buf,
                                 n->field);
    }
    for (i = 0; i < 3; i++)
        strbuf_release(&p->written[i]);
}

/* The format of a fail-closed report: the caller's reason format inside
 * the fixed text, which holds no '%', so the directives are the caller's
 * (format_arg: checked as such). */
__attribute__((format_arg(2))) static const char *
fail_closed_format(const struct imp *im, const char *fmt)
{
    return arena_printf(im->a,
                        "access control not converted exactly: %s; the Ingress's "
                        "paths %s",
                        fmt,
                        im->o->allow_insecure
                            ? "are served WITHOUT it (--allow-insecure-import)"
                            : "answer 403 (its AccessPolicy denies every client) "
                              "instead of being served without it");
}

/* The one entry of both below: the reason is formatted once, by the
 * report. */
__attribute__((format(printf, 4, 0))) static void
vfail_closed(struct imp *im, struct ing *ing, const struct ynode *at,
             const char *fmt, va_list ap)
{
    struct ing_policies *p = pol(im, ing);

    nx_vreport(im, ing, at, diag_info(DIAG_IMPORT_FAIL_CLOSED)->severity,
               DIAG_IMPORT_FAIL_CLOSED, fail_closed_format(im, fmt), ap);
    nx_pol_get(im, ing, "AccessPolicy");
    if (!p->insecure_at)
        p->insecure_at = at;
    p->fail_closed = true;
}

void nx_fail_closed(struct imp *im, struct ing *ing, const struct ynode *at,
                    const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfail_closed(im, ing, at, fmt, ap);
    va_end(ap);
}

void nx_pol_fail_closed(struct imp *im, struct ing *ing, const char *key,
                        const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vfail_closed(im, ing, nx_report_annotation_node(ing, key), fmt, ap);
    va_end(ap);
}

void nx_pol_ignored_without(struct imp *im, const struct ing *ing,
                            const char *const *keys, size_t n, const char *what)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (nx_report_annotation_node(ing, keys[i]))
            nx_report_annotation(im, ing, keys[i], DIAG_IMPORT_IGNORED,
                                 "ignored without %s", what);
    }
}

/* ---- targets ---- */

static bool has_policy(const struct ing *ing)
{
    const struct ing_policies *p = ing->pol;

    return p && (p->access.kind || p->client.kind || p->backend.kind);
}

struct targeting {
    struct imp *im;
    const struct host_group *g;
};

static const void *owner(void *ctx, const struct o_rule *rule)
{
    const struct ing *ing = rule->source;

    (void)ctx;
    return ing && has_policy(ing) ? ing : NULL;
}

/* "<ingress>", "<ingress>-2", ...: unique among the rules of the host. */
static const char *rule_name(void *ctx, const void *owner, struct o_rule *rule)
{
    const struct targeting *t = ctx;
    struct ing *ing = (struct ing *)owner;
    struct imp *im = t->im;
    const char *base = ing->pol->n_rule_names++
                           ? arena_printf(im->a, "%s-%zu", ing->src->obj.meta.name,
                                          ing->pol->n_rule_names)
                           : ing->src->obj.meta.name;

    (void)rule;
    return imp_name_claim(im,
                          arena_printf(im->a, "rule/%s/%s/%s", t->g->namespace,
                                       t->g->klass, t->g->host),
                          base, 253);
}

static void add_target(void *ctx, const void *owner, const struct o_route *r,
                       const char *section)
{
    struct imp *im = ((const struct targeting *)ctx)->im;
    struct ing *ing = (struct ing *)owner;
    struct pol_target *t = ARENA_NEW(im->a, struct pol_target);

    t->namespace = r->namespace;
    t->t.kind = r->kind;
    t->t.name = r->name;
    t->t.section = section;
    ptrvec_push(im->a, &ing->pol->targets, t);
}

void nx_policies_target(struct imp *im, const struct host_group *g,
                        const struct o_route *r)
{
    struct targeting t = {im, g};
    const struct rule_owners ro = {owner, rule_name, add_target, &t};

    imp_policy_targets(r, &ro);
}

/* ---- the policies ---- */

/* The annotation a split ClientPolicy's limits come from. */
static const struct ynode *limit_key(const struct ing *ing)
{
    static const char *const keys[] = {"limit-rps", "limit-rpm",
                                       "limit-connections"};
    size_t i;

    for (i = 0; i < 2 && !nx_report_annotation_node(ing, keys[i]); i++)
        ;
    return nx_report_annotation_node(ing, keys[i]);
}

/* Adds p's name to what the notes of its kind name. */
static void said(struct ing *ing, const struct o_gwc_policy *p)
{
    struct strbuf *sb = &ing->pol->written[kind_index(p->kind)];

    if (sb->len)
        strbuf_addstr(sb, " and ");
    if (str_eq(p->namespace, ing->namespace))
        strbuf_addf(sb, "%s/%s", p->kind, p->name);
    else
        strbuf_addf(sb, "%s %s/%s", p->kind, p->namespace, p->name);
}

/* Copies of one policy for the targets of namespace ns, at most 16 each. */
static void emit(struct imp *im, struct ing *ing, const struct o_gwc_policy *tpl,
                 const char *ns)
{
    const struct ptrvec *targets = &ing->pol->targets;
    struct ptrvec mine = {0};
    struct o_gwc_policy first = *tpl;
    size_t i, parts, before = im->gwc_policies.n;

    for (i = 0; i < targets->n; i++) {
        const struct pol_target *t = targets->v[i];
        if (str_eq(t->namespace, ns))
            ptrvec_push(im->a, &mine, (void *)&t->t);
    }
    first.namespace = ns;
    if (!str_eq(ns, tpl->namespace))
        first.name = policy_name(im, ing, tpl->kind, ns, suffix_of(tpl->kind));
    parts = imp_policy_emit(im, &first, &mine);
    for (i = before; i < im->gwc_policies.n; i++)
        said(ing, im->gwc_policies.v[i]);
    if (parts > 1 && (tpl->n_rates || tpl->concurrent))
        nx_report_node(im, ing, limit_key(ing), DIAG_IMPORT_APPROXIMATED,
                       "the rules of this Ingress need %zu ClientPolicies (at "
                       "most %d targets each), and each counts its rate and "
                       "connection limits apart",
                       parts, MAX_POLICY_TARGETS);
}

/* Denies every client: what an Ingress whose access control was not
 * converted exactly gets instead. */
static void deny_all(struct imp *im, struct o_gwc_policy *a)
{
    static const char *const all[] = {"0.0.0.0/0", "::/0"};

    a->allow = NULL;
    a->n_allow = 0;
    a->basic_secret = NULL;
    a->ext_auth = NULL;
    a->satisfy = NULL;
    a->deny = ARENA_NEW_ARRAY(im->a, const char *, 2);
    memcpy(a->deny, all, sizeof(all));
    a->n_deny = 2;
}

static void ingress_policies(struct imp *im, struct ing *ing)
{
    struct ing_policies *p = ing->pol;
    struct ptrvec namespaces = {0};
    size_t i, k;

    if (p->fail_closed && im->o->allow_insecure)
        nx_report_node(im, ing, p->insecure_at, DIAG_IMPORT_INSECURE,
                       "Ingress %s/%s is served WITHOUT access control "
                       "ingress-nginx enforces on it (--allow-insecure-import); "
                       "convert it by hand before the output is applied",
                       ing->namespace, ing->src->obj.meta.name);
    else if (p->fail_closed)
        deny_all(im, &p->access);
    if (p->access.kind && !p->access.n_allow && !p->access.n_deny &&
        !p->access.basic_secret && !p->access.ext_auth)
        p->access.kind = NULL; /* --allow-insecure-import left nothing */
    for (i = 0; i < p->targets.n; i++) {
        const char *ns = ((const struct pol_target *)p->targets.v[i])->namespace;
        for (k = 0; k < namespaces.n && !str_eq(namespaces.v[k], ns); k++)
            ;
        if (k == namespaces.n)
            ptrvec_push(im->a, &namespaces, (void *)ns);
    }
    for (k = 0; k < namespaces.n; k++) {
        const struct o_gwc_policy *const all[] = {&p->access, &p->client,
                                                  &p->backend};
        size_t j;
        for (j = 0; j < 3; j++) {
            if (all[j]->kind)
                emit(im, ing, all[j], namespaces.v[k]);
        }
    }
    notes(im, ing);
}

void nx_policies_build(struct imp *im)
{
    size_t i;

    for (i = 0; i < NX(im)->ings.n; i++) {
        struct ing *ing = NX(im)->ings.v[i];
        if (has_policy(ing))
            ingress_policies(im, ing);
    }
}
