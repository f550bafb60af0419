/*
 * NIC's Ingresses (internal/k8s/controller.go, internal/configs/ingress.go):
 *   - class: the kubernetes.io/ingress.class annotation, else
 *     spec.ingressClassName, must be the controller's class ("nginx", or
 *     --ingress-class); Ingresses without one are ignored;
 *   - a host belongs to one Ingress or VirtualServer, the oldest
 *     (creationTimestamp, then the greater uid; what the input lacks is
 *     assumed and reported, servers.c); the others lose it (reported);
 *   - mergeable: a master (host, TLS, server-level annotations, no paths)
 *     and minions of any namespace (paths) share one host.  A master's
 *     access control reaches its minions, so a denied master denies them.
 *     A path string two minions of a host both list belongs to the older
 *     (configuration.go buildMinionConfigs: the same rule as hosts,
 *     whatever the pathTypes); the other's is not served, so that a newer
 *     minion of another namespace cannot put an Exact /admin in front of
 *     an older minion's guarded Prefix /admin.
 *   - TLS hosts redirect plain HTTP to HTTPS (ssl-redirect, default on);
 *   - nginx.org/policies: Policy resources for the whole Ingress; a
 *     minion's replace its master's of the same type (policy_refs.c).
 */
#include "nic.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <string.h>

struct nic_ing {
    const struct ingress *in;
    struct imp_src src;
    const char *klass;
    struct nic_ann ann;
    struct nic_level *level;     /* nginx.org/policies; NULL: none */
    const struct nic_pols *pols; /* the effective Policies of its paths */
    bool pol_deny;               /* its paths answer 500 */
    size_t minions;              /* a master's converted minions */
};

static const char *ingress_class(const struct ingress *in)
{
    const struct ynode *a = ynode_get(
        ynode_get(ynode_get(in->obj.src, "metadata"), "annotations"),
        "kubernetes.io/ingress.class");

    if (a && a->kind == YNODE_SCALAR && a->scalar == YSCALAR_STRING)
        return a->text;
    return in->ingress_class_name;
}

static bool class_selected(const struct imp *im, const char *klass)
{
    size_t i;

    if (!im->o->n_ingress_classes)
        return str_eq(klass, "nginx");
    for (i = 0; i < im->o->n_ingress_classes; i++) {
        if (str_eq(im->o->ingress_classes[i], klass))
            return true;
    }
    return false;
}

/* Oldest first; objects without creationTimestamp after those with one. */
static int cmp_age(const void *pa, const void *pb)
{
    const struct nic_ing *a = *(const struct nic_ing *const *)pa;
    const struct nic_ing *b = *(const struct nic_ing *const *)pb;
    int64_t ta = a->in->obj.created, tb = b->in->obj.created;

    if (ta != tb) {
        if (ta == INT_UNSET || tb == INT_UNSET)
            return ta == INT_UNSET ? 1 : -1;
        return ta < tb ? -1 : 1;
    }
    return strcmp(a->in->obj.nsname, b->in->obj.nsname);
}

/* The hosts a plain Ingress or a master claims (a minion takes its
 * master's). */
static void bid(struct imp *im, const struct nic_ing *ni)
{
    const struct ingress *in = ni->in;
    size_t r;

    if (str_eq(ni->ann.mergeable, "minion"))
        return;
    for (r = 0; r < in->n_rules; r++) {
        nic_host_bid(im, in->rules[r].host ? in->rules[r].host : "", &ni->src,
                     in->obj.nsname);
        if (ni->ann.mergeable) /* a master: its first rule's host */
            break;
    }
}

/* A minion's path string, as NIC keys the paths of a host's minions. */
static const char *minion_path_key(struct imp *im, const char *host, const char *path)
{
    /* A newline is in no host, so these keys share the bids of hosts. */
    return arena_printf(im->a, "%s\npath %s", host, path ? path : "");
}

/* A minion's bid for each of its paths on its host. */
static void bid_paths(struct imp *im, const struct nic_ing *ni)
{
    const struct ingress *in = ni->in;
    const char *host = in->n_rules && in->rules[0].host ? in->rules[0].host : "";
    size_t k;

    for (k = 0; in->n_rules && k < in->rules[0].http.n_paths; k++)
        nic_host_bid(im, minion_path_key(im, host, in->rules[0].http.paths[k].path),
                     &ni->src, in->obj.nsname);
}

