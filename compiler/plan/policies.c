/*
 * The gwc policies of a rule as nginx directives (docs/policies.md,
 * "Maintainers: nginx mapping").  controller/ merged the levels; this file
 * turns the effective settings into the rule's plan_policy, the http{}
 * zones, the server's auth and error page locations, and the load
 * balancing of the rule's upstreams.  Anything it cannot write exactly
 * makes the rule answer 500.
 */
#include "plan_internal.h"

#include "base/array.h"
#include "base/cidr.h"
#include "nginx/vars.h"

#include "base/arena.h"
#include "base/ipaddr.h"
#include "base/strbuf.h"
#include "base/url.h"

#include <inttypes.h>
#include <stdio.h>

const char *plan_policy_body_size_text(struct planner *p, int64_t bytes)
{
    if (bytes > 0 && bytes % (1 << 30) == 0)
        return arena_printf(p->a, "%" PRId64 "g", bytes >> 30);
    if (bytes > 0 && bytes % (1 << 20) == 0)
        return arena_printf(p->a, "%" PRId64 "m", bytes >> 20);
    if (bytes > 0 && bytes % (1 << 10) == 0)
        return arena_printf(p->a, "%" PRId64 "k", bytes >> 10);
    return arena_printf(p->a, "%" PRId64, bytes);
}

int64_t plan_policy_body_limit(const struct plan_handler *h)
{
    return h->policy && h->policy->max_body >= 0 ? h->policy->max_body : 1 << 20;
}

/* ---- limits ---- */

/* The key a policy's limits count: the client address, or "" for its
 * exempt addresses (a geo marks them, a map clears their key). */
static const char *limit_key(struct planner *p, const struct gwc_policy *gp)
{
    const struct request_limits *l = &((const struct client_policy *)gp->obj)->request_limits;
    const char *id = plan_policy_id(p, gp->obj), *geo_var, *key_var;
    struct plan_geo *g;
    struct plan_map *m;
    void **slot;

    if (l->n_exempt_cidrs == 0)
        return "binary_remote_addr";
    geo_var = arena_printf(p->a, "gw_rx_%s", id);
    key_var = arena_printf(p->a, "gw_rk_%s", id);
    slot = strhash_slot(&p->geos_by_name, geo_var);
    if (*slot)
        return key_var;
    g = ARENA_NEW(p->a, struct plan_geo);
    g->variable = geo_var;
    g->cidrs = l->exempt_cidrs;
    g->n_cidrs = l->n_exempt_cidrs;
    *slot = g;
    ptrvec_push(p->a, &p->geos, g);
    m = plan_map_new(p, plan_text_variable(p->a, geo_var), key_var);
    plan_map_add(p, m, MAP_KEY_EXACT, "1", plan_text_literal(p->a, ""));
    m->default_value = plan_text_variable(p->a, "binary_remote_addr");
    return key_var;
}

static const char *zone(struct planner *p, const char *name, const char *key, bool conn,
                        const struct rate_limit *r)
{
    void **slot = strhash_slot(&p->zones_by_name, name);
    struct plan_zone *z;

    if (*slot)
        return name;
    z = ARENA_NEW(p->a, struct plan_zone);
    z->name = name;
    z->key = key;
    z->conn = conn;
    if (r) {
        z->requests = r->requests;
        z->per_minute = str_eq(r->per, "Minute");
    }
    *slot = z;
    ptrvec_push(p->a, &p->zones, z);
    return name;
}

static void limits(struct planner *p, const struct policy_effective *e, struct plan_policy *pp)
{
    size_t i;

    pp->rates = ARENA_NEW_ARRAY(p->a, struct plan_rate, e->n_rates ? e->n_rates : 1);
    for (i = 0; i < e->n_rates; i++) {
        const struct policy_rate *r = &e->rates[i];
        struct plan_rate *out = &pp->rates[pp->n_rates++];
        out->zone = zone(p, arena_printf(p->a, "gw_rl_%s_%zu", plan_policy_id(p, r->policy->obj),
                                         r->index),
                         limit_key(p, r->policy), false, r->rate);
        out->burst = r->rate->burst; /* the CRD defaults both */
        out->nodelay = r->rate->no_delay == TRI_TRUE;
    }
    pp->conn_zones = ARENA_NEW_ARRAY(p->a, const char *, e->n_concurrent ? e->n_concurrent : 1);
    pp->conn_limits = ARENA_NEW_ARRAY(p->a, int64_t, e->n_concurrent ? e->n_concurrent : 1);
    for (i = 0; i < e->n_concurrent; i++) {
        const struct gwc_policy *gp = e->concurrent[i];
        pp->conn_zones[pp->n_conn] = zone(
            p, arena_printf(p->a, "gw_lc_%s", plan_policy_id(p, gp->obj)), limit_key(p, gp), true,
            NULL);
        pp->conn_limits[pp->n_conn++] =
            ((const struct client_policy *)gp->obj)->request_limits.concurrent;
    }
    if (e->reject_status != INT_UNSET)
        pp->reject_status = (int)e->reject_status;
}

