/* lines.c — the gctrace line parsers: gc lines (the general reader of
 * every format and, beside it, the fast path for the two common shapes),
 * scavenger and pacer lines, and ms_gctrace_parse_line, which classifies
 * one line. A log is mostly `gc N @...` lines, so the `gc ` marker is found
 * with memchr for 'g' and numbers are scanned by hand (scan.h); a value
 * that does not fit its field rejects the line with a warning instead of
 * wrapping. */
#include "config.h"
#include "gctrace/gctrace.h"

#include <stdlib.h>
#include <string.h>

#include "gctrace/scan.h"

/* ---- gc lines --------------------------------------------------------------- */

/* parse_gc reads any gc line section by section with the general readers
 * above (and words the errors); parse_gc_fast (below it) reads the two
 * common shapes in far fewer instructions and leaves the rest to it. */

/* "gc N @Ts P%: " and the clock phases, up to the first one not followed
 * by '+'. */
HOT int gc_head_clock(scan *s, ms_gc_cycle *c, uint32_t clock[5], int *nclock)
{
	uint64_t v;
	if (!LIT(s, "gc ", "expected 'gc '") || !uint_max(s, UINT64_MAX, &c->n))
		return 0;
	if (!LIT(s, " @", "expected ' @' after the cycle number"))
		return 0;
	if (!fixed(s, 6, INT64_MAX, &v))
		return 0;
	c->at_us = (int64_t)v;
	if (!LIT(s, "s ", "expected 's ' after the start time") || !uint_max(s, 255, &v))
		return 0;
	c->cpu_pct = (uint8_t)v;
	if (!LIT(s, "%: ", "expected '%: ' after the CPU share"))
		return 0;
	/* clock: a+b+c (Go ≥1.6) or a+b+c+d+e (Go 1.5) */
	for (*nclock = 0;;) {
		if (*nclock == 5)
			return fail(s, "too many clock phases");
		if (!ms_as_us(s, &clock[(*nclock)++]))
			return 0;
		if (s->p < s->end && *s->p == '+') {
			s->p++;
			continue;
		}
		return 1;
	}
}

/* The cpu fields and their separators: a+as/bg/id+c (Go ≥1.6) or
 * a+b+c+as/bg/id+g (Go 1.5). */
HOT int gc_cpu(scan *s, uint32_t cpu[7], char sep[7], int *ncpu)
{
	for (*ncpu = 0;;) {
		if (*ncpu == 7)
			return fail(s, "too many cpu fields");
		if (!ms_as_us(s, &cpu[*ncpu]))
			return 0;
		if (s->p < s->end && (*s->p == '+' || *s->p == '/')) {
			sep[(*ncpu)++] = *s->p++;
			continue;
		}
		sep[(*ncpu)++] = 0;
		return 1;
	}
}

/* Files the clock and cpu phases by format. */
static int gc_phases(scan *s, ms_gc_cycle *c, const uint32_t clock[5], int nclock, const uint32_t cpu[7],
	const char sep[7], int ncpu)
{
	if (nclock == 3 && ncpu == 5 && sep[0] == '+' && sep[1] == '/' && sep[2] == '/' && sep[3] == '+') {
		c->sweep_term_us = clock[0];
		c->mark_us = clock[1];
		c->mark_term_us = clock[2];
		c->cpu_us[MS_CPU_SWEEP_TERM] = cpu[0];
		c->cpu_us[MS_CPU_ASSIST] = cpu[1];
		c->cpu_us[MS_CPU_BG] = cpu[2];
		c->cpu_us[MS_CPU_IDLE] = cpu[3];
		c->cpu_us[MS_CPU_MARK_TERM] = cpu[4];
		c->format = MS_GC_GO16;
	} else if (nclock == 5 && ncpu == 7 && sep[0] == '+' && sep[1] == '+' && sep[2] == '+' && sep[3] == '/' &&
		   sep[4] == '/' && sep[5] == '+') {
		/* Go 1.5 phases: sweep termination (STW), scan, install write
		 * barrier (STW), mark, mark termination (STW). */
		c->sweep_term_us = clock[0];
		c->mark_us = (uint32_t)((uint64_t)clock[1] + clock[3] > UINT32_MAX ? UINT32_MAX : clock[1] + clock[3]);
		c->install_wb_us = clock[2];
		c->mark_term_us = clock[4];
		c->cpu_us[MS_CPU_SWEEP_TERM] = cpu[0];
		c->cpu_us[MS_CPU_SCAN] = cpu[1];
		c->cpu_us[MS_CPU_INSTALL_WB] = cpu[2];
		c->cpu_us[MS_CPU_ASSIST] = cpu[3];
		c->cpu_us[MS_CPU_BG] = cpu[4];
		c->cpu_us[MS_CPU_IDLE] = cpu[5];
		c->cpu_us[MS_CPU_MARK_TERM] = cpu[6];
		c->format = MS_GC_GO15;
	} else {
		return fail(s, "unexpected number of clock or cpu phases");
	}
	return 1;
}

