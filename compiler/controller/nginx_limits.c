/*
 * What valid Gateway API nginx 1.22 cannot express (docs/nginx-recipes.md, "Limits of nginx 1.22").  The API
 * server stores such routes, so these are controller findings: the rule is
 * dropped (the route is PartiallyInvalid, as the spec allows) and reported,
 * or the setting is approximated and a warning says how.  Nothing here lets
 * an unrepresentable value reach the emitter.
 */
#include "controller_internal.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "nginx/quote.h"
#include "nginx/regex.h"
#include "nginx/uri.h"
#include "nginx/vars.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

struct rule_check {
    struct ctx *x;
    struct route_state *rs;
    struct rule_state *st;
    size_t index;
};

static void drop(struct rule_check *rc, enum diag_code code, const struct ynode *at,
                 const char *why)
{
    const struct object *o = &rc->rs->route->obj;

    if (!rc->st->dropped)
        ctl_finding(rc->x, code, o, at ? at : rc->st->rule->src,
                    "rule %zu cannot be programmed: %s; the rule is dropped",
                    rc->index, why);
    rc->st->dropped = true;
}

static void unquotable(struct rule_check *rc, const struct ynode *at, const char *what,
                       const char *problem)
{
    drop(rc,
         strstr(problem, "longer") ? DIAG_NGINX_VALUE_TOO_LONG
                                   : DIAG_NGINX_UNQUOTABLE,
         at, ctl_msgf(rc->x, "the %s %s", what, problem));
}

/* A user string nginx must read back unchanged, written after `taken`
 * bytes of its word; at is where it is written. */
static void quotable_at(struct rule_check *rc, const struct ynode *at, const char *what,
                        size_t taken, const char *value, enum quote_ctx ctx)
{
    const char *problem;

    if (value && (problem = nginx_quote_problem_after(taken, value, ctx)))
        unquotable(rc, at, what, problem);
}

/* The same for the value of parent's field, written after `taken` bytes
 * (a prefix and suffix gwc adds, such as the "~" of a map key).  The
 * field's node is looked up only for a finding: nearly every value is
 * fine. */
static void quotable_after(struct rule_check *rc, const struct ynode *parent,
                           const char *field, size_t taken, const char *value,
                           enum quote_ctx ctx)
{
    const char *problem;
    const struct ynode *at;

    if (!value || !(problem = nginx_quote_problem_after(taken, value, ctx)))
        return;
    at = ynode_get(parent, field);
    unquotable(rc, at ? at : parent, field, problem);
}

static void quotable(struct rule_check *rc, const struct ynode *parent,
                     const char *field, const char *value, enum quote_ctx ctx)
{
    quotable_after(rc, parent, field, 0, value, ctx);
}

static void value_matches(struct rule_check *rc, const struct value_match *v,
                          size_t n, bool headers)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (headers && model_header_ignored(v, i))
            continue;
        if (headers && !nginx_header_variable(rc->x->c->arena, v[i].name))
            drop(rc, DIAG_NGINX_UNSUPPORTED, v[i].src,
                 ctl_msgf(rc->x,
                          "header '%s' cannot be matched: nginx ignores request "
                          "headers whose names have characters other than letters, "
                          "digits and '-'",
                          v[i].name));
        /* The word nginx reads is "~" and the anchored, escaped pattern. */
        if (v[i].value)
            quotable_after(rc, v[i].src, "value", 1,
                           nginx_regex_for_value(rc->x->c->arena,
                                                 v[i].type == MATCH_REGEX, v[i].value),
                           QUOTE_REGEX);
    }
}

/* gwc's internal locations live under /_gw/; nginx matches decoded paths,
 * so "/%5Fgw/..." lands there too. */
static bool reserved(struct rule_check *rc, const char *path)
{
    const char *d = nginx_uri_decoded(rc->x->c->arena, path);

    return strncmp(d, "/_gw/", 5) == 0 || strcmp(d, "/_gw") == 0;
}

