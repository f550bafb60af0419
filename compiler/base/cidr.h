/*
 * IPv4 and IPv6 addresses and CIDR blocks, as the gwc.dev policies write
 * them (docs/policies.md, "Value formats"): an address alone is a /32 or
 * /128; no zone, no IPv4-mapped IPv6, no bits after the prefix length.
 */
#ifndef GWC_CIDR_H
#define GWC_CIDR_H

#include <stdbool.h>
#include <stdint.h>

struct cidr {
    bool v6;
    uint8_t addr[16]; /* IPv4 in the first 4 bytes */
    unsigned bits;    /* prefix length */
};

/* Parses s; on failure returns false and sets *why to a phrase for a
 * message.  For "has bits set after the prefix length", *out holds the
 * block with those bits cleared, which the message can suggest. */
bool cidr_parse(const char *s, struct cidr *out, const char **why);
/* Does a contain b (same family, a's prefix no longer, b inside a)? */
bool cidr_contains(const struct cidr *a, const struct cidr *b);
/* The block as text ("10.0.0.0/8", "2001:db8::/32") into buf (64 bytes). */
void cidr_format(const struct cidr *c, char buf[64]);

#endif