/* Heap sizes, goal, stacks and globals, GOMAXPROCS and " (forced)".
 * *have_stacks: the Go 1.18+ fields were there (the caller checks the
 * format against the phases). */
HOT int gc_heap(scan *s, ms_gc_cycle *c, int *have_stacks)
{
	if (!u32(s, &c->heap_start_mb) || !LIT(s, "->", "expected '->' in the heap sizes") ||
	    !u32(s, &c->heap_end_mb) || !LIT(s, "->", "expected '->' in the heap sizes") ||
	    !u32(s, &c->heap_live_mb) || !LIT(s, " MB, ", "expected ' MB, ' after the heap sizes"))
		return 0;
	/* "G MB goal, " [ "S MB stacks, " "L MB globals, " ] "N P" */
	int have_globals = 0;
	*have_stacks = 0;
	for (;;) {
		uint32_t x;
		if (!u32(s, &x))
			return 0;
		if (PEEK(s, " P")) {
			s->p += 2;
			c->procs = x;
			break;
		}
		if (!c->has_goal && !*have_stacks && PEEK(s, " MB goal, ")) {
			s->p += sizeof " MB goal, " - 1;
			c->goal_mb = x;
			c->has_goal = 1;
		} else if (!*have_stacks && PEEK(s, " MB stacks, ")) {
			s->p += sizeof " MB stacks, " - 1;
			c->stacks_mb = x;
			*have_stacks = 1;
		} else if (*have_stacks && !have_globals && PEEK(s, " MB globals, ")) {
			s->p += sizeof " MB globals, " - 1;
			c->globals_mb = x;
			have_globals = 1;
		} else {
			return fail(s, "expected 'MB goal', 'MB stacks', 'MB globals' or 'P'");
		}
	}
	if (*have_stacks != have_globals)
		return fail(s, "'MB stacks' without 'MB globals'");
	if (PEEK(s, " (forced)"))
		c->forced = 1;
	return 1;
}

/* Stacks and globals make a Go 1.18+ line (never with Go 1.5's phases). */
static int gc_format(scan *s, ms_gc_cycle *c, int have_stacks)
{
	if (have_stacks) {
		if (c->format == MS_GC_GO15)
			return fail(s, "five clock phases with stacks and globals");
		c->format = MS_GC_GO118;
	}
	return 1;
}

/* Parses a gc line starting at s->p ("gc N @..."), one section after the
 * other. */
static int parse_gc(scan *s, ms_gc_cycle *c)
{
	uint32_t clock[5], cpu[7];
	char sep[7];
	int nclock, ncpu, have_stacks;

	memset(c, 0, sizeof *c);
	if (!gc_head_clock(s, c, clock, &nclock) || !LIT(s, " ms clock, ", "expected ' ms clock, '") ||
	    !gc_cpu(s, cpu, sep, &ncpu) || !LIT(s, " ms cpu, ", "expected ' ms cpu, '") ||
	    !gc_phases(s, c, clock, nclock, cpu, sep, ncpu) || !gc_heap(s, c, &have_stacks))
		return 0;
	return gc_format(s, c, have_stacks);
}

