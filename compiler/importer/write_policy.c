/*
 * The policies of the output (BackendTLSPolicies and gwc's AccessPolicy,
 * ClientPolicy and BackendPolicy), ReferenceGrants and ConfigMaps.
 */
#include "write_internal.h"

#include "base/doc.h"

#include <string.h>

static struct doc *ref(struct writer *w, const char *kind, const char *name)
{
    struct doc *d = doc_map(w->a);

    doc_put_str(w->a, d, "group", "");
    doc_put_str(w->a, d, "kind", kind);
    doc_put_str(w->a, d, "name", name);
    return d;
}

void imp_write_policy(struct writer *w, const struct o_policy *p)
{
    struct doc *d = imp_write_object(w, GW_V1, "BackendTLSPolicy", p->namespace, p->name,
                                     &p->origins);
    struct doc *spec = doc_put(w->a, d, "spec", doc_map(w->a)), *v;

    doc_push(w->a, doc_put(w->a, spec, "targetRefs", doc_seq(w->a)),
             ref(w, "Service", p->service));
    v = doc_put(w->a, spec, "validation", doc_map(w->a));
    doc_push(w->a, doc_put(w->a, v, "caCertificateRefs", doc_seq(w->a)),
             ref(w, "ConfigMap", p->ca_config_map));
    doc_put_str(w->a, v, "hostname", p->hostname);
}

static struct doc *object_ref(struct writer *w, const struct o_ref *r,
                              const char *ns)
{
    struct doc *d = doc_map(w->a);

    doc_put_str(w->a, d, "name", r->name);
    if (r->namespace && !str_eq(r->namespace, ns))
        doc_put_str(w->a, d, "namespace", r->namespace);
    if (r->port)
        doc_put(w->a, d, "port", doc_int(w->a, r->port));
    return d;
}

static void ext_auth(struct writer *w, struct doc *spec, const char *ns,
                     const struct o_ext_auth *e)
{
    struct doc *d = doc_put(w->a, spec, "externalAuth", doc_map(w->a)), *s;

    if (e->url)
        doc_put(w->a, d, "url", doc_str(w->a, e->url));
    else
        doc_put(w->a, d, "backendRef", object_ref(w, &e->service, ns));
    imp_write_put_opt(w, d, "path", e->path);
    imp_write_put_opt(w, d, "method", e->method);
    if (e->n_response_headers)
        doc_put(w->a, d, "responseHeaders",
                imp_write_strings(w, e->response_headers, e->n_response_headers));
    imp_write_put_opt(w, d, "requestRedirect", e->request_redirect);
    imp_write_put_opt(w, d, "setCookie", e->set_cookie);
    if (e->signin_url || e->signin_path) {
        s = doc_put(w->a, d, "signIn", doc_map(w->a));
        imp_write_put_opt(w, s, "url", e->signin_url);
        imp_write_put_opt(w, s, "path", e->signin_path);
        imp_write_put_opt(w, s, "redirectParameter", e->signin_parameter);
    }
}

static void access_spec(struct writer *w, struct doc *spec,
                        const struct o_gwc_policy *p)
{
    if (p->n_allow || p->n_deny) {
        struct doc *ca = doc_put(w->a, spec, "clientAddresses", doc_map(w->a));
        if (p->n_allow)
            doc_put(w->a, ca, "allow", imp_write_strings(w, p->allow, p->n_allow));
        if (p->n_deny)
            doc_put(w->a, ca, "deny", imp_write_strings(w, p->deny, p->n_deny));
    }
    if (p->basic_secret) {
        struct doc *b = doc_put(w->a, spec, "basicAuth", doc_map(w->a));
        doc_put(w->a, b, "secretRef", object_ref(w, p->basic_secret, p->namespace));
        imp_write_put_opt(w, b, "format", p->basic_format);
        imp_write_put_opt(w, b, "key", p->basic_key);
        imp_write_put_opt(w, b, "realm", p->basic_realm);
        if (p->basic_forward)
            doc_put(w->a, b, "forwardCredentials", doc_bool(w->a, true));
    }
    if (p->ext_auth)
        ext_auth(w, spec, p->namespace, p->ext_auth);
    imp_write_put_opt(w, spec, "satisfy", p->satisfy);
}

