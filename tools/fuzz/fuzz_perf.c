/* fuzz_perf.c — libFuzzer target for the perf script reader (with every
 * option combination, chosen from the input's size), then collapse, the
 * folded writer and the SVG renderer on whatever loads.
 * Seeds are small (a few KiB, so each run costs little): the first 3000
 * bytes (whole lines) and samples 400-409 and 1200-1205 of
 * testdata/perf/cpuwork.perf.txt.gz.
 * seeds: tools/fuzz/seeds/perf/[0-9]
 * max_len: 16384 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "analysis/stacks.h"
#include "profile/perf_script.h"
#include "render/flame_svg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ms_err err;
	ms_buf warnings = MS_BUF_INIT;
	ms_load_opts lo = { .format = MS_INPUT_PERF, .perf_pid = size & 1, .perf_tid = (size >> 1) & 1,
		.perf_kernel = (size >> 2) & 1, .warnings = &warnings };
	ms_profile *p = ms_perf_parse((const char *)data, size, &lo, &err);
	ms_buf_free(&warnings);
	if (!p)
		return 0;
	ms_stacks s;
	ms_stacks_init(&s, 1);
	if (ms_stacks_add_profile(&s, p, (size_t)ms_profile_sample_index(p, NULL, NULL), MS_GRAN_FUNCTIONS, 0, &err) == 0) {
		FILE *devnull = fopen("/dev/null", "w");
		if (devnull) {
			ms_stacks_write_folded(&s, devnull);
			/* one input in four renders the SVG (see fuzz_folded.c) */
			if ((size & 24) == 0) {
				ms_flame_svg_opts o;
				ms_flame_svg_opts_init(&o);
				o.minwidth = 0;
				ms_flame_svg_write(devnull, &s, &o);
			}
			fclose(devnull);
		}
	}
	ms_stacks_free(&s);
	ms_profile_free(p);
	return 0;
}
