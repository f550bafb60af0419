/*
 * A VirtualServer's upstreams and its routes' actions (pass, proxy,
 * redirect, splits) as backends and filters of a location, and the
 * reporting helpers every part of a VirtualServer uses.  The routes
 * themselves are virtualserver.c's.
 */
#include "nic.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/ipaddr.h"

#include <string.h>

/* The reason for a literal path Gateway API does not take. */
#define NIC_NOT_A_PATH(what)                                                   \
    what " is not a path Gateway API takes (at most 1024 characters, no '//', " \
         "'/./' or '/../', no encoded '/' or control character)"

const char *nic_vs_text(const struct ynode *n)
{
    return imp_crd_text(n);
}

const struct ynode *nic_vs_seq(const struct ynode *n)
{
    return n && n->kind == YNODE_SEQ ? n : NULL;
}

void nic_vs_not_converted(struct imp *im, const struct vs_ctx *v,
                          const struct ynode *at, const char *why)
{
    imp_report_src(im, &v->src, at, DIAG_IMPORT_NOT_CONVERTED, "not converted: %s",
                   why);
}

/* The CRD types these fields boolean, so the API server refuses the object
 * when one holds anything else: a quoted "true" or "yes" is a string there.
 * Unquoted YAML 1.1 words (yes, on, off) are booleans, as kubectl reads
 * them.  Absent: *out keeps its default. */
bool nic_vs_bool(struct imp *im, const struct vs_ctx *v, const struct ynode *n,
                 bool *out)
{
    if (!n)
        return true;
    if (n->kind == YNODE_SCALAR && n->scalar == YSCALAR_BOOL) {
        *out = ynode_bool_value(n);
        return true;
    }
    imp_report_src(im, &v->src, n, DIAG_IMPORT_BAD_VALUE,
                   "%s must be a boolean (true or false), not a %s: the API "
                   "server refuses the %s (its schema types the field "
                   "boolean); the paths that use it answer 500",
                   n->key ? n->key : "the field", ynode_type_name(n), v->o->kind);
    return false;
}

/* Fields gwc converts, per object; any other is reported. */
void nic_vs_other_fields(struct imp *im, const struct vs_ctx *v,
                         const struct ynode *map, const char *const *known)
{
    imp_report_other_fields(im, v->src.label, v->src.root, map, known,
                            "NGINX Ingress Controller");
}

/* ---- upstreams ---- */

static const char *const upstream_fields[] = {
    "name", "service", "port", "type", "tls", "client-max-body-size",
    "connect-timeout", "send-timeout", "read-timeout", "lb-method", "keepalive",
    "buffering", NULL};

/* Every upstream's fields, reported once whatever uses it, and its
 * settings (settings.c). */
void nic_vs_upstream_fields_check(struct imp *im, struct vs_ctx *v)
{
    const struct ynode *ups = nic_vs_seq(v->upstreams);
    size_t i, k;

    v->settings = ARENA_NEW_ARRAY(im->a, const struct nic_level *, ups ? ups->n : 0);
    v->refused = ARENA_NEW_ARRAY(im->a, bool, ups ? ups->n + 1 : 1);
    for (i = 0; ups && i < ups->n; i++) {
        const struct ynode *at[NIC_SET_N];
        struct nic_level *lv = ARENA_NEW(im->a, struct nic_level);
        bool on = false;
        nic_vs_other_fields(im, v, ups->items[i], upstream_fields);
        for (k = 0; k < NIC_SET_N; k++)
            at[k] = ynode_get(ups->items[i], nic_setting_infos[k].upstream);
        /* Its booleans, said once here whatever route uses it. */
        if (!nic_vs_bool(im, v, ynode_get(ynode_get(ups->items[i], "tls"), "enable"), &on))
            v->refused[i] = true;
        if (at[NIC_SET_BUFFERING]) {
            /* The settings decoder reads annotation strings (Go's
             * ParseBool): it gets the word for the YAML boolean. */
            if (!nic_vs_bool(im, v, at[NIC_SET_BUFFERING], &on)) {
                v->refused[i] = true;
                at[NIC_SET_BUFFERING] = NULL;
            } else {
                struct ynode *c = ARENA_NEW(im->a, struct ynode);
                *c = *at[NIC_SET_BUFFERING];
                c->text = on ? "true" : "false";
                c->len = on ? 4 : 5;
                at[NIC_SET_BUFFERING] = c;
            }
        }
        nic_settings(im, &v->src, at, lv);
        v->settings[i] = lv;
    }
}

