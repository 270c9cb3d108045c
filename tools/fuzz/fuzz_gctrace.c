/* fuzz_gctrace.c — libFuzzer target for the gctrace reader: the input is fed
 * to the streaming log parser in two pieces (split at a point chosen by the
 * first byte, so line reassembly is fuzzed too; the log parses each line
 * with ms_gctrace_parse_line), then the log is analysed and rendered
 * (text, JSON, CSV, SVG) to /dev/null; an analysing log (which keeps no
 * cycles) fed the same bytes, cut elsewhere, must print the same text
 * report (abort otherwise). Any crash, sanitizer report or leak is a bug.
 *
 * Run with the others: tools/fuzz/run.sh BUILD_DIR SECONDS gctrace
 */
// seeds: testdata/gctrace/* testdata/go1.19/*.gctrace.log
// max_len: 4096
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gctrace/gctrace.h"
#include "render/gctrace_render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	if (!null)
		null = fopen("/dev/null", "w");
	const char *p = (const char *)data;

	/* the whole input, split in two feeds */
	size_t cut = size ? (size_t)data[0] * size / 256 : 0;
	ms_gctrace_log *log = ms_gctrace_log_new("fuzz");
	ms_gctrace_log_feed(log, p, cut);
	ms_gctrace_log_feed(log, p + cut, size - cut);
	ms_gctrace_log_finish(log);
	ms_gctrace_report rep;
	int a = ms_gctrace_analyze(log, NULL, &rep, NULL);
	if (a == 0 && null) {
		ms_gctrace_log *logs[1] = { log };
		ms_gctrace_render_text(null, logs, &rep, 1);
		ms_gctrace_render_json(null, logs, &rep, 1, 1);
		ms_gctrace_render_csv(null, logs, 1);
		ms_gctrace_render_svg(null, logs, &rep, 1);
	}

	/* an analysing log fed the same pieces reports the same text */
	ms_gctrace_log *alog = ms_gctrace_log_new("fuzz");
	ms_gctrace_acc *acc = ms_gctrace_acc_new(NULL);
	ms_gctrace_log_sink(alog, ms_gctrace_acc_sink, acc, 1);
	ms_gctrace_log_feed(alog, p, size - cut);
	ms_gctrace_log_feed(alog, p + (size - cut), cut);
	ms_gctrace_log_finish(alog);
	ms_gctrace_report arep;
	int b = ms_gctrace_acc_report(acc, alog, &arep, NULL);
	ms_gctrace_acc_free(acc);
	if (a != b)
		abort();
	if (a == 0) {
		char *t1 = NULL, *t2 = NULL;
		size_t n1 = 0, n2 = 0;
		FILE *f1 = open_memstream(&t1, &n1), *f2 = open_memstream(&t2, &n2);
		if (f1 && f2) {
			ms_gctrace_render_text(f1, &log, &rep, 1);
			ms_gctrace_render_text(f2, &alog, &arep, 1);
			fclose(f1);
			fclose(f2);
			if (n1 != n2 || memcmp(t1, t2, n1) != 0)
				abort();
		}
		free(t1);
		free(t2);
		ms_gctrace_report_free(&rep);
		ms_gctrace_report_free(&arep);
	}
	ms_gctrace_log_free(alog);
	ms_gctrace_log_free(log);
	return 0;
}