/* NIC's validation of mergeable Ingresses (validation.go
 * validateMasterSpec, validateMinionSpec): a master has one rule and no
 * paths, a minion one rule with paths and no tls.  NIC rejects any other
 * whole: a master then owns no host, a minion serves nothing.  NULL when
 * valid; else why, *at: where. */
static const char *mergeable_invalid(const struct nic_ing *ni, const struct ynode **at)
{
    const struct ingress *in = ni->in;
    const struct ynode *spec = in->spec_src ? in->spec_src : in->obj.src;

    *at = ynode_get(spec, "rules") ? ynode_get(spec, "rules") : spec;
    if (in->n_rules != 1)
        return "it must have exactly one rule";
    if (str_eq(ni->ann.mergeable, "master")) {
        *at = in->rules[0].http.src ? in->rules[0].http.src : *at;
        return in->rules[0].http.n_paths ? "a master must have no paths" : NULL;
    }
    if (in->n_tls) {
        *at = ynode_get(spec, "tls");
        return "a minion must have no tls (its master's serves it)";
    }
    return in->rules[0].http.n_paths ? NULL : "a minion must have paths";
}

static void select_ingresses(struct imp *im, struct ptrvec *out)
{
    const struct ptrvec *all = &im->m->objects[KIND_INGRESS];
    size_t i;

    for (i = 0; i < all->n; i++) {
        const struct ingress *in = all->v[i];
        struct nic_ing *ni;
        const char *klass = ingress_class(in), *why;
        const struct ynode *at;

        if (in->obj.rejected)
            continue;
        ni = ARENA_NEW(im->a, struct nic_ing);
        ni->in = in;
        ni->src.label = model_object_label(im->c, &in->obj);
        ni->src.root = in->obj.src;
        if (!klass || !class_selected(im, klass)) {
            imp_report_src(im, &ni->src, in->obj.meta.src, DIAG_IMPORT_SKIPPED,
                           klass ? "ingress class '%s' is not converted (NIC "
                                   "serves one class; --ingress-class chooses it)"
                                 : "NIC ignores Ingresses without a class%s",
                           klass ? klass : "");
            continue;
        }
        ni->klass = klass;
        imp_ingress_taken(im, in);
        nic_annotations(im, &ni->src,
                        ynode_get(in->obj.meta.src, "annotations"), &ni->ann);
        if (ni->ann.mergeable && (why = mergeable_invalid(ni, &at)) != NULL) {
            imp_report_src(im, &ni->src, at, DIAG_IMPORT_NOT_CONVERTED,
                           "not converted: NIC rejects this %s Ingress: %s; "
                           "nothing of it is served",
                           ni->ann.mergeable, why);
            continue;
        }
        if (ni->ann.policies) {
            ni->level = ARENA_NEW(im->a, struct nic_level);
            nic_policy_annotation(im, &ni->src, ni->ann.policies,
                                  imp_object_namespace(im, &in->obj), ni->level);
        }
        if (ni->ann.hsts_at && str_eq(ni->ann.mergeable, "minion")) {
            imp_report_src(im, &ni->src, ni->ann.hsts_at, DIAG_IMPORT_IGNORED,
                           "ignored: NIC takes HSTS from the master of mergeable "
                           "Ingresses, not from minions");
        } else if (ni->ann.hsts_at) {
            if (!ni->level)
                ni->level = ARENA_NEW(im->a, struct nic_level);
            nic_policy_hsts_annotations(im, &ni->src, &ni->ann, ni->level);
        }
        if (!ni->level)
            ni->level = ARENA_NEW(im->a, struct nic_level);
        nic_settings(im, &ni->src, ni->ann.settings, ni->level);
        if (!ni->ann.mergeable)
            nic_limit_req(im, &ni->src, &ni->ann, NULL, NULL, ni->level);
        ptrvec_push(im->a, out, ni);
        bid(im, ni);
        if (str_eq(ni->ann.mergeable, "minion"))
            bid_paths(im, ni);
    }
    ptrvec_sort(out, cmp_age);
}

/* ---- backends ---- */

static bool listed(const char *const *v, size_t n, const char *s)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (str_eq(v[i], s))
            return true;
    }
    return false;
}

static const char *rewrite_of(const struct nic_ann *a, const char *svc)
{
    size_t i;

    for (i = 0; i < a->n_rewrites; i++) {
        if (str_eq(a->rewrite_svc[i], svc))
            return a->rewrite_to[i];
    }
    return NULL;
}

/* ---- locations ---- */

