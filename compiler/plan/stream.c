/*
 * stream{}: TCP, UDP and TLS listeners (docs/nginx-recipes.md, "stream: TCP, UDP, TLS").
 *
 *   TCP/UDP   one server per socket, proxying to the backends of the oldest
 *             route on the listener (weighted per connection);
 *   TLS       routed by the ClientHello's SNI: passthrough proxies the bytes
 *             untouched, terminate ends TLS here with the listener's
 *             certificate.  A port where both modes, or an HTTPS listener,
 *             meet gets a front server that reads SNI and hops over unix
 *             sockets to each kind, with a PROXY protocol header so the
 *             client address survives the hop.
 * A connection nothing claims (unknown SNI, invalid backend) is closed.
 */
#include "plan_internal.h"

#include "base/arena.h"
#include "base/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct l4_sock {
    const char *address;
    int64_t port;
    bool udp;
    unsigned nth; /* among the sockets on this port, in sorted order */
    struct ptrvec listeners; /* struct eff_listener * (TCP, UDP or TLS) */
    struct ptrvec https;     /* HTTPS listeners sharing the socket */
};

static void collect(struct planner *p, struct ptrvec *socks)
{
    size_t n_g, n, i, j;
    const struct plan_socket *g = plan_sockets(
        p, 1u << PROTO_TCP | 1u << PROTO_TLS | 1u << PROTO_UDP, &n_g);
    const struct plan_binding *b = plan_bindings(p, &n);

    for (i = 0; i < n_g; i++) {
        struct l4_sock *s = ARENA_NEW(p->a, struct l4_sock);

        s->address = g[i].address;
        s->port = g[i].port;
        s->udp = g[i].udp;
        s->listeners = g[i].listeners;
        ptrvec_push(p->a, socks, s);
    }
    /* HTTPS on a port with TLS listeners must be reached through the
     * stream front: note it, so servers.c listens on a unix socket. */
    for (i = 0; i < n; i++) {
        for (j = 0; b[i].l->protocol == PROTO_HTTPS && j < socks->n; j++) {
            struct l4_sock *s = socks->v[j];
            if (!s->udp && plan_same_socket(s->address, s->port, b[i].address, b[i].port))
                ptrvec_push(p->a, &s->https, b[i].l);
        }
    }
}

/* ---- servers ---- */

/* A socket whose listeners' ClientPolicy says connections arrive with a
 * PROXY protocol header (ProxyProtocol): read it, and believe its address
 * from the trusted peers.  The stream realip module then makes that
 * address the connection's, so the PROXY header a front sends on to its
 * hops names the client, not the load balancer. */
static void read_proxy_protocol(struct planner *p, struct plan_stream_server *srv,
                                const struct l4_sock *s)
{
    const struct client_address_detection *d = plan_socket_proxy_protocol(p, &s->listeners);

    if (!d)
        d = plan_socket_proxy_protocol(p, &s->https);
    if (!d)
        return;
    srv->listen.proxy_protocol = true;
    srv->real_ip_from = d->trusted_proxies;
    srv->n_real_ip_from = d->n_trusted_proxies;
}

static void pass_to(struct plan_stream_server *srv, const char *target, bool variable)
{
    if (variable)
        srv->pass_variable = target;
    else if (*target)
        srv->pass_upstream = target;
}

static void plain_l4(struct planner *p, const struct l4_sock *s)
{
    const struct eff_listener *l = s->listeners.v[0];
    struct plan_stream_server *srv = plan_stream_new_server(p, s->address, s->port, s->udp);
    size_t i;

    /* DNS asks once and is answered once: end the session with the answer
     * instead of holding it for proxy_timeout.  Other datagram protocols
     * may answer several times. */
    srv->udp_one_response = s->udp && l->port == 53;
    if (!s->udp)
        read_proxy_protocol(p, srv, s);
    for (i = 0; i < l->attachments.n; i++) {
        const struct attachment *a = l->attachments.v[i];
        bool variable;
        const char *t;
        if (!a->carries_traffic)
            continue;
        t = plan_stream_backends_target(p, a, &variable);
        pass_to(srv, t, variable);
        return;
    }
}

