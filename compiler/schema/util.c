/*
 * The string formats of the CRDs (gateway-api apis/v1/shared_types.go,
 * object_reference_types.go) and of Kubernetes object metadata, each a
 * hand-written matcher of the exact regular expression the API server
 * applies.  The API server searches with Go's regexp.MatchString, which is
 * not anchored: a pattern whose alternatives are not all anchored (address
 * type, protocol) accepts more than it seems to, and so do these matchers.
 */
#include "schema_internal.h"

#include "base/str.h"
#include "base/utf8.h"

#include <string.h>

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static bool is_alpha(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static bool is_alnum(char ch)
{
    return is_alpha(ch) || is_digit(ch);
}

static bool is_lower_alnum(char ch)
{
    return (ch >= 'a' && ch <= 'z') || is_digit(ch);
}

static bool all_of(const char *s, size_t n, bool (*ok)(char))
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (!ok(s[i]))
            return false;
    }
    return true;
}

/* [a-z0-9]([-a-z0-9]*[a-z0-9])? over s[0..n) */
static bool label_n(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[n - 1]))
        return false;
    for (i = 1; i + 1 < n; i++) {
        if (!is_lower_alnum(s[i]) && s[i] != '-')
            return false;
    }
    return true;
}

/* RFC 1123 subdomain: labels joined by '.' (no per-label length limit in
 * the CRD pattern, nor in Kubernetes' IsDNS1123Subdomain). */
static bool subdomain_n(const char *s, size_t n)
{
    const char *end = s + n, *dot;

    for (;;) {
        dot = memchr(s, '.', (size_t)(end - s));
        if (!dot)
            return label_n(s, (size_t)(end - s));
        if (!label_n(s, (size_t)(dot - s)))
            return false;
        s = dot + 1;
    }
}

static bool is_dns_subdomain(const char *s)
{
    return subdomain_n(s, strlen(s));
}

static bool is_dns_label(const char *s)
{
    return label_n(s, strlen(s));
}

/* RFC 1035 label (Service names): an RFC 1123 label starting with a letter. */
static bool is_dns1035_label(const char *s)
{
    return s[0] >= 'a' && s[0] <= 'z' && is_dns_label(s);
}

bool schema_is_service_name(const char *s)
{
    return strlen(s) <= 63 && is_dns1035_label(s);
}

bool schema_can_name(enum kind kind, const char *name)
{
    if (kind == KIND_SERVICE)
        return schema_is_service_name(name);
    if (kind == KIND_NAMESPACE)
        return strlen(name) <= 63 && is_dns_label(name);
    return strlen(name) <= 253 && is_dns_subdomain(name);
}

/* ^(\*\.)?<subdomain>$ */
bool schema_is_hostname(const char *s)
{
    if (s[0] == '*' && s[1] == '.')
        s += 2;
    return is_dns_subdomain(s);
}

/* ^$|^<subdomain>$ */
static bool is_group(const char *s)
{
    return *s == '\0' || is_dns_subdomain(s);
}

/* ^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$ */
static bool is_kind(const char *s)
{
    size_t i, n = strlen(s);

    if (n == 0 || !is_alpha(s[0]) || !is_alnum(s[n - 1]))
        return false;
    for (i = 1; i + 1 < n; i++) {
        if (!is_alnum(s[i]) && s[i] != '-')
            return false;
    }
    return true;
}

/* RFC 7230 tchar: ^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$ */
static bool is_tchar(char ch)
{
    return is_alnum(ch) || str_has_char("!#$%&'*+-.^_`|~", ch);
}

static bool is_token(const char *s)
{
    return *s && all_of(s, strlen(s), is_tchar);
}

static bool is_duration(const char *s)
{
    int64_t ms;

    return model_parse_duration(s, &ms);
}

/* [A-Za-z0-9/\-._~%!$&'()*+,;=:], the path of a controller name or of a
 * domain-prefixed address type. */
