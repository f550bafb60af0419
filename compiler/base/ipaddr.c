#include "ipaddr.h"

#include <string.h>

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static bool is_hex(char ch)
{
    return is_digit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* Dotted-decimal IPv4 as CEL's isIP() reads it (Go's netip.ParseAddr: four
 * decimal octets, no leading zeros).  IPv6 holds ':', which no hostname
 * pattern lets through. */
bool ipaddr_is_v4(const char *s)
{
    int octet;

    for (octet = 0; octet < 4; octet++) {
        int v = 0, digits = 0;

        if (octet > 0 && *s++ != '.')
            return false;
        for (; is_digit(*s); s++) {
            if (++digits > 3)
                return false;
            v = v * 10 + (*s - '0');
        }
        if (digits == 0 || v > 255 || (digits > 1 && s[-digits] == '0'))
            return false;
    }
    return *s == '\0';
}

/*
 * IPv6 as Go's net.ParseIP reads it (netip.ParseAddr, no zone): groups of
 * 1-4 hex digits, at most one "::" standing for at least one zero group,
 * and an optional dotted-decimal tail in place of the last two groups.
 * 'filled' counts bytes of the 16, as netip does.
 */
bool ipaddr_is_v6(const char *s)
{
    int filled = 0, ellipsis = -1;

    if (s[0] == ':' && s[1] == ':') {
        ellipsis = 0;
        s += 2;
        if (!*s)
            return true;
    }
    while (filled < 16) {
        int off = 0;

        while (is_hex(s[off])) {
            if (++off > 4)
                return false;
        }
        if (off == 0)
            return false;
        if (s[off] == '.') { /* the embedded IPv4 ends the address */
            if ((ellipsis < 0 && filled != 12) || filled + 4 > 16 ||
                !ipaddr_is_v4(s))
                return false;
            s += strlen(s);
            filled += 4;
            break;
        }
        filled += 2;
        s += off;
        if (!*s)
            break;
        if (*s != ':' || !s[1])
            return false;
        if (*++s == ':') {
            if (ellipsis >= 0)
                return false;
            ellipsis = filled;
            if (!*++s)
                break;
        }
    }
    if (*s)
        return false;
    return filled < 16 ? ellipsis >= 0 : ellipsis < 0;
}

/* Either family: the anyOf(format: ipv4, format: ipv6) of an IPAddress. */
bool ipaddr_is_ip(const char *s)
{
    return ipaddr_is_v4(s) || ipaddr_is_v6(s);
}