static struct o_filters *filters(struct imp *im, const struct nic_ing *ni,
                                 struct nic_loc *l, const char *svc)
{
    struct o_filters *f = ARENA_NEW(im->a, struct o_filters);
    const char *to = svc ? rewrite_of(&ni->ann, svc) : NULL;

    f->request_set = ni->ann.request_set;
    if (to && l->n_matches) {
        struct o_rewrite *rw = ARENA_NEW(im->a, struct o_rewrite);
        bool exact = str_eq(l->matches[0].path.type, "Exact");
        if (!exact && !str_eq(l->matches[0].path.type, "PathPrefix")) {
            imp_report_src(im, &l->src, l->at, DIAG_IMPORT_NOT_CONVERTED,
                           "the rewrite of Service '%s' is not converted on a "
                           "regular expression path",
                           svc);
            return f;
        }
        if (l->n_matches == 2) {
            l->n_matches = 1; /* ReplacePrefixMatch needs one PathPrefix */
            l->twin_at = l->at;
            imp_report_src(im, &l->src, l->at, DIAG_IMPORT_APPROXIMATED,
                           "NIC matches '%s' as a string prefix ('%sX' too); with "
                           "the rewrite of Service '%s' it is a PathPrefix, which "
                           "matches whole segments",
                           imp_report_value(im, l->matches[0].path.value),
                           imp_report_value(im, l->matches[0].path.value), svc);
        }
        rw->path.type = exact ? "ReplaceFullPath" : "ReplacePrefixMatch";
        rw->path.value = to;
        f->rewrite = rw;
    }
    return f;
}

static struct nic_loc *new_loc(struct imp *im, const struct nic_ing *ni,
                               const struct ynode *at)
{
    struct nic_loc *l = ARENA_NEW(im->a, struct nic_loc);

    l->src = ni->src;
    l->at = at;
    l->denied = ni->ann.denied || ni->pol_deny;
    l->pols = ni->pols;
    return l;
}

/* nginx answers "/p" with a 301 to "/p/" for `location /p/` with
 * proxy_pass: an Exact rule in front says so. */
static void slash_redirect(struct imp *im, struct nic_server *s,
                           const struct nic_ing *ni, const struct nic_loc *l)
{
    const char *p = l->matches[0].path.value;
    size_t n = strlen(p);
    struct nic_loc *r;
    struct o_redirect *rd;

    if (n < 2 || p[n - 1] != '/' || !str_eq(l->matches[0].path.type, "PathPrefix"))
        return;
    r = new_loc(im, ni, l->at);
    r->matches[0].path.type = "Exact";
    r->matches[0].path.value = arena_strndup(im->a, p, n - 1);
    r->n_matches = 1;
    r->filters = ARENA_NEW(im->a, struct o_filters);
    rd = ARENA_NEW(im->a, struct o_redirect);
    rd->path.type = "ReplaceFullPath";
    rd->path.value = p;
    rd->code = 301;
    r->filters->redirect = rd;
    ptrvec_push(im->a, &s->locs, r);
}

static void add_path(struct imp *im, struct nic_server *s, const struct nic_ing *ni,
                     const struct ingress_path *p)
{
    struct nic_loc *l = new_loc(im, ni, p->src);
    struct backend b;
    const char *path = p->path ? p->path : "/";

    nic_path_matches(im, l, path, str_eq(p->path_type, "Exact"),
                     ni->ann.path_regex);
    if (!l->n_matches)
        return;
    if (imp_ingress_backend_port(im, ni->src.label, ni->src.root,
                                 imp_object_namespace(im, &ni->in->obj),
                                 &p->backend, &b)) {
        struct o_rule tmp;
        memset(&tmp, 0, sizeof(tmp));
        imp_routes_rule_add_backend(im, &tmp, &b, -1);
        l->backends = tmp.backends;
        l->grpc = listed(ni->ann.grpc, ni->ann.n_grpc, b.service);
    }
    if (l->grpc && !(str_eq(path, "/") && !ni->ann.path_regex)) {
        imp_report_src(im, &l->src, l->at, DIAG_IMPORT_NOT_CONVERTED,
                       "gRPC Service '%s' on path '%s': a GRPCRoute matches "
                       "services and methods, not paths; not converted",
                       b.service, imp_report_value(im, path));
        return;
    }
    l->filters = filters(im, ni, l, b.service);
    slash_redirect(im, s, ni, l);
    ptrvec_push(im->a, &s->locs, l);
}

