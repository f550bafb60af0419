/*
 * Is a text a Helm (Go) template rather than YAML?  It is when "{{" appears
 * outside every string: not in a quoted scalar, a block scalar or a
 * comment, where it would only be text.  A line scanner, not a parser: it
 * follows just enough of YAML to know where strings are, and gives the
 * offset of the first "{{" it finds.
 */
#include "load_internal.h"

#include "base/str.h"

#include <string.h>

struct scan {
    const char *d;
    size_t len, i;
    char quote;        /* '"' or '\'' while inside a quoted scalar */
    long block_indent; /* a block scalar's parent indentation, or -1 */
};

static size_t indentation(const char *d, size_t len, size_t i)
{
    size_t n = 0;

    while (i + n < len && d[i + n] == ' ')
        n++;
    return n;
}

/* Can a quoted scalar start at d[i]: at the start of a value? */
static bool value_start(const char *d, size_t line_start, size_t i)
{
    size_t j = i;

    while (j > line_start && (d[j - 1] == ' ' || d[j - 1] == '\t'))
        j--;
    if (j == line_start)
        return true;
    return str_has_char(":-[{,?", d[j - 1]);
}

/* "key: |", "- >-", "|2+": does the line's content end in a block
 * scalar indicator? */
static bool opens_block(const char *d, size_t from, size_t to)
{
    while (to > from && (d[to - 1] == ' ' || d[to - 1] == '\t'))
        to--;
    while (to > from && (str_has_char("+-", d[to - 1]) || (d[to - 1] >= '1' && d[to - 1] <= '9')))
        to--;
    if (to == from || (d[to - 1] != '|' && d[to - 1] != '>'))
        return false;
    return to - 1 == from || d[to - 2] == ' ' || d[to - 2] == '\t';
}

/* Scans one line from s->i; returns true with *at set on a "{{". */
static bool scan_line(struct scan *s, size_t *at)
{
    const char *d = s->d;
    size_t start = s->i, end = start, content_end;

    while (end < s->len && d[end] != '\n')
        end++;
    content_end = end;
    if (s->block_indent >= 0 && !s->quote) {
        size_t ind = indentation(d, end, start);
        if (start + ind == end || (long)ind > s->block_indent) {
            s->i = end + (end < s->len);
            return false; /* a line of the block scalar, or a blank one */
        }
        s->block_indent = -1;
    }
    for (size_t i = start; i < end; i++) {
        char c = d[i];

        if (s->quote == '"') {
            if (c == '\\')
                i++;
            else if (c == '"')
                s->quote = 0;
        } else if (s->quote == '\'') {
            if (c == '\'' && i + 1 < end && d[i + 1] == '\'')
                i++;
            else if (c == '\'')
                s->quote = 0;
        } else if (c == '#' && (i == start || d[i - 1] == ' ' || d[i - 1] == '\t')) {
            content_end = i;
            break;
        } else if ((c == '"' || c == '\'') && value_start(d, start, i)) {
            s->quote = c;
        } else if (c == '{' && i + 1 < end && d[i + 1] == '{') {
            *at = i;
            return true;
        }
    }
    if (!s->quote && opens_block(d, start, content_end))
        s->block_indent = (long)indentation(d, end, start);
    s->i = end + (end < s->len);
    return false;
}

/* Whether "{{" occurs at all: in most texts it does not, and memchr finds
 * that faster than the line scanner. */
static bool has_double_brace(const char *d, size_t len)
{
    const char *p = d, *end = d + len;

    while ((p = memchr(p, '{', (size_t)(end - p))) != NULL) {
        if (++p < end && *p == '{')
            return true;
    }
    return false;
}

bool load_find_template(const char *data, size_t len, size_t *offset)
{
    struct scan s = {data, len, 0, 0, -1};

    if (!has_double_brace(data, len))
        return false;
    while (s.i < len) {
        if (scan_line(&s, offset))
            return true;
    }
    return false;
}
