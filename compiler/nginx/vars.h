/* The nginx variables that carry request data gwc matches or forwards. */
#ifndef GWC_NGINX_VARS_H
#define GWC_NGINX_VARS_H

#include <stdbool.h>

struct arena;

/* The variable holding a request header: "http_" and the name lowercased
 * with '-' as '_'.  NULL when nginx drops such a header from requests
 * (ignore_invalid_headers passes only letters, digits and '-'), so that
 * nothing can ever match it. */
const char *nginx_header_variable(struct arena *a, const char *name);

/* Content-Length or Transfer-Encoding: nginx frames a proxied request or
 * response with these itself, and a user's copy written next to nginx's own
 * (proxy_set_header, add_header) makes the message mean two things to the
 * next hop. */
bool nginx_header_frames_message(const char *name);

/* A request header "add" is written after a variable holding the header's
 * value and a comma, named from the header (plan/maps.c): gw_a and 16 hex
 * digits, ${...} in the word. */
#define VARS_HEADER_ADD_PREFIX "gw_a"
#define VARS_HEADER_ADD_REF_LEN (sizeof("${" VARS_HEADER_ADD_PREFIX "}") - 1 + 16)

#endif
