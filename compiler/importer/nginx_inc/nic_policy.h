/*
 * NIC Policy resources (k8s.nginx.org/v1 Policy; reference:
 * docs.nginx.com/nginx-ingress-controller/configuration/policy-resource/)
 * as gwc policies (docs/policies.md), for the locations that refer to them:
 *
 *   accessControl  AccessPolicy clientAddresses: an allow list denies every
 *                  other address, a deny list allows them (403 either way)
 *   basicAuth      AccessPolicy basicAuth from the Secret's key htpasswd
 *   rateLimit      ClientPolicy requestLimits, when the key is the client
 *                  address (the only key gwc counts by)
 *   egressMTLS     a BackendTLSPolicy on the Services of the TLS upstreams
 *                  of the locations it applies to, when it verifies them
 *                  (verifyServer, trustedCertSecret, sslName) and has no
 *                  client certificate (Gateway API's is per Gateway)
 *   ingressMTLS    the Gateway's frontend validation of the host's port
 *                  (servers.c, importer/client_certs.c), from a
 *                  VirtualServer's spec only, as NIC takes it
 *   hsts           ClientPolicy hsts, on a VirtualServer's spec.policies
 *                  (NIC refuses it on routes: 500)
 *
 * An Ingress's client-max-body-size, proxy-connect/send/read-timeout and
 * lb-method annotations, and a VirtualServer upstream's fields of the same
 * meaning (settings.c), join them as one more level entry each:
 * ClientPolicy requestBody, BackendPolicy timeouts and loadBalancing.
 *
 * References come in levels: a VirtualServer's spec.policies, a route's,
 * a VirtualServerRoute subroute's; an Ingress's nginx.org/policies, then a
 * minion's.  Within a level NIC merges allow lists (deny lists only when no
 * Policy allows), takes every rate limit (rejectCode and dryRun of the
 * first) and the first basicAuth; a more specific level replaces a type
 * wholly.  gwc computes that effective set per location and writes one
 * AccessPolicy, one ClientPolicy and one BackendPolicy per set, named
 * after the VirtualServer or Ingress, targeting exactly the rules of the
 * locations with that set.
 *
 * NIC answers 500 where a referenced Policy is missing or invalid; so does
 * the output (GW0833, GW0834).  Access control gwc cannot express exactly
 * (jwt, oidc, apiKey, externalAuth, waf, an ingressMTLS with optional
 * verification or a CRL, or a list gwc refuses) fails closed the same way
 * (GW0831).
 *
 * In the order the conversion runs: policy_decode.c decodes a Policy
 * object, policy_refs.c the references of one level, policy_sets.c makes
 * the effective Policies of a location gwc policies, policy_write.c gives
 * them their targets and writes them.
 */
#ifndef GWC_IMPORT_NGINX_INC_POLICY_H
#define GWC_IMPORT_NGINX_INC_POLICY_H

#include "nic.h"

#define MAX_CIDRS 256 /* gwc's clientAddresses lists */

enum np_kind { NP_ACCESS, NP_RATE, NP_BASIC, NP_MTLS, NP_EGRESS, NP_HSTS, NP_DENY,
               NP_OTHER, NP_SETTING };

/* One Policy object, decoded once however often it is referenced. */
struct nic_policy {
    struct imp_src src;
    const char *namespace;
    const struct ynode *at; /* its type's field */
    enum np_kind kind;
    bool deny;      /* the locations referring to it answer 500 */
    bool converted; /* adds to a gwc policy */
    /* accessControl */
    bool allow;
    const char **cidrs;
    size_t n_cidrs;
    /* rateLimit */
    struct o_rate rate;
    int64_t reject;
    bool dry_run;
    const char *counted_by; /* the first set it counts in */
    /* basicAuth; ingressMTLS (secret: clientCertSecret) */
    const char *secret, *realm;
    const char *mode; /* ingressMTLS: NULL for verifyClient off */
    const char *ssl_name; /* egressMTLS (secret: trustedCertSecret) */
    /* hsts */
    struct o_hsts hsts;
    /* an Ingress's setting annotation (settings.c) */
    enum nic_setting setting;
    const char *value;                 /* a size or a duration */
    int64_t number;                    /* keepalive */
    bool flag;                         /* proxy-buffering */
    const struct o_load_balancing *lb; /* lb-method */
};

/* One gwc policy: what some Policies of one owner become, for the
 * locations whose effective Policies they are. */
struct nic_gwc {
    const char *owner;     /* the VirtualServer's or Ingress's name */
    struct o_gwc_policy p;
    struct ptrvec from;    /* struct nic_policy *, for the report */
    struct ptrvec targets; /* struct o_target * */
};

/* policy_decode.c: the Policy o, decoded and reported. */
struct nic_policy *nic_policy_decode(struct imp *im, const struct crd *o);
/* A rate as NIC writes it, "10r/s" or "600r/m", of 1 to 1000000 requests
 * (gwc's range), into r's requests and per. */
bool nic_parse_rate(const char *s, struct o_rate *r);
/* What a rate limit's scale and partial delay become (GW0836), for the
 * Policy field and the annotation alike; the delay's with its number. */
#define NIC_RATE_SCALE_WHY                                                       \
    "approximated: NIC divides the rate among its pods, so that all together " \
    "allow it; gwc's limit is per nginx instance and is written whole: the "   \
    "same with one instance, more with several"
#define NIC_RATE_DELAY_FMT                                                        \
    "approximated: NIC serves the first %lld requests of the burst at once and " \
    "delays the rest; gwc delays the whole burst (noDelay: false), so the same " \
    "requests are refused, some later served"

#endif