/* ---- responses ---- */

/* X-Request-ID as ingress-nginx sends it: the client's, else nginx's. */
static const char *request_id_variable(struct planner *p)
{
    static const char var[] = "gw_request_id";
    struct plan_map *m;

    if (strhash_get(&p->sec->maps_by_name, var))
        return var;
    m = plan_map_new(p, plan_text_variable(p->a, "http_x_request_id"), var);
    plan_map_add(p, m, MAP_KEY_EXACT, "", plan_text_variable(p->a, "request_id"));
    m->default_value = plan_text_variable(p->a, "http_x_request_id");
    return var;
}

/* The named locations of the effective errorResponses, once per server.
 * False when a page's Service cannot be reached as its policy says (an
 * unusable BackendTLSPolicy): the rule answers 500.  A Service without
 * ready endpoints leaves nginx's own page (GW0845). */
static bool error_pages(struct planner *p, const struct server_ctx *sc,
                        const struct policy_effective *e, struct plan_policy *pp, bool grpc)
{
    const char *id;
    size_t i, j, n = 0;

    if (grpc || e->n_errors == 0)
        return true; /* gRPC clients read grpc-status, not bodies */
    id = plan_policy_id(p, e->errors_from->obj);
    for (i = 0; i < e->n_errors; i++)
        n += e->errors[i].n_status_codes;
    pp->errors = ARENA_NEW_ARRAY(p->a, struct plan_error_page *, n);
    for (i = 0; i < e->n_errors; i++) {
        const struct error_response *er = &e->errors[i];
        struct plan_target target = {0};
        if (er->present & ERROR_RESPONSE_GIVEN_BACKEND_REF) {
            target = plan_target_of(p, &e->errors_from->error_backends[i], false,
                                    sc->listener->gateway);
            if (target.status && target.status != 503)
                return false;
            pp->error_context = true;
        }
        for (j = 0; j < er->n_status_codes; j++) {
            struct plan_error_page *ep = ARENA_NEW(p->a, struct plan_error_page), **v;
            struct plan_server *srv = sc->srv;
            size_t k;
            ep->code = (int)er->status_codes[j];
            ep->name = arena_printf(p->a, "@/_gw/err/%s/%d", id, ep->code);
            ep->body = er->body;
            ep->content_type = er->content_type ? er->content_type : "text/html; charset=utf-8";
            if (er->present & ERROR_RESPONSE_GIVEN_BACKEND_REF) {
                srv->error_context = true;
                ep->proxied = true;
                ep->target = target;
                ep->request_id_variable = request_id_variable(p);
            }
            pp->errors[pp->n_errors++] = ep;
            for (k = 0; k < srv->n_error_pages && !str_eq(srv->error_pages[k]->name, ep->name);
                 k++)
                ;
            if (k < srv->n_error_pages)
                continue;
            v = ARENA_NEW_ARRAY(p->a, struct plan_error_page *, srv->n_error_pages + 1);
            if (srv->n_error_pages)
                memcpy(v, srv->error_pages, srv->n_error_pages * sizeof(*v));
            v[srv->n_error_pages++] = ep;
            srv->error_pages = v;
        }
    }
    return true;
}

void plan_policy_error_context(struct planner *p, struct plan_handler *h,
                               const struct route *r, const struct backend *b)
{
    struct plan_error_context *x;

    if (!h->policy || !h->policy->error_context)
        return;
    x = ARENA_NEW(p->a, struct plan_error_context);
    x->namespace = r->obj.meta.namespace;
    x->route = r->obj.meta.name;
    x->service = b->name;
    x->port = b->port_number;
    plan_handler_extra_mut(p, h)->error_context = x;
}