/* The upstream name, as b; *tls: its tls.enable node when true; its
 * settings added to l's. */
static bool upstream(struct imp *im, const struct vs_ctx *v, const char *name,
                     const struct ynode *at, struct backend *b, bool *grpc,
                     const struct ynode **tls, struct nic_loc *l)
{
    const struct ynode *ups = nic_vs_seq(v->upstreams);
    size_t i;

    memset(b, 0, sizeof(*b));
    for (i = 0; name && ups && i < ups->n; i++) {
        const struct ynode *u = ups->items[i], *port = ynode_get(u, "port");
        const char *svc = nic_vs_text(ynode_get(u, "service"));
        const char *slash = svc ? strchr(svc, '/') : NULL;
        int64_t n;

        if (!str_eq(nic_vs_text(ynode_get(u, "name")), name))
            continue;
        if (!svc || !port || port->kind != YNODE_SCALAR ||
            !imp_value_parse_decimal(port->text, 1, 65535, &n)) {
            nic_vs_not_converted(im, v, u, "an upstream needs a service and a port");
            return false;
        }
        b->src = u;
        b->namespace = slash ? arena_strndup(im->a, svc, (size_t)(slash - svc))
                             : v->o->namespace;
        b->service = slash ? slash + 1 : svc;
        if (!imp_value_dns_label(b->namespace) ||
            !imp_value_service_name(b->service)) {
            nic_vs_not_converted(im, v, ynode_get(u, "service"),
                                 "service is a Service name, or namespace/name");
            return false;
        }
        b->port = n;
        *grpc = str_eq(nic_vs_text(ynode_get(u, "type")), "grpc");
        /* A boolean of another type (reported once, at the field): the
         * upstream is not used, its routes answer 500; without TLS the
         * output would send in clear what the user meant encrypted. */
        if (v->refused && v->refused[i])
            return false;
        *tls = ynode_get(ynode_get(u, "tls"), "enable");
        if (*tls && !ynode_bool_value(*tls))
            *tls = NULL;
        ptrvec_push(im->a, &l->upstreams, (void *)v->settings[i]);
        return true;
    }
    nic_vs_not_converted(im, v, at, "no upstream of that name");
    return false;
}

/* ---- actions ---- */

/* The URL's host, lowercased as DNS compares it, must be a name (or an
 * IPv4 address) the output can carry: anything else (';', brackets, '{')
 * would leave output gwc check refuses, or text in a Location header that
 * is not the literal NIC sends. */
static bool redirect_host_ok(struct arena *a, struct url *u)
{
    u->host = imp_value_ascii_lower(a, u->host);
    return imp_value_hostname(u->host, false) || ipaddr_is_v4(u->host);
}

static bool redirect(struct imp *im, const struct vs_ctx *v, const struct ynode *r,
                     struct nic_loc *l)
{
    const char *url = nic_vs_text(ynode_get(r, "url"));
    const struct ynode *code = ynode_get(r, "code");
    struct o_redirect *rd = ARENA_NEW(im->a, struct o_redirect);
    struct url u;
    const char *rest;
    int64_t c = 301;

