/*
 * Traefik's access-control and buffering Middlewares as gwc policies
 * (docs/policies.md; Traefik's reference:
 * doc.traefik.io/traefik/middlewares/http/ipallowlist/, basicauth/,
 * forwardauth/, buffering/):
 *   ipAllowList, ipWhiteList  AccessPolicy clientAddresses.allow
 *   basicAuth                 AccessPolicy basicAuth
 *   buffering                 ClientPolicy requestBody.maxSize
 * One policy per Middleware, named after it, in its namespace (a router
 * uses Middlewares of its own namespace only), targeting every HTTPRoute
 * of the routers that use it: each such route holds that router's rule
 * alone, so no rule needs a name.
 *
 * Access control converts exactly or fails closed: the routers using it
 * answer 500 (GW0831).  digestAuth and forwardAuth always fail closed:
 * nginx has no digest authentication, and Traefik's forwardAuth sends the
 * auth service X-Forwarded-Method, -Proto, -Host and -Uri (overwriting
 * the client's), where gwc's externalAuth sends X-Original-URI and
 * X-Original-Method and passes the client's own X-Forwarded-* through: an
 * auth service written for Traefik would decide on what the client says.
 */
#include "tr.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/base64.h"

#include <string.h>

#define MAX_ALLOW 256      /* gwc's clientAddresses.allow */
#define MAX_SIZE 9999999LL /* gwc's requestBody.maxSize, per unit */

static const char *const kinds[] = {"ipAllowList", "ipWhiteList", "basicAuth",
                                    "digestAuth",  "forwardAuth", "buffering"};

bool tr_policy_kind(const char *kind)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(kinds); i++) {
        if (str_eq(kinds[i], kind))
            return true;
    }
    return false;
}

static void fail_closed(struct imp *im, struct tr_policy *t,
                        const struct ynode *at, const char *why)
{
    imp_report_src(im, &t->src, at, DIAG_IMPORT_FAIL_CLOSED,
                   "access control not converted exactly: %s; the routes using "
                   "this Middleware answer 500 instead of being served without it",
                   why);
    t->denied = true;
}

/* Fields of m not in known (NULL-terminated), failing closed at the first. */
static bool only_known(struct imp *im, struct tr_policy *t, const struct ynode *m,
                       const char *const *known)
{
    size_t i, k;

    for (i = 0; m && m->kind == YNODE_MAP && i < m->n; i++) {
        for (k = 0; known[k] && !str_eq(known[k], m->items[i]->key); k++)
            ;
        if (!known[k]) {
            fail_closed(im, t, m->items[i],
                        arena_printf(im->a, "gwc does not convert %s's field %s",
                                     m->key,
                                     imp_report_value(im, m->items[i]->key)));
            return false;
        }
    }
    return true;
}

/* ipStrategy picks the address from X-Forwarded-For (depth: the n-th from
 * the right; excludedIPs: the first from the right not excluded), trusting
 * whoever sent it.  gwc takes a forwarded address only through ClientPolicy
 * clientAddressDetection on a whole Gateway or listener, and only from
 * named trusted proxies: no exact equivalent per route. */
static bool remote_address(struct imp *im, struct tr_policy *t, const struct ynode *s)
{
    int64_t depth = 0;
    size_t i;

    if (s && s->kind != YNODE_MAP) {
        fail_closed(im, t, s, "ipStrategy is a map");
        return false;
    }
    for (i = 0; s && i < s->n; i++) {
        const struct ynode *f = s->items[i];
        if (str_eq(f->key, "depth") && tr_int(f, 0, 0, &depth))
            continue;
        if (str_eq(f->key, "excludedIPs") && f->kind == YNODE_SEQ && f->n == 0)
            continue;
        fail_closed(im, t, f,
                    "ipStrategy takes the client address from X-Forwarded-For, "
                    "whoever sent it; gwc reads that header only from trusted "
                    "proxies, for a whole Gateway (ClientPolicy "
                    "clientAddressDetection)");
        return false;
    }
    return true;
}