/* ---- gc lines: the fast path ----------------------------------------------------
 *
 * Nearly every line of a large log has one of two shapes: Go 1.6–1.17
 * "gc N @T s P%: a+b+c ms clock, a+b/c/d+e ms cpu, A->B->C MB, G MB goal,
 * N P" and Go 1.18+ "... G MB goal, S MB stacks, L MB globals, N P". For
 * them the general readers spend ~1600 instructions a line, mostly in the
 * two SWAR conversions of each "I.F" time (its integer part and its
 * fraction) and the loops that allow other shapes. parse_gc_fast reads
 * exactly these shapes, and a time whose "I.F" and the byte after it fit
 * in eight bytes (any time under 1000 s with three decimals) in one
 * conversion (a longer fraction, such as that of the start time of a
 * long-running process, is converted apart; longer integers take fixed()):
 *   x = the eight bytes XOR '0' (exact per byte: digits become 0..9);
 *   d1 = the first non-digit; if it is '.', d2 = the next one, the
 *   fraction has f = d2 − d1 − 1 digits, of which g = min(f, k) count;
 *   the bytes after the '.' move down one byte over it, so the low
 *   d1 + g bytes are the digits of I followed by g digits of F, and
 *   value = swar_value(those) × 10^(k − g)  (= I·10^k + F_g·10^(k−g),
 *   exactly fixed()'s value; digits past k are dropped as there).
 * Finding d2 needs the classification of the bytes after the '.' to be
 * exact: the non-digit test adds 0x76 to every byte, which carries into
 * the next byte only from bytes ≥ 0x8A, and neither digits nor '.' are.
 * Numbers with more digits, values out of range, any other shape or byte
 * make it return 0, and parse_gc reads the line: the fast path accepts a
 * subset of what parse_gc accepts and fills the same record. */

/* Eight bytes XOR '0': digits become 0..9, every other byte > 9. */
HOT uint64_t load8x(const char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v ^ 0x3030303030303030ULL;
}

/* fixed() at *pp: the general reader, for what the one-conversion path
 * below leaves out (kept out of line: it is the rare case). */
static __attribute__((noinline)) int fixed_at(const char **pp, const char *end, int k, uint64_t max, uint64_t *out)
{
	scan s = { *pp, end, NULL, NULL };
	if (!fixed(&s, k, max, out))
		return 0;
	*pp = s.p;
	return 1;
}

/* "I" or "I.F" at *pp with k decimals (≤ max); advances *pp past it. One
 * conversion when the token and the byte after it fit in eight bytes. */
HOT int fast_fixed(const char **pp, const char *end, int k, uint64_t max, uint64_t *out)
{
	const char *p = *pp;
	if (end - p < 8)
		return fixed_at(pp, end, k, max, out);
	uint64_t x = load8x(p), nd = nondigits(x);
	unsigned d1 = (unsigned)__builtin_ctzll(nd | (1ULL << 63)) >> 3; /* 7 when all digits */
	uint64_t v;
	if (d1 == 0)
		return 0;
	if (((x >> (8 * d1)) & 0xFF) == ('.' ^ '0')) {
		uint64_t rest = nd & (nd - 1);
		if (!rest) {
			/* the fraction runs past the eight bytes: convert it apart */
			const char *q = p + d1 + 1;
			uint64_t xf, ndf;
			if (end - q < 8 || !(ndf = nondigits(xf = load8x(q))))
				return fixed_at(pp, end, k, max, out);
			unsigned f = (unsigned)__builtin_ctzll(ndf) >> 3;
			if (f == 0)
				return 0;
			unsigned g = f < (unsigned)k ? f : (unsigned)k;
			v = swar_value(x, d1) * pow10_tab[k] + swar_value(xf, g) * pow10_tab[k - g];
			*pp = q + f;
		} else {
			unsigned d2 = (unsigned)__builtin_ctzll(rest) >> 3, f = d2 - d1 - 1;
			if (f == 0)
				return 0;
			unsigned g = f < (unsigned)k ? f : (unsigned)k;
			uint64_t low = (1ULL << (8 * d1)) - 1;
			v = swar_value((x & low) | ((x >> 8) & ~low), d1 + g) * pow10_tab[k - g];
			*pp = p + d2;
		}
	} else if (d1 < 7) {
		v = swar_value(x, d1) * pow10_tab[k];
		*pp = p + d1;
	} else {
		return fixed_at(pp, end, k, max, out);
	}
	if (v > max)
		return 0;
	*out = v;
	return 1;
}

