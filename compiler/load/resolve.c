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

struct word {
    const char *text;
    size_t len;
    enum yscalar type;
};

#define WORD(s, t) {s, sizeof(s) - 1, t}

/* The words YAML 1.1 reads as something else than a string. */
static const struct word words[] = {
    WORD("~", YSCALAR_NULL),     WORD("null", YSCALAR_NULL),  WORD("Null", YSCALAR_NULL),
    WORD("NULL", YSCALAR_NULL),  WORD("y", YSCALAR_BOOL),     WORD("Y", YSCALAR_BOOL),
    WORD("yes", YSCALAR_BOOL),   WORD("Yes", YSCALAR_BOOL),   WORD("YES", YSCALAR_BOOL),
    WORD("n", YSCALAR_BOOL),     WORD("N", YSCALAR_BOOL),     WORD("no", YSCALAR_BOOL),
    WORD("No", YSCALAR_BOOL),    WORD("NO", YSCALAR_BOOL),    WORD("true", YSCALAR_BOOL),
    WORD("True", YSCALAR_BOOL),  WORD("TRUE", YSCALAR_BOOL),  WORD("false", YSCALAR_BOOL),
    WORD("False", YSCALAR_BOOL), WORD("FALSE", YSCALAR_BOOL), WORD("on", YSCALAR_BOOL),
    WORD("On", YSCALAR_BOOL),    WORD("ON", YSCALAR_BOOL),    WORD("off", YSCALAR_BOOL),
    WORD("Off", YSCALAR_BOOL),   WORD("OFF", YSCALAR_BOOL),   WORD(".inf", YSCALAR_FLOAT),
    WORD(".Inf", YSCALAR_FLOAT), WORD(".INF", YSCALAR_FLOAT), WORD("+.inf", YSCALAR_FLOAT),
    WORD("+.Inf", YSCALAR_FLOAT), WORD("+.INF", YSCALAR_FLOAT), WORD("-.inf", YSCALAR_FLOAT),
    WORD("-.Inf", YSCALAR_FLOAT), WORD("-.INF", YSCALAR_FLOAT), WORD(".nan", YSCALAR_FLOAT),
    WORD(".NaN", YSCALAR_FLOAT), WORD(".NAN", YSCALAR_FLOAT),
};

#define LONGEST_WORD 5

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Every one of s[0..n) is a digit up to top, or one of the extra
 * characters. */
static bool all_digits(const char *s, size_t n, char top, const char *extra)
{
    size_t i;

    if (n == 0)
        return false;
    for (i = 0; i < n; i++) {
        if (!(s[i] >= '0' && s[i] <= top) && !str_has_char(extra, s[i]))
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
    const char *d = s;
    size_t dn = n, i;

    if (n == 0)
        return YSCALAR_NULL;
    /* Most scalars are names and paths: no special reading starts with
     * anything but these characters.  Called for every plain scalar, so
     * the common cases (names, numbers) are decided in a few steps. */
    if (!str_has_char("~nNyYtTfFoO.+-0123456789", s[0]) ||
        (n > LONGEST_WORD && !str_has_char(".+-0123456789", s[0])))
        return YSCALAR_STRING;
    if (!is_digit(s[0]) && n <= LONGEST_WORD) {
        for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
            if (words[i].len == n && memcmp(s, words[i].text, n) == 0)
                return words[i].type;
        }
    }
    if (d[0] == '-' || d[0] == '+')
        d++, dn--;
    if (dn == 1 && is_digit(d[0]))
        return YSCALAR_INT;
    if (dn > 1 && d[0] >= '1' && d[0] <= '9' && all_digits(d, dn, '9', ""))
        return YSCALAR_INT;
    if (dn > 2 && d[0] == '0' && (d[1] == 'x' || d[1] == 'X') &&
        all_digits(d + 2, dn - 2, '9', "abcdefABCDEF_"))
        return YSCALAR_INT_OTHER;
    if (dn > 2 && d[0] == '0' && (d[1] == 'b' || d[1] == 'o') &&
        all_digits(d + 2, dn - 2, '7', "_"))
        return YSCALAR_INT_OTHER;
    if (dn > 1 && all_digits(d, dn, '9', "_") && d[0] != '_')
        return YSCALAR_INT_OTHER; /* leading zero (octal in YAML 1.1) or 1_000 */
    if (is_float(s, n))
        return YSCALAR_FLOAT;
    return YSCALAR_STRING;
}
