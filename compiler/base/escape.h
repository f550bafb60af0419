/*
 * How text that gwc did not write is shown to people: the one rendering of
 * user text (manifest values, keys, file names, command-line arguments)
 * inside messages, whatever the output format.
 *
 * escape_text() keeps every printable character as itself and writes
 * everything that could split a line, drive a terminal, reorder or hide
 * text, or that is not text at all, as an escape of YAML's double-quoted
 * style (the syntax manifests are written in):
 *
 *   \  -> \\              LF, CR, TAB -> \n \r \t      NUL -> \0
 *   other C0 controls and DEL, and bytes that are not UTF-8 -> \xNN
 *   C1 controls, bidi controls, zero-width and other default-ignorable
 *   code points, line and paragraph separators, spaces other than U+0020,
 *   private-use code points and noncharacters -> \uNNNN or \UNNNNNNNN
 *   "##" -> "#\x23"  (CI runners read "##[...]" and "##vso[...]" anywhere
 *                     in a log line as a command)
 *
 * The result is one line of valid UTF-8 that reads unambiguously: every
 * backslash in it starts an escape.
 */
#ifndef GWC_ESCAPE_H
#define GWC_ESCAPE_H

#include <stddef.h>

struct arena;
struct strbuf;

void escape_text(struct strbuf *out, const char *s, size_t n);
/* escape_text() into a NUL-terminated arena string. */
const char *escape_text_dup(struct arena *a, const char *s, size_t n);
/* A file path as a URI reference (RFC 3986): bytes other than unreserved
 * characters and '/' are percent-encoded. */
void escape_uri_path(struct strbuf *out, const char *s, size_t n);

#endif
