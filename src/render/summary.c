/* summary.c — the `info` report. */
#include "config.h"
#include "render/summary.h"
#include "render/json.h"
#include "util/units.h"

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

static const char *const gt_kind_names[MS_GT_NKINDS] = { "sync", "net", "syscall", "sched" };

int ms_render_gotrace_info_text(FILE *fp, const ms_gt_stats *st)
{
	char buf[64];
	fprintf(fp, "Go execution trace: go 1.%d trace (%s format)%s\n", st->version_minor,
		st->generational ? "generational" : "per-P",
		st->truncated_at ? " (cut short: read up to the last complete generation)" : "");
	fprintf(fp, "  Trace duration:  %s\n", ms_format_value(buf, sizeof buf, st->duration_ns, "nanoseconds"));
	fprintf(fp, "  Max GOMAXPROCS:  %lld\n", (long long)st->max_procs);
	fprintf(fp, "  Goroutines:      %llu\n", (unsigned long long)st->goroutines);
	fprintf(fp, "  Events:          %llu\n", (unsigned long long)st->events);
	fprintf(fp, "  Generations:     %llu\n", (unsigned long long)st->generations);
	fprintf(fp, "  GC cycles:       %llu\n", (unsigned long long)st->gc_cycles);
	fprintf(fp, "  CPU samples:     %llu\n", (unsigned long long)st->cpu_samples);
	for (int k = 0; k < MS_GT_NKINDS; k++)
		fprintf(fp, "  %-8s %8llu intervals, delay %lld ns (%s)\n", gt_kind_names[k],
			(unsigned long long)st->kind_count[k], (long long)st->kind_ns[k],
			ms_format_value(buf, sizeof buf, st->kind_ns[k], "nanoseconds"));
	return 0;
}

static json_t *gotrace_json(const ms_gt_stats *st)
{
	json_t *o = json_object();
	char v[16];
	snprintf(v, sizeof v, "1.%d", st->version_minor);
	json_object_set_new(o, "version", json_string(v));
	json_object_set_new(o, "format", json_string(st->generational ? "generational" : "per-P"));
	json_object_set_new(o, "duration_ns", json_integer(st->duration_ns));
	json_object_set_new(o, "max_procs", json_integer(st->max_procs));
	json_object_set_new(o, "goroutines", json_integer((json_int_t)st->goroutines));
	json_object_set_new(o, "events", json_integer((json_int_t)st->events));
	json_object_set_new(o, "generations", json_integer((json_int_t)st->generations));
	json_object_set_new(o, "gc_cycles", json_integer((json_int_t)st->gc_cycles));
	json_object_set_new(o, "cpu_samples", json_integer((json_int_t)st->cpu_samples));
	json_object_set_new(o, "truncated_at", json_integer((json_int_t)st->truncated_at));
	json_t *kinds = json_object();
	for (int k = 0; k < MS_GT_NKINDS; k++)
		json_object_set_new(kinds, gt_kind_names[k], json_pack("{s:I, s:I}", "count",
			(json_int_t)st->kind_count[k], "delay_ns", (json_int_t)st->kind_ns[k]));
	json_object_set_new(o, "kinds", kinds);
	return o;
}

int ms_render_info_json(FILE *fp, const ms_profile *p, const char *name)
{
	return ms_render_info_json_gotrace(fp, p, name, NULL);
}

int ms_render_info_json_gotrace(FILE *fp, const ms_profile *p, const char *name, const ms_gt_stats *st)
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
	if (st)
		json_object_set_new(o, "go_trace", gotrace_json(st));
	int rc = json_dumpf(o, fp, JSON_INDENT(2));
	fputc('\n', fp);
	json_decref(o);
	return rc;
}
