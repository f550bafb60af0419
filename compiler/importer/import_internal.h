/*
 * The importer's core, shared by every provider (one folder each):
 * the output objects ("o_" types, plain data that write.c prints), one
 * run's state, and the helpers every provider uses.
 *
 *   importer.c  options, the provider table, the run
 *   detect.c    which provider wrote the inputs, when --provider is absent
 *   build.c     rules, backends and ReferenceGrants of the output
 *   gateways.c  the Gateways (one per class, or --gateway's), listeners,
 *               ListenerSets past 64, and which namespaces they admit
 *   write.c     the output objects as document trees, rendered one by one
 *               (write_gateway.c, write_route.c, write_policy.c: each
 *               kind; write_object.c: one object, the queue)
 *   certmgr.c   cert-manager's annotations moved to the Gateways
 *               (certmgr_ingress.c: what one Ingress says)
 *   origin.c    the input objects each output object came from
 *   output.c    the rendered objects as one stream or one file per
 *               namespace and kind
 *   inputs.c    --include-inputs
 *   summary.c   the summary: per source object, and the next steps
 *   report.c    diagnostics at annotations and fields
 *   values.c (anchored allowlists), names.c (DNS names), regex.c (PCRE2),
 *   index.c (lookups)
 *
 * A provider reads the model (and the raw documents of its own CRDs),
 * fills im->gateways, routes, policies, config_maps and grants, and
 * reports everything it converts approximately or not at all.
 */
#ifndef GWC_IMPORT_INTERNAL_H
#define GWC_IMPORT_INTERNAL_H

#include "importer.h"

#include "base/str.h"

#include "base/diag.h"
#include "base/ptrvec.h"
#include "base/strhash.h"
#include "model/model.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct doc;

/* Gateway API limits (CRD maxItems) the output respects. */
#define MAX_ROUTE_RULES 16
#define MAX_ROUTE_HOSTNAMES 16
#define MAX_GATEWAY_LISTENERS 64
#define MAX_POLICY_TARGETS 16 /* gwc policies' targetRefs (docs/policies.md) */

/* index.c: string keys to pointers, for lookups only: a base/strhash.h
 * table that copies its keys (callers build them in buffers) and for which
 * {0} is an empty index. */
struct index {
    struct strhash h;
};
void *imp_index_get(const struct index *ix, const char *key);
void imp_index_put(struct arena *a, struct index *ix, const char *key, void *value);

/* ---- output objects ---- */

struct o_path {
    const char *type; /* Exact | PathPrefix | RegularExpression; NULL: none */
    const char *value;
};

struct o_header_match {
    const char *type; /* Exact | RegularExpression */
    const char *name, *value;
    const struct ynode *at; /* the condition in the rule's origin, or NULL */
    size_t at_off; /* at is a rule's scalar: 1 + the value's byte offset */
};

/* The longest header value (matched or set) the output holds: Gateway API
 * allows 4096 characters, nginx a config word of 4094 bytes, into which
 * gwc's quoting may double a value. */
#define IMP_HEADER_VALUE_MAX 2047

struct o_match {
    struct o_path path;
    struct o_header_match header; /* header.name NULL: none */
    struct o_header_match query;  /* query.name NULL: none */
    const char *method;           /* NULL: any */
};

struct o_path_mod {
    const char *type; /* ReplaceFullPath | ReplacePrefixMatch; NULL: none */
    const char *value;
};

struct o_redirect {
    const char *scheme, *hostname;
    int64_t port; /* 0: unset */
    struct o_path_mod path;
    int64_t code;
};

struct o_rewrite {
    const char *hostname;
    struct o_path_mod path;
};

struct o_header {
    const char *name, *value;
};

struct o_cors {
    const char **origins, **methods, **headers, **expose;
    size_t n_origins, n_methods, n_headers, n_expose;
    bool credentials;
    int64_t max_age;
};

struct o_filters;

struct o_backend {
    const char *name, *namespace; /* namespace: written when not the route's */
    int64_t port;
    int64_t weight; /* -1: unset */
    const struct o_filters *filters; /* backendRef header modifiers, or NULL */
};

struct o_session {
    const char *cookie_name, *cookie_path, *absolute_timeout, *lifetime;
};

struct o_grpc_method {
    const char *service, *method; /* both NULL: any */
};

/* What the rules of one location share.  A rule has either a redirect or
 * backends (the CRD forbids both). */