static void allow_list(struct imp *im, struct tr_policy *t, const struct ynode *m)
{
    static const char *const known[] = {"sourceRange", "ipStrategy",
                                        "rejectStatusCode", NULL};
    const struct ynode *range = imp_crd_seq(ynode_get(m, "sourceRange"));
    const struct ynode *code = ynode_get(m, "rejectStatusCode");
    int64_t status;
    const char **allow;
    size_t i;

    if (!only_known(im, t, m, known) ||
        !remote_address(im, t, ynode_get(m, "ipStrategy")))
        return;
    if (code && !tr_int(code, 403, 403, &status)) {
        fail_closed(im, t, code, "a refused address gets 403 from gwc");
        return;
    }
    if (!range || !range->n || range->n > MAX_ALLOW) {
        fail_closed(im, t, range ? range : m,
                    range && range->n ? "gwc takes at most 256 addresses"
                                      : "Traefik refuses a list without "
                                        "sourceRange and drops the routers");
        return;
    }
    allow = ARENA_NEW_ARRAY(im->a, const char *, range->n);
    for (i = 0; i < range->n; i++) {
        const char *s = imp_crd_text(range->items[i]), *why = "not an address";
        if (!s || !(allow[i] = imp_value_cidr(im, s, &why))) {
            fail_closed(im, t, range->items[i], why);
            return;
        }
    }
    t->p.kind = "AccessPolicy";
    t->p.allow = allow;
    t->p.n_allow = range->n;
    t->field = "spec.clientAddresses.allow";
}

/* Traefik takes "user:hash" lines (exactly one ':'; any other non-empty
 * line, a '#' comment too, makes it refuse the Middleware) and checks the
 * hashes its htpasswd library knows; any other hash never matches.  nginx
 * reads comments and more hash schemes, so such a Secret would let users
 * in whom Traefik keeps out. */
static const char *users_problem(struct imp *im, const char *text)
{
    static const char *const schemes[] = {"$apr1$", "$1$", "{SHA}",
                                          "$2a$",   "$2x$", "$2y$"};
    const char *line = text;

    while (*line) {
        size_t n = strcspn(line, "\n"), k;
        char *l = arena_strndup(im->a, line, n);
        const char *colon;

        line += n + (line[n] == '\n');
        if (n && l[n - 1] == '\r') /* Go's line scanner drops it */
            l[--n] = '\0';
        if (!n)
            continue;
        colon = strchr(l, ':');
        if (!colon || strchr(colon + 1, ':'))
            return arena_printf(im->a,
                                "Traefik refuses the line '%s' (user:hash "
                                "expected) and with it the Middleware",
                                imp_report_value(im, l));
        for (k = 0; k < ARRAY_SIZE(schemes); k++) {
            if (strncmp(colon + 1, schemes[k], strlen(schemes[k])) == 0)
                break;
        }
        if (k == ARRAY_SIZE(schemes))
            return arena_printf(
                im->a,
                "user '%s' has a hash Traefik cannot check ($apr1$, $1$, "
                "{SHA}, $2a$, $2x$, $2y$): Traefik keeps that user out, "
                "nginx may let them in",
                imp_report_value(im, arena_strndup(im->a, l, (size_t)(colon - l))));
    }
    return NULL;
}

static bool users_ok(struct imp *im, struct tr_policy *t, const struct ynode *at,
                     const struct secret *s)
{
    const char *text = s->string_data.n ? s->string_data.v[0].value : NULL;
    const char *why;
    char *raw;
    size_t len;

    if (!text) {
        if (!base64_decode(im->a, s->data.v[0].value, &raw, &len) ||
            strlen(raw) != len) {
            fail_closed(im, t, at, "the Secret's data is not base64 text");
            return false;
        }
        text = raw;
    }
    if ((why = users_problem(im, text))) {
        fail_closed(im, t, at, why);
        return false;
    }
    return true;
}

