/*
 * The string formats of the gwc.dev policies (deploy/crds/, whose limits
 * docs/policies.md gives field by field), named by the field tables.
 */
#include "schema_internal.h"

#include "base/cidr.h"
#include "base/str.h"
#include "base/url.h"

#include <ctype.h>
#include <string.h>

/* Every byte is a letter, a digit or one of 'extra'. */
static bool alnum_or(const char *s, const char *extra)
{
    for (; *s; s++) {
        if (!isalnum((unsigned char)*s) && !str_has_char(extra, *s))
            return false;
    }
    return true;
}

/* Every byte is printable ASCII from 'lowest' ('!' drops the space) to '~',
 * and none is one of 'banned'. */
static bool printable_but(const char *s, char lowest, const char *banned)
{
    for (; *s; s++) {
        if (*s < lowest || *s > '~' || str_has_char(banned, *s))
            return false;
    }
    return true;
}

static bool is_policy_header_name(const char *s)
{
    return isalnum((unsigned char)*s) && alnum_or(s, "-");
}

static bool is_request_path(const char *s)
{
    return *s == '/' && schema_path_char_error(s) == SIZE_MAX;
}

/* ^[ !#%-\[\]-~]*$: printable ASCII without '"', '$' and '\'. */
static bool is_realm(const char *s)
{
    return printable_but(s, ' ', "\"$\\");
}

/* ^[!#%-~]+$: printable ASCII without space, '"' and '$'. */
static bool is_redirect_value(const char *s)
{
    return *s && printable_but(s, '!', "\"$");
}

static bool is_param_name(const char *s)
{
    return *s && alnum_or(s, "._~-");
}

static bool is_content_type(const char *s)
{
    const char *slash = strchr(s, '/');

    if (!slash || slash == s || !slash[1])
        return false;
    for (; *s && *s != ';'; s++) {
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
              str_has_char("!#$&^_.+-/", *s)))
            return false;
    }
    if (!*s)
        return true;
    s++;
    if (*s == ' ')
        s++;
    return strncmp(s, "charset=", 8) == 0 && s[8] && alnum_or(s + 8, "._-");
}

static bool is_cookie_path(const char *s)
{
    return *s == '/' && printable_but(s, '!', ";");
}

const struct str_format schema_fmt_policy_header = {
    "header name", 1, 128, is_policy_header_name,
    "letters, digits and '-', starting with a letter or digit (nginx drops "
    "other header names, underscores included)"};
const struct str_format schema_fmt_policy_path = {
    "path", 1, 1024, is_request_path, "a path starting with '/': " PATH_CHARS_WORDS};
const struct str_format schema_fmt_realm = {
    "realm", 0, 64, is_realm, "printable ASCII without '\"', '$' and '\\'"};
const struct str_format schema_fmt_redirect_value = {
    "value", 1, 1024, is_redirect_value, "printable ASCII without spaces, '\"' and '$'"};
const struct str_format schema_fmt_http_url = {
    "URL", 1, 2048, url_is_http,
    "http(s)://host[:port][/path][?query] (a port from 1 to 65535, no user@) without "
    "'$', quotes or spaces"};
const struct str_format schema_fmt_param_name = {
    "parameter name", 1, 64, is_param_name, "letters, digits and ._~-"};
const struct str_format schema_fmt_content_type = {
    "content type", 1, 128, is_content_type, "type/subtype[; charset=x] in lower case"};
static bool is_token(const char *s)
{
    return *s && alnum_or(s, "!#$%&'*+-.^_`|~");
}

const struct str_format schema_fmt_cookie_name = {
    "cookie name", 1, 64, is_token, "letters, digits and !#$%&'*+-.^_`|~ only"};
const struct str_format schema_fmt_cookie_path = {
    "cookie path", 1, 1024, is_cookie_path, "'/' then printable ASCII without ';'"};
const struct str_format schema_fmt_body = {"body", 0, 4096, NULL, NULL};
static bool is_key(const char *s)
{
    return alnum_or(s, "-._");
}

const struct str_format schema_fmt_secret_key = {
    "key", 1, 253, is_key, "letters, digits and -._"};

static bool is_cidr(const char *s)
{
    struct cidr c;
    const char *why;

    return cidr_parse(s, &c, &why);
}

/* List items are checked by schema_check_cidrs(), which says why one is
 * refused; this row serves schema_format_ok(). */
const struct str_format schema_fmt_cidr = {
    "address or CIDR block", 1, 0, is_cidr,
    "an IPv4 or IPv6 address, or a CIDR block without bits past its prefix"};
