/*
 * Which server of the plan gets the request, and which of its candidates
 * answers.  Servers are chosen as nginx chooses them: by port (the
 * listener's, through --port-map), then by name (exact, then the longest
 * leading wildcard, then the default server), first by SNI for the TLS
 * handshake and then by Host for the request.
 */
#include "explain_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/ptrvec.h"
#include "base/str.h"
#include "base/strbuf.h"

#include <string.h>

/* How well a server name matches a host: 0 not at all, else higher wins
 * (exact, then longer wildcards). */
static size_t name_score(const char *name, const char *host)
{
    size_t n = strlen(name), h = strlen(host);

    if (strcmp(name, host) == 0)
        return SIZE_MAX;
    if (name[0] == '*' && h > n - 1 && strcmp(host + h - (n - 1), name + 1) == 0)
        return n;
    return 0;
}

/* The server of the socket named host (NULL: none sent) or its default. */
static const struct plan_server *server_for(const struct ptrvec *socket, const char *host)
{
    const struct plan_server *best = NULL, *dflt = NULL;
    size_t best_score = 0, i, j;

    for (i = 0; i < socket->n; i++) {
        const struct plan_server *s = socket->v[i];
        if (s->listen.default_server)
            dflt = s;
        for (j = 0; host && j < s->n_names; j++) {
            size_t score = name_score(s->names[j], host);
            if (score > best_score) {
                best = s;
                best_score = score;
            }
        }
    }
    return best ? best : dflt;
}

/* The value of a hostnames map for a key, as nginx looks it up. */
static const char *hostnames_map(const struct plan *plan, const char *variable,
                                 const char *key)
{
    const struct plan_map *m = NULL;
    const char *value;
    size_t i, best = 0;

    for (i = 0; i < plan->http.n_maps && !m; i++) {
        if (str_eq(plan->http.maps[i].variable, variable))
            m = &plan->http.maps[i];
    }
    if (!m)
        return NULL;
    value = m->default_value.n ? m->default_value.parts[0].text : "";
    for (i = 0; key && i < m->n_entries; i++) {
        size_t score = name_score(m->entries[i].key, key);
        if (score > best && m->entries[i].value.n) {
            best = score;
            value = m->entries[i].value.parts[0].text;
        }
    }
    return value;
}

static const char *prec_text(enum plan_precedence p)
{
    static const char *const texts[] = {
        [PREC_HOSTNAME] =
            "its route hostname is more specific (exact, then wildcard, then none)",
        [PREC_HOSTNAME_LEN] = "its route hostname is longer",
        [PREC_PATH_KIND] = ("its path match is of a stronger kind (Exact, then "
                            "RegularExpression, then PathPrefix)"),
        [PREC_PATH_LEN] = "its path is longer",
        [PREC_GRPC_SERVICE] = "its gRPC service is longer",
        [PREC_GRPC_METHOD] = "its gRPC method is longer",
        [PREC_METHOD] = "it matches the method",
        [PREC_HEADERS] = "it has more header matches",
        [PREC_QUERY] = "it has more query parameter matches",
        [PREC_AGE] = "its route is older (or, as old, first by namespace/name)",
        [PREC_KIND] = "HTTPRoute comes before GRPCRoute",
        [PREC_RULE] = "its rule comes first in the route",
        [PREC_MATCH] = "its match comes first in the rule",
    };

    return (size_t)p < ARRAY_SIZE(texts) && texts[p] ? texts[p] : "it comes first";
}

static void add_loser(struct arena *a, struct ptrvec *v, const struct candidate *c,
                      const struct attachment *att, const char *why)
{
    struct explain_loser *l = ARENA_NEW(a, struct explain_loser);

    l->cand = c;
    l->att = att;
    l->why_not = why;
    ptrvec_push(a, v, l);
}

/* Routes of the listener that serve other hostnames only. */
static void hostname_losers(struct arena *a, const struct eff_listener *l,
                            const char *host, struct ptrvec *out)
{
    size_t i, j;

    for (i = 0; i < l->attachments.n; i++) {
        const struct attachment *att = l->attachments.v[i];
        struct strbuf why = STRBUF_INIT;
        bool covered = att->n_hostnames == 0;

        for (j = 0; j < att->n_hostnames && !covered; j++)
            covered = ctl_hostname_matches(att->hostnames[j], host);
        if (covered || !att->carries_traffic)
            continue;
        strbuf_addstr(&why, "its hostnames here (");
        for (j = 0; j < att->n_hostnames; j++)
            strbuf_addf(&why, "%s%s", j ? ", " : "", att->hostnames[j]);
        strbuf_addf(&why, ") do not match %s", host);
        add_loser(a, out, NULL, att, arena_strndup(a, why.buf, why.len));
        strbuf_release(&why);
    }
}

