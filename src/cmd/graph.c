/* graph.c — `memscope graph FILE --dot OUT | --svg OUT | --json`: the call
 * graph as pprof -dot/-svg draws it (DOT equal to pprof's; SVG laid out by
 * Graphviz's library when memscope was built with it). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "analysis/callgraph.h"
#include "cmd/cmds.h"
#include "cmd/report_opts.h"
#include "profile/load.h"
#include "render/dot.h"
#include "util/io.h"
#include "util/opts.h"

static const char *const graph_usage[] = {
	"memscope graph [--dot OUT] [--svg OUT] [--json] [-n N] [--nodefraction F] [--edgefraction F] "
	"[--sample-index NAME|N] [--granularity G] [--focus RE] [--ignore RE] [--hide RE] [--show RE] [--base BASE] FILE...",
	NULL,
};

#if defined(__SANITIZE_ADDRESS__)
#define MS_GRAPH_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MS_GRAPH_LSAN 1
#endif
#endif
#ifdef MS_GRAPH_LSAN
/* Sanitizer builds: Graphviz's text layout keeps fontconfig's and its own
 * font caches until exit (gvFreeContext does not release them); memscope
 * frees everything it gets from libgvc, so only those libraries' blocks
 * are not reported. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\nleak:libgvc.so\nleak:libpango\nleak:libcairo.so\nleak:libgvplugin_\n";
}
const char *__lsan_default_options(void);
const char *__lsan_default_options(void) { return "print_suppressions=0"; }
#endif

static int write_out(const char *path, const char *data, size_t len, int svg, ms_err *err)
{
	ms_outfile of;
	if (ms_outfile_open(&of, path, err) < 0)
		return -1;
	if (svg) {
		int rc = ms_render_svg_from_dot(of.fp, data, len, err);
		if (rc == -2)
			return ms_outfile_fail(&of, err);
		if (rc < 0) {
			ms_outfile_abort(&of);
			return -1;
		}
	} else if (fwrite(data, 1, len, of.fp) != len) {
		return ms_outfile_fail(&of, err);
	}
	return ms_outfile_commit(&of, err);
}

int cmd_graph(int argc, char **argv)
{
	ms_report_opts ro;
	int json = 0;
	const char *dot_out = NULL, *svg_out = NULL, *base = NULL;
	ms_cg_opts co = { 0.001 };
	ms_report_opts_init(&ro);
	ro.node_count = 80; /* pprof's default for graphs; -n 0 keeps every node */
	const ms_option opts[] = {
		MS_REPORT_OPTIONS(ro),
		{ MS_OPT_STRING, 0, "dot", &dot_out, "OUT", "write the graph as Graphviz DOT (pprof -dot; - for stdout)" },
		{ MS_OPT_STRING, 0, "svg", &svg_out, "OUT", "write the graph as SVG, laid out by Graphviz (pprof -svg)" },
		{ MS_OPT_DOUBLE, 0, "edgefraction", &co.edge_fraction, "F",
			"drop edges whose weight is below F of the total (default 0.001)" },
		{ MS_OPT_FLAG, 0, "json", &json, NULL,
			"print JSON: total, nodes [{id, name, flat, cum, tags}], edges [{from, to, weight, residual, inline}]" },
		MS_BASE_OPTION(base),
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, graph_usage);
	if (n < 0)
		return ms_opts_exit(n);
	if (n < 1)
		return ms_usage_error(opts, graph_usage, "graph takes one or more profiles");
	if (!dot_out && !svg_out && !json)
		return ms_usage_error(opts, graph_usage, "graph needs --dot OUT, --svg OUT or --json");
	if (svg_out && !ms_have_graphviz())
		return ms_error("--svg needs Graphviz: this memscope was built without libgvc "
				"(install libgraphviz-dev and re-run configure); --dot works");
	if (!(co.edge_fraction >= 0 && co.edge_fraction <= 1))
		return ms_error("--edgefraction must be between 0 and 1");

	ms_err err;
	ms_graph_opts go;
	if (ms_report_opts_resolve(&ro, &go, &err) < 0)
		return ms_report(&err);
	ms_load_opts lo = ms_report_load_opts(&ro);
	if (ms_gotrace_cli_apply(&ro.gt, &lo, &err) < 0)
		return ms_report(&err);
	ms_profile *p = ms_cmd_load_inputs(argv, (size_t)n, base, &lo, &err);
	if (!p)
		return ms_report(&err);
	int rc = MS_EXIT_OK;
	int si = ms_profile_sample_index(p, ro.sample_index, &err);
	ms_callgraph g;
	if (si < 0 || (go.sample_index = (size_t)si, ms_callgraph_build(&g, p, &go, &co, &err) < 0)) {
		ms_err_prefix(&err, argv[0]);
		rc = ms_report(&err);
		goto out;
	}
	const char *filters[5];
	ms_report_opts_legend(&ro, filters);
	char *dot = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&dot, &len);
	if (!m) {
		rc = ms_error("out of memory");
		ms_callgraph_free(&g);
		goto out;
	}
	ms_render_dot(m, &g, go.sample_index, filters);
	fclose(m);
	if (json)
		ms_render_graph_json(stdout, &g, go.sample_index);
	if ((dot_out && write_out(dot_out, dot, len, 0, &err) < 0) ||
		(svg_out && write_out(svg_out, dot, len, 1, &err) < 0))
		rc = ms_report(&err);
	free(dot);
	ms_callgraph_free(&g);
out:
	ms_profile_free(p);
	ms_report_opts_free(&ro);
	return rc;
}
