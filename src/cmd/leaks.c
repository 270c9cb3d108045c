/* leaks.c — `memscope leaks`: which allocation sites grow steadily across a
 * series of heap profiles (a leak) and which only warm up or oscillate;
 * leak-check reports of `memscope run --leak-check` among the inputs are
 * reported with them and confirm (or not) the suspects. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "analysis/leakcheck.h"
#include "analysis/leaks.h"
#include "cmd/cmds.h"
#include "cmd/report_opts.h"
#include "profile/load.h"
#include "profile/runout.h"
#include "render/leaks.h"
#include "util/opts.h"

static const char *const leaks_usage[] = {
	"memscope leaks [--json] [--sample-index TYPE] [--min-growth SIZE] [--fail-on-leak] [--min-leak SIZE] [--gctrace LOG] PROFILE...",
	"  PROFILE: heap snapshots in time order (two or more), and/or leak-check reports (leaks.PROG.PID.pb.gz)",
	NULL,
};

int cmd_leaks(int argc, char **argv)
{
	ms_report_opts ro;
	ms_report_opts_init(&ro);
	int json = 0, fail_on_leak = 0;
	unsigned long long min_growth = 0, min_leak = 1;
	const char *gctrace = NULL;
	const ms_option opts[] = {
		MS_REPORT_OPTIONS(ro),
		{ MS_OPT_FLAG, 0, "json", &json, NULL, "print JSON: snapshots, suspects, not_suspects" },
		{ MS_OPT_SIZE, 0, "min-growth", &min_growth, "SIZE",
			"growth below which a site is no suspect (default max(64KiB, 1% of the last total))" },
		{ MS_OPT_FLAG, 0, "fail-on-leak", &fail_on_leak, NULL,
			"exit 1 when there is a suspect, a leak check found --min-leak bytes leaked, or the GC trace shows live-heap growth (CI)" },
		{ MS_OPT_SIZE, 0, "min-leak", &min_leak, "SIZE", "leaked bytes at which a leak check trips --fail-on-leak (default 1)" },
		{ MS_OPT_STRING, 0, "gctrace", &gctrace, "LOG", "the process's GODEBUG=gctrace=1 log: live-heap trend" },
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, leaks_usage);
	if (n < 0)
		return ms_opts_exit(n);
	if (n < 1)
		return ms_usage_error(opts, leaks_usage, "leaks needs a series of heap profiles or a leak-check report");
	ms_err err;
	ms_leak_opts lo;
	ms_load_opts load;
	if (ms_report_leak_opts(&ro, min_growth, &lo, &load, &err) < 0)
		return ms_report(&err);
	ms_profile **ps = ms_xcalloc((size_t)n, sizeof *ps);
	const char **snap_names = ms_xcalloc((size_t)n, sizeof *snap_names);
	ms_leakcheck *checks = ms_xcalloc((size_t)n, sizeof *checks);
	size_t nsnap = 0, nchecks = 0;
	int rc = MS_EXIT_OK;
	ms_gctrace_log *glog = NULL;
	ms_gctrace_report grep;
	ms_leak_gc_evidence gc = { gctrace, NULL };
	ms_leak_report r;
	int have_series = 0;
	if (gctrace) {
		if (!(glog = ms_gctrace_read(gctrace, NULL, &err))) {
			rc = ms_report(&err);
			goto out;
		}
		if (ms_gctrace_log_empty(glog) || ms_gctrace_analyze(glog, NULL, &grep, &err) < 0) {
			rc = ms_error("%s: no Go GC trace lines", gctrace);
			goto out;
		}
		gc.report = &grep;
	}
	for (int i = 0; i < n; i++) {
		ms_profile *p = ms_cmd_load(argv[i], &load, &err);
		if (!p) {
			rc = ms_report(&err);
			goto out;
		}
		if (!ms_leakcheck_is_report(p)) {
			snap_names[nsnap] = argv[i];
			ps[nsnap++] = p;
			continue;
		}
		int ok = ms_leakcheck_read(&checks[nchecks], p, argv[i], lo.graph.granularity, &err) == 0;
		ms_profile_free(p);
		if (!ok) {
			rc = ms_report(&err);
			goto out;
		}
		nchecks++;
	}
	if (nsnap == 1) {
		rc = ms_usage_error(opts, leaks_usage, "a series needs at least two heap profiles (got one: %s)", snap_names[0]);
		goto out;
	}
	if (nsnap && ms_run_profiles_one_process(ps, snap_names, nsnap, &err) < 0) {
		rc = ms_report(&err);
		goto out;
	}
	if (nsnap) {
		if (ms_leaks_analyze(&r, ps, snap_names, nsnap, &lo, &err) < 0) {
			rc = ms_report(&err);
			goto out;
		}
		have_series = 1;
	}
	ms_leaks_view v = { have_series ? &r : NULL, gctrace ? &gc : NULL, checks, nchecks,
		ro.node_count > 0 ? (size_t)ro.node_count : 0 };
	if (json)
		ms_render_leaks_json(stdout, &v);
	else
		ms_render_leaks_text(stdout, &v);
	int tripped = (have_series && r.nsuspects) || ms_leak_gc_growth(&gc);
	for (size_t i = 0; i < nchecks; i++)
		if (checks[i].bytes[MS_LC_DIRECT] + checks[i].bytes[MS_LC_INDIRECT] >= (int64_t)min_leak)
			tripped = 1;
	if (fail_on_leak && tripped)
		rc = MS_EXIT_TRIPPED;
out:
	if (have_series)
		ms_leak_report_free(&r);
	if (gc.report)
		ms_gctrace_report_free(&grep);
	ms_gctrace_log_free(glog);
	for (size_t i = 0; i < nsnap; i++)
		ms_profile_free(ps[i]);
	for (size_t i = 0; i < nchecks; i++)
		ms_leakcheck_free(&checks[i]);
	free(checks);
	free(snap_names);
	free(ps);
	ms_report_opts_free(&ro);
	return rc;
}