static bool is_path_char(char ch)
{
    return is_alnum(ch) || str_has_char("/-._~%!$&'()*+,;=:", ch);
}

/* ^<subdomain>\/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$ */
static bool is_controller_name(const char *s)
{
    const char *slash = strchr(s, '/');

    return slash && subdomain_n(s, (size_t)(slash - s)) && slash[1] &&
           all_of(slash + 1, strlen(slash + 1), is_path_char);
}

/*
 * ^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$ | <subdomain>\/[A-Za-z0-9]+$
 * The second alternative is not anchored at the start, so any text that
 * ends in "x/name" (x a lowercase letter or digit, which is a subdomain of
 * its own) matches it: "my proto x/y" is a valid protocol to the API server.
 */
static bool is_protocol(const char *s)
{
    const char *slash = strrchr(s, '/');
    size_t i, n = strlen(s);

    if (slash)
        return slash > s && is_lower_alnum(slash[-1]) && slash[1] &&
               all_of(slash + 1, strlen(slash + 1), is_alnum);
    if (n == 0 || !is_alnum(s[0]) || !is_alnum(s[n - 1]))
        return false;
    for (i = 1; i + 1 < n; i++) {
        if (!is_alnum(s[i]) && s[i] != '-')
            return false;
    }
    return true;
}

/*
 * ^Hostname|IPAddress|NamedAddress|<subdomain>\/<path chars>+$
 * Only the first alternative is anchored at the start and only the last at
 * the end: "Hostnames", "myIPAddress" and "Foo bar.io/x" are all accepted.
 * The last alternative matches when some '/', preceded by a subdomain
 * character, is followed by path characters only, up to the end.
 */
static bool is_address_type(const char *s)
{
    size_t n = strlen(s), k = n, j;

    if (strncmp(s, "Hostname", 8) == 0 || strstr(s, "IPAddress") ||
        strstr(s, "NamedAddress"))
        return true;
    while (k > 0 && is_path_char(s[k - 1]))
        k--; /* s[k..n) is the longest suffix of path characters */
    for (j = k + 1; j + 1 < n; j++) {
        if (s[j] == '/' && is_lower_alnum(s[j - 1]))
            return true;
    }
    return false;
}

/*
 * CORSOrigin: (^\*$)|(^(http(s)?):\/\/(((\*\.)?([a-zA-Z0-9\-]+\.)*
 * [a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?)$)
 */
static bool is_origin_label_char(char ch)
{
    return is_alnum(ch) || ch == '-';
}

static bool is_origin_host(const char *s, size_t n)
{
    const char *end = s + n, *dot;

    if (n == 1 && s[0] == '*')
        return true;
    if (n >= 2 && s[0] == '*' && s[1] == '.')
        s += 2;
    for (;;) {
        dot = memchr(s, '.', (size_t)(end - s));
        if (!dot)
            return s < end &&
                   all_of(s, (size_t)(end - s), is_origin_label_char);
        if (dot == s || !all_of(s, (size_t)(dot - s), is_origin_label_char))
            return false;
        s = dot + 1;
    }
}

static bool is_cors_origin(const char *s)
{
    const char *colon;
    size_t digits;

    if (strcmp(s, "*") == 0)
        return true;
    if (strncmp(s, "https://", 8) == 0)
        s += 8;
    else if (strncmp(s, "http://", 7) == 0)
        s += 7;
    else
        return false;
    colon = strchr(s, ':');
    if (!colon)
        return is_origin_host(s, strlen(s));
    digits = strlen(colon + 1);
    return is_origin_host(s, (size_t)(colon - s)) && digits >= 1 &&
           digits <= 5 && all_of(colon + 1, digits, is_digit);
}

/* ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9] over s[0..n) */
static bool qname_chars(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || !is_alnum(s[0]) || !is_alnum(s[n - 1]))
        return false;
    for (i = 1; i + 1 < n; i++) {
        if (!is_alnum(s[i]) && !str_has_char("-_.", s[i]))
            return false;
    }
    return true;
}

