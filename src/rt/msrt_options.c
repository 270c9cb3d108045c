/* msrt_options.c — the runtime's settings, read once from MSRT_*
 * environment variables (mimalloc's options.c pattern: one table, tolerant
 * parsing with K/M/G units, a warning and the default for a bad value,
 * never a crash of the host program).
 *
 *   MSRT_PROFILE_RATE      mean bytes between samples (512 KiB; 0 off; 1 all)
 *   MSRT_PROFILE_DEPTH     frames kept per stack (64, 1..128)
 *   MSRT_PROFILE_UNWIND    "cfi" (unwind tables, cached; default), "dwarf"
 *                          (libgcc every time), "fp" (frame pointers)
 *   MSRT_PROFILE_DIR       directory for heap.PROG.PID.SEQ.pb.gz snapshots
 *   MSRT_PROFILE_INTERVAL  snapshot every N bytes allocated ("64MB") or
 *                          every T seconds ("10s"); 0 = only at exit
 *   MSRT_PROFILE_SIGNAL    signal that asks for a snapshot (USR2; "none")
 *   MSRT_HEAP_DUMP         1: heap dump with every snapshot
 *   MSRT_TRACE             event trace file ("%p" becomes the pid, "%e" the program)
 *   MSRT_SCAVENGE_DELAY    seconds a free page is kept before release (2)
 *   MSRT_SCAVENGE          0 disables the scavenger
 *   MSRT_SCAVENGE_RETAIN   free memory kept resident, % of heap in use (75)
 *   MSRT_LEAK_CHECK        1: leak check at exit (mleak.c), forces rate 1;
 *                          "quiet": the same without the summary line
 *   MSRT_VERBOSE           1: say what the runtime does on stderr
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rt/msrt_internal.h"

msrt_options msrt_opts = {
	.profile_rate = 512 * 1024,
	.profile_depth = 64,
	.profile_signal = SIGUSR2,
	.scavenge_delay = 2.0,
	.scavenge = 1,
	.scavenge_retain = 75,
};

int msrt_parse_bytes(const char *s, unsigned long long *out)
{
	if (!s || !*s)
		return -1;
	const char *p = s;
	unsigned long long v = 0;
	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p)) {
		unsigned d = (unsigned)(*p++ - '0');
		if (v > (~0ull - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	unsigned long long mult = 1;
	if (*p) {
		char u = (char)toupper((unsigned char)*p);
		if (u == 'K')
			mult = 1ull << 10;
		else if (u == 'M')
			mult = 1ull << 20;
		else if (u == 'G')
			mult = 1ull << 30;
		else if (u == 'B' && p[1] == 0)
			mult = 1;
		else
			return -1;
		if (u != 'B') {
			p++;
			if (*p == 'i' || *p == 'I')
				p++;
			if (*p == 'B' || *p == 'b')
				p++;
		} else {
			p++;
		}
		if (*p)
			return -1;
	}
	if (v > ~0ull / mult)
		return -1;
	*out = v * mult;
	return 0;
}

int msrt_parse_seconds(const char *s, double *out)
{
	if (!s || !*s)
		return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || v < 0 || v != v)
		return -1;
	if (strcmp(end, "s") == 0 || *end == 0)
		;
	else if (strcmp(end, "ms") == 0)
		v /= 1000;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		v *= 60;
	else
		return -1;
	*out = v;
	return 0;
}

static int parse_signal(const char *s, int *out)
{
	static const struct {
		const char *name;
		int sig;
	} sigs[] = { { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "HUP", SIGHUP }, { "PROF", SIGPROF },
		{ "URG", SIGURG }, { "WINCH", SIGWINCH } };
	if (strcasecmp(s, "none") == 0 || strcmp(s, "0") == 0) {
		*out = 0;
		return 0;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (strcasecmp(s, sigs[i].name) == 0) {
			*out = sigs[i].sig;
			return 0;
		}
	char *end;
	long v = strtol(s, &end, 10);
	if (*s && !*end && v > 0 && v < 65) {
		*out = (int)v;
		return 0;
	}
	return -1;
}

/* Copies of the path settings: the program may change its environment. */
static char profile_dir_buf[4096], trace_path_buf[4096];

static const char *keep(char *buf, size_t n, const char *name, const char *v)
{
	size_t len = strlen(v);
	if (len >= n) {
		msrt_warn("ignoring %s: longer than %zu bytes", name, n - 1);
		return NULL;
	}
	memcpy(buf, v, len + 1);
	return buf;
}

static void bad(const char *name, const char *value, const char *what)
{
	msrt_warn("ignoring %s='%s': %s", name, value, what);
}