/* ---- TLS ---- */

struct sni_entry {
    const char *hostname; /* NULL: the default */
    const char *target;   /* upstream, "$split", "unix:..." or "" */
    bool passthrough;
};

/* Older routes claim their hostnames first (docs/spec-notes.md, "Attachment"); a route on
 * two listeners of one socket claims in listener order. */
static int cmp_attachments(const void *pa, const void *pb)
{
    const struct attachment *a = *(const struct attachment *const *)pa;
    const struct attachment *b = *(const struct attachment *const *)pb;
    int c = model_object_cmp_age(&a->route->route->obj, &b->route->route->obj);

    if (c)
        return c;
    return a->listener->order < b->listener->order ? -1 : a->listener->order > b->listener->order;
}

/* How specific a listener hostname is: exact over wildcard over none,
 * longer over shorter (docs/spec-notes.md, "Hostnames and their intersection"). */
static size_t specificity(const char *hostname)
{
    if (!hostname)
        return 0;
    return hostname[0] == '*' ? strlen(hostname) : 1000 + strlen(hostname);
}

/* Does the listener hostname take SNI names matching `name` (a hostname or
 * a wildcard, NULL: any)? */
static bool listener_takes(const char *listener, const char *name)
{
    char probe[300];

    if (!listener)
        return true;
    if (!name)
        return false;
    if (name[0] != '*')
        return ctl_hostname_matches(listener, name);
    /* A wildcard lies under a listener when one of its hosts does. */
    snprintf(probe, sizeof(probe), "x%s", name + 1);
    return strcmp(listener, name) == 0 || ctl_hostname_matches(listener, probe);
}

/* Listener isolation: SNI picks the most specific listener of the socket
 * (TLS or HTTPS); an entry only stands for the listener that picks it. */
static bool picked_by(const struct l4_sock *s, const struct eff_listener *l,
                      const char *name)
{
    size_t own = specificity(l->hostname), i;
    const struct ptrvec *sets[2] = {&s->listeners, &s->https};
    int k;

    for (k = 0; k < 2; k++) {
        for (i = 0; i < sets[k]->n; i++) {
            const struct eff_listener *o = sets[k]->v[i];
            if (o != l && listener_takes(o->hostname, name) && specificity(o->hostname) > own)
                return false;
        }
    }
    return true;
}

static bool has_entry(const struct ptrvec *v, const char *hostname)
{
    size_t i;

    for (i = 0; i < v->n; i++) {
        const struct sni_entry *e = v->v[i];
        if (str_eq(e->hostname, hostname) && !e->hostname == !hostname)
            return true;
    }
    return false;
}

/* Would an entry so far, or an HTTPS listener of the socket, take SNI
 * names of hostname (a more general name or the default)? */
static bool taken_elsewhere(const struct l4_sock *s, const struct ptrvec *entries,
                            const char *hostname)
{
    size_t i;

    for (i = 0; i < entries->n; i++) {
        const struct sni_entry *e = entries->v[i];
        if (*e->target && listener_takes(e->hostname, hostname))
            return true;
    }
    for (i = 0; i < s->https.n; i++) {
        const struct eff_listener *l = s->https.v[i];
        if (listener_takes(l->hostname, hostname))
            return true;
    }
    return false;
}

