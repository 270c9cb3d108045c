/* fuzz_godump.c — libFuzzer target for the Go heap dump reader
 * (src/profile/godump.c) and, on what it accepts, the graph, dominators and
 * retained sizes (src/analysis/goheap.c), both renderers, the profile and
 * the fragmentation input built from it. (fuzz_heapdump.c is the other,
 * JSON, heap dump format.) Seeds: small dumps with every record type made by
 * tools/fuzz/godump_seeds.py.
 * max_len: 65536 */
// seeds: testdata/heapdump/fuzz/*.dump
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "analysis/frag.h"
#include "analysis/goheap.h"
#include "profile/msrt_dump.h"
#include "profile/godump.h"
#include "profile/profile.h"
#include "render/goheap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ms_err err;
	ms_godump d;
	if (ms_godump_parse(&d, "fuzz", data, size, &err) < 0)
		return 0;
	ms_goheap h;
	ms_goheap_opts o = { .top = 5, .tree = true };
	if (ms_goheap_analyze(&h, &d, &o, &err) == 0) {
		FILE *null = fopen("/dev/null", "w");
		if (null) {
			ms_render_goheap_text(null, &h, &d, "fuzz", 5);
			ms_render_goheap_json(null, &h, &d);
			fclose(null);
		}
		ms_profile *p = ms_goheap_profile(&h, &d);
		if (ms_profile_validate(p, &err) < 0)
			__builtin_trap(); /* the profile must always be well-formed */
		ms_profile_free(p);
		ms_heapdump fd;
		ms_goheap_fragdump(&h, &d, &fd);
		ms_frag_report r;
		if (ms_frag_analyze(&r, &fd, &err) == 0)
			ms_frag_report_free(&r);
		ms_heapdump_free(&fd);
		ms_goheap_free(&h);
	}
	ms_godump_free(&d);
	return 0;
}
