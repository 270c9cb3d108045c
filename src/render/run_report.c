/* run_report.c — `memscope run`'s report (render/run.h): per process, what
 * its last heap profile says (the runtime's peak/temporary comment, every
 * sample type's total, the top rows of in-use space, or of allocated space
 * when all was freed), its leak check (printed, and saved beside the
 * profile as leaks.PROG.PID.txt), its trace and heap dump. Text lines are
 * prefixed "memscope:" as they go to stderr beside the program's own. */
#include "config.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>

#include "analysis/graph.h"
#include "analysis/leakcheck.h"
#include "profile/load.h"
#include "render/json.h"
#include "render/leaks.h"
#include "render/run.h"
#include "render/top.h"
#include "util/io.h"
#include "util/units.h"

static int nothing_sampled(const ms_profile *p)
{
	for (size_t t = 0; t < p->ntypes; t++)
		if (ms_profile_total(p, t))
			return 0;
	return 1;
}

/* The sample type the top rows show: in-use space, or allocated space when
 * everything was freed (where the memory went through). -1 when neither. */
static int top_index(const ms_profile *p)
{
	int si = ms_profile_sample_index(p, "inuse_space", NULL);
	if (si >= 0 && ms_profile_total(p, (size_t)si) == 0)
		si = ms_profile_sample_index(p, "alloc_space", NULL);
	return si;
}

/* One process's heap, into fp (text) or obj (JSON). */
static void heap_report(FILE *fp, json_t *obj, const ms_run_proc *pr, size_t top_rows)
{
	ms_err err;
	ms_profile *p = ms_profile_load(pr->last_heap, NULL, &err);
	if (!p) {
		ms_report(&err);
		return;
	}
	char a[64], b[64];
	if (obj) {
		json_object_set_new(obj, "heap_profile", ms_json_str(pr->last_heap));
		json_object_set_new(obj, "snapshots", json_integer(pr->nsnapshots));
	} else {
		fprintf(fp, "memscope: %s (pid %d): heap profile %s (%u snapshot%s)\n", pr->prog, pr->pid,
			pr->last_heap, pr->nsnapshots, pr->nsnapshots == 1 ? "" : "s");
	}
	ms_run_usage u;
	if (ms_run_profile_usage(p, &u) == 0) {
		if (obj) {
			json_object_set_new(obj, "peak_heap_bytes", json_integer(u.peak_heap));
			json_object_set_new(obj, "peak_ns", json_integer((json_int_t)u.peak_ns));
			json_object_set_new(obj, "in_use_bytes", json_integer(u.in_use));
			json_object_set_new(obj, "allocations", json_integer((json_int_t)u.allocations));
			json_object_set_new(obj, "temporary", json_integer((json_int_t)u.temporary));
		} else {
			fprintf(fp, "memscope:   peak heap      %s at %.3fs; at exit %s\n",
				ms_format_value(a, sizeof a, u.peak_heap, "bytes"), (double)u.peak_ns / 1e9,
				ms_format_value(b, sizeof b, u.in_use, "bytes"));
			fprintf(fp, "memscope:   allocations    %llu, of them temporary %llu (%.1f%%: freed before the "
				    "thread's next allocation)\n",
				(unsigned long long)u.allocations, (unsigned long long)u.temporary,
				u.allocations ? 100.0 * (double)u.temporary / (double)u.allocations : 0.0);
		}
	}
	p->ncomments = 0; /* read above; the runtime's notes are not the reader's */
	int64_t period = p->period ? p->period : 512 * 1024;
	if (nothing_sampled(p)) {
		if (obj)
			json_object_set_new(obj, "nothing_sampled", json_true());
		else
			fprintf(fp, "memscope:   nothing was sampled: the program allocated less than the sampling rate "
				    "(%s on average); run with --rate 1 to record every allocation\n",
				ms_format_value(a, sizeof a, period, "bytes"));
		ms_profile_free(p);
		return;
	}
	json_t *totals = obj ? json_object() : NULL;
	for (size_t i = 0; i < p->ntypes; i++) {
		const char *type = ms_profile_string(p, p->types[i].type);
		int64_t total = ms_profile_total(p, i);
		if (totals)
			json_object_set_new(totals, type, json_integer(total));
		else
			fprintf(fp, "memscope:   %-14s %s\n", type,
				ms_format_value(a, sizeof a, total, ms_profile_string(p, p->types[i].unit)));
	}
	if (totals)
		json_object_set_new(obj, "totals", totals);
	int si = top_index(p);
	ms_graph_opts go;
	ms_graph_opts_init(&go);
	go.granularity = p->nfunctions ? MS_GRAN_FUNCTIONS : MS_GRAN_ADDRESSES;
	ms_graph g;
	if (si >= 0 && (go.sample_index = (size_t)si, ms_graph_build(&g, p, &go, &err) == 0)) {
		ms_top_view v = { p, &g, &go, top_rows, NULL };
		if (obj) {
			json_object_set_new(obj, "top", ms_top_json(&v));
		} else {
			fprintf(fp, "memscope:   top %zu of %s:\n", top_rows, ms_profile_string(p, p->types[si].type));
			ms_render_top_text(fp, &v);
		}
		ms_graph_free(&g);
	}
	ms_profile_free(p);
}

