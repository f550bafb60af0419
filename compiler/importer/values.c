/*
 * Annotation values are untrusted text: every check here is an anchored
 * allowlist over the whole string, ASCII only, so CR, LF, NUL, other control
 * characters and look-alike Unicode are refused by construction (the
 * ingress-nginx injection CVEs came from unanchored or case-folded checks).
 * Alphabets follow ingress-nginx's own validators (parser/validators.go).
 */
#include "import_internal.h"

#include "base/arena.h"
#include "base/array.h"
#include "base/cidr.h"
#include "base/url.h"
#include "base/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Host names compare case-insensitively; Gateway API writes them lower. */
const char *imp_value_ascii_lower(struct arena *a, const char *s)
{
    char *out = arena_strdup(a, s), *p;

    for (p = out; *p; p++) {
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    }
    return out;
}

bool imp_value_in_alphabet(const char *s, const char *extra)
{
    for (; *s; s++) {
        if (!is_alnum(*s) && !str_has_char(extra, *s))
            return false;
    }
    return true;
}

/* strconv.ParseBool, which ingress-nginx uses for every boolean. */
bool imp_value_parse_go_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"1", "t", "T", "TRUE", "true", "True"};
    static const char *const no[] = {"0", "f", "F", "FALSE", "false", "False"};
    size_t i;

    for (i = 0; i < ARRAY_SIZE(yes); i++) {
        if (strcmp(s, yes[i]) == 0 || strcmp(s, no[i]) == 0) {
            *out = strcmp(s, yes[i]) == 0;
            return true;
        }
    }
    return false;
}

/* strconv.Atoi within [min, max]: an optional sign and decimal digits,
 * nothing else (no spaces, no "0x", no exponent). */
bool imp_value_parse_decimal(const char *s, int64_t min, int64_t max, int64_t *out)
{
    bool neg = *s == '-';
    int64_t v = 0;

    if (*s == '-' || *s == '+')
        s++;
    if (!*s || strlen(s) > 18)
        return false;
    for (; *s; s++) {
        if (!is_digit(*s))
            return false;
        v = v * 10 + (*s - '0');
    }
    if (neg)
        v = -v;
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* A comma-separated list, items trimmed of blanks, empty items dropped. */
const char **imp_value_split_list(struct arena *a, const char *s, size_t *n)
{
    size_t cap = 1, k = 0;
    const char *p, **v;

    for (p = s; *p; p++)
        cap += *p == ',';
    v = ARENA_NEW_ARRAY(a, const char *, cap);
    while (*s) {
        const char *end = strchr(s, ',');
        const char *stop = end ? end : s + strlen(s);

        while (s < stop && (*s == ' ' || *s == '\t'))
            s++;
        while (stop > s && (stop[-1] == ' ' || stop[-1] == '\t'))
            stop--;
        if (stop > s)
            v[k++] = arena_strndup(a, s, (size_t)(stop - s));
        if (!end)
            break;
        s = end + 1;
    }
    *n = k;
    return v;
}

/* [a-z0-9]([-a-z0-9]*[a-z0-9])? of at most max characters. */
static bool label_ok(const char *s, size_t len, size_t max)
{
    size_t i;

    if (len == 0 || len > max || s[0] == '-' || s[len - 1] == '-')
        return false;
    for (i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '-'))
            return false;
    }
    return true;
}

bool imp_value_dns_label(const char *s)
{
    return label_ok(s, strlen(s), 63);
}

bool imp_value_service_name(const char *s)
{
    return imp_value_dns_label(s) && s[0] >= 'a' && s[0] <= 'z';
}

static bool labels_ok(const char *s, size_t max_label)
{
    if (!*s || strlen(s) > 253)
        return false;
    for (;;) {
        const char *dot = strchr(s, '.');
        size_t len = dot ? (size_t)(dot - s) : strlen(s);
        if (!label_ok(s, len, max_label))
            return false;
        if (!dot)
            return true;
        s = dot + 1;
    }
}

bool imp_value_dns_subdomain(const char *s)
{
    return labels_ok(s, 253);
}

/* An Ingress rule host (and a Gateway Hostname): a DNS name, labels of at
 * most 63 characters, optionally "*." in front; not an IP address. */
bool imp_value_hostname(const char *s, bool wildcard_ok)
{
    const char *p;
    bool digits_and_dots = true;

    if (wildcard_ok && strncmp(s, "*.", 2) == 0)
        s += 2;
    for (p = s; *p; p++)
        digits_and_dots &= is_digit(*p) || *p == '.';
    return labels_ok(s, 63) && !digits_and_dots;
}