static const char *hsts_value(struct planner *p, const struct hsts *s)
{
    return arena_printf(p->a, "max-age=%" PRId64 "%s%s", s->max_age_seconds,
                        s->include_sub_domains == TRI_TRUE ? "; includeSubDomains" : "",
                        s->preload == TRI_TRUE ? "; preload" : "");
}

/* BackendPolicy retry in the terms of gwc's retry machinery (servers
 * listed `tries` times, docs/spec-notes.md "Retries and timeouts"). */
static void retry(struct planner *p, const struct backend_retry *r, struct plan_handler *h)
{
    static const struct {
        const char *field, *nginx;
    } on[] = {{"Error", "error"}, {"Timeout", "timeout"}, {"InvalidHeader", "invalid_header"}};
    struct plan_handler_extra *x = plan_handler_extra_mut(p, h);
    struct strbuf sb = STRBUF_INIT;
    size_t i, j;

    for (i = 0; i < ARRAY_SIZE(on); i++) {
        for (j = 0; j < r->n_on; j++) {
            if (str_eq(r->on[j], on[i].field)) {
                strbuf_addf(&sb, "%s%s", sb.len ? " " : "", on[i].nginx);
                break;
            }
        }
    }
    for (i = 0; i < r->n_status_codes; i++)
        strbuf_addf(&sb, "%shttp_%" PRId64, sb.len ? " " : "", r->status_codes[i]);
    if (sb.len == 0) {
        x->retry_on = "off";
        x->retry_tries = 1;
        strbuf_release(&sb);
        return;
    }
    if (r->non_idempotent == TRI_TRUE)
        strbuf_addstr(&sb, " non_idempotent");
    x->retry_on = arena_strndup(p->a, sb.buf, sb.len);
    x->retry_tries = (unsigned)r->tries;
    x->retry_within = plan_policy_duration(p, r->timeout);
    strbuf_release(&sb);
}

/* An issued affinity cookie (docs/policies.md, "loadBalancing"): a client
 * without the cookie is hashed by its request id, and the response sets the
 * cookie to that id, so its next requests hash alike.  Returns the hash
 * key; *set_cookie is the variable holding the Set-Cookie value ("" when
 * the client sent the cookie, so nginx adds none). */
static const char *issued_cookie(struct planner *p, const struct hash_cookie *ck,
                                 const char **set_cookie)
{
    const char *value = plan_map_cookie_value(p, ck->name);
    struct strbuf attrs = STRBUF_INIT;
    const char *id, *key_var, *set_var;
    struct plan_map *m;
    struct plan_text t;

    strbuf_addf(&attrs, "; Path=%s", ck->path ? ck->path : "/");
    if (ck->domain)
        strbuf_addf(&attrs, "; Domain=%s", ck->domain);
    if (ck->max_age_seconds != INT_UNSET)
        strbuf_addf(&attrs, "; Max-Age=%" PRId64, ck->max_age_seconds);
    if (ck->secure == TRI_TRUE)
        strbuf_addstr(&attrs, "; Secure");
    if (ck->http_only != TRI_FALSE)
        strbuf_addstr(&attrs, "; HttpOnly");
    if (ck->same_site)
        strbuf_addf(&attrs, "; SameSite=%s", ck->same_site);
    id = plan_hashed_id(p, arena_printf(p->a, "%s=%s", ck->name, attrs.buf));
    key_var = arena_printf(p->a, "gw_hk_%s", id);
    set_var = arena_printf(p->a, "gw_hs_%s", id);
    *set_cookie = set_var;
    if (!strhash_get(&p->sec->maps_by_name, key_var)) {
        m = plan_map_new(p, plan_text_variable(p->a, value), key_var);
        plan_map_add(p, m, MAP_KEY_EXACT, "",
                     plan_text_variable(p->a, "request_id"));
        m->default_value = plan_text_variable(p->a, value);
        m = plan_map_new(p, plan_text_variable(p->a, value), set_var);
        t = plan_text_new(p->a, 3);
        plan_text_lit(&t, arena_printf(p->a, "%s=", ck->name));
        plan_text_var(&t, "request_id");
        plan_text_lit(&t, arena_strndup(p->a, attrs.buf, attrs.len));
        plan_map_add(p, m, MAP_KEY_EXACT, "", t);
    }
    strbuf_release(&attrs);
    return key_var;
}

