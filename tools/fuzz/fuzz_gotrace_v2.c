/* fuzz_gotrace_v2.c — libFuzzer target for the generational Go execution
 * trace reader (gotrace_v2.c): by the input's size, either through the
 * trace profiles (kind wait or cpu, rules go or fixed, with or without a
 * region filter), the profile then encoded as pprof, or with a GC sink that
 * checks every event it is given. Every error must name its byte offset.
 * max_len: 8192 */
// seeds: testdata/gotrace/small.go1.23.trace testdata/gotrace/small.go1.25.trace testdata/gotrace/small.go1.26.trace testdata/gotrace/upstream/*.trace
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "profile/gotrace_profile.h"
#include "profile/pprof.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_gc(void *ctx, const ms_gt_gc_event *ev)
{
	(void)ctx;
	if (ev->reason && strlen(ev->reason) > 4096)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ms_err err;
	ms_gt_opts o = { (size & 1) ? MS_GT_RULES_FIXED : MS_GT_RULES_GO, (size & 4) ? "tick" : NULL, NULL, false };
	ms_gt_stats st;
	if (size & 8) {
		ms_gt_sink sink = { NULL, NULL, NULL, on_gc };
		if (ms_gotrace_read(data, size, &o, &sink, &st, NULL, &err) < 0 && strncmp(err.msg, "byte ", 5) != 0)
			abort();
		return 0;
	}
	ms_buf warnings = MS_BUF_INIT;
	ms_profile *p = ms_gotrace_profile(data, size, (size & 2) ? MS_GTP_CPU : MS_GTP_WAIT, &o, &st, &warnings, &err);
	if (p) {
		ms_buf out = MS_BUF_INIT;
		ms_pprof_encode(p, &out, &err);
		ms_buf_free(&out);
		ms_profile_free(p);
	} else if (strncmp(err.msg, "byte ", 5) != 0)
		abort();
	ms_buf_free(&warnings);
	return 0;
}
