#include "xml.h"

#include "strbuf.h"
#include "utf8.h"

#include <string.h>

void xml_escape(struct strbuf *out, const char *s, bool attribute)
{
    size_t n = strlen(s), i = 0;

    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        size_t len = utf8_decode((const unsigned char *)s + i, n - i, &cp);

        if (len == 0 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
            c == 0x7f || cp == 0xfffe || cp == 0xffff) {
            strbuf_addf(out, "\\x%02x", c);
            i++;
            continue;
        }
        if (c == '&')
            strbuf_addstr(out, "&amp;");
        else if (c == '<')
            strbuf_addstr(out, "&lt;");
        else if (c == '>')
            strbuf_addstr(out, "&gt;");
        else if (c == '"' && attribute)
            strbuf_addstr(out, "&quot;");
        else if ((c == '\n' || c == '\t' || c == '\r') && attribute)
            strbuf_addf(out, "&#%u;", c);
        else
            strbuf_add(out, s + i, len);
        i += len;
    }
}

void xml_attr(struct strbuf *out, const char *name, const char *value)
{
    strbuf_addf(out, " %s=\"", name);
    xml_escape(out, value, true);
    strbuf_addch(out, '"');
}