/* A time in ms as µs in a uint32, followed by the byte sep. */
HOT int fast_ms(const char **pp, const char *end, char sep, uint32_t *out)
{
	uint64_t v;
	if (!fast_fixed(pp, end, 3, UINT32_MAX, &v) || *pp == end || **pp != sep)
		return 0;
	++*pp;
	*out = (uint32_t)v;
	return 1;
}

/* An unsigned integer ≤ max (uint_max: SWAR, or digit by digit near the
 * end of the line). */
HOT int fast_uint(const char **pp, const char *end, uint64_t max, uint64_t *out)
{
	scan s = { *pp, end, NULL, NULL };
	if (!uint_max(&s, max, out))
		return 0;
	*pp = s.p;
	return 1;
}

HOT int fast_u32(const char **pp, const char *end, uint32_t *out)
{
	uint64_t v;
	if (!fast_uint(pp, end, UINT32_MAX, &v))
		return 0;
	*out = (uint32_t)v;
	return 1;
}

/* Skips the literal lit (length n) at *pp. */
HOT int fast_lit(const char **pp, const char *end, const char *lit, size_t n)
{
	if ((size_t)(end - *pp) < n || !same(*pp, lit, n))
		return 0;
	*pp += n;
	return 1;
}
#define FLIT(pp, end, str) fast_lit((pp), (end), (str), sizeof(str) - 1)

/* Parses the gc line at p (which starts "gc ") into c; 0 when it is not
 * one of the two shapes (c is then garbage). When it parses, the line also
 * passes looks_like_gc ("gc ", digits, " @", a digit). */
static int parse_gc_fast(const char *p, const char *end, ms_gc_cycle *c)
{
	uint64_t v;
	uint32_t *cpu = c->cpu_us;
	memset(c, 0, sizeof *c);
	p += 3;
	if (!fast_uint(&p, end, UINT64_MAX, &c->n) || !FLIT(&p, end, " @") || !fast_fixed(&p, end, 6, INT64_MAX, &v))
		return 0;
	c->at_us = (int64_t)v;
	if (!FLIT(&p, end, "s ") || !fast_uint(&p, end, 255, &v) || !FLIT(&p, end, "%: "))
		return 0;
	c->cpu_pct = (uint8_t)v;
	if (!fast_ms(&p, end, '+', &c->sweep_term_us) || !fast_ms(&p, end, '+', &c->mark_us) ||
	    !fast_ms(&p, end, ' ', &c->mark_term_us) || !FLIT(&p, end, "ms clock, ") ||
	    !fast_ms(&p, end, '+', &cpu[MS_CPU_SWEEP_TERM]) || !fast_ms(&p, end, '/', &cpu[MS_CPU_ASSIST]) ||
	    !fast_ms(&p, end, '/', &cpu[MS_CPU_BG]) || !fast_ms(&p, end, '+', &cpu[MS_CPU_IDLE]) ||
	    !fast_ms(&p, end, ' ', &cpu[MS_CPU_MARK_TERM]) || !FLIT(&p, end, "ms cpu, "))
		return 0;
	if (!fast_u32(&p, end, &c->heap_start_mb) || !FLIT(&p, end, "->") || !fast_u32(&p, end, &c->heap_end_mb) ||
	    !FLIT(&p, end, "->") || !fast_u32(&p, end, &c->heap_live_mb) || !FLIT(&p, end, " MB, ") ||
	    !fast_u32(&p, end, &c->goal_mb) || !FLIT(&p, end, " MB goal, ") || !fast_u32(&p, end, &c->procs))
		return 0;
	c->has_goal = 1;
	c->format = MS_GC_GO16;
	if (FLIT(&p, end, " MB stacks, ")) {
		c->stacks_mb = c->procs;
		if (!fast_u32(&p, end, &c->globals_mb) || !FLIT(&p, end, " MB globals, ") || !fast_u32(&p, end, &c->procs))
			return 0;
		c->format = MS_GC_GO118;
	}
	if (!FLIT(&p, end, " P"))
		return 0;
	c->forced = FLIT(&p, end, " (forced)");
	return 1;
}

