/* tree.c — `memscope tree`: every node of the report graph with its callers
 * and callees, as pprof -tree prints it (or as JSON). */
#include "config.h"

#include <stdio.h>

#include "cmd/cmds.h"
#include "cmd/view_run.h"
#include "render/views.h"
#include "util/opts.h"

static const char *const tree_usage[] = {
	"memscope tree [--sample-index NAME|N] [--granularity G] [--cum] [-n N] [--focus RE] [--ignore RE] "
	"[--hide RE] [--show RE] [--edgefraction F] [--json] [--base BASE] FILE...",
	NULL,
};

int cmd_tree(int argc, char **argv)
{
	ms_report_opts ro;
	int json = 0;
	double edge_fraction = 0.001;
	const char *base = NULL;
	ms_report_opts_init(&ro);
	ro.node_count = -1; /* pprof's -tree shows 80 nodes unless told */
	const ms_option opts[] = {
		MS_VIEW_OPTIONS(ro, json, "print JSON: nodes [{name, flat, cum, callers, callees}]", base),
		{ MS_OPT_DOUBLE, 0, "edgefraction", &edge_fraction, "F",
			"drop calls whose weight is below F of the total (default 0.001)" },
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, tree_usage);
	if (n < 0)
		return ms_opts_exit(n);
	if (n < 1)
		return ms_usage_error(opts, tree_usage, "tree takes one or more profiles");
	if (!(edge_fraction >= 0 && edge_fraction <= 1))
		return ms_usage_error(opts, tree_usage, "--edgefraction must be between 0 and 1");
	if (ro.node_count == -1)
		ro.node_count = 80;
	ms_view_run r;
	int rc = ms_view_load(&r, &ro, argv, (size_t)n, base);
	if (rc == 0) {
		r.go.edges = true;
		r.go.edge_fraction = edge_fraction;
		rc = ms_view_graph(&r, argv[0]);
	}
	if (rc == 0) {
		ms_top_view v = { r.p, &r.g, &r.go, 0, r.filters };
		if (json)
			ms_render_tree_json(stdout, &v, NULL);
		else
			ms_render_tree_text(stdout, &v, NULL);
	}
	ms_view_free(&r);
	ms_report_opts_free(&ro);
	return rc;
}
