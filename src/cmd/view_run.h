/* view_run.h — what the report views (peek, traces, tree) do before they
 * render: options checked, the inputs loaded and merged like pprof's
 * (several files, --base), the sample index chosen, the graph built. */
#ifndef MS_VIEW_RUN_H
#define MS_VIEW_RUN_H

#include "cmd/report_opts.h"

/* The options every view takes: the report options, --json, --base. */
#define MS_VIEW_OPTIONS(ro, json, json_help, base)                                                             \
	MS_REPORT_OPTIONS(ro), { MS_OPT_FLAG, 0, "json", &(json), NULL, json_help }, MS_BASE_OPTION(base)

typedef struct ms_view_run {
	ms_report_opts *ro;
	ms_graph_opts go;
	ms_profile *p;
	ms_graph g;
	bool have_graph;
	const char *filters[5];
} ms_view_run;

/* Resolves ro, loads paths[0..n) (minus base), sets go.sample_index and
 * the legend. Returns 0, or an exit status after printing the error. */
int ms_view_load(ms_view_run *r, ms_report_opts *ro, char *const *paths, size_t n, const char *base);
/* Builds r->g from r->go (set go's fields first). 0 or an exit status. */
int ms_view_graph(ms_view_run *r, const char *what);
void ms_view_free(ms_view_run *r);

#endif
