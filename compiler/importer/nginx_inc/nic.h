/*
 * The nginx-inc provider: F5 NGINX Ingress Controller (NIC) inputs.
 *
 *   provider.c     the passes and the provider's identity
 *   ingress.c      Ingresses of the class, mergeable master/minion, the
 *                  oldest Ingress owning a host
 *   annotations.c  every nginx.org/ and nginx.com/ annotation, decoded or
 *                  reported (access control fails closed)
 *   limit_req.c    the limit-req-* annotations as a rate limit entry
 *   paths.c        NIC's location matching as Gateway API matches
 *   servers.c      one server per host to listeners and routes
 *   delegation.c   VirtualServerRoutes a VirtualServer delegates to, and
 *                  locations two of its routes would both make
 *   policy_*.c     Policy resources (k8s.nginx.org/v1) as gwc policies
 *                  (nic_policy.h)
 *
 * Both Ingresses and VirtualServers become "servers" (one per host, as NIC
 * builds its server blocks) holding "locations" in NIC's order.
 */
#ifndef GWC_IMPORT_NGINX_INC_H
#define GWC_IMPORT_NGINX_INC_H

#include "importer/import_internal.h"

#define NIC_CONTROLLER "nginx.org/ingress-controller"

struct nic_policy;
struct nic_gwc; /* a gwc policy Policies become (policy_sets.c) */

/* The effective Policies of a location, as the gwc policies that carry
 * them (NULL: none); locations with the same Policies share them. */
struct nic_pols {
    const struct nic_gwc *access, *client, *backend;
};

/* The Ingress annotations that become gwc policy fields (settings.c);
 * a minion inherits each from its master unless it sets it. */
enum nic_setting {
    NIC_SET_BODY,    /* client-max-body-size: ClientPolicy */
    NIC_SET_CONNECT, /* proxy-*-timeout, lb-method: BackendPolicy */
    NIC_SET_SEND,
    NIC_SET_READ,
    NIC_SET_LB,
    NIC_SET_KEEPALIVE, /* keepalive: BackendPolicy keepalive.connections */
    NIC_SET_BUFFERING, /* proxy-buffering: BackendPolicy buffering.response */
    NIC_SET_N
};

/* The nginx.org/limit-req-* annotations (limit_req.c), in this order. */
enum nic_limit_req {
    NIC_LR_RATE,
    NIC_LR_KEY,
    NIC_LR_BURST,
    NIC_LR_DELAY,
    NIC_LR_NO_DELAY,
    NIC_LR_DRY_RUN,
    NIC_LR_REJECT,
    NIC_LR_ZONE_SIZE,
    NIC_LR_LOG_LEVEL,
    NIC_LR_SCALE,
    NIC_LR_N
};
/* Their names, after nginx.org/ */
extern const char *const nic_limit_req_names[NIC_LR_N];

/* Where each setting is written, and the gwc policy field it becomes. */
struct nic_setting_info {
    const char *annotation; /* after nginx.org/ */
    const char *upstream;   /* a VirtualServer upstream's field */
    const char *field;      /* of the gwc policy */
};
extern const struct nic_setting_info nic_setting_infos[NIC_SET_N];

/* The Policy references of one level: a VirtualServer's spec, a route,
 * a subroute, an Ingress (policy_refs.c). */
struct nic_level {
    struct ptrvec allow, deny_lists; /* struct nic_policy *: accessControl */
    struct ptrvec deny_at;           /* where each deny list was named */
    struct ptrvec rates;             /* struct nic_policy *: rateLimit */
    const struct nic_policy *basic;  /* the first basicAuth */
    const struct nic_policy *mtls;   /* the first ingressMTLS (spec only) */
    const struct ynode *mtls_at;     /* where it was named */
    const struct nic_policy *egress; /* its egressMTLS, when converted */
    bool egress_named;               /* it names one, converted or not */
    const struct nic_policy *hsts;   /* the first hsts (spec level only) */
    const struct nic_policy *settings[NIC_SET_N]; /* Ingress annotations */
    bool deny; /* a reference NIC answers 500 for, or not converted exactly */
};

