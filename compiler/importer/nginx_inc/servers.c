/*
 * NIC's servers (one per host, hosts global across namespaces) to Gateway
 * API: the Gateway "nginx" (importer/gateways.c), an HTTP listener per
 * host and an HTTPS one for hosts with a certificate.  With the HTTPS
 * redirect on, the HTTP listener gets one route answering every request
 * with the redirect and the locations attach to HTTPS only; otherwise one
 * route serves both.  gRPC locations go to a GRPCRoute.  Routes live in
 * the server's namespace; minions' Services in other namespaces get
 * ReferenceGrants.
 */
#include "nic.h"
#include "nic_policy.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <stdarg.h>
#include <string.h>

/* A claimant of a host: what NIC compares (configuration.go
 * chooseObjectMetaWinner: the older creationTimestamp, then the greater
 * uid), and the name gwc falls back on. */
struct nic_bid {
    const char *label, *nsname, *uid;
    int64_t created; /* INT_UNSET: not in the input */
};

/* <0 when a wins the host over b; *assumed says why when the input lacks
 * what NIC decides by (NULL: decided as NIC does).  A lexicographic order,
 * so that the winner does not depend on the order of the input: a missing
 * timestamp counts as the newest (an object the cluster does not have
 * yet, say), a missing uid as the smallest, then namespace/name. */
static int bid_cmp(struct imp *im, const struct nic_bid *a, const struct nic_bid *b,
                   const char **assumed)
{
    bool a_known = a->created != INT_UNSET, b_known = b->created != INT_UNSET;
    int c;

    *assumed = NULL;
    if (a_known && b_known && a->created != b->created)
        return a->created < b->created ? -1 : 1;
    if (a_known != b_known) {
        *assumed = arena_printf(im->a, "%s has no creationTimestamp, which NIC "
                                "decides by; gwc takes it as the newer",
                                a_known ? b->label : a->label);
        return a_known ? -1 : 1;
    }
    /* Equal timestamps, or none: NIC takes the greater uid. */
    if (a->uid && b->uid && (c = strcmp(a->uid, b->uid)) != 0) {
        if (!a_known)
            *assumed = "neither has a creationTimestamp, which NIC decides by; "
                       "gwc takes the greater uid, as NIC does between equal "
                       "timestamps";
        return c > 0 ? -1 : 1;
    }
    if (!a->uid != !b->uid) {
        *assumed = arena_printf(im->a, "%s, and %s has no uid, which NIC then "
                                "decides by; gwc takes the one with a uid",
                                a_known ? "their creationTimestamps are the same"
                                        : "neither has a creationTimestamp",
                                a->uid ? b->label : a->label);
        return a->uid ? -1 : 1;
    }
    *assumed = a_known ? "their creationTimestamps are the same, and NIC then "
                         "decides by uid, which the input lacks; gwc takes the "
                         "first by namespace/name"
                       : "neither has a creationTimestamp or a uid, which NIC "
                         "decides by; gwc takes the first by namespace/name";
    return strcmp(a->nsname, b->nsname) <= 0 ? -1 : 1;
}

void nic_host_bid(struct imp *im, const char *host, const struct imp_src *owner,
                  const char *nsname)
{
    const struct ynode *meta = ynode_get(owner->root, "metadata");
    const struct ynode *ts = ynode_get(meta, "creationTimestamp");
    const struct ynode *uid = ynode_get(meta, "uid");
    struct nic_bid *b = imp_index_get(&NIC(im)->bids, host);
    struct nic_bid *me = ARENA_NEW(im->a, struct nic_bid);
    const char *assumed;

    me->label = owner->label;
    me->nsname = nsname;
    me->created = INT_UNSET;
    if (ts && ts->kind == YNODE_SCALAR && !model_parse_rfc3339(ts->text, &me->created))
        me->created = INT_UNSET;
    if (uid && uid->kind == YNODE_SCALAR && *uid->text)
        me->uid = uid->text;
    imp_index_put(im->a, &NIC(im)->claimants,
                  arena_printf(im->a, "%s|%s", host, owner->label), me);
    if (!b || bid_cmp(im, me, b, &assumed) < 0)
        imp_index_put(im->a, &NIC(im)->bids, host, me);
}

void nic_host_lost(struct imp *im, const char *host, const struct imp_src *owner,
                   const struct ynode *at)
{
    const struct nic_bid *w = imp_index_get(&NIC(im)->bids, host);
    const struct nic_bid *me = imp_index_get(
        &NIC(im)->claimants, arena_printf(im->a, "%s|%s", host, owner->label));
    const char *assumed = NULL;

    if (w && me && w != me)
        bid_cmp(im, w, me, &assumed);
    if (assumed)
        imp_report_src(im, owner, at, DIAG_IMPORT_HOST_OWNER_ASSUMED,
                       "host '%s' given to %s by an assumption: %s; if NIC serves "
                       "this object's host instead, add the objects' "
                       "creationTimestamp and uid from the cluster",
                       host, w->label, assumed);
}