static void add_default(struct imp *im, struct nic_server *s,
                        const struct nic_ing *ni)
{
    const struct ingress_backend *db = &ni->in->default_backend;
    struct ingress_path p;

    if (!db->src)
        return;
    memset(&p, 0, sizeof(p));
    p.src = db->src;
    p.path = "/";
    p.path_type = "Prefix";
    p.backend = *db;
    add_path(im, s, ni, &p);
}

/* NIC finds an Ingress's certificate by name in the Ingress's namespace,
 * so a Secret name it can hold is all a tls entry may give. */
static bool tls_name_ok(const struct ingress_tls *t)
{
    return t->secret_name && imp_value_dns_subdomain(t->secret_name);
}

static const char *tls_secret(const struct ingress *in, const char *host)
{
    size_t i, k;

    for (i = 0; i < in->n_tls; i++) {
        for (k = 0; k < in->tls[i].n_hosts; k++) {
            if (str_eq(in->tls[i].hosts[k], host))
                return tls_name_ok(&in->tls[i]) ? in->tls[i].secret_name : NULL;
        }
    }
    return NULL;
}

/* A secretName such as "namespace/name" names no Secret NIC can find: it
 * rejects the TLS handshakes of those hosts (and its ssl-redirect sends
 * HTTP there).  The import writes no HTTPS listener for them. */
static void tls_names_check(struct imp *im, const struct nic_ing *ni)
{
    size_t i;

    for (i = 0; i < ni->in->n_tls; i++) {
        const struct ingress_tls *t = &ni->in->tls[i];
        if (t->secret_name && *t->secret_name && !tls_name_ok(t))
            imp_report_src(im, &ni->src, ynode_get(t->src, "secretName"),
                           DIAG_IMPORT_TLS,
                           "not converted: NIC looks the Secret up by name in "
                           "the Ingress's namespace, and this is no Secret name "
                           "(another namespace's Secret cannot be named): NIC "
                           "rejects the TLS handshakes of these hosts; no HTTPS "
                           "listener is written for them, they are served on "
                           "HTTP only");
    }
}

static void server_settings(struct nic_server *s, const struct nic_ing *ni)
{
    s->secret = tls_secret(ni->in, s->host);
    if (s->secret && ni->ann.ssl_redirect)
        s->redirect_code = ni->ann.redirect_code;
    s->xfp_redirect = ni->ann.redirect_to_https;
    s->xfp_code = ni->ann.redirect_code;
}

/* ---- the passes ---- */

/* The Policies of ni's paths on a server of namespace ns, under master's
 * (NULL: none). */
static void ingress_policies(struct imp *im, struct nic_ing *ni,
                             const struct nic_ing *master, const char *ns)
{
    const struct nic_level *levels[2] = {master ? master->level : NULL, ni->level};

    ni->pol_deny = false;
    ni->pols = nic_policy_effective(im, &ni->src, ni->in->obj.meta.name, ns, levels,
                                    2, &ni->pol_deny);
}

static void plain(struct imp *im, const struct nic_ing *ni)
{
    const struct ingress *in = ni->in;
    const char *ns = imp_object_namespace(im, &in->obj);
    size_t r, k;

    for (r = 0; r < in->n_rules; r++) {
        const struct ingress_rule *rule = &in->rules[r];
        const char *host = rule->host ? rule->host : "";
        struct nic_server *s;

        if (!imp_ingress_host_ok(im, &ni->src, ynode_get(rule->src, "host"), host))
            continue;
        s = nic_server_claim(im, &ni->src, ns, host);
        if (!s) {
            imp_report_src(im, &ni->src, ynode_get(rule->src, "host"),
                           DIAG_IMPORT_CONFLICT,
                           "host '%s' belongs to the older %s: NIC ignores this "
                           "rule (hosts are not merged, except by mergeable "
                           "Ingresses)",
                           host, nic_host_winner(im, host));
            nic_host_lost(im, host, &ni->src, ynode_get(rule->src, "host"));
            continue;
        }
        if (!s->locs.n)
            server_settings(s, ni);
        ingress_policies(im, (struct nic_ing *)ni, NULL, ns);
        for (k = 0; k < rule->http.n_paths; k++)
            add_path(im, s, ni, &rule->http.paths[k]);
        add_default(im, s, ni);
    }
}

/* Where a mergeable Ingress names its host (its first rule's host field;
 * without one, the Ingress). */
static const struct ynode *host_at(const struct ingress *in)
{
    const struct ynode *h = in->n_rules ? ynode_get(in->rules[0].src, "host") : NULL;

    return h ? h : in->obj.meta.src;
}

