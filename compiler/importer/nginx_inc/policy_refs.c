/*
 * The Policy references of one level (a VirtualServer's spec, a route, a
 * subroute, an Ingress's nginx.org/policies), as NIC merges them within the
 * level; egressMTLS and ingressMTLS, which are not gwc policies.
 */
#include "nic_policy.h"

#include "base/arena.h"
#include "base/compilation.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#define MAX_RATES 4 /* gwc's requestLimits.rate */


/* Where a Policy is referenced: an item of a policies list, or a name in
 * the nginx.org/policies annotation (at byte off of its value). */
struct ref {
    const struct imp_src *src;
    const struct ynode *at;
    size_t off; /* SIZE_MAX: at itself */
    const char *namespace, *name;
};

__attribute__((format(printf, 4, 5))) static void
ref_report(struct imp *im, const struct ref *r, enum diag_code code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (r->off == SIZE_MAX)
        imp_report_vat(im, r->src->label, r->src->root, r->at,
                       diag_info(code)->severity, code, fmt, ap);
    else
        imp_report_vin_scalar(im, r->src->label, r->src->root, r->at, r->off, code,
                              fmt, ap);
    va_end(ap);
}

/* The Policy objects of the input, by "namespace/name" (built once). */
static const struct crd *find_policy(struct imp *im, const char *ns, const char *name)
{
    struct nic *nic = NIC(im);
    size_t i;

    if (!nic->policies_indexed) {
        for (i = 0; i < nic->crds->n; i++) {
            const struct crd *o = nic->crds->v[i];
            if (str_eq(o->kind, "Policy"))
                imp_index_put(im->a, &nic->policy_crds,
                              arena_printf(im->a, "%s/%s", o->namespace, o->name),
                              (void *)o);
        }
        nic->policies_indexed = true;
    }
    return imp_index_get(&nic->policy_crds, arena_printf(im->a, "%s/%s", ns, name));
}

static struct nic_policy *policy(struct imp *im, const struct crd *o)
{
    struct nic_policy *p = imp_index_get(&NIC(im)->policies, o->label);

    if (!p) {
        p = nic_policy_decode(im, o);
        imp_index_put(im->a, &NIC(im)->policies, o->label, p);
    }
    return p;
}

static void add_ref(struct imp *im, const struct ref *r, bool ingress, bool spec,
                    struct nic_level *lv)
{
    const struct crd *o = r->name ? find_policy(im, r->namespace, r->name) : NULL;
    const char *klass = o ? imp_crd_text(ynode_get(o->spec, "ingressClassName")) : NULL;
    struct nic_policy *p;

