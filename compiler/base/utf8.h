/* UTF-8 helpers: validation with positions, and code-point walks. */
#ifndef GWC_UTF8_H
#define GWC_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Length of the valid UTF-8 sequence at s[0..n), or 0 when it is invalid
 * (overlong forms, surrogates and values above U+10FFFF are invalid).
 * *cp receives the code point.
 */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* Byte length of the first 'chars' code points of s[0..n) (stops at n). */
size_t utf8_advance(const char *s, size_t n, size_t chars);
/* Number of code points in s[0..n); invalid bytes count one each. */
size_t utf8_count(const char *s, size_t n);

#endif
