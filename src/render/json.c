/* json.c — JSON string values that never fail on content (see json.h). */
#include "config.h"
#include "render/json.h"

#include <string.h>

#include "util/utf8.h"

json_t *ms_json_str(const char *s)
{
	if (!s)
		s = "";
	size_t n = strlen(s);
	if (ms_utf8_valid(s, n))
		return json_stringn(s, n);
	ms_buf b = MS_BUF_INIT;
	ms_utf8_add_sanitized(&b, s, n);
	json_t *j = json_stringn(b.data, b.len);
	ms_buf_free(&b);
	return j;
}
