/*
 * The access control of a rule's gwc policies as nginx directives: the
 * client address lists (allow/deny) and authentication (auth_basic, and
 * auth_request with its location and sign-in redirect).  policies.c calls
 * these for the effective AccessPolicy settings.
 */
#include "plan_internal.h"

#include "base/arena.h"
#include "base/cidr.h"
#include "base/ipaddr.h"
#include "base/strbuf.h"
#include "base/url.h"
#include "nginx/vars.h"

#include <stdio.h>

/* ---- address lists ---- */

/* Adds c to v unless it is there already. */
static void add_cidr(struct cidr *v, size_t *n, const struct cidr *c)
{
    size_t i;

    for (i = 0; i < *n; i++) {
        if (cidr_contains(&v[i], c) && cidr_contains(c, &v[i]))
            return;
    }
    v[(*n)++] = *c;
}

static const char **cidr_texts(struct planner *p, const struct cidr *v, size_t n)
{
    const char **out = ARENA_NEW_ARRAY(p->a, const char *, n ? n : 1);
    size_t i;

    for (i = 0; i < n; i++) {
        char buf[64];
        cidr_format(&v[i], buf);
        out[i] = arena_strdup(p->a, buf);
    }
    return out;
}

/* Every level's deny entries, then the intersection of the levels' allow
 * sets (two blocks intersect in the longer one when one holds the other,
 * else not at all), then `deny all` when any level has an allow list. */
void plan_policy_address_lists(struct planner *p, const struct policy_effective *e,
                               struct plan_policy *pp)
{
    struct cidr *deny, *allow = NULL;
    size_t n_deny = 0, n_allow = 0, total = 0, i, j, k;
    bool any_allow = false;

    for (i = 0; i < e->n_access; i++) {
        const struct client_addresses *a =
            &((const struct access_policy *)e->access[i]->obj)->client_addresses;
        total += a->n_deny + a->n_allow;
    }
    deny = ARENA_NEW_ARRAY(p->a, struct cidr, total ? total : 1);
    for (i = 0; i < e->n_access; i++) {
        const struct client_addresses *a =
            &((const struct access_policy *)e->access[i]->obj)->client_addresses;
        struct cidr *next;
        size_t n_next = 0;
        const char *why;

        for (j = 0; j < a->n_deny; j++) {
            struct cidr c;
            if (cidr_parse(a->deny[j], &c, &why))
                add_cidr(deny, &n_deny, &c);
        }
        if (!a->n_allow)
            continue;
        next = ARENA_NEW_ARRAY(p->a, struct cidr, a->n_allow * (any_allow ? n_allow : 1) + 1);
        for (j = 0; j < a->n_allow; j++) {
            struct cidr c;
            if (!cidr_parse(a->allow[j], &c, &why))
                continue;
            if (!any_allow) {
                add_cidr(next, &n_next, &c);
                continue;
            }
            for (k = 0; k < n_allow; k++) {
                if (cidr_contains(&allow[k], &c))
                    add_cidr(next, &n_next, &c);
                else if (cidr_contains(&c, &allow[k]))
                    add_cidr(next, &n_next, &allow[k]);
            }
        }
        allow = next;
        n_allow = n_next;
        any_allow = true;
    }
    pp->deny = cidr_texts(p, deny, n_deny);
    pp->n_deny = n_deny;
    pp->allow = cidr_texts(p, allow, n_allow);
    pp->n_allow = n_allow;
    pp->deny_all = any_allow;
}

bool plan_policy_address_checks(const struct policy_effective *e)
{
    size_t i;

    for (i = 0; i < e->n_access; i++) {
        if (((const struct access_policy *)e->access[i]->obj)->present &
            ACCESS_GIVEN_CLIENT_ADDRESSES)
            return true;
    }
    return false;
}

/* ---- authentication ---- */

void plan_policy_basic_auth(struct planner *p, const struct gwc_policy *gp,
                            struct plan_policy *pp, struct plan_handler *h)
{
    const struct basic_auth *b = &((const struct access_policy *)gp->obj)->basic_auth;

    pp->basic_realm = b->realm ? b->realm : "";
    pp->htpasswd_file = plan_secret_file(
        p, arena_printf(p->a, "auth/%s.htpasswd", plan_policy_id(p, gp->obj)),
        gp->htpasswd);
    if (b->forward_credentials != TRI_TRUE) {
        struct plan_header x = {HEADER_SET, "Authorization", "", NULL, NULL};
        plan_header_push(p->a, &h->request_headers, &h->n_request_headers, x);
    }
}

/* externalAuth.url (validated: http(s), a host, a port in range): the
 * host name is resolved per request by the resolver (as for a Service
 * without endpoints; when it cannot be, the rules answer 500), and an
 * https URL's certificate is verified against the system CAs for its
 * host. */
static void url_target(struct planner *p, const char *url, struct plan_auth *a)
{
    struct url_parts u;
    size_t n;

    url_split(url, &u);
    a->target.address = arena_printf(p->a, "%.*s:%ld", (int)u.host_len, u.host, u.port);
    if (*u.host != '[' && !ipaddr_is_v4(arena_strndup(p->a, u.host, u.host_len)))
        p->sec->needs_resolver = true;
    if (u.https) {
        struct plan_target_tls *tls = ARENA_NEW(p->a, struct plan_target_tls);
        tls->name = *u.host == '[' ? arena_strndup(p->a, u.host + 1, u.host_len - 2)
                                   : arena_strndup(p->a, u.host, u.host_len);
        tls->ca_file = PLAN_SYSTEM_CA_FILE;
        a->target.tls = tls;
    }
    a->host = arena_strndup(p->a, u.authority, u.authority_len);
    n = strcspn(u.rest, "#");
    a->path = *u.rest == '/' ? arena_strndup(p->a, u.rest, n)
                             : arena_printf(p->a, "/%.*s", (int)n, u.rest);
}

