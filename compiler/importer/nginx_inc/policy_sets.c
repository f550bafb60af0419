/*
 * The effective Policies of a location (a more specific level replaces a
 * type wholly, an Ingress's setting annotation replaces that setting), as
 * one AccessPolicy, ClientPolicy and BackendPolicy per set and owner, made
 * once and shared by the locations with that set.
 */
#include "nic_policy.h"

#include "base/arena.h"
#include "base/compilation.h"
#include "base/strbuf.h"

#include <stdint.h>


/* The union of the lists of ps (struct nic_policy *), each address once. */
static const char **cidr_union(struct imp *im, const struct ptrvec *ps, size_t *n)
{
    struct index seen = {0};
    size_t i, k, total = 0;
    const char **out;

    for (i = 0; i < ps->n; i++)
        total += ((const struct nic_policy *)ps->v[i])->n_cidrs;
    out = ARENA_NEW_ARRAY(im->a, const char *, total);
    *n = 0;
    for (i = 0; i < ps->n; i++) {
        const struct nic_policy *p = ps->v[i];
        for (k = 0; k < p->n_cidrs; k++) {
            if (imp_index_get(&seen, p->cidrs[k]))
                continue;
            imp_index_put(im->a, &seen, p->cidrs[k], (void *)p);
            out[(*n)++] = p->cidrs[k];
        }
    }
    return out;
}

/* The entries' sources: a Policy's label, an annotation's Ingress and
 * key (an Ingress has each once). */
static void set_key(struct strbuf *sb, const struct nic_policy *const *ps, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (ps[i])
            strbuf_addf(sb, "|%s%s%s", ps[i]->src.label,
                        ps[i]->kind == NP_SETTING ? "/" : "",
                        ps[i]->kind == NP_SETTING ? ps[i]->at->key : "");
    }
}

/* "<owner>-access", then "<owner>-access-2", ... */
static struct nic_gwc *gwc_new(struct imp *im, const char *kind, const char *ns,
                               const char *owner)
{
    struct nic_gwc *g = ARENA_NEW(im->a, struct nic_gwc);
    const char *suffix = str_eq(kind, "AccessPolicy")   ? "access"
                         : str_eq(kind, "ClientPolicy") ? "client"
                                                        : "backend";
    const char *key = arena_printf(im->a, "%s/%s/%s", kind, ns, owner);
    int64_t *count = imp_index_get(&NIC(im)->counts, key);

    if (!count) {
        count = ARENA_NEW(im->a, int64_t);
        imp_index_put(im->a, &NIC(im)->counts, key, count);
    }
    g->owner = owner;
    g->p.kind = kind;
    g->p.namespace = ns;
    g->p.name = imp_name_claim(
        im, arena_printf(im->a, "%s/%s", kind, ns),
        ++*count == 1 ? arena_printf(im->a, "%s-%s", owner, suffix)
                      : arena_printf(im->a, "%s-%s-%lld", owner, suffix,
                                     (long long)*count),
        253);
    return g;
}

static void from(struct imp *im, struct nic_gwc *g, const struct nic_policy *const *ps,
                 size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (ps[i])
            ptrvec_push(im->a, &g->from, (void *)ps[i]);
    }
}

static struct nic_gwc *access_policy(struct imp *im, const struct imp_src *owner,
                                     const char *owner_name, const char *ns,
                                     const struct ptrvec *access,
                                     const struct nic_policy *basic)
{
    struct nic_gwc *g;
    struct o_gwc_policy *a;
    size_t n_allow = 0, n_deny = 0;
    const char **allow = NULL, **deny = NULL;

    if (access->n && ((const struct nic_policy *)access->v[0])->allow)
        allow = cidr_union(im, access, &n_allow);
    else if (access->n)
        deny = cidr_union(im, access, &n_deny);
    if (n_allow > MAX_CIDRS || n_deny > MAX_CIDRS) {
        const struct nic_policy *first = access->v[0];
        imp_report_src(im, &first->src, first->at, DIAG_IMPORT_FAIL_CLOSED,
                       "access control not converted exactly: the Policies of "
                       "%s list %zu addresses together, and gwc takes at most "
                       "256; its paths answer 500 instead",
                       owner->label, n_allow + n_deny);
        return NULL;
    }
    g = gwc_new(im, "AccessPolicy", ns, owner_name);
    a = &g->p;
    a->allow = allow;
    a->n_allow = n_allow;
    a->deny = deny;
    a->n_deny = n_deny;
    from(im, g, (const struct nic_policy *const *)access->v, access->n);
    if (basic) {
        struct o_ref *r = ARENA_NEW(im->a, struct o_ref);
        r->name = basic->secret;
        if (!str_eq(basic->namespace, ns))
            r->namespace = basic->namespace;
        a->basic_secret = r;
        a->basic_key = "htpasswd";
        a->basic_realm = basic->realm;
        a->basic_forward = true; /* nginx passes Authorization on */
        ptrvec_push(im->a, &g->from, (void *)basic);
    }
    return g;
}

/* extra: the hsts and the body size, or NULL. */
static struct nic_gwc *client_policy(struct imp *im, const char *owner_name,
                                     const char *ns, const struct ptrvec *rates,
                                     const struct nic_policy *const extra[2])
{
    struct nic_gwc *g = gwc_new(im, "ClientPolicy", ns, owner_name);
    size_t i;

    for (i = 0; i < rates->n; i++)
        g->p.rates[g->p.n_rates++] = ((const struct nic_policy *)rates->v[i])->rate;
    if (rates->n) /* NIC: the first one's, for all */
        g->p.reject_status = ((const struct nic_policy *)rates->v[0])->reject;
    from(im, g, (const struct nic_policy *const *)rates->v, rates->n);
    if (extra[0])
        g->p.hsts = &extra[0]->hsts;
    if (extra[1])
        g->p.max_body_size = extra[1]->value;
    from(im, g, extra, 2);
    return g;
}

