/* parse.c — the gctrace line parser and the log reader.
 *
 * Hot path: a log is mostly `gc N @...` lines, so a line is found with
 * memchr, the `gc ` marker with memchr for 'g', and every number is scanned
 * by hand into fixed-point integers (no sscanf/strtod: they are slow and
 * locale-dependent). Decimal times such as "0.018" (ms) become 18 µs
 * exactly: the integer part × 10^k plus at most k fraction digits, where k
 * is the number of decimals the unit needs (3 for ms → µs, 6 for s → µs);
 * further digits are dropped (truncation, as the runtime itself truncates).
 * Every accumulation checks for overflow first; a value that does not fit
 * its field rejects the line with a warning instead of wrapping.
 */
#include "config.h"
#include "gctrace/gctrace.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile/gotrace.h"
#include "profile/trace.h"
#include "util/io.h"

/* ---- scanner --------------------------------------------------------------- */

typedef struct scan {
	const char *p, *end;
	const char *why; /* first failure, NULL while all is well */
	const char *at;  /* where the scan was at the first failure */
} scan;

static int fail(scan *s, const char *why)
{
	if (!s->why) {
		s->why = why;
		s->at = s->p;
	}
	return 0;
}

static inline int is_digit(char c) { return (unsigned)(c - '0') <= 9; }

/* The small helpers below are forced inline: with their constant arguments
 * the memcmp of a literal becomes a couple of loads and the range checks
 * fold to constants (this file's profile was dominated by calls). */
#define HOT static inline __attribute__((always_inline))

/* Equality with a literal of constant length n ≤ 16 (all the format's
 * literals): two overlapping loads of 8, 4 or 2 bytes from each end,
 * compared with one branch; the literal's words fold to immediates. */
HOT int same(const char *p, const char *lit, size_t n)
{
	if (n >= 8) {
		uint64_t a, b, c, d;
		memcpy(&a, p, 8);
		memcpy(&b, lit, 8);
		memcpy(&c, p + n - 8, 8);
		memcpy(&d, lit + n - 8, 8);
		return n <= 16 ? ((a ^ b) | (c ^ d)) == 0 : memcmp(p, lit, n) == 0;
	}
	if (n >= 4) {
		uint32_t a, b, c, d;
		memcpy(&a, p, 4);
		memcpy(&b, lit, 4);
		memcpy(&c, p + n - 4, 4);
		memcpy(&d, lit + n - 4, 4);
		return ((a ^ b) | (c ^ d)) == 0;
	}
	if (n >= 2) {
		uint16_t a, b, c, d;
		memcpy(&a, p, 2);
		memcpy(&b, lit, 2);
		memcpy(&c, p + n - 2, 2);
		memcpy(&d, lit + n - 2, 2);
		return ((a ^ b) | (c ^ d)) == 0;
	}
	return n == 0 || p[0] == lit[0];
}

/* Matches the literal lit (length n) and advances past it. */
HOT int lit_n(scan *s, const char *lit, size_t n, const char *why)
{
	if ((size_t)(s->end - s->p) < n || !same(s->p, lit, n))
		return fail(s, why);
	s->p += n;
	return 1;
}
#define LIT(s, str, why) lit_n((s), (str), sizeof(str) - 1, (why))

/* Peeks for a literal without failing. */
HOT int peek_n(const scan *s, const char *lit, size_t n)
{
	return (size_t)(s->end - s->p) >= n && same(s->p, lit, n);
}
#define PEEK(s, str) peek_n((s), (str), sizeof(str) - 1)

/* Digits past the 19th can overflow: checked one by one (rare path).
 * Returns the end of the digits; *ok = 0 on overflow. */
static __attribute__((noinline)) const char *uint_long(const char *p, const char *end, uint64_t *v, int *ok)
{
	*ok = 1;
	for (; p < end && is_digit(*p); p++) {
		unsigned d = (unsigned)(*p - '0');
		if (*v > (UINT64_MAX - d) / 10)
			*ok = 0;
		else
			*v = *v * 10 + d;
	}
	return p;
}