struct o_filters {
    const struct o_redirect *redirect;
    const struct o_rewrite *rewrite;
    struct ptrvec request_set;  /* struct o_header * */
    struct ptrvec response_set; /* struct o_header * */
    struct ptrvec request_remove, response_remove; /* const char * */
    const struct o_cors *cors;
    const struct o_backend *mirror;
    int64_t mirror_percent; /* 1-99; 0: every request */
    const char *timeout; /* timeouts.backendRequest */
    const char *request_timeout; /* timeouts.request */
    const struct o_session *session;
};

struct o_rule {
    struct o_match *matches;
    size_t n_matches;
    struct o_grpc_method grpc; /* GRPCRoute */
    const struct o_filters *filters;
    struct ptrvec backends; /* struct o_backend * */
    /* Rules of one group (one location) stay in one route: their relative
     * order decides ties that Gateway API precedence does not. */
    size_t group;
    const char *name;   /* NULL: none (a policy targets named rules) */
    const void *source; /* the provider's object the rule came from */
    struct ptrvec origins; /* the input objects it came from (origin.c) */
    /* A condition longer than Gateway API allows, widened to "present"
     * (build.c): written without filters and backends, so it answers
     * 500, never its backend to requests its source did not send there. */
    bool refused;
    /* The matches of a rule that were widened while others were not: a
     * refused rule of their own, written right after this one
     * (imp_rules_expand()), so that the others keep being served. */
    struct o_rule *widened;
};

struct o_parent {
    const char *gateway, *section; /* gateway: a Gateway's or ListenerSet's name */
    const char *namespace; /* NULL: the route's */
    bool listener_set;     /* gateway names a ListenerSet */
};

struct o_route {
    enum kind kind; /* KIND_HTTP_ROUTE, KIND_GRPC_ROUTE, KIND_TLS_ROUTE,
                     * KIND_TCP_ROUTE, KIND_UDP_ROUTE */
    const char *namespace, *name;
    const char **hostnames;
    size_t n_hostnames;
    struct ptrvec parents; /* struct o_parent * */
    struct ptrvec rules; /* struct o_rule * */
    struct ptrvec origins; /* its rules' (origin.c) */
};

struct o_listener {
    const char *name;
    const char *hostname; /* NULL: every hostname */
    const char *protocol; /* HTTP | HTTPS | TLS | TCP | UDP */
    int64_t port;
    const char *secret; /* HTTPS, TLS Terminate: the certificate Secret */
    const char *secret_namespace; /* NULL: the Gateway's own */
    /* The namespaces whose routes attach (gateways.c): allowedRoutes
     * lists them by name when one is not the Gateway's. */
    struct ptrvec route_namespaces; /* const char *, unique */
    struct index admitted;          /* the same, for lookups */
    /* A listener of the input's Gateway (--gateway), kept as written
     * unless a route namespace must be added to its allowedRoutes. */
    const struct listener *src;
    bool admits_all;   /* src admits every namespace */
    bool admits_named; /* src admits its own (Same) or names them by label
                        * kubernetes.io/metadata.name: gwc can add names */
    bool widened;      /* src's allowedRoutes gained a namespace */
    const struct o_gateway *holder; /* its Gateway or ListenerSet */
    size_t seq; /* its place among its Gateway's listeners, sets included */
};

/* A Gateway of the output, or one of the ListenerSets that carry its
 * listeners past 64 (gateways.c).  Listener names are unique in the
 * Gateway and all its ListenerSets, so a route finds its parent by the
 * listener's name. */
struct o_gateway {
    const char *namespace, *name, *class_name;
    struct ptrvec listeners; /* struct o_listener * */
    struct ptrvec annotations; /* struct o_header *, sorted by name */
    bool http1_on_80;        /* routes.c: an HTTPRoute uses port 80 */
    struct o_gateway *parent; /* a ListenerSet's Gateway; NULL: a Gateway */
    struct ptrvec sets;       /* a Gateway's ListenerSets, in order */
    struct index last_set;    /* a Gateway's: namespace -> its last set there */
    size_t ordinal;           /* a set's: 1 for the first of its namespace */
    const struct gateway *src; /* the input's Gateway (--gateway), or NULL */
    bool open_sets;           /* src: allowedListeners must admit the sets */
    struct ptrvec origins;   /* its routes' (origin.c) */
    /* A Gateway's listeners, its sets' included, the first of each key:
     * by name, by port and hostname, by port and protocol (gateways.c). */
    struct index by_name, by_socket, by_port_protocol;
    size_t n_all; /* listeners, its sets' included */
    struct ptrvec frontend; /* struct o_frontend *: spec.tls.frontend.perPort */
};

