/*
 * One pass over the raw bytes before libyaml sees them.  libyaml reports
 * encoding problems with a byte offset but no mark, after dropping the events
 * before them; checking here gives exact positions and the same verdict.
 * The accepted set is YAML's printable set: TAB, LF, CR, U+0020-U+007E,
 * U+0085, U+00A0-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF.
 */
#include "load_internal.h"

#include "base/compilation.h"
#include "base/utf8.h"

#include <stdint.h>
#include <string.h>

#define BYTES(b) (0x0101010101010101ull * (b))

/* Whether the 8 bytes at p are all printable ASCII or LF, the bytes of
 * nearly every manifest, so the scan below takes them a word at a time.
 * With no high bit set, each test is exact per byte (no carry crosses a
 * byte): b + 0x60 has its high bit iff b >= 0x20, b + 1 iff b == 0x7f,
 * and (b ^ LF) + 0x7f iff b is not LF. */
static bool plain_word(const unsigned char *p)
{
    uint64_t w, printable, not_lf;

    memcpy(&w, p, sizeof(w));
    if (w & BYTES(0x80))
        return false;
    printable = (w + BYTES(0x60)) & ~(w + BYTES(0x01));
    not_lf = (w ^ BYTES(0x0a)) + BYTES(0x7f);
    return ((printable | ~not_lf) & BYTES(0x80)) == BYTES(0x80);
}

bool load_prescan(struct compilation *c, uint32_t file, const char *data,
                  size_t len)
{
    const unsigned char *u = (const unsigned char *)data;
    size_t i = 0;

    if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff))) {
        diag_report(&c->diags, DIAG_INVALID_UTF8,
                    source_loc_from_offset(&c->sources, file, 0), NULL, NULL,
                    "the file is UTF-16; gwc reads UTF-8 (convert it with iconv)");
        return false;
    }
    while (i < len) {
        uint32_t cp;
        size_t n;

        if (i + 8 <= len && plain_word(u + i)) {
            i += 8;
            continue;
        }
        if (u[i] >= 0x20 && u[i] < 0x7f) {
            i++;
            continue;
        }
        if (u[i] == '\t' || u[i] == '\n' || u[i] == '\r') {
            i++;
            continue;
        }
        if (u[i] == 0) {
            diag_report(&c->diags, DIAG_CONTROL_CHARACTER,
                        source_loc_from_offset(&c->sources, file, i), NULL, NULL,
                        "NUL byte in the text (is this a binary or UTF-16 file?)");
            return false;
        }
        if (u[i] < 0x80) {
            diag_report(&c->diags, DIAG_CONTROL_CHARACTER,
                        source_loc_from_offset(&c->sources, file, i), NULL, NULL,
                        "control character U+%04X is not allowed in YAML", u[i]);
            return false;
        }
        n = utf8_decode(u + i, len - i, &cp);
        if (n == 0) {
            diag_report(&c->diags, DIAG_INVALID_UTF8,
                        source_loc_from_offset(&c->sources, file, i), NULL, NULL,
                        "invalid UTF-8 byte 0x%02X", u[i]);
            return false;
        }
        if ((cp >= 0x80 && cp <= 0x9f && cp != 0x85) || cp == 0xfffe ||
            cp == 0xffff) {
            diag_report(&c->diags, DIAG_CONTROL_CHARACTER,
                        source_loc_from_offset(&c->sources, file, i), NULL, NULL,
                        "character U+%04X is not allowed in YAML", (unsigned)cp);
            return false;
        }
        i += n;
    }
    return true;
}
