/*
 * XML 1.0 text for the JUnit reports (diag_junit.c, `gwc test --format
 * junit`): markup escaped; what XML cannot carry (control characters, bytes
 * that are not UTF-8) shown as \xNN.  In attribute values, line breaks and
 * tabs are kept as character references, which a parser would otherwise
 * turn into spaces.
 */
#ifndef GWC_XML_H
#define GWC_XML_H

#include <stdbool.h>

struct strbuf;

void xml_escape(struct strbuf *out, const char *s, bool attribute);
/* ` name="value"`, the value escaped. */
void xml_attr(struct strbuf *out, const char *name, const char *value);

#endif