static void path_match(struct rule_check *rc, const struct path_match *p)
{
    if (!p->value)
        return;
    if (p->type != PATH_MATCH_REGEX && reserved(rc, p->value))
        drop(rc, DIAG_NGINX_RESERVED_PATH, ynode_get(p->src, "value"),
             "paths under /_gw/ are reserved for gwc's internal locations");
    if (p->type == PATH_MATCH_REGEX) /* its longest word: a map key */
        quotable_after(rc, p->src, "value", sizeof("~^(?:)$") - 1,
                       nginx_regex_user_body(rc->x->c->arena, p->value), QUOTE_REGEX);
    else
        quotable(rc, p->src, "value", p->value, QUOTE_LITERAL);
    if (nginx_uri_encodes_control(p->value))
        drop(rc, DIAG_NGINX_UNQUOTABLE, ynode_get(p->src, "value"),
             "the path encodes a control character, which nginx cannot match");
}

/*
 * The names of grpc_set_header and grpc_hide_header go into a hash whose
 * buckets have a fixed 64 bytes (ngx_http_grpc_merge_loc_conf()): a
 * pointer, the name and two bytes padded to a pointer, and the pointer that
 * ends a bucket leave room for 46 bytes.  (proxy_set_header's bucket is
 * sized by the plan.)
 */
#define GRPC_HEADER_NAME_MAX 46

/* Where a header name is written: parent's field, or item `item` of its
 * list field (SIZE_MAX: not a list).  Looked up only for a finding. */
static const struct ynode *name_node(const struct ynode *parent, const char *field,
                                     size_t item)
{
    return item == SIZE_MAX ? ynode_get(parent, field) : ynode_item(parent, field, item);
}

static void header_name(struct rule_check *rc, const struct ynode *parent,
                        const char *field, size_t item, const char *name,
                        bool hashed_for_grpc)
{
    const struct ynode *at;
    const char *problem = nginx_quote_problem(name, QUOTE_LITERAL);

    if (!problem && !nginx_header_frames_message(name) &&
        !(hashed_for_grpc && strlen(name) > GRPC_HEADER_NAME_MAX))
        return;
    at = name_node(parent, field, item);
    if (problem)
        unquotable(rc, at, "header name", problem);
    /* Verified with nginx 1.22.1: a set Content-Length of 0 passed a POST
     * body to the kept-alive backend connection as a second request, and
     * an added one gave the client two Content-Length headers. */
    if (nginx_header_frames_message(name))
        drop(rc, DIAG_NGINX_UNSUPPORTED, at,
             ctl_msgf(rc->x,
                      "header '%s' frames the message; nginx "
                      "writes it itself, and a changed value would let the next hop "
                      "read the message differently (request smuggling)",
                      name));
    if (hashed_for_grpc && strlen(name) > GRPC_HEADER_NAME_MAX)
        drop(rc, DIAG_NGINX_UNSUPPORTED, at,
             ctl_msgf(
                 rc->x,
                 "header '%s' is longer than the %d characters nginx's gRPC proxy "
                 "can set or remove",
                 name, GRPC_HEADER_NAME_MAX));
}

/* Request headers are set, added and removed with proxy_set_header (or
 * grpc_set_header); response headers are hidden (proxy_hide_header) and
 * then added (add_header), which has no hash. */
static void header_filter(struct rule_check *rc, const struct header_filter *f,
                          bool request, bool grpc)
{
    size_t i;

    for (i = 0; i < f->n_set; i++) {
        header_name(rc, f->set[i].src, "name", SIZE_MAX, f->set[i].name, grpc);
        quotable(rc, f->set[i].src, "value", f->set[i].value, QUOTE_VALUE);
    }
    for (i = 0; i < f->n_add; i++) {
        bool after_value =
            request && nginx_header_variable(rc->x->c->arena, f->add[i].name);
        header_name(rc, f->add[i].src, "name", SIZE_MAX, f->add[i].name,
                    grpc && request);
        quotable_after(rc, f->add[i].src, "value",
                       after_value ? VARS_HEADER_ADD_REF_LEN : 0, f->add[i].value,
                       QUOTE_VALUE);
    }
    for (i = 0; i < f->n_remove; i++)
        header_name(rc, f->src, "remove", i, f->remove[i], grpc);
}