/* Traefik reads a Secret of type kubernetes.io/basic-auth as one user
 * (username, password), any other as the htpasswd lines of its only key,
 * whatever that key's name. */
static bool secret_key(struct imp *im, struct tr_policy *t, const struct ynode *at,
                       const char *name)
{
    const struct secret *s = (const struct secret *)imp_find_object(
        im, KIND_SECRET, t->p.namespace, name);

    if (!s) {
        t->p.basic_key = "users";
        imp_report_src(
            im, &t->src, at, DIAG_IMPORT_APPROXIMATED,
            "Secret %s/%s is not in the input: the AccessPolicy reads "
            "its key 'users', where Traefik reads its only key, whatever "
            "the name (gwc answers 500 until that key is there)",
            t->p.namespace, name);
        return true;
    }
    if (str_eq(s->type, "kubernetes.io/basic-auth")) {
        fail_closed(im, t, at,
                    "Traefik reads a kubernetes.io/basic-auth Secret's username "
                    "and password keys, gwc htpasswd lines");
        return false;
    }
    if (s->data.n + s->string_data.n != 1) {
        fail_closed(im, t, at,
                    arena_printf(im->a,
                                 "Traefik reads a Secret with exactly one key "
                                 "and refuses this one (%zu keys)",
                                 s->data.n + s->string_data.n));
        return false;
    }
    t->p.basic_key = s->data.n ? s->data.v[0].key : s->string_data.v[0].key;
    return users_ok(im, t, at, s);
}

static void basic_auth(struct imp *im, struct tr_policy *t, const struct ynode *m)
{
    static const char *const known[] = {"secret", "realm", "removeHeader",
                                        "headerField", NULL};
    const struct ynode *sec = ynode_get(m, "secret"), *rm = ynode_get(m, "removeHeader");
    const char *secret = imp_crd_text(sec),
               *realm = imp_crd_text(ynode_get(m, "realm"));
    bool remove = false;
    struct o_ref *ref;

    if (!only_known(im, t, m, known))
        return;
    if (ynode_get(m, "headerField")) {
        fail_closed(im, t, ynode_get(m, "headerField"),
                    "Traefik sends the user's name to the backend in this "
                    "header; gwc does not, and would pass a client's own "
                    "header of that name");
        return;
    }
    if (rm &&
        !(rm->kind == YNODE_SCALAR && imp_value_parse_go_bool(rm->text, &remove))) {
        fail_closed(im, t, rm, "removeHeader is a boolean");
        return;
    }
    if (!secret || !imp_value_dns_subdomain(secret)) {
        fail_closed(im, t, sec ? sec : m, "secret names no Secret");
        return;
    }
    if (!secret_key(im, t, sec, secret))
        return;
    ref = ARENA_NEW(im->a, struct o_ref);
    ref->name = secret;
    t->p.kind = "AccessPolicy";
    t->p.basic_secret = ref;
    /* Traefik forwards the credentials unless removeHeader is set. */
    t->p.basic_forward = !remove;
    t->p.basic_realm = realm ? realm : "traefik";
    if (!imp_value_realm(t->p.basic_realm)) {
        imp_report_src(im, &t->src, ynode_get(m, "realm"), DIAG_IMPORT_APPROXIMATED,
                       "gwc takes a realm of at most 64 printable characters "
                       "without '\"', '\\' and '$', not 'off'; the realm is left "
                       "empty");
        t->p.basic_realm = NULL;
    }
    t->field = "spec.basicAuth";
}

/* Bytes as gwc's size, in the largest unit that holds them exactly;
 * NULL when none does. */
static const char *size_text(struct imp *im, int64_t n)
{
    static const char *const units[] = {"", "Ki", "Mi", "Gi"};
    size_t u = 0;

    while (n && n % 1024 == 0 && u + 1 < ARRAY_SIZE(units)) {
        n /= 1024;
        u++;
    }
    return n <= MAX_SIZE ? arena_printf(im->a, "%lld%s", (long long)n, units[u])
                         : NULL;
}

