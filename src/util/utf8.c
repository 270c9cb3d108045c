/* utf8.c — UTF-8 validation and replacement of invalid bytes (see utf8.h).
 *
 * Well-formed sequences (Unicode 15, table 3-7):
 *     00..7F
 *     C2..DF 80..BF
 *     E0..EF 80..BF 80..BF   (not overlong: cp >= 0x800; no surrogates D800..DFFF)
 *     F0..F4 80..BF 80..BF 80..BF   (cp in 0x10000..0x10FFFF)
 */
#include "config.h"
#include "util/utf8.h"

size_t ms_utf8_len(const unsigned char *p, size_t n, uint32_t *cpp)
{
	if (n == 0)
		return 0;
	unsigned c = p[0];
	size_t len;
	uint32_t cp, min;
	if (c < 0x80) {
		len = 1, cp = c, min = 0;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2, cp = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, cp = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, cp = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cpp)
		*cpp = cp;
	return len;
}

int ms_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t l = ms_utf8_len(p + i, n - i, NULL);
		if (l == 0)
			return 0;
		i += l;
	}
	return 1;
}

void ms_utf8_add_sanitized(ms_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0; /* start of the pending valid run */
	for (size_t i = 0; i < n;) {
		size_t l = p[i] < 0x80 ? 1 : ms_utf8_len(p + i, n - i, NULL);
		if (l) {
			i += l;
			continue;
		}
		ms_buf_add(b, s + run, i - run);
		ms_buf_addstr(b, MS_UTF8_REPLACEMENT);
		run = ++i;
	}
	ms_buf_add(b, s + run, n - run);
}
