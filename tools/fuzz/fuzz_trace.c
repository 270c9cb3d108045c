/* fuzz_trace.c — libFuzzer target for the readers of libmsrt's event trace:
 * the heap profile reader (src/profile/trace_read.c, through the loader's
 * format detection, with both default-type choices) and the collector's
 * records read by `memscope gctrace` (src/gctrace/trace_gc.c, then the
 * analysis and the text, JSON and --cycles reports of what it read).
 * (trace-gc.out: the header and the first GC records of
 * testdata/msrt/gcbench.trace.out, without its allocation batches) */
// seeds: testdata/rt/*.trace.out testdata/msrt/*.trace.out tools/fuzz/seeds/trace-gc.out
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "gctrace/gctrace.h"
#include "profile/load.h"
#include "render/gctrace_render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void gc_records(const uint8_t *data, size_t size)
{
	ms_err err;
	ms_gctrace_log *log = ms_gctrace_log_new("fuzz");
	ms_gctrace_report rep;
	if (ms_gctrace_load_trace(log, data, size, &err) == 0 && ms_gctrace_analyze(log, NULL, &rep, &err) == 0) {
		FILE *null = fopen("/dev/null", "w");
		if (null) {
			ms_gctrace_render_text(null, &log, &rep, 1);
			ms_gctrace_render_json(null, &log, &rep, 1, 1);
			ms_gctrace_render_cycles(null, &log, 1);
			fclose(null);
		}
		ms_gctrace_report_free(&rep);
	}
	ms_gctrace_log_free(log);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ms_err err;
	ms_load_opts lo = { .format = MS_INPUT_TRACE, .trace_inuse = (int)(size & 1) };
	ms_profile *p = ms_profile_load_buffer("fuzz", data, size, &lo, &err);
	if (p) {
		(void)ms_profile_total(p, 3);
		ms_profile_free(p);
	}
	gc_records(data, size);
	return 0;
}
