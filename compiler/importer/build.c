/*
 * Output pieces every provider builds the same way: rules with their
 * backends, routes, and policies split to their target limit (the
 * ReferenceGrants they need: grants.c).
 */
#include "import_internal.h"

#include "base/arena.h"

#include <stdlib.h>
#include <string.h>

/* The longest query parameter value of a match the output holds (Gateway
 * API's 1024 characters); headers: IMP_HEADER_VALUE_MAX. */
#define MAX_QUERY_VALUE 1024

/* A condition whose value is longer than Gateway API allows would make the
 * whole output invalid.  It cannot be shortened, and dropping it would
 * send its requests elsewhere: it becomes a match of the name's presence
 * (the same precedence, more requests) on a rule that answers 500. */
static bool widen(struct o_header_match *h, size_t max)
{
    if (!h->name || !h->value || strlen(h->value) <= max)
        return false;
    h->type = "RegularExpression";
    h->value = ".*";
    return true;
}

/* A header the rule sets to a value longer than the output holds (a
 * provider that knows the field reports it there first), or NULL. */
static const struct o_header *set_too_long(const struct o_filters *f)
{
    const struct ptrvec *lists[2];
    size_t i, k;

    if (!f)
        return NULL;
    lists[0] = &f->request_set;
    lists[1] = &f->response_set;
    for (k = 0; k < 2; k++) {
        for (i = 0; i < lists[k]->n; i++) {
            const struct o_header *h = lists[k]->v[i];
            if (h->value && strlen(h->value) > IMP_HEADER_VALUE_MAX)
                return h;
        }
    }
    return NULL;
}

/* The matches of r widened to "present" answer 500; when only some are,
 * they move to a refused rule of their own (r->widened), so that r's
 * other matches are still served as their source serves them.  A header
 * the rule sets past the limit refuses the whole rule. */
static void rule_fits(struct imp *im, struct o_rule *r, const struct ynode *origin)
{
    const struct o_header *set = set_too_long(r->filters);
    bool *wide = NULL;
    size_t i, n_wide = 0, kept = 0;

    for (i = 0; i < r->n_matches; i++) {
        struct o_match *m = &r->matches[i];
        const char *h = m->header.name, *q = m->query.name;
        const struct o_header_match said = m->header.name && m->header.value &&
                                                   strlen(m->header.value) >
                                                       IMP_HEADER_VALUE_MAX
                                               ? m->header
                                               : m->query;
        bool hw = widen(&m->header, IMP_HEADER_VALUE_MAX);
        bool qw = widen(&m->query, MAX_QUERY_VALUE);
        const char *label = origin ? imp_origin_label(im, origin) : NULL;
        if (!hw && !qw)
            continue;
        if (!n_wide && origin && said.at_off)
            imp_report_in_scalar(im, label, origin, said.at, said.at_off - 1,
                                 DIAG_IMPORT_NOT_CONVERTED,
                                 "not converted: the value of %s '%s' is longer "
                                 "than the output can hold (%d characters); the "
                                 "rule matches any value of it and answers 500",
                                 hw ? "header" : "query parameter", hw ? h : q,
                                 hw ? IMP_HEADER_VALUE_MAX : MAX_QUERY_VALUE);
        else if (!n_wide && origin)
            imp_report_at(im, label, origin, said.at ? said.at : origin,
                          DIAG_IMPORT_NOT_CONVERTED,
                          "not converted: the value of %s '%s' is longer than "
                          "the output can hold (%d characters); the rule "
                          "matches any value of it and answers 500",
                          hw ? "header" : "query parameter", hw ? h : q,
                          hw ? IMP_HEADER_VALUE_MAX : MAX_QUERY_VALUE);
        if (!wide)
            wide = ARENA_NEW_ARRAY(im->a, bool, r->n_matches);
        wide[i] = true;
        n_wide++;
    }
    if (set && !n_wide && origin)
        imp_report_at(im, imp_origin_label(im, origin), origin, origin,
                      DIAG_IMPORT_NOT_CONVERTED,
                      "not converted: the value the rule sets header '%s' to is "
                      "longer than the output can hold (%d characters); the rule "
                      "answers 500",
                      set->name, IMP_HEADER_VALUE_MAX);
    if (!n_wide && !set)
        return;
    if (set || n_wide == r->n_matches) {
        r->refused = true;
        return;
    }
    r->widened = ARENA_NEW(im->a, struct o_rule);
    r->widened->matches = ARENA_NEW_ARRAY(im->a, struct o_match, n_wide);
    r->widened->group = r->group;
    r->widened->refused = true;
    imp_origin_add(im, &r->widened->origins, origin);
    for (i = 0; i < r->n_matches; i++) {
        if (wide[i])
            r->widened->matches[r->widened->n_matches++] = r->matches[i];
        else
            r->matches[kept++] = r->matches[i];
    }
    r->n_matches = kept;
}