/* nginx's rewrite splits its replacement at '?' into path and arguments.
 * A redirect's Location is scheme://host[:port] and then the path, so a
 * path there must start with '/': "@evil.example/" would change the host. */
static void replacement_path(struct rule_check *rc, const struct path_modifier *m,
                             bool redirect)
{
    const char *v = m->replace_full_path ? m->replace_full_path : m->replace_prefix_match;
    const char *field = m->replace_full_path ? "replaceFullPath" : "replacePrefixMatch";

    if (!v)
        return;
    if (strchr(v, '?'))
        drop(rc, DIAG_NGINX_UNSUPPORTED, ynode_get(m->src, field),
             "a '?' in a replacement path would become a query separator in nginx");
    if (redirect && *v && *v != '/')
        drop(rc, DIAG_NGINX_UNSUPPORTED, ynode_get(m->src, field),
             "a redirect path must start with '/': after scheme://host in the "
             "Location it would change the host");
    quotable(rc, m->src, field, v, QUOTE_VALUE);
}

/* CORS lists become one header value each ("a, b, c"): each item is
 * checked where it is written, then the whole value. */
static void cors_list(struct rule_check *rc, const struct cors_filter *f,
                      const char *field, const char *const *v, size_t n)
{
    const char *joined = "";
    size_t i;

    for (i = 0; i < n; i++) {
        quotable_at(rc, ynode_item(f->src, field, i), field, 0, v[i], QUOTE_VALUE);
        joined = ctl_msgf(rc->x, "%s%s%s", joined, i ? ", " : "", v[i]);
    }
    quotable(rc, f->src, field, joined, QUOTE_VALUE);
}

/* grpc: the filters' headers reach a gRPC backend (grpc_set_header). */
static void filters(struct rule_check *rc, const struct route_filter *f, size_t n,
                    bool backend_level, bool grpc)
{
    size_t i;

    for (i = 0; i < n; i++) {
        switch (f[i].type) {
        case FILTER_REQUEST_HEADER_MODIFIER:
            header_filter(rc, f[i].request_header_modifier, true, grpc);
            break;
        case FILTER_RESPONSE_HEADER_MODIFIER:
            header_filter(rc, f[i].response_header_modifier, false, grpc);
            break;
        case FILTER_REQUEST_REDIRECT:
            quotable(rc, f[i].request_redirect->src, "hostname",
                     f[i].request_redirect->hostname, QUOTE_VALUE);
            replacement_path(rc, &f[i].request_redirect->path, true);
            break;
        case FILTER_URL_REWRITE:
            quotable(rc, f[i].url_rewrite->src, "hostname", f[i].url_rewrite->hostname,
                     QUOTE_VALUE);
            replacement_path(rc, &f[i].url_rewrite->path, false);
            break;
        case FILTER_CORS: {
            const struct cors_filter *c = f[i].cors;
            cors_list(rc, c, "allowMethods", c->allow_methods, c->n_allow_methods);
            cors_list(rc, c, "allowHeaders", c->allow_headers, c->n_allow_headers);
            cors_list(rc, c, "exposeHeaders", c->expose_headers, c->n_expose_headers);
            if (c->allow_credentials == TRI_TRUE && c->n_expose_headers == 1 &&
                str_eq(c->expose_headers[0], "*"))
                ctl_finding(
                    rc->x, DIAG_NGINX_UNSUPPORTED, &rc->rs->route->obj,
                    ynode_get(c->src, "exposeHeaders"),
                    "exposeHeaders '*' cannot be sent with allowCredentials "
                    "(browsers then read it as a header named '*'), and nginx "
                    "cannot list a response's header names instead; "
                    "Access-Control-Expose-Headers is left out, so only the "
                    "CORS-safelisted response headers are exposed");
            break;
        }
        case FILTER_REQUEST_MIRROR:
            if (backend_level)
                drop(rc, DIAG_NGINX_UNSUPPORTED, f[i].src,
                     "a RequestMirror filter on a backendRef is not supported; put "
                     "it on the rule");
            break;
        case FILTER_EXTENSION_REF: /* the rule answers 500 (backends.c) */
        case FILTER_EXTERNAL_AUTH:
        case FILTER_UNSET:
        case FILTER_OTHER:
            break;
        }
    }
}