/* A port whose listeners validate client certificates (client_certs.c). */
struct o_frontend {
    int64_t port;
    const char **ca_config_maps; /* caCertificateRefs, all trusted */
    size_t n_ca_config_maps;
    const char *mode; /* AllowValidOnly | AllowInsecureFallback */
};

struct o_policy { /* BackendTLSPolicy */
    const char *namespace, *name, *service, *hostname, *ca_config_map;
    struct ptrvec origins;
};

/* A gwc.dev/v1alpha1 policy (docs/policies.md): kind decides which of the
 * fields below are written; unset ones are NULL, 0 or empty. */
struct o_target {
    enum kind kind; /* KIND_HTTP_ROUTE, KIND_GRPC_ROUTE, KIND_GATEWAY */
    const char *name, *section; /* section NULL: the whole route */
};

struct o_ref { /* a Secret or Service; namespace NULL: the policy's */
    const char *name, *namespace;
    int64_t port; /* Services */
};

struct o_hsts { /* ClientPolicy hsts */
    int64_t max_age;
    bool include_subdomains, preload;
};

struct o_rate {
    int64_t requests, burst;
    const char *per; /* Second | Minute */
    bool delay;      /* noDelay: false (requests within the burst wait) */
};

struct o_ext_auth {
    struct o_ref service; /* or ... */
    const char *url;      /* ... an auth service outside the cluster */
    const char *path, *method, *request_redirect, *set_cookie;
    const char **response_headers;
    size_t n_response_headers;
    const char *signin_url, *signin_path, *signin_parameter;
};

struct o_load_balancing {
    const char *method; /* RoundRobin | LeastConnections | ConsistentHash */
    const char *source; /* ConsistentHash: ClientAddress, Header, ... */
    const char *name;   /* the header, cookie or query parameter */
    bool issue_cookie;  /* source Cookie: gwc sets it when the client has none */
};

/* ClientPolicy clientAddressDetection (Gateway targets only). */
struct o_client_address {
    const char *source; /* Header or ProxyProtocol */
    const char *header; /* Header: NULL for X-Forwarded-For */
    const char **trusted;
    size_t n_trusted;
};

/* BackendPolicy retry; no condition at all is "never retry". */
struct o_retry {
    const char *on[3]; /* Error, Timeout, InvalidHeader */
    size_t n_on;
    int64_t codes[7];  /* of 403, 404, 429, 500, 502, 503, 504 */
    size_t n_codes;
    bool non_idempotent;
    int64_t tries; /* 0: unset */
    const char *timeout; /* NULL: none */
};

struct o_gwc_policy {
    const char *kind; /* AccessPolicy | ClientPolicy | BackendPolicy */
    const char *namespace, *name;
    struct ptrvec targets; /* struct o_target *, at most 16 */
    /* AccessPolicy */
    const char **allow, **deny;
    size_t n_allow, n_deny;
    const struct o_ref *basic_secret;
    const char *basic_format, *basic_realm; /* NULL: Htpasswd, "" */
    const char *basic_key;                  /* NULL: auth */
    bool basic_forward; /* forwardCredentials: the backend sees them */
    const struct o_ext_auth *ext_auth;
    const char *satisfy;
    /* ClientPolicy */
    const struct o_client_address *client_address;
    const char *max_body_size;
    struct o_rate rates[4]; /* gwc takes at most 4 */
    size_t n_rates;
    int64_t concurrent; /* 0: unset */
    int64_t reject_status; /* rejectStatusCode; 0: unset */
    const char **exempt;
    size_t n_exempt;
    const struct o_hsts *hsts;
    const struct o_ref *error_service; /* errorResponses' backendRef, for ... */
    const int64_t *error_codes;        /* ... these codes (distinct) */
    size_t n_error_codes;
    /* BackendPolicy */
    const char *connect_timeout, *send_timeout, *read_timeout;
    const struct o_load_balancing *load_balancing;
    bool has_keepalive, has_buffering;
    int64_t keepalive;  /* keepalive.connections */
    bool buffering;     /* buffering.response */
    const struct o_retry *retry;
    struct ptrvec origins; /* its targets' rules' (origin.c) */
};

