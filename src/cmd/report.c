/* report.c — `memscope report --html OUT.html FILE...`: one self-contained
 * HTML page (a CI artifact) with what info, top, flame --svg, diff and
 * gctrace --svg would show of the inputs. Each FILE is a profile (any
 * format memscope reads) or a GC log (GODEBUG=gctrace=1 output); runtime
 * traces and Go execution traces are both, so they also give the GC
 * timeline (beside another profile, only that). Two profiles are BASE
 * NEW: the page adds their diff with the gates of --fail-on, and exits 1
 * when one trips (the page is written anyway: it says which). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis/diff.h"
#include "analysis/stacks.h"
#include "cmd/cmds.h"
#include "cmd/report_opts.h"
#include "gctrace/gctrace.h"
#include "profile/load.h"
#include "render/html_report.h"
#include "util/http.h"
#include "util/io.h"
#include "util/opts.h"

static const char *const report_usage[] = {
	"memscope report --html OUT.html [options] PROFILE [GCLOG...]",
	"memscope report --html OUT.html [options] [--fail-on EXPR] BASE NEW [GCLOG...]",
	"memscope report --html OUT.html [options] --base B1 [--base B2 ...] NEW",
	NULL,
};

#define MAX_INPUTS 64

typedef struct inputs {
	ms_html_profile prof[MAX_INPUTS];
	ms_profile *owned[MAX_INPUTS];
	ms_gt_stats st[MAX_INPUTS];
	int is_trace[MAX_INPUTS]; /* a runtime or Go execution trace given as FILE */
	char *shown[MAX_INPUTS];  /* URLs without user:password@, as the page names them */
	size_t nshown;
	size_t nprof;
	ms_gctrace_log *logs[MAX_INPUTS];
	ms_gctrace_report reps[MAX_INPUTS];
	size_t nlogs;
} inputs;

/* A GC timeline from path when it holds GC cycles: 1 added, 0 none, -1 on
 * a read error (err set). */
static int add_log(inputs *in, const char *path, ms_err *err)
{
	ms_gctrace_log *log = ms_gctrace_read(path, 0, err);
	if (!log)
		return -1;
	if (ms_gctrace_log_empty(log) || log->ncycles == 0) {
		ms_gctrace_log_free(log);
		return 0;
	}
	if (ms_gctrace_analyze(log, NULL, &in->reps[in->nlogs], err) < 0) {
		ms_gctrace_log_free(log);
		return -1;
	}
	in->logs[in->nlogs++] = log;
	return 1;
}

/* Reads one FILE: a profile (and, for a trace, its GC timeline too), else a
 * GC log; neither is the profile reader's error. 0 or -1 (err set). */
static int add_input(inputs *in, const char *path, int as_profile_only, const ms_load_opts *lo0, ms_err *err)
{
	if (in->nprof == MAX_INPUTS || in->nlogs == MAX_INPUTS)
		return ms_seterr(err, "at most %d inputs", MAX_INPUTS);
	ms_load_opts lo = *lo0;
	ms_input_format f = MS_INPUT_AUTO;
	lo.format_out = &f;
	memset(&in->st[in->nprof], 0, sizeof in->st[0]);
	lo.gotrace_stats = &in->st[in->nprof];
	ms_profile *p = ms_cmd_load(path, &lo, err);
	if (p) {
		ms_html_profile *hp = &in->prof[in->nprof];
		hp->name = path;
		if (ms_is_url(path))
			hp->name = in->shown[in->nshown++] = ms_url_redact(path);
		hp->p = p;
		hp->gotrace = in->st[in->nprof].version_minor ? &in->st[in->nprof] : NULL;
		int trace = !as_profile_only && (f == MS_INPUT_TRACE || f == MS_INPUT_GOTRACE || hp->gotrace);
		in->is_trace[in->nprof] = trace;
		in->owned[in->nprof++] = p;
		return trace && add_log(in, path, err) < 0 ? -1 : 0;
	}
	if (as_profile_only || lo0->format != MS_INPUT_AUTO)
		return -1;
	ms_err lerr;
	int r = add_log(in, path, &lerr);
	if (r < 0) {
		*err = lerr;
		return -1;
	}
	return r > 0 ? 0 : -1; /* no GC line either: the profile reader's message */
}

/* Beside a profile, a trace is there for its GC timeline: its profile
 * (off-CPU waits, or the runtime's allocations) leaves the page, so
 * `report heap.pb.gz trace.out` is one profile, not BASE NEW. */