/* nginx retries on connection errors, timeouts and a fixed set of
 * statuses, and never a non-idempotent request (POST, PATCH, LOCK) that
 * reached the backend.  It retries at once: an implementation without
 * backoff "MUST set the Accepted Condition for the Route to status: False
 * with a Reason of UnsupportedValue" when backoff is set (HTTPRouteRetry
 * in GEP-1731).  A zero backoff asks for what nginx does. */
static void retry(struct rule_check *rc, const struct route_retry *r)
{
    const struct object *o = &rc->rs->route->obj;
    size_t i;

    for (i = 0; i < r->n_codes; i++) {
        switch (r->codes[i]) {
        case 403: case 404: case 429: case 500: case 502: case 503: case 504:
            break;
        default:
            ctl_finding(
                rc->x, DIAG_NGINX_UNSUPPORTED, o, ynode_item(r->src, "codes", i),
                "nginx retries only on 403, 404, 429, 500, 502, 503 and 504; "
                "responses with status %lld are not retried",
                (long long)r->codes[i]);
        }
    }
    if (r->backoff && strspn(r->backoff, "0hms") != strlen(r->backoff)) {
        rc->rs->unsupported =
            ctl_msgf(rc->x,
                     "rule %zu: retry.backoff %s is not supported: "
                     "nginx retries at once",
                     rc->index, r->backoff);
        ctl_finding_sev(
            rc->x, DIAG_ERROR, DIAG_NGINX_UNSUPPORTED, o,
            ynode_get(r->src, "backoff"),
            "nginx retries at once and cannot wait %s between tries, so the "
            "route is not accepted (UnsupportedValue) and none of its rules is "
            "served; remove backoff (or set it to 0s) to retry without waiting",
            r->backoff);
    }
}

static void approximations(struct rule_check *rc)
{
    const struct route_rule *r = rc->st->rule;
    const struct object *o = &rc->rs->route->obj;

    if (r->timeouts->request && strspn(r->timeouts->request, "0hms") != strlen(r->timeouts->request))
        ctl_finding(
            rc->x, DIAG_NGINX_APPROXIMATED, o,
            ynode_get(r->timeouts->src, "request"),
            !r->timeouts->backend_request
                ? "nginx has no total request timeout; timeouts.request %s is "
                  "applied "
                  "as the backend read timeout (504 when the backend is slower)"
            : r->present & RULE_GIVEN_RETRY
                ? "nginx has no total request timeout; timeouts.request %s only "
                  "bounds when retries may start"
                : "nginx has no total request timeout; timeouts.request %s is not "
                  "enforced beyond timeouts.backendRequest",
            r->timeouts->request);
    if (r->timeouts->backend_request)
        ctl_finding(
            rc->x, DIAG_NGINX_APPROXIMATED, o,
            ynode_get(r->timeouts->src, "backendRequest"),
            "timeouts.backendRequest %s is applied to nginx's connect, send and "
            "read timeouts, which each bound one step, not the whole attempt",
            r->timeouts->backend_request);
    if (r->present & RULE_GIVEN_RETRY)
        retry(rc, r->retry);
    if (r->present & RULE_GIVEN_SESSION_PERSISTENCE)
        ctl_finding(
            rc->x, DIAG_NGINX_UNSUPPORTED, o, r->session_persistence->src,
            "sessionPersistence needs sticky sessions, which nginx 1.22 (OSS) "
            "lacks; requests are balanced without affinity");
}

/* nginx talks to a backend with grpc_pass for a GRPCRoute, and for an
 * h2c Service port (plan/handlers.c plan_target_of()). */
static bool grpc_backend(const struct rule_check *rc, const struct backend *b)
{
    return rc->rs->route->obj.kind == KIND_GRPC_ROUTE ||
           (b && str_eq(ctl_backend_app_protocol(b), "kubernetes.io/h2c"));
}