const struct ptrvec *imp_rules_expand(struct imp *im, const struct ptrvec *rules)
{
    struct ptrvec *out;
    size_t i;

    for (i = 0; i < rules->n && !((struct o_rule *)rules->v[i])->widened; i++)
        ;
    if (i == rules->n)
        return rules;
    out = ARENA_NEW(im->a, struct ptrvec);
    for (i = 0; i < rules->n; i++) {
        struct o_rule *r = rules->v[i];
        ptrvec_push(im->a, out, r);
        if (r->widened) {
            r->widened->source = r->source; /* set after rule_new */
            ptrvec_push(im->a, out, r->widened);
        }
    }
    return out;
}

struct o_rule *imp_routes_rule_new(struct imp *im, const struct ynode *origin,
                                   const struct o_match *m, size_t n,
                                   const struct o_filters *f, size_t group)
{
    struct o_rule *r = ARENA_NEW(im->a, struct o_rule);

    imp_origin_add(im, &r->origins, origin);
    r->matches = ARENA_NEW_ARRAY(im->a, struct o_match, n ? n : 1);
    if (n)
        memcpy(r->matches, m, n * sizeof(*m));
    r->n_matches = n;
    r->filters = f;
    r->group = group;
    rule_fits(im, r, origin);
    return r;
}

void imp_routes_rule_add_backend(struct imp *im, struct o_rule *r,
                                 const struct backend *b, int64_t weight)
{
    struct o_backend *v;

    if (!b->service)
        return;
    v = ARENA_NEW(im->a, struct o_backend);
    v->name = b->service;
    v->namespace = b->namespace;
    v->port = b->port;
    v->weight = weight;
    ptrvec_push(im->a, &r->backends, v);
}

bool imp_ingress_backend_port(struct imp *im, const char *label,
                              const struct ynode *root, const char *ns,
                              const struct ingress_backend *b, struct backend *out)
{
    const struct ingress_port *p = &b->service.port;
    const struct service *svc;
    size_t i;

    memset(out, 0, sizeof(*out));
    out->src = b->src;
    out->namespace = ns;
    if (!b->service.name) {
        imp_report_at(im, label, root, b->src, DIAG_IMPORT_NOT_CONVERTED,
                      "only Service backends are converted");
        return false;
    }
    if (!imp_value_service_name(b->service.name)) {
        imp_report_at(im, label, root, b->src, DIAG_IMPORT_NOT_CONVERTED,
                      "not converted: '%s' is no Service name (a DNS-1035 label)",
                      imp_report_value(im, b->service.name));
        return false;
    }
    if (p->number > 0) {
        out->service = b->service.name;
        out->port = p->number;
        return true;
    }
    svc = (const struct service *)imp_find_object(im, KIND_SERVICE, ns,
                                                  b->service.name);
    for (i = 0; svc && p->name && i < svc->n_ports; i++) {
        if (str_eq(svc->ports[i].name, p->name)) {
            out->service = b->service.name;
            out->port = svc->ports[i].port;
            return true;
        }
    }
    imp_report_at(im, label, root, p->src ? p->src : b->src,
                  DIAG_IMPORT_NOT_CONVERTED,
                  "port '%s' of Service '%s/%s' is not in the input: the port "
                  "number cannot be written; the path answers 500",
                  p->name ? p->name : "", ns, b->service.name);
    return false;
}

size_t imp_policy_emit(struct imp *im, const struct o_gwc_policy *tpl,
                       const struct ptrvec *targets)
{
    struct o_gwc_policy *p = NULL;
    size_t i, k, parts = 0;

    for (i = 0; i < targets->n; i++) {
        if (!p || p->targets.n == MAX_POLICY_TARGETS) {
            p = ARENA_NEW(im->a, struct o_gwc_policy);
            *p = *tpl;
            memset(&p->targets, 0, sizeof(p->targets));
            memset(&p->origins, 0, sizeof(p->origins)); /* a copy of its own */
            for (k = 0; k < tpl->origins.n; k++)
                imp_origin_add(im, &p->origins, tpl->origins.v[k]);
            if (parts++)
                p->name = imp_name_claim(
                    im, arena_printf(im->a, "%s/%s", tpl->kind, tpl->namespace),
                    arena_printf(im->a, "%s-%02zu", tpl->name, parts), 253);
            ptrvec_push(im->a, &im->gwc_policies, p);
            imp_grants_for_policy(im, p);
        }
        ptrvec_push(im->a, &p->targets, targets->v[i]);
    }
    return parts;
}

void imp_target_add(struct imp *im, struct ptrvec *targets, const struct o_route *r,
                    const char *section)
{
    struct o_target *t = ARENA_NEW(im->a, struct o_target);

    t->kind = r->kind;
    t->name = r->name;
    t->section = section;
    ptrvec_push(im->a, targets, t);
}

static bool forwards(const struct o_rule *r)
{
    return !r->filters || !r->filters->redirect;
}

