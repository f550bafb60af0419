/*
 * How nginx sees a request path: location matching runs on the URI after
 * percent-decoding, so everything that predicts which location a path
 * reaches (the planner, the reserved-prefix check) decodes the same way.
 */
#ifndef GWC_URI_H
#define GWC_URI_H

#include <stdbool.h>

struct arena;

/* s with every valid %XX escape decoded; s itself when it has none. */
const char *nginx_uri_decoded(struct arena *a, const char *s);

/* Whether path (a path match of any type, a regex included) holds "%0",
 * "%1" or "%7F" (either case): an encoded control character, which nginx
 * cannot match, so compile drops the rule and the importers refuse it. */
bool nginx_uri_encodes_control(const char *path);

#endif