/* The rule's own filters reach every backend and mirror. */
static bool any_grpc(const struct rule_check *rc)
{
    size_t i;

    for (i = 0; i < rc->st->n_backends; i++) {
        if (grpc_backend(rc, &rc->st->backends[i]))
            return true;
    }
    for (i = 0; i < rc->st->n_mirrors; i++) {
        if (grpc_backend(rc, &rc->st->mirrors[i]))
            return true;
    }
    return grpc_backend(rc, NULL);
}

static void check_rule(struct rule_check *rc)
{
    const struct route_rule *r = rc->st->rule;
    size_t i;

    for (i = 0; i < r->n_matches; i++) {
        path_match(rc, &r->matches[i].path);
        value_matches(rc, r->matches[i].headers, r->matches[i].n_headers, true);
        value_matches(rc, r->matches[i].query_params, r->matches[i].n_query_params, false);
    }
    for (i = 0; i < r->n_grpc_matches; i++) {
        const struct grpc_method_match *m = &r->grpc_matches[i].method;
        /* The wire path is /<service>/<method>. */
        if (m->type == MATCH_EXACT && str_eq(m->service, "_gw"))
            drop(rc, DIAG_NGINX_RESERVED_PATH, ynode_get(m->src, "service"),
                 "the gRPC service _gw would put the path under /_gw/, reserved "
                 "for gwc's internal locations");
        if (m->type == MATCH_REGEX) {
            quotable(rc, m->src, "service", m->service, QUOTE_REGEX);
            quotable(rc, m->src, "method", m->method, QUOTE_REGEX);
            /* Its longest word: a map key. */
            quotable_at(rc, m->src, "method match", 0,
                        ctl_msgf(rc->x, "~^(?:%s)$",
                                 nginx_regex_grpc_path(rc->x->c->arena, m->service,
                                                       m->method, true)),
                        QUOTE_REGEX);
        }
        value_matches(rc, r->grpc_matches[i].headers, r->grpc_matches[i].n_headers, true);
    }
    filters(rc, r->filters, r->n_filters, false, any_grpc(rc));
    for (i = 0; i < r->n_backend_refs; i++)
        filters(rc, r->backend_refs[i].filters, r->backend_refs[i].n_filters, true,
                grpc_backend(rc, i < rc->st->n_backends ? &rc->st->backends[i] : NULL));
    approximations(rc);
}

/* A listener's entry in a table by port number; 0 for none (the port
 * is invalid and reported elsewhere). */
static size_t port_slot(const struct eff_listener *l)
{
    return l->port >= 1 && l->port <= 65535 ? (size_t)l->port : 0;
}

/* nginx 1.22 serves h2c (prior knowledge) or HTTP/1.1 on a cleartext port,
 * never both (docs/nginx-recipes.md, "HTTP/2, gRPC and h2c backends").  When GRPCRoutes and HTTPRoutes share one, the
 * HTTPRoutes keep the port and the GRPCRoutes are not programmed there. */
static void cleartext_h2c(struct ctx *x, struct gateway_state *gs, unsigned char *http_port)
{
    size_t i, k;

    /* The cleartext ports with an HTTPRoute attached: one pass over the
     * attachments, however many listeners share a port. */
    for (i = 0; i < gs->n_listeners; i++) {
        const struct eff_listener *o = &gs->listeners[i];
        size_t at = port_slot(o);
        if (o->protocol != PROTO_HTTP || !at)
            continue;
        for (k = 0; k < o->attachments.n && !http_port[at]; k++) {
            const struct attachment *a = o->attachments.v[k];
            http_port[at] = a->route->route->obj.kind == KIND_HTTP_ROUTE;
        }
    }
    for (i = 0; i < gs->n_listeners; i++) {
        struct eff_listener *l = &gs->listeners[i];
        bool http;

        if (l->protocol != PROTO_HTTP || !l->valid)
            continue;
        http = http_port[port_slot(l)];
        for (k = 0; http && k < l->attachments.n; k++) {
            struct attachment *a = l->attachments.v[k];
            if (a->route->route->obj.kind != KIND_GRPC_ROUTE || !a->carries_traffic)
                continue;
            a->carries_traffic = false;
            ctl_finding(
                x, DIAG_CLEARTEXT_H2C_CONFLICT, &a->route->route->obj,
                a->route->route->spec_src,
                "GRPCRoute needs HTTP/2 cleartext (h2c) on port %lld, where "
                "HTTPRoutes need HTTP/1.1; nginx 1.22 cannot offer both on one "
                "cleartext port, so this route is not served on listener '%s' "
                "(use an HTTPS listener, where ALPN negotiates either)",
                (long long)l->port, l->spec->name);
        }
    }
    for (i = 0; i < gs->n_listeners; i++)
        http_port[port_slot(&gs->listeners[i])] = 0;
}

