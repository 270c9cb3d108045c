/* msrt_outnames.h — the names of the files the runtime writes into its
 * profile directory (MSRT_PROFILE_DIR; `memscope run -o DIR`), in one
 * place: the runtime (src/rt/) writes them with msrt_out_name, the tools
 * (src/profile/runout.c) find them with msrt_out_parse. Header-only and
 * dependency-free (libc's snprintf/strlen) so both sides include it.
 *
 * The scheme, one file per kind and process image:
 *   heap.PROG.PID.SEQ.pb.gz      heap profile snapshot SEQ (1, 2, ...)
 *   heapdump.PROG.PID.SEQ.json   heap dump taken with snapshot SEQ
 *   leaks.PROG.PID.pb.gz         the leak check at exit (pprof)
 *   leaks.PROG.PID.txt           its text report (written by `memscope run`)
 *   trace.PROG.PID.out           event trace (MSRT_TRACE=DIR/trace.%e.%p.out)
 * PROG is the program's short name (the last component of argv[0], as
 * glibc's program_invocation_short_name), every byte outside
 * [A-Za-z0-9._+-] replaced by '_', cut to MSRT_OUT_PROG_MAX bytes, "prog"
 * when empty. PID is decimal. PROG may itself hold dots and digits
 * ("python3.11"), so names are parsed from the right: EXT, then SEQ (for
 * the kinds that have one), then PID; the rest after "KIND." is PROG.
 * A process that execs keeps its pid and gets a new PROG and SEQ count;
 * a forked child gets a new PID.
 */
#ifndef MSRT_OUTNAMES_H
#define MSRT_OUTNAMES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSRT_OUT_PROG_MAX 32

typedef enum msrt_out_kind {
	MSRT_OUT_HEAP = 0,  /* heap.PROG.PID.SEQ.pb.gz */
	MSRT_OUT_HEAPDUMP,  /* heapdump.PROG.PID.SEQ.json */
	MSRT_OUT_LEAKS,     /* leaks.PROG.PID.pb.gz */
	MSRT_OUT_LEAKS_TXT, /* leaks.PROG.PID.txt */
	MSRT_OUT_TRACE,     /* trace.PROG.PID.out */
	MSRT_OUT_NKINDS
} msrt_out_kind;

static const struct msrt_out_form {
	const char *prefix, *ext;
	int has_seq;
} msrt_out_forms[MSRT_OUT_NKINDS] = {
	[MSRT_OUT_HEAP] = { "heap", ".pb.gz", 1 },
	[MSRT_OUT_HEAPDUMP] = { "heapdump", ".json", 1 },
	[MSRT_OUT_LEAKS] = { "leaks", ".pb.gz", 0 },
	[MSRT_OUT_LEAKS_TXT] = { "leaks", ".txt", 0 },
	[MSRT_OUT_TRACE] = { "trace", ".out", 0 },
};

/* PROG from argv[0]'s short name: out gets at most MSRT_OUT_PROG_MAX + 1
 * bytes. */
static inline void msrt_out_prog(char *out, const char *name)
{
	size_t o = 0;
	for (const char *s = name ? name : ""; *s && o < MSRT_OUT_PROG_MAX; s++) {
		char ch = *s;
		int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
			 ch == '_' || ch == '+' || ch == '-';
		out[o++] = ok ? ch : '_';
	}
	if (o == 0)
		memcpy(out, "prog", (o = 4));
	out[o] = 0;
}

/* DIR/KIND.PROG.PID[.SEQ].EXT into buf (prog already sanitized); returns
 * snprintf's count (>= n: cut short). */
static inline int msrt_out_name(char *buf, size_t n, const char *dir, msrt_out_kind kind, const char *prog, int pid,
	unsigned seq)
{
	const struct msrt_out_form *f = &msrt_out_forms[kind];
	if (f->has_seq)
		return snprintf(buf, n, "%s/%s.%s.%d.%u%s", dir, f->prefix, prog, pid, seq, f->ext);
	return snprintf(buf, n, "%s/%s.%s.%d%s", dir, f->prefix, prog, pid, f->ext);
}

/* The last '.'-separated run of digits ending at end (exclusive): its value
 * and start, or -1 when there is none. */
static inline int msrt_out_number(const char *start, const char *end, unsigned long *v, const char **at)
{
	const char *p = end;
	while (p > start && p[-1] >= '0' && p[-1] <= '9')
		p--;
	if (p == end || end - p > 10 || p == start || p[-1] != '.')
		return -1;
	*v = strtoul(p, NULL, 10);
	*at = p - 1;
	return 0;
}

/* Parses a file name (no directory) of the scheme above: returns 0 and
 * fills kind, prog (MSRT_OUT_PROG_MAX + 1 bytes), pid and seq (0 for the
 * kinds without one), or -1 for any other name. */
static inline int msrt_out_parse(const char *name, msrt_out_kind *kind, char *prog, int *pid, unsigned *seq)
{
	size_t len = strlen(name);
	for (int k = 0; k < MSRT_OUT_NKINDS; k++) {
		const struct msrt_out_form *f = &msrt_out_forms[k];
		size_t pl = strlen(f->prefix), el = strlen(f->ext);
		if (len < pl + el + 4 || strncmp(name, f->prefix, pl) != 0 || name[pl] != '.' ||
			strcmp(name + len - el, f->ext) != 0)
			continue;
		const char *start = name + pl + 1, *end = name + len - el;
		unsigned long s = 0, p;
		if (f->has_seq && msrt_out_number(start, end, &s, &end) < 0)
			continue;
		if (msrt_out_number(start, end, &p, &end) < 0 || end == start || p == 0 || p > 0x7fffffff ||
			(size_t)(end - start) > MSRT_OUT_PROG_MAX)
			continue;
		memcpy(prog, start, (size_t)(end - start));
		prog[end - start] = 0;
		*kind = (msrt_out_kind)k;
		*pid = (int)p;
		*seq = (unsigned)s;
		return 0;
	}
	return -1;
}

#endif
