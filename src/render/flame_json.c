/* flame_json.c — `memscope flame --json`: the collapsed stacks as JSON, for
 * programs (the same stacks, order and values as the folded output):
 *   {"type": S, "unit": S, "columns": ["value"] | ["base", "new"],
 *    "totals": [N] | [N, N],
 *    "stacks": [{"frames": [root, ..., leaf], "value": N}
 *               | {"frames": [...], "base": N, "new": N}, ...]}
 * Written as it goes (a heap profile can hold 400k stacks); names that are
 * not valid UTF-8 have each bad byte as U+FFFD, as every JSON writer. */
#include "config.h"
#include "render/flame_json.h"

#include <stdlib.h>

#include "util/buf.h"
#include "util/utf8.h"

/* A JSON string of the n bytes at s. */
static void add_json_string(ms_buf *b, ms_buf *tmp, const char *s, size_t n)
{
	ms_buf_reset(tmp);
	ms_utf8_add_sanitized(tmp, s, n);
	ms_buf_addch(b, '"');
	for (size_t i = 0; i < tmp->len; i++) {
		unsigned char c = (unsigned char)tmp->data[i];
		if (c == '"' || c == '\\') {
			ms_buf_addch(b, '\\');
			ms_buf_addch(b, (char)c);
		} else if (c < 0x20) {
			ms_buf_addf(b, "\\u%04x", c);
		} else {
			ms_buf_addch(b, (char)c);
		}
	}
	ms_buf_addch(b, '"');
}

int ms_flame_json_write(FILE *fp, const ms_stacks *s, const char *type, const char *unit)
{
	ms_buf b = MS_BUF_INIT, tmp = MS_BUF_INIT;
	ms_buf_addstr(&b, "{\"type\": ");
	add_json_string(&b, &tmp, type ? type : "", type ? strlen(type) : 0);
	ms_buf_addstr(&b, ", \"unit\": ");
	add_json_string(&b, &tmp, unit ? unit : "", unit ? strlen(unit) : 0);
	int diff = s->ncols == 2;
	ms_buf_addf(&b, ", \"columns\": %s, \"totals\": [", diff ? "[\"base\", \"new\"]" : "[\"value\"]");
	for (size_t c = 0; c < s->ncols; c++)
		ms_buf_addf(&b, "%s%lld", c ? ", " : "", (long long)ms_stacks_total(s, c));
	ms_buf_addstr(&b, "],\n \"stacks\": [");
	uint32_t *order;
	size_t n = ms_stacks_sorted(s, &order);
	for (size_t k = 0; k < n; k++) {
		uint32_t i = order[k];
		ms_buf_addstr(&b, k ? ",\n  {\"frames\": [" : "\n  {\"frames\": [");
		for (uint32_t f = 0; f < s->set.depth[i]; f++) {
			uint32_t id = s->set.ids[s->set.off[i] + f];
			if (f)
				ms_buf_addstr(&b, ", ");
			add_json_string(&b, &tmp, s->names.str[id], s->names.len[id]);
		}
		const int64_t *v = &s->values[(size_t)i * s->ncols];
		if (diff)
			ms_buf_addf(&b, "], \"base\": %lld, \"new\": %lld}", (long long)v[0], (long long)v[1]);
		else
			ms_buf_addf(&b, "], \"value\": %lld}", (long long)v[0]);
		if (b.len > 1 << 16) {
			fwrite(b.data, 1, b.len, fp);
			ms_buf_reset(&b);
		}
	}
	ms_buf_addstr(&b, n ? "\n ]}\n" : "]}\n");
	fwrite(b.data, 1, b.len, fp);
	free(order);
	ms_buf_free(&b);
	ms_buf_free(&tmp);
	return ferror(fp) ? -1 : 0;
}