/* nginx verifies an upstream certificate against one DNS name, the one it
 * also sends as SNI (proxy_ssl_name).  subjectAltNames are honoured when
 * one of them is that hostname; otherwise the backend is refused (500)
 * rather than trusted on weaker terms. */
static void subject_alt_names(struct ctx *x, struct policy_state *ps)
{
    const struct backend_tls_validation *v = &ps->policy->validation;
    size_t i;

    if (!ps->accepted || v->n_subject_alt_names == 0)
        return;
    for (i = 0; i < v->n_subject_alt_names; i++) {
        const struct subject_alt_name *san = &v->subject_alt_names[i];
        if (str_eq(san->type, "Hostname") && san->hostname && v->hostname &&
            strcasecmp(san->hostname, v->hostname) == 0)
            break;
    }
    if (i < v->n_subject_alt_names) {
        if (v->n_subject_alt_names > 1)
            ctl_finding(x, DIAG_NGINX_APPROXIMATED, &ps->policy->obj,
                        v->subject_alt_names[0].src,
                        "nginx verifies backend certificates against the hostname "
                        "'%s' only; "
                        "certificates that match just the other subjectAltNames "
                        "are refused",
                        v->hostname);
        return;
    }
    ps->unverifiable = true;
    ctl_finding(
        x, DIAG_NGINX_UNSUPPORTED, &ps->policy->obj, v->subject_alt_names[0].src,
        "nginx 1.22 verifies backend certificates against one DNS name, the SNI "
        "hostname '%s', and cannot check these subjectAltNames; requests to the "
        "targeted Services are answered with 500 rather than sent unverified "
        "(add a Hostname entry equal to validation.hostname)",
        v->hostname ? v->hostname : "");
}

/* A route that is not accepted keeps its attachments (attachedRoutes
 * counts them) but carries no traffic. */
static void unsupported_routes(struct gateway_state *gs)
{
    size_t i, k;

    for (i = 0; i < gs->n_listeners; i++) {
        const struct eff_listener *l = &gs->listeners[i];
        for (k = 0; k < l->attachments.n; k++) {
            struct attachment *a = l->attachments.v[k];
            if (a->route->unsupported)
                a->carries_traffic = false;
        }
    }
}

void ctl_nginx_limits(struct ctx *x)
{
    /* Per port, cleared after each Gateway (cleartext_h2c). */
    unsigned char *http_port = ARENA_NEW_ARRAY(x->c->arena, unsigned char, 65536);
    size_t i, j;

    for (i = 0; i < x->ctl->n_routes; i++) {
        struct route_state *rs = &x->ctl->routes[i];
        for (j = 0; j < rs->n_rules; j++) {
            struct rule_check rc = {x, rs, &rs->rules[j], j};
            check_rule(&rc);
        }
    }
    for (i = 0; i < x->ctl->n_gateways; i++)
        unsupported_routes(&x->ctl->gateways[i]);
    for (i = 0; i < x->ctl->n_gateways; i++)
        cleartext_h2c(x, &x->ctl->gateways[i], http_port);
    for (i = 0; i < x->ctl->n_policies; i++)
        subject_alt_names(x, &x->ctl->policies[i]);
}
