/* fuzz_gotrace_v1.c — libFuzzer target for the old per-P Go execution trace
 * reader (src/profile/gotrace_v1.c, through the header dispatch of
 * gotrace.c) with a sink that touches every field it is given, then the same
 * bytes through `memscope gctrace`'s Go trace path (src/gctrace/gotrace_gc.c:
 * cycles, the MMU curve, the text and JSON reports).
 * seeds: tools/fuzz/seeds/gotrace-tiny.go1.19.trace tools/fuzz/seeds/gotrace-tiny.go1.21.trace testdata/gotrace/http_1_11_good
 * (gotrace-tiny.*: testdata/gotrace/tiny.go run with Go 1.19 and 1.21)
 * max_len: 8192 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gctrace/gctrace.h"
#include "profile/gotrace.h"
#include "render/gctrace_render.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t touch_frames(const ms_gt_frame *f, size_t n)
{
	uint64_t h = 0;
	for (size_t i = 0; i < n; i++)
		h += f[i].pc + strlen(f[i].func) + strlen(f[i].file) + (uint64_t)f[i].line;
	return h;
}

static int on_interval(void *ctx, const ms_gt_interval *iv)
{
	*(uint64_t *)ctx += touch_frames(iv->frames, iv->nframes) + strlen(iv->why) + iv->goid +
			    (uint64_t)(iv->end_ns - iv->start_ns);
	return 0;
}

static int on_cpu(void *ctx, const ms_gt_cpu_sample *s)
{
	*(uint64_t *)ctx += touch_frames(s->frames, s->nframes) + s->goid;
	return 0;
}

static int on_gc(void *ctx, const ms_gt_gc_event *ev)
{
	*(uint64_t *)ctx += ev->value + (ev->reason ? strlen(ev->reason) : 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* only the old format: anything else fails at the header */
	int minor = 0;
	if (!ms_gotrace_sniff(data, size, &minor) || (minor != 11 && minor != 19 && minor != 21))
		return 0;
	uint64_t h = 0;
	ms_gt_sink sink = {&h, on_interval, on_cpu, on_gc};
	ms_gt_stats st;
	ms_buf warn = {0};
	ms_err err;
	ms_gt_opts opts = { .rules = MS_GT_RULES_GO };
	ms_gotrace_read(data, size, &opts, &sink, &st, &warn, &err);
	ms_buf_free(&warn);

	ms_gctrace_log *log = ms_gctrace_log_new("fuzz");
	ms_gctrace_report rep;
	if (ms_gctrace_load_gotrace(log, data, size, &err) == 0) {
		ms_gotrace_mmu_curve(log->gotrace, NULL, 0);
		if (ms_gctrace_analyze(log, NULL, &rep, &err) == 0) {
			FILE *null = fopen("/dev/null", "w");
			if (null) {
				ms_gctrace_render_text(null, &log, &rep, 1);
				ms_gctrace_render_json(null, &log, &rep, 1, 1);
				fclose(null);
			}
			ms_gctrace_report_free(&rep);
		}
	}
	ms_gctrace_log_free(log);
	return 0;
}