struct o_config_map {
    const char *namespace, *name, *key, *value;
    struct ptrvec origins;
};

struct o_grant { /* ReferenceGrant: from_kind objects (API group
                  * from_group) of from_namespace to the to_kind object
                  * to_name of namespace */
    const char *namespace, *name, *from_group, *from_kind, *from_namespace;
    const char *to_kind, *to_name;
    struct ptrvec origins; /* those of the objects that need it (origin.c) */
};

/* A Service port a rule forwards to. */
struct backend {
    const struct ynode *src; /* where it was written */
    const char *namespace;   /* the Service's */
    const char *service;     /* NULL: unusable (reported) */
    int64_t port;
};

/* ---- one run ---- */

struct ydoc_list;

struct imp {
    struct compilation *c;
    struct arena *a;
    const struct model *m;
    const struct import_options *o;
    const struct ydoc_list *docs; /* every document, for the CRDs */
    void *state;                  /* the provider's own */
    struct ptrvec ingresses; /* const struct ingress *: those converted */
    struct index grant_index; /* ReferenceGrants, by what they allow */
    struct index names; /* claimed "<scope>/<name>" keys (names.c) */
    const struct imp_provider *provider;
    const char *shared_ns, *shared_name; /* --gateway, NULL when absent */
    const char *config_ns, *config_name; /* --controller-config, NULL: absent */
    struct o_gateway *shared;   /* its Gateway (gateways.c) */
    struct index gateway_index; /* the others, by name (gateways.c) */
    struct index cm_namespaces; /* certmgr.c: namespaces of cert-manager Ingresses */
    /* Input documents the summary counts as source objects besides the
     * Ingresses and the provider's CRDs (ingress-nginx's ConfigMap). */
    struct ptrvec summary_sources; /* const struct ynode * */
    /* output */
    struct ptrvec gateways, routes, policies, config_maps, grants;
    struct ptrvec gwc_policies; /* struct o_gwc_policy * */
    struct ptrvec client_certs; /* client_certs.c: the asks, in order */
    struct ptrvec written; /* write.c: struct imp_written *, in output order */
};

/* An object of the output, for the summary. */
struct imp_written {
    const char *kind;
    const char *label; /* "Kind/namespace/name" */
    const struct ptrvec *origins;
};

/* One source controller: how to recognise its inputs (detect.c) and how
 * to convert them. */
struct imp_provider {
    const char *name;       /* --provider */
    const char *controller; /* IngressClass spec.controller */
    const char *const *annotation_prefixes;
    const char *const *crd_groups;
    const char *const *class_names; /* ingress classes it serves by default */
    /* Where its controller usually runs: the namespace of the Gateways
     * that replace it, unless --gateway-namespace says otherwise. */
    const char *namespace;
    void (*convert)(struct imp *im);
};

#define IMP_MAX_PROVIDERS 8
extern const struct imp_provider nx_provider;
extern const struct imp_provider nic_provider;
extern const struct imp_provider tr_provider;
extern const struct imp_provider ct_provider;
/* importer.c: every provider, NULL-terminated. */
extern const struct imp_provider *const imp_providers[];
const struct imp_provider *imp_provider_find(const char *name);

/* detect.c: the provider the inputs name, or NULL (reported). */
const struct imp_provider *imp_detect_provider(struct imp *im);

/* crd.c: custom resources, from the documents. */
struct crd {
    const struct ynode *root, *spec;
    const char *group, *version, *kind, *namespace, *name;
    const char *label; /* "VirtualServer ns/name" */
};
/* Every object of one of groups (NULL-terminated), sorted by kind,
 * namespace and name; duplicates are reported and left out. */
void imp_crd_collect(struct imp *im, const char *const *groups, struct ptrvec *out);
/* fn on every object of the inputs, items of a List included. */
void imp_crd_for_each(const struct imp *im,
                      void (*fn)(void *ctx, const struct ynode *root), void *ctx);
const char *imp_crd_text(const struct ynode *n); /* a string scalar, else NULL */
const struct ynode *imp_crd_seq(const struct ynode *n); /* a sequence, else NULL */
const char *imp_crd_group(struct arena *a, const struct ynode *root);

/* importer.c: an Ingress the provider converts.  Its own annotations are
 * the provider's business; cert-manager's and other controllers' are the
 * core's (certmgr.c, foreign.c), once the provider is done. */
void imp_ingress_taken(struct imp *im, const struct ingress *in);

