/*
 * The importer: the Ingress objects (and the CRDs) of another controller,
 * with their IngressClass, Service, Secret and ConfigMap context,
 * converted to Gateway API objects (Gateway, ListenerSet, HTTPRoute,
 * GRPCRoute, TLSRoute, TCPRoute, UDPRoute, BackendTLSPolicy, ConfigMap,
 * ReferenceGrant) as YAML.  One provider per source controller; the
 * inputs name it when --provider does not.  Every output object names
 * the input objects it came from (IMP_SOURCE_ANNOTATION, and a comment
 * with their files and lines).
 *
 * The importer reads the model only; it never prints.  Everything that is
 * converted approximately or not at all is a diagnostic in the
 * compilation's sink, at the annotation or field it concerns.
 */
#ifndef GWC_IMPORTER_H
#define GWC_IMPORTER_H

#include "base/ptrvec.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct compilation;
struct doc;
struct model;
struct outdir_file;
struct strbuf;
struct ydoc_list;
struct imp_summary;

/* The annotation naming the input objects an output object came from. */
#define IMP_SOURCE_ANNOTATION "gwc.dev/source"
/* Where -o DIR puts cluster-scoped objects (no namespace has a '_'). */
#define IMP_CLUSTER_DIR "_cluster"

struct import_options {
    /* The controller that served the inputs: "ingress-nginx", ...; NULL:
     * the one the inputs name (an error when they name several). */
    const char *provider;
    /* spec.gatewayClassName of the generated Gateways (NULL: "nginx"). */
    const char *gateway_class_name;
    /* metadata.name of the generated Gateways (NULL: the ingress class);
     * made unique when several classes are converted. */
    const char *gateway_name;
    /* --gateway NAMESPACE/NAME: the one Gateway every route attaches to
     * (the input's, amended, or a new one); NULL: one per ingress class. */
    const char *shared_gateway;
    /* Namespace of the per-class Gateways (NULL: the provider's usual
     * install namespace, such as ingress-nginx). */
    const char *gateway_namespace;
    /* The ingress classes to convert; none: the provider's default class
     * and every IngressClass whose controller is the provider's. */
    const char *const *ingress_classes;
    size_t n_ingress_classes;
    /* Namespace of objects that have none (NULL: "default"). */
    const char *default_namespace;
    /* Access control that cannot be converted exactly: serve its paths
     * without it (reported) instead of answering 403. */
    bool allow_insecure;
    /* Traefik entry points besides web (80) and websecure (443), each
     * "NAME=PORT" or "NAME=PORT/udp" (import_entry_point reads them). */
    const char *const *entry_points;
    size_t n_entry_points;
    /* Carry the other objects of the inputs (Services, Secrets, ...) into
     * the output unchanged. */
    bool include_inputs;
    /* --controller-config NAMESPACE/NAME: the ingress-nginx controller's
     * ConfigMap (NULL: ingress-nginx/ingress-nginx-controller when the
     * inputs hold it). */
    const char *controller_config;
};

/* The port of entry point name among o's, and whether it is UDP; false
 * when o has none of that name. */
bool imp_entry_point(const struct import_options *o, const char *name,
                            int64_t *port, bool *udp);

/* Fills out (NULL-terminated, at most max entries with the NULL) with the
 * API groups of every provider's custom resources; false if max is too
 * small. */
bool imp_crd_groups(const char **out, size_t max);

/* NULL when the options are usable, else what is wrong with them. */
const char *imp_options_problem(const struct import_options *o);

/* One object of the output: a comment line naming the files and lines of
 * the input objects it came from, then its YAML document (no "---"). */
struct import_object {
    const char *kind;
    const char *namespace; /* NULL: cluster-scoped */
    const char *text;
    size_t len;
};

struct import_output {
    struct ptrvec objects; /* struct import_object *, in output order */
    struct imp_summary *summary; /* NULL: nothing was converted */
};

/*
 * Converts the Ingresses of m (and the CRDs among docs, the documents m
 * was built from; Ingresses whose name or namespace the API server would
 * refuse are marked rejected and reported) and appends the objects (sorted by kind, then namespace
 * and name) to out.  Deterministic: the same objects give the same bytes
 * whatever their input order.
 */
void imp_ingress(struct compilation *c, struct model *m,
                 const struct ydoc_list *docs, const struct import_options *o,
                 struct import_output *out);

/* summary.c: the summary of the import, from the final report (c's
 * diagnostics, silenced ones left out): short text for standard error,
 * and the JSON of --summary (docs/import-summary.md). */
void imp_summary_text(const struct compilation *c, struct imp_summary *s,
                      struct strbuf *sb);
void imp_summary_json(const struct compilation *c, struct imp_summary *s,
                      struct strbuf *sb);

/* output.c: d rendered as an object of out. */
void imp_output_add(struct arena *a, struct import_output *out, const char *kind,
                    const char *ns, const char *comment, struct doc *d);
/* The objects as one YAML stream. */
void imp_output_stream(const struct import_output *out, struct strbuf *sb);
/* The objects as files "NAMESPACE/<kinds>.yaml" ("httproutes.yaml";
 * cluster-scoped ones under IMP_CLUSTER_DIR), sorted by path, each
 * holding its objects in output order.  Returns how many. */
size_t imp_output_files(struct arena *a, const struct import_output *out,
                        struct outdir_file **files);

#endif
