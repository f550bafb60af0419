#include "cidr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool prefix_length(const char *s, unsigned max, unsigned *out)
{
    unsigned v = 0;
    size_t n = 0;

    if (!*s)
        return false;
    for (; *s; s++, n++) {
        if (*s < '0' || *s > '9' || n == 3)
            return false;
        v = v * 10 + (unsigned)(*s - '0');
    }
    if (v > max)
        return false;
    *out = v;
    return true;
}

bool cidr_parse(const char *s, struct cidr *out, const char **why)
{
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    char addr[64];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    unsigned i, max;

    memset(out, 0, sizeof(*out));
    *why = "is not an IPv4 or IPv6 address or CIDR block";
    if (n == 0 || n >= sizeof(addr))
        return false;
    memcpy(addr, s, n);
    addr[n] = '\0';
    if (strchr(addr, '%')) {
        *why = "has a zone; write the address without %zone";
        return false;
    }
    out->v6 = strchr(addr, ':') != NULL;
    if (inet_pton(out->v6 ? AF_INET6 : AF_INET, addr, out->addr) != 1)
        return false;
    max = out->v6 ? 128 : 32;
    if (out->v6 && memcmp(out->addr, mapped, sizeof(mapped)) == 0) {
        *why = "is an IPv4-mapped IPv6 address; write the IPv4 form";
        return false;
    }
    out->bits = max;
    if (slash && !prefix_length(slash + 1, max, &out->bits)) {
        *why = out->v6 ? "has a prefix length outside 0-128" : "has a prefix length outside 0-32";
        return false;
    }
    for (i = out->bits; i < max; i++) {
        if (out->addr[i / 8] & (0x80u >> (i % 8))) {
            *why = "has bits set after the prefix length";
            for (; i < max; i++)
                out->addr[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
            return false;
        }
    }
    return true;
}

bool cidr_contains(const struct cidr *a, const struct cidr *b)
{
    unsigned i;

    if (a->v6 != b->v6 || a->bits > b->bits)
        return false;
    for (i = 0; i < a->bits; i++) {
        unsigned m = 0x80u >> (i % 8);
        if ((a->addr[i / 8] & m) != (b->addr[i / 8] & m))
            return false;
    }
    return true;
}

void cidr_format(const struct cidr *c, char buf[64])
{
    char a[INET6_ADDRSTRLEN];

    inet_ntop(c->v6 ? AF_INET6 : AF_INET, c->addr, a, sizeof(a));
    snprintf(buf, 64, "%s/%u", a, c->bits);
}
