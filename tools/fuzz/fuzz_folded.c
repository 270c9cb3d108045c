/* fuzz_folded.c — libFuzzer target for the folded-stack reader, then a
 * differential collapse of the result against itself, the folded writer
 * and the SVG renderer (plain and differential).
 * Seeds are small (a few KiB, so each run costs little): lines 1-12, 60-72
 * and the last 8 of testdata/perf/cpuwork.folded.
 * seeds: tools/fuzz/seeds/folded/[0-9]
 * max_len: 16384 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "analysis/stacks.h"
#include "profile/folded.h"
#include "render/flame_svg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ms_err err;
	ms_buf warnings = MS_BUF_INIT;
	ms_load_opts lo = { .format = MS_INPUT_FOLDED, .warnings = &warnings };
	ms_profile *p = ms_folded_parse((const char *)data, size, &lo, &err);
	ms_buf_free(&warnings);
	if (!p)
		return 0;
	ms_stacks s;
	ms_stacks_init(&s, 2);
	size_t last = p->ntypes - 1;
	if (ms_stacks_add_profile(&s, p, 0, MS_GRAN_FUNCTIONS, 0, &err) == 0 &&
		ms_stacks_add_profile(&s, p, last, (ms_granularity)(size % 5), 1, &err) == 0) {
		FILE *devnull = fopen("/dev/null", "w");
		if (devnull) {
			ms_stacks_write_folded(&s, devnull);
			/* the SVG (formatting every frame's numbers) costs more than
			 * parsing: one input in four renders it */
			if ((size & 3) == 0) {
				ms_flame_svg_opts o;
				ms_flame_svg_opts_init(&o);
				o.icicle = (size >> 2) & 1;
				ms_flame_svg_write(devnull, &s, &o);
			}
			fclose(devnull);
		}
	}
	ms_stacks_free(&s);
	ms_profile_free(p);
	return 0;
}