/* Traefik answers 413 to a request body above maxRequestBodyBytes (0, the
 * default: no limit), as gwc does above requestBody.maxSize.  The mem*
 * fields say how much of a body Traefik keeps in memory, which no client
 * sees. */
static bool buffering(struct imp *im, struct tr_policy *t, const struct ynode *m)
{
    const struct ynode *max = ynode_get(m, "maxRequestBodyBytes");
    int64_t n = 0;
    bool ok = true;
    size_t i;

    for (i = 0; m->kind == YNODE_MAP && i < m->n; i++) {
        const struct ynode *f = m->items[i];
        if (str_eq(f->key, "maxRequestBodyBytes"))
            continue;
        if ((str_eq(f->key, "memRequestBodyBytes") ||
             str_eq(f->key, "memResponseBodyBytes")) &&
            tr_int(f, 0, INT64_MAX, &n))
            imp_report_src(im, &t->src, f, DIAG_IMPORT_IGNORED,
                           "ignored: how much of a body Traefik keeps in memory, "
                           "which clients do not see");
        else if (str_eq(f->key, "maxResponseBodyBytes") && tr_int(f, 0, 0, &n))
            continue;
        else {
            imp_report_src(im, &t->src, f, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: %s",
                           str_eq(f->key, "maxResponseBodyBytes")
                               ? "gwc has no limit on response bodies"
                               : "gwc converts maxRequestBodyBytes of buffering");
            ok = false;
        }
    }
    n = 0;
    if (max && !tr_int(max, 0, INT64_MAX, &n)) {
        imp_report_src(im, &t->src, max, DIAG_IMPORT_BAD_VALUE,
                       "maxRequestBodyBytes is a non-negative integer");
        return false;
    }
    if (!(t->p.max_body_size = size_text(im, n))) {
        imp_report_src(im, &t->src, max, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: gwc takes sizes up to 9999999 bytes, KiB, "
                       "MiB or GiB");
        return false;
    }
    t->p.kind = "ClientPolicy";
    t->field = "spec.requestBody.maxSize";
    return ok;
}

static struct tr_policy *convert(struct imp *im, const struct crd *o,
                                 const struct ynode *m)
{
    struct tr_policy *t = ARENA_NEW(im->a, struct tr_policy);

    t->src.label = o->label;
    t->src.root = o->root;
    t->at = m;
    t->ok = true;
    t->p.namespace = o->namespace;
    imp_origin_add(im, &t->p.origins, o->root); /* the Middleware */
    if (str_eq(m->key, "ipAllowList") || str_eq(m->key, "ipWhiteList"))
        allow_list(im, t, m);
    else if (str_eq(m->key, "basicAuth"))
        basic_auth(im, t, m);
    else if (str_eq(m->key, "digestAuth"))
        fail_closed(im, t, m, "nginx without extra modules has no digest "
                              "authentication");
    else if (str_eq(m->key, "forwardAuth"))
        fail_closed(im, t, m,
                    "Traefik sends the auth service X-Forwarded-Method, "
                    "-Proto, -Host and -Uri of the request; gwc sends "
                    "X-Original-URI and X-Original-Method and passes a "
                    "client's own X-Forwarded-* headers on");
    else
        t->ok = buffering(im, t, m);
    if (t->p.kind) {
        t->p.name = imp_name_claim(
            im, arena_printf(im->a, "%s/%s", t->p.kind, o->namespace), o->name,
            253);
        ptrvec_push(im->a, &TR(im)->policies, t);
    }
    return t;
}

/* gwc takes one basicAuth per rule, and one ClientPolicy per target; the
 * same Middleware twice (directly and in a chain) is one policy. */