/* certmgr.c: the cert-manager annotations of the Ingresses taken, moved
 * to the Gateways that own their TLS listeners. */
void imp_certmgr_move(struct imp *im);
/* certmgr_ingress.c, before the provider runs: the namespaces with an
 * Ingress that names a cert-manager issuer for its spec.tls.  cert-manager
 * issues only into Secrets of the namespace of the Gateway or ListenerSet
 * naming them, so their TLS listeners on a Gateway elsewhere go to a
 * ListenerSet of their own namespace (gateways.c). */
void imp_certmgr_plan(struct imp *im);
bool imp_certmgr_namespace(const struct imp *im, const char *ns);

/* foreign.c: annotations of controllers other than p on the Ingresses
 * taken, reported once per Ingress. */
void imp_foreign_report(struct imp *im, const struct imp_provider *p);

/* objects.c: context objects, with --namespace applied. */
const char *imp_object_namespace(const struct imp *im, const struct object *o);
const struct object *imp_find_object(const struct imp *im, enum kind kind,
                                     const char *ns, const char *name);

/* report.c: diagnostics at annotations and fields of one input object
 * (label "Ingress ns/name", root its document).  An annotation is shown
 * at its key, where its line starts. */
const char *imp_report_value(struct imp *im, const char *s); /* cut short */
struct diag *imp_report_vat(struct imp *im, const char *label,
                            const struct ynode *root, const struct ynode *at,
                            enum diag_severity sev, enum diag_code code,
                            const char *fmt, va_list ap)
    __attribute__((format(printf, 7, 0)));
/* Where a converted object came from: its label ("HTTPProxy ns/name")
 * and document, for the report. */
struct imp_src {
    const char *label;
    const struct ynode *root;
};
bool imp_ingress_host_ok(struct imp *im, const struct imp_src *src,
                         const struct ynode *at, const char *host);
