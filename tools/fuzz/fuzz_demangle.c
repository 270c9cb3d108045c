/* fuzz_demangle.c — libFuzzer target for the demangler (src/profile/
 * demangle.c: libiberty's parser, the simplifying tree walk, the Rust
 * generic stripper) in every mode, and for the profile pass that renames
 * functions with it.
 * seeds: tools/fuzz/seeds/demangle/[a-z]*
 * max_len: 4096 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "profile/demangle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *sym = malloc(size + 1);
	if (!sym)
		return 0;
	memcpy(sym, data, size);
	sym[size] = 0;
	for (int m = MS_DEMANGLE_SIMPLIFIED; m <= MS_DEMANGLE_NONE; m++)
		free(ms_demangle(sym, (ms_demangle_mode)m));
	ms_profile *p = ms_profile_new();
	ms_function f = { 0, ms_profile_str(p, sym), 0, 0, 0 };
	ms_profile_add_function(p, &f);
	ms_profile_demangle(p, (ms_demangle_mode)(size % 4), size % 2);
	ms_profile_free(p);
	free(sym);
	return 0;
}
