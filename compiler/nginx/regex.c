/*
 * PCRE2 as nginx links it (10.42 on Debian 12), with the options nginx
 * uses, so a pattern gwc accepts is one nginx accepts; and the patterns
 * gwc builds around user text.  A user pattern is compiled, rewritten
 * (regex_rewrite.c), and its result checked with PCRE2 again: no names
 * left, the same number of captures.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "regex_internal.h"

#include "base/arena.h"
#include "base/strbuf.h"
#include "quote.h"

#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#define WRAP_OPEN "^(?:"
#define WRAP_CLOSE ")$"

static pcre2_code *compile(const char *text, size_t len, struct regex_error *err,
                           size_t shift, size_t limit)
{
    int code;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)text, len, 0, &code, &off, NULL);


    if (re)
        return re;
    if (pcre2_get_error_message(code, (PCRE2_UCHAR *)err->message,
                                sizeof(err->message)) < 0)
        snprintf(err->message, sizeof(err->message), "PCRE2 error %d", code);
    err->refused = false;
    err->hint = "";
    off = off > shift ? off - shift : 0;
    err->offset = off < limit ? off : limit;
    return NULL;
}

static uint32_t info(const pcre2_code *re, uint32_t what)
{
    uint32_t v = 0;

    pcre2_pattern_info(re, what, &v);
    return v;
}

bool nginx_regex_user(const char *pattern, struct strbuf *body,
                      struct regex_error *err)
{
    size_t len = strlen(pattern);
    struct strbuf mine = STRBUF_INIT, wrapped = STRBUF_INIT;
    pcre2_code *re;
    uint32_t captures;
    bool ok;

    re = compile(pattern, len, err, 0, len);
    if (!re)
        return false;
    captures = info(re, PCRE2_INFO_CAPTURECOUNT);
    pcre2_code_free(re);

    ok = nginx_regex_rewrite(pattern, len, &mine, err);
    if (!ok) {
        strbuf_release(&mine);
        return false;
    }
    strbuf_addf(&wrapped, WRAP_OPEN "%s" WRAP_CLOSE, mine.buf);
    /* Errors past the rewritten part point into the user's text when
     * nothing was rewritten, else at its start. */
    re = compile(wrapped.buf, wrapped.len, err, strlen(WRAP_OPEN),
                 strcmp(mine.buf, pattern) == 0 ? len : 0);
    ok = re != NULL;
    if (ok && (info(re, PCRE2_INFO_NAMECOUNT) != 0 ||
               info(re, PCRE2_INFO_CAPTURECOUNT) != captures)) {
        snprintf(err->message, sizeof(err->message),
                 "has named groups gwc cannot rewrite without changing its captures");
        err->refused = true;
        err->hint = "";
        err->offset = 0;
        ok = false;
    }
    pcre2_code_free(re);
    if (ok && body)
        strbuf_add(body, mine.buf, mine.len);
    strbuf_release(&mine);
    strbuf_release(&wrapped);
    return ok;
}

/* Validation compiled the pattern twice (as written, and rewritten and
 * wrapped) and accepted it; the body is the rewrite alone, which needs no
 * PCRE2.  A route's patterns are asked for by the controller's checks and
 * again by the plan, so compiling here was most of the PCRE2 work. */
const char *nginx_regex_user_body(struct arena *a, const char *pattern)
{
    struct strbuf sb = STRBUF_INIT;
    struct regex_error err;
    const char *s;

    if (!nginx_regex_rewrite(pattern, strlen(pattern), &sb, &err))
        BUG("a regular expression validation refused reached the plan");
    s = arena_strndup(a, sb.buf, sb.len);
    strbuf_release(&sb);
    return s;
}

const char *nginx_regex_grpc_path(struct arena *a, const char *service,
                                  const char *method, bool regex)
{
    struct strbuf sb = STRBUF_INIT;
    const char *s;

    strbuf_addch(&sb, '/');
    if (service && regex)
        strbuf_addf(&sb, "(?:%s)", nginx_regex_user_body(a, service));
    else
        strbuf_addstr(&sb, "[^/]+");
    strbuf_addch(&sb, '/');
    if (method && regex)
        strbuf_addf(&sb, "(?:%s)", nginx_regex_user_body(a, method));
    else if (method)
        nginx_quote_regex_literal(&sb, method);
    else
        strbuf_addstr(&sb, "[^/]+");
    s = arena_strndup(a, sb.buf, sb.len);
    strbuf_release(&sb);
    return s;
}

bool nginx_regex_full_match(const char *pattern, const char *subject)
{
    struct strbuf re = STRBUF_INIT;
    pcre2_match_data *md;
    pcre2_code *code;
    PCRE2_SIZE off;
    int err, rc;

    strbuf_addf(&re, WRAP_OPEN "%s" WRAP_CLOSE, pattern);
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

const char *nginx_regex_for_value(struct arena *a, bool regex, const char *value)
{
    struct strbuf sb = STRBUF_INIT;
    const char *s;

    if (regex) {
        strbuf_addf(&sb, WRAP_OPEN "%s" WRAP_CLOSE,
                    nginx_regex_user_body(a, value));
    } else {
        strbuf_addch(&sb, '^');
        nginx_quote_regex_literal(&sb, value);
        strbuf_addch(&sb, '$');
    }
    s = arena_strndup(a, sb.buf, sb.len);
    strbuf_release(&sb);
    return s;
}
