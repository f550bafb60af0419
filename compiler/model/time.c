/* Time as Kubernetes writes it: RFC 3339 timestamps (creationTimestamp)
 * and Gateway API durations. */
#include "decode_internal.h"

#include "base/array.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool digits(const char *s, int n, int *out)
{
    int v = 0, i;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool model_parse_rfc3339(const char *s, int64_t *seconds)
{
    int y, mo, d, h, mi, sec, oh = 0, om = 0;
    size_t n = strlen(s), i = 19;
    int64_t t;

    if (n < 20 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
        !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) ||
        s[16] != ':' || !digits(s + 17, 2, &sec))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return false;
    if (s[i] == '.') {
        i++;
        if (i >= n || s[i] < '0' || s[i] > '9')
            return false;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++; /* sub-second precision does not order Kubernetes objects */
    }
    if (s[i] == 'Z' || s[i] == 'z') {
        i++;
    } else if (s[i] == '+' || s[i] == '-') {
        if (n - i != 6 || !digits(s + i + 1, 2, &oh) || s[i + 3] != ':' ||
            !digits(s + i + 4, 2, &om))
            return false;
        if (s[i] == '-') {
            oh = -oh;
            om = -om;
        }
        i += 6;
    } else {
        return false;
    }
    if (i != n)
        return false;
    t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    *seconds = t - (oh * 3600 + om * 60);
    return true;
}

/* ^([0-9]{1,5}(h|m|s|ms)){1,4}$, summed as Go's time.ParseDuration (which
 * CEL's duration() uses) does. */
bool model_parse_duration(const char *s, int64_t *ms)
{
    int64_t total = 0;
    int groups = 0;

    while (*s) {
        int64_t v = 0, unit;
        int digits = 0;

        for (; (*s >= '0' && *s <= '9'); s++) {
            if (++digits > 5)
                return false;
            v = v * 10 + (*s - '0');
        }
        if (digits == 0)
            return false;
        if (s[0] == 'm' && s[1] == 's')
            unit = 1, s += 2;
        else if (*s == 'h')
            unit = 3600000, s++;
        else if (*s == 'm')
            unit = 60000, s++;
        else if (*s == 's')
            unit = 1000, s++;
        else
            return false;
        if (++groups > 4)
            return false;
        total += v * unit;
    }
    *ms = total;
    return groups > 0;
}

/* A number with an optional fraction and unit, as users write timeouts that
 * are not Gateway API durations: "10", "1.5", "1.5s", "2.5m". */
static bool number_ms(const char *s, int64_t *ms)
{
    int64_t whole = 0, frac = 0, scale = 1, unit = 1000;
    int digits = 0;

    for (; *s >= '0' && *s <= '9'; s++) {
        if (++digits > 9)
            return false;
        whole = whole * 10 + (*s - '0');
    }
    if (digits == 0)
        return false;
    if (*s == '.') {
        for (s++, digits = 0; *s >= '0' && *s <= '9'; s++) {
            if (++digits > 3)
                return false; /* finer than a millisecond */
            frac = frac * 10 + (*s - '0');
            scale *= 10;
        }
        if (digits == 0)
            return false;
    }
    if (strcmp(s, "ms") == 0)
        unit = 1;
    else if (strcmp(s, "h") == 0)
        unit = 3600000;
    else if (strcmp(s, "m") == 0)
        unit = 60000;
    else if (*s && strcmp(s, "s") != 0)
        return false;
    if ((whole * unit * scale + frac * unit) % scale != 0)
        return false;
    *ms = (whole * unit * scale + frac * unit) / scale;
    return true;
}

const char *model_duration_fix(const char *text, char buf[32])
{
    static const struct {
        const char *unit;
        int64_t ms;
    } units[] = {{"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1}};
    int64_t ms, check;
    size_t i, n = 0;

    if (!number_ms(text, &ms))
        return NULL;
    /* Keep the user's unit when it fits in one group: "10" -> "10s". */
    if (ms % 1000 == 0 && ms / 1000 <= 99999)
        snprintf(buf, 32, "%llds", (long long)(ms / 1000));
    else if (ms <= 99999)
        snprintf(buf, 32, "%lldms", (long long)ms);
    else {
        for (i = 0; i < ARRAY_SIZE(units); i++) {
            int64_t v = ms / units[i].ms;
            if (v == 0)
                continue;
            n += (size_t)snprintf(buf + n, 32 - n, "%lld%s", (long long)v, units[i].unit);
            ms -= v * units[i].ms;
        }
    }
    return model_parse_duration(buf, &check) ? buf : NULL;
}
