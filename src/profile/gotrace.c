/* gotrace.c — Go execution traces: the 16-byte header and the dispatch to
 * the reader of its format family (gotrace_v1.c: go 1.11-1.21, the old
 * per-P format; gotrace_v2.c: go 1.22 and later, the generational format).
 * See gotrace.h for the contract between readers and consumers. */
#include "config.h"
#include "profile/gotrace.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* "go 1.N trace" padded with NULs to 16 bytes. */
int ms_gotrace_sniff(const uint8_t *data, size_t n, int *minor)
{
	static const char pre[] = "go 1.";
	if (n < 16 || memcmp(data, pre, sizeof pre - 1) != 0)
		return 0;
	size_t i = sizeof pre - 1;
	int v = 0;
	while (i < 16 && data[i] >= '0' && data[i] <= '9' && v < 1000)
		v = v * 10 + (data[i++] - '0');
	if (i == sizeof pre - 1 || i + 6 > 16 || memcmp(data + i, " trace", 6) != 0)
		return 0;
	for (i += 6; i < 16; i++)
		if (data[i] != 0)
			return 0;
	if (minor)
		*minor = v;
	return 1;
}

int ms_gotrace_read(const uint8_t *data, size_t n, const ms_gt_opts *opts, const ms_gt_sink *sink,
	ms_gt_stats *stats, struct ms_buf *warnings, ms_err *err)
{
	int minor = 0;
	if (!ms_gotrace_sniff(data, n, &minor))
		return ms_seterr(err, "byte 0: not a Go execution trace (expected a \"go 1.N trace\" header)");
	memset(stats, 0, sizeof *stats);
	stats->version_minor = minor;
	switch (minor) {
	case 11: case 19: case 21:
		return ms_gotrace_v1_read(data, n, minor, opts, sink, stats, warnings, err);
	case 22: case 23: case 25: case 26:
		stats->generational = true;
		return ms_gotrace_v2_read(data, n, minor, opts, sink, stats, warnings, err);
	default:
		return ms_seterr(err, "byte 0: Go execution trace version 1.%d is not supported "
				      "(supported: 1.11, 1.19, 1.21, 1.22, 1.23, 1.25, 1.26)", minor);
	}
}

void ms_gotrace_release_pages(const uint8_t *data, size_t upto)
{
	long pg = sysconf(_SC_PAGESIZE);
	if (pg <= 0)
		return;
	uintptr_t b = (uintptr_t)data, e = ((uintptr_t)data + upto) & ~((uintptr_t)pg - 1);
	if (b % (uintptr_t)pg == 0 && e > b)
		madvise((void *)b, e - b, MADV_DONTNEED);
}