/* One nginx location (an Ingress path, a VirtualServer route or match). */
struct nic_loc {
    struct imp_src src;
    const struct ynode *at;
    /* A VirtualServer('s Route) location: nginx's location it makes
     * ("prefix", "=exact"; NULL for a regex or an Ingress path) and the
     * route or subroute whose path it is (virtualserver.c). */
    const char *location;
    const struct ynode *route;
    struct o_match matches[2]; /* ORed */
    size_t n_matches;
    struct o_filters *filters;
    struct ptrvec backends; /* struct o_backend * */
    bool grpc;
    /* Access control that gwc cannot carry over: the location is written
     * without backends, so the Gateway answers 500, never the backend. */
    bool denied;
    const struct nic_pols *pols; /* NULL: none */
    /* A prefix rewrite took the '/pX' regex of its string prefix (still in
     * matches[1]), at twin_at; twin_taken: a longer path of the host
     * takes those requests in NIC too (paths.c).  Otherwise, with access
     * control, '/pX' answers 500 (servers.c). */
    const struct ynode *twin_at;
    bool twin_taken;
    const struct nic_level *egress; /* the level of its egressMTLS, or NULL */
    struct ptrvec upstreams; /* const struct nic_level *: the settings of
                              * each upstream it passes to (NULL: none) */
};

/* A host's server block. */
struct nic_server {
    struct imp_src owner; /* the Ingress or VirtualServer that owns it */
    const char *namespace, *host;
    const char *secret;          /* HTTPS certificate, in namespace */
    int64_t redirect_code;       /* 0: plain HTTP is served */
    bool xfp_redirect;           /* redirect-to-https */
    int64_t xfp_code;
    struct ptrvec locs;          /* struct nic_loc *, NIC order */
    const struct nic_level *spec; /* a VirtualServer's spec.policies */
    /* servers.c: its listeners, and the client certificates it asks */
    const char *sections[2];
    size_t n_sections;
    struct imp_client_cert *cc;
};

/* The decoded annotations of one Ingress (annotations.c). */
struct nic_ann {
    const char *mergeable; /* "master" | "minion" | NULL */
    const char *path_regex;     /* case_sensitive | case_insensitive | exact */
    bool ssl_redirect;          /* default true */
    bool redirect_to_https;
    int64_t redirect_code;      /* 301 */
    const struct ynode *settings[NIC_SET_N]; /* their annotations */
    const struct ynode *limit_req[NIC_LR_N];  /* likewise */
    const char **grpc, **rewrite_svc, **rewrite_to; /* service lists */
    size_t n_grpc, n_rewrites;
    struct ptrvec request_set;  /* o_header * */
    const struct ynode *policies; /* nginx.org/policies */
    const struct ynode *hsts_at;  /* nginx.org/hsts "true", or NULL */
    struct o_hsts hsts;           /* and the hsts-* annotations */
    const struct ynode *hsts_proxy; /* hsts-behind-proxy "true" */
    bool denied;                /* access control not converted */
};

struct nic {
    struct ptrvec servers; /* struct nic_server *, by namespace and host */
    struct index server_index; /* by host */
    const struct ptrvec *crds; /* struct crd *: VirtualServer(Route)s, ... */
    struct index policy_crds;  /* struct crd *: Policies, by "ns/name" */
    bool policies_indexed;
    struct index policies;     /* struct nic_policy *, by label */
    struct index gwc_index;    /* struct nic_gwc *, by owner and Policies */
    struct ptrvec gwc_list;    /* the same, in the order they were made */
    struct index counts;       /* int64_t *: gwc policies per owner, kind */
    struct index bids;         /* struct nic_bid *: each host's oldest claimant */
    struct index claimants;    /* struct nic_bid *: by "host|label" */
    struct index limit_said;   /* limit-req-* annotations reported (limit_req.c) */
};

static inline struct nic *NIC(const struct imp *im)
{
    return im->state;
}

/* The class whose Policies and VirtualServers are converted: the first
 * --ingress-class, else "nginx". */
static inline const char *nic_class(const struct imp *im)
{
    return im->o->n_ingress_classes ? im->o->ingress_classes[0] : "nginx";
}

/* annotations.c */
void nic_annotations(struct imp *im, const struct imp_src *src,
                     const struct ynode *annotations, struct nic_ann *out);

/* settings.c: the settings written at at_of[k] (an Ingress's
 * annotations, a VirtualServer upstream's fields; NULL: not set) of src
 * into lv, converted or reported. */
void nic_settings(struct imp *im, const struct imp_src *src,
                  const struct ynode *const at_of[NIC_SET_N], struct nic_level *lv);
