/* fuzz_escape.c — libFuzzer target for the reader of the Go compiler's
 * -m / -m=2 escape-analysis output, then every decision's short reason and
 * a few path matches against the files it read.
 * Seeds (a few KiB each): the first 40 lines of
 * testdata/escape/patterns.go1.19.m2, lines 20-60 of
 * patterns.go1.23.trimpath.m2, the first 30 non-inlining lines of
 * gate.new.go1.23.m2.
 * seeds: tools/fuzz/seeds/escape/[0-9]
 * max_len: 16384 */
#include "config.h"

#include <stdint.h>

#include "analysis/escape_join.h"
#include "profile/escape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ms_err err;
	ms_esc_log log;
	if (ms_esc_parse(&log, (const char *)data, size, "fuzz", &err) < 0)
		return 0;
	ms_buf b = MS_BUF_INIT;
	for (size_t i = 0; i < log.nd; i++) {
		ms_buf_reset(&b);
		ms_esc_reason(&log, &log.d[i], i & 1 ? "main.f" : NULL, &b);
		size_t first;
		ms_esc_at(&log, log.d[i].file, log.d[i].line, &first);
	}
	static const char *const paths[] = { "/home/u/m/main.go", "main.go", "./x/y.go", "../a.go", "" };
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		(void)ms_esc_file_match(&log, paths[i]);
	ms_buf_free(&b);
	ms_esc_free(&log);
	return 0;
}
