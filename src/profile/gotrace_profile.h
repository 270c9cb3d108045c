/* gotrace_profile.h — profiles from a Go execution trace (--trace-profile
 * KIND): the consumer of gotrace.h's sink that builds the one profile model.
 *
 *   sync, net, syscall, sched  what `go tool trace -pprof=KIND` writes:
 *                              contentions/count, delay/nanoseconds
 *                              (default delay), one sample per stack
 *   wait                       the four together, each stack under a root
 *                              frame naming why the goroutine waited
 *                              ("chan receive", "select", "network",
 *                              "syscall", "runnable", ...)
 *   cpu                        the trace's CPU samples: samples/count,
 *                              cpu/nanoseconds (10 ms a sample, the
 *                              runtime's default rate)
 */
#ifndef MS_GOTRACE_PROFILE_H
#define MS_GOTRACE_PROFILE_H

#include "profile/gotrace.h"
#include "profile/profile.h"
#include "util/buf.h"

typedef enum ms_gt_profile_kind {
	MS_GTP_DEFAULT = 0, /* wait */
	MS_GTP_SYNC,
	MS_GTP_NET,
	MS_GTP_SYSCALL,
	MS_GTP_SCHED,
	MS_GTP_WAIT,
	MS_GTP_CPU,
} ms_gt_profile_kind;

/* "sync", "net", "syscall", "sched", "wait", "cpu" -> kind; -1 if unknown. */
int ms_gt_profile_kind_parse(const char *s, ms_gt_profile_kind *out);
const char *ms_gt_profile_kind_name(ms_gt_profile_kind k);
/* "go" or "fixed" -> rules; -1 if unknown. */
int ms_gt_rules_parse(const char *s, ms_gt_rules *out);

/* Reads the trace in data (mapped or in memory) into a profile of kind.
 * stats (optional, out) gets what the reader learnt; warnings (optional)
 * the truncation warning. NULL with err set on bad input. */
ms_profile *ms_gotrace_profile(const uint8_t *data, size_t n, ms_gt_profile_kind kind, const ms_gt_opts *opts,
	ms_gt_stats *stats, ms_buf *warnings, ms_err *err);

#endif
