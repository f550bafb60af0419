/*
 * HTTP servers (docs/nginx-recipes.md, "One server per socket and hostname"): listeners are grouped into sockets by address
 * and port, and each socket gets one server per hostname it must tell
 * apart, plus a default server.  nginx picks the server by Host (or SNI):
 * exact name, then the longest wildcard, then the default.  Because every
 * listener and route hostname is a server name, the server nginx picks
 * determines both the listener the request belongs to (the most specific
 * one, as listener isolation requires) and the routes that can serve it:
 * those of that listener whose hostnames cover the server name, ordered by
 * hostname specificity first, so a request that exact-host rules do not
 * match falls through to wildcard and hostname-less routes.
 */
#include "plan_internal.h"

#include "base/arena.h"
#include "base/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The attachments of one listener by the hostnames they carry, so that a
 * server finds those that may cover its name without testing them all. */
struct attach_index {
    struct idxvec any;     /* no hostnames: every server, the default too */
    struct idxvec star;    /* the hostname "*": every named server */
    struct strhash by_host; /* a hostname -> struct idxvec * */
};

struct sock {
    const char *address; /* NULL: every address */
    int64_t port;        /* as nginx listens (after --port-map) */
    bool https;
    struct ptrvec listeners; /* struct eff_listener * */
    struct attach_index **index; /* per listener, made when first needed */
    /* The first listener of each hostname (a size_t * position), and the
     * first without one: listener_for() probes these. */
    struct strhash by_hostname;
    size_t any_hostname;
    /* ClientPolicy ProxyProtocol on this socket's listeners, or NULL. */
    const struct client_address_detection *proxy;
    struct ptrvec names; /* its servers' (server_names()) */
};

static void collect_sockets(struct planner *p, struct ptrvec *socks)
{
    size_t n, i;
    const struct plan_socket *g =
        plan_sockets(p, 1u << PROTO_HTTP | 1u << PROTO_HTTPS, &n);

    for (i = 0; i < n; i++) {
        struct sock *s = ARENA_NEW(p->a, struct sock);
        const struct eff_listener *first = g[i].listeners.v[0];

        s->address = g[i].address;
        s->port = g[i].port;
        s->https = first->protocol == PROTO_HTTPS;
        s->listeners = g[i].listeners;
        ptrvec_push(p->a, socks, s);
    }
}

/* ---- hostnames ---- */

/* Does pattern R (NULL: any host) cover every host of server name S (NULL:
 * the default server, i.e. any host)? */
static bool covers(const char *r, const char *s)
{
    if (!r)
        return true;
    if (!s)
        return false;
    if (strcmp(r, s) == 0)
        return true;
    if (r[0] != '*')
        return false;
    if (s[0] == '*') {
        /* *.a.b.com lies under *.b.com: test a host of it. */
        char probe[300];
        snprintf(probe, sizeof(probe), "x%s", s + 1);
        return ctl_hostname_matches(r, probe);
    }
    return ctl_hostname_matches(r, s);
}

/* exact > longer wildcard > shorter wildcard > any */
static int specificity(const char *h)
{
    if (!h)
        return 0;
    return h[0] == '*' ? 1000 + (int)strlen(h) : 100000;
}

static int cmp_names(const void *pa, const void *pb)
{
    const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;

    if (!a || !b)
        return !a ? (!b ? 0 : -1) : 1;
    return strcmp(a, b);
}

/* The server names of a socket, sorted, each once; NULL (first) is the
 * default server.  Sorting brings the repeats together, so no table of
 * the names seen is needed (at 10,000 hostnames it was 1.6 MB). */
