/* fuzz_heapdump.c — libFuzzer target for the heap dump reader
 * (src/analysis/heapdump.c: libmsrt dumps and Go MemStats JSON) and,
 * on what it accepts, the diagnosis and all three renderers.
 */
// seeds: testdata/frag/*.json testdata/frag/bad/*.json
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "analysis/frag.h"
#include "profile/msrt_dump.h"
#include "render/frag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ms_err err;
	ms_heapdump d;
	if (ms_heapdump_parse(&d, "fuzz", data, size, &err) < 0)
		return 0;
	ms_frag_report r;
	if (ms_frag_analyze(&r, &d, &err) == 0) {
		FILE *null = fopen("/dev/null", "w");
		if (null) {
			ms_render_frag_text(null, &r, "fuzz");
			ms_render_frag_json(null, &r, "fuzz");
			ms_render_frag_svg(null, &r, "fuzz");
			fclose(null);
		}
		ms_frag_report_free(&r);
	}
	ms_heapdump_free(&d);
	return 0;
}