struct diag *imp_report_src(struct imp *im, const struct imp_src *src,
                            const struct ynode *at, enum diag_code code,
                            const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
struct diag *imp_report_at(struct imp *im, const char *label,
                           const struct ynode *root, const struct ynode *at,
                           enum diag_code code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* At the character of at's text (a scalar) that starts at byte off, as
 * the file spells it: the token of a rule inside a YAML string. */
struct diag *imp_report_in_scalar(struct imp *im, const char *label,
                                  const struct ynode *root, const struct ynode *at,
                                  size_t off, enum diag_code code, const char *fmt,
                                  ...) __attribute__((format(printf, 7, 8)));
struct diag *imp_report_vin_scalar(struct imp *im, const char *label,
                                   const struct ynode *root, const struct ynode *at,
                                   size_t off, enum diag_code code, const char *fmt,
                                   va_list ap) __attribute__((format(printf, 7, 0)));

/* Every key of map not in known (NULL-terminated), as a field of
 * controller gwc does not convert. */
void imp_report_other_fields(struct imp *im, const char *label,
                             const struct ynode *root, const struct ynode *map,
                             const char *const *known, const char *controller);

/* values.c: anchored allowlists and parsers for annotation values. */
#define ALPHA_BASIC "-._~/:"             /* ingress-nginx alphaNumericChars */
#define ALPHA_URL ALPHA_BASIC ",?&="     /* URLIsValidRegex */
#define ALPHA_PATH ALPHA_BASIC "$"       /* RegexPathWithCapture */
#define ALPHA_REGEX ALPHA_BASIC "^$[](){}*+?|&=\\" /* IsValidRegex */
#define ALPHA_HEADERS "-_, "             /* HeadersVariable */
bool imp_value_in_alphabet(const char *s, const char *extra);
const char *imp_value_ascii_lower(struct arena *a, const char *s);
bool imp_value_parse_go_bool(const char *s, bool *out);
bool imp_value_parse_decimal(const char *s, int64_t min, int64_t max, int64_t *out);
const char **imp_value_split_list(struct arena *a, const char *s, size_t *n);
bool imp_value_dns_label(const char *s);
/* A Service name: a DNS-1035 label (it starts with a letter). */
bool imp_value_service_name(const char *s);
bool imp_value_dns_subdomain(const char *s);
bool imp_value_hostname(const char *s, bool wildcard_ok);
bool imp_value_header_name(const char *s);
/* A method Gateway API's HTTPRoute matches, spelled as it wants it (any
 * case in), or NULL. */
const char *imp_value_http_method(const char *s);
bool imp_value_gateway_path(const char *s);
bool imp_value_realm(const char *s);
const char *imp_value_inspector_denies(const char *s);
const char *imp_value_unsafe_text(const char *s);
const char *imp_value_duration_seconds(struct arena *a, int64_t seconds);
bool imp_value_nginx_seconds(const char *s, int64_t max, int64_t *out);
const char *imp_value_nginx_size(struct arena *a, const char *s, int64_t max);
struct url {
    const char *scheme, *host, *path, *query; /* path "" when absent */
    int64_t port;                             /* 0 when absent */
};
bool imp_value_parse_url(struct arena *a, const char *s, struct url *u);
/* An address or CIDR block as Go's net.ParseIP or net.ParseCIDR reads it
 * (ParseCIDR clears the bits after the prefix), written as gwc's CIDR;
 * NULL, with *why naming it, when it is neither or gwc refuses it. */
const char *imp_value_cidr(struct imp *im, const char *s, const char **why);

/* names.c: DNS-1123 names (at most max characters), unique in a scope
 * ("HTTPRoute/<ns>", "listener/<ns>/<gateway>", ...). */
/* "*.a.com" -> "wildcard.a.com"; "" for no host */
const char *imp_name_host_label(struct arena *a, const char *host);
const char *imp_name_claim(struct imp *im, const char *scope, const char *base,
                           size_t max);

/* cacert.c: the CA of Secret secret_ns/secret_name (its ca.crt) as a
 * ConfigMap of namespace ns, from the Secret of the input; its name, or
 * NULL with *why saying what to do ("give Secret ... so that its ca.crt
 * becomes <user> CA ConfigMap", or that it has no PEM ca.crt). */
const char *imp_ca_config_map(struct imp *im, const struct ynode *origin,
                              const char *secret_ns, const char *secret_name,
                              const char *ns, const char *user, const char **why);
/* The same from the Secret's key (ca.crt, tls.ca, ...). */
const char *imp_ca_config_map_key(struct imp *im, const struct ynode *origin,
                                  const char *secret_ns, const char *secret_name,
                                  const char *key, const char *ns, const char *user,
                                  const char **why);
/* The BackendTLSPolicy of Service ns/service: verify hostname against
 * config_map's CA.  1: written; 0: the Service has it already; -1: the
 * Service has one that says otherwise (kept: the caller reports it). */
int imp_backend_tls_add(struct imp *im, const struct ynode *origin, const char *ns,
                        const char *service, const char *hostname,
                        const char *config_map);
/* Whether Secret s has a PEM certificate under key. */
bool imp_secret_has_pem(struct imp *im, const struct secret *s, const char *key);

/* client_certs.c: client certificates a source controller asks of the TLS
 * handshake of a host, converted to the Gateway's frontend validation of
 * the host's port only when every listener on that port asks for the same
 * CA and mode (Gateway API validates per port, not per host).  The
 * provider fills an imp_client_cert and asks for it on the listener of
 * its host; once every listener exists, imp_client_certs_resolve() says
 * in each whether it was converted (a note at at) or why not, and the
 * provider fails the hosts refused closed. */
struct imp_client_cert {
    const char *ca_namespace, *ca_secret; /* the Secret with the CA */
    const char *ca_key;                   /* its key; NULL: ca.crt */
    /* Further Secrets of ca_namespace whose CAs are trusted too (Traefik's
     * several secretNames), each with its key (NULL: ca.crt): one
     * caCertificateRef each, after the first. */
    const char *const *more_secrets, *const *more_keys;
    size_t n_more;
    const char *mode; /* AllowValidOnly | AllowInsecureFallback */
    struct imp_src src;
    const struct ynode *at;
    const char *refused; /* after resolve: NULL, converted; else why not */
};
void imp_client_cert_ask(struct imp *im, struct o_gateway *gw, const char *listener,
                         struct imp_client_cert *cc);
void imp_client_certs_resolve(struct imp *im);

/* regex.c: PCRE2, as nginx links it. */
/* The longest pattern imp_re_ok() takes. */
#define IMP_RE_MAX 1024
bool imp_re_ok(const char *pattern, char *err, size_t errlen);
/* A pattern gwc's compile would drop (GW0871): a control character, or,
 * for a path, an encoded one; err says which.  imp_re_ok() refuses these
 * too; callers ask first to report them as what they are. */
bool imp_re_unmatchable(const char *pattern, bool path, char *err, size_t errlen);
struct re *imp_re_compile(const char *pattern); /* matches whole subjects */
bool imp_re_matches(const struct re *re, const char *subject);
void imp_re_free(struct re *re);
const char *imp_re_quote(struct arena *a, const char *literal);
/* The text every path a regex matches starts with, when the regex is
 * matched from the path's start (a whole-path match, or a search after
 * '^'): its characters up to the first that is not a plain path
 * character (letters, digits, "/-_.~" less '.', ...), a quantified last
 * one left out; "" when a '|' outside groups, \Q or a comment could undo
 * it, or a search without '^' (anchored false).  At most max bytes.
 * What fails closed in place of a regex gwc cannot write covers the paths
 * under it: never fewer than the regex matched. */
const char *imp_re_literal_start(struct arena *a, const char *re, bool anchored,
                                 size_t max);

/* gateways.c: the Gateway that routes of class name ("nginx", the
 * provider's name) attach to: --gateway's (the input's, amended, or a new
 * one), else one per name in --gateway-namespace (--gateway-name
 * renames it). */
struct o_gateway *imp_gateway_for(struct imp *im, const char *name);
/* A listener of gw (or of a ListenerSet of gw, past its 64) on port 80
 * (HTTP) or 443 (HTTPS, TLS) for host ("": any), named "<http|https|tls>-
 * <host label>"; a certificate in another namespace gets its
 * ReferenceGrant.  A listener gw has for the same port and hostname is
 * reused (one with another protocol or certificate is reported at src,
 * at).  Returns its name. */
const char *imp_listener_add(struct imp *im, struct o_gateway *gw,
                             const struct imp_src *src, const struct ynode *at,
                             const char *proto, const char *host,
                             const char *secret, const char *secret_namespace);
/* The same on port (TCP and UDP listeners too), named "<proto>-<port>-
 * <host label>" when port is not the protocol's usual one.  A TLS
 * listener with a secret terminates TLS, without one passes it through. */
const char *imp_listener_add_port(struct imp *im, struct o_gateway *gw,
                                  const struct imp_src *src, const struct ynode *at,
                                  const char *proto, int64_t port, const char *host,
                                  const char *secret, const char *secret_namespace);
/* The first listener of gw, then of its ListenerSets, for which fn is
 * true; *holder (unless NULL) is the Gateway or ListenerSet that has it. */
struct o_listener *imp_listener_find(const struct o_gateway *gw,
                                     bool (*fn)(const struct o_listener *l,
                                                const void *ctx),
                                     const void *ctx, const struct o_gateway **holder);
/* r (its namespace set) as a route of listener section of gw's Gateway
 * or ListenerSets, which then admits r's namespace. */
void imp_route_attach(struct imp *im, struct o_route *r, const struct o_gateway *gw,
                      const char *section);

/* origin.c: the input objects (document roots) each output object came
 * from.  Providers add them to the rules they make (and to the objects
 * they make that carry no rule); imp_origins_derive() gives every other
 * object those of the rules it serves. */
void imp_origin_add(struct imp *im, struct ptrvec *v, const struct ynode *root);
void imp_origins_derive(struct imp *im);
/* "Kind/namespace/name" of an input object. */
const char *imp_origin_label(const struct imp *im, const struct ynode *root);
/* The gwc.dev/source annotation of v ("Ingress/ns/a,Ingress/ns/b", sorted)
 * and the comment line naming their files and lines; both NULL when v is
 * empty. */
void imp_origins_render(struct imp *im, const struct ptrvec *v,
                        const char **annotation, const char **comment);

/* inputs.c: --include-inputs, after the converted objects. */
void imp_inputs_carry(struct imp *im, struct import_output *out);
void imp_inputs_reserve(struct imp *im);
/* A YAML node of the input as a document tree, value for value: a
 * scalar keeps the type it reads as, a number the input spells 0x1F, 1.5
 * or past int64 is written as spelled. */
struct doc *imp_input_doc(struct arena *a, const struct ynode *n);

/* summary.c: what the summary needs of the run, once it is written. */
struct imp_summary *imp_summary_collect(struct imp *im, const char *provider,
                                        const char *const *groups);

/* write.c */
void imp_write_output(struct imp *im, struct import_output *out);

/* build.c: output pieces. */
/* A rule converted from the input object origin (its document root; NULL:
 * the caller adds the origins). */
struct o_rule *imp_routes_rule_new(struct imp *im, const struct ynode *origin,
                                   const struct o_match *m, size_t n,
                                   const struct o_filters *f, size_t group);
/* Adds nothing for an unusable backend (reported): the rule then answers
 * 500 for its share. */
void imp_routes_rule_add_backend(struct imp *im, struct o_rule *r,
                                 const struct backend *b, int64_t weight);
/* Copies of tpl (its name claimed in "<kind>/<namespace>") for targets
 * (struct o_target *), 16 each: tpl's name, then "<name>-02", ...; each
 * written with the ReferenceGrants it needs.  Returns how many. */
size_t imp_policy_emit(struct imp *im, const struct o_gwc_policy *tpl,
                       const struct ptrvec *targets);
/* Who a policy of the output is for: owner(ctx, rule) is the source
 * object whose policy covers a rule (NULL: none), name(ctx, owner, rule)
 * a name for a rule still without one, add(ctx, owner, route, section)
 * takes a target (section NULL: the whole route). */
struct rule_owners {
    const void *(*owner)(void *ctx, const struct o_rule *rule);
    const char *(*name)(void *ctx, const void *owner, struct o_rule *rule);
    void (*add)(void *ctx, const void *owner, const struct o_route *r,
                const char *section);
    void *ctx;
};
/* The targets route r gives each owner of its rules: the whole route when
 * the owner has every rule that forwards (no redirect), else each of its
 * rules by name.  A policy then covers exactly its owner's rules, however
 * the other rules of the route, to the same Services or not, are set. */
void imp_policy_targets(const struct o_route *r, const struct rule_owners *ro);
/* Appends to targets (struct o_target *) route r, or its rule section. */
void imp_target_add(struct imp *im, struct ptrvec *targets, const struct o_route *r,
                    const char *section);
/* The Service port an Ingress backend of namespace ns names, as out;
 * false (reported at the backend) for a backend that is no Service or a
 * port name the input cannot resolve. */
bool imp_ingress_backend_port(struct imp *im, const char *label,
                              const struct ynode *root, const char *ns,
                              const struct ingress_backend *b, struct backend *out);
/* A string prefix p ("/api" takes "/apiX" too) as matches: PathPrefix p,
 * and the regex p[^/].* unless p ends a segment.  Returns how many. */
size_t imp_match_string_prefix(struct imp *im, struct o_match m[2], const char *p);
/* The rules of one host as their matches (ms[i], *ns[i] of them): a string
 * prefix (the two matches above) that a longer PathPrefix of the host
 * extends inside a segment ("/foo" by "/foobar") loses its regex, which
 * would beat that prefix in the Gateway; narrowed[i] says which, for the
 * report. */
void imp_prefix_siblings(struct imp *im, struct o_match *const *ms,
                         size_t *const *ns, size_t n, bool *narrowed);
/* rules as routes of kind in ns for host ("": any), named base (then
 * base-02, ...: at most 16 rules each, whole groups), attached to the
 * sections of gw, with the ReferenceGrants their backends need. */
void imp_routes_emit(struct imp *im, enum kind kind, const char *ns,
                     const char *base, const char *host, const struct o_gateway *gw,
                     const struct ptrvec *rules, const char *const *sections,
                     size_t n_sections);
/* rules with each rule's widened part (struct o_rule.widened) after it,
 * in its group; rules itself when no rule has one. */
const struct ptrvec *imp_rules_expand(struct imp *im, const struct ptrvec *rules);
/* Where the route starting at rules->v[start] (struct o_rule *) ends:
 * whole groups while they fit in 16 rules (one group alone never needs
 * that many). */
size_t imp_rules_chunk_end(const struct ptrvec *rules, size_t start);

/* grants.c */
/* A ReferenceGrant letting from_kind objects of from_ns refer to to_kind
 * to_name of ns (once per such pair); label goes into its name.  from_kind
 * is a Gateway API kind, or a gwc.dev policy kind. */
void imp_grant_add(struct imp *im, const char *ns, const char *from_kind,
                   const char *from_ns, const char *to_kind, const char *to_name,
                   const char *label);
/* The ReferenceGrants policy p needs for its Secret and Service
 * references in other namespaces. */
void imp_grants_for_policy(struct imp *im, const struct o_gwc_policy *p);
/* The ReferenceGrants route r needs for its backends and mirrors in other
 * namespaces. */
void imp_grants_for_route(struct imp *im, const struct o_route *r);

#endif