void msrt_options_load(void)
{
	const char *v;
	unsigned long long u;
	double d;
	if ((v = getenv("MSRT_PROFILE_RATE"))) {
		if (msrt_parse_bytes(v, &u) < 0 || u > (1ull << 40))
			bad("MSRT_PROFILE_RATE", v, "expected bytes, e.g. 524288 or 512K");
		else
			msrt_opts.profile_rate = (long)u;
	}
	if ((v = getenv("MSRT_PROFILE_DEPTH"))) {
		if (msrt_parse_bytes(v, &u) < 0 || u < 1 || u > MSRT_MAX_DEPTH)
			bad("MSRT_PROFILE_DEPTH", v, "expected 1 to 128");
		else
			msrt_opts.profile_depth = (int)u;
	}
	if ((v = getenv("MSRT_PROFILE_UNWIND"))) {
		if (strcmp(v, "fp") == 0)
			msrt_opts.unwind = MSRT_UNWIND_FP;
		else if (strcmp(v, "dwarf") == 0)
			msrt_opts.unwind = MSRT_UNWIND_DWARF;
		else if (strcmp(v, "cfi") == 0)
			msrt_opts.unwind = MSRT_UNWIND_CFI;
		else if (strcmp(v, "check") == 0)
			msrt_opts.unwind = MSRT_UNWIND_CHECK;
		else
			bad("MSRT_PROFILE_UNWIND", v, "expected 'cfi', 'dwarf' or 'fp'");
	}
	if ((v = getenv("MSRT_PROFILE_DIR")) && *v)
		msrt_opts.profile_dir = keep(profile_dir_buf, sizeof profile_dir_buf, "MSRT_PROFILE_DIR", v);
	if ((v = getenv("MSRT_PROFILE_INTERVAL")) && *v) {
		size_t n = strlen(v);
		if (strchr("sm", v[n - 1]) && isdigit((unsigned char)v[0])) {
			if (msrt_parse_seconds(v, &d) < 0)
				bad("MSRT_PROFILE_INTERVAL", v, "expected bytes (64MB) or seconds (10s)");
			else
				msrt_opts.interval_seconds = d;
		} else if (msrt_parse_bytes(v, &u) < 0) {
			bad("MSRT_PROFILE_INTERVAL", v, "expected bytes (64MB) or seconds (10s)");
		} else {
			msrt_opts.interval_bytes = u;
		}
	}
	if ((v = getenv("MSRT_PROFILE_SIGNAL"))) {
		int sig;
		if (parse_signal(v, &sig) < 0)
			bad("MSRT_PROFILE_SIGNAL", v, "expected a signal name such as USR2, or 'none'");
		else
			msrt_opts.profile_signal = sig;
	}
	if ((v = getenv("MSRT_HEAP_DUMP"))) {
		if (strcmp(v, "1") == 0)
			msrt_opts.heap_dump = 1;
		else if (strcmp(v, "0") != 0)
			bad("MSRT_HEAP_DUMP", v, "expected 0 or 1");
	}
	if ((v = getenv("MSRT_TRACE")) && *v)
		msrt_opts.trace_path = keep(trace_path_buf, sizeof trace_path_buf, "MSRT_TRACE", v);
	if ((v = getenv("MSRT_SCAVENGE_DELAY"))) {
		if (msrt_parse_seconds(v, &d) < 0)
			bad("MSRT_SCAVENGE_DELAY", v, "expected seconds, e.g. 2 or 500ms");
		else
			msrt_opts.scavenge_delay = d;
	}
	if ((v = getenv("MSRT_SCAVENGE"))) {
		if (strcmp(v, "0") == 0)
			msrt_opts.scavenge = 0;
		else if (strcmp(v, "1") != 0)
			bad("MSRT_SCAVENGE", v, "expected 0 or 1");
	}
	if ((v = getenv("MSRT_SCAVENGE_RETAIN"))) {
		if (msrt_parse_bytes(v, &u) < 0 || u > 10000)
			bad("MSRT_SCAVENGE_RETAIN", v, "expected a percentage, 0 to 10000");
		else
			msrt_opts.scavenge_retain = (int)u;
	}
	if ((v = getenv("MSRT_LEAK_CHECK"))) {
		if (strcmp(v, "1") == 0 || strcmp(v, "quiet") == 0) {
			msrt_opts.leak_check = v[0] == '1' ? 1 : 2;
			msrt_opts.profile_rate = 1; /* every allocation has its stack */
		} else if (strcmp(v, "0") != 0) {
			bad("MSRT_LEAK_CHECK", v, "expected 0, 1 or quiet");
		}
	}
	if ((v = getenv("MSRT_VERBOSE")))
		msrt_opts.verbose = strcmp(v, "0") != 0;
}