/* ---- SWAR digits: eight bytes at a time, without a branch per digit.
 * t = 8 bytes − '0' each (little-endian: the first character is the lowest
 * byte). A byte is a digit iff t_i ≤ 9, i.e. neither t_i nor t_i + 0x76 has
 * its top bit set; borrows and carries only travel upwards, so everything
 * below the first non-digit is exact. The first m digits become a number by
 * shifting them to the top bytes (the zeros below act as leading zeros) and
 * folding pairs: 10·a+b per 2 bytes, 100·a+b per 4, 10000·a+b per 8. */
HOT uint64_t load8(const char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v - 0x3030303030303030ULL;
}

/* Bit mask of the non-digit bytes of t (0: all eight are digits). */
HOT uint64_t nondigits(uint64_t t)
{
	return (t | (t + 0x7676767676767676ULL)) & 0x8080808080808080ULL;
}

/* The value of the first m (1..8) digits of t. */
HOT uint64_t swar_value(uint64_t t, unsigned m)
{
	if (m < 8)
		t <<= 8 * (8 - m);
	t = ((t & 0x0F0F0F0F0F0F0F0FULL) * 2561) >> 8;
	t = ((t & 0x00FF00FF00FF00FFULL) * 6553601) >> 16;
	return ((t & 0x0000FFFF0000FFFFULL) * 42949672960001ULL) >> 32;
}

/* Unsigned decimal integer ≤ max. Up to 19 digits cannot overflow 64 bits
 * (10^19 − 1 < 2^64), so the scalar path needs no per-digit check either. */
HOT int uint_max(scan *s, uint64_t max, uint64_t *out)
{
	const char *p = s->p, *e = s->end;
	if (e - p >= 8) {
		uint64_t t = load8(p), nd = nondigits(t);
		if (nd) {
			unsigned m = (unsigned)__builtin_ctzll(nd) >> 3;
			if (m == 0)
				return fail(s, "expected a number");
			uint64_t v = swar_value(t, m);
			s->p = p + m;
			if (v > max)
				return fail(s, "number out of range");
			*out = v;
			return 1;
		}
	}
	if (p >= e || !is_digit(*p))
		return fail(s, "expected a number");
	const char *stop = e - p > 19 ? p + 19 : e;
	uint64_t v = 0;
	for (; p < stop && is_digit(*p); p++)
		v = v * 10 + (unsigned)(*p - '0');
	if (p < e && is_digit(*p)) {
		int ok;
		p = uint_long(p, e, &v, &ok);
		if (!ok) {
			s->p = p;
			return fail(s, "number out of range");
		}
	}
	s->p = p;
	if (v > max)
		return fail(s, "number out of range");
	*out = v;
	return 1;
}

HOT int u32(scan *s, uint32_t *out)
{
	uint64_t v;
	if (!uint_max(s, UINT32_MAX, &v))
		return 0;
	*out = (uint32_t)v;
	return 1;
}

static const uint64_t pow10_tab[] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000 };

/* Decimal "I" or "I.F" as a fixed-point integer with k decimals, ≤ max. */
HOT int fixed(scan *s, int k, uint64_t max, uint64_t *out)
{
	uint64_t ip;
	uint64_t scale = pow10_tab[k];
	if (!uint_max(s, max / scale, &ip))
		return 0;
	uint64_t frac = 0;
	int got = 0;
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		uint64_t t, nd;
		if (s->end - s->p >= 8 && (nd = nondigits(t = load8(s->p))) != 0) {
			unsigned m = (unsigned)__builtin_ctzll(nd) >> 3;
			if (m == 0)
				return fail(s, "expected digits after '.'");
			got = m < (unsigned)k ? (int)m : k;
			frac = swar_value(t, (unsigned)got);
			s->p += m;
		} else {
			if (s->p >= s->end || !is_digit(*s->p))
				return fail(s, "expected digits after '.'");
			for (; s->p < s->end && is_digit(*s->p); s->p++)
				if (got < k) {
					frac = frac * 10 + (uint64_t)(*s->p - '0');
					got++;
				}
		}
	}
	frac *= pow10_tab[k - got];
	if (ip * scale > max - frac)
		return fail(s, "number out of range");
	*out = ip * scale + frac;
	return 1;
}

