/*
 * The defaults the CRDs declare, applied before validation exactly as the
 * API server applies them on admission (CEL rules read defaulted fields:
 * validating first gives false alarms, as fluxcd/flux-schema#60 found).
 * Defaulted values have no source node; diagnostics then point at the
 * nearest enclosing node that exists.
 */
#include "decode_internal.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

static void default_str(const char **field, const char *value)
{
    if (!*field)
        *field = value;
}

static void default_int(int64_t *field, int64_t value)
{
    if (*field == INT_UNSET)
        *field = value;
}

static void parent_ref_defaults(struct parent_ref *p)
{
    default_str(&p->group, GATEWAY_GROUP);
    default_str(&p->kind, "Gateway");
}

static void backend_object_ref_defaults(struct backend_object_ref *r)
{
    default_str(&r->group, "");
    default_str(&r->kind, "Service");
}

static void secret_ref_defaults(struct secret_ref *r)
{
    default_str(&r->group, "");
    default_str(&r->kind, "Secret");
}

static void header_match_defaults(struct value_match *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (v[i].type == MATCH_TYPE_UNSET)
            v[i].type = MATCH_EXACT;
    }
}

static void filter_defaults(struct route_filter *f)
{
    struct request_redirect *rr = &f->request_redirect;
    struct request_mirror *rm = &f->request_mirror;
    struct cors_filter *cors = &f->cors;

    if (rr->src)
        default_int(&rr->status_code, 302);
    if (rm->fraction.src)
        default_int(&rm->fraction.denominator, 100);
    if (rm->src)
        backend_object_ref_defaults(&rm->backend_ref);
    if (f->external_auth.src)
        backend_object_ref_defaults(&f->external_auth.backend_ref);
    if (cors->src)
        default_int(&cors->max_age, 5);
}

static void backend_ref_defaults(struct backend_ref *b)
{
    size_t i;

    default_str(&b->group, "");
    default_str(&b->kind, "Service");
    default_int(&b->weight, 1);
    for (i = 0; i < b->n_filters; i++)
        filter_defaults(&b->filters[i]);
}

static void http_match_defaults(struct http_match *m)
{
    if (m->path.type == PATH_MATCH_UNSET)
        m->path.type = PATH_MATCH_PREFIX;
    default_str(&m->path.value, "/");
    header_match_defaults(m->headers, m->n_headers);
    header_match_defaults(m->query_params, m->n_query_params);
}

static void rule_defaults(struct compilation *c, enum kind kind,
                          struct route_rule *r)
{
    size_t i;

    if (kind == KIND_HTTP_ROUTE && r->n_matches == 0) {
        /* CRD default: matches: [{path: {type: PathPrefix, value: /}}] */
        r->matches = ARENA_NEW(c->arena, struct http_match);
        r->n_matches = 1;
    }
    for (i = 0; i < r->n_matches; i++)
        http_match_defaults(&r->matches[i]);
    for (i = 0; i < r->n_grpc_matches; i++) {
        struct grpc_match *g = &r->grpc_matches[i];
        if (g->method.src && g->method.type == MATCH_TYPE_UNSET)
            g->method.type = MATCH_EXACT;
        header_match_defaults(g->headers, g->n_headers);
    }
    for (i = 0; i < r->n_filters; i++)
        filter_defaults(&r->filters[i]);
    for (i = 0; i < r->n_backend_refs; i++)
        backend_ref_defaults(&r->backend_refs[i]);
    if (r->session_persistence.src) {
        struct session_persistence *sp = &r->session_persistence;
        if (sp->type == PERSISTENCE_UNSET)
            sp->type = PERSISTENCE_COOKIE;
        if (sp->cookie.src && sp->cookie.lifetime_type == LIFETIME_UNSET)
            sp->cookie.lifetime_type = LIFETIME_SESSION;
    }
}

static void route_defaults(struct compilation *c, struct route *r)
{
    size_t i;

    for (i = 0; i < r->n_parent_refs; i++)
        parent_ref_defaults(&r->parent_refs[i]);
    if (r->obj.kind == KIND_HTTP_ROUTE && r->n_rules == 0 &&
        !ynode_get(r->spec_src, "rules")) {
        /* CRD default: rules: [{matches: [{path: {type: PathPrefix, value: /}}]}] */
        r->rules = ARENA_NEW(c->arena, struct route_rule);
        r->n_rules = 1;
    }
    for (i = 0; i < r->n_rules; i++)
        rule_defaults(c, r->obj.kind, &r->rules[i]);
}

static void listener_defaults(struct listener *l)
{
    size_t i;

    if (l->allowed_routes.namespaces.from == FROM_UNSET)
        l->allowed_routes.namespaces.from = FROM_SAME;
    for (i = 0; i < l->allowed_routes.n_kinds; i++)
        default_str(&l->allowed_routes.kinds[i].group, GATEWAY_GROUP);
    if (l->tls.src && l->tls.mode == TLS_MODE_UNSET)
        l->tls.mode = TLS_TERMINATE;
    for (i = 0; i < l->tls.n_certificate_refs; i++)
        secret_ref_defaults(&l->tls.certificate_refs[i]);
}

static void frontend_validation_defaults(struct frontend_validation *v)
{
    if (v->src && v->mode == FRONTEND_MODE_UNSET)
        v->mode = FRONTEND_ALLOW_VALID_ONLY;
}

