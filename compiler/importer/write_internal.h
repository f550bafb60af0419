/*
 * The writer of the output objects: write_object.c (an object, the queue,
 * shared document helpers), used by the writers of each kind
 * (write_gateway.c, write_route.c, write_policy.c), which write.c calls in
 * the output's order.
 */
#ifndef GWC_IMPORTER_WRITE_INTERNAL_H
#define GWC_IMPORTER_WRITE_INTERNAL_H

#include "import_internal.h"

struct doc;

#define GW_V1 GATEWAY_GROUP "/v1"

/* An object of the output, rendered when it is complete (imp_write_output)
 * as the comment naming its origins, then its YAML. */
struct pending {
    struct doc *d;
    const char *kind, *namespace, *comment;
};

struct writer {
    struct imp *im;
    struct arena *a;
    struct ptrvec pending; /* struct pending * */
    const char *route_ns; /* the namespace of the route being written */
};

/* Queues d, an object of the output, with the annotation naming its
 * origins. */
void imp_write_pending_add(struct writer *w, struct doc *d, const char *kind,
                           const char *ns, const char *name,
                           const struct ptrvec *origins);
/* A new object of the output, queued with its origins; annotations:
 * struct o_header *, or NULL for none. */
struct doc *imp_write_object_annotated(struct writer *w, const char *api_version,
                                       const char *kind, const char *ns,
                                       const char *name,
                                       const struct ptrvec *annotations,
                                       const struct ptrvec *origins);
struct doc *imp_write_object(struct writer *w, const char *api_version,
                             const char *kind, const char *ns, const char *name,
                             const struct ptrvec *origins);
/* map[key] = value, when value is not NULL. */
void imp_write_put_opt(struct writer *w, struct doc *map, const char *key,
                       const char *value);
struct doc *imp_write_strings(struct writer *w, const char *const *v, size_t n);
/* The value of key in map d, replaced by (or added as) v. */
void imp_write_put_replace(struct writer *w, struct doc *d, const char *key,
                           struct doc *v);
/* The value of key in map d, added as make() when absent. */
struct doc *imp_write_map_at(struct writer *w, struct doc *d, const char *key,
                             struct doc *(*make)(struct arena *));

/* One object of each kind, queued in w. */
void imp_write_gateway(struct writer *w, const struct o_gateway *g);
void imp_write_listener_set(struct writer *w, const struct o_gateway *set);
void imp_write_route(struct writer *w, const struct o_route *r);
void imp_write_policy(struct writer *w, const struct o_policy *p);
void imp_write_gwc_policy(struct writer *w, const struct o_gwc_policy *p);
void imp_write_grant(struct writer *w, const struct o_grant *g);
void imp_write_config_map(struct writer *w, const struct o_config_map *cm);

#endif