static const struct tr_policy *clash(const struct tr_router *r,
                                     const struct tr_policy *t)
{
    size_t i;

    for (i = 0; i < r->policies.n; i++) {
        const struct tr_policy *o = r->policies.v[i];
        if (o == t)
            return o;
        if (str_eq(o->p.kind, t->p.kind) &&
            (str_eq(t->p.kind, "ClientPolicy") || (o->p.basic_secret && t->p.basic_secret)))
            return o;
    }
    return NULL;
}

bool tr_policy_apply(struct imp *im, struct tr_router *r, const struct crd *o,
                     const struct ynode *m)
{
    struct tr_policy *t = imp_index_get(&TR(im)->converted, o->label);
    const struct tr_policy *other;

    if (!t) {
        t = convert(im, o, m);
        imp_index_put(im->a, &TR(im)->converted, o->label, t);
    }
    if (t->denied) {
        r->denied = true;
        return true;
    }
    if (!t->p.kind)
        return t->ok;
    if ((other = clash(r, t)) == t)
        return t->ok;
    if (other) {
        imp_report_src(
            im, &r->src, r->at,
            str_eq(t->p.kind, "AccessPolicy") ? DIAG_IMPORT_FAIL_CLOSED
                                              : DIAG_IMPORT_NOT_CONVERTED,
            "not converted: this router uses %s and %s, and gwc takes one "
            "%s per route; the route answers 500",
            other->src.label, t->src.label,
            t->p.basic_secret ? "basicAuth" : "ClientPolicy");
        r->denied = true;
        return false;
    }
    ptrvec_push(im->a, &r->policies, t);
    return t->ok;
}

bool tr_policies_guard(const struct tr_router *r)
{
    size_t i;

    for (i = 0; i < r->policies.n; i++) {
        const struct tr_policy *t = r->policies.v[i];
        if (str_eq(t->p.kind, "AccessPolicy"))
            return true;
    }
    return false;
}

void tr_policies_target(struct imp *im, const struct tr_router *r,
                        const struct o_route *rt)
{
    size_t i;

    for (i = 0; i < r->policies.n; i++) {
        struct tr_policy *t = r->policies.v[i];
        /* A route takes one ClientPolicy: the router's own, with limits,
         * carries its buffering too. */
        if (r->limits && str_eq(t->p.kind, "ClientPolicy")) {
            r->limits->p.max_body_size = t->p.max_body_size;
            imp_origin_add(im, &r->limits->p.origins, t->src.root);
            t->folded = true;
            continue;
        }
        imp_target_add(im, &t->targets, rt, NULL);
    }
    if (r->limits)
        imp_target_add(im, &r->limits->targets, rt, NULL);
}

void tr_policies_write(struct imp *im)
{
    const struct ptrvec *ps = &TR(im)->policies;
    size_t i;

    for (i = 0; i < ps->n; i++) {
        const struct tr_policy *t = ps->v[i];
        size_t parts = imp_policy_emit(im, &t->p, &t->targets);
        if (!parts && t->folded)
            imp_report_src(im, &t->src, t->at, DIAG_IMPORT_POLICY,
                           "converted into the ClientPolicy <router>-limits of "
                           "each router using it (%s)",
                           t->field);
        else if (!parts && t->own)
            imp_report_src(im, &t->src, t->at, DIAG_IMPORT_POLICY,
                           "its limits (%s) are not written: the router only "
                           "redirects, which the Gateway answers before any "
                           "limit",
                           t->field);
        else if (!parts)
            imp_report_src(im, &t->src, t->at, DIAG_IMPORT_POLICY,
                           "converts to a gwc %s (%s), not written: no route using "
                           "it is served",
                           t->p.kind, t->field);
        else
            imp_report_src(im, &t->src, t->at, DIAG_IMPORT_POLICY,
                           "converted to gwc policy %s/%s%s (%s)", t->p.kind,
                           t->p.name, parts > 1 ? " and its parts -02, ..." : "",
                           t->field);
    }
}
