/* gotrace_v1.c — placeholder: the reader of this trace family is being
 * written (see gotrace.h). */
#include "config.h"
#include "profile/gotrace.h"

int ms_gotrace_v1_read(const uint8_t *data, size_t n, int minor, const ms_gt_opts *opts, const ms_gt_sink *sink,
	ms_gt_stats *stats, struct ms_buf *warnings, ms_err *err)
{
	(void)data, (void)n, (void)opts, (void)sink, (void)stats, (void)warnings;
	return ms_seterr(err, "byte 0: Go execution traces of version 1.%d cannot be read yet", minor);
}
