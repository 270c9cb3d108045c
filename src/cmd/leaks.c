/* leaks.c — `memscope leaks`: which allocation sites grow steadily across a
 * series of heap profiles (a leak) and which only warm up or oscillate. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "analysis/leaks.h"
#include "cmd/cmds.h"
#include "cmd/report_opts.h"
#include "profile/load.h"
#include "render/leaks.h"
#include "util/opts.h"

static const char *const leaks_usage[] = {
	"memscope leaks [--json] [--sample-index TYPE] [--min-growth SIZE] [--fail-on-leak] [--gctrace LOG] PROFILE PROFILE...",
	NULL,
};

int cmd_leaks(int argc, char **argv)
{
	ms_report_opts ro;
	ms_report_opts_init(&ro);
	int json = 0, fail_on_leak = 0;
	unsigned long long min_growth = 0;
	const char *gctrace = NULL;
	const ms_option opts[] = {
		MS_REPORT_OPTIONS(ro),
		{ MS_OPT_FLAG, 0, "json", &json, NULL, "print JSON: snapshots, suspects, not_suspects" },
		{ MS_OPT_SIZE, 0, "min-growth", &min_growth, "SIZE",
			"growth below which a site is no suspect (default max(64KiB, 1% of the last total))" },
		{ MS_OPT_FLAG, 0, "fail-on-leak", &fail_on_leak, NULL,
			"exit 1 when there is a suspect or the GC trace shows live-heap growth (CI)" },
		{ MS_OPT_STRING, 0, "gctrace", &gctrace, "LOG", "the process's GODEBUG=gctrace=1 log: live-heap trend" },
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, leaks_usage);
	if (n == MS_OPTS_HELP)
		return MS_EXIT_OK;
	if (n < 0)
		return MS_EXIT_INPUT;
	if (n < 2)
		return ms_usage_error(opts, leaks_usage, "leaks needs a series of at least two profiles");
	ms_err err;
	ms_leak_opts lo;
	if (ms_report_opts_resolve(&ro, &lo.graph, &err) < 0)
		return ms_report(&err);
	lo.sample_type = ro.sample_index;
	lo.min_growth = (int64_t)min_growth;
	ms_load_opts load = { .format = ro.input_format };
	ms_profile **ps = ms_xcalloc((size_t)n, sizeof *ps);
	int rc = MS_EXIT_OK;
	ms_gctrace_log *glog = NULL;
	ms_gctrace_report grep;
	ms_leak_gc_evidence gc = { gctrace, NULL };
	if (gctrace) {
		if (!(glog = ms_gctrace_read(gctrace, 0, &err))) {
			rc = ms_report(&err);
			goto out;
		}
		if (ms_gctrace_log_empty(glog) || ms_gctrace_analyze(glog, NULL, &grep, &err) < 0) {
			rc = ms_error("%s: no Go GC trace lines", gctrace);
			goto out;
		}
		gc.report = &grep;
	}
	for (int i = 0; i < n; i++)
		if (!(ps[i] = ms_profile_load(argv[i], &load, &err))) {
			rc = ms_report(&err);
			goto out;
		}
	ms_leak_report r;
	if (ms_leaks_analyze(&r, ps, (const char *const *)argv, (size_t)n, &lo, &err) < 0) {
		rc = ms_report(&err);
		goto out;
	}
	if (json)
		ms_render_leaks_json(stdout, &r, gctrace ? &gc : NULL);
	else
		ms_render_leaks_text(stdout, &r, ro.node_count > 0 ? (size_t)ro.node_count : 0, gctrace ? &gc : NULL);
	if (fail_on_leak && (r.nsuspects || ms_leak_gc_growth(&gc)))
		rc = MS_EXIT_TRIPPED;
	ms_leak_report_free(&r);
	if (fflush(stdout) != 0)
		rc = ms_error("write error on standard output");
out:
	if (gc.report)
		ms_gctrace_report_free(&grep);
	ms_gctrace_log_free(glog);
	for (int i = 0; i < n; i++)
		ms_profile_free(ps[i]);
	free(ps);
	return rc;
}
