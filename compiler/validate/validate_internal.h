/* Shared between the files of the validate stage only. */
#ifndef GWC_VALIDATE_INTERNAL_H
#define GWC_VALIDATE_INTERNAL_H

#include "validate.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * The API server's part (schema*.c): every CRD size limit, string pattern,
 * enum and CEL rule, checked on the defaulted model.  Each violation is a
 * DCLASS_MANIFEST diagnostic at the exact field, and the object is marked
 * rejected (o->rejected) so the controller never sees it.
 */
void schema_check(struct compilation *c, struct model *m);

/*
 * Compiles a regular expression with PCRE2 as nginx 1.22 does (no UTF
 * mode; PCRE2_CASELESS for ~*).  On failure fills err and the byte offset
 * PCRE2 reports, and returns false.
 */
bool regex_check(const char *pattern, bool caseless, char *err, size_t errlen,
                 size_t *offset);

/* The controller's part (controller.c and friends). */
void controller_build(struct compilation *c, struct model *m,
                      const struct validate_options *o, struct controller *out);

#endif
