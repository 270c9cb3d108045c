/* info.c — `memscope info`: what a profile holds (sample types, counts,
 * totals, period, time) as text or JSON. */
#include "config.h"

#include <stdio.h>

#include "cmd/cmds.h"
#include "profile/load.h"
#include "render/summary.h"
#include "util/opts.h"

static const char *const info_usage[] = {
	"memscope info [--json] [--input-format FMT] FILE",
	NULL,
};

int cmd_info(int argc, char **argv)
{
	int json = 0;
	const char *format = "auto";
	const ms_option opts[] = {
		{ MS_OPT_FLAG, 0, "json", &json, NULL, "print JSON instead of text" },
		{ MS_OPT_STRING, 0, "input-format", &format, "FMT", "auto, pprof, perf, folded or trace" },
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, info_usage);
	if (n == MS_OPTS_HELP)
		return MS_EXIT_OK;
	if (n < 0)
		return MS_EXIT_INPUT;
	if (n != 1)
		return ms_usage_error(opts, info_usage, "info takes exactly one input file");
	ms_load_opts lo = { 0 };
	if (ms_input_format_parse(format, &lo.format) < 0)
		return ms_usage_error(opts, info_usage, "unknown input format '%s'", format);
	ms_err err;
	ms_profile *p = ms_cmd_load(argv[0], &lo, &err);
	if (!p)
		return ms_report(&err);
	int rc = json ? ms_render_info_json(stdout, p, argv[0]) : ms_render_info_text(stdout, p, argv[0]);
	ms_profile_free(p);
	return rc < 0 ? MS_EXIT_INPUT : MS_EXIT_OK;
}