static void gateway_defaults(struct gateway *g)
{
    size_t i;

    for (i = 0; i < g->n_listeners; i++)
        listener_defaults(&g->listeners[i]);
    for (i = 0; i < g->n_addresses; i++)
        default_str(&g->addresses[i].type, "IPAddress");
    if (g->allowed_listeners.namespaces.from == FROM_UNSET)
        g->allowed_listeners.namespaces.from = FROM_NONE;
    if (g->tls.backend.client_certificate_ref.src)
        secret_ref_defaults(&g->tls.backend.client_certificate_ref);
    frontend_validation_defaults(&g->tls.frontend.default_.validation);
    for (i = 0; i < g->tls.frontend.n_per_port; i++) {
        frontend_validation_defaults(&g->tls.frontend.per_port[i].tls.validation);
    }
}

static void listener_set_defaults(struct listener_set *ls)
{
    size_t i;

    parent_ref_defaults(&ls->parent_ref);
    for (i = 0; i < ls->n_listeners; i++)
        listener_defaults(&ls->listeners[i]);
}

static void service_defaults(struct service *s)
{
    size_t i;

    default_str(&s->type, "ClusterIP");
    for (i = 0; i < s->n_ports; i++)
        default_str(&s->ports[i].protocol, "TCP");
}

static void endpoint_slice_defaults(struct endpoint_slice *es)
{
    size_t i;

    for (i = 0; i < es->n_ports; i++)
        default_str(&es->ports[i].protocol, "TCP");
}

static void default_tri(enum tri *field, bool value)
{
    if (*field == TRI_UNSET)
        *field = value ? TRI_TRUE : TRI_FALSE;
}

/* The defaults deploy/crds/ declares; an object absent from the manifest
 * stays absent (its src is NULL), as the API server defaults only what is
 * given. */
static void client_policy_defaults(struct client_policy *p)
{
    struct request_limits *l = &p->request_limits;
    size_t i;

    for (i = 0; i < l->n_rate; i++) {
        default_int(&l->rate[i].burst, 0);
        default_tri(&l->rate[i].no_delay, true);
    }
    if (l->src)
        default_int(&l->reject_status_code, 503);
    if (p->hsts.src) {
        default_int(&p->hsts.max_age_seconds, 31536000);
        default_tri(&p->hsts.include_sub_domains, false);
        default_tri(&p->hsts.preload, false);
    }
    for (i = 0; i < p->n_error_responses; i++) {
        if (p->error_responses[i].backend_ref.src)
            backend_object_ref_defaults(&p->error_responses[i].backend_ref);
    }
}

static void access_policy_defaults(struct access_policy *p)
{
    struct external_auth_policy *e = &p->external_auth;

    default_str(&p->satisfy, "All");
    if (p->basic_auth.src) {
        default_str(&p->basic_auth.format, "Htpasswd");
        default_tri(&p->basic_auth.forward_credentials, false);
    }
    if (e->src) {
        if (e->backend_ref.src)
            backend_object_ref_defaults(&e->backend_ref);
        default_str(&e->method, "GET");
        default_str(&e->set_cookie, "OnSuccess");
        default_str(&e->timeout, "10s");
        if (e->sign_in.src)
            default_str(&e->sign_in.redirect_parameter, "rd");
    }
}

static void backend_policy_defaults(struct backend_policy *p)
{
    struct hash_cookie *ck = &p->load_balancing.consistent_hash.cookie;

    if (p->load_balancing.src)
        default_str(&p->load_balancing.method, "RoundRobin");
    if (ck->src) {
        default_tri(&ck->issue, false);
        default_tri(&ck->secure, false);
        default_tri(&ck->http_only, true);
    }
    if (p->retry.src) {
        default_tri(&p->retry.non_idempotent, false);
        default_int(&p->retry.tries, 3);
    }
}

void model_apply_defaults(struct compilation *c, struct object *o)
{
    switch (o->kind) {
    case KIND_GATEWAY:
        gateway_defaults((struct gateway *)o);
        return;
    case KIND_LISTENER_SET:
        listener_set_defaults((struct listener_set *)o);
        return;
    case KIND_HTTP_ROUTE:
    case KIND_GRPC_ROUTE:
    case KIND_TLS_ROUTE:
    case KIND_TCP_ROUTE:
    case KIND_UDP_ROUTE:
        route_defaults(c, (struct route *)o);
        return;
    case KIND_SERVICE:
        service_defaults((struct service *)o);
        return;
    case KIND_ENDPOINT_SLICE:
        endpoint_slice_defaults((struct endpoint_slice *)o);
        return;
    case KIND_CLIENT_POLICY:
        client_policy_defaults((struct client_policy *)o);
        return;
    case KIND_ACCESS_POLICY:
        access_policy_defaults((struct access_policy *)o);
        return;
    case KIND_BACKEND_POLICY:
        backend_policy_defaults((struct backend_policy *)o);
        return;
    case KIND_GATEWAY_CLASS:
    case KIND_REFERENCE_GRANT:
    case KIND_BACKEND_TLS_POLICY:
    case KIND_NAMESPACE:
    case KIND_SECRET:
    case KIND_CONFIG_MAP:
    case KIND_INGRESS:
    case KIND_INGRESS_CLASS:
    case KIND_ROUTING_TEST:
    case KIND__COUNT:
        return;
    }
}
