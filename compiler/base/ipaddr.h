/*
 * IP address syntax as the Kubernetes API server checks it (CEL's isIP(),
 * Go's netip.ParseAddr): the one test for "is this an address" in gwc.
 */
#ifndef GWC_IPADDR_H
#define GWC_IPADDR_H

#include <stdbool.h>

/* Four decimal octets, no leading zeros. */
bool ipaddr_is_v4(const char *s);
/* Hex groups with at most one "::" and an optional dotted IPv4 tail; no
 * zone. */
bool ipaddr_is_v6(const char *s);
bool ipaddr_is_ip(const char *s);

#endif