/* A time in ms ("0.018", "12") as µs in a uint32. */
HOT int ms_as_us(scan *s, uint32_t *out)
{
	uint64_t v;
	if (!fixed(s, 3, UINT32_MAX, &v))
		return 0;
	*out = (uint32_t)v;
	return 1;
}

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

ms_gctrace_log *ms_gctrace_log_new_analyzing(const char *name, const ms_gctrace_thresholds *th)
{
	ms_gctrace_log *log = ms_gctrace_log_new(name);
	log->acc = ms_gctrace_acc_new(th);
	return log;
}

void ms_gctrace_log_free(ms_gctrace_log *log)
{
	if (!log)
		return;
	ms_gctrace_acc_free(log->acc);
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

static void add_cycle(ms_gctrace_log *log, ms_gc_cycle *c, uint64_t line)
{
	c->line = line;
	if (log->acc) {
		ms_gctrace_acc_add(log->acc, c, 1);
		log->ncycles++;
	} else {
		MS_PUSH(log->cycles, log->ncycles, log->cap_cycles, *c);
	}
}

/* The held gc line did not get its rest: it is a malformed line after all. */
static void held_flush(ms_gctrace_log *log)
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
 * line). Returns 1 when stitched. */
#define STITCH_MAX 256
static int stitch_held(ms_gctrace_log *log, const char *p, size_t n)
{
	if (n > STITCH_MAX)
		return 0;
	size_t kmax = log->nheld < STITCH_MAX ? log->nheld : STITCH_MAX;
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
		held_flush(log);
	}
	if (kind == MS_LINE_BAD && !last && n - r.offset >= 3 && memcmp(p + r.offset, "gc ", 3) == 0) {
		/* maybe cut by the program's output: wait for the next line */
		log->held = ms_xrealloc(log->held, n - r.offset);
		memcpy(log->held, p + r.offset, n - r.offset);
		log->nheld = n - r.offset;
		log->held_line = log->lines;
		log->held_why = r.why;
		log->held_col = r.why_offset + 1;
		return;
	}
	switch (kind) {
	case MS_LINE_GC:
		r.u.cycle.line = log->lines;
		if (log->acc) {
			ms_gctrace_acc_add(log->acc, &r.u.cycle, 1);
			log->ncycles++;
		} else {
			MS_PUSH(log->cycles, log->ncycles, log->cap_cycles, r.u.cycle);
		}
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
	held_flush(log);
	free(log->pending);
	log->pending = NULL;
	log->cap_pending = 0;
}

#define READ_BUF (1u << 20)
#define MAP_MIN (1u << 20)
#define MAP_STEP ((size_t)8 << 20)
#define PARALLEL_MIN ((size_t)32 << 20) /* read files this large on several threads */

/* Feeds bytes [start, end) of fd to log through 8 MiB read-only mappings
 * (MAP_POPULATE sets the page table up in one go instead of a fault per
 * page; a line across two windows is joined by the feed's pending-line
 * logic), falling back to pread if a mapping fails. Returns 0 or -1. */
