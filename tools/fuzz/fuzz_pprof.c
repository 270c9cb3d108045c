/* fuzz_pprof.c — libFuzzer target for the profile loader (pprof, gzip and
 * whatever else the format detection accepts), then the report engine on
 * whatever loads, so the graph and renderers see hostile profiles too (and
 * the leak-check reader, on profiles with its sample types; tree's edges,
 * pprof's merge with a negated copy and traces on what remains).
 */
// seeds: testdata/go1.19/*.pb.gz testdata/leakcheck/*.pb.gz
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "analysis/graph.h"
#include "analysis/leakcheck.h"
#include "profile/load.h"
#include "profile/pprof.h"
#include "profile/combine.h"
#include "profile/merge.h"
#include "render/top.h"
#include "render/views.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ms_err err;
	ms_load_opts lo = { .format = MS_INPUT_PPROF };
	ms_profile *p = ms_profile_load_buffer("fuzz", data, size, &lo, &err);
	if (!p)
		return 0;
	ms_graph_opts go;
	ms_graph_opts_init(&go);
	go.sample_index = (size_t)ms_profile_sample_index(p, NULL, NULL);
	go.granularity = (ms_granularity)(size % 5);
	go.edges = true; /* tree and peek's call edges */
	ms_graph g;
	if (ms_graph_build(&g, p, &go, &err) == 0) {
		FILE *devnull = fopen("/dev/null", "w");
		if (devnull) {
			ms_top_view v = { p, &g, &go, 0, NULL };
			ms_render_top_text(devnull, &v);
			ms_render_tree_text(devnull, &v, NULL);
			fclose(devnull);
		}
		ms_graph_free(&g);
	}
	if (ms_leakcheck_is_report(p)) {
		ms_leakcheck lc;
		if (ms_leakcheck_read(&lc, p, "fuzz", go.granularity, &err) == 0)
			ms_leakcheck_free(&lc);
	}
	/* pprof's merge: the profile minus a copy of itself (a --base), then
	 * what remains as traces */
	ms_profile *q = ms_profile_copy(p);
	if (q) {
		ms_profile_combine(p, q, -1.0, &err);
		ms_profile_free(q);
	}
	ms_profile_compact(p);
	ms_traces t;
	if (ms_traces_open(&t, p, &go, &err) == 0) {
		FILE *devnull = fopen("/dev/null", "w");
		if (devnull) {
			ms_render_traces_text(devnull, &t);
			fclose(devnull);
		}
		ms_traces_close(&t);
	}
	ms_buf out = MS_BUF_INIT;
	ms_pprof_encode(p, &out, &err);
	ms_buf_free(&out);
	ms_profile_free(p);
	return 0;
}
