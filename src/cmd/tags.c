/* tags.c — `memscope tags`: the labels of a profile's samples and the
 * weight behind each value, as pprof -tags prints them, or as JSON. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis/graph.h"
#include "analysis/tags.h"
#include "cmd/cmds.h"
#include "cmd/report_opts.h"
#include "profile/load.h"
#include "render/tags.h"
#include "util/opts.h"

static const char *const tags_usage[] = {
	"memscope tags [--sample-index NAME|N] [--tagfocus F] [--tagignore F] [--tagshow RE] [--taghide RE] "
	"[--focus RE] [--ignore RE] [--base BASE] [--json] FILE...",
	NULL,
};

int cmd_tags(int argc, char **argv)
{
	ms_report_opts ro;
	int json = 0;
	const char *base = NULL;
	ms_report_opts_init(&ro);
	const ms_option opts[] = {
		MS_REPORT_OPTIONS(ro),
		{ MS_OPT_FLAG, 0, "json", &json, NULL,
			"print JSON: sample_type, tags [{key, total, values [{value, total}]}]" },
		MS_BASE_OPTION(base),
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, tags_usage);
	if (n < 0)
		return ms_opts_exit(n);
	if (n < 1)
		return ms_usage_error(opts, tags_usage, "tags takes one or more profiles");

	ms_err err;
	ms_graph_opts go;
	ms_graph g;
	int rc = MS_EXIT_OK;
	ms_profile *p = ms_report_opts_load(&ro, &go, argv, (size_t)n, base, &err);
	if (!p)
		return ms_report(&err);
	/* the samples: the graph selects them when frames filter them
	 * (focus/ignore), else the tag filters alone do (no graph to build);
	 * labels are hidden after, as pprof does */
	bool graph = go.focus || go.ignore;
	uint8_t *skip = NULL;
	if (graph && ms_graph_build(&g, p, &go, &err) < 0) {
		ms_err_prefix(&err, argv[0]);
		rc = ms_report(&err);
		goto out;
	}
	if (!graph) {
		skip = ms_xcalloc(p->nsamples ? p->nsamples : 1, 1);
		if (ms_tag_select(p, go.tagfocus, go.tagignore, NULL, skip, &err) < 0) {
			rc = ms_report(&err);
			goto out_graph;
		}
	}
	if (ms_profile_hide_labels(p, ro.tagshow, ro.taghide, &err) < 0) {
		rc = ms_report(&err);
		goto out_graph;
	}
	ms_tags t;
	size_t si = go.sample_index;
	ms_tags_build(&t, p, si, graph ? g.skip : skip);
	const char *type = ms_profile_string(p, p->types[si].type), *unit = ms_profile_string(p, p->types[si].unit);
	if (json)
		ms_render_tags_json(stdout, &t, type, unit);
	else
		ms_render_tags_text(stdout, &t, unit);
	ms_tags_free(&t);
out_graph:
	if (graph)
		ms_graph_free(&g);
	free(skip);
out:
	ms_profile_free(p);
	ms_report_opts_free(&ro);
	return rc;
}
