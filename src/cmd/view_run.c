/* view_run.c — the report views' shared set-up (view_run.h). */
#include "config.h"
#include "cmd/view_run.h"
#include "cmd/cmds.h"

#include <string.h>

int ms_view_load(ms_view_run *r, ms_report_opts *ro, char *const *paths, size_t n, const char *base)
{
	ms_err err;
	memset(r, 0, sizeof *r);
	r->ro = ro;
	r->p = ms_report_opts_load(ro, &r->go, paths, n, base, &err);
	if (!r->p)
		return ms_report(&err);
	ms_report_opts_legend(ro, r->filters);
	return 0;
}

int ms_view_graph(ms_view_run *r, const char *what)
{
	ms_err err;
	if (ms_graph_build(&r->g, r->p, &r->go, &err) < 0) {
		ms_err_prefix(&err, what);
		return ms_report(&err);
	}
	r->have_graph = true;
	return 0;
}

void ms_view_free(ms_view_run *r)
{
	if (r->have_graph)
		ms_graph_free(&r->g);
	ms_profile_free(r->p);
	r->p = NULL;
	r->have_graph = false;
}
