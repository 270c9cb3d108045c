/* log.c — the log object of a gctrace read: lines fed in any pieces are
 * joined, classified (lines.c) and kept as cycles, scavenger and pacer
 * events (cycles also handed to a sink as they come, and not kept when the
 * sink is all the reader wants); a gc line that the program's own output
 * cut in two is stitched back; warnings are counted and the first ones
 * kept. Logs parsed from consecutive chunks of one file are appended in
 * order (the parallel reader, read.c). */
#include "config.h"
#include "gctrace/gctrace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gctrace/log_internal.h"

/* ---- the log ------------------------------------------------------------------- */

static void add_warning(ms_gctrace_log *log, uint64_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_warning(ms_gctrace_log *log, uint64_t line, const char *fmt, ...)
{
	log->warnings_total++;
	if (log->nwarnings >= MS_GCTRACE_MAX_WARNINGS)
		return;
	if (!log->warnings)
		log->warnings = ms_xcalloc(MS_GCTRACE_MAX_WARNINGS, sizeof *log->warnings);
	ms_gctrace_warning *w = &log->warnings[log->nwarnings++];
	w->line = line;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->msg, sizeof w->msg, fmt, ap);
	va_end(ap);
}

void ms_gctrace_log_warn(ms_gctrace_log *log, uint64_t line, const char *msg)
{
	add_warning(log, line, "%s", msg);
}

ms_gctrace_log *ms_gctrace_log_new(const char *name)
{
	ms_gctrace_log *log = ms_xcalloc(1, sizeof *log);
	log->name = ms_xstrdup(name);
	return log;
}

void ms_gctrace_log_sink(ms_gctrace_log *log, ms_gctrace_cycle_fn *fn, void *arg, int drop)
{
	log->on_cycle = fn;
	log->on_cycle_arg = arg;
	log->drop_cycles = fn && drop;
}

void ms_gctrace_log_free(ms_gctrace_log *log)
{
	if (!log)
		return;
	free(log->name);
	free(log->cycles);
	free(log->scav);
	free(log->pacer);
	free(log->warnings);
	free(log->foreign_at);
	free(log->pending);
	free(log->held);
	ms_gctrace_trace_free(log->trace);
	ms_gotrace_gc_free(log->gotrace);
	free(log);
}

int ms_gctrace_log_empty(const ms_gctrace_log *log)
{
	return log->ncycles == 0 && log->nscav == 0 && log->npacer == 0;
}

static void note_foreign(ms_gctrace_log *log)
{
	log->foreign_lines++;
	if (log->keep_foreign && log->nforeign_at < MS_GCTRACE_MAX_WARNINGS) {
		if (!log->foreign_at)
			log->foreign_at = ms_xcalloc(MS_GCTRACE_MAX_WARNINGS, sizeof *log->foreign_at);
		log->foreign_at[log->nforeign_at++] = log->lines;
	}
}

/* A parsed cycle: to the sink, and kept unless the log drops them. */
static void keep_cycle(ms_gctrace_log *log, ms_gc_cycle *c)
{
	if (log->on_cycle)
		log->on_cycle(log->on_cycle_arg, c, 1);
	if (log->drop_cycles)
		log->ncycles++;
	else
		MS_PUSH(log->cycles, log->ncycles, log->cap_cycles, *c);
}

static void add_cycle(ms_gctrace_log *log, ms_gc_cycle *c, uint64_t line)
{
	c->line = line;
	keep_cycle(log, c);
}

/* The held gc line did not get its rest: it is a malformed line after all. */
void ms_gctrace_held_flush(ms_gctrace_log *log)
{
	if (!log->nheld)
		return;
	log->bad_lines++;
	add_warning(log, log->held_line, "malformed runtime line skipped: %s at column %zu", log->held_why,
		log->held_col);
	log->nheld = 0;
}

/* A gc line cut by the program's own output, e.g.
 *     gc 24 @0.446s 0%: 2019/04/06 14:28:27 force gc.
 *     0.012+0.36+0.003 ms clock, ... 4 P
 * (the runtime writes a gc line in pieces; a write of the program's that
 * ends in a line break can land between two of them). The held line is
 * cut after its first k bytes, k = 1, 2, ..., and the next line (p, n)
 * appended; the shortest k that makes a whole gc line wins (a cut inside
 * the gc text leaves a prefix that cannot continue with the rest). The
 * cycle keeps the held line's number; the next line counts as foreign
 * (the program's text). A gc line is at most a few hundred bytes, so the
 * cut is looked for in the first STITCH_MAX bytes and the rest must be
 * shorter than that (each try parses a line: this bounds the work per
 * line). The cut is also no later than STITCH_LOOKAHEAD bytes past where
 * the held line's own parse failed: the parser reads left to right and
 * looks at most a number or a literal (< 32 bytes) past the point it
 * reports, and a cut at k leaves held[0..k) to be parsed exactly as it was
 * alone, so a cut further on would fail at the same place (this keeps a
 * run of malformed lines, e.g. fuzzed ones, from costing 250 parses each).
 * Two more things no continuation can be: a line that starts "gc " (that
 * text appears in a gc line only at its start, and k ≥ 4), and a line
 * without a 'P' (the held line failed alone, so the " P" that ends a gc
 * line, GOMAXPROCS, must come from the continuation).
 * Returns 1 when stitched. */
