/* escape_report.c (API in escape.h) — `memscope escape`'s sites with the
 * compiler's decisions (text, JSON) and the gate's stack-to-heap findings
 * (text, JSON, Markdown, GitHub). */
#include "config.h"
#include "render/escape.h"
#include "render/json.h"
#include "util/severity.h"
#include "util/units.h"

#include <jansson.h>
#include <string.h>

static const char *fn_name(const ms_profile *p, uint32_t f)
{
	return f == MS_NONE ? "?" : ms_profile_string(p, p->functions[f].name);
}

static const char *fn_file(const ms_profile *p, uint32_t f)
{
	return f == MS_NONE ? "" : ms_profile_string(p, p->functions[f].filename);
}

/* The file as the log prints it when the site is in the log, else the profile's. */
static const char *site_file(const ms_esc_view *v, const ms_esc_site *s)
{
	if (s->log_file != UINT32_MAX && s->via_function == MS_NONE)
		return v->log->files.str[s->log_file];
	return fn_file(v->p, s->function);
}

static const char *unit_of(const ms_esc_view *v)
{
	return ms_profile_string(v->p, v->p->types[v->j->value_index].unit);
}

/* The explanation of a site, one line per decision (heap ones first). */
static void site_reasons(const ms_esc_view *v, const ms_esc_site *s, void (*emit)(void *, const char *), void *arg)
{
	ms_buf b = MS_BUF_INIT;
	const char *func = fn_name(v->p, s->via_function != MS_NONE ? s->via_function : s->function);
	switch (s->verdict) {
	case MS_ESCV_OUTSIDE:
		emit(arg, "no frame of this stack is in the escape log's files (build those packages with -gcflags=all=-m=2)");
		return;
	case MS_ESCV_CALL:
		ms_buf_addf(&b, "allocated inside %s, called from %s at %s:%lld", fn_name(v->p, s->function),
			func, v->log->files.str[s->log_file], (long long)s->via_line);
		emit(arg, b.data);
		ms_buf_free(&b);
		return;
	case MS_ESCV_NONE:
		emit(arg, "no escape decision at this line: a runtime call allocates (append growth, map insert, "
			  "string building or conversion)");
		return;
	case MS_ESCV_STACK:
		emit(arg, "only stack decisions at this line: the allocation is a runtime call there");
		break;
	default:
		break;
	}
	if (s->inl_used) {
		ms_buf_addf(&b, "inlined into %s at %s:%lld, whose copy the compiler analysed there:", fn_name(v->p, s->inl_function),
			v->log->files.str[s->log_file], (long long)s->inl_line);
		emit(arg, b.data);
	}
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = s->dfirst; i < s->dfirst + s->nd; i++) {
			const ms_esc_decision *d = &v->log->d[i];
			if (ms_esc_is_heap((int)d->kind) != (pass == 0) || d->kind == MS_ESC_LEAK || d->kind == MS_ESC_LEAK_CONTENT)
				continue;
			ms_buf_reset(&b);
			ms_esc_reason(v->log, d, func, &b);
			emit(arg, b.data);
		}
	ms_buf_free(&b);
}

static void emit_text(void *fp, const char *s)
{
	fprintf(fp, "%33s%s\n", "", s);
}

static void log_summary(FILE *fp, const ms_esc_log *log, const char *name)
{
	fprintf(fp, "Escape log: %s: %zu decisions (%zu explained), %zu lines skipped\n", name, log->nd, log->nexplained,
		log->nbad);
}

void ms_render_escape_text(FILE *fp, const ms_esc_view *v)
{
	const ms_profile *p = v->p;
	const ms_esc_join *j = v->j;
	const char *unit = unit_of(v);
	char a[64], c[32], o[32];
	fprintf(fp, "Type: %s\n", ms_profile_string(p, p->types[j->value_index].type));
	log_summary(fp, v->log, v->log_name);
	size_t rows = v->max_rows && v->max_rows < j->n ? v->max_rows : j->n;
	int64_t shown = 0;
	for (size_t i = 0; i < rows; i++)
		shown += j->sites[i].bytes;
	fprintf(fp, "Showing %zu of %zu allocation sites, %s of %s total\n", rows, j->n,
		ms_format_value(a, sizeof a, shown, unit), ms_format_value(o, sizeof o, j->total, unit));
	fprintf(fp, "%10s %6s %8s  %-8s site\n", "flat", "flat%", "objects", "decision");
	for (size_t i = 0; i < rows; i++) {
		const ms_esc_site *s = &j->sites[i];
		snprintf(o, sizeof o, "%lld", (long long)s->objects);
		fprintf(fp, "%10s %s %8s  %-8s %s %s:%lld\n", ms_format_value(a, sizeof a, s->bytes, unit),
			ms_format_percent(c, sizeof c, s->bytes, j->total), j->objects_index == SIZE_MAX ? "-" : o,
			ms_esc_verdict_name(s->verdict), fn_name(p, s->function), site_file(v, s), (long long)s->line);
		site_reasons(v, s, emit_text, fp);
	}
}

static void emit_json(void *arr, const char *s)
{
	json_array_append_new(arr, ms_json_str(s));
}