static int feed_range(int fd, const char *path, ms_gctrace_log *log, size_t start, size_t end, ms_err *err)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t off = start;
	while (off < end) {
		size_t base = off - off % page;
		size_t k = end - base < MAP_STEP ? end - base : MAP_STEP;
		char *map = mmap(NULL, k, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, (off_t)base);
		if (map == MAP_FAILED)
			break;
		ms_gctrace_log_feed(log, map + (off - base), k - (off - base));
		munmap(map, k);
		off = base + k;
	}
	if (off >= end)
		return 0;
	char *buf = ms_xmalloc(READ_BUF);
	int rc = 0;
	while (off < end) {
		size_t want = end - off < READ_BUF ? end - off : READ_BUF;
		ssize_t got = pread(fd, buf, want, (off_t)off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = ms_seterr(err, "%s: read error: %s", path, strerror(errno));
			break;
		}
		if (got == 0)
			break;
		ms_gctrace_log_feed(log, buf, (size_t)got);
		off += (size_t)got;
	}
	free(buf);
	return rc;
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
static void log_append(ms_gctrace_log *a, ms_gctrace_log *b)
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
	if (a->acc) {
		ms_gctrace_acc_add(a->acc, b->cycles, b->ncycles);
		a->ncycles += b->ncycles;
	} else {
		APPEND(cycles, ncycles, cap_cycles);
	}
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
static void log_reset(ms_gctrace_log *log)
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

/* ---- parallel reading of a large file ------------------------------------------
 *
 * The file is cut into chunks of about CHUNK bytes, each ending just after a
 * line break (so no line is split), and workers (this thread and up to
 * MAX_WORKERS − 1 more) take the chunks in file order, each parsing its
 * chunk into a chunk log of its own. Chunk logs are appended to the result
 * strictly in file order by whichever worker finishes the chunk that is
 * next: parsing is per line, so the result equals one pass over the file.
 * Appending copies a chunk's records while they are still in cache (or,
 * for an analysing result, feeds them to its analysis and keeps nothing),
 * and the emptied chunk log is reused, so the only fresh memory is the
 * result's. Workers pull chunks rather than take halves, so a worker slowed
 * by other processes on a shared machine just takes fewer; the others wait
 * rather than run more than MAX_AHEAD chunks ahead of it, which bounds the
 * chunk logs held. */
#define CHUNK ((size_t)4 << 20)
#define MAX_WORKERS 4
#define MAX_AHEAD 8 /* chunks taken past the next one to append, at most */

typedef struct chunked {
	int fd;
	const char *path;
	size_t n;            /* file size */
	size_t *bound;       /* chunk c is [bound[c], bound[c + 1]) */
	size_t nchunks;
	int keep_foreign;
	pthread_mutex_t mu;  /* guards everything below */
	pthread_cond_t turn; /* next_append moved, or a worker failed */
	size_t next_chunk;   /* the next chunk to parse */
	size_t next_append;  /* the next chunk to append to out */
	ms_gctrace_log **done; /* parsed chunks waiting for their turn */
	ms_gctrace_log **spare; /* emptied chunk logs for reuse */
	size_t nspare;
	ms_gctrace_log *out;
	int failed;
	ms_err err;          /* the first read error */
} chunked;

/* Chunk boundaries: just after the first line break at or after each
 * multiple of CHUNK (a boundary that would fall inside the previous chunk's
 * last line moves on with it). Reads every byte at most once, so a file
 * without line breaks costs one scan. Returns the number of chunks. */
static size_t chunk_bounds(int fd, size_t n, size_t *bound, size_t max)
{
	char buf[65536];
	size_t k = 0;
	bound[k++] = 0;
	size_t off = CHUNK;
	while (off < n && k < max) {
		ssize_t got = pread(fd, buf, sizeof buf < n - off ? sizeof buf : n - off, (off_t)off);
		if (got <= 0)
			break;
		const char *nl = memchr(buf, '\n', (size_t)got);
		if (!nl) {
			off += (size_t)got;
			continue;
		}
		size_t b = off + (size_t)(nl - buf) + 1;
		if (b >= n)
			break;
		bound[k++] = b;
		off = k * CHUNK > b ? k * CHUNK : b;
	}
	bound[k] = n;
	return k;
}