/* True when p starts "gc <digits> @<digit>": the line claims to be a gc line
 * (so a parse failure after this is a malformed line, not program output). */
static int looks_like_gc(const char *p, const char *end)
{
	if (end - p < 7 || p[0] != 'g' || p[1] != 'c' || p[2] != ' ' || !is_digit(p[3]))
		return 0;
	p += 3;
	while (p < end && is_digit(*p))
		p++;
	return end - p >= 3 && p[0] == ' ' && p[1] == '@' && is_digit(p[2]);
}

/* ---- scavenger lines ----------------------------------------------------- */

static int parse_scvg(scan *s, ms_scav_event *e)
{
	/* at "scvg": K is digits, "-1" or absent */
	s->p += 4;
	if (s->p < s->end && *s->p == '-')
		s->p++;
	while (s->p < s->end && is_digit(*s->p))
		s->p++;
	if (!LIT(s, ": ", "expected ': ' after 'scvg'"))
		return 0;
	uint64_t a, b, c, d, f;
	if (PEEK(s, "inuse: ")) {
		s->p += sizeof "inuse: " - 1;
		if (!uint_max(s, UINT64_MAX >> 20, &a) || !LIT(s, ", idle: ", "expected ', idle: '") ||
		    !uint_max(s, UINT64_MAX >> 20, &b) || !LIT(s, ", sys: ", "expected ', sys: '") ||
		    !uint_max(s, UINT64_MAX >> 20, &c) || !LIT(s, ", released: ", "expected ', released: '") ||
		    !uint_max(s, UINT64_MAX >> 20, &d) || !LIT(s, ", consumed: ", "expected ', consumed: '") ||
		    !uint_max(s, UINT64_MAX >> 20, &f) || !LIT(s, " (MB)", "expected ' (MB)'"))
			return 0;
		e->kind = MS_SCAV_STATS;
		e->inuse_mb = a;
		e->idle_mb = b;
		e->sys_mb = c;
		e->retained_kib = d << 10;
		e->consumed_mb = f;
		return 1;
	}
	if (!uint_max(s, UINT64_MAX >> 10, &a) || !LIT(s, " MB released", "expected 'inuse:' or 'MB released'"))
		return 0;
	e->kind = MS_SCAV_RELEASED;
	e->released_kib = a << 10;
	return 1;
}

static int parse_scav(scan *s, ms_scav_event *e)
{
	uint64_t a, b, c, d;
	s->p += 5; /* "scav " */
	if (!uint_max(s, UINT64_MAX, &a))
		return 0;
	if (PEEK(s, " KiB work (bg), ")) {
		s->p += sizeof " KiB work (bg), " - 1;
		if (!uint_max(s, UINT64_MAX / 2, &b) || !LIT(s, " KiB work (eager), ", "expected 'KiB work (eager)'") ||
		    !uint_max(s, UINT64_MAX, &c) || !LIT(s, " KiB now, ", "expected 'KiB now'") ||
		    !uint_max(s, INT32_MAX, &d) || !LIT(s, "% util", "expected '% util'"))
			return 0;
		if (a > UINT64_MAX / 2)
			return fail(s, "number out of range");
		e->kind = MS_SCAV_BG_EAGER;
		e->released_kib = a + b;
		e->eager_kib = b;
		e->retained_kib = c;
		e->util_pct = (int32_t)d;
	} else {
		/* a is the scavenger generation */
		if (!LIT(s, " ", "expected 'KiB work'") || !uint_max(s, UINT64_MAX, &b) ||
		    !LIT(s, " KiB work, ", "expected 'KiB work'") || !uint_max(s, UINT64_MAX, &c) ||
		    !LIT(s, " KiB total, ", "expected 'KiB total'") || !uint_max(s, INT32_MAX, &d) ||
		    !LIT(s, "% util", "expected '% util'"))
			return 0;
		e->kind = MS_SCAV_WORK;
		e->released_kib = b;
		e->retained_kib = c;
		e->util_pct = (int32_t)d;
	}
	if (PEEK(s, " (forced)"))
		e->forced = 1;
	return 1;
}