static json_t *decision_json(const ms_esc_log *log, const ms_esc_decision *d)
{
	ms_buf b = MS_BUF_INIT;
	ms_buf_add(&b, ms_esc_str(log, d->expr), d->expr.len);
	json_t *o = json_pack("{s:s, s:o, s:I, s:I}", "kind", ms_esc_kind_name((int)d->kind), "expr", ms_json_str(b.data),
		"line", (json_int_t)d->line, "col", (json_int_t)d->col);
	json_t *chain = json_array();
	for (uint32_t i = 0; i < d->nsteps; i++) {
		const ms_esc_step *st = &log->steps[d->step_off + i];
		ms_buf_reset(&b);
		ms_buf_add(&b, ms_esc_str(log, st->text), st->text.len);
		if (st->is_flow) {
			json_array_append_new(chain, json_pack("{s:o}", "flow", ms_json_str(b.data)));
			continue;
		}
		json_t *n = json_pack("{s:o}", "from", ms_json_str(b.data));
		ms_buf_reset(&b);
		ms_buf_add(&b, ms_esc_str(log, st->why), st->why.len);
		json_object_set_new(n, "why", ms_json_str(b.data));
		ms_buf_reset(&b);
		ms_buf_add(&b, ms_esc_str(log, st->at), st->at.len);
		json_object_set_new(n, "at", ms_json_str(b.data));
		json_array_append_new(chain, n);
	}
	json_object_set_new(o, "chain", chain);
	ms_buf_free(&b);
	return o;
}

int ms_render_escape_json(FILE *fp, const ms_esc_view *v)
{
	const ms_profile *p = v->p;
	const ms_esc_join *j = v->j;
	json_t *o = json_object();
	json_object_set_new(o, "sample_type", json_pack("{s:o, s:o}", "type",
		ms_json_str(ms_profile_string(p, p->types[j->value_index].type)), "unit", ms_json_str(unit_of(v))));
	json_object_set_new(o, "total", json_integer(j->total));
	json_object_set_new(o, "escape_log", json_pack("{s:o, s:I, s:I, s:I, s:I}", "file", ms_json_str(v->log_name),
		"decisions", (json_int_t)v->log->nd, "explained", (json_int_t)v->log->nexplained,
		"lines", (json_int_t)v->log->nlines, "skipped", (json_int_t)v->log->nbad));
	json_t *sites = json_array();
	size_t rows = v->max_rows && v->max_rows < j->n ? v->max_rows : j->n;
	for (size_t i = 0; i < rows; i++) {
		const ms_esc_site *s = &j->sites[i];
		json_t *r = json_pack("{s:o, s:I, s:o, s:I, s:s}", "file", ms_json_str(fn_file(p, s->function)), "line",
			(json_int_t)s->line, "function", ms_json_str(fn_name(p, s->function)), "bytes", (json_int_t)s->bytes,
			"decision", ms_esc_verdict_name(s->verdict));
		if (j->objects_index != SIZE_MAX)
			json_object_set_new(r, "objects", json_integer(s->objects));
		if (s->via_function != MS_NONE)
			json_object_set_new(r, "via", json_pack("{s:o, s:o, s:I}", "function",
				ms_json_str(fn_name(p, s->via_function)), "file", ms_json_str(fn_file(p, s->via_function)),
				"line", (json_int_t)s->via_line));
		if (s->log_file != UINT32_MAX)
			json_object_set_new(r, "log_file", ms_json_str(v->log->files.str[s->log_file]));
		if (s->inl_used)
			json_object_set_new(r, "inlined_into", json_pack("{s:o, s:I}", "function",
				ms_json_str(fn_name(p, s->inl_function)), "line", (json_int_t)s->inl_line));
		json_t *ds = json_array();
		for (size_t k = s->dfirst; k < s->dfirst + s->nd; k++)
			json_array_append_new(ds, decision_json(v->log, &v->log->d[k]));
		json_object_set_new(r, "decisions", ds);
		json_t *why = json_array();
		site_reasons(v, s, emit_json, why);
		json_object_set_new(r, "reason", why);
		json_array_append_new(sites, r);
	}
	json_object_set_new(o, "sites", sites);
	int rc = json_dumpf(o, fp, JSON_INDENT(2));
	fputc('\n', fp);
	json_decref(o);
	return rc;
}

/* ---- the gate ----------------------------------------------------------- */
static void change_text(const ms_esc_gate_view *g, const ms_esc_change *c, ms_buf *b)
{
	const ms_esc_view *v = g->v;
	const ms_esc_decision *d = &v->log->d[c->d];
	ms_esc_reason(v->log, d, c->function != MS_NONE ? fn_name(v->p, c->function) : NULL, b);
}