/* sets: the effective settings, indexed by enum nic_setting. */
static struct nic_gwc *backend_policy(struct imp *im, const char *owner_name,
                                      const char *ns,
                                      const struct nic_policy *const *sets)
{
    struct nic_gwc *g = gwc_new(im, "BackendPolicy", ns, owner_name);

    if (sets[NIC_SET_CONNECT])
        g->p.connect_timeout = sets[NIC_SET_CONNECT]->value;
    if (sets[NIC_SET_SEND])
        g->p.send_timeout = sets[NIC_SET_SEND]->value;
    if (sets[NIC_SET_READ])
        g->p.read_timeout = sets[NIC_SET_READ]->value;
    if (sets[NIC_SET_LB])
        g->p.load_balancing = sets[NIC_SET_LB]->lb;
    if ((g->p.has_keepalive = sets[NIC_SET_KEEPALIVE] != NULL))
        g->p.keepalive = sets[NIC_SET_KEEPALIVE]->number;
    if ((g->p.has_buffering = sets[NIC_SET_BUFFERING] != NULL))
        g->p.buffering = sets[NIC_SET_BUFFERING]->flag;
    from(im, g, sets + NIC_SET_CONNECT, NIC_SET_N - NIC_SET_CONNECT);
    return g;
}

/* The gwc policy of kind for these Policies of owner and extra entries
 * (the AccessPolicy's basicAuth, the ClientPolicy's hsts and body size,
 * the BackendPolicy's settings; NULL where none), made once. */
static const struct nic_gwc *gwc_for(struct imp *im, const char *kind,
                                     const struct imp_src *owner,
                                     const char *owner_name, const char *ns,
                                     const struct ptrvec *ps,
                                     const struct nic_policy *const *extra,
                                     size_t n_extra, bool *deny)
{
    static const struct nic_gwc refused; /* cached: reported once */
    struct strbuf key = STRBUF_INIT;
    struct nic_gwc *g;

    strbuf_addf(&key, "%s/%s/%s", kind, ns, owner_name);
    set_key(&key, (const struct nic_policy *const *)ps->v, ps->n);
    set_key(&key, extra, n_extra);
    g = imp_index_get(&NIC(im)->gwc_index, key.buf);
    if (!g) {
        g = str_eq(kind, "AccessPolicy")   ? access_policy(im, owner, owner_name, ns, ps,
                                                           extra[0])
            : str_eq(kind, "ClientPolicy") ? client_policy(im, owner_name, ns, ps, extra)
                                           : backend_policy(im, owner_name, ns, extra);
        imp_index_put(im->a, &NIC(im)->gwc_index, key.buf, g ? g : (void *)&refused);
        if (g)
            ptrvec_push(im->a, &NIC(im)->gwc_list, g);
    }
    strbuf_release(&key);
    if (!g || (const struct nic_gwc *)g == &refused) {
        *deny = true;
        return NULL;
    }
    return g;
}

static bool any(const struct nic_policy *const *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (v[i])
            return true;
    }
    return false;
}

const struct nic_pols *nic_policy_effective(struct imp *im, const struct imp_src *owner,
                                            const char *owner_name, const char *ns,
                                            const struct nic_level *const *levels,
                                            size_t n, bool *deny)
{
    static const struct ptrvec none;
    const struct ptrvec *access = &none, *rates = &none;
    const struct nic_policy *basic = NULL, *sets[NIC_SET_N] = {0};
    const struct nic_policy *client[2] = {0}; /* hsts, body size */
    struct nic_pols *out;
    size_t i, k;

    for (i = 0; i < n; i++) {
        const struct nic_level *lv = levels[i];
        if (!lv)
            continue;
        *deny |= lv->deny;
        if (lv->allow.n || lv->deny_lists.n)
            access = lv->allow.n ? &lv->allow : &lv->deny_lists;
        if (lv->rates.n)
            rates = &lv->rates;
        if (lv->basic)
            basic = lv->basic;
        if (lv->hsts)
            client[0] = lv->hsts;
        for (k = 0; k < NIC_SET_N; k++) {
            if (lv->settings[k])
                sets[k] = lv->settings[k];
        }
    }
    client[1] = sets[NIC_SET_BODY];
    if (rates->n && ((const struct nic_policy *)rates->v[0])->dry_run)
        rates = &none; /* the first Policy's dryRun is every one's */
    if (*deny || (!access->n && !rates->n && !basic && !any(client, 2) &&
                  !any(sets, NIC_SET_N)))
        return NULL;
    out = ARENA_NEW(im->a, struct nic_pols);
    if (access->n || basic)
        out->access = gwc_for(im, "AccessPolicy", owner, owner_name, ns, access, &basic,
                              1, deny);
    if (rates->n || any(client, 2))
        out->client = gwc_for(im, "ClientPolicy", owner, owner_name, ns, rates, client,
                              2, deny);
    sets[NIC_SET_BODY] = NULL; /* the ClientPolicy's */
    if (any(sets, NIC_SET_N))
        out->backend = gwc_for(im, "BackendPolicy", owner, owner_name, ns, &none, sets,
                               NIC_SET_N, deny);
    return *deny ? NULL : out;
}
