/* scan.h — the gctrace line scanner (internal to lines.c): a cursor over
 * one line that records its first failure, literal matching, and the
 * numbers of a gc line scanned by hand into fixed-point integers, eight
 * digits at a time (SWAR). No sscanf/strtod: they are slow and
 * locale-dependent. Decimal times such as "0.018" (ms) become 18 us
 * exactly: the integer part x 10^k plus at most k fraction digits, where k
 * is the number of decimals the unit needs (3 for ms -> us, 6 for s -> us);
 * further digits are dropped (truncation, as the runtime itself truncates).
 * Every accumulation checks for overflow first. */
#ifndef MS_GCTRACE_SCAN_H
#define MS_GCTRACE_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

#endif