const char *nic_host_winner(const struct imp *im, const char *host)
{
    const struct nic_bid *b = imp_index_get(&NIC(im)->bids, host);

    return b ? b->label : NULL;
}

struct nic_server *nic_server_claim(struct imp *im, const struct imp_src *owner,
                                    const char *ns, const char *host)
{
    struct nic *nic = NIC(im);
    struct nic_server *s = imp_index_get(&nic->server_index, host);
    const char *winner = nic_host_winner(im, host);

    if (winner && !str_eq(winner, owner->label))
        return NULL;
    if (s)
        return str_eq(s->owner.label, owner->label) ? s : NULL;
    s = ARENA_NEW(im->a, struct nic_server);
    s->owner = *owner;
    s->namespace = ns;
    s->host = host;
    imp_index_put(im->a, &nic->server_index, host, s);
    ptrvec_push(im->a, &nic->servers, s);
    return s;
}

/* ---- routes ---- */

/* A minion's rule comes from its master too: the host, TLS and the
 * settings the minion inherits. */
static struct o_rule *rule_of(struct imp *im, const struct nic_server *s,
                              const struct nic_loc *l, size_t group)
{
    struct o_rule *r = imp_routes_rule_new(im, l->src.root, l->matches, l->n_matches,
                                           l->denied ? NULL : l->filters, group);

    if (s->owner.root != l->src.root)
        imp_origin_add(im, &r->origins, s->owner.root);

    if (!l->denied)
        r->backends = l->backends;
    r->source = l;
    return r;
}

/* redirect-to-https: NIC redirects when X-Forwarded-Proto is "http" (TLS
 * ended in front of it). */
static struct o_rule *xfp_twin(struct imp *im, const struct nic_loc *l,
                               size_t group, int64_t code)
{
    struct o_match m[2];
    struct o_filters *f = ARENA_NEW(im->a, struct o_filters);
    struct o_redirect *rd = ARENA_NEW(im->a, struct o_redirect);
    size_t i;

    for (i = 0; i < l->n_matches; i++) {
        m[i] = l->matches[i];
        m[i].header.type = "Exact";
        m[i].header.name = "X-Forwarded-Proto";
        m[i].header.value = "http";
    }
    rd->scheme = "https";
    rd->code = code;
    f->redirect = rd;
    return imp_routes_rule_new(im, l->src.root, m, l->n_matches, f, group);
}

static void emit(struct imp *im, const struct nic_server *s, struct o_gateway *gw,
                 enum kind kind, const char *suffix, const struct ptrvec *rules,
                 const char *const *sections, size_t n_sections)
{
    const char *label =
        *s->host ? imp_name_host_label(im->a, s->host) : "all-hosts";

    imp_routes_emit(im, kind, s->namespace,
                    arena_printf(im->a, "%s%s", label, suffix), s->host, gw, rules,
                    sections, n_sections);
}

/* The listeners of s, and the client certificates its VirtualServer's
 * ingressMTLS asks of its HTTPS one. */
static void server_listeners(struct imp *im, struct nic_server *s)
{
    struct o_gateway *gw = imp_gateway_for(im, "nginx");
    struct imp_client_cert cc;

    memset(&cc, 0, sizeof(cc));
    s->sections[s->n_sections++] = imp_listener_add(
        im, gw, &s->owner, s->owner.root, "HTTP", s->host, NULL, NULL);
    if (s->secret)
        s->sections[s->n_sections++] = imp_listener_add(
            im, gw, &s->owner, s->owner.root, "HTTPS", s->host, s->secret, s->namespace);
    if (!s->spec || !s->spec->mtls || !nic_policy_mtls(s->spec->mtls, &cc))
        return;
    cc.src = s->owner;
    cc.at = s->spec->mtls_at;
    s->cc = ARENA_NEW(im->a, struct imp_client_cert);
    *s->cc = cc;
    imp_client_cert_ask(im, gw, s->secret ? s->sections[1] : "", s->cc);
}

/* Client certificates not converted: every path of s answers 500, as NIC
 * answers for a Policy it cannot apply, never served without them. */
static void client_certs_refused(struct imp *im, struct nic_server *s)
{
    size_t i;

    if (!s->cc || !s->cc->refused)
        return;
    imp_report_src(im, &s->owner, s->cc->at, DIAG_IMPORT_FAIL_CLOSED,
                   "access control not converted exactly: client certificates "
                   "for host '%s': %s; the paths answer 500 instead of being "
                   "served without them",
                   *s->host ? s->host : "*", s->cc->refused);
    for (i = 0; i < s->locs.n; i++)
        ((struct nic_loc *)s->locs.v[i])->denied = true;
}

/* NIC asks for client certificates in the TLS handshake, so only on
 * HTTPS: without tls.redirect the host's routes are served on port 80 to
 * anyone, in NIC as in the output.  Said, as ingress-nginx's import says
 * it, since it is what the host's owner may not expect. */