/* The settings of ups[0..n) (NULL entries: none) where they all agree; one
 * they set differently is left out, reported at at (a route). */
const struct nic_level *nic_settings_common(struct imp *im, const struct imp_src *src,
                                            const struct ynode *at,
                                            const struct nic_level *const *ups,
                                            size_t n);

/* limit_req.c: the rate limit an Ingress's limit-req-* annotations (own,
 * and for a minion its master's, NULL: none, where it sets none) give
 * its paths, as an entry of lv->rates; reported at the annotations. */
void nic_limit_req(struct imp *im, const struct imp_src *src, const struct nic_ann *own,
                   const struct imp_src *master_src, const struct nic_ann *master,
                   struct nic_level *lv);

/* ingress.c */
void nic_ingresses(struct imp *im);

/* virtualserver.c */
/* Before the Ingresses: each VirtualServer's bid for its host. */
void nic_virtual_servers_bid(struct imp *im);
void nic_virtual_servers(struct imp *im);

/* virtualserver_action.c: one VirtualServer or VirtualServerRoute being
 * converted, for its routes (virtualserver.c). */
struct vs_ctx {
    const struct crd *o;   /* the VirtualServer or VirtualServerRoute */
    struct imp_src src;
    const struct ynode *upstreams;
    const struct nic_level **settings; /* each upstream's (NULL: none) */
    bool *refused; /* each upstream's: a boolean of another type (reported) */
    /* Policy levels above this object's routes: the VirtualServer's spec,
     * then (for a VirtualServerRoute) the route that delegates to it. */
    const struct nic_level *levels[2];
    const struct crd *owner; /* the VirtualServer */
    /* A VirtualServer's: the normalized paths of its routes, by the
     * "ns/name" of the VirtualServerRoute each refers to (ptrvec *). */
    struct index refs;
};
const char *nic_vs_text(const struct ynode *n);
const struct ynode *nic_vs_seq(const struct ynode *n);
void nic_vs_not_converted(struct imp *im, const struct vs_ctx *v,
                          const struct ynode *at, const char *why);
/* A boolean field: false (reported at n) when it holds another type. */
bool nic_vs_bool(struct imp *im, const struct vs_ctx *v, const struct ynode *n,
                 bool *out);
/* Fields gwc converts, per object; any other is reported. */
void nic_vs_other_fields(struct imp *im, const struct vs_ctx *v,
                         const struct ynode *map, const char *const *known);
/* Every upstream's fields, reported once whatever uses it, and its
 * settings (settings.c). */
void nic_vs_upstream_fields_check(struct imp *im, struct vs_ctx *v);
/* Route action a (pass, proxy, redirect) and splits s as l's backends and
 * filters; false (reported) when not converted. */
bool nic_vs_action(struct imp *im, const struct vs_ctx *v, const struct ynode *a,
                   struct nic_loc *l);
bool nic_vs_splits(struct imp *im, const struct vs_ctx *v, const struct ynode *s,
                   struct nic_loc *l);

/* paths.c: NIC's Ingress path (Exact, or a string prefix) as matches. */
void nic_path_matches(struct imp *im, struct nic_loc *l, const char *path,
                      bool exact, const char *path_regex);
/* An nginx regex location (~, ~*) as a RegularExpression match. */
void nic_regex_path(struct imp *im, struct nic_loc *l, const char *re,
                    bool nocase);
/* After every location is known: string prefixes that a longer path of the
 * server would lose to a regex keep PathPrefix only (reported). */
void nic_prefix_siblings(struct imp *im, struct nic_server *s);

/* policy_refs.c */
/* A level from refs (a list of {name, namespace}; NULL: none) of an
 * object of namespace ns (spec: a VirtualServer's spec, where NIC takes
 * ingressMTLS), or from the nginx.org/policies annotation at. */
void nic_policy_refs(struct imp *im, const struct imp_src *src,
                     const struct ynode *refs, const char *ns, bool spec,
                     struct nic_level *lv);
/* ingressMTLS: the CA Secret (in the Policy's namespace) and mode of p;
 * false for verifyClient off, which asks for nothing. */
bool nic_policy_mtls(const struct nic_policy *p, struct imp_client_cert *cc);
/* egressMTLS: the most specific of levels[0..n) (NULL entries skipped)
 * that names one; backend_tls() writes the BackendTLSPolicy of b, a TLS
 * upstream (at: its tls) of a location of src whose egressMTLS is lv's
 * (NULL: none), or reports why not. */