/* The name part of a qualified name: at most 63 characters. */
static bool is_qname_name(const char *s, size_t n)
{
    return n <= 63 && qname_chars(s, n);
}

/* ^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$ (the length limit of 63 is
 * the field's maxLength, reported on its own) */
static bool is_label_value(const char *s)
{
    size_t n = strlen(s);

    return n == 0 || qname_chars(s, n);
}

const char schema_qualified_name_allowed[] =
    "an optional DNS subdomain prefix and '/', then a name of 1 to 63 "
    "letters, digits, '-', '_' or '.', starting and ending with a letter or "
    "digit";

enum qname_problem schema_qualified_name_problem(const char *key, size_t max_prefix)
{
    const char *slash = strchr(key, '/'), *name = key;

    if (slash) {
        if (!subdomain_n(key, (size_t)(slash - key)))
            return QNAME_INVALID;
        if ((size_t)(slash - key) > max_prefix)
            return QNAME_PREFIX_TOO_LONG;
        name = slash + 1;
    }
    return is_qname_name(name, strlen(name)) ? QNAME_OK : QNAME_INVALID;
}

/* ^(System|<subdomain>/([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])$ */
static bool is_well_known_ca(const char *s)
{
    const char *slash = strchr(s, '/');

    if (strcmp(s, "System") == 0)
        return true;
    return slash && subdomain_n(s, (size_t)(slash - s)) &&
           is_qname_name(slash + 1, strlen(slash + 1));
}

/*
 * AbsoluteURI: ^(([^:/?#]+):)(//([^/?#]*))([^?#]*)(\?([^#]*))?(#(.*))?
 * Not anchored at the end and every part after "//" may be empty, so the
 * pattern asks exactly for a scheme followed by "://".
 */
static bool is_absolute_uri(const char *s)
{
    size_t scheme = strcspn(s, ":/?#");

    return scheme > 0 && strncmp(s + scheme, "://", 3) == 0;
}

/* gRPC service, case-insensitive: ^\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$ */
static bool is_ident(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || !(is_alpha(s[0]) || s[0] == '_'))
        return false;
    for (i = 1; i < n; i++) {
        if (!is_alnum(s[i]) && s[i] != '_')
            return false;
    }
    return true;
}

static bool is_grpc_service(const char *s)
{
    const char *dot;

    if (*s == '.')
        s++;
    while ((dot = strchr(s, '.')) != NULL) {
        if (!is_ident(s, (size_t)(dot - s)))
            return false;
        s = dot + 1;
    }
    return is_ident(s, strlen(s));
}

static bool is_grpc_method(const char *s)
{
    return is_ident(s, strlen(s));
}

static bool is_request_path(const char *s)
{
    return *s && schema_path_char_error(s) == SIZE_MAX;
}

#define SUBDOMAIN_WORDS                                                        \
    "lowercase letters, digits, '-' and '.', each '.'-separated label "        \
    "starting and ending with a letter or digit"

static const struct str_format fmt_object_name = {"name", 1, 253, NULL, NULL};
const struct str_format schema_fmt_dns_subdomain = {
    "DNS subdomain name", 1, 253, is_dns_subdomain, SUBDOMAIN_WORDS};
const struct str_format schema_fmt_dns_label = {
    "DNS label", 1, 63, is_dns_label,
    "lowercase letters, digits and '-', starting and ending with a letter or "
    "digit"};
const struct str_format schema_fmt_dns1035_label = {
    "DNS-1035 label", 1, 63, is_dns1035_label,
    "lowercase letters, digits and '-', starting with a letter and ending "
    "with a letter or digit"};
static const struct str_format fmt_section_name = {
    "section name", 1, 253, is_dns_subdomain, SUBDOMAIN_WORDS};