static void tls_entries(struct planner *p, const struct l4_sock *s, struct ptrvec *out)
{
    struct ptrvec atts = {0};
    size_t i, j;

    for (i = 0; i < s->listeners.n; i++) {
        const struct eff_listener *l = s->listeners.v[i];
        for (j = 0; j < l->attachments.n; j++)
            ptrvec_push(p->a, &atts, l->attachments.v[j]);
    }
    ptrvec_sort(&atts, cmp_attachments);
    for (i = 0; i < atts.n; i++) {
        const struct attachment *a = atts.v[i];
        const char *target = NULL;
        size_t n = a->n_hostnames ? a->n_hostnames : 1;

        for (j = 0; j < n; j++) {
            const char *h = a->n_hostnames ? a->hostnames[j] : a->listener->hostname;
            struct sni_entry *e;
            bool variable;

            if (has_entry(out, h) || !picked_by(s, a->listener, h))
                continue;
            if (!target) {
                target = plan_stream_backends_target(p, a, &variable);
                if (variable)
                    target = arena_printf(p->a, "$%s", target);
            }
            e = ARENA_NEW(p->a, struct sni_entry);
            e->hostname = h;
            e->target = target;
            e->passthrough = a->listener->passthrough;
            ptrvec_push(p->a, out, e);
        }
    }
    /* Listener isolation also holds for a listener no route claims its
     * hostname on: SNI names it picks are closed, never handed to a less
     * specific listener's routes. */
    for (i = 0; i < s->listeners.n; i++) {
        const struct eff_listener *l = s->listeners.v[i];
        struct sni_entry *e;
        if (!l->hostname || has_entry(out, l->hostname) ||
            !taken_elsewhere(s, out, l->hostname))
            continue;
        e = ARENA_NEW(p->a, struct sni_entry);
        e->hostname = l->hostname;
        e->target = "";
        e->passthrough = l->passthrough;
        ptrvec_push(p->a, out, e);
    }
}

static struct plan_map *sni_map(struct planner *p, const char *source, const char *var)
{
    struct plan_map *m = plan_map_new(p, plan_text_variable(p->a, source), var);

    m->hostnames = true;
    return m;
}

static struct plan_text target_text(struct planner *p, const char *target)
{
    return target[0] == '$' ? plan_text_variable(p->a, target + 1)
                            : plan_text_literal(p->a, target);
}

/* "<port>", or "<port>_<n>" when Gateways on different addresses share
 * the port: names a socket's variables and hop files, short enough for
 * unix socket paths whatever the address. */
static const char *sock_id(struct planner *p, const struct l4_sock *s)
{
    return s->nth ? arena_printf(p->a, "%lld_%u", (long long)s->port, s->nth)
                  : arena_printf(p->a, "%lld", (long long)s->port);
}

static const char *sock_var(struct planner *p, const struct l4_sock *s, const char *what)
{
    return arena_printf(p->a, "gw_%s%s", what, sock_id(p, s));
}

static const char *hop_path(struct planner *p, const struct l4_sock *s, const char *kind)
{
    return plan_stream_socket_path(p, arena_printf(p->a, "gw-%s-%s.sock", sock_id(p, s), kind));
}

static bool terminates(const struct eff_listener *l)
{
    return l->protocol == PROTO_TLS && !l->passthrough && l->n_certificates;
}

/* Terminating servers take the certificate of the listener the SNI picks.
 * A key map is needed only when some key is a file of its own (a mounted
 * Secret); otherwise one file holds certificate and key. */