/* RFC 7230 token, as the Gateway API HTTPHeaderName pattern. */
bool imp_value_header_name(const char *s)
{
    if (!*s || strlen(s) > 256)
        return false;
    for (; *s; s++) {
        if (!is_alnum(*s) && !str_has_char("!#$%&'*+-.^_`|~", *s))
            return false;
    }
    return true;
}

const char *imp_value_http_method(const char *s)
{
    static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "DELETE",
                                          "CONNECT", "OPTIONS", "TRACE", "PATCH",
                                          NULL};
    const char *const *k;

    for (k = methods; s && *k; k++) {
        if (strcasecmp(*k, s) == 0)
            return *k;
    }
    return NULL;
}

/* gwc's basicAuth.realm: at most 64 printable ASCII characters without
 * '"', '\' and '$' (nginx writes it unescaped and expands variables), not
 * "off" (which switches authentication off). */
bool imp_value_realm(const char *s)
{
    size_t i;

    for (i = 0; s[i]; i++) {
        if (s[i] < ' ' || s[i] > '~' || str_has_char("\"\\$", s[i]))
            return false;
    }
    return i <= 64 && !str_eq(s, "off");
}

/* An Exact or PathPrefix value the Gateway API CRD accepts. */
bool imp_value_gateway_path(const char *s)
{
    static const char *const forbidden[] = {"//", "/./", "/../", "%2f", "%2F"};
    size_t i, n = strlen(s);

    if (s[0] != '/' || n > 1024)
        return false;
    for (i = 0; i < ARRAY_SIZE(forbidden); i++) {
        if (strstr(s, forbidden[i]))
            return false;
    }
    if ((n >= 3 && strcmp(s + n - 3, "/..") == 0) ||
        (n >= 2 && strcmp(s + n - 2, "/.") == 0))
        return false;
    for (i = 0; i < n; i++) {
        if (s[i] == '%') {
            /* An encoded control character (%00-%1F, %7F): nginx cannot
             * match it, and gwc's compile drops such a rule. */
            if (!str_has_char("0123456789abcdefABCDEF", s[i + 1]) ||
                !str_has_char("0123456789abcdefABCDEF", s[i + 2]) ||
                str_has_char("01", s[i + 1]) ||
                (s[i + 1] == '7' && str_has_char("fF", s[i + 2])))
                return false;
            i += 2;
        } else if (!is_alnum(s[i]) && !str_has_char("-/._~!$&'()*+,;=:@", s[i])) {
            return false;
        }
    }
    return true;
}

/* Seconds as a Gateway API Duration: at most four "<1-5 digits><unit>"
 * parts, so 2592000 is "720h", not the refused "2592000s". */
const char *imp_value_duration_seconds(struct arena *a, int64_t seconds)
{
    int64_t h = seconds / 3600, m = seconds % 3600 / 60, s = seconds % 60;
    char buf[64];
    size_t n = 0;

    if (h > 99999)
        return NULL;
    buf[0] = '\0';
    if (h)
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%lldh", (long long)h);
    if (m)
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%lldm", (long long)m);
    if (s || n == 0)
        snprintf(buf + n, sizeof(buf) - n, "%llds", (long long)s);
    return arena_strdup(a, buf);
}

/* nginx's time with one unit or none (seconds): "60", "60s", "2m", "1h",
 * "1d", in whole seconds up to max; false for anything else (several
 * parts, milliseconds, a sign). */