static void *chunk_worker(void *arg)
{
	chunked *w = arg;
	ms_gctrace_log *mine = NULL;
	pthread_mutex_lock(&w->mu);
	while (!w->failed && w->next_chunk < w->nchunks) {
		if (w->next_chunk - w->next_append >= MAX_AHEAD) {
			pthread_cond_wait(&w->turn, &w->mu);
			continue;
		}
		size_t c = w->next_chunk++;
		if (!mine)
			mine = w->nspare ? w->spare[--w->nspare] : NULL;
		pthread_mutex_unlock(&w->mu);

		if (!mine) {
			mine = ms_gctrace_log_new(w->path);
			mine->keep_foreign = w->keep_foreign;
		}
		ms_err err;
		int rc = feed_range(w->fd, w->path, mine, w->bound[c], w->bound[c + 1], &err);
		if (c + 1 == w->nchunks)
			ms_gctrace_log_finish(mine); /* a last line without a newline */
		else
			held_flush(mine); /* not stitched across chunks */

		pthread_mutex_lock(&w->mu);
		if (rc < 0) {
			if (!w->failed)
				w->err = err;
			w->failed = 1;
			pthread_cond_broadcast(&w->turn);
			break;
		}
		w->done[c] = mine;
		mine = NULL;
		while (!w->failed && w->next_append < w->nchunks && w->done[w->next_append]) {
			ms_gctrace_log *b = w->done[w->next_append];
			w->done[w->next_append++] = NULL;
			log_append(w->out, b);
			log_reset(b);
			w->spare[w->nspare++] = b;
			pthread_cond_broadcast(&w->turn);
		}
	}
	pthread_mutex_unlock(&w->mu);
	ms_gctrace_log_free(mine);
	return NULL;
}

/* Reads the regular file fd (n bytes) into out with the chunk workers.
 * Returns 1, or -1 on a read error (err set). */
static int read_chunked(int fd, const char *path, size_t n, int workers, ms_gctrace_log *out, ms_err *err)
{
	chunked w;
	memset(&w, 0, sizeof w);
	size_t max = n / CHUNK + 1;
	w.fd = fd;
	w.path = path;
	w.n = n;
	w.bound = ms_xcalloc(max + 1, sizeof *w.bound);
	w.nchunks = chunk_bounds(fd, n, w.bound, max);
	w.keep_foreign = out->keep_foreign;
	w.done = ms_xcalloc(w.nchunks, sizeof *w.done);
	w.spare = ms_xcalloc(w.nchunks, sizeof *w.spare);
	w.out = out;
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.turn, NULL);
	pthread_t th[MAX_WORKERS];
	int started = 0;
	while (started < workers - 1 && pthread_create(&th[started], NULL, chunk_worker, &w) == 0)
		started++;
	chunk_worker(&w);
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&w.mu);
	pthread_cond_destroy(&w.turn);
	for (size_t i = 0; i < w.nchunks; i++)
		ms_gctrace_log_free(w.done[i]);
	for (size_t i = 0; i < w.nspare; i++)
		ms_gctrace_log_free(w.spare[i]);
	free(w.done);
	free(w.spare);
	free(w.bound);
	if (w.failed) {
		*err = w.err;
		return -1;
	}
	return 1;
}

/* Large plain files are mapped and parsed in place; files over
 * PARALLEL_MIN are parsed in chunks on several threads (read_chunked).
 * Anything else — stdin, gzip, small or special files, and every open
 * error, so messages stay the same — goes through ms_reader. Returns 1
 * when the file was read this way, 0 to fall back, -1 on a read error. */
