/* list.c — `memscope list RE FILE`: the source of each function matching
 * RE with per-line flat/cum weights, as pprof -list prints it, or as JSON. */
#include "config.h"

#include <stdio.h>

#include "analysis/listing.h"
#include "cmd/cmds.h"
#include "cmd/report_opts.h"
#include "profile/load.h"
#include "render/list.h"
#include "util/opts.h"

static const char *const list_usage[] = {
	"memscope list [--source-path DIRS] [--trim-path PREFIXES] [--sample-index NAME|N] [--focus RE] [--ignore RE] "
	"[--hide RE] [--show RE] [--base BASE] [--json] RE FILE...",
	NULL,
};

int cmd_list(int argc, char **argv)
{
	ms_report_opts ro;
	ms_list_opts lo = { 0 };
	int json = 0;
	const char *base = NULL;
	ms_report_opts_init(&ro);
	const ms_option opts[] = {
		MS_REPORT_OPTIONS(ro),
		{ MS_OPT_STRING, 0, "source-path", &lo.source_path, "DIRS",
			"':'-separated directories to find source files in (default: the working directory)" },
		{ MS_OPT_STRING, 0, "trim-path", &lo.trim_path, "PREFIXES",
			"':'-separated prefixes to remove from the profile's file names" },
		{ MS_OPT_FLAG, 0, "json", &json, NULL,
			"print JSON: sample_type, total, routines [{name, file, flat, cum, lines [{line, flat, cum, source}]}]" },
		MS_BASE_OPTION(base),
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, list_usage);
	if (n < 0)
		return ms_opts_exit(n);
	if (n < 2)
		return ms_usage_error(opts, list_usage, "list takes a regex and one or more profiles");
	lo.symbol = argv[0];

	ms_err err;
	ms_graph_opts go;
	if (ms_report_opts_resolve(&ro, &go, &err) < 0)
		return ms_report(&err);
	ms_load_opts lopts = ms_report_load_opts(&ro);
	if (ms_gotrace_cli_apply(&ro.gt, &lopts, &err) < 0)
		return ms_report(&err);
	ms_profile *p = ms_cmd_load_inputs(argv + 1, (size_t)n - 1, base, &lopts, &err);
	if (!p)
		return ms_report(&err);
	int rc = MS_EXIT_OK;
	int si = ms_profile_sample_index(p, ro.sample_index, &err);
	ms_listing l;
	if (si < 0) {
		ms_err_prefix(&err, argv[1]);
		rc = ms_report(&err);
	} else if (go.sample_index = (size_t)si, ms_listing_build(&l, p, &go, &lo, &err) < 0) {
		rc = ms_report(&err);
	} else {
		if (json)
			ms_render_list_json(stdout, p, go.sample_index, &l);
		else
			ms_render_list_text(stdout, p, go.sample_index, &l);
		ms_listing_free(&l);
	}
	ms_profile_free(p);
	ms_report_opts_free(&ro);
	return rc;
}
