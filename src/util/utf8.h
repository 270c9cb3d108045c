/* utf8.h — validating UTF-8 in names that come from input (symbol names,
 * file names, folded stacks), so every text writer (JSON, SVG/XML) emits
 * valid output: a byte that does not start a valid sequence is written as
 * U+FFFD (the replacement character), one per byte, and nothing is dropped.
 * (Documented in man/parts: "names that are not valid UTF-8".) */
#ifndef MS_UTF8_H
#define MS_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* U+FFFD in UTF-8 */
#define MS_UTF8_REPLACEMENT "\xef\xbf\xbd"

/* Length (1-4) of the valid UTF-8 sequence at p (n bytes available), 0 if
 * p does not start one: overlong forms, surrogates (U+D800-U+DFFF), code
 * points past U+10FFFF and truncated sequences are invalid. *cp gets the
 * code point when cp is non-NULL. */
size_t ms_utf8_len(const unsigned char *p, size_t n, uint32_t *cp);

/* True when all n bytes of s are valid UTF-8. */
int ms_utf8_valid(const char *s, size_t n);

/* Appends s (n bytes) to b with each invalid byte replaced by U+FFFD. */
void ms_utf8_add_sanitized(ms_buf *b, const char *s, size_t n);

#endif
