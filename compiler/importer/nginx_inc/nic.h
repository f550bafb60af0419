/*
 * The nginx-inc provider: F5 NGINX Ingress Controller (NIC) inputs.
 *
 *   provider.c     the passes and the provider's identity
 *   ingress.c      Ingresses of the class, mergeable master/minion, the
 *                  oldest Ingress owning a host
 *   annotations.c  every nginx.org/ and nginx.com/ annotation, decoded or
 *                  reported (access control fails closed)
 *   paths.c        NIC's location matching as Gateway API matches
 *   servers.c      one server per host to listeners and routes
 *
 * Both Ingresses and VirtualServers become "servers" (one per host, as NIC
 * builds its server blocks) holding "locations" in NIC's order.
 */
#ifndef GWC_IMPORT_NGINX_INC_H
#define GWC_IMPORT_NGINX_INC_H

#include "importer/import_internal.h"

#define NIC_CONTROLLER "nginx.org/ingress-controller"

/* One nginx location (an Ingress path, a VirtualServer route or match). */
struct nic_loc {
    struct imp_src src;
    const struct ynode *at;
    struct o_match matches[2]; /* ORed */
    size_t n_matches;
    struct o_filters *filters;
    struct ptrvec backends; /* struct o_backend * */
    bool grpc;
    /* Access control that gwc cannot carry over: the location is written
     * without backends, so the Gateway answers 500, never the backend. */
    bool denied;
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
};

/* The decoded annotations of one Ingress (annotations.c). */
struct nic_ann {
    const char *mergeable; /* "master" | "minion" | NULL */
    const char *path_regex;     /* case_sensitive | case_insensitive | exact */
    bool ssl_redirect;          /* default true */
    bool redirect_to_https;
    int64_t redirect_code;      /* 301 */
    const char *read_timeout;   /* proxy-read-timeout as a duration */
    const char **grpc, **rewrite_svc, **rewrite_to; /* service lists */
    size_t n_grpc, n_rewrites;
    struct ptrvec request_set;  /* o_header * */
    bool denied;                /* access control not converted */
};

struct nic {
    struct ptrvec servers; /* struct nic_server *, by namespace and host */
    struct index server_index; /* by host */
    const struct ptrvec *crds; /* struct crd *: VirtualServer(Route)s, ... */
};

static inline struct nic *NIC(const struct imp *im)
{
    return im->state;
}

/* annotations.c */
void nic_annotations(struct imp *im, const struct imp_src *src,
                     const struct ynode *annotations, struct nic_ann *out);

/* ingress.c */
void nic_ingresses(struct imp *im);

/* virtualserver.c */
void nic_virtual_servers(struct imp *im);

/* paths.c: NIC's Ingress path (Exact, or a string prefix) as matches. */
void nic_path_matches(struct imp *im, struct nic_loc *l, const char *path,
                      bool exact, const char *path_regex);
/* An nginx regex location (~, ~*) as a RegularExpression match. */
void nic_regex_path(struct imp *im, struct nic_loc *l, const char *re,
                    bool nocase);
/* After every location is known: string prefixes that a longer path of the
 * server would lose to a regex keep PathPrefix only (reported). */
void nic_prefix_siblings(struct imp *im, struct nic_server *s);

/* servers.c */
/* Is host ("" for none) a name a Gateway API hostname can hold?  If not,
 * says so at 'at' (the host field). */
bool nic_host_ok(struct imp *im, const struct imp_src *src, const struct ynode *at,
                 const char *host);
struct nic_server *nic_server_claim(struct imp *im, const struct imp_src *owner,
                                    const char *ns, const char *host);
void nic_servers_write(struct imp *im);


#endif