#define STITCH_MAX 256
#define STITCH_LOOKAHEAD 64
static int stitch_held(ms_gctrace_log *log, const char *p, size_t n)
{
	if (n > STITCH_MAX || (n >= 3 && memcmp(p, "gc ", 3) == 0) || !memchr(p, 'P', n))
		return 0;
	size_t kmax = log->nheld < STITCH_MAX ? log->nheld : STITCH_MAX;
	if (log->held_fail + STITCH_LOOKAHEAD < kmax)
		kmax = log->held_fail + STITCH_LOOKAHEAD;
	char *buf = ms_xmalloc(kmax + n);
	int ok = 0;
	ms_gctrace_record r;
	for (size_t k = 4; k < kmax && !ok; k++) {
		memcpy(buf, log->held, k);
		memcpy(buf + k, p, n);
		ok = ms_gctrace_parse_line(buf, k + n, &r) == MS_LINE_GC && r.offset == 0;
	}
	free(buf);
	if (!ok)
		return 0;
	add_cycle(log, &r.u.cycle, log->held_line);
	note_foreign(log);
	log->nheld = 0;
	return 1;
}

/* One complete line (without '\n'); last = it had no newline. */
static void take_line(ms_gctrace_log *log, const char *p, size_t n, int last)
{
	ms_gctrace_record r;
	log->lines++;
	if (n && p[n - 1] == '\r')
		n--;
	enum ms_gctrace_line_kind kind = ms_gctrace_parse_line(p, n, &r);
	if (log->nheld) {
		if ((kind == MS_LINE_FOREIGN || kind == MS_LINE_BAD) && stitch_held(log, p, n))
			return;
		ms_gctrace_held_flush(log);
	}
	if (kind == MS_LINE_BAD && !last && n - r.offset >= 3 && memcmp(p + r.offset, "gc ", 3) == 0) {
		/* maybe cut by the program's output: wait for the next line */
		log->held = ms_xrealloc(log->held, n - r.offset);
		memcpy(log->held, p + r.offset, n - r.offset);
		log->nheld = n - r.offset;
		log->held_line = log->lines;
		log->held_why = r.why;
		log->held_col = r.why_offset + 1;
		log->held_fail = r.why_offset > r.offset ? r.why_offset - r.offset : 0;
		return;
	}
	switch (kind) {
	case MS_LINE_GC:
		r.u.cycle.line = log->lines;
		keep_cycle(log, &r.u.cycle);
		break;
	case MS_LINE_SCAV:
		r.u.scav.line = log->lines;
		MS_PUSH(log->scav, log->nscav, log->cap_scav, r.u.scav);
		break;
	case MS_LINE_PACER:
		r.u.pacer.line = log->lines;
		r.u.pacer.after_cycles = log->ncycles;
		MS_PUSH(log->pacer, log->npacer, log->cap_pacer, r.u.pacer);
		break;
	case MS_LINE_GC_FORCED:
		log->gc_forced_notices++;
		break;
	case MS_LINE_BAD:
		log->bad_lines++;
		if (last)
			add_warning(log, log->lines, "truncated last line (no newline): %s", r.why);
		else
			add_warning(log, log->lines, "malformed runtime line skipped: %s at column %zu", r.why,
				r.why_offset + 1);
		break;
	case MS_LINE_FOREIGN:
		note_foreign(log);
		break;
	}
}

static void pending_add(ms_gctrace_log *log, const char *p, size_t n)
{
	if (log->overlong)
		return;
	if (log->npending + n > MS_GCTRACE_MAX_LINE) {
		log->overlong = 1;
		log->npending = 0;
		return;
	}
	if (log->npending + n > log->cap_pending) {
		size_t cap = log->cap_pending ? log->cap_pending : 4096;
		while (cap < log->npending + n)
			cap *= 2;
		log->pending = ms_xrealloc(log->pending, cap);
		log->cap_pending = cap;
	}
	memcpy(log->pending + log->npending, p, n);
	log->npending += n;
}

/* Ends the line held in pending (overlong lines are skipped as foreign). */
static void pending_flush(ms_gctrace_log *log, int last)
{
	if (log->overlong) {
		log->lines++;
		note_foreign(log);
		add_warning(log, log->lines, "line longer than %u bytes skipped", MS_GCTRACE_MAX_LINE);
		log->overlong = 0;
	} else {
		take_line(log, log->pending, log->npending, last);
	}
	log->npending = 0;
}

