/* Standard base64 (RFC 4648), as Kubernetes encodes Secret data. */
#ifndef GWC_BASE64_H
#define GWC_BASE64_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct strbuf;

/* Decodes text (whitespace allowed between groups) into the arena, NUL
 * appended.  Returns false when the text is not base64. */
bool base64_decode(struct arena *a, const char *text, char **out, size_t *len);
void base64_encode(struct strbuf *out, const void *data, size_t len);

#endif