static void client_spec(struct writer *w, struct doc *spec,
                        const struct o_gwc_policy *p)
{
    const struct o_client_address *ca = p->client_address;
    size_t i;

    if (ca) {
        struct doc *d = doc_put(w->a, spec, "clientAddressDetection", doc_map(w->a));
        doc_put_str(w->a, d, "source", ca->source);
        imp_write_put_opt(w, d, "header", ca->header);
        doc_put(w->a, d, "trustedProxies", imp_write_strings(w, ca->trusted, ca->n_trusted));
    }
    if (p->max_body_size)
        doc_put_str(w->a, doc_put(w->a, spec, "requestBody", doc_map(w->a)),
                    "maxSize", p->max_body_size);
    if (p->n_rates || p->concurrent) {
        struct doc *l = doc_put(w->a, spec, "requestLimits", doc_map(w->a)), *rs;
        if (p->n_rates) {
            rs = doc_put(w->a, l, "rate", doc_seq(w->a));
            for (i = 0; i < p->n_rates; i++) {
                struct doc *r = doc_push(w->a, rs, doc_map(w->a));
                doc_put(w->a, r, "requests", doc_int(w->a, p->rates[i].requests));
                doc_put_str(w->a, r, "per", p->rates[i].per);
                if (p->rates[i].burst)
                    doc_put(w->a, r, "burst", doc_int(w->a, p->rates[i].burst));
                if (p->rates[i].delay)
                    doc_put(w->a, r, "noDelay", doc_bool(w->a, false));
            }
        }
        if (p->concurrent)
            doc_put(w->a, l, "concurrent", doc_int(w->a, p->concurrent));
        if (p->n_exempt)
            doc_put(w->a, l, "exemptCIDRs", imp_write_strings(w, p->exempt, p->n_exempt));
        if (p->reject_status)
            doc_put(w->a, l, "rejectStatusCode", doc_int(w->a, p->reject_status));
    }
    if (p->hsts) {
        struct doc *h = doc_put(w->a, spec, "hsts", doc_map(w->a));
        doc_put(w->a, h, "maxAgeSeconds", doc_int(w->a, p->hsts->max_age));
        if (p->hsts->include_subdomains)
            doc_put(w->a, h, "includeSubDomains", doc_bool(w->a, true));
        if (p->hsts->preload)
            doc_put(w->a, h, "preload", doc_bool(w->a, true));
    }
    if (p->n_error_codes) {
        /* one entry per 16 codes (the CRD's limit), one Service for all */
        struct doc *es = doc_put(w->a, spec, "errorResponses", doc_seq(w->a)), *e = NULL,
                   *codes = NULL;
        for (i = 0; i < p->n_error_codes; i++) {
            if (i % 16 == 0) {
                e = doc_push(w->a, es, doc_map(w->a));
                codes = doc_put(w->a, e, "statusCodes", doc_seq(w->a));
                doc_put(w->a, e, "backendRef", object_ref(w, p->error_service, p->namespace));
            }
            doc_push(w->a, codes, doc_int(w->a, p->error_codes[i]));
        }
    }
}

static void retry(struct writer *w, struct doc *spec, const struct o_retry *r)
{
    struct doc *d = doc_put(w->a, spec, "retry", doc_map(w->a)), *codes;
    size_t i;

    if (r->n_on)
        doc_put(w->a, d, "on", imp_write_strings(w, r->on, r->n_on));
    if (r->n_codes) {
        codes = doc_put(w->a, d, "statusCodes", doc_seq(w->a));
        for (i = 0; i < r->n_codes; i++)
            doc_push(w->a, codes, doc_int(w->a, r->codes[i]));
    }
    if (r->non_idempotent)
        doc_put(w->a, d, "nonIdempotent", doc_bool(w->a, true));
    if (r->tries)
        doc_put(w->a, d, "tries", doc_int(w->a, r->tries));
    imp_write_put_opt(w, d, "timeout", r->timeout);
}

