/*
 * TLS from nginx to a backend (BackendTLSPolicy): the same directives for
 * proxy_pass, grpc_pass and stream proxy_pass, from routes and from the
 * external-auth subrequests of policies.
 */
#include "emit_internal.h"

#include <stdio.h>

void emit_tls_to_backend(struct confw *w, const struct plan_target *t)
{
    const char *p = t->grpc ? "grpc_ssl_" : "proxy_ssl_";
    char d[48];

    snprintf(d, sizeof(d), "%sserver_name", p);
    confw_directive(w, d, "on", QUOTE_LITERAL);
    snprintf(d, sizeof(d), "%sname", p);
    confw_directive(w, d, t->tls->name, QUOTE_VALUE);
    snprintf(d, sizeof(d), "%sverify", p);
    confw_directive(w, d, "on", QUOTE_LITERAL);
    snprintf(d, sizeof(d), "%strusted_certificate", p);
    confw_directive(w, d, t->tls->ca_file, QUOTE_LITERAL);
    if (t->tls->client_cert_file) {
        snprintf(d, sizeof(d), "%scertificate", p);
        confw_directive(w, d, t->tls->client_cert_file, QUOTE_LITERAL);
        snprintf(d, sizeof(d), "%scertificate_key", p);
        confw_directive(w, d, t->tls->client_key_file, QUOTE_LITERAL);
    }
}
