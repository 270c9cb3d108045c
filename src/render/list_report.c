/* list_report.c (API in list.h) — pprof -list's layout (report/source.go,
 * printSource): values auto-scaled one by one (list keeps pprof's
 * "minimum" output unit), "." for a zero on a source line. */
#include "config.h"
#include "render/list.h"
#include "render/json.h"
#include "util/units.h"

static const char *value(char *out, size_t n, int64_t v, const char *unit)
{
	return ms_format_value_as(out, n, v, unit, "auto");
}

static const char *value_or_dot(char *out, size_t n, int64_t v, const char *unit)
{
	return v == 0 ? "." : value(out, n, v, unit);
}

void ms_render_list_text(FILE *fp, const ms_profile *p, size_t si, const ms_listing *l)
{
	const char *unit = ms_profile_string(p, p->types[si].unit);
	char a[64], b[64], c[32];
	fprintf(fp, "Total: %s\n", value(a, sizeof a, l->total, unit));
	for (size_t i = 0; i < l->nroutines; i++) {
		const ms_list_routine *r = &l->routines[i];
		if (!r->file) {
			fprintf(fp, "No source information for %s\n", r->name);
			continue;
		}
		fprintf(fp, "ROUTINE ======================== %s in %s\n", r->name, r->file);
		fprintf(fp, "%10s %10s (flat, cum) %s of Total\n", value(a, sizeof a, r->flat, unit),
			value(b, sizeof b, r->cum, unit), ms_format_percent(c, sizeof c, r->cum, l->total));
		if (r->error) {
			fprintf(fp, " Error: %s\n", r->error);
			continue;
		}
		for (size_t k = 0; k < r->nlines; k++) {
			const ms_list_line *ln = &r->lines[k];
			fprintf(fp, "%10s %10s %6lld:%s\n", value_or_dot(a, sizeof a, ln->flat, unit),
				value_or_dot(b, sizeof b, ln->cum, unit), (long long)ln->lineno, ln->text);
		}
	}
}

int ms_render_list_json(FILE *fp, const ms_profile *p, size_t si, const ms_listing *l)
{
	json_t *o = json_object();
	json_object_set_new(o, "sample_type", json_pack("{s:o, s:o}", "type", ms_json_str(ms_profile_string(p, p->types[si].type)),
		"unit", ms_json_str(ms_profile_string(p, p->types[si].unit))));
	json_object_set_new(o, "total", json_integer(l->total));
	json_t *rs = json_array();
	for (size_t i = 0; i < l->nroutines; i++) {
		const ms_list_routine *r = &l->routines[i];
		json_t *jr = json_pack("{s:o, s:I, s:I}", "name", ms_json_str(r->name), "flat", (json_int_t)r->flat, "cum",
			(json_int_t)r->cum);
		json_object_set_new(jr, "file", r->file ? ms_json_str(r->file) : json_null());
		if (r->error)
			json_object_set_new(jr, "error", ms_json_str(r->error));
		json_t *lines = json_array();
		for (size_t k = 0; k < r->nlines; k++) {
			const ms_list_line *ln = &r->lines[k];
			json_array_append_new(lines, json_pack("{s:I, s:I, s:I, s:o}", "line", (json_int_t)ln->lineno, "flat",
				(json_int_t)ln->flat, "cum", (json_int_t)ln->cum, "source", ms_json_str(ln->text)));
		}
		json_object_set_new(jr, "lines", lines);
		json_array_append_new(rs, jr);
	}
	json_object_set_new(o, "routines", rs);
	int rc = json_dumpf(o, fp, JSON_INDENT(2));
	fputc('\n', fp);
	json_decref(o);
	return rc;
}