void ms_gctrace_log_feed(ms_gctrace_log *log, const char *data, size_t n)
{
	const char *p = data, *end = data + n;
	log->bytes += n;
	if (log->npending || log->overlong) {
		const char *nl = memchr(p, '\n', n);
		if (!nl) {
			pending_add(log, p, n);
			return;
		}
		pending_add(log, p, (size_t)(nl - p));
		pending_flush(log, 0);
		p = nl + 1;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			pending_add(log, p, (size_t)(end - p));
			return;
		}
		if ((size_t)(nl - p) > MS_GCTRACE_MAX_LINE) {
			log->overlong = 1;
			pending_flush(log, 0);
		} else {
			take_line(log, p, (size_t)(nl - p), 0);
		}
		p = nl + 1;
	}
}

void ms_gctrace_log_finish(ms_gctrace_log *log)
{
	if (log->npending || log->overlong)
		pending_flush(log, 1);
	ms_gctrace_held_flush(log);
	free(log->pending);
	log->pending = NULL;
	log->cap_pending = 0;
}

/* Maps in the pages of [p, p + n) that are about to be written, in one
 * call instead of a page fault per page (Linux ≥ 5.14; elsewhere, or if it
 * fails, the writes fault them in as usual). */
static void prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t a = ((uintptr_t)p + page - 1) & ~(uintptr_t)(page - 1);
	uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)(page - 1);
	if (e > a)
		(void)madvise((void *)a, e - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)n;
#endif
}

/* Appends the arrays of b (parsed from the bytes after a's) to a, moving
 * b's line numbers and cycle counts past a's. a's arrays grow by doubling
 * (a large log is appended to many times). An analysing a takes b's cycles
 * into its analysis instead. */
void ms_gctrace_log_append(ms_gctrace_log *a, ms_gctrace_log *b)
{
	uint64_t lines = a->lines;
	size_t ncycles = a->ncycles;
	for (size_t i = 0; i < b->ncycles; i++)
		b->cycles[i].line += lines;
	for (size_t i = 0; i < b->nscav; i++)
		b->scav[i].line += lines;
	for (size_t i = 0; i < b->npacer; i++) {
		b->pacer[i].line += lines;
		b->pacer[i].after_cycles += ncycles;
	}
#define APPEND(arr, n, cap)                                                                        \
	do {                                                                                       \
		if (b->n) {                                                                        \
			if (a->n + b->n > a->cap) {                                                \
				a->cap = a->cap * 2 > a->n + b->n ? a->cap * 2 : a->n + b->n;      \
				a->arr = ms_xreallocarray(a->arr, a->cap, sizeof *a->arr);         \
			}                                                                          \
			prefault(a->arr + a->n, b->n * sizeof *a->arr);                            \
			memcpy(a->arr + a->n, b->arr, b->n * sizeof *a->arr);                      \
			a->n += b->n;                                                              \
		}                                                                                  \
	} while (0)
	if (a->on_cycle)
		a->on_cycle(a->on_cycle_arg, b->cycles, b->ncycles);
	if (a->drop_cycles)
		a->ncycles += b->ncycles;
	else
		APPEND(cycles, ncycles, cap_cycles);
	APPEND(scav, nscav, cap_scav);
	APPEND(pacer, npacer, cap_pacer);
#undef APPEND
	for (size_t i = 0; i < b->nwarnings && a->nwarnings < MS_GCTRACE_MAX_WARNINGS; i++) {
		if (!a->warnings)
			a->warnings = ms_xcalloc(MS_GCTRACE_MAX_WARNINGS, sizeof *a->warnings);
		a->warnings[a->nwarnings] = b->warnings[i];
		if (a->warnings[a->nwarnings].line)
			a->warnings[a->nwarnings].line += lines;
		a->nwarnings++;
	}
	for (size_t i = 0; i < b->nforeign_at && a->nforeign_at < MS_GCTRACE_MAX_WARNINGS; i++) {
		if (!a->foreign_at)
			a->foreign_at = ms_xcalloc(MS_GCTRACE_MAX_WARNINGS, sizeof *a->foreign_at);
		a->foreign_at[a->nforeign_at++] = b->foreign_at[i] + lines;
	}
	a->warnings_total += b->warnings_total;
	a->lines += b->lines;
	a->foreign_lines += b->foreign_lines;
	a->bad_lines += b->bad_lines;
	a->gc_forced_notices += b->gc_forced_notices;
	a->bytes += b->bytes;
}

/* Empties a log for reuse, keeping its arrays (and their touched pages). */
void ms_gctrace_log_reset(ms_gctrace_log *log)
{
	log->ncycles = log->nscav = log->npacer = 0;
	log->nheld = 0;
	log->lines = log->foreign_lines = log->bad_lines = log->gc_forced_notices = log->bytes = 0;
	log->nwarnings = 0;
	log->warnings_total = 0;
	log->nforeign_at = 0;
	log->npending = 0;
	log->overlong = 0;
}