static struct plan_auth *auth_location(struct planner *p, const struct server_ctx *sc,
                                       const struct gwc_policy *gp)
{
    const struct external_auth_policy *e =
        &((const struct access_policy *)gp->obj)->external_auth;
    const char *uri = arena_printf(p->a, "/_gw/auth/%s", plan_policy_id(p, gp->obj));
    struct plan_server *srv = sc->srv;
    struct plan_auth *a, **v;
    size_t i;

    for (i = 0; i < srv->n_auths; i++) {
        if (str_eq(srv->auths[i]->uri, uri))
            return srv->auths[i];
    }
    a = ARENA_NEW(p->a, struct plan_auth);
    a->uri = uri;
    if (e->url) {
        url_target(p, e->url, a);
    } else {
        a->target = plan_target_of(p, &gp->auth, false, sc->listener->gateway);
        a->host = gp->auth.dns_name
                      ? gp->auth.dns_name
                      : arena_printf(p->a, "%s.%s.svc.cluster.local", gp->auth.name,
                                     gp->auth.namespace);
        a->path = e->path ? e->path : "/";
    }
    a->method = str_eq(e->method, "GET") ? NULL : e->method;
    a->pass_all_headers = !e->request_headers;
    a->request_headers = e->request_headers;
    a->n_request_headers = e->n_request_headers;
    a->request_header_vars = ARENA_NEW_ARRAY(p->a, const char *, e->n_request_headers + 1);
    for (i = 0; i < e->n_request_headers; i++)
        a->request_header_vars[i] =
            nginx_header_variable(p->a, e->request_headers[i]);
    a->set_headers = ARENA_NEW_ARRAY(p->a, struct plan_header, e->n_set_request_headers + 1);
    for (i = 0; i < e->n_set_request_headers; i++) {
        struct plan_header x = {HEADER_SET, e->set_request_headers[i].name,
                                e->set_request_headers[i].value, NULL, NULL};
        a->set_headers[a->n_set_headers++] = x;
    }
    a->redirect = e->request_redirect;
    a->timeout = plan_policy_duration(p, e->timeout);
    v = ARENA_NEW_ARRAY(p->a, struct plan_auth *, srv->n_auths + 1);
    if (srv->n_auths)
        memcpy(v, srv->auths, srv->n_auths * sizeof(*v));
    v[srv->n_auths++] = a;
    srv->auths = v;
    return a;
}

static const struct plan_signin *signin(struct planner *p, const struct server_ctx *sc,
                                        const struct gwc_policy *gp)
{
    const struct sign_in *si = &((const struct access_policy *)gp->obj)->external_auth.sign_in;
    const char *name = arena_printf(p->a, "@/_gw/signin/%s", plan_policy_id(p, gp->obj));
    struct plan_server *srv = sc->srv;
    struct plan_signin *x, **v;
    size_t i;

    for (i = 0; i < srv->n_signins; i++) {
        if (str_eq(srv->signins[i]->name, name))
            return srv->signins[i];
    }
    x = ARENA_NEW(p->a, struct plan_signin);
    x->name = name;
    x->url = si->url;
    x->path = si->path;
    x->param = si->redirect_parameter ? si->redirect_parameter : "rd";
    v = ARENA_NEW_ARRAY(p->a, struct plan_signin *, srv->n_signins + 1);
    if (srv->n_signins)
        memcpy(v, srv->signins, srv->n_signins * sizeof(*v));
    v[srv->n_signins++] = x;
    srv->signins = v;
    return x;
}

/* auth_request, its response headers copied onto the request to the
 * backend, and its Set-Cookie onto the response. */
bool plan_policy_external_auth(struct planner *p, const struct server_ctx *sc,
                               const struct gwc_policy *gp, struct plan_policy *pp,
                               struct plan_handler *h)
{
    const struct external_auth_policy *e =
        &((const struct access_policy *)gp->obj)->external_auth;
    const char *id = plan_policy_id(p, gp->obj);
    size_t i;

    if (!e->url && gp->auth.status != BACKEND_OK)
        return false;
    pp->auth = auth_location(p, sc, gp);
    if (pp->auth->target.status)
        return false;
    pp->auth_set = ARENA_NEW_ARRAY(p->a, const char *, 2 * (e->n_response_headers + 1));
    for (i = 0; i < e->n_response_headers; i++) {
        const char *var = arena_printf(p->a, "gw_ar_%s_%zu", id, i);
        const char *up = nginx_header_variable(p->a, e->response_headers[i]);
        struct plan_header x = {HEADER_SET, e->response_headers[i], "", NULL, var};
        pp->auth_set[pp->n_auth_set * 2] = var;
        /* $http_x_y is the request's; the auth response's is $upstream_http_x_y */
        pp->auth_set[pp->n_auth_set * 2 + 1] = arena_printf(p->a, "upstream_%s", up);
        pp->n_auth_set++;
        plan_header_push(p->a, &h->request_headers, &h->n_request_headers, x);
    }
    if (!str_eq(e->set_cookie, "Never")) {
        const char *var = arena_printf(p->a, "gw_ac_%s", id);
        pp->auth_set[pp->n_auth_set * 2] = var;
        pp->auth_set[pp->n_auth_set * 2 + 1] = "upstream_http_set_cookie";
        pp->n_auth_set++;
        pp->auth_cookie_variable = var;
        pp->auth_cookie_always = str_eq(e->set_cookie, "Always");
    }
    if (e->present & EXTAUTH_GIVEN_SIGN_IN)
        pp->signin = signin(p, sc, gp);
    return true;
}