static void certificates(struct planner *p, struct plan_stream_server *srv,
                         const struct l4_sock *s, const char *sni_source)
{
    struct plan_map *m[2] = {NULL, NULL};
    struct cert_files fallback = {NULL, NULL}, *f;
    size_t i, k, terminating = 0;
    bool separate_keys = false;

    f = ARENA_NEW_ARRAY(p->a, struct cert_files, s->listeners.n);
    for (i = 0; i < s->listeners.n; i++) {
        const struct eff_listener *l = s->listeners.v[i];
        if (!terminates(l))
            continue;
        f[i] = plan_certificate_files(p, &l->certificates[0]);
        separate_keys |= f[i].cert != f[i].key;
        terminating++;
    }
    for (i = 0; i < s->listeners.n; i++) {
        const struct eff_listener *l = s->listeners.v[i];
        if (!terminates(l))
            continue;
        if (terminating == 1) {
            srv->cert_file = f[i].cert;
            srv->key_file = f[i].key;
            return;
        }
        if (!m[0]) {
            m[0] = sni_map(p, sni_source, sock_var(p, s, "cert"));
            m[1] = separate_keys ? sni_map(p, sni_source, sock_var(p, s, "key")) : m[0];
        }
        for (k = 0; l->hostname && k < (separate_keys ? 2u : 1u); k++)
            plan_map_add(p, m[k], MAP_KEY_HOSTNAME, l->hostname,
                         plan_text_literal(p->a, k ? f[i].key : f[i].cert));
        if (!fallback.cert || !l->hostname)
            fallback = f[i];
    }
    if (m[0]) {
        m[0]->default_value = plan_text_literal(p->a, fallback.cert);
        m[1]->default_value = plan_text_literal(p->a, fallback.key);
        srv->cert_variable = m[0]->variable;
        srv->key_variable = m[1]->variable;
    }
}

/* One SNI-routed server: a map from SNI to targets, entries of one mode. */
static void sni_server(struct planner *p, struct plan_stream_server *srv,
                       const struct ptrvec *entries, bool passthrough,
                       const char *source, const char *var, const char *fallback)
{
    struct plan_map *m = sni_map(p, source, var);
    size_t i;

    for (i = 0; i < entries->n; i++) {
        const struct sni_entry *e = entries->v[i];
        if (e->passthrough != passthrough)
            continue;
        if (e->hostname)
            plan_map_add(p, m, MAP_KEY_HOSTNAME, e->hostname,
                         target_text(p, e->target));
        else
            m->default_value = target_text(p, e->target);
    }
    if (fallback && plan_text_is_empty(&m->default_value))
        m->default_value = plan_text_literal(p->a, fallback);
    srv->pass_variable = var;
}