/* ---- pacer lines (rare: strtod is fine here) ------------------------------- */

/* Reads a float written by Go's print ("+9.500000e-001", "12345", "NaN") at
 * s->p; non-finite values read as 0. */
static int go_float(scan *s, double *out)
{
	char tmp[48];
	size_t n = 0;
	while (s->p + n < s->end && n < sizeof tmp - 1 &&
	       (is_digit(s->p[n]) || strchr("+-.eEaINnfF", s->p[n]) != NULL))
		n++;
	if (n == 0)
		return fail(s, "expected a number");
	memcpy(tmp, s->p, n);
	tmp[n] = 0;
	char *end;
	double v = strtod(tmp, &end);
	if (end == tmp)
		return fail(s, "expected a number");
	s->p += end - tmp;
	*out = (v == v && v - v == 0) ? v : 0; /* finite only */
	return 1;
}

/* Finds key (e.g. " H_T=") in [p, end) and reads the float after it. */
static int key_float(const char *p, const char *end, const char *key, double *out)
{
	size_t k = strlen(key);
	const char *hit = memmem(p, (size_t)(end - p), key, k);
	if (!hit)
		return 0;
	scan s = { hit + k, end, NULL, NULL };
	return go_float(&s, out);
}

static void parse_pacer(scan *s, ms_pacer_event *e)
{
	s->p += sizeof "pacer: " - 1;
	e->kind = MS_PACER_OTHER;
	e->util_pct = -1;
	if (PEEK(s, "H_m_prev=")) {
		/* Go ≤1.17: "H_m_prev=… h_t=… H_T=… h_a=… H_a=… h_g=… H_g=… u_a=… u_g=…" */
		double u;
		e->kind = MS_PACER_CYCLE;
		key_float(s->p, s->end, " H_T=", &e->trigger_bytes);
		key_float(s->p, s->end, " H_a=", &e->live_bytes);
		key_float(s->p, s->end, " H_g=", &e->goal_bytes);
		if (key_float(s->p, s->end, " u_a=", &u))
			e->util_pct = u * 100;
		return;
	}
	if (PEEK(s, "assist ratio=")) {
		e->kind = MS_PACER_ASSIST;
		return;
	}
	if (PEEK(s, "sweep done")) {
		e->kind = MS_PACER_SWEEP;
		return;
	}
	/* Go 1.18+: "U% CPU (E exp.) for H+S+G B work (W B exp.) in T B -> L B
	 * (∆goal D, cons/mark X)[controller reset]" */
	scan t = *s;
	uint64_t util, trig, live;
	if (!uint_max(&t, 1000000, &util) || !LIT(&t, "% CPU (", ""))
		return;
	e->kind = MS_PACER_CYCLE;
	e->util_pct = (double)util;
	const char *in = memmem(t.p, (size_t)(t.end - t.p), " B exp.) in ", 12);
	if (in) {
		t.p = in + 12;
		if (uint_max(&t, UINT64_MAX, &trig) && LIT(&t, " B -> ", "") && uint_max(&t, UINT64_MAX, &live)) {
			e->trigger_bytes = (double)trig;
			e->live_bytes = (double)live;
			const char *g = memmem(t.p, (size_t)(t.end - t.p), "goal ", 5);
			if (g) {
				scan gs = { g + 5, t.end, NULL, NULL };
				double delta;
				if (go_float(&gs, &delta))
					e->goal_bytes = e->live_bytes - delta;
			}
		}
	}
	key_float(s->p, s->end, "cons/mark ", &e->cons_mark);
	if (memmem(s->p, (size_t)(s->end - s->p), "[controller reset]", 18))
		e->reset = 1;
}

