/*
 * What a listener is, as every pass asks it: its protocol's name and
 * family, the object that owns it, and whether two listeners can share a
 * port.  A leaf: the passes call it, it calls none of them.
 */
#include "controller_internal.h"

#include "base/array.h"
#include "base/str.h"

const char *ctl_protocol_name(enum protocol p)
{
    static const char *const names[] = {
        [PROTO_HTTP] = "HTTP", [PROTO_HTTPS] = "HTTPS", [PROTO_TLS] = "TLS",
        [PROTO_TCP] = "TCP",   [PROTO_UDP] = "UDP",     [PROTO_OTHER] = "other"};

    return (size_t)p < ARRAY_SIZE(names) ? names[p] : "other";
}

/* The object whose namespace and grants govern a listener's references. */
const struct object *ctl_listener_owner(const struct eff_listener *l)
{
    return l->set ? &l->set->ls->obj : &l->gateway->gw->obj;
}

enum family ctl_family_of(enum protocol p)
{
    switch (p) {
    case PROTO_HTTP:
        return FAMILY_HTTP;
    case PROTO_HTTPS:
    case PROTO_TLS:
        return FAMILY_TLS;
    case PROTO_TCP:
    case PROTO_OTHER:
        return FAMILY_TCP;
    case PROTO_UDP:
        return FAMILY_UDP;
    }
    return FAMILY_TCP;
}

/* Why two listeners on one port cannot both be served, or NULL.  UDP shares
 * a port number with anything (another transport); HTTPS and TLS listeners
 * share a port and are told apart by SNI; everything else on one port must
 * be the same protocol with different hostnames (docs/spec-notes.md, "Listeners: validity and
 * conflicts"). */
enum cond_reason ctl_conflict_reason(const struct eff_listener *a,
                                     const struct eff_listener *b)
{
    enum family fa = ctl_family_of(a->protocol), fb = ctl_family_of(b->protocol);

    if (a->port != b->port || a->protocol == PROTO_OTHER || b->protocol == PROTO_OTHER)
        return REASON_NONE;
    if ((fa == FAMILY_UDP) != (fb == FAMILY_UDP))
        return REASON_NONE;
    if (fa != fb)
        return REASON_PROTOCOL_CONFLICT;
    if (fa == FAMILY_TCP || fa == FAMILY_UDP)
        return REASON_PROTOCOL_CONFLICT; /* no hostname to tell them apart */
    if (str_eq(a->hostname, b->hostname))
        return REASON_HOSTNAME_CONFLICT;
    return REASON_NONE;
}