    if (!o || (klass && !str_eq(klass, nic_class(im)))) {
        if (!r->name)
            ref_report(im, r, DIAG_IMPORT_POLICY_MISSING,
                       "a Policy reference without a name: NIC answers 500 on "
                       "these paths, and so does the output");
        else if (o)
            ref_report(im, r, DIAG_IMPORT_POLICY_MISSING,
                       "Policy %s/%s belongs to ingress class '%s', not this "
                       "controller's: NIC answers 500 on these paths, and so "
                       "does the output",
                       r->namespace, r->name, imp_report_value(im, klass));
        else
            ref_report(im, r, DIAG_IMPORT_POLICY_MISSING,
                       "no Policy %s/%s in the input: NIC answers 500 on these "
                       "paths, and so does the output",
                       imp_report_value(im, r->namespace), imp_report_value(im, r->name));
        lv->deny = true;
        return;
    }
    p = policy(im, o);
    if (p->deny) {
        lv->deny = true;
        return;
    }
    if (ingress && p->kind == NP_RATE) {
        ref_report(im, r, DIAG_IMPORT_POLICY_SHADOWED,
                   "NIC applies rateLimit Policies to VirtualServers, not to "
                   "Ingresses; left out");
        return;
    }
    if (ingress && p->kind == NP_BASIC) {
        ref_report(im, r, DIAG_IMPORT_FAIL_CLOSED,
                   "access control not converted exactly: NIC documents "
                   "basicAuth Policies for VirtualServers, not Ingresses; the "
                   "Ingress's paths answer 500 instead of being served "
                   "without it");
        lv->deny = true;
        return;
    }
    if (p->kind == NP_MTLS && !spec) {
        ref_report(im, r, DIAG_IMPORT_FAIL_CLOSED, "%s",
                   ingress ? "access control not converted exactly: an Ingress's "
                             "ingressMTLS is not converted yet; its paths answer "
                             "500 instead of being served without it"
                           : "access control not converted exactly: NIC takes "
                             "ingressMTLS Policies in a VirtualServer's spec only "
                             "and answers 500 here; so does the output");
        lv->deny = true;
        return;
    }
    if (p->kind == NP_EGRESS && !ingress && !lv->egress_named) {
        lv->egress_named = true; /* replaces a wider level's, converted or not */
        lv->egress = p->converted ? p : NULL;
        return;
    }
    if (p->kind == NP_HSTS && p->converted) {
        if (ingress) {
            ref_report(im, r, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: gwc converts HSTS Policies of "
                       "VirtualServers, not yet of Ingresses");
        } else if (!spec) {
            ref_report(im, r, DIAG_IMPORT_POLICY_INVALID,
                       "NIC takes an HSTS Policy in a VirtualServer's "
                       "spec.policies only and answers 500 on these paths; so "
                       "does the output");
            lv->deny = true;
        } else if (lv->hsts) {
            ref_report(im, r, DIAG_IMPORT_POLICY_SHADOWED,
                       "NIC applies the first HSTS Policy (%s) and ignores this "
                       "one; so does the output",
                       lv->hsts->src.label);
        } else {
            lv->hsts = p;
        }
        return;
    }
    if (!p->converted)
        return;
    if (p->kind == NP_EGRESS && ingress) {
        ref_report(im, r, DIAG_IMPORT_NOT_CONVERTED,
                   "not converted: an Ingress's egressMTLS is not converted yet; "
                   "the Ingress reaches its backends as nginx.org/ssl-services "
                   "says");
    } else if (p->kind == NP_EGRESS) {
        ref_report(im, r, DIAG_IMPORT_POLICY_SHADOWED,
                   "NIC applies the first egressMTLS Policy of a level and "
                   "ignores this one; so does the output");
    } else if (p->kind == NP_MTLS && lv->mtls) {
        ref_report(im, r, DIAG_IMPORT_POLICY_SHADOWED,
                   "NIC applies one ingressMTLS Policy (%s) and ignores this "
                   "one; so does the output",
                   lv->mtls->src.label);
    } else if (p->kind == NP_MTLS) {
        lv->mtls = p;
        lv->mtls_at = r->at;
    } else if (p->kind == NP_ACCESS) {
        struct ref *copy = ARENA_NEW(im->a, struct ref);
        *copy = *r;
        ptrvec_push(im->a, p->allow ? &lv->allow : &lv->deny_lists, p);
        if (!p->allow)
            ptrvec_push(im->a, &lv->deny_at, copy);
    } else if (p->kind == NP_BASIC && lv->basic) {
        ref_report(im, r, DIAG_IMPORT_POLICY_SHADOWED,
                   "NIC applies the first basicAuth Policy of a level (%s) and "
                   "ignores this one; so does the output",
                   lv->basic->src.label);
    } else if (p->kind == NP_BASIC) {
        lv->basic = p;
    } else if (lv->rates.n == MAX_RATES) {
        ref_report(im, r, DIAG_IMPORT_RATE_LIMIT_LOST,
                   "rate limit not converted: gwc takes at most %d rate limits "
                   "per ClientPolicy; the paths are written without this one",
                   MAX_RATES);
    } else {
        ptrvec_push(im->a, &lv->rates, p);
    }
}

const struct nic_level *nic_policy_egress(const struct nic_level *const *levels,
                                          size_t n)
{
    const struct nic_level *lv = NULL;
    size_t i;

    for (i = 0; i < n; i++) {
        if (levels[i] && levels[i]->egress_named)
            lv = levels[i];
    }
    return lv;
}

void nic_policy_backend_tls(struct imp *im, const struct imp_src *src,
                            const struct ynode *at, const struct nic_level *lv,
                            const struct backend *b)
{
    const struct nic_policy *p = lv ? lv->egress : NULL;
    bool named = lv != NULL;
    const char *why, *ca;
    int added;

    if (!p && named)
        return; /* the Policy says why it is not converted */
    if (!p) {
        imp_report_src(im, src, at, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: without an egressMTLS Policy that verifies "
                       "it, NIC speaks TLS to the upstream without checking it, "
                       "and Gateway API has no unverified backend TLS (a "
                       "BackendTLSPolicy needs a CA): the route reaches the "
                       "Service in cleartext");
        return;
    }
    ca = imp_ca_config_map(im, p->src.root, p->namespace, p->secret, b->namespace,
                           "the BackendTLSPolicy's", &why);
    if (!ca) {
        imp_report_src(im, &p->src, ynode_get(p->at, "trustedCertSecret"),
                       DIAG_IMPORT_NOT_CONVERTED, "not converted: %s", why);
        return;
    }
    added = imp_backend_tls_add(im, src->root, b->namespace, b->service,
                                p->ssl_name, ca);
    if (added < 0)
        imp_report_src(im, src, at, DIAG_IMPORT_CONFLICT,
                       "Service '%s/%s' already has a BackendTLSPolicy with "
                       "another name or CA; kept, this one is not converted",
                       b->namespace, b->service);
    else if (added > 0)
        imp_report_src(im, &p->src, p->at, DIAG_IMPORT_POLICY,
                       "converted to the BackendTLSPolicy of Service '%s/%s' "
                       "(hostname %s, CA ConfigMap '%s')",
                       b->namespace, b->service, p->ssl_name, ca);
}