static void master(struct imp *im, const struct nic_ing *ni)
{
    const struct ingress *in = ni->in;
    const char *ns = imp_object_namespace(im, &in->obj);
    const char *host = in->n_rules && in->rules[0].host ? in->rules[0].host : "";
    struct nic_server *s;

    if (!imp_ingress_host_ok(im, &ni->src, in->n_rules ? ynode_get(in->rules[0].src, "host") : NULL,
                     host))
        return;
    s = nic_server_claim(im, &ni->src, ns, host);
    if (!s) {
        imp_report_src(im, &ni->src, host_at(in), DIAG_IMPORT_CONFLICT,
                       "host '%s' already belongs to an older Ingress or "
                       "VirtualServer: NIC ignores this master",
                       host);
        nic_host_lost(im, host, &ni->src, host_at(in));
        return;
    }
    server_settings(s, ni);
}

static void minion(struct imp *im, const struct nic_ing *ni,
                   const struct ptrvec *masters)
{
    const struct ingress *in = ni->in;
    const char *host = in->n_rules && in->rules[0].host ? in->rules[0].host : "";
    struct nic_server *s = imp_index_get(&NIC(im)->server_index, host);
    const struct nic_ing *m = NULL;
    size_t i, k;

    for (i = 0; s && i < masters->n; i++) {
        const struct nic_ing *c = masters->v[i];
        if (str_eq(c->src.label, s->owner.label))
            m = c;
    }
    if (!m) {
        imp_report_src(im, &ni->src, host_at(in), DIAG_IMPORT_NOT_CONVERTED,
                       "minion of host '%s' without a master Ingress of that host: "
                       "NIC serves none of its paths",
                       host);
        return;
    }
    if (m->ann.denied && !ni->ann.denied) {
        imp_report_src(im, &ni->src, in->obj.meta.src, DIAG_IMPORT_NOT_CONVERTED,
                       "the access control of its master %s is not converted: "
                       "this minion's paths answer 500",
                       m->src.label);
        ((struct nic_ing *)ni)->ann.denied = true;
    }
    ((struct nic_ing *)m)->minions++;
    nic_limit_req(im, &ni->src, &ni->ann, &m->src, &m->ann, ni->level);
    ingress_policies(im, (struct nic_ing *)ni, m, s->namespace);
    for (k = 0; in->n_rules && k < in->rules[0].http.n_paths; k++) {
        const struct ingress_path *p = &in->rules[0].http.paths[k];
        const char *key = minion_path_key(im, host, p->path);
        const char *winner = nic_host_winner(im, key);
        if (winner && !str_eq(winner, ni->src.label)) {
            imp_report_src(im, &ni->src, ynode_get(p->src, "path"),
                           DIAG_IMPORT_CONFLICT,
                           "path '%s' of host '%s' belongs to the older minion "
                           "%s: NIC does not serve it from this one, whatever "
                           "its pathType; not converted",
                           imp_report_value(im, p->path ? p->path : ""), host,
                           winner);
            nic_host_lost(im, key, &ni->src, ynode_get(p->src, "path"));
            continue;
        }
        add_path(im, s, ni, p);
    }
}

/* A master's limit-req-* annotations reach its paths through its
 * minions only. */
static void master_limits_unused(struct imp *im, const struct nic_ing *ni)
{
    size_t k;

    for (k = 0; !ni->minions && k < NIC_LR_N; k++) {
        if (ni->ann.limit_req[k])
            imp_report_src(im, &ni->src, ni->ann.limit_req[k], DIAG_IMPORT_IGNORED,
                           "nothing to convert: a master has no paths of its own, "
                           "and no minion of the input inherits it");
    }
}

void nic_ingresses(struct imp *im)
{
    struct ptrvec ings = {0}, masters = {0};
    size_t i;

    select_ingresses(im, &ings);
    for (i = 0; i < ings.n; i++) {
        const struct nic_ing *ni = ings.v[i];
        tls_names_check(im, ni);
        if (str_eq(ni->ann.mergeable, "master")) {
            master(im, ni);
            ptrvec_push(im->a, &masters, (void *)ni);
        } else if (!ni->ann.mergeable) {
            plain(im, ni);
        }
    }
    for (i = 0; i < ings.n; i++) {
        const struct nic_ing *ni = ings.v[i];
        if (str_eq(ni->ann.mergeable, "minion"))
            minion(im, ni, &masters);
    }
    for (i = 0; i < masters.n; i++)
        master_limits_unused(im, masters.v[i]);
}
