/* peek.c — `memscope peek RE`: the callers and callees of each function
 * matching RE, as pprof -peek prints them (or as JSON). */
#include "config.h"

#include <stdio.h>

#include "cmd/cmds.h"
#include "cmd/view_run.h"
#include "render/views.h"
#include "util/opts.h"
#include "util/regex.h"

static const char *const peek_usage[] = {
	"memscope peek [--sample-index NAME|N] [--granularity G] [--cum] [--focus RE] [--ignore RE] "
	"[--hide RE] [--show RE] [--json] [--base BASE] RE FILE...",
	NULL,
};

int cmd_peek(int argc, char **argv)
{
	ms_report_opts ro;
	int json = 0;
	const char *base = NULL;
	ms_report_opts_init(&ro);
	const ms_option opts[] = {
		MS_VIEW_OPTIONS(ro, json, "print JSON: nodes [{name, flat, cum, callers, callees}]", base),
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, peek_usage);
	if (n < 0)
		return ms_opts_exit(n);
	if (n < 2)
		return ms_usage_error(opts, peek_usage, "peek takes a regex and one or more profiles");
	ms_err err;
	regex_t re;
	if (ms_regex_compile(&re, argv[0], "peek", &err) < 0)
		return ms_report(&err);
	ms_view_run r;
	int rc = ms_view_load(&r, &ro, argv + 1, (size_t)n - 1, base);
	if (rc == 0) {
		/* pprof's peek never trims: every node and call is shown */
		r.go.node_count = 0;
		r.go.node_fraction = 0;
		r.go.edges = true;
		r.go.edge_fraction = 0;
		rc = ms_view_graph(&r, argv[1]);
	}
	if (rc == 0) {
		ms_top_view v = { r.p, &r.g, &r.go, 0, r.filters };
		if (ms_tree_matches(&v, &re) == 0) {
			ms_seterr(&err, "no matches found for regexp: %s", argv[0]);
			rc = ms_report(&err);
		} else if (json)
			ms_render_tree_json(stdout, &v, &re);
		else
			ms_render_tree_text(stdout, &v, &re);
	}
	regfree(&re);
	ms_view_free(&r);
	ms_report_opts_free(&ro);
	return rc;
}