bool imp_value_nginx_seconds(const char *s, int64_t max, int64_t *out)
{
    static const struct {
        char unit;
        int64_t seconds;
    } units[] = {{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
    size_t n = strlen(s), i;
    int64_t mult = 1, v;
    char digits[20];

    if (n && !is_digit(s[n - 1])) {
        for (i = 0; i < ARRAY_SIZE(units) && units[i].unit != s[n - 1]; i++)
            ;
        if (i == ARRAY_SIZE(units))
            return false;
        mult = units[i].seconds;
        n--;
    }
    if (!n || n >= sizeof(digits) || !is_digit(*s))
        return false;
    memcpy(digits, s, n);
    digits[n] = '\0';
    if (!imp_value_parse_decimal(digits, 0, max / mult, &v))
        return false;
    *out = v * mult;
    return true;
}

/* nginx's size (bytes, or k, m, g in either case) up to max units, as
 * gwc's (bytes, Ki, Mi, Gi); NULL for anything else. */
const char *imp_value_nginx_size(struct arena *a, const char *s, int64_t max)
{
    size_t n = strlen(s);
    char unit = n ? (char)(s[n - 1] | 0x20) : 0;
    const char *suffix = unit == 'k' ? "Ki" : unit == 'm' ? "Mi" : unit == 'g' ? "Gi" : "";
    int64_t size;

    if (*suffix)
        n--;
    else if (n && !is_digit(s[n - 1]))
        return NULL;
    if (!n || *s == '-' || *s == '+' ||
        !imp_value_parse_decimal(arena_strndup(a, s, n), 0, max, &size))
        return NULL;
    return arena_printf(a, "%lld%s", (long long)size, size ? suffix : "");
}

/* http(s)://host[:port][/path][?query], the only URLs ingress-nginx's
 * redirect and mirror annotations take, read by base/url.c.  Their hosts
 * may be followed by nginx variables ("https://$host$request_uri" is
 * refused, "https://example.com$request_uri" keeps the variable in the
 * path): the authority ends at the first '$'. */
bool imp_value_parse_url(struct arena *a, const char *s, struct url *u)
{
    size_t scheme = strncmp(s, "https://", 8) == 0  ? 8
                    : strncmp(s, "http://", 7) == 0 ? 7
                                                    : 0;
    size_t authority = strcspn(s + scheme, "/?#$");
    const char *tail = s + scheme + authority, *q;
    struct url_parts p;

    memset(u, 0, sizeof(*u));
    if (!scheme || url_split(arena_strndup(a, s, scheme + authority), &p))
        return false;
    u->scheme = p.https ? "https" : "http";
    u->host = arena_strndup(a, p.host, p.host_len);
    u->port = p.authority_len > p.host_len ? p.port : 0;
    q = strchr(tail, '?');
    u->path = q ? arena_strndup(a, tail, (size_t)(q - tail)) : tail;
    u->query = q ? q + 1 : NULL;
    return true;
}

/* ingress-nginx's deep inspector (internal/ingress/inspector/rules.go
 * CheckRegex, case-sensitive): what in a host, path, tls host or
 * secretName makes the controller ignore the whole Ingress; NULL when
 * nothing does.  "alias" or "root" count only with a ';' after them
 * ((?s)\s*alias\s*.*;), "_by_lua" anywhere. */
const char *imp_value_inspector_denies(const char *s)
{
    static const char *const dirs[] = {
        "/etc/passwd", "/etc/shadow", "/etc/group", "/etc/nginx",
        "/etc/ingress-controller", "/var/run/secrets"};
    static const char *const directives[] = {"alias", "root"};
    size_t i;

    for (i = 0; i < ARRAY_SIZE(directives); i++) {
        const char *at = strstr(s, directives[i]);
        if (at && strchr(at + strlen(directives[i]), ';'))
            return directives[i] == directives[0] ? "an alias directive"
                                                 : "a root directive";
    }
    for (i = 0; i < ARRAY_SIZE(dirs); i++) {
        if (strstr(s, dirs[i]))
            return dirs[i];
    }
    if (strstr(s, "_by_lua"))
        return "a *_by_lua directive";
    return NULL;
}

/* Text that must never reach a path or name, as ingress-nginx's own
 * annotation checks refuse it since its injection CVEs:
 * ASCII and C1 controls, NEL, the line and paragraph separators, bidi
 * overrides and isolates, zero-width characters and BOMs, and bytes that
 * are not UTF-8.  What is wrong, or NULL. */
const char *imp_value_unsafe_text(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);

    while (left) {
        uint32_t cp;
        size_t n = utf8_decode(p, left, &cp);

        if (!n)
            return "bytes that are not UTF-8";
        if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
            return "a control character";
        if (cp == 0x2028 || cp == 0x2029)
            return "a line or paragraph separator (U+2028, U+2029)";
        if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
            cp == 0x200e || cp == 0x200f || cp == 0x061c)
            return "a bidirectional control character (U+202A-U+202E, "
                   "U+2066-U+2069, ...)";
        if ((cp >= 0x200b && cp <= 0x200d) || cp == 0x2060 || cp == 0xfeff)
            return "a zero-width character";
        p += n;
        left -= n;
    }
    return NULL;
}

const char *imp_value_cidr(struct imp *im, const char *s, const char **why)
{
    struct cidr c;
    char buf[64];

    if (!cidr_parse(s, &c, why) &&
        strcmp(*why, "has bits set after the prefix length") != 0) {
        *why = arena_printf(im->a, "'%s' %s", imp_report_value(im, s), *why);
        return NULL;
    }
    cidr_format(&c, buf);
    return arena_strdup(im->a, buf);
}