/* The two gc-line readers on their own, for tests (gctrace.h). */
int ms_gctrace_parse_gc_general(const char *line, size_t len, ms_gc_cycle *c)
{
	scan s = { line, line + len, NULL, NULL };
	return parse_gc(&s, c);
}

int ms_gctrace_parse_gc_fast(const char *line, size_t len, ms_gc_cycle *c)
{
	memset(c, 0, sizeof *c);
	return len >= 7 && same(line, "gc ", 3) && parse_gc_fast(line, line + len, c);
}

/* ---- one line --------------------------------------------------------------- */

enum ms_gctrace_line_kind ms_gctrace_parse_line(const char *line, size_t len, ms_gctrace_record *out)
{
	const char *end = line + len;
	const char *why = NULL;
	const char *hit;
	out->why = NULL;
	out->offset = out->why_offset = 0;

	/* gc lines: try every "gc N @" in the line; the first that parses wins
	 * (most lines start with it: no search then). */
	for (const char *p = line; p < end && (*p == 'g' || (p = memchr(p, 'g', (size_t)(end - p))) != NULL); p++) {
		/* the fast path checks what looks_like_gc does on its way */
		if (end - p >= 7 && same(p, "gc ", 3) && parse_gc_fast(p, end, &out->u.cycle)) {
			out->offset = (size_t)(p - line);
			return MS_LINE_GC;
		}
		if (!looks_like_gc(p, end))
			continue;
		scan s = { p, end, NULL, NULL };
		if (parse_gc(&s, &out->u.cycle)) {
			out->offset = (size_t)(p - line);
			return MS_LINE_GC;
		}
		if (!why) {
			why = s.why;
			out->offset = (size_t)(p - line);
			out->why_offset = (size_t)((s.at ? s.at : p) - line);
		}
	}
	if (why) {
		out->why = why;
		return MS_LINE_BAD;
	}

	if ((hit = memmem(line, len, "scvg", 4)) != NULL) {
		scan s = { hit, end, NULL, NULL };
		memset(&out->u.scav, 0, sizeof out->u.scav);
		out->u.scav.util_pct = -1;
		out->offset = (size_t)(hit - line);
		if (hit - line >= 7 && memcmp(hit - 7, "forced ", 7) == 0) {
			out->u.scav.forced = 1;
			out->offset -= 7;
		}
		if (parse_scvg(&s, &out->u.scav))
			return MS_LINE_SCAV;
		out->why = s.why;
		out->why_offset = (size_t)((s.at ? s.at : hit) - line);
		return MS_LINE_BAD;
	}
	if ((hit = memmem(line, len, "scav ", 5)) != NULL && hit + 5 < end && is_digit(hit[5])) {
		scan s = { hit, end, NULL, NULL };
		memset(&out->u.scav, 0, sizeof out->u.scav);
		out->u.scav.util_pct = -1;
		out->offset = (size_t)(hit - line);
		if (parse_scav(&s, &out->u.scav))
			return MS_LINE_SCAV;
		out->why = s.why;
		out->why_offset = (size_t)((s.at ? s.at : hit) - line);
		return MS_LINE_BAD;
	}
	if ((hit = memmem(line, len, "pacer: ", 7)) != NULL) {
		scan s = { hit, end, NULL, NULL };
		memset(&out->u.pacer, 0, sizeof out->u.pacer);
		out->offset = (size_t)(hit - line);
		parse_pacer(&s, &out->u.pacer);
		return MS_LINE_PACER;
	}
	if ((hit = memmem(line, len, "GC forced", 9)) != NULL && hit + 9 == end) {
		out->offset = (size_t)(hit - line);
		return MS_LINE_GC_FORCED;
	}
	return MS_LINE_FOREIGN;
}

const char *ms_gc_format_name(int format)
{
	switch (format) {
	case MS_GC_GO15: return "go1.5";
	case MS_GC_GO16: return "go1.6-1.17";
	case MS_GC_GO118: return "go1.18+";
	}
	return "none";
}
