/* tags_report.c — pprof -tags's text, byte for byte, and its JSON form.
 *
 * pprof (internal/report/report.go printTags) writes, per key:
 *	"KEY:\t Total %.1f%s\n"
 *	" \t%.1f%s (PCT):\t VALUE\n"     one per value (no "(PCT)" when the
 *	                                  key's total is 0)
 *	"\n"
 * through text/tabwriter (minwidth 0, padding 1, AlignRight). A tabwriter
 * column is a run of lines that have a cell (tab-terminated text) in it;
 * each cell is right-aligned to the column's widest cell + 1, widths
 * counted in UTF-8 runes; a line's last cell is not aligned. The blank line
 * ends every run, so each key is laid out alone: column 0 holds "KEY:" and
 * the value lines' " ", column 1 only the value lines' "%.1f%s (PCT):". */
#include "config.h"
#include "render/tags.h"

#include <stdlib.h>
#include <string.h>

#include "render/json.h"
#include "util/units.h"

static size_t runes(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void pad(FILE *fp, size_t width, const char *cell)
{
	for (size_t w = runes(cell); w < width; w++)
		fputc(' ', fp);
	fputs(cell, fp);
}

/* pprof's "%.1f%s" of measurement.Scale(v, unit, "minimum"). */
static void amount(char *out, size_t n, int64_t v, const char *unit)
{
	const char *u;
	double f = ms_scale((double)v, unit, "minimum", &u);
	snprintf(out, n, "%.1f%s", f, u);
}

void ms_render_tags_text(FILE *fp, const ms_tags *t, const char *unit)
{
	for (size_t k = 0; k < t->nkeys; k++) {
		const ms_tag_key *key = &t->keys[k];
		size_t nv = key->nvalues;
		char (*cells)[96] = ms_xcalloc(nv ? nv : 1, sizeof *cells);
		char total[64];
		size_t w1 = 0;
		for (size_t i = 0; i < nv; i++) {
			char a[64], pct[32];
			amount(a, sizeof a, key->values[i].value, unit);
			if (key->total > 0)
				snprintf(cells[i], sizeof cells[i], "%s (%s):", a,
					ms_format_percent(pct, sizeof pct, key->values[i].value, key->total));
			else
				snprintf(cells[i], sizeof cells[i], "%s:", a);
			if (runes(cells[i]) > w1)
				w1 = runes(cells[i]);
		}
		/* column 0: "KEY:" is its widest cell (the value lines' is " ") */
		size_t w0 = runes(key->name) + 2;
		w1 += 1;
		amount(total, sizeof total, key->total, unit);
		fprintf(fp, " %s: Total %s\n", key->name, total);
		for (size_t i = 0; i < nv; i++) {
			pad(fp, w0, " ");
			pad(fp, w1, cells[i]);
			fprintf(fp, " %s\n", key->values[i].name);
		}
		fputc('\n', fp);
		free(cells);
	}
}

int ms_render_tags_json(FILE *fp, const ms_tags *t, const char *type, const char *unit)
{
	json_t *o = json_object();
	json_object_set_new(o, "sample_type",
		json_pack("{s:o, s:o}", "type", ms_json_str(type), "unit", ms_json_str(unit)));
	json_t *keys = json_array();
	for (size_t k = 0; k < t->nkeys; k++) {
		const ms_tag_key *key = &t->keys[k];
		json_t *vals = json_array();
		for (size_t i = 0; i < key->nvalues; i++)
			json_array_append_new(vals, json_pack("{s:o, s:I}", "value", ms_json_str(key->values[i].name), "total",
				(json_int_t)key->values[i].value));
		json_array_append_new(keys, json_pack("{s:o, s:I, s:o}", "key", ms_json_str(key->name), "total",
			(json_int_t)key->total, "values", vals));
	}
	json_object_set_new(o, "tags", keys);
	int rc = json_dumpf(o, fp, JSON_INDENT(2));
	fputc('\n', fp);
	json_decref(o);
	return rc;
}