static void client_certs_plain(struct imp *im, const struct nic_server *s)
{
    if (!s->cc || s->cc->refused || s->redirect_code)
        return;
    imp_report_src(im, &s->owner, s->cc->at, DIAG_IMPORT_CLIENT_CERT_PLAIN,
                   "host '%s' asks for client certificates on HTTPS, but its "
                   "routes are served on plain HTTP without one (tls.redirect "
                   "is not enabled), as NIC serves them",
                   *s->host ? s->host : "*");
}

/* A prefix rewrite made l's string prefix '/p' a PathPrefix; NIC serves
 * '/pX' there too, under l's Policies.  With access control, the Gateway
 * would give '/pX' to a shorter path without it: it answers 500. */
static bool guarded_twin(struct imp *im, const struct nic_loc *l)
{
    if (!l->twin_at || l->twin_taken || l->denied || !l->pols ||
        !(l->pols->access || (l->pols->client && l->pols->client->p.n_rates)))
        return false; /* a body size alone is no access control */
    imp_report_src(im, &l->src, l->twin_at, DIAG_IMPORT_FAIL_CLOSED,
                   "access control not converted exactly: NIC serves '%sX' "
                   "here too, under this location's Policies; the rewrite "
                   "matches '%s' by whole segments, so '%sX' answers 500 "
                   "instead of going to a path without them",
                   imp_report_value(im, l->matches[0].path.value),
                   imp_report_value(im, l->matches[0].path.value),
                   imp_report_value(im, l->matches[0].path.value));
    return true;
}

static void server_routes(struct imp *im, struct nic_server *s)
{
    struct o_gateway *gw = imp_gateway_for(im, "nginx");
    const char *const *sections = s->sections;
    struct ptrvec http = {0}, grpc = {0};
    size_t i, n = s->n_sections;

    for (i = 0; i < s->locs.n; i++) {
        const struct nic_loc *l = s->locs.v[i];
        if (l->grpc && !s->secret) {
            imp_report_src(im, &l->src, l->at, DIAG_IMPORT_NOT_CONVERTED,
                           "gRPC needs HTTP/2, which NIC offers with TLS only, and "
                           "host '%s' has no certificate; not converted",
                           *s->host ? s->host : "*");
            continue;
        }
        if (l->grpc) {
            ptrvec_push(im->a, &grpc, rule_of(im, s, l, i));
            continue;
        }
        if (s->xfp_redirect && !s->redirect_code && !(l->filters && l->filters->redirect))
            ptrvec_push(im->a, &http, xfp_twin(im, l, i, s->xfp_code));
        ptrvec_push(im->a, &http, rule_of(im, s, l, i));
        if (guarded_twin(im, l))
            ptrvec_push(im->a, &http,
                        imp_routes_rule_new(im, l->src.root, &l->matches[1], 1, NULL, i));
    }
    if (s->redirect_code && n > 1) { /* port 80 redirects to the HTTPS listener */
        struct o_rule *r = imp_routes_rule_new(im, s->owner.root, NULL, 0, NULL, 0);
        struct o_filters *f = ARENA_NEW(im->a, struct o_filters);
        struct o_redirect *rd = ARENA_NEW(im->a, struct o_redirect);
        struct ptrvec one = {0};

        rd->scheme = "https";
        rd->code = s->redirect_code;
        f->redirect = rd;
        r->filters = f;
        ptrvec_push(im->a, &one, r);
        emit(im, s, gw, KIND_HTTP_ROUTE, "-redirect", &one, sections, 1);
        emit(im, s, gw, KIND_HTTP_ROUTE, "", &http, sections + 1, 1);
        emit(im, s, gw, KIND_GRPC_ROUTE, "", &grpc, sections + 1, 1);
        return;
    }
    emit(im, s, gw, KIND_HTTP_ROUTE, "", &http, sections, n);
    emit(im, s, gw, KIND_GRPC_ROUTE, "", &grpc, sections + 1, n - 1);
}

static int cmp_servers(const void *pa, const void *pb)
{
    const struct nic_server *a = *(const struct nic_server *const *)pa;
    const struct nic_server *b = *(const struct nic_server *const *)pb;
    int c = strcmp(a->namespace, b->namespace);

    return c ? c : strcmp(a->host, b->host);
}

void nic_servers_write(struct imp *im)
{
    struct nic *nic = NIC(im);
    size_t i;

    ptrvec_sort(&nic->servers, cmp_servers);
    for (i = 0; i < nic->servers.n; i++) {
        struct nic_server *s = nic->servers.v[i];
        if (s->locs.n)
            server_listeners(im, s);
    }
    imp_client_certs_resolve(im);
    for (i = 0; i < nic->servers.n; i++) {
        struct nic_server *s = nic->servers.v[i];
        nic_prefix_siblings(im, s);
        client_certs_refused(im, s);
        client_certs_plain(im, s);
        if (s->locs.n)
            server_routes(im, s);
    }
}