/* The variable a consistent hash hashes. */
static const char *hash_key(struct planner *p, const struct consistent_hash *ch,
                            const char **set_cookie)
{
    if (str_eq(ch->source, "ClientAddress"))
        return "remote_addr";
    if (str_eq(ch->source, "RequestURI"))
        return "request_uri";
    if (str_eq(ch->source, "Header"))
        return nginx_header_variable(p->a, ch->header);
    if (str_eq(ch->source, "QueryParameter"))
        return plan_map_query_value(p, ch->query_parameter);
    if (ch->cookie.issue == TRI_TRUE)
        return issued_cookie(p, &ch->cookie, set_cookie);
    return plan_map_cookie_value(p, ch->cookie.name);
}

bool plan_policy_apply(struct planner *p, const struct server_ctx *sc,
                       const struct candidate *c, struct plan_handler *h,
                       struct upstream_options *up)
{
    struct policy_effective e;
    struct plan_policy *pp;
    int64_t bytes;

    memset(up, 0, sizeof(*up));
    ctl_policy_effective(p->ctl, sc->listener, c->att->route, c->rule_index, &e);
    if (e.fail)
        return false;
    if (!e.any)
        return true;
    if (sc->srv->client_address_unknown &&
        (e.n_rates || e.n_concurrent || plan_policy_address_checks(&e)))
        return false;
    pp = ARENA_NEW(p->a, struct plan_policy);
    pp->max_body = -1;
    if (e.n_access) {
        const struct access_policy *any = (const struct access_policy *)e.access[0]->obj;
        plan_policy_address_lists(p, &e, pp);
        pp->satisfy_any = str_eq(any->satisfy, "Any");
    }
    if (e.basic_auth)
        plan_policy_basic_auth(p, e.basic_auth, pp, h);
    if (e.external_auth && !plan_policy_external_auth(p, sc, e.external_auth, pp, h))
        return false;
    limits(p, &e, pp);
    if (e.max_body_size && model_parse_size(e.max_body_size, &bytes)) {
        pp->max_body = bytes;
        pp->max_body_size = plan_policy_body_size_text(p, bytes);
    }
    pp->body_timeout = plan_policy_duration(p, e.body_timeout);
    pp->idle_timeout = plan_policy_duration(p, e.idle_timeout);
    pp->send_timeout = plan_policy_duration(p, e.send_timeout);
    if (e.hsts && sc->listener->protocol == PROTO_HTTPS)
        pp->hsts = hsts_value(p, e.hsts);
    if (!error_pages(p, sc, &e, pp, h->grpc))
        return false;
    pp->buffer_response = e.buffer_response;
    pp->buffer_request = e.buffer_request;
    /* A rule's own timeouts (Gateway API) are more specific than any policy. */
    if (!(c->rule->rule->present & RULE_GIVEN_TIMEOUTS) &&
        (e.connect_timeout || e.read_timeout || e.backend_send_timeout)) {
        struct plan_handler_extra *x = plan_handler_extra_mut(p, h);
        x->connect_timeout = plan_policy_duration(p, e.connect_timeout);
        x->read_timeout = plan_policy_duration(p, e.read_timeout);
        x->send_timeout = plan_policy_duration(p, e.backend_send_timeout);
    }
    /* A rule's own retry (Gateway API) is more specific than any policy. */
    if (e.retry && !(c->rule->rule->present & RULE_GIVEN_RETRY))
        retry(p, e.retry, h);
    if (e.has_keepalive) {
        struct upstream_keepalive *k = ARENA_NEW(p->a, struct upstream_keepalive);
        *k = e.keepalive;
        k->idle_timeout = plan_policy_duration(p, k->idle_timeout);
        k->max_lifetime = plan_policy_duration(p, k->max_lifetime);
        up->keepalive = k;
    }
    if (e.load_balancing && !str_eq(e.load_balancing->method, "RoundRobin")) {
        up->lb = e.load_balancing;
        if (str_eq(e.load_balancing->method, "ConsistentHash")) {
            up->hash_key = hash_key(p, &e.load_balancing->consistent_hash,
                                    &pp->affinity_cookie_variable);
            if (!up->hash_key)
                return false;
        }
    }
    h->policy = pp;
    return true;
}