static void server_names(struct arena *a, struct sock *s)
{
    size_t i, j, h, n = 1; /* the default server */

    for (i = 0; i < s->listeners.n; i++) {
        const struct eff_listener *l = s->listeners.v[i];
        n++;
        for (j = 0; j < l->attachments.n; j++)
            n += ((const struct attachment *)l->attachments.v[j])->n_hostnames;
    }
    s->names.v = ARENA_NEW_ARRAY(a, void *, n);
    s->names.cap = n;
    for (i = 0; i < s->listeners.n; i++) {
        const struct eff_listener *l = s->listeners.v[i];
        s->names.v[s->names.n++] = (void *)l->hostname;
        for (j = 0; j < l->attachments.n; j++) {
            const struct attachment *at = l->attachments.v[j];
            for (h = 0; h < at->n_hostnames; h++)
                s->names.v[s->names.n++] = (void *)at->hostnames[h];
        }
    }
    s->names.v[s->names.n++] = NULL;
    ptrvec_sort(&s->names, cmp_names);
    for (i = n = 0; i < s->names.n; i++) {
        if (n == 0 || cmp_names(&s->names.v[n - 1], &s->names.v[i]) != 0)
            s->names.v[n++] = s->names.v[i];
    }
    s->names.n = n;
}

/* The wildcards over a server name, most specific first: "*.b.c" and
 * "*.c" over "a.b.c", and over "*.b.c" too (a host under wildcard S
 * stands for S, see covers()).  A name has at most 127 labels. */
struct wildcards {
    struct strbuf text; /* "*.b.c\0*.c\0" */
    const char *v[128];
    size_t n;
};

static struct wildcards wildcards_over(const char *name)
{
    struct wildcards w;
    const char *probe = name[0] == '*' ? name + 1 : name;
    size_t i, at[128];

    strbuf_init(&w.text);
    w.n = 0;
    for (i = name[0] == '*' ? 0 : 1; probe[i] && w.n < 128; i++) {
        if (probe[i] != '.')
            continue;
        at[w.n++] = w.text.len;
        strbuf_addch(&w.text, '*');
        strbuf_addstr(&w.text, probe + i);
        strbuf_addch(&w.text, '\0');
    }
    for (i = 0; i < w.n; i++)
        w.v[i] = w.text.buf + at[i];
    return w;
}

static void wildcards_release(struct wildcards *w)
{
    strbuf_release(&w->text);
}

static void index_listeners(struct arena *a, struct sock *s)
{
    size_t i;

    strhash_init(&s->by_hostname, a);
    s->any_hostname = s->listeners.n;
    for (i = 0; i < s->listeners.n; i++) {
        const struct eff_listener *l = s->listeners.v[i];
        void **slot;
        if (!l->hostname) {
            if (s->any_hostname == s->listeners.n)
                s->any_hostname = i;
            continue;
        }
        slot = strhash_slot(&s->by_hostname, l->hostname);
        if (!*slot) {
            size_t *at = ARENA_NEW(a, size_t);
            *at = i;
            *slot = at;
        }
    }
}

/* Keeps the listener at position i if it covers name more specifically
 * than the best so far (the first of equals stays). */
static void consider(const struct sock *s, size_t i, const char *name, size_t *best)
{
    const struct eff_listener *l = s->listeners.v[i];

    if (!covers(l->hostname, name))
        return;
    if (*best == s->listeners.n ||
        specificity(l->hostname) >
            specificity(((const struct eff_listener *)s->listeners.v[*best])->hostname) ||
        (specificity(l->hostname) ==
             specificity(((const struct eff_listener *)s->listeners.v[*best])->hostname) &&
         i < *best))
        *best = i;
}

/*
 * The position of the most specific listener covering name, or
 * s->listeners.n for none.  Only the listeners that can cover it are
 * probed: one named name itself, one of each wildcard over it ("*.b.c" and
 * "*.c" over "a.b.c", and over "*.b.c" too), and the first without a
 * hostname.
 */
static size_t listener_for(const struct sock *s, const char *name)
{
    size_t best = s->listeners.n, i;
    const size_t *at;
    struct wildcards wilds;

    if (s->any_hostname < s->listeners.n)
        consider(s, s->any_hostname, name, &best);
    if (!name)
        return best;
    if ((at = strhash_get(&s->by_hostname, name)) != NULL)
        consider(s, *at, name, &best);
    wilds = wildcards_over(name);
    for (i = 0; i < wilds.n; i++) {
        if ((at = strhash_get(&s->by_hostname, wilds.v[i])) != NULL)
            consider(s, *at, name, &best);
    }
    wildcards_release(&wilds);
    return best;
}

