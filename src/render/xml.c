/* xml.c — XML text escaping shared by the SVG renderers (see xml.h). */
#include "config.h"
#include "render/xml.h"

#include <stdint.h>
#include <string.h>

#include "util/utf8.h"

size_t ms_xml_char_len(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t len = ms_utf8_len(p, n, &cp);
	if (len == 0)
		return 0;
	if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
		return 0;
	if (cp == 0xfffe || cp == 0xffff)
		return 0;
	return len;
}

size_t ms_xml_char_count(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; k++) {
		size_t l = ms_xml_char_len((const unsigned char *)s + i, n - i);
		i += l ? l : 1;
	}
	return k;
}

void ms_xml_add(ms_buf *b, const char *s, size_t n, size_t maxchars)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k < maxchars; k++) {
		const unsigned char *p = (const unsigned char *)s + i;
		size_t l = ms_xml_char_len(p, n - i);
		if (l == 0) {
			ms_buf_addstr(b, MS_UTF8_REPLACEMENT);
			i++;
			continue;
		}
		switch (*p) {
		case '&': ms_buf_addstr(b, "&amp;"); break;
		case '<': ms_buf_addstr(b, "&lt;"); break;
		case '>': ms_buf_addstr(b, "&gt;"); break;
		case '"': ms_buf_addstr(b, "&quot;"); break;
		default: ms_buf_add(b, p, l);
		}
		i += l;
	}
}

void ms_xml_write_text(FILE *fp, const char *s)
{
	ms_buf b = MS_BUF_INIT;
	ms_xml_add(&b, s, strlen(s), SIZE_MAX);
	if (b.len)
		fwrite(b.data, 1, b.len, fp);
	ms_buf_free(&b);
}