    if (code && (code->kind != YNODE_SCALAR ||
                 !imp_value_parse_decimal(code->text, 301, 308, &c) ||
                 (c != 301 && c != 302 && c != 307 && c != 308))) {
        nic_vs_not_converted(im, v, code, "the code must be 301, 302, 307 or 308");
        return false;
    }
    rd->code = c;
    if (url && strncmp(url, "${scheme}://${host}", 19) == 0)
        rest = url + 19;
    else if (url && (strncmp(url, "https://${host}", 15) == 0 ||
                     strncmp(url, "http://${host}", 14) == 0)) {
        rd->scheme = url[4] == 's' ? "https" : "http";
        rest = url + (url[4] == 's' ? 15 : 14);
    } else if (url && imp_value_parse_url(im->a, url, &u) && !strchr(url, '$') &&
               !u.query && redirect_host_ok(im->a, &u)) {
        rd->scheme = u.scheme;
        rd->hostname = u.host;
        rd->port = u.port;
        rest = u.path;
    } else {
        nic_vs_not_converted(im, v, ynode_get(r, "url"),
                             "Gateway API redirects to a scheme, host, port and path; "
                             "this URL has other parts or variables");
        return false;
    }
    if (*rest && !str_eq(rest, "${request_uri}")) {
        if (strchr(rest, '$') || !imp_value_gateway_path(rest)) {
            nic_vs_not_converted(im, v, ynode_get(r, "url"),
                                 strchr(rest, '$') ? "the redirect's path holds variables"
                                                   : NIC_NOT_A_PATH("the redirect's path"));
            return false;
        }
        rd->path.type = "ReplaceFullPath";
        rd->path.value = rest;
    }
    l->filters = ARENA_NEW(im->a, struct o_filters);
    l->filters->redirect = rd;
    return true;
}

static bool header_list(struct imp *im, const struct vs_ctx *v,
                        const struct ynode *set, struct ptrvec *out)
{
    size_t i;

    for (i = 0; nic_vs_seq(set) && i < set->n; i++) {
        struct o_header *h = ARENA_NEW(im->a, struct o_header);
        h->name = nic_vs_text(ynode_get(set->items[i], "name"));
        h->value = nic_vs_text(ynode_get(set->items[i], "value"));
        if (!h->name || !h->value || !imp_value_header_name(h->name) ||
            strchr(h->value, '$') || imp_value_unsafe_text(h->value)) {
            nic_vs_not_converted(im, v, set->items[i],
                                 "Gateway API sets headers to literal values (no "
                                 "nginx variables)");
            return false;
        }
        if (strlen(h->value) > IMP_HEADER_VALUE_MAX) {
            nic_vs_not_converted(im, v, set->items[i],
                                 "the value is longer than the output can hold "
                                 "(2047 characters)");
            return false;
        }
        ptrvec_push(im->a, out, h);
    }
    return true;
}

static bool add_backend(struct imp *im, const struct vs_ctx *v, const char *name,
                        const struct ynode *at, int64_t weight, struct nic_loc *l)
{
    struct backend b;
    struct o_rule tmp;
    bool grpc = false;
    const struct ynode *tls = NULL;

    if (!upstream(im, v, name, at, &b, &grpc, &tls, l))
        return false;
    if (tls)
        nic_policy_backend_tls(im, &v->src, tls, l->egress, &b);
    memset(&tmp, 0, sizeof(tmp));
    tmp.backends = l->backends;
    imp_routes_rule_add_backend(im, &tmp, &b, weight);
    l->backends = tmp.backends;
    l->grpc = grpc;
    return true;
}

static bool proxy(struct imp *im, const struct vs_ctx *v, const struct ynode *p,
                  struct nic_loc *l)
{
    static const char *const known[] = {"upstream", "rewritePath",
                                        "requestHeaders", NULL};
    static const char *const req_known[] = {"pass", "set", NULL};
    const struct ynode *rw = ynode_get(p, "rewritePath");
    const struct ynode *req = ynode_get(p, "requestHeaders");
    bool pass = true;