/* One process's leak check: into fp (text) or obj (JSON), and saved as
 * leaks.PROG.PID.txt. Returns the leaked bytes (direct + indirect), -1
 * without a report. */
static int64_t leak_report(FILE *fp, json_t *obj, const char *dir, const ms_run_proc *pr)
{
	char txt[PATH_MAX + 64];
	msrt_out_name(txt, sizeof txt, dir, MSRT_OUT_LEAKS_TXT, pr->prog, pr->pid, 0);
	ms_err err;
	ms_profile *p = ms_profile_load(pr->leaks, NULL, &err);
	if (!p) {
		ms_report(&err);
		return -1;
	}
	ms_leakcheck lc;
	if (ms_leakcheck_read(&lc, p, pr->leaks, MS_GRAN_LINES, &err) < 0) {
		ms_report(&err);
		ms_profile_free(p);
		return -1;
	}
	json_t *lj = obj ? ms_leakcheck_json(&lc) : NULL;
	if (!obj) {
		fprintf(fp, "memscope: %s (pid %d): leak check\n", pr->prog, pr->pid);
		ms_render_leakcheck_text(fp, &lc, 0);
	}
	ms_outfile of;
	if (ms_outfile_open(&of, txt, &err) == 0) {
		ms_render_leakcheck_text(of.fp, &lc, 0);
		if (ms_outfile_commit(&of, &err) < 0)
			ms_report(&err);
		else if (lj)
			json_object_set_new(lj, "report", ms_json_str(txt));
		else
			fprintf(fp, "memscope: leak report %s\n", txt);
	} else {
		ms_report(&err);
	}
	if (lj)
		json_object_set_new(obj, "leak_check", lj);
	int64_t leaked = lc.bytes[MS_LC_DIRECT] + lc.bytes[MS_LC_INDIRECT];
	ms_leakcheck_free(&lc);
	ms_profile_free(p);
	return leaked;
}

int ms_render_run_report(FILE *fp, const ms_run_dir *rd, const ms_run_report_opts *o)
{
	int leaked = 0;
	size_t nheap = 0, nleaks = 0;
	for (size_t i = 0; i < rd->n; i++) {
		nheap += rd->procs[i].last_heap != NULL;
		nleaks += rd->procs[i].leaks != NULL;
	}
	json_t *doc = NULL, *procs = NULL;
	if (o->json) {
		doc = json_object();
		procs = json_array();
		json_object_set_new(doc, "dir", ms_json_str(rd->dir));
	} else if (rd->n > 1) {
		fprintf(fp, "memscope: %zu processes in %s\n", rd->n, rd->dir);
	}
	for (size_t i = 0; i < rd->n; i++) {
		const ms_run_proc *pr = &rd->procs[i];
		json_t *pj = NULL;
		if (procs) {
			pj = json_pack("{s:i, s:o}", "pid", pr->pid, "program", ms_json_str(pr->prog));
			json_array_append_new(procs, pj);
		}
		if (pr->last_heap)
			heap_report(fp, pj, pr, rd->n > 1 ? 3 : 5);
		else if (!pj)
			fprintf(fp, "memscope: %s (pid %d): no heap profile (it exec'd, or was killed)\n", pr->prog,
				pr->pid);
		if (o->leak_check && pr->leaks && leak_report(fp, pj, rd->dir, pr) > 0)
			leaked = 1;
		if (o->trace && pr->trace) {
			if (pj)
				json_object_set_new(pj, "trace", ms_json_str(pr->trace));
			else
				fprintf(fp, "memscope: %s (pid %d): trace %s\n", pr->prog, pr->pid, pr->trace);
		}
		if (pr->last_heapdump) {
			if (pj)
				json_object_set_new(pj, "heap_dump", ms_json_str(pr->last_heapdump));
			else
				fprintf(fp, "memscope: %s (pid %d): heap dump %s%s\n", pr->prog, pr->pid,
					pr->last_heapdump, o->heap_dump ? " (and one with every profile)" : "");
		}
	}
	if (doc) {
		json_object_set_new(doc, "processes", procs);
		json_object_set_new(doc, "leaked", json_boolean(leaked));
		json_dumpf(doc, fp, JSON_INDENT(2));
		fputc('\n', fp);
		json_decref(doc);
		return leaked;
	}
	if (nheap == 0)
		fprintf(fp, "memscope: no heap profile was written to %s\n", rd->dir);
	if (o->leak_check && nleaks == 0)
		fprintf(fp, "memscope: no leak-check report was written (did the program exit through exit()?)\n");
	return leaked;
}
