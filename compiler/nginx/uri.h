/*
 * How nginx sees a request path: location matching runs on the URI after
 * percent-decoding, so everything that predicts which location a path
 * reaches (the planner, the reserved-prefix check) decodes the same way.
 */
#ifndef GWC_URI_H
#define GWC_URI_H

struct arena;

/* s with every valid %XX escape decoded; s itself when it has none. */
const char *nginx_uri_decoded(struct arena *a, const char *s);

#endif