const struct str_format schema_fmt_hostname = {
    "hostname", 1, 253, schema_is_hostname,
    "lowercase letters, digits, '-' and '.' only, optionally starting with "
    "'*.'"};
static const struct str_format fmt_precise_hostname = {
    "hostname", 1, 253, is_dns_subdomain,
    "lowercase letters, digits, '-' and '.' only, no wildcard"};
static const struct str_format fmt_namespace = {
    "namespace", 1, 63, is_dns_label,
    "lowercase letters, digits and '-', starting and ending with a letter or "
    "digit"};
static const struct str_format fmt_group = {
    "group", 0, 253, is_group,
    "empty for the core group, or a DNS subdomain such as "
    "gateway.networking.k8s.io"};
static const struct str_format fmt_kind = {
    "kind", 1, 63, is_kind,
    "letters, digits and '-', starting with a letter and ending with a letter "
    "or digit"};
static const struct str_format fmt_header_name = {
    "header name", 1, 256, is_token,
    "letters, digits and !#$%&'*+-.^_`|~ only (an HTTP token)"};
/* Query parameter names are of type HTTPHeaderName too. */
static const struct str_format fmt_query_name = {
    "query parameter name", 1, 256, is_token,
    "letters, digits and !#$%&'*+-.^_`|~ only"};
static const struct str_format fmt_header_value = {"header value", 1, 4096, NULL,
                                                   NULL};
static const struct str_format fmt_query_value = {"query value", 1, 1024, NULL,
                                                  NULL};
static const struct str_format fmt_path = {"path", 0, 1024, NULL, NULL};
const struct str_format schema_fmt_text_1024 = {"value", 0, 1024, NULL, NULL};
const struct str_format schema_fmt_duration = {
    "duration",
    0,
    0,
    is_duration,
    "1 to 4 groups of up to 5 digits, each followed by h, m, s or ms, such as "
    "1h30m or 500ms",
    model_duration_fix};
static const struct str_format fmt_protocol = {
    "protocol", 1, 255, is_protocol,
    "a name of letters, digits and '-' (HTTP, HTTPS, TLS, TCP, UDP, ...) or "
    "a domain-prefixed name such as example.com/proto"};
static const struct str_format fmt_controller_name = {
    "controller name", 1, 253, is_controller_name,
    "a domain-prefixed path such as example.com/gateway-controller"};
static const struct str_format fmt_address_type = {
    "address type", 1, 253, is_address_type,
    "IPAddress, Hostname, NamedAddress or a domain-prefixed type such as "
    "example.com/type"};
static const struct str_format fmt_address_value = {"address value", 0, 253, NULL,
                                                    NULL};
static const struct str_format fmt_cors_origin = {
    "CORS origin", 1, 253, is_cors_origin,
    "'*' or http(s)://host[:port], where the host may be '*' or start with "
    "'*.'"};
static const struct str_format fmt_label_value = {
    "label value", 0, 63, is_label_value,
    "empty, or letters, digits, '-', '_' and '.', starting and ending with a "
    "letter or digit"};
static const struct str_format fmt_long_value = {"value", 0, 4096, NULL, NULL};
static const struct str_format fmt_description = {"description", 0, 64, NULL, NULL};
static const struct str_format fmt_well_known_ca = {
    "well-known CA set", 1, 253, is_well_known_ca,
    "System, or a domain-prefixed name such as example.com/bundle"};
static const struct str_format fmt_uri = {
    "absolute URI", 1, 253, is_absolute_uri,
    "a scheme followed by '://', such as spiffe://example.org/workload"};
const struct str_format schema_fmt_grpc_service = {
    "gRPC service", 0, 1024, is_grpc_service,
    "identifiers of letters, digits and '_' joined by '.', optionally "
    "starting with '.'"};
const struct str_format schema_fmt_grpc_method = {
    "gRPC method", 0, 1024, is_grpc_method,
    "letters, digits and '_', not starting with a digit"};