size_t ms_render_escape_gate(FILE *fp, const ms_esc_gate_view *g, ms_diff_format f)
{
	const ms_esc_view *v = g->v;
	const char *unit = unit_of(v);
	size_t tripped = 0;
	for (size_t i = 0; i < g->n; i++)
		tripped += ms_severity_trips(g->fail_level, g->c[i].severity) != 0;
	size_t rows = v->max_rows && v->max_rows < g->n ? v->max_rows : g->n;
	char a[64], lim[64];
	ms_format_value(lim, sizeof lim, (int64_t)g->min_bytes, unit);
	ms_buf b = MS_BUF_INIT;
	if (f == MS_DIFF_JSON) {
		json_t *o = json_object();
		json_object_set_new(o, "base", ms_json_str(g->old_name));
		json_object_set_new(o, "new", ms_json_str(v->log_name));
		json_object_set_new(o, "sample_type", ms_json_str(ms_profile_string(v->p, v->p->types[v->j->value_index].type)));
		json_object_set_new(o, "min_bytes", json_integer((json_int_t)g->min_bytes));
		json_object_set_new(o, "tripped", json_integer((json_int_t)tripped));
		json_t *arr = json_array();
		for (size_t i = 0; i < rows; i++) {
			const ms_esc_change *c = &g->c[i];
			const ms_esc_decision *d = &v->log->d[c->d];
			ms_buf_reset(&b);
			change_text(g, c, &b);
			json_t *r = json_pack("{s:o, s:I, s:I, s:I, s:I, s:s, s:o, s:b}", "file",
				ms_json_str(v->log->files.str[d->file]), "line", (json_int_t)d->line, "col", (json_int_t)d->col,
				"bytes", (json_int_t)c->bytes, "objects", (json_int_t)c->objects, "severity",
				ms_severity_name((enum ms_severity)c->severity), "reason", ms_json_str(b.data), "trips",
				ms_severity_trips(g->fail_level, c->severity));
			json_object_set_new(r, "decision", decision_json(v->log, d));
			json_array_append_new(arr, r);
		}
		json_object_set_new(o, "new_heap", arr);
		json_dumpf(o, fp, JSON_INDENT(2));
		fputc('\n', fp);
		json_decref(o);
		ms_buf_free(&b);
		return tripped;
	}
	if (f == MS_DIFF_MARKDOWN) {
		fprintf(fp, "### memscope escape: %zu line%s turned to heap%s\n\n", g->n, g->n == 1 ? "" : "s",
			g->fail_level >= 0 ? (tripped ? " — gate tripped" : " — gate passed") : "");
		if (g->n)
			fprintf(fp, "| line | %s | objects | severity | why |\n|---|---:|---:|---|---|\n",
				ms_profile_string(v->p, v->p->types[v->j->value_index].type));
	} else {
		fprintf(fp, "Base: %s\nNew:  %s\n", g->old_name, v->log_name);
		fprintf(fp, "Lines turned to heap: %zu (gate: new-heap with at least %s: %s)\n", g->n, lim,
			g->fail_level < 0 ? "off" : tripped ? "TRIPPED" : "ok");
	}
	for (size_t i = 0; i < rows; i++) {
		const ms_esc_change *c = &g->c[i];
		const ms_esc_decision *d = &v->log->d[c->d];
		const char *file = v->log->files.str[d->file];
		ms_buf_reset(&b);
		change_text(g, c, &b);
		ms_format_value(a, sizeof a, c->bytes, unit);
		if (f == MS_DIFF_MARKDOWN) {
			char loc[64];
			fprintf(fp, "| ");
			ms_buf line = MS_BUF_INIT;
			ms_buf_addf(&line, "%s:%u", file, d->line);
			ms_md_code(fp, line.data);
			ms_buf_free(&line);
			snprintf(loc, sizeof loc, "%lld", (long long)c->objects);
			fprintf(fp, " | %s | %s | %s | ", a, loc, ms_severity_name((enum ms_severity)c->severity));
			ms_md_code(fp, b.data);
			fprintf(fp, " |\n");
		} else {
			fprintf(fp, "  %s %10s  %s:%u: %s\n", ms_severity_trips(g->fail_level, c->severity) ? "TRIPPED" : "       ",
				a, file, d->line, b.data);
		}
	}
	if (rows < g->n)
		fprintf(fp, f == MS_DIFF_MARKDOWN ? "\n(%zu more lines)\n" : "(%zu more lines; -n 0 shows all)\n", g->n - rows);
	if (f == MS_DIFF_GITHUB)
		for (size_t i = 0; i < g->n; i++) {
			const ms_esc_change *c = &g->c[i];
			if (!ms_severity_trips(g->fail_level, c->severity))
				continue;
			const ms_esc_decision *d = &v->log->d[c->d];
			ms_buf_reset(&b);
			change_text(g, c, &b);
			/* GitHub's workflow commands: %, CR and LF in the message are escaped */
			fprintf(fp, "::error file=%s,line=%u,title=memscope escape new-heap::%s now on the heap: ",
				v->log->files.str[d->file], d->line, ms_format_value(a, sizeof a, c->bytes, unit));
			for (const char *s = b.data; *s; s++)
				if (*s == '%')
					fputs("%25", fp);
				else if (*s == '\n')
					fputs("%0A", fp);
				else if (*s == '\r')
					fputs("%0D", fp);
				else
					fputc(*s, fp);
			fputc('\n', fp);
		}
	ms_buf_free(&b);
	return tripped;
}