/* The most specific hostname of an attachment covering the server name,
 * or false when none does. */
static bool attachment_host(const struct attachment *a, const char *name,
                            const char **host)
{
    bool found = false;
    size_t i;

    if (a->n_hostnames == 0) {
        *host = NULL;
        return true;
    }
    for (i = 0; i < a->n_hostnames; i++) {
        if (covers(a->hostnames[i], name) &&
            (!found || specificity(a->hostnames[i]) > specificity(*host))) {
            *host = a->hostnames[i];
            found = true;
        }
    }
    return found;
}

static size_t rule_matches(const struct route *r, const struct route_rule *rule)
{
    if (r->obj.kind == KIND_GRPC_ROUTE)
        return rule->n_grpc_matches ? rule->n_grpc_matches : 1;
    return rule->n_matches;
}

static struct attach_index *index_attachments(struct arena *a,
                                              const struct eff_listener *l)
{
    struct attach_index *x = ARENA_NEW(a, struct attach_index);
    size_t i, h, hosts = 0;

    strhash_init(&x->by_host, a);
    /* One table, not one per doubling left behind in the arena. */
    for (i = 0; i < l->attachments.n; i++)
        hosts += ((const struct attachment *)l->attachments.v[i])->n_hostnames;
    strhash_reserve(&x->by_host, hosts);
    for (i = 0; i < l->attachments.n; i++) {
        const struct attachment *at = l->attachments.v[i];
        if (at->n_hostnames == 0)
            idx_push(a, &x->any, i);
        for (h = 0; h < at->n_hostnames; h++) {
            struct idxvec **v;
            if (strcmp(at->hostnames[h], "*") == 0) {
                idx_push(a, &x->star, i);
                continue;
            }
            v = (struct idxvec **)strhash_slot(&x->by_host, at->hostnames[h]);
            if (!*v)
                *v = ARENA_NEW(a, struct idxvec);
            idx_push(a, *v, i);
        }
    }
    return x;
}

static void add_host(struct arena *a, const struct attach_index *x, const char *host,
                     struct idxvec *out)
{
    const struct idxvec *v = strhash_get(&x->by_host, host);
    size_t i;

    for (i = 0; v && i < v->n; i++)
        idx_push(a, out, v->v[i]);
}

/*
 * The attachments that may cover server name S, in attachment order: those
 * with no hostname; for a named server also "*", S itself, and every
 * wildcard over S ("*.b.c" and "*.c" over "a.b.c", and over "*.b.c" too).
 * covers() still decides; this only skips attachments it would refuse.
 */
static struct idxvec attachments_for(struct arena *a, const struct attach_index *x,
                                     const char *name)
{
    struct idxvec out = {NULL, 0, 0};
    struct wildcards wilds;
    size_t i;

    for (i = 0; i < x->any.n; i++)
        idx_push(a, &out, x->any.v[i]);
    if (!name)
        return out;
    for (i = 0; i < x->star.n; i++)
        idx_push(a, &out, x->star.v[i]);
    add_host(a, x, name, &out);
    wilds = wildcards_over(name);
    for (i = 0; i < wilds.n; i++)
        add_host(a, x, wilds.v[i], &out);
    wildcards_release(&wilds);
    idx_sort_unique(&out);
    return out;
}

static void candidates_for(struct planner *p, const struct eff_listener *l,
                           const struct attach_index *x, const char *name,
                           struct ptrvec *out)
{
    struct idxvec atts;
    size_t i, j, k, group = 0;

    if (!l)
        return;
    atts = attachments_for(p->tmp, x, name);
    for (i = 0; i < atts.n; i++) {
        const struct attachment *a = l->attachments.v[atts.v[i]];
        const struct route_state *rs = a->route;
        const char *host = NULL;

        if (!a->carries_traffic || !attachment_host(a, name, &host))
            continue;
        for (j = 0; j < rs->n_rules; j++) {
            const struct route_rule *rule = rs->rules[j].rule;
            if (rs->rules[j].dropped)
                continue;
            for (k = 0; k < rule_matches(rs->route, rule); k++) {
                struct candidate *c = ARENA_NEW(p->tmp, struct candidate);
                c->att = a;
                c->rule = &rs->rules[j];
                c->rule_index = j;
                c->match_index = k;
                c->hostname = host;
                c->group = group;
                if (rs->route->obj.kind == KIND_GRPC_ROUTE) {
                    static const struct grpc_match any;
                    c->grpc = rule->n_grpc_matches ? &rule->grpc_matches[k] : &any;
                } else {
                    c->match = &rule->matches[k];
                }
                ptrvec_push(p->tmp, out, c);
            }
            group++;
        }
    }
}

