/*
 * Gateway (gateway_types.go), all but the listeners (listener.c).
 * GatewayClass has no rules beyond its fields' limits (in its table): its
 * one CEL rule makes controllerName immutable, and with no earlier version
 * of the object offline there is nothing to compare it with.
 */
#include "schema_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/ipaddr.h"

#include <inttypes.h>

/*
 * An address value by its type: the schema's oneOf makes an IPAddress (the
 * default type) an IPv4 or IPv6 address (format ipv4/ipv6: Go's
 * net.ParseIP), and a CEL rule makes a Hostname match the Hostname
 * pattern.  Both apply to "" too: "has(value)" holds for an empty value,
 * although the CEL rule's message says it may be empty.  Then the CEL rules
 * that IPAddress values and Hostname values are unique.
 */
static void check_address_value(struct schema *s, struct seen *values,
                                const struct gateway_address *a, size_t i)
{
    const struct ynode *at = schema_field_node(a->src, "value");
    bool ip = str_is(a->type, "IPAddress"), host = str_is(a->type, "Hostname");

    if (!a->value || !(ip || host))
        return;
    if (ip && !ipaddr_is_ip(a->value))
        schema_report(s, DIAG_PATTERN_MISMATCH, at,
                      "IPAddress address '%s' is not a valid IPv4 or IPv6 "
                      "address",
                      schema_quote(s, a->value));
    if (host && !schema_is_hostname(a->value))
        schema_report(s, DIAG_PATTERN_MISMATCH, at,
                      "Hostname address '%s' is not a valid hostname: %s",
                      schema_quote(s, a->value), schema_fmt_hostname.allowed);
    schema_seen_repeat(s, values,
                       arena_printf(s->c->arena, "%s\x1f%s", a->type, a->value),
                       at, i, "first listed here", DIAG_ADDRESS_DUPLICATE,
                       "%s address '%s' is listed more than once", a->type,
                       schema_quote(s, a->value));
}

static void check_addresses(struct schema *s, const struct gateway *g)
{
    struct seen values;
    size_t i;

    schema_seen_init(&values, s->c->tree, g->n_addresses, false);
    for (i = 0; i < g->n_addresses; i++) {
        const struct gateway_address *a = &g->addresses[i];

        if (a->src)
            check_address_value(s, &values, a, i);
    }
}

static void check_infrastructure(struct schema *s,
                                 const struct gateway_infrastructure *inf)
{
    if (!inf->src)
        return;
    /* Keys by CEL: a qualified name whose prefix has size() < 253. */
    schema_check_label_keys(s, &inf->labels, "label", 252);
    schema_check_label_keys(s, &inf->annotations, "annotation", 252);
}

/* CEL: perPort entries have unique ports (also the list's map key). */
static void check_per_port(struct schema *s, const struct frontend_tls *f)
{
    struct seen ports;
    size_t i;

    schema_seen_init(&ports, s->c->tree, f->n_per_port, false);
    for (i = 0; i < f->n_per_port; i++) {
        const struct tls_port_config *p = &f->per_port[i];
        if (p->src && p->port != INT_UNSET)
            schema_seen_repeat(s, &ports,
                               arena_printf(s->c->arena, "%" PRId64, p->port),
                               schema_field_node(p->src, "port"), i,
                               "first configured here", DIAG_PERPORT_DUPLICATE,
                               "port %" PRId64 " already has a frontend TLS "
                               "configuration in perPort; each port may have "
                               "only one",
                               p->port);
    }
}

static void check_gateway_tls(struct schema *s, const struct gateway_tls *t)
{
    const struct frontend_tls *f = &t->frontend;

    if (f->src)
        check_per_port(s, f);
}

void schema_gateway(struct schema *s)
{
    const struct gateway *g = (const struct gateway *)s->obj;

    schema_check_listeners(s, g->listeners, g->n_listeners, false);
    check_addresses(s, g);
    check_infrastructure(s, &g->infrastructure);
    check_gateway_tls(s, &g->tls);
}
