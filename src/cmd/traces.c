/* traces.c — `memscope traces`: every distinct stack with its labels and
 * value, as pprof -traces prints them (or as JSON). */
#include "config.h"

#include <stdio.h>

#include "analysis/tags.h"
#include "analysis/traces.h"
#include "cmd/cmds.h"
#include "cmd/view_run.h"
#include "profile/combine.h"
#include "render/views.h"
#include "util/opts.h"

static const char *const traces_usage[] = {
	"memscope traces [--sample-index NAME|N] [--granularity G] [--focus RE] [--ignore RE] "
	"[--hide RE] [--show RE] [--json] [--base BASE] FILE...",
	NULL,
};

int cmd_traces(int argc, char **argv)
{
	ms_report_opts ro;
	int json = 0;
	const char *base = NULL;
	ms_report_opts_init(&ro);
	const ms_option opts[] = {
		MS_VIEW_OPTIONS(ro, json, "print JSON: traces [{value, labels, stack [{name}]}]", base),
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, traces_usage);
	if (n < 0)
		return ms_opts_exit(n);
	if (n < 1)
		return ms_usage_error(opts, traces_usage, "traces takes one or more profiles");
	ms_view_run r;
	int rc = ms_view_load(&r, &ro, argv, (size_t)n, base);
	if (rc == 0) {
		ms_err err;
		ms_traces t;
		/* pprof merges even a single input: equal stacks become one */
		if (n == 1 && !base)
			ms_profile_compact(r.p);
		if (ms_traces_open(&t, r.p, &r.go, &err) < 0) {
			ms_err_prefix(&err, argv[0]);
			rc = ms_report(&err);
		} else if (ms_profile_hide_labels(r.p, ro.tagshow, ro.taghide, &err) < 0) {
			rc = ms_report(&err);
			ms_traces_close(&t);
		} else {
			if (json)
				ms_render_traces_json(stdout, &t);
			else
				ms_render_traces_text(stdout, &t);
			ms_traces_close(&t);
		}
	}
	ms_view_free(&r);
	ms_report_opts_free(&ro);
	return rc;
}