    nic_vs_other_fields(im, v, p, known);
    nic_vs_other_fields(im, v, req, req_known);
    if (!add_backend(im, v, nic_vs_text(ynode_get(p, "upstream")), p, -1, l))
        return false;
    l->filters = ARENA_NEW(im->a, struct o_filters);
    if (!header_list(im, v, ynode_get(req, "set"), &l->filters->request_set))
        return false;
    if (!nic_vs_bool(im, v, ynode_get(req, "pass"), &pass))
        return false;
    if (!pass) {
        /* proxy_pass_request_headers off: the client's headers (its
         * credentials among them) never reach the upstream in NIC. */
        nic_vs_not_converted(im, v, ynode_get(req, "pass"),
                             "requestHeaders.pass other than true (NIC then sends the "
                             "upstream none of the client's headers; Gateway API "
                             "forwards them); the route answers 500");
        return false;
    }
    if (rw) {
        const char *to = nic_vs_text(rw);
        const char *type = l->n_matches ? l->matches[0].path.type : "";
        struct o_rewrite *r = ARENA_NEW(im->a, struct o_rewrite);
        /* NIC refuses ';' (its path pattern), and hands '$' to nginx,
         * which expands it (a proxy_pass URI with variables replaces the
         * whole URI): neither is the literal path Gateway API would send. */
        if (!to || strpbrk(to, "$;") || str_eq(type, "RegularExpression")) {
            nic_vs_not_converted(im, v, rw, "rewritePath with captures, variables, ';' or "
                                            "on a regular expression path");
            return false;
        }
        if (!imp_value_gateway_path(to)) {
            nic_vs_not_converted(im, v, rw, NIC_NOT_A_PATH("rewritePath"));
            return false;
        }
        if (l->n_matches == 2) {
            l->twin_at = rw;
            imp_report_src(im, &v->src, rw, DIAG_IMPORT_APPROXIMATED,
                           "NIC matches '%s' as a string prefix ('%sX' too); with "
                           "the rewrite it is a PathPrefix, which matches whole "
                           "segments",
                           imp_report_value(im, l->matches[0].path.value),
                           imp_report_value(im, l->matches[0].path.value));
        }
        l->n_matches = 1; /* a prefix rewrite needs a PathPrefix match */
        r->path.type = str_eq(type, "Exact") ? "ReplaceFullPath" : "ReplacePrefixMatch";
        r->path.value = to;
        l->filters->rewrite = r;
    }
    return true;
}

bool nic_vs_action(struct imp *im, const struct vs_ctx *v, const struct ynode *a,
                   struct nic_loc *l)
{
    static const char *const known[] = {"pass", "proxy", "redirect", "return",
                                        NULL};

    nic_vs_other_fields(im, v, a, known);
    if (ynode_get(a, "pass"))
        return add_backend(im, v, nic_vs_text(ynode_get(a, "pass")), a, -1, l);
    if (ynode_get(a, "proxy"))
        return proxy(im, v, ynode_get(a, "proxy"), l);
    if (ynode_get(a, "redirect"))
        return redirect(im, v, ynode_get(a, "redirect"), l);
    if (!a) { /* neither action nor splits: at the route or match */
        nic_vs_not_converted(im, v, l->at, "no action and no splits");
        return false;
    }
    nic_vs_not_converted(im, v, a, "this action (return: a policy is needed)");
    return false;
}

bool nic_vs_splits(struct imp *im, const struct vs_ctx *v, const struct ynode *s,
                   struct nic_loc *l)
{
    size_t i;
    int64_t total = 0;

    for (i = 0; i < s->n; i++) {
        const struct ynode *w = ynode_get(s->items[i], "weight");
        const struct ynode *a = ynode_get(s->items[i], "action");
        int64_t weight;

        if (!w || w->kind != YNODE_SCALAR ||
            !imp_value_parse_decimal(w->text, 0, 100, &weight)) {
            nic_vs_not_converted(im, v, s->items[i], "a split needs a weight of 0 to 100");
            return false;
        }
        if (!ynode_get(a, "pass")) {
            nic_vs_not_converted(im, v, s->items[i],
                                 "a split's action other than pass (per-backend "
                                 "filters are not converted yet)");
            return false;
        }
        if (!add_backend(im, v, nic_vs_text(ynode_get(a, "pass")), a, weight, l))
            return false;
        total += weight;
    }
    /* NIC's validation refuses splits that are fewer than two or whose
     * weights do not add up to 100; converted, the proportions would serve
     * a path NIC never served. */
    if (s->n < 2 || total != 100) {
        nic_vs_not_converted(im, v, s,
                             arena_printf(im->a, "NIC refuses %s (weights summing to "
                                                 "%lld); splits need at least two "
                                                 "weights summing to 100",
                                          s->n < 2 ? "a single split" : "these splits",
                                          (long long)total));
        return false;
    }
    return true;
}
