/*
 * The routes of a host group: their names, hostnames and listeners.
 *
 * A route holds at most 16 rules: longer lists continue in "<name>-02",
 * "<name>-03", ... (names that sort in rule order), never splitting the
 * rules of one location.
 * ssl-passthrough gives the host a TLSRoute.
 */
#include "nx.h"

#include "base/arena.h"
#include "base/compilation.h"

static void add_parent(struct imp *im, struct o_route *r, const struct o_gateway *gw,
                       const char *section)
{
    if (section)
        imp_route_attach(im, r, gw, section);
}

/* Names [from, to) of a host group: 0 its host, k its alias k - 1. */
struct names {
    size_t from, to;
};

static void attach(struct imp *im, const struct host_group *g, struct o_route *r,
                   bool http, bool https, struct names nm)
{
    size_t k;

    for (k = nm.from; k < nm.to; k++) {
        if (http)
            add_parent(im, r, g->gateway, k ? g->alias_http[k - 1] : g->http_listener);
        if (https)
            add_parent(im, r, g->gateway,
                       k ? g->alias_https[k - 1] : g->https_listener);
    }
}

static struct o_route *new_route(struct imp *im, const struct host_group *g,
                                 enum kind kind, const char *name, struct names nm)
{
    struct o_route *r = ARENA_NEW(im->a, struct o_route);
    size_t k;

    r->kind = kind;
    r->namespace = g->namespace;
    r->name = name;
    if (*g->host) {
        r->hostnames = ARENA_NEW_ARRAY(im->a, const char *, nm.to - nm.from);
        for (k = nm.from; k < nm.to; k++)
            r->hostnames[r->n_hostnames++] =
                k ? (const char *)g->aliases.v[k - 1] : g->host;
    }
    ptrvec_push(im->a, &im->routes, r);
    return r;
}

/* The rules of one host as routes of at most 16 rules, and (with more
 * than 16 names, the host and its aliases) the same routes again for
 * each further 16 names: a name left out would go to whichever other
 * route matches it (a wildcard host), without this host's access
 * control. */
void nx_routes_emit(struct imp *im, const struct host_group *g, enum kind kind,
                    const char *suffix, const struct ptrvec *rules, bool http,
                    bool https)
{
    const char *label =
        *g->host ? imp_name_host_label(im->a, g->host) : "all-hosts";
    const char *base = arena_printf(im->a, "%s%s", label, suffix);
    const char *scope =
        arena_printf(im->a, "%s/%s", model_kind_name(kind), g->namespace);
    size_t i, part = 0, n_names = *g->host ? 1 + g->aliases.n : 1;
    struct names nm;

    rules = imp_rules_expand(im, rules);
    for (nm.from = 0; nm.from < n_names; nm.from = nm.to) {
        nm.to = nm.from + MAX_ROUTE_HOSTNAMES < n_names ? nm.from + MAX_ROUTE_HOSTNAMES
                                                        : n_names;
        for (i = 0; i < rules->n;) {
            size_t end = imp_rules_chunk_end(rules, i);
            /* "-02", "-03": the parts sort in rule order, as route names
             * break precedence ties. */
            const char *name = ++part == 1 ? base
                                           : arena_printf(im->a, "%s-%02zu", base, part);
            struct o_route *r =
                new_route(im, g, kind, imp_name_claim(im, scope, name, 253), nm);

            attach(im, g, r, http, https, nm);
            for (; i < end; i++)
                ptrvec_push(im->a, &r->rules, rules->v[i]);
            imp_grants_for_route(im, r);
            nx_policies_target(im, g, r);
        }
    }
    if (part > 1 && g->locations.n && n_names > MAX_ROUTE_HOSTNAMES) {
        const struct location *l = g->locations.v[0];
        nx_report_annotation(im, g->alias_ing ? g->alias_ing : l->ing, "server-alias",
                             DIAG_IMPORT_LIMIT,
                             "host '%s' has %zu names with its aliases: its %zu "
                             "rules are split into %zu %ss (at most %d rules and "
                             "%d hostnames each)",
                             g->host, n_names, rules->n, part, model_kind_name(kind),
                             MAX_ROUTE_RULES, MAX_ROUTE_HOSTNAMES);
    } else if (part > 1 && g->locations.n) {
        const struct location *l = g->locations.v[0];
        nx_report_node(im, l->ing, l->ing->src->obj.meta.src, DIAG_IMPORT_LIMIT,
                       "host '%s' needs %zu rules: split into %zu %ss (at most %d "
                       "rules each)",
                       *g->host ? g->host : "*", rules->n, part,
                       model_kind_name(kind), MAX_ROUTE_RULES);
    }
}

void nx_routes_tls(struct imp *im, const struct host_group *g)
{
    struct o_route *r;
    struct o_rule *rule;

    if (!g->tls_listener || !*g->host) {
        if (!*g->host)
            nx_report_annotation(im, g->passthrough, "ssl-passthrough",
                                 DIAG_IMPORT_NOT_CONVERTED,
                                 "not converted: passthrough needs a host (SNI)");
        return;
    }
    r = ARENA_NEW(im->a, struct o_route);
    r->kind = KIND_TLS_ROUTE;
    r->namespace = g->namespace;
    r->name = imp_name_claim(im, arena_printf(im->a, "TLSRoute/%s", g->namespace),
                             imp_name_host_label(im->a, g->host), 253);
    r->hostnames = ARENA_NEW_ARRAY(im->a, const char *, 1);
    r->hostnames[r->n_hostnames++] = g->host;
    add_parent(im, r, g->gateway, g->tls_listener);
    rule = imp_routes_rule_new(im, g->passthrough->src->obj.src, NULL, 0, NULL, 0);
    imp_routes_rule_add_backend(im, rule, &g->passthrough_backend, -1);
    ptrvec_push(im->a, &r->rules, rule);
    imp_grants_for_route(im, r);
    ptrvec_push(im->a, &im->routes, r);
}