/* ---- servers ---- */

/* Counts what a socket serves: cleartext HTTP/2 (h2c) is only for a
 * socket that serves gRPC alone; nginx 1.22 cannot offer HTTP/1.1 and h2c
 * on one cleartext port (validate reports the conflict). */
struct kinds_seen {
    size_t grpc, http;
};

static void count_kinds(const struct ptrvec *cands, struct kinds_seen *seen)
{
    size_t i;

    for (i = 0; i < cands->n; i++) {
        const struct candidate *c = cands->v[i];
        if (c->grpc)
            seen->grpc++;
        else
            seen->http++;
    }
}

/* An HTTPS port shared with TLS listeners is reached through the stream
 * front, over a unix socket that carries the client address in a PROXY
 * protocol header. */
static const struct https_hop *hop_for(const struct planner *p, const struct sock *s)
{
    size_t i;

    for (i = 0; s->https && i < p->https_hops.n; i++) {
        const struct https_hop *h = p->https_hops.v[i];
        if (plan_same_socket(h->address, h->port, s->address, s->port))
            return h;
    }
    return NULL;
}

static struct plan_server *new_server(struct planner *p, const struct sock *s,
                                      const char *name)
{
    struct plan_server *srv = ARENA_NEW(p->a, struct plan_server);
    const struct https_hop *hop = hop_for(p, s);

    p->plan->servers[p->plan->n_servers++] = srv;
    srv->listen.address = s->address;
    srv->listen.port = s->port;
    if (hop) {
        srv->listen.unix_path = hop->unix_path;
        srv->listen.proxy_protocol = true;
    } else if (s->proxy) {
        /* nginx reads the header on every server of the address and port
         * once one asks: every server says so. */
        srv->listen.proxy_protocol = true;
    }
    srv->listen.ssl = s->https;
    srv->listen.http2 = s->https;
    srv->listen.default_server = name == NULL;
    if (name) {
        srv->names = ARENA_NEW(p->a, const char *);
        srv->names[0] = name;
        srv->n_names = 1;
    }
    return srv;
}

/* Misdirected requests (Listener.hostname in apis/v1/gateway_types.go): on
 * HTTPS the TLS handshake picked a listener by SNI, and nginx then picks the
 * server by Host.  When the Host belongs to another listener the request
 * is answered 421, so each port with hostname listeners gets a map from SNI
 * to the listener it selects ("*" for none or a hostname-less one), checked
 * by every server of a listener.  A Host no listener matches reaches the
 * default server without one, which answers 404 whatever the SNI: the
 * spec's answer when no other listener matches the Host either. */
static const char *sni_listener_map(struct planner *p, const struct sock *s, size_t index)
{
    struct plan_map *m = NULL;
    size_t i;

    for (i = 0; i < s->listeners.n; i++) {
        const struct eff_listener *l = s->listeners.v[i];
        const size_t *first = l->hostname ? strhash_get(&s->by_hostname, l->hostname) : NULL;
        if (!first || *first != i)
            continue; /* no hostname, or one an earlier listener has */
        if (!m) {
            m = plan_map_new(p, plan_text_variable(p->a, "ssl_server_name"),
                             arena_printf(p->a, "gw_listener%zu", index));
            m->hostnames = true;
            m->default_value = plan_text_literal(p->a, "*");
        }
        plan_map_add(p, m, MAP_KEY_HOSTNAME, l->hostname,
                     plan_text_literal(p->a, l->hostname));
    }
    return m ? m->variable : NULL;
}

