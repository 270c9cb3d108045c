/* info.c — `memscope info`: what a profile holds (sample types, counts,
 * totals, period, time) as text or JSON. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmds.h"
#include "cmd/report_opts.h"
#include "profile/load.h"
#include "render/summary.h"
#include "util/http.h"
#include "util/opts.h"

static const char *const info_usage[] = {
	"memscope info [--json] [--input-format FMT] [--trace-profile KIND] FILE",
	NULL,
};

int cmd_info(int argc, char **argv)
{
	int json = 0;
	const char *format = "auto";
	ms_gotrace_cli gt = { 0 };
	const ms_option opts[] = {
		{ MS_OPT_FLAG, 0, "json", &json, NULL, "print JSON instead of text" },
		{ MS_OPT_STRING, 0, "input-format", &format, "FMT", "auto, pprof, perf, folded, trace or gotrace" },
		MS_GOTRACE_OPTIONS(gt),
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, info_usage);
	if (n < 0)
		return ms_opts_exit(n);
	if (n != 1)
		return ms_usage_error(opts, info_usage, "info takes exactly one input file");
	ms_load_opts lo = { 0 };
	if (ms_input_format_parse(format, &lo.format) < 0)
		return ms_usage_error(opts, info_usage, "unknown input format '%s'", format);
	ms_err err;
	ms_gt_stats st = { 0 };
	lo.gotrace_stats = &st;
	if (ms_gotrace_cli_apply(&gt, &lo, &err) < 0)
		return ms_report(&err);
	ms_profile *p = ms_cmd_load(argv[0], &lo, &err);
	if (!p)
		return ms_report(&err);
	bool go = st.version_minor != 0;
	char *shown = ms_is_url(argv[0]) ? ms_url_redact(argv[0]) : NULL; /* no user:password@ */
	const char *name = shown ? shown : argv[0];
	int rc = json ? ms_render_info_json_gotrace(stdout, p, name, go ? &st : NULL)
		      : ms_render_info_text(stdout, p, name);
	free(shown);
	if (rc >= 0 && !json && go)
		rc = ms_render_gotrace_info_text(stdout, &st);
	ms_profile_free(p);
	return rc < 0 ? MS_EXIT_INPUT : MS_EXIT_OK;
}
