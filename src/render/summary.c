/* summary.c — the `info` report. */
#include "config.h"
#include "render/summary.h"
#include "render/json.h"
#include "render/units.h"

#include <jansson.h>
#include <time.h>

static const char *str(const ms_profile *p, uint32_t id) { return ms_profile_string(p, id); }

static void format_time(char *out, size_t n, int64_t nanos)
{
	time_t t = (time_t)(nanos / 1000000000);
	struct tm tm;
	if (nanos <= 0 || !gmtime_r(&t, &tm) || !strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, n, "-");
}

int ms_render_info_text(FILE *fp, const ms_profile *p, const char *name)
{
	char buf[64], t[64];
	int def = ms_profile_sample_index(p, NULL, NULL);
	fprintf(fp, "File: %s\n", name);
	format_time(t, sizeof t, p->time_nanos);
	fprintf(fp, "Time: %s\n", t);
	if (p->duration_nanos)
		fprintf(fp, "Duration: %s\n", ms_format_value(buf, sizeof buf, p->duration_nanos, "nanoseconds"));
	if (p->period_type.type || p->period)
		fprintf(fp, "Period: %lld %s/%s\n", (long long)p->period, str(p, p->period_type.type),
			str(p, p->period_type.unit));
	fprintf(fp, "Samples: %zu\nLocations: %zu\nFunctions: %zu\nMappings: %zu\n", p->nsamples, p->nlocations,
		p->nfunctions, p->nmappings);
	fprintf(fp, "Sample types:\n");
	for (size_t i = 0; i < p->ntypes; i++) {
		int64_t total = ms_profile_total(p, i);
		const char *unit = str(p, p->types[i].unit);
		fprintf(fp, "  %-2zu %-20s %-12s total %-20lld (%s)%s\n", i, str(p, p->types[i].type), unit,
			(long long)total, ms_format_value(buf, sizeof buf, total, unit),
			(int)i == def ? "  [default]" : "");
	}
	for (size_t i = 0; i < p->ncomments; i++)
		fprintf(fp, "Comment: %s\n", str(p, p->comments[i]));
	return 0;
}

int ms_render_info_json(FILE *fp, const ms_profile *p, const char *name)
{
	json_t *o = json_object();
	int def = ms_profile_sample_index(p, NULL, NULL);
	json_object_set_new(o, "file", ms_json_str(name));
	json_object_set_new(o, "time_nanos", json_integer(p->time_nanos));
	json_object_set_new(o, "duration_nanos", json_integer(p->duration_nanos));
	json_object_set_new(o, "period", json_integer(p->period));
	json_object_set_new(o, "period_type", json_pack("{s:o, s:o}", "type", ms_json_str(str(p, p->period_type.type)), "unit",
		ms_json_str(str(p, p->period_type.unit))));
	json_object_set_new(o, "samples", json_integer((json_int_t)p->nsamples));
	json_object_set_new(o, "locations", json_integer((json_int_t)p->nlocations));
	json_object_set_new(o, "functions", json_integer((json_int_t)p->nfunctions));
	json_object_set_new(o, "mappings", json_integer((json_int_t)p->nmappings));
	json_t *types = json_array();
	for (size_t i = 0; i < p->ntypes; i++)
		json_array_append_new(types, json_pack("{s:o, s:o, s:I}", "type", ms_json_str(str(p, p->types[i].type)), "unit",
			ms_json_str(str(p, p->types[i].unit)), "total", (json_int_t)ms_profile_total(p, i)));
	json_object_set_new(o, "sample_types", types);
	json_object_set_new(o, "default_sample_type",
		def >= 0 ? ms_json_str(str(p, p->types[def].type)) : json_null());
	json_t *comments = json_array();
	for (size_t i = 0; i < p->ncomments; i++)
		json_array_append_new(comments, ms_json_str(str(p, p->comments[i])));
	json_object_set_new(o, "comments", comments);
	int rc = json_dumpf(o, fp, JSON_INDENT(2));
	fputc('\n', fp);
	json_decref(o);
	return rc;
}