static void traces_for_gc_only(inputs *in)
{
	size_t plain = 0, k = 0;
	for (size_t i = 0; i < in->nprof; i++)
		plain += !in->is_trace[i];
	if (plain == 0)
		return;
	for (size_t i = 0; i < in->nprof; i++) {
		if (in->is_trace[i]) {
			ms_profile_free(in->owned[i]);
			continue;
		}
		in->prof[k] = in->prof[i];
		in->owned[k] = in->owned[i];
		in->is_trace[k++] = 0;
	}
	in->nprof = k;
}

static void free_inputs(inputs *in)
{
	for (size_t i = 0; i < in->nshown; i++)
		free(in->shown[i]);
	for (size_t i = 0; i < in->nprof; i++)
		ms_profile_free(in->owned[i]);
	for (size_t i = 0; i < in->nlogs; i++) {
		ms_gctrace_report_free(&in->reps[i]);
		ms_gctrace_log_free(in->logs[i]);
	}
}

/* True when out names an existing file that is also one of the inputs. */
static const char *overwrites_input(const char *out, char **files, int n, const ms_strlist *bases)
{
	struct stat so, si;
	if (stat(out, &so) < 0)
		return NULL;
	for (int i = 0; i < n + (int)bases->n; i++) {
		const char *f = i < n ? files[i] : bases->items[i - n];
		if (stat(f, &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino)
			return f;
	}
	return NULL;
}

static int write_page(const char *path, const ms_html_report *r)
{
	ms_err err;
	ms_outfile of;
	if (ms_outfile_open(&of, path, &err) < 0)
		return ms_report(&err);
	if (ms_html_report_write(of.fp, r) < 0) {
		ms_outfile_fail(&of, &err);
		return ms_report(&err);
	}
	if (ms_outfile_commit(&of, &err) < 0)
		return ms_report(&err);
	return MS_EXIT_OK;
}

int cmd_report(int argc, char **argv)
{
	ms_report_opts ro;
	ms_report_opts_init(&ro);
	ms_strlist bases = { 0 }, fail_on = { 0 };
	const char *html = NULL, *title = NULL;
	int normalize = 0;
	long contributors = 5;
	const ms_option opts[] = {
		{ MS_OPT_STRING, 0, "html", &html, "OUT.html", "write the report to OUT.html (required; '-': stdout)" },
		{ MS_OPT_STRING, 0, "title", &title, "TEXT", "the page's title (default: memscope report)" },
		MS_REPORT_OPTIONS(ro),
		MS_GATE_OPTIONS(bases, normalize, fail_on, contributors),
		MS_OPT_END_MARK,
	};
	int rc = MS_EXIT_INPUT;
	inputs *in = ms_xcalloc(1, sizeof *in);
	ms_gateset gs = { 0 };
	ms_graph g;
	int have_graph = 0;
	ms_stacks s;
	ms_stacks_init(&s, 1);
	const char **base_names = NULL;
	ms_err err;

	int n = ms_parse_opts(argc, argv, opts, report_usage);
	if (n < 0) {
		rc = ms_opts_exit(n);
		goto out;
	}
	if (!html) {
		rc = ms_usage_error(opts, report_usage, "report needs --html OUT.html");
		goto out;
	}
	if (n == 0) {
		rc = ms_usage_error(opts, report_usage, "report needs at least one profile or GC log");
		goto out;
	}
	for (int i = 0; i < n; i++)
		if (strcmp(argv[i], "-") == 0) {
			rc = ms_usage_error(opts, report_usage, "report reads files, not standard input");
			goto out;
		}
	if (contributors < 0 || contributors > 16) {
		rc = ms_usage_error(opts, report_usage, "--contributors must be between 0 and 16");
		goto out;
	}
	const char *victim = overwrites_input(html, argv, n, &bases);
	if (victim) {
		rc = ms_usage_error(opts, report_usage, "refusing to overwrite the input '%s' with the report", victim);
		goto out;
	}
	ms_graph_opts go;
	if (ms_report_opts_resolve(&ro, &go, &err) < 0 || ms_gateset_parse(&gs, fail_on.items, fail_on.n, &err) < 0) {
		rc = ms_report(&err);
		goto out;
	}
	ms_load_opts lo = ms_report_load_opts(&ro);
	if (ms_gotrace_cli_apply(&ro.gt, &lo, &err) < 0) {
		rc = ms_report(&err);
		goto out;
	}

	/* baselines first: the summaries read base(s), then new */
	for (size_t i = 0; i < bases.n; i++)
		if (add_input(in, bases.items[i], 1, &lo, &err) < 0) {
			rc = ms_report(&err);
			goto out;
		}
	for (int i = 0; i < n; i++)
		if (add_input(in, argv[i], 0, &lo, &err) < 0) {
			rc = ms_report(&err);
			goto out;
		}
	traces_for_gc_only(in);
	size_t nbase = bases.n ? bases.n : in->nprof == 2 ? 1 : 0;
	if (in->nprof > nbase + 1) {
		rc = ms_usage_error(opts, report_usage, "report takes one profile, BASE NEW, or --base B... NEW (got %zu profiles)",
			in->nprof);
		goto out;
	}
	if (in->nprof == nbase && nbase > 0) {
		rc = ms_usage_error(opts, report_usage, "--base needs a NEW profile");
		goto out;
	}
	if (fail_on.n && nbase == 0) {
		rc = ms_usage_error(opts, report_usage, "--fail-on needs two profiles (BASE NEW)");
		goto out;
	}

	ms_html_report r = { .title = title, .profiles = in->prof, .nprofiles = in->nprof, .logs = in->logs,
		.reps = in->reps, .nlogs = in->nlogs };
	ms_top_view tv;
	ms_diff_view dv;
	ms_flame_svg_opts so;
	const char *filters[5];
	if (in->nprof) {
		const ms_html_profile *np = &in->prof[in->nprof - 1];
		ms_profile *p = in->owned[in->nprof - 1];
		int si = ms_profile_sample_index(p, ro.sample_index, &err);
		if (si < 0 || (go.sample_index = (size_t)si, ms_graph_build(&g, p, &go, &err) < 0)) {
			ms_err_prefix(&err, np->name);
			rc = ms_report(&err);
			goto out;
		}
		have_graph = 1;
		ms_report_opts_legend(&ro, filters);
		tv = (ms_top_view){ p, &g, &go, 0, filters };
		r.top = &tv;

		ms_flame_svg_opts_init(&so);
		so.type = ms_profile_string(p, p->types[si].type);
		so.unit = ms_profile_string(p, p->types[si].unit);
		int fr;
		if (nbase == 1) {
			const ms_html_profile *bp = &in->prof[0];
			int bi = ms_profile_sample_index(bp->p, ro.sample_index, &err);
			if (bi < 0) {
				ms_err_prefix(&err, bp->name);
				rc = ms_report(&err);
				goto out;
			}
			ms_stacks_free(&s);
			ms_stacks_init(&s, 2);
			fr = ms_stacks_add_diff(&s, bp->p, (size_t)bi, bp->name, p, (size_t)si, np->name, go.granularity,
				normalize, &err);
		} else {
			fr = ms_stacks_add_profile(&s, p, (size_t)si, go.granularity, 0, &err);
			if (fr < 0)
				ms_err_prefix(&err, np->name);
		}
		if (fr < 0) {
			rc = ms_report(&err);
			goto out;
		}
		r.stacks = &s;
		r.flame = &so;
	}
	if (nbase) {
		ms_diff_opts dopt;
		memset(&dopt, 0, sizeof dopt);
		dopt.graph = go;
		dopt.graph.node_count = 0;
		dopt.sample_type = ro.sample_index;
		dopt.normalize = normalize != 0;
		dopt.cum = ro.cum != 0;
		const ms_profile **bp = ms_xcalloc(nbase, sizeof *bp);
		base_names = ms_xcalloc(nbase, sizeof *base_names);
		for (size_t i = 0; i < nbase; i++)
			bp[i] = in->prof[i].p, base_names[i] = in->prof[i].name;
		int tripped = ms_gateset_run(&gs, in->prof[nbase].p, (const ms_profile *const *)bp, nbase, &dopt, &err);
		free(bp);
		if (tripped < 0) {
			rc = ms_report(&err);
			goto out;
		}
		size_t max_rows = ro.node_count > 0 ? (size_t)ro.node_count : 20;
		dv = (ms_diff_view){ &gs.diffs[0], in->prof[nbase].name, base_names, max_rows, gs.gates, gs.n,
			(size_t)contributors };
		r.diff = &dv;
		r.tripped = tripped;
	}
	rc = write_page(html, &r);
	if (rc == MS_EXIT_OK && r.tripped)
		rc = MS_EXIT_TRIPPED;
out:
	if (have_graph)
		ms_graph_free(&g);
	ms_stacks_free(&s);
	ms_gateset_free(&gs);
	free(base_names);
	free_inputs(in);
	free(in);
	ms_strlist_free(&bases);
	ms_strlist_free(&fail_on);
	ms_report_opts_free(&ro);
	return rc;
}
