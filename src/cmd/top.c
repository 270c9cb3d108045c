/* top.c — `memscope top`: the heaviest frames of a profile, as pprof -top
 * prints them, or as JSON. */
#include "config.h"

#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>

#include "analysis/escape_join.h"
#include "analysis/graph.h"
#include "cmd/cmds.h"
#include "cmd/report_opts.h"
#include "profile/load.h"
#include "profile/escape.h"
#include "profile/merge.h"
#include "render/top.h"
#include "util/opts.h"

static const char *const top_usage[] = {
	"memscope top [--sample-index NAME|N] [--granularity G] [--cum] [-n N] [--focus RE] [--ignore RE] "
	"[--hide RE] [--show RE] [--json] [--base BASE | --diff-base BASE [--normalize]] [--escapes M2LOG] FILE...",
	NULL,
};

int cmd_top(int argc, char **argv)
{
	ms_report_opts ro;
	int json = 0, normalize = 0;
	const char *diff_base = NULL, *base = NULL, *escapes = NULL;
	ms_report_opts_init(&ro);
	const ms_option opts[] = {
		MS_REPORT_OPTIONS(ro),
		{ MS_OPT_FLAG, 0, "json", &json, NULL, "print JSON: sample_type, total, rows [{name, flat, cum}]" },
		{ MS_OPT_STRING, 0, "diff-base", &diff_base, "BASE",
			"subtract BASE (pprof -diff_base: percentages of BASE's total)" },
		{ MS_OPT_FLAG, 0, "normalize", &normalize, NULL,
			"with --diff-base: scale the profile to BASE's total first (pprof -normalize)" },
		MS_BASE_OPTION(base),
		{ MS_OPT_STRING, 0, "escapes", &escapes, "M2LOG",
			"with --granularity lines: a column with the Go compiler's escape decision (go build -gcflags=-m=2)" },
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, top_usage);
	if (n < 0)
		return ms_opts_exit(n);
	if (n < 1)
		return ms_usage_error(opts, top_usage, "top takes one or more profiles");
	if (base && diff_base)
		return ms_usage_error(opts, top_usage, "--base and --diff-base do not go together");

	ms_err err;
	ms_graph_opts go;
	if (ms_report_opts_resolve(&ro, &go, &err) < 0)
		return ms_report(&err);
	if (escapes && go.granularity != MS_GRAN_LINES)
		return ms_usage_error(opts, top_usage, "--escapes needs --granularity lines");
	ms_load_opts lo = ms_report_load_opts(&ro);
	if (ms_gotrace_cli_apply(&ro.gt, &lo, &err) < 0)
		return ms_report(&err);
	ms_esc_log esc;
	if (escapes && ms_esc_read(&esc, escapes, &err) < 0)
		return ms_report(&err);
	ms_profile *p = ms_cmd_load_inputs(argv, (size_t)n, base, &lo, &err);
	if (!p) {
		if (escapes)
			ms_esc_free(&esc);
		return ms_report(&err);
	}
	int rc = MS_EXIT_OK;
	const char **decision = NULL;
	int si = ms_profile_sample_index(p, ro.sample_index, &err);
	bool *is_base = NULL;
	ms_graph g;
	if (si >= 0 && diff_base) {
		/* pprof -diff_base: the base's values negated and appended, its
		 * samples marked so the total is the base's. */
		ms_profile *b = ms_cmd_load(diff_base, &lo, &err);
		if (!b) {
			rc = ms_report(&err);
			goto out;
		}
		size_t nnew = p->nsamples;
		if (normalize)
			ms_profile_scale_to(p, b);
		if (ms_profile_merge(p, b, -1, &err) < 0) {
			ms_err_prefix(&err, diff_base);
			ms_profile_free(b);
			rc = ms_report(&err);
			goto out;
		}
		ms_profile_free(b);
		is_base = ms_xcalloc(p->nsamples, sizeof *is_base);
		for (size_t i = nnew; i < p->nsamples; i++)
			is_base[i] = true;
		go.is_base = is_base;
	}
	if (si < 0 || (go.sample_index = (size_t)si, ms_graph_build(&g, p, &go, &err) < 0)) {
		ms_err_prefix(&err, argv[0]);
		rc = ms_report(&err);
		goto out;
	}
	const char *filters[MS_REPORT_MAX_FILTERS + 1];
	ms_report_opts_legend(&ro, filters);
	ms_top_view v = { p, &g, &go, 0, filters };
	if (escapes) {
		int *ver = ms_esc_frame_verdicts(&esc, p, &g.frames);
		size_t nf = ms_frame_count(&g.frames);
		decision = ms_xcalloc(nf ? nf : 1, sizeof *decision);
		for (size_t i = 0; i < nf; i++)
			decision[i] = ms_esc_verdict_name(ver[i]);
		free(ver);
	}
	if (json)
		ms_render_top_json_col(stdout, &v, decision);
	else
		ms_render_top_text_col(stdout, &v, decision);
	ms_graph_free(&g);
out:
	free(decision);
	if (escapes)
		ms_esc_free(&esc);
	free(is_base);
	ms_profile_free(p);
	ms_report_opts_free(&ro);
	return rc;
}
