/*
 * Header matches the spec tells the controller to ignore: names are
 * case-insensitive, and when several entries of one match have equivalent
 * names only the first is considered (HTTPHeaderMatch, GRPCHeaderMatch).
 * The API server keeps "X-Mode" and "x-mode" side by side, so the later
 * entry is valid input that has no effect; plan/ skips it and this says so.
 */
#include "controller_internal.h"

#include "base/compilation.h"
#include "load/load.h"

static void ignored_in(struct ctx *x, const struct object *o, const struct value_match *v,
                       size_t n)
{
    size_t i, j;

    for (i = 0; i < n; i++) {
        struct diag *d;

        if (!model_header_ignored(v, i))
            continue;
        for (j = 0; !v[j].name || !str_eq_nocase(v[j].name, v[i].name); j++)
            ;
        d = ctl_finding(
            x, DIAG_HEADER_MATCH_IGNORED, o, ynode_get(v[i].src, "name"),
            "header name '%s' repeats '%s' of an earlier entry (header names "
            "are case-insensitive); only the first entry with a name is "
            "considered, so this one is ignored",
            v[i].name, v[j].name);
        diag_add_note(&x->c->diags, d, ynode_loc(x->c, ynode_get(v[j].src, "name")),
                      "first listed here");
    }
}

void ctl_header_matches_check(struct ctx *x, const struct route_state *rs)
{
    const struct route *r = rs->route;
    size_t i, k;

    for (i = 0; i < r->n_rules; i++) {
        const struct route_rule *rule = &r->rules[i];
        for (k = 0; k < rule->n_matches; k++)
            ignored_in(x, &r->obj, rule->matches[k].headers, rule->matches[k].n_headers);
        for (k = 0; k < rule->n_grpc_matches; k++)
            ignored_in(x, &r->obj, rule->grpc_matches[k].headers,
                       rule->grpc_matches[k].n_headers);
    }
}
