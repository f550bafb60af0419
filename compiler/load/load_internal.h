/* Shared between the files of the load stage only. */
#ifndef GWC_LOAD_INTERNAL_H
#define GWC_LOAD_INTERNAL_H

#include "load.h"

bool load_prescan(struct compilation *c, uint32_t file, const char *data,
                  size_t len);
enum yscalar load_resolve_plain(const char *s, size_t n);
/* Appends the file's documents to out; a document whose root is not a
 * mapping is appended too, for load.c to judge. */
bool load_parse(struct compilation *c, const struct load_limits *lim,
                uint32_t file, struct ydoc_list *out);
/* Whether the text is a Helm template: "{{" outside every string; *offset
 * receives the first one's (template.c). */
bool load_find_template(const char *data, size_t len, size_t *offset);

#endif