static void tls_socket(struct planner *p, const struct l4_sock *s)
{
    struct ptrvec entries = {0};
    bool pt = false, term = false;
    size_t i;

    for (i = 0; i < s->listeners.n; i++) {
        const struct eff_listener *l = s->listeners.v[i];
        pt |= l->passthrough;
        term |= !l->passthrough;
    }
    tls_entries(p, s, &entries);
    if (!s->https.n && !(pt && term)) {
        struct plan_stream_server *srv = plan_stream_new_server(p, s->address, s->port, false);
        read_proxy_protocol(p, srv, s);
        if (pt) {
            srv->ssl_preread = true;
            sni_server(p, srv, &entries, true, "ssl_preread_server_name",
                       sock_var(p, s, "sni"), NULL);
        } else {
            srv->listen.ssl = true;
            certificates(p, srv, s, "ssl_server_name");
            sni_server(p, srv, &entries, false, "ssl_server_name",
                       sock_var(p, s, "term"), NULL);
        }
        return;
    }
    /* The front: read SNI, hop to the server of the right kind. */
    {
        struct plan_stream_server *front = plan_stream_new_server(p, s->address, s->port, false);
        struct plan_map *m = sni_map(p, "ssl_preread_server_name",
                                     sock_var(p, s, "front"));
        const char *https_hop = s->https.n ? hop_path(p, s, "https") : NULL;
        const char *term_hop = term ? hop_path(p, s, "tls") : NULL;
        bool https_default = false;

        front->ssl_preread = true;
        front->proxy_protocol = true;
        read_proxy_protocol(p, front, s);
        front->pass_variable = m->variable;
        for (i = 0; i < entries.n; i++) {
            const struct sni_entry *e = entries.v[i];
            const char *hop;
            struct plan_stream_server *h;

            if (!*e->target) { /* closed: no hop */
                plan_map_add(p, m, MAP_KEY_HOSTNAME, e->hostname,
                             plan_text_literal(p->a, ""));
                continue;
            }
            if (!e->passthrough)
                hop = term_hop;
            else {
                /* Each passthrough target gets its own hop that strips the
                 * PROXY header the front adds. */
                hop = hop_path(p, s, arena_printf(p->a, "pt%zu", i));
                h = plan_stream_new_server(p, NULL, 0, false);
                h->listen.unix_path = hop;
                h->listen.proxy_protocol = true;
                pass_to(h, e->target[0] == '$' ? e->target + 1 : e->target,
                        e->target[0] == '$');
            }
            if (e->hostname)
                plan_map_add(
                    p, m, MAP_KEY_HOSTNAME, e->hostname,
                    plan_text_literal(p->a, arena_printf(p->a, "unix:%s", hop)));
            else
                m->default_value =
                    plan_text_literal(p->a, arena_printf(p->a, "unix:%s", hop));
        }
        if (s->https.n) {
            /* SNI picks the most specific listener hostname (docs/spec-notes.md,
             * "Hostnames and their intersection"), so HTTPS listener hostnames, not route hostnames, send
             * connections to the http{} servers behind the hop. */
            struct strhash keys; /* the map's hostnames so far */
            strhash_init(&keys, p->a);
            for (i = 0; i < m->n_entries; i++)
                strhash_put(&keys, m->entries[i].key, m);
            for (i = 0; i < s->https.n; i++) {
                const struct eff_listener *l = s->https.v[i];
                void **seen;
                if (!l->hostname) {
                    https_default = true;
                    continue;
                }
                seen = strhash_slot(&keys, l->hostname);
                if (!*seen) {
                    *seen = m;
                    plan_map_add(
                        p, m, MAP_KEY_HOSTNAME, l->hostname,
                        plan_text_literal(
                            p->a, arena_printf(p->a, "unix:%s", https_hop)));
                }
            }
            if (https_default && plan_text_is_empty(&m->default_value))
                m->default_value = plan_text_literal(
                    p->a, arena_printf(p->a, "unix:%s", https_hop));
            {
                struct https_hop *hop = ARENA_NEW(p->a, struct https_hop);
                hop->address = s->address;
                hop->port = s->port;
                hop->unix_path = https_hop;
                ptrvec_push(p->a, &p->https_hops, hop);
            }
        }
        if (term) {
            struct plan_stream_server *t = plan_stream_new_server(p, NULL, 0, false);
            t->listen.unix_path = term_hop;
            t->listen.proxy_protocol = true;
            t->listen.ssl = true;
            certificates(p, t, s, "ssl_server_name");
            sni_server(p, t, &entries, false, "ssl_server_name",
                       sock_var(p, s, "term"), NULL);
        }
    }
}

static int cmp_socks(const void *pa, const void *pb)
{
    const struct l4_sock *a = *(const struct l4_sock *const *)pa;
    const struct l4_sock *b = *(const struct l4_sock *const *)pb;
    int c;

    /* By port first: sock_id() numbers the sockets of one port. */
    if (a->port != b->port)
        return a->port < b->port ? -1 : 1;
    if (!a->address != !b->address)
        return a->address ? 1 : -1;
    if (a->address && (c = strcmp(a->address, b->address)) != 0)
        return c;
    return (int)a->udp - (int)b->udp;
}

void plan_stream_build(struct planner *p)
{
    struct ptrvec socks = {0};
    size_t i;

    collect(p, &socks);
    ptrvec_sort(&socks, cmp_socks);
    for (i = 1; i < socks.n; i++) {
        struct l4_sock *s = socks.v[i], *before = socks.v[i - 1];
        if (s->port == before->port)
            s->nth = before->nth + 1;
    }
    for (i = 0; i < socks.n; i++) {
        const struct l4_sock *s = socks.v[i];
        const struct eff_listener *l = s->listeners.v[0];
        if (l->protocol == PROTO_TLS)
            tls_socket(p, s);
        else
            plain_l4(p, s);
    }
}