void imp_policy_targets(const struct o_route *r, const struct rule_owners *ro)
{
    size_t i, k;

    for (i = 0; i < r->rules.n; i++) {
        struct o_rule *rule = r->rules.v[i];
        const void *owner = forwards(rule) ? ro->owner(ro->ctx, rule) : NULL;
        bool seen = false, whole = true;

        if (!owner)
            continue;
        for (k = 0; k < r->rules.n; k++) {
            const struct o_rule *o = r->rules.v[k];
            const void *other;
            if (!forwards(o))
                continue;
            other = ro->owner(ro->ctx, o);
            if (k < i && other == owner)
                seen = true;
            if (other != owner)
                whole = false;
        }
        if (seen)
            continue;
        if (whole) {
            ro->add(ro->ctx, owner, r, NULL);
            continue;
        }
        for (k = i; k < r->rules.n; k++) {
            struct o_rule *o = r->rules.v[k];
            if (!forwards(o) || ro->owner(ro->ctx, o) != owner)
                continue;
            if (!o->name)
                o->name = ro->name(ro->ctx, owner, o);
            ro->add(ro->ctx, owner, r, o->name);
        }
    }
}

static const struct o_rule *rule_at(const struct ptrvec *rules, size_t i)
{
    return rules->v[i];
}

size_t imp_rules_chunk_end(const struct ptrvec *rules, size_t start)
{
    size_t end = start;

    while (end < rules->n) {
        size_t group = rule_at(rules, end)->group, next = end;

        while (next < rules->n && rule_at(rules, next)->group == group)
            next++;
        if (next - start > MAX_ROUTE_RULES)
            return end > start ? end : start + MAX_ROUTE_RULES;
        end = next;
    }
    return end;
}

size_t imp_match_string_prefix(struct imp *im, struct o_match m[2], const char *p)
{
    size_t n = strlen(p);

    m[0].path.type = "PathPrefix";
    m[0].path.value = p;
    if (n < 2 || p[n - 1] == '/')
        return 1;
    m[1] = m[0];
    m[1].path.type = "RegularExpression";
    m[1].path.value = arena_printf(im->a, "%s[^/].*", imp_re_quote(im->a, p));
    /* A path value holds 1024 characters: past them the output would fail
     * gwc check, so a prefix that long matches whole segments only. */
    return strlen(m[1].path.value) > IMP_RE_MAX ? 1 : 2;
}

/* The first of the sorted v[0..n) above key (or at least key). */
static size_t bound(const char *const *v, size_t n, const char *key, bool above)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(v[mid], key);
        if (c < 0 || (above && c == 0))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* With the prefixes sorted, an extension "/foobar" of "/foo" sorts right
 * after it or after its "/foo/..." block ('0' follows '/'). */
void imp_prefix_siblings(struct imp *im, struct o_match *const *ms,
                         size_t *const *ns, size_t n, bool *narrowed)
{
    const char **v = ARENA_NEW_ARRAY(im->a, const char *, n + 1);
    size_t i, k = 0;

    for (i = 0; i < n; i++) {
        narrowed[i] = false;
        if (*ns[i] && str_eq(ms[i][0].path.type, "PathPrefix"))
            v[k++] = ms[i][0].path.value;
    }
    qsort(v, k, sizeof(*v), cmp_str);
    for (i = 0; i < n; i++) {
        const char *p = *ns[i] == 2 ? ms[i][0].path.value : NULL;
        size_t len, next, past;

        if (!p)
            continue;
        len = strlen(p);
        next = bound(v, k, p, true);
        past = bound(v, k, arena_printf(im->a, "%s0", p), false);
        if ((next < k && strncmp(v[next], p, len) == 0 && v[next][len] != '/') ||
            (past < k && strncmp(v[past], p, len) == 0)) {
            *ns[i] = 1;
            narrowed[i] = true;
        }
    }
}

void imp_routes_emit(struct imp *im, enum kind kind, const char *ns,
                     const char *base, const char *host, const struct o_gateway *gw,
                     const struct ptrvec *rules, const char *const *sections,
                     size_t n_sections)
{
    const char *scope = arena_printf(im->a, "%s/%s", model_kind_name(kind), ns);
    size_t i = 0, part = 0, k;

    rules = imp_rules_expand(im, rules);
    while (i < rules->n) {
        size_t end = imp_rules_chunk_end(rules, i);
        struct o_route *r = ARENA_NEW(im->a, struct o_route);
        const char *name = ++part == 1 ? base
                                       : arena_printf(im->a, "%s-%02zu", base, part);

        r->kind = kind;
        r->namespace = ns;
        r->name = imp_name_claim(im, scope, name, 253);
        if (*host) {
            r->hostnames = ARENA_NEW_ARRAY(im->a, const char *, 1);
            r->hostnames[r->n_hostnames++] = host;
        }
        for (k = 0; k < n_sections; k++)
            imp_route_attach(im, r, gw, sections[k]);
        for (; i < end; i++)
            ptrvec_push(im->a, &r->rules, rules->v[i]);
        imp_grants_for_route(im, r);
        ptrvec_push(im->a, &im->routes, r);
    }
}
