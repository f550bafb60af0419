/*
 * The other names of a server: server-alias (the first Ingress with
 * aliases for a host gives them; nginx takes a name two servers claim only
 * on the first), and from-to-www-redirect (a server for the other name
 * that redirects to the host).
 */
#include "nx.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

/* Is host already a server name or an alias of the class, in any
 * namespace (ingress-nginx's servers are global)?  Both are lookups. */
static bool host_taken(struct imp *im, const struct ing *ing, const char *host)
{
    return nx_host_group_find(im, ing->klass, host) ||
           imp_index_get(&NX(im)->alias_index,
                         nx_host_group_key(im, ing->klass, host));
}

/* server-alias, first step (createServers): the first Ingress with
 * aliases among those with a rule for a host gives them to that host, and
 * to every other host of its rules whose aliases are still unset; later
 * Ingresses' aliases for the host are skipped ("Aliases already
 * configured"). */
static void claim_aliases(struct imp *im, struct ing *ing)
{
    const char **names;
    size_t n, r, i;

    if (!ing->cfg.server_alias || ing->cfg.canary == TRI_TRUE)
        return;
    names = imp_value_split_list(im->a, ing->cfg.server_alias, &n);
    for (i = 0; i < n; i++) {
        if (!imp_value_hostname(names[i], true))
            nx_report_annotation(im, ing, "server-alias", DIAG_IMPORT_NOT_CONVERTED,
                                 "not converted: alias '%s' is not a DNS name "
                                 "(nginx regex names have no Gateway API form)",
                                 names[i]); /* the annotation's alphabet */
    }
    for (r = 0; r < ing->src->n_rules; r++) {
        const char *host = ing->src->rules[r].host;
        struct host_group *g =
            host && *host ? nx_host_group_find(im, ing->klass, host) : NULL;

        if (!g || g->alias_ing == ing)
            continue;
        if (g->alias_ing) {
            nx_report_annotation(im, ing, "server-alias", DIAG_IMPORT_IGNORED,
                                 "ignored for host '%s': Ingress %s/%s already "
                                 "gave it aliases (ingress-nginx: \"Aliases "
                                 "already configured\")",
                                 host, g->alias_ing->namespace,
                                 g->alias_ing->src->obj.meta.name);
            continue;
        }
        g->alias_ing = ing;
        g->alias_names = names;
        g->n_alias_names = n;
    }
}

static int cmp_host_names(const void *pa, const void *pb)
{
    const struct host_group *a = *(const struct host_group *const *)pa;
    const struct host_group *b = *(const struct host_group *const *)pb;
    int c = strcmp(a->klass, b->klass);

    return c ? c : strcmp(a->host, b->host);
}

/* server-alias, second step: an alias that is a server's own name is
 * dropped; one that two servers claim works, in nginx, only on the server
 * written first in nginx.conf, which ingress-nginx sorts by host name. */
static void assign_aliases(struct imp *im)
{
    struct ptrvec by_host = {0};
    size_t i, k;

    for (i = 0; i < NX(im)->groups.n; i++) {
        struct host_group *g = NX(im)->groups.v[i];
        if (g->alias_ing)
            ptrvec_push(im->a, &by_host, g);
    }
    ptrvec_sort(&by_host, cmp_host_names);
    for (i = 0; i < by_host.n; i++) {
        struct host_group *g = by_host.v[i];
        const struct ing *ing = g->alias_ing;

        for (k = 0; k < g->n_alias_names; k++) {
            const char *name = g->alias_names[k];
            const char *key = nx_host_group_key(im, g->klass, name);
            const struct host_group *other =
                imp_index_get(&NX(im)->alias_index, key);

            if (!imp_value_hostname(name, true) || str_eq(name, g->host) ||
                other == g)
                continue; /* reported, the host itself, or a duplicate */
            if (nx_host_group_find(im, g->klass, name))
                nx_report_annotation(im, ing, "server-alias", DIAG_IMPORT_IGNORED,
                                     "alias '%s' is already a server name; "
                                     "ingress-nginx ignores it",
                                     name);
            else if (other)
                nx_report_annotation(im, ing, "server-alias", DIAG_IMPORT_CONFLICT,
                                     "alias '%s' of host '%s' is also an alias of "
                                     "host '%s', whose server comes first in "
                                     "nginx.conf: nginx ignores it here "
                                     "(conflicting server name)",
                                     name, g->host, other->host);
            else {
                ptrvec_push(im->a, &g->aliases, (void *)name);
                imp_index_put(im->a, &NX(im)->alias_index, key, g);
            }
        }
    }
}

/* from-to-www-redirect: the other name of each host ("www." added or
 * removed) redirects to it, keeping scheme and URI, with ingress-nginx's
 * http-redirect-code (308). */
static void add_www(struct imp *im, struct ing *ing)
{
    size_t r;

    if (ing->cfg.from_to_www_redirect != TRI_TRUE || ing->cfg.canary == TRI_TRUE)
        return;
    for (r = 0; r < ing->src->n_rules; r++) {
        const char *host = ing->src->rules[r].host, *other;
        struct host_group *g;

        if (!host || !*host || !nx_host_group_find(im, ing->klass, host))
            continue;
        if (host[0] == '*') {
            nx_report_annotation(im, ing, "from-to-www-redirect",
                                 DIAG_IMPORT_IGNORED,
                                 "'%s' is a wildcard: it has no www name", host);
            continue;
        }
        other = strncmp(host, "www.", 4) == 0
                    ? host + 4
                    : arena_printf(im->a, "www.%s", host);
        if (host_taken(im, ing, other)) {
            nx_report_annotation(
                im, ing, "from-to-www-redirect", DIAG_IMPORT_IGNORED,
                "'%s' is already a server name; ingress-nginx adds "
                "no redirect for it",
                other);
            continue;
        }
        g = nx_host_group_get(im, ing, other);
        g->www_target = host;
        g->www_ing = ing;
        nx_report_annotation(im, ing, "from-to-www-redirect", DIAG_IMPORT_DETAIL,
                             "'%s' redirects to '%s' with 308, keeping scheme "
                             "and URI; ingress-nginx (ngx_srv_redirect.lua) also "
                             "strips one trailing '/' from the URI ('/a/' becomes "
                             "'/a') and names the port, which the Gateway API "
                             "redirect does not",
                             other, host);
    }
}

void nx_aliases_build(struct imp *im)
{
    size_t i;

    for (i = 0; i < NX(im)->ings.n; i++)
        claim_aliases(im, NX(im)->ings.v[i]);
    assign_aliases(im);
    for (i = 0; i < NX(im)->ings.n; i++)
        add_www(im, NX(im)->ings.v[i]);
}
