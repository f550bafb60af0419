/*
 * Listeners, of a Gateway or of a ListenerSet (gateway_types.go,
 * listenerset_types.go): the fields, and the CEL rules both kinds put on
 * their listener lists.  The ListenerSet variant of the uniqueness rule
 * skips entries without a port; its port is otherwise required.
 */
#include "schema_internal.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <inttypes.h>

static void check_listener_tls(struct schema *s, const struct listener_tls *t)
{
    if (!t->src)
        return;
    /* CEL: self.mode == 'Terminate' ? size(self.certificateRefs) > 0 ||
     * size(self.options) > 0 : true */
    if (t->mode == TLS_TERMINATE && t->n_certificate_refs == 0 && t->options.n == 0)
        schema_report(s, DIAG_LISTENER_CERT_REQUIRED, t->src,
                      "tls mode Terminate needs a certificate: set "
                      "certificateRefs (or an implementation-specific "
                      "option)");
}

static void check_allowed_routes(struct schema *s,
                                 const struct allowed_routes *a)
{
    /* None is for allowedListeners only. */
    const char *const routes_from[] = {model_from_names[FROM_ALL],
                                       model_from_names[FROM_SELECTOR],
                                       model_from_names[FROM_SAME], NULL};
    const struct namespaces_from *nf = &a->namespaces;

    if (a->src && nf->from != FROM_UNSET)
        schema_check_enum(
            s, nf->src, "from",
            schema_enum_text(nf->src, "from", nf->from, model_from_names),
            routes_from);
}

/* The CEL rules that tie tls and hostname to the protocol. */
static void check_protocol_rules(struct schema *s, const struct listener *l)
{
    const char *p = l->protocol;
    /* The mode as written: "" (refused as a mode) counts as not given. */
    const char *mode =
        schema_enum_text(l->tls.src, "mode", l->tls.mode, model_tls_mode_names);
    bool tls = l->present & LISTENER_GIVEN_TLS;

    if (!p)
        return;
    if (tls && (str_is(p, "HTTP") || str_is(p, "TCP") || str_is(p, "UDP")))
        schema_report(s, DIAG_LISTENER_TLS_FORBIDDEN, schema_field_node(l->src, "tls"),
                      "tls must not be set on a listener of protocol %s; only "
                      "HTTPS and TLS listeners use it",
                      p);
    if (str_is(p, "HTTPS") && tls && *mode && l->tls.mode != TLS_TERMINATE)
        schema_report(s, DIAG_LISTENER_HTTPS_MODE,
                      schema_field_node(l->tls.src, "mode"),
                      "an HTTPS listener terminates TLS: tls mode must be "
                      "Terminate, got '%s'",
                      schema_quote(s, mode));
    if (str_is(p, "TLS") && (!tls || !*mode))
        schema_report(s, DIAG_LISTENER_TLS_MODE_REQUIRED,
                      schema_field_node(l->src, "tls"),
                      "a TLS listener must set tls with mode Terminate or "
                      "Passthrough");
    if ((str_is(p, "TCP") || str_is(p, "UDP")) && l->hostname && *l->hostname)
        schema_report(s, DIAG_LISTENER_HOSTNAME_FORBIDDEN,
                      schema_field_node(l->src, "hostname"),
                      "hostname must not be set on a listener of protocol %s; "
                      "only HTTP, HTTPS and TLS listeners match host names",
                      p);
}

static void check_listener(struct schema *s, const struct listener *l)
{
    check_listener_tls(s, &l->tls);
    check_allowed_routes(s, &l->allowed_routes);
    check_protocol_rules(s, l);
}

/* Listener names: the list's map key, and a CEL rule. */
static void check_names(struct schema *s, const struct listener *v, size_t n)
{
    struct seen names;
    size_t i;

    schema_seen_init(&names, s->c->tree, n, false);
    for (i = 0; i < n; i++) {
        if (v[i].src && v[i].name)
            schema_seen_repeat(s, &names, v[i].name,
                               schema_field_node(v[i].src, "name"), i,
                               "first used here", DIAG_LISTENER_NAME_DUPLICATE,
                               "listener name '%s' is used more than once; "
                               "listener names must be unique",
                               schema_quote(s, v[i].name));
    }
}

/* CEL: the combination of port, protocol and hostname is unique, an absent
 * hostname being a value of its own. */
static void check_combinations(struct schema *s, const struct listener *v,
                               size_t n, bool in_set)
{
    struct seen combos;
    size_t i;

    schema_seen_init(&combos, s->c->tree, n, false);
    for (i = 0; i < n; i++) {
        const struct listener *l = &v[i];
        const struct seen_slot *first;
        const char *key, *other;
        struct diag *d;

        if (!l->src || !l->protocol || l->port == INT_UNSET ||
            (in_set && !(l->present & LISTENER_GIVEN_PORT)))
            continue;
        key = arena_printf(s->c->arena, "%" PRId64 "\x1f%s\x1f%s%s", l->port,
                           l->protocol, l->hostname ? "=" : "none",
                           l->hostname ? l->hostname : "");
        if (!(first = schema_seen_add(&combos, key, l->src, i)))
            continue;
        other = v[first->index].name ? v[first->index].name : "";
        d = schema_report(s, DIAG_LISTENER_COMBINATION_DUPLICATE, l->src,
                          "listener '%s' has the same port, protocol and "
                          "hostname as listener '%s' (%" PRId64 ", %s, %s); "
                          "each combination must be unique",
                          l->name ? l->name : "", other, l->port,
                          schema_quote(s, l->protocol),
                          l->hostname
                              ? arena_printf(s->c->arena, "'%s'",
                                             schema_quote(s, l->hostname))
                              : "no hostname");
        schema_note(s, d, first->at, "listener '%s' is here", other);
    }
}

void schema_check_listeners(struct schema *s, const struct listener *v, size_t n,
                            bool in_set)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (v[i].src)
            check_listener(s, &v[i]);
    }
    check_names(s, v, n);
    check_combinations(s, v, n, in_set);
}

void schema_listener_set(struct schema *s)
{
    const struct listener_set *ls = (const struct listener_set *)s->obj;

    schema_check_listeners(s, ls->listeners, ls->n_listeners, true);
}