/* ---- http{} and server level ---- */

const char *plan_map_body_over(struct planner *p, int64_t limit)
{
    char digits[24];
    struct strbuf re = STRBUF_INIT;
    size_t n, i;
    const char *var;

    /* The decimal strings greater than limit (leading zeros allowed, as
     * nginx's parser allows): more digits, or as many with a larger digit
     * at the first place they differ. */
    n = (size_t)snprintf(digits, sizeof(digits), "%" PRId64, limit);
    strbuf_addf(&re, "^0*(?:[1-9][0-9]{%zu,}", n);
    for (i = 0; i < n; i++) {
        if (digits[i] == '9')
            continue;
        strbuf_addch(&re, '|');
        strbuf_add(&re, digits, i);
        strbuf_addf(&re, "[%c-9]", digits[i] + 1);
        if (n - i - 1)
            strbuf_addf(&re, "[0-9]{%zu}", n - i - 1);
    }
    strbuf_addstr(&re, ")$");
    var = plan_map_condition(p, "content_length",
                             arena_strndup(p->a, re.buf, re.len));
    strbuf_release(&re);
    return var;
}

void plan_policy_real_ip(struct planner *p, const struct eff_listener *l,
                         struct plan_server *srv)
{
    const struct client_address_detection *d =
        ctl_policy_address_detection(p->ctl, l, NULL);

    if (!d)
        return;
    if (str_eq(d->source, "ProxyProtocol")) {
        /* Behind the stream front, the front's realip already put the
         * client address in its own PROXY header (unix: is trusted). */
        if (srv->listen.unix_path)
            return;
        srv->real_ip_from = d->trusted_proxies;
        srv->n_real_ip_from = d->n_trusted_proxies;
        srv->real_ip_proxy_protocol = true;
        return;
    }
    if (!str_eq(d->source, "Header"))
        return;
    /* Behind the stream front the address comes from its PROXY header,
     * which is the trusted proxy's, not the client's (validate reports
     * GW0618). */
    if (srv->listen.unix_path) {
        srv->client_address_unknown = true;
        return;
    }
    srv->real_ip_from = d->trusted_proxies;
    srv->n_real_ip_from = d->n_trusted_proxies;
    srv->real_ip_header = d->header ? d->header : "X-Forwarded-For";
    srv->real_ip_recursive = d->recursive != TRI_FALSE;
}

const struct client_address_detection *
plan_socket_proxy_protocol(struct planner *p, const struct ptrvec *listeners)
{
    size_t i;

    for (i = 0; i < listeners->n; i++) {
        const struct client_address_detection *d =
            ctl_policy_address_detection(p->ctl, listeners->v[i], NULL);
        if (d && str_eq(d->source, "ProxyProtocol"))
            return d;
    }
    return NULL;
}

static int cmp_zones(const void *a, const void *b)
{
    return strcmp((*(const struct plan_zone *const *)a)->name,
                  (*(const struct plan_zone *const *)b)->name);
}

static int cmp_geos(const void *a, const void *b)
{
    return strcmp((*(const struct plan_geo *const *)a)->variable,
                  (*(const struct plan_geo *const *)b)->variable);
}

void plan_policy_zones_finish(struct planner *p)
{
    size_t i;

    ptrvec_sort(&p->zones, cmp_zones);
    p->plan->zones = ARENA_NEW_ARRAY(p->a, struct plan_zone, p->zones.n ? p->zones.n : 1);
    for (i = 0; i < p->zones.n; i++)
        p->plan->zones[i] = *(struct plan_zone *)p->zones.v[i];
    p->plan->n_zones = p->zones.n;
    ptrvec_sort(&p->geos, cmp_geos);
    p->plan->geos = ARENA_NEW_ARRAY(p->a, struct plan_geo, p->geos.n ? p->geos.n : 1);
    for (i = 0; i < p->geos.n; i++)
        p->plan->geos[i] = *(struct plan_geo *)p->geos.v[i];
    p->plan->n_geos = p->geos.n;
}
