/* fuzz_trace.c — libFuzzer target for the reader of libmsrt's event trace
 * (src/profile/trace_read.c), through the loader's format detection, with
 * both default-type choices.
 * seeds: testdata/rt/*.trace.out */
#include "config.h"

#include <stdint.h>

#include "profile/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ms_err err;
	ms_load_opts lo = { .format = MS_INPUT_TRACE, .trace_inuse = (int)(size & 1) };
	ms_profile *p = ms_profile_load_buffer("fuzz", data, size, &lo, &err);
	if (p) {
		(void)ms_profile_total(p, 3);
		ms_profile_free(p);
	}
	return 0;
}
