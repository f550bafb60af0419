/*
 * PCRE2 as nginx links it (10.42 on Debian 12), with the options nginx
 * uses, so a pattern gwc accepts is one nginx accepts.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex.h"

#include "base/arena.h"
#include "base/strbuf.h"
#include "quote.h"

#include <pcre2.h>
#include <stdio.h>
#include <string.h>

bool regex_check(const char *pattern, bool caseless, char *err, size_t errlen,
                 size_t *offset)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, strlen(pattern),
                                   caseless ? PCRE2_CASELESS : 0, &code, &off, NULL);

    if (re) {
        pcre2_code_free(re);
        return true;
    }
    if (pcre2_get_error_message(code, (PCRE2_UCHAR *)err, errlen) < 0)
        snprintf(err, errlen, "PCRE2 error %d", code);
    *offset = off;
    return false;
}

bool regex_full_match(const char *pattern, const char *subject)
{
    struct strbuf re = STRBUF_INIT;
    pcre2_match_data *md;
    pcre2_code *code;
    PCRE2_SIZE off;
    int err, rc;

    strbuf_addf(&re, "^(?:%s)$", pattern);
    code = pcre2_compile((PCRE2_SPTR)re.buf, re.len, 0, &err, &off, NULL);
    strbuf_release(&re);
    if (!code)
        return false;
    md = pcre2_match_data_create_from_pattern(code, NULL);
    rc = pcre2_match(code, (PCRE2_SPTR)subject, strlen(subject), 0, 0, md, NULL);
    pcre2_match_data_free(md);
    pcre2_code_free(code);
    return rc >= 0;
}

const char *regex_for_value(struct arena *a, const char *type, const char *value)
{
    struct strbuf sb = STRBUF_INIT;
    const char *s;

    if (type && strcmp(type, "RegularExpression") == 0) {
        strbuf_addf(&sb, "^(?:%s)$", value);
    } else {
        strbuf_addch(&sb, '^');
        quote_regex_literal(&sb, value);
        strbuf_addch(&sb, '$');
    }
    s = arena_strndup(a, sb.buf, sb.len);
    strbuf_release(&sb);
    return s;
}
