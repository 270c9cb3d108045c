/* fuzz_symbolize.c — libFuzzer target for the symbolizer's readers of
 * untrusted binaries: the input is taken as an ELF file (libelf: program
 * headers, notes, symbol tables, .gnu_debuglink; libdwarf: compile units,
 * line tables, DIE trees, range lists) and looked up at addresses derived
 * from its own bytes, directly and through a profile mapping.
 * seeds: testdata/symbolize/prog testdata/symbolize/libsym.so testdata/symbolize/prog.stripped testdata/symbolize/debug/.build-id/??/?*.debug testdata/symbolize/die-loop.elf testdata/symbolize/line-dir.elf testdata/symbolize/section-type.elf testdata/symbolize/section-size.elf
 * Build and run: tools/fuzz/run.sh BUILD-DIR SECONDS symbolize. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "symbolize/symbolize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz-elf", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	const char *dirs[] = { "/nonexistent" };
	ms_symbolize_opts o = { dirs, 1, false, false, false, 0 };
	ms_symbolizer *s = ms_symbolizer_new(&o);
	ms_symframe fr[16];
	ms_err err;
	/* addresses: a few fixed ones and some taken from the input */
	uint64_t addrs[8] = { 0x1000, 0x1139, 0x401000, 0x11a0 };
	for (int i = 4; i < 8; i++) {
		uint64_t a = 0;
		if (size >= 8)
			memcpy(&a, data + (size_t)(i * 997) % (size - 7), 8);
		addrs[i] = a & 0xffffff;
	}
	for (int i = 0; i < 8; i++)
		if (ms_symbolizer_lookup(s, path, NULL, addrs[i], fr, 16, &err) < 0)
			break;
	ms_symbolizer_free(s);

	/* the profile path: a mapping of the file at a PIE-like base */
	ms_profile *p = ms_profile_new();
	ms_profile_add_type(p, "alloc_space", "bytes");
	ms_mapping m = { 0 };
	m.start = 0x555555554000;
	m.limit = m.start + 0x100000;
	m.filename = ms_profile_str(p, path);
	uint32_t mi = ms_profile_add_mapping(p, &m);
	for (int i = 0; i < 8; i++) {
		ms_location loc = { 0 };
		loc.mapping = mi;
		loc.address = m.start + addrs[i];
		uint32_t l = ms_profile_add_location(p, &loc, NULL, 0);
		int64_t v = 1;
		ms_profile_add_sample(p, &l, 1, &v, NULL, 0);
	}
	ms_symbolize_result res;
	if (ms_symbolize_profile(p, &o, &res, &err) == 0)
		ms_symbolize_result_free(&res);
	ms_profile_free(p);
	close(fd);
	return 0;
}