static void walk(struct arena *a, const struct plan *plan, const struct plan_server *srv,
                 const struct explain_request *r, struct explain_result *out)
{
    struct ptrvec losers = {0};
    const struct candidate *win = NULL;
    size_t i;

    for (i = 0; i < srv->n_candidates; i++) {
        const struct candidate *c = &srv->candidates[i];
        const char *why = explain_why_not(a, c, r);

        if (!why && !win) {
            win = c;
            continue;
        }
        if (!why)
            why = arena_printf(a, "it matches too, but the winner takes precedence: %s",
                               prec_text(plan_precedence_step(win, c)));
        add_loser(a, &losers, c, c->att, why);
    }
    hostname_losers(a, srv->listener, r->hostname, &losers);
    out->considered = ARENA_NEW_ARRAY(a, struct explain_loser, losers.n ? losers.n : 1);
    for (i = 0; i < losers.n; i++)
        out->considered[i] = *(struct explain_loser *)losers.v[i];
    out->n_considered = losers.n;
    out->winner = win;
    if (!win) {
        out->status = 404;
        out->status_reason = "no route of the listener matches";
        return;
    }
    if (!srv->group_handlers[win->group]) {
        out->error = "the plan has no location that reaches this match (a gwc bug: "
                     "please report it)";
        return;
    }
    explain_answer(a, plan, r, win, srv->group_handlers[win->group], out);
}

void explain_request(struct arena *a, const struct plan *plan,
                     const struct plan_options *po, const struct explain_request *r,
                     struct explain_result *out)
{
    int64_t port = plan_mapped_port(po, r->port);
    struct ptrvec socket = {0};
    const char *address = NULL;
    const struct plan_server *srv;
    bool other_address = false, other_scheme = false;
    size_t i;

    memset(out, 0, sizeof(*out));
    /* The socket: servers listening on the port, on one address. */
    for (i = 0; i < plan->n_servers; i++) {
        const struct plan_server *s = plan->servers[i];
        if (s->listen.port != port)
            continue;
        if (s->listen.ssl != r->https) {
            other_scheme = true;
            continue;
        }
        if (socket.n && !str_eq(s->listen.address, address) &&
            !(s->listen.address == NULL && address == NULL)) {
            other_address = true;
            if (!str_eq(s->listen.address, r->hostname))
                continue;
            socket.n = 0; /* the URL names this address */
        }
        address = s->listen.address;
        ptrvec_push(a, &socket, (void *)s);
    }
    if (socket.n == 0) {
        out->error = other_scheme
                         ? arena_printf(a, "port %lld has no %s listener (try %s://)",
                                        (long long)r->port, r->https ? "HTTPS" : "HTTP",
                                        r->https ? "http" : "https")
                         : arena_printf(a, "no HTTP or HTTPS listener has port %lld",
                                        (long long)r->port);
        return;
    }
    if (other_address && !str_eq(address, r->hostname)) {
        out->error = arena_printf(a, "port %lld listens on several addresses; put the "
                                     "address in the URL and the name in a Host header",
                                  (long long)r->port);
        return;
    }
    if (r->https) {
        const struct plan_server *hs = server_for(&socket, r->sni);
        if (hs && hs->reject_handshake) {
            out->error = arena_printf(a, "the TLS handshake is refused: no listener "
                                         "has a certificate for %s%s%s",
                                      r->sni ? "server name '" : "a client that sends no server name",
                                      r->sni ? r->sni : "", r->sni ? "'" : "");
            return;
        }
    }
    srv = server_for(&socket, r->hostname);
    out->server = srv;
    out->listener = srv->listener;
    if (!srv->listener) {
        out->status = 404;
        out->status_reason = "no listener accepts this Host";
        return;
    }
    if (srv->sni_listener_variable) {
        const char *chosen = hostnames_map(plan, srv->sni_listener_variable, r->sni);
        if (chosen && !str_eq(chosen, srv->sni_listener)) {
            out->status = 421;
            out->status_reason = "the TLS server name chose another listener than Host";
            return;
        }
    }
    walk(a, plan, srv, r, out);
}

const char *explain_backend_name(struct arena *a, const struct backend *b)
{
    return arena_printf(a, "%s/%s", b->namespace, b->name);
}