static void build_server(struct planner *p, struct sock *s, const char *name,
                         struct kinds_seen *seen, const char *sni_variable)
{
    size_t at = listener_for(s, name);
    const struct eff_listener *l = at < s->listeners.n ? s->listeners.v[at] : NULL;
    struct plan_server *srv = new_server(p, s, name);
    struct server_ctx sc = {l, srv};
    struct ptrvec cands = {0};
    struct candidate *flat;
    size_t i;

    if (l && !s->index[at])
        s->index[at] = index_attachments(p->a, l);
    candidates_for(p, l, l ? s->index[at] : NULL, name, &cands);
    count_kinds(&cands, seen);
    /* Kept in the plan only for explain/ (plan_options.no_explain). */
    flat = ARENA_NEW_ARRAY(p->o->no_explain ? p->tmp : p->a, struct candidate, cands.n);
    for (i = 0; i < cands.n; i++)
        flat[i] = *(struct candidate *)cands.v[i];
    plan_candidates_sort(flat, cands.n);
    if (s->https) {
        if (l && l->n_certificates) {
            struct cert_files f = plan_certificate_files(p, &l->certificates[0]);
            srv->cert_file = f.cert;
            srv->key_file = f.key;
        } else {
            srv->reject_handshake = true;
        }
        if (l && l->client_ca) {
            const struct object *g = &l->gateway->gw->obj;
            srv->client_ca_file = plan_ca_bundle_file(
                p, l->client_ca,
                arena_printf(p->a, "certs/client_ca_%s_%s_%lld.pem",
                             g->meta.namespace, g->meta.name, (long long)l->port));
            srv->client_verify_optional = l->client_verify_optional;
        }
        if (sni_variable && l) {
            srv->sni_listener_variable = sni_variable;
            srv->sni_listener = l->hostname ? l->hostname : "*";
        }
    }
    srv->listener = l;
    if (l) {
        plan_policy_real_ip(p, l, srv);
    } else if (s->proxy && !srv->listen.unix_path) {
        /* The default server of no listener: its logs name the client. */
        srv->real_ip_from = s->proxy->trusted_proxies;
        srv->n_real_ip_from = s->proxy->n_trusted_proxies;
        srv->real_ip_proxy_protocol = true;
    }
    plan_locations_build(p, srv, &sc, flat, cands.n);
    arena_reset(p->tmp);
}

static int cmp_socks(const void *pa, const void *pb)
{
    const struct sock *a = *(const struct sock *const *)pa;
    const struct sock *b = *(const struct sock *const *)pb;
    int c;

    if (!a->address != !b->address)
        return a->address ? 1 : -1;
    if (a->address && (c = strcmp(a->address, b->address)) != 0)
        return c;
    return a->port < b->port ? -1 : a->port > b->port;
}

/* The servers are counted before the first is built, so that the plan's
 * list of them is made once, not grown and then copied. */
void plan_servers_build(struct planner *p)
{
    struct ptrvec socks = {0};
    size_t i, j, n = 0;

    collect_sockets(p, &socks);
    ptrvec_sort(&socks, cmp_socks);
    for (i = 0; i < socks.n; i++) {
        server_names(p->a, socks.v[i]);
        n += ((struct sock *)socks.v[i])->names.n;
    }
    p->plan->servers = ARENA_NEW_ARRAY(p->a, struct plan_server *, n ? n : 1);
    for (i = 0; i < socks.n; i++) {
        struct sock *s = socks.v[i];
        size_t first = p->plan->n_servers;
        struct kinds_seen seen = {0, 0};
        const char *sni_variable;

        index_listeners(p->a, s);
        s->proxy = plan_socket_proxy_protocol(p, &s->listeners);
        sni_variable = s->https ? sni_listener_map(p, s, i) : NULL;

        s->index = ARENA_NEW_ARRAY(p->a, struct attach_index *,
                                   s->listeners.n ? s->listeners.n : 1);
        for (j = 0; j < s->names.n; j++)
            build_server(p, s, s->names.v[j], &seen, sni_variable);
        for (j = first; j < p->plan->n_servers; j++)
            p->plan->servers[j]->listen.http2 |= !s->https && seen.grpc > 0 && seen.http == 0;
    }
}