bool nic_policy_mtls(const struct nic_policy *p, struct imp_client_cert *cc)
{
    cc->ca_namespace = p->namespace;
    cc->ca_secret = p->secret;
    cc->mode = p->mode;
    return p->mode != NULL;
}

/* Deny lists next to allow lists: NIC uses the allow lists only. */
static void level_done(struct imp *im, struct nic_level *lv)
{
    size_t i;

    for (i = 0; lv->allow.n && i < lv->deny_at.n; i++)
        ref_report(im, lv->deny_at.v[i], DIAG_IMPORT_POLICY_SHADOWED,
                   "NIC ignores deny lists on a level with allow lists (%s); so "
                   "does the output",
                   ((const struct nic_policy *)lv->allow.v[0])->src.label);
    if (lv->allow.n)
        memset(&lv->deny_lists, 0, sizeof(lv->deny_lists));
}

void nic_policy_refs(struct imp *im, const struct imp_src *src,
                     const struct ynode *refs, const char *ns, bool spec,
                     struct nic_level *lv)
{
    size_t i;

    memset(lv, 0, sizeof(*lv));
    if (!refs)
        return;
    if (!imp_crd_seq(refs)) {
        imp_report_src(im, src, refs, DIAG_IMPORT_BAD_VALUE,
                       "policies is a list of {name, namespace}; the paths answer "
                       "500");
        lv->deny = true;
        return;
    }
    for (i = 0; i < refs->n; i++) {
        const struct ynode *at = refs->items[i];
        const char *rns = imp_crd_text(ynode_get(at, "namespace"));
        struct ref r = {src, at, SIZE_MAX, rns ? rns : ns,
                        imp_crd_text(ynode_get(at, "name"))};
        add_ref(im, &r, false, spec, lv);
    }
    level_done(im, lv);
}

/* NIC's Ingress template (nginx.ingress.tmpl) sends "max-age=N;
 * [includeSubDomains; ]preload" on HTTPS responses, always, hiding the
 * backend's header: ClientPolicy hsts, but for a preload gwc's CRD refuses
 * (the default max-age, a month, is one).  behind-proxy sends it on plain
 * HTTP too when X-Forwarded-Proto says https: not converted. */
void nic_policy_hsts_annotations(struct imp *im, const struct imp_src *src,
                                 const struct nic_ann *ann, struct nic_level *lv)
{
    struct nic_policy *p;

    if (!ann->hsts_at)
        return;
    if (ann->hsts_proxy) {
        imp_report_src(im, src, ann->hsts_proxy, DIAG_IMPORT_NOT_CONVERTED,
                       "not converted: with hsts-behind-proxy NIC sends the "
                       "header whenever X-Forwarded-Proto is https, plain HTTP "
                       "included; gwc sends it on HTTPS listeners only");
        return;
    }
    p = ARENA_NEW(im->a, struct nic_policy);
    p->src = *src;
    p->at = ann->hsts_at;
    p->kind = NP_HSTS;
    p->converted = true;
    p->hsts = ann->hsts;
    p->hsts.preload = ann->hsts.include_subdomains && ann->hsts.max_age >= 31536000;
    if (!p->hsts.preload)
        imp_report_src(im, src, ann->hsts_at, DIAG_IMPORT_APPROXIMATED,
                       "NIC always adds preload; gwc's hsts takes it with "
                       "includeSubDomains and a max-age of a year or more only "
                       "(the preload list's requirements), so it is left out "
                       "of max-age=%lld",
                       (long long)ann->hsts.max_age);
    lv->hsts = p;
}

/* "a, b, other-namespace/c" */
void nic_policy_annotation(struct imp *im, const struct imp_src *src,
                           const struct ynode *at, const char *ns,
                           struct nic_level *lv)
{
    const char *s = at->text;

    memset(lv, 0, sizeof(*lv));
    while (*s) {
        size_t len = strcspn(s, ","), lead = strspn(s, " \t"), n;
        const char *item = s + lead, *slash;
        struct ref r = {src, at, (size_t)(item - at->text), ns, NULL};

        n = len > lead ? len - lead : 0;
        while (n && (item[n - 1] == ' ' || item[n - 1] == '\t'))
            n--;
        slash = memchr(item, '/', n);
        if (n && slash) {
            r.namespace = arena_strndup(im->a, item, (size_t)(slash - item));
            r.name = arena_strndup(im->a, slash + 1, (size_t)(item + n - slash - 1));
        } else if (n) {
            r.name = arena_strndup(im->a, item, n);
        }
        if (n)
            add_ref(im, &r, true, false, lv);
        s += len + (s[len] == ',');
    }
    level_done(im, lv);
}