const struct nic_level *nic_policy_egress(const struct nic_level *const *levels,
                                          size_t n);
void nic_policy_backend_tls(struct imp *im, const struct imp_src *src,
                            const struct ynode *at, const struct nic_level *lv,
                            const struct backend *b);
/* The nginx.org/hsts annotations of an Ingress (src) into its level. */
void nic_policy_hsts_annotations(struct imp *im, const struct imp_src *src,
                                 const struct nic_ann *ann, struct nic_level *lv);
void nic_policy_annotation(struct imp *im, const struct imp_src *src,
                           const struct ynode *at, const char *ns,
                           struct nic_level *lv);
/* policy_sets.c: the Policies levels[0..n) (from the widest; NULL entries skipped) give
 * a location of owner_name (a VirtualServer or Ingress, its routes in ns):
 * NULL for none, or with *deny set when the location must answer 500. */
const struct nic_pols *nic_policy_effective(struct imp *im, const struct imp_src *owner,
                                            const char *owner_name, const char *ns,
                                            const struct nic_level *const *levels,
                                            size_t n, bool *deny);
/* policy_write.c: after the routes from im->routes[first_route] on are
 * written: targets, then the gwc policies. */
void nic_policies_write(struct imp *im, size_t first_route);

/* servers.c */
/* NIC gives a host to the oldest Ingress or VirtualServer naming it
 * (creationTimestamp, then the greater uid), whichever kind is converted
 * first: every claimant bids, with its metadata (owner->root's), before
 * any claims.  Where the input lacks them gwc decides anyway (a missing
 * timestamp is the newest, then namespace/name, "ns/name" nsname) and
 * nic_host_lost() reports the assumption at at of a loser. */
void nic_host_bid(struct imp *im, const char *host, const struct imp_src *owner,
                  const char *nsname);
void nic_host_lost(struct imp *im, const char *host, const struct imp_src *owner,
                   const struct ynode *at);
/* The label of host's oldest claimant, or NULL when none bid. */
const char *nic_host_winner(const struct imp *im, const char *host);
/* The server of host, for owner; NULL when the host is another's (its
 * oldest claimant's, else the first to claim it). */
struct nic_server *nic_server_claim(struct imp *im, const struct imp_src *owner,
                                    const char *ns, const char *host);
void nic_servers_write(struct imp *im);


/* ---- delegation.c: VirtualServerRoutes and repeated locations ---- */

/* NIC's NormalizePath: the modifier, then the path without the blanks
 * between them. */
const char *nic_path_norm(struct imp *im, const char *p);
/* The kind of a (normalized) route path: 'r'egex, 'e'xact, 'l'ongest
 * prefix (^~) or 'p'refix. */
char nic_path_kind(const char *p);
/* The nginx location a route's path makes, as nginx compares them for
 * "duplicate location": '^~' and plain prefixes alike, exact apart; NULL
 * for a regex (nginx takes the same one twice; the first wins). */
const char *nic_path_location(struct imp *im, const char *path);
/* Whether subroute path sub belongs under route path vs (both as
 * written): the same string under an exact or regex route, blanks
 * counting, else a string prefix once normalized. */
bool nic_path_delegated(struct imp *im, const char *vs, const char *sub);
/* "ns/name" of the VirtualServerRoute that route r of a VirtualServer of
 * namespace ns refers to, or NULL; the VirtualServerRoute itself, or NULL. */
const char *nic_vsr_key(struct imp *im, const char *ns, const struct ynode *r);
const struct crd *nic_vsr_find(struct imp *im, const char *key);
/* refs: the paths (as written) of a VirtualServer's routes (of namespace
 * ns) by the key of the VirtualServerRoute each refers to. */
void nic_vsr_refs(struct imp *im, struct index *refs, const char *ns,
                  const struct ynode *routes);
/* NULL when NIC accepts VirtualServerRoute o under the routes refs names
 * for it (validateVirtualServerRouteSubroutes); else why not, *at where. */
const char *nic_vsr_refused(struct imp *im, const struct index *refs,
                            const struct crd *o, const struct ynode **at);
/* The locations of s from first on: a path that two routes or subroutes
 * make into one nginx location answers 500 (reported). */
void nic_duplicate_locations(struct imp *im, struct nic_server *s, size_t first);

#endif