static int read_mapped(const char *path, ms_gctrace_log *log, ms_err *err)
{
	if (strcmp(path, "-") == 0)
		return 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO: no hang here */
	if (fd < 0)
		return 0;
	struct stat st;
	unsigned char magic[8];
	int done = 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= (off_t)MAP_MIN &&
	    (uint64_t)st.st_size < SIZE_MAX / 2 && pread(fd, magic, 8, 0) == 8 && !ms_is_gzip(magic, 2) &&
	    !ms_trace_sniff(magic, 8) && memcmp(magic, "go 1.", 5) != 0) {
		size_t n = (size_t)st.st_size;
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		int workers = cpus > MAX_WORKERS ? MAX_WORKERS : cpus < 1 ? 1 : (int)cpus;
		if (n >= PARALLEL_MIN && workers > 1)
			done = read_chunked(fd, path, n, workers, log, err);
		else
			done = feed_range(fd, path, log, 0, n, err) < 0 ? -1 : 1;
	}
	close(fd);
	return done;
}

/* Reads path into log (freed on an I/O error: NULL). */
static ms_gctrace_log *read_into(ms_gctrace_log *log, const char *path, ms_err *err)
{
	int mapped = read_mapped(path, log, err);
	if (mapped < 0) {
		ms_gctrace_log_free(log);
		return NULL;
	}
	if (mapped) {
		ms_gctrace_log_finish(log);
		return log;
	}
	ms_reader *r = ms_reader_open(path, err);
	if (!r) {
		ms_gctrace_log_free(log);
		return NULL;
	}
	/* the first bytes tell a runtime trace (read whole) from text (fed
	 * chunk by chunk) */
	enum { UNKNOWN, TEXT, TRACE, GOTRACE } kind = UNKNOWN;
	ms_buf head = { 0 };
	char *buf = ms_xmalloc(READ_BUF);
	for (;;) {
		long got = ms_reader_read(r, buf, READ_BUF, err);
		if (got < 0) {
			free(buf);
			ms_buf_free(&head);
			ms_reader_close(r);
			ms_gctrace_log_free(log);
			return NULL;
		}
		if (got == 0)
			break;
		if (kind == TEXT) {
			ms_gctrace_log_feed(log, buf, (size_t)got);
			continue;
		}
		ms_buf_add(&head, buf, (size_t)got);
		if (kind == UNKNOWN && head.len >= 8) {
			kind = ms_trace_sniff((const uint8_t *)head.data, head.len) ? TRACE
			       : memcmp(head.data, "go 1.", 5) == 0			 ? GOTRACE /* checked whole below */
											 : TEXT;
			if (kind == TEXT) {
				ms_gctrace_log_feed(log, head.data, head.len);
				ms_buf_free(&head);
			}
		}
	}
	free(buf);
	ms_reader_close(r);
	if (kind == TRACE || (kind == GOTRACE && ms_gotrace_sniff((const uint8_t *)head.data, head.len, NULL))) {
		/* a runtime trace keeps its cycles (few; its extras are computed
		 * from them), even when the caller asked for an analysing log */
		if (log->acc) {
			ms_gctrace_acc_free(log->acc);
			log->acc = NULL;
		}
		/* (or a Go execution trace: gotrace_gc.c) */
		int rc = kind == TRACE ? ms_gctrace_load_trace(log, (const uint8_t *)head.data, head.len, err)
				       : ms_gctrace_load_gotrace(log, (const uint8_t *)head.data, head.len, err);
		ms_buf_free(&head);
		if (rc < 0) {
			ms_gctrace_log_free(log);
			return NULL;
		}
		return log;
	}
	if (head.len) /* text shorter than the magic */
		ms_gctrace_log_feed(log, head.data, head.len);
	ms_buf_free(&head);
	ms_gctrace_log_finish(log);
	return log;
}

ms_gctrace_log *ms_gctrace_read(const char *path, int keep_foreign, ms_err *err)
{
	ms_gctrace_log *log = ms_gctrace_log_new(path);
	log->keep_foreign = keep_foreign;
	return read_into(log, path, err);
}

ms_gctrace_log *ms_gctrace_read_analyzing(const char *path, int keep_foreign, const ms_gctrace_thresholds *th,
	ms_err *err)
{
	ms_gctrace_log *log = ms_gctrace_log_new_analyzing(path, th);
	log->keep_foreign = keep_foreign;
	return read_into(log, path, err);
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
