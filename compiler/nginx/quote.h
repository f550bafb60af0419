/*
 * How a string becomes an nginx.conf token: the only code in gwc that turns
 * data into config text.  Every token it writes reads back, through nginx's
 * tokenizer and script engine, as exactly the string given:
 *
 *   - tokens are always double-quoted, with '"' and '\' escaped, so spaces,
 *     ';', '{', '}' and '#' are inert;
 *   - in contexts where nginx expands variables (QUOTE_VALUE), a literal '$'
 *     is written as ${gw_dollar}, a variable whose value is "$" (a geo
 *     block in the generated http{} and stream{} sections), so "$host" in
 *     a header value reaches the backend as the five characters "$host";
 *   - control characters other than TAB are refused everywhere, as are
 *     words of more than 4,094 bytes with their quotes (nginx reads a word
 *     only if it fits its 4,096-byte read buffer together with the closing
 *     quote and the character after it, wherever the buffer cuts the
 *     file).  NUL never gets here: the loader refuses it even when a YAML
 *     escape spells it.
 *
 * What each kind of field can carry, and why TAB passes:
 *   header values   HTTP field values allow TAB between visible characters
 *                   (the Gateway API's own pattern says so); CR or LF would
 *                   end the header, the other controls are not field text.
 *   paths           a request path never holds a control character (nginx
 *                   answers 400), so a TAB in a match never matches; in a
 *                   rewrite target nginx escapes it (%09) toward the
 *                   backend; in a redirect's Location it is field text.
 *   patterns        TAB is a literal TAB (ignored in (?x) mode).
 *   names, hostnames, header names: the CRD patterns allow no control
 *                   character at all, checked before anything is planned.
 *
 * Policy per context:
 *   QUOTE_LITERAL  location prefixes, server names, file names: nginx
 *                  never expands these (map keys: nginx_quote_map_key()).
 *   QUOTE_VALUE    directive values that nginx expands (proxy_set_header,
 *                  add_header, return, rewrite replacements, map values,
 *                  set, proxy_pass): '$' is neutralised.
 *   QUOTE_REGEX    a PCRE pattern (location ~, map ~key): '$' is the anchor.
 * Callers that need variables write them with nginx_quote_variable(); they never
 * splice user text into a variable name.
 */
#ifndef GWC_QUOTE_H
#define GWC_QUOTE_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

enum quote_ctx { QUOTE_LITERAL, QUOTE_VALUE, QUOTE_REGEX };

/* The longest double-quoted word nginx 1.22 reads, quotes included: its
 * tokenizer keeps a word and the character after it in a 4,096-byte buffer,
 * from just after the opening quote (ngx_conf_read_token).  Measured: 4,094
 * escaped bytes between the quotes load wherever the buffer cuts the file,
 * 4,095 never do. */
#define NGINX_MAX_WORD 4096
#define QUOTE_DOLLAR_VARIABLE "gw_dollar"

/* NULL when s can be written in that context, else why not. */
const char *nginx_quote_problem(const char *s, enum quote_ctx ctx);
/* The same for s written after `taken` bytes of its word (a variable). */
const char *nginx_quote_problem_after(size_t taken, const char *s,
                                      enum quote_ctx ctx);
/* Appends s as one double-quoted token; s must pass nginx_quote_problem(). */
void nginx_quote_token(struct strbuf *out, const char *s, enum quote_ctx ctx);
/* Appends the body of a token (no surrounding quotes) so callers can build
 * one token from several parts, e.g. "$http_x,value". */
void nginx_quote_part(struct strbuf *out, const char *s, enum quote_ctx ctx);
/* Appends an exact (or hostnames) map key as one token that map reads as
 * exactly s, even "default", "include" or "~x". */
void nginx_quote_map_key(struct strbuf *out, const char *s);
/* Appends a variable reference ${name}; name must be [A-Za-z0-9_]. */
void nginx_quote_variable(struct strbuf *out, const char *name);
/* Appends s escaped for PCRE so that it matches itself literally. */
void nginx_quote_regex_literal(struct strbuf *out, const char *s);

#endif