static void backend_spec(struct writer *w, struct doc *spec,
                         const struct o_gwc_policy *p)
{
    const struct o_load_balancing *lb = p->load_balancing;
    struct doc *t;

    if (p->connect_timeout || p->send_timeout || p->read_timeout) {
        t = doc_put(w->a, spec, "timeouts", doc_map(w->a));
        imp_write_put_opt(w, t, "connect", p->connect_timeout);
        imp_write_put_opt(w, t, "send", p->send_timeout);
        imp_write_put_opt(w, t, "read", p->read_timeout);
    }
    if (lb) {
        t = doc_put(w->a, spec, "loadBalancing", doc_map(w->a));
        doc_put_str(w->a, t, "method", lb->method);
        if (lb->source) {
            struct doc *h = doc_put(w->a, t, "consistentHash", doc_map(w->a));
            doc_put_str(w->a, h, "source", lb->source);
            if (str_eq(lb->source, "Header"))
                doc_put_str(w->a, h, "header", lb->name);
            else if (str_eq(lb->source, "QueryParameter"))
                doc_put_str(w->a, h, "queryParameter", lb->name);
            else if (str_eq(lb->source, "Cookie")) {
                struct doc *c = doc_put(w->a, h, "cookie", doc_map(w->a));
                doc_put_str(w->a, c, "name", lb->name);
                if (lb->issue_cookie)
                    doc_put(w->a, c, "issue", doc_bool(w->a, true));
            }
        }
    }
    if (p->has_keepalive)
        doc_put(w->a, doc_put(w->a, spec, "keepalive", doc_map(w->a)), "connections",
                doc_int(w->a, p->keepalive));
    if (p->has_buffering)
        doc_put(w->a, doc_put(w->a, spec, "buffering", doc_map(w->a)), "response",
                doc_bool(w->a, p->buffering));
    if (p->retry)
        retry(w, spec, p->retry);
}

void imp_write_gwc_policy(struct writer *w, const struct o_gwc_policy *p)
{
    struct doc *d = imp_write_object(w, GWC_GROUP "/v1alpha1", p->kind, p->namespace, p->name,
                                     &p->origins);
    struct doc *spec = doc_put(w->a, d, "spec", doc_map(w->a));
    struct doc *refs = doc_put(w->a, spec, "targetRefs", doc_seq(w->a));
    size_t i;

    for (i = 0; i < p->targets.n; i++) {
        const struct o_target *t = p->targets.v[i];
        struct doc *r = doc_push(w->a, refs, doc_map(w->a));
        doc_put_str(w->a, r, "group", GATEWAY_GROUP);
        doc_put_str(w->a, r, "kind", model_kind_name(t->kind));
        doc_put_str(w->a, r, "name", t->name);
        imp_write_put_opt(w, r, "sectionName", t->section);
    }
    if (str_eq(p->kind, "AccessPolicy"))
        access_spec(w, spec, p);
    else if (str_eq(p->kind, "ClientPolicy"))
        client_spec(w, spec, p);
    else
        backend_spec(w, spec, p);
}

void imp_write_grant(struct writer *w, const struct o_grant *g)
{
    struct doc *d = imp_write_object(w, GATEWAY_GROUP "/v1beta1", "ReferenceGrant",
                                     g->namespace, g->name, &g->origins);
    struct doc *spec = doc_put(w->a, d, "spec", doc_map(w->a)), *from;

    from = doc_push(w->a, doc_put(w->a, spec, "from", doc_seq(w->a)),
                    doc_map(w->a));
    doc_put_str(w->a, from, "group", g->from_group);
    doc_put_str(w->a, from, "kind", g->from_kind);
    doc_put_str(w->a, from, "namespace", g->from_namespace);
    doc_push(w->a, doc_put(w->a, spec, "to", doc_seq(w->a)),
             ref(w, g->to_kind, g->to_name));
}

void imp_write_config_map(struct writer *w, const struct o_config_map *cm)
{
    struct doc *d = imp_write_object(w, "v1", "ConfigMap", cm->namespace, cm->name,
                                     &cm->origins);

    doc_put_str(w->a, doc_put(w->a, d, "data", doc_map(w->a)), cm->key, cm->value);
}
