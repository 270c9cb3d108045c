/* fuzz_gate.c — libFuzzer target for diff gate expressions (--fail-on) and
 * size arguments.
 * seeds: tools/fuzz/seeds/gate/[0-9]
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/diff.h"
#include "util/opts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	ms_gate g;
	ms_err err;
	if (ms_gate_parse(&g, s, &err) == 0)
		ms_gate_free(&g);
	unsigned long long v;
	ms_parse_size(s, &v);
	free(s);
	return 0;
}
