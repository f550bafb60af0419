/* The nginx variables that carry request data gwc matches or forwards. */
#ifndef GWC_NGINX_VARS_H
#define GWC_NGINX_VARS_H

struct arena;

/* The variable holding a request header: "http_" and the name lowercased
 * with '-' as '_'.  NULL when nginx drops such a header from requests
 * (ignore_invalid_headers passes only letters, digits and '-'), so that
 * nothing can ever match it. */
const char *header_variable(struct arena *a, const char *name);

#endif
