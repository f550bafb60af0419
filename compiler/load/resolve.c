/*
 * What a plain scalar means once kubectl turns YAML into JSON.  Kubernetes
 * reads manifests with YAML 1.1 rules (sigs.k8s.io/yaml over go-yaml v2):
 * "yes", "on" and "y" are booleans, "1e3" is a number, "~" is null.  gwc
 * applies the same rules so that `name: yes` fails here as it fails in the
 * API server, and `port: "80"` stays a string.
 */
#include "load_internal.h"

#include "base/str.h"

#include <string.h>

static bool is_one_of(const char *s, size_t n, const char *const *words)
{
    for (; *words; words++) {
        if (strlen(*words) == n && memcmp(s, *words, n) == 0)
            return true;
    }
    return false;
}

static bool all_digits(const char *s, size_t n, const char *set)
{
    size_t i;

    if (n == 0)
        return false;
    for (i = 0; i < n; i++) {
        if (!str_has_char(set, s[i]))
            return false;
    }
    return true;
}

static bool is_float(const char *s, size_t n)
{
    size_t i = 0, digits = 0;

    if (i < n && (s[i] == '-' || s[i] == '+'))
        i++;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, digits++;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, digits++;
    }
    if (digits == 0)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t exp = 0;
        i++;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            i++;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++, exp++;
        if (exp == 0)
            return false;
    }
    return i == n;
}

enum yscalar load_resolve_plain(const char *s, size_t n)
{
    static const char *const nulls[] = {"~", "null", "Null", "NULL", NULL};
    static const char *const bools[] = {
        "y",  "Y",  "yes",   "Yes",   "YES",   "n",  "N",   "no",
        "No", "NO", "true",  "True",  "TRUE",  "false", "False", "FALSE",
        "on", "On", "ON",    "off",   "Off",   "OFF", NULL};
    static const char *const specials[] = {
        ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", NULL};
    const char *d = s;
    size_t dn = n;

    if (n == 0)
        return YSCALAR_NULL;
    /* Most scalars are names and paths: no special reading starts with
     * anything but these characters. */
    if (!str_has_char("~nNyYtTfFoO.+-0123456789", s[0]) ||
        (n > 6 && !str_has_char(".+-0123456789", s[0])))
        return YSCALAR_STRING; /* the longest word below is 6 characters */
    if (is_one_of(s, n, nulls))
        return YSCALAR_NULL;
    if (is_one_of(s, n, bools))
        return YSCALAR_BOOL;
    if (is_one_of(s, n, specials))
        return YSCALAR_FLOAT;
    if (dn > 0 && (d[0] == '-' || d[0] == '+'))
        d++, dn--;
    if (dn == 1 && d[0] >= '0' && d[0] <= '9')
        return YSCALAR_INT;
    if (dn > 1 && d[0] >= '1' && d[0] <= '9' && all_digits(d, dn, "0123456789"))
        return YSCALAR_INT;
    if (dn > 2 && d[0] == '0' && (d[1] == 'x' || d[1] == 'X') &&
        all_digits(d + 2, dn - 2, "0123456789abcdefABCDEF_"))
        return YSCALAR_INT_OTHER;
    if (dn > 2 && d[0] == '0' && (d[1] == 'b' || d[1] == 'o') &&
        all_digits(d + 2, dn - 2, "01234567_"))
        return YSCALAR_INT_OTHER;
    if (dn > 1 && all_digits(d, dn, "0123456789_") && d[0] != '_')
        return YSCALAR_INT_OTHER; /* leading zero (octal in YAML 1.1) or 1_000 */
    if (is_float(s, n))
        return YSCALAR_FLOAT;
    return YSCALAR_STRING;
}