const struct str_format schema_fmt_request_path = {"path", 0, 1024, is_request_path,
                                                   PATH_CHARS_WORDS};

/* The formats the field tables name (enum field_format in model.h). */
const struct str_format *const schema_formats[FMT__COUNT] = {
    [FMT_OBJECT_NAME] = &fmt_object_name,
    [FMT_DNS_SUBDOMAIN] = &schema_fmt_dns_subdomain,
    [FMT_DNS_LABEL] = &schema_fmt_dns_label,
    [FMT_SECTION_NAME] = &fmt_section_name,
    [FMT_HOSTNAME] = &schema_fmt_hostname,
    [FMT_PRECISE_HOSTNAME] = &fmt_precise_hostname,
    [FMT_NAMESPACE] = &fmt_namespace,
    [FMT_GROUP] = &fmt_group,
    [FMT_KIND] = &fmt_kind,
    [FMT_HEADER_NAME] = &fmt_header_name,
    [FMT_QUERY_NAME] = &fmt_query_name,
    [FMT_HEADER_VALUE] = &fmt_header_value,
    [FMT_QUERY_VALUE] = &fmt_query_value,
    [FMT_PATH] = &fmt_path,
    [FMT_DURATION] = &schema_fmt_duration,
    [FMT_PROTOCOL] = &fmt_protocol,
    [FMT_CONTROLLER_NAME] = &fmt_controller_name,
    [FMT_ADDRESS_TYPE] = &fmt_address_type,
    [FMT_ADDRESS_VALUE] = &fmt_address_value,
    [FMT_CORS_ORIGIN] = &fmt_cors_origin,
    [FMT_LABEL_VALUE] = &fmt_label_value,
    [FMT_LONG_VALUE] = &fmt_long_value,
    [FMT_DESCRIPTION] = &fmt_description,
    [FMT_WELL_KNOWN_CA] = &fmt_well_known_ca,
    [FMT_URI] = &fmt_uri,
    [FMT_TEXT_1024] = &schema_fmt_text_1024,
    [FMT_POLICY_HEADER] = &schema_fmt_policy_header,
    [FMT_POLICY_PATH] = &schema_fmt_policy_path,
    [FMT_REALM] = &schema_fmt_realm,
    [FMT_REDIRECT_VALUE] = &schema_fmt_redirect_value,
    [FMT_HTTP_URL] = &schema_fmt_http_url,
    [FMT_PARAM_NAME] = &schema_fmt_param_name,
    [FMT_CONTENT_TYPE] = &schema_fmt_content_type,
    [FMT_COOKIE_NAME] = &schema_fmt_cookie_name,
    [FMT_COOKIE_PATH] = &schema_fmt_cookie_path,
    [FMT_BODY] = &schema_fmt_body,
    [FMT_SECRET_KEY] = &schema_fmt_secret_key,
    [FMT_CIDR] = &schema_fmt_cidr,
    [FMT_TEST_CASE_NAME] = &schema_fmt_test_case_name,
    [FMT_TEST_METHOD] = &schema_fmt_test_method,
    [FMT_TEST_URL] = &schema_fmt_test_url,
    [FMT_TEST_SNI] = &schema_fmt_test_sni,
    [FMT_TEST_BACKEND] = &schema_fmt_test_backend,
    [FMT_TEST_LOCATION] = &schema_fmt_test_location,
};

bool schema_string_ok(const char *v, const struct str_format *f)
{
    size_t len = strlen(v);

    if (len == 0 && f->min > 0)
        return false;
    if (f->max && len > f->max && utf8_count(v, len) > f->max)
        return false;
    return !f->match || f->match(v);
}

bool schema_format_ok(enum field_format fmt, const char *v)
{
    return fmt == FMT_NONE || schema_string_ok(v, schema_formats[fmt]);
}

const char *schema_format_name(enum field_format fmt)
{
    return fmt == FMT_NONE ? NULL : schema_formats[fmt]->name;
}
