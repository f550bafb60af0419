/*
 * The schema stage: what the API server would refuse to store.  It runs
 * on the defaulted model, before the controller (controller/), and knows
 * nothing of Gateways' attachment or nginx.
 */
#ifndef GWC_SCHEMA_H
#define GWC_SCHEMA_H

#include "model/model.h"

#include <stdbool.h>

struct compilation;

/*
 * The API server's checks: every CRD size limit, string pattern,
 * enum and CEL rule, checked on the defaulted model.  Each violation is a
 * DCLASS_MANIFEST diagnostic at the exact field, and the object is marked
 * rejected (o->rejected) so the controller never sees it.
 */
void schema_check(struct compilation *c, struct model *m);
/* The same checks of one object, which depend on no other (the model's
 * check while it is decoded, model_options.check); schema_check() skips
 * an object so checked (o->checked). */
void schema_check_object(struct compilation *c, struct object *o);

/* Can s name a Service (a DNS-1035 label: lowercase letters,
 * digits and '-', starting with a letter, at most 63 characters)? */
bool schema_is_service_name(const char *s);
/* Could an object of that kind (Service, Namespace, or another kind named
 * by a DNS subdomain) have this name? */
bool schema_can_name(enum kind kind, const char *name);

/* Does v have format fmt (its length limits and pattern)?  FMT_NONE
 * accepts anything. */
bool schema_format_ok(enum field_format fmt, const char *v);
/* "DNS label", for messages; NULL for FMT_NONE. */
const char *schema_format_name(enum field_format fmt);

#endif
