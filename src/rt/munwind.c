/* munwind.c — fast, exact stack walks for the sampler: the unwind tables
 * (.eh_frame CFI) of each return address are interpreted once and cached,
 * so a sample costs a hash lookup and two loads per frame instead of
 * libgcc's full unwind (~1.4 µs per sample here).
 *
 * x86-64 only. For a return address pc the cached rule says how to find
 * the caller's frame from this one:
 *     CFA      = (rule.cfa_reg == rsp ? sp : rbp) + rule.cfa_off
 *     next pc  = *(CFA − 8)                (the return address)
 *     next rbp = rule saves rbp ? *(CFA + rule.rbp_off) : rbp
 *     next sp  = CFA
 * The rule comes from the FDE that libgcc's _Unwind_Find_FDE returns: the
 * CIE's initial instructions and the FDE's instructions are executed up to
 * pc (the usual subset compilers emit: advance, def_cfa*, offset*, restore*,
 * remember/restore_state, nop, GNU_args_size). Anything else — CFA
 * expressions (PLT stubs), signal frames, a CFA not on rsp or rbp — marks
 * the pc "unsupported" and that sample falls back to _Unwind_Backtrace.
 * Every load is checked against the thread's stack bounds.
 *
 * The walk starts at the runtime's own outermost frame: libmsrt keeps frame
 * pointers, so following rbp from here reaches the frame whose return
 * address is the public entry point's (malloc's) return address; its CFA
 * is that frame's rbp + 16.
 */
#include "config.h"

#include <stdatomic.h>
#include <string.h>
#include <unwind.h>

#include "rt/msrt_internal.h"

#if defined(__x86_64__)

struct dwarf_eh_bases {
	void *tbase, *dbase, *func;
};
extern const void *_Unwind_Find_FDE(void *pc, struct dwarf_eh_bases *bases);

enum { REG_RBP = 6, REG_RSP = 7, REG_RA = 16 };
enum { RULE_EMPTY = 0, RULE_OK = 1, RULE_END = 2, RULE_UNSUPPORTED = 3 };

typedef struct rule { /* how to find the caller's frame (the cache keys it by pc) */
	int32_t cfa_off;
	int32_t rbp_off;
	uint8_t kind;
	uint8_t cfa_reg;
	uint8_t rbp_saved;
} rule;

/* The rule cache is read without a lock (every sampled frame looks it up;
 * a mutex pair was 40% of the walk's cost): each entry is a sequence
 * counter and two words, written under cache_lock and read seqlock-style —
 * a reader that sees an odd or changed counter treats the entry as a miss.
 * A rule packs into one word: cfa_off (32 bits), rbp_off (16), kind (4),
 * cfa_reg (4), rbp_saved (1); an rbp_off outside int16 is "unsupported". */
typedef struct cache_entry {
	_Atomic uint32_t seq;
	_Atomic uint64_t pc;
	_Atomic uint64_t packed;
} cache_entry;

#define CACHE_SIZE (1u << 14)
static cache_entry *_Atomic cache;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t rule_pack(const rule *r)
{
	return (uint64_t)(uint32_t)r->cfa_off | (uint64_t)(uint16_t)(int16_t)r->rbp_off << 32 |
		(uint64_t)(r->kind & 15) << 48 | (uint64_t)(r->cfa_reg & 15) << 52 | (uint64_t)(r->rbp_saved & 1) << 56;
}

static rule rule_unpack(uint64_t v)
{
	rule r;
	r.cfa_off = (int32_t)(uint32_t)v;
	r.rbp_off = (int16_t)(uint16_t)(v >> 32);
	r.kind = (uint8_t)(v >> 48 & 15);
	r.cfa_reg = (uint8_t)(v >> 52 & 15);
	r.rbp_saved = (uint8_t)(v >> 56 & 1);
	return r;
}

static uint64_t uleb(const uint8_t **p, const uint8_t *end, int *bad)
{
	uint64_t v = 0;
	for (int shift = 0; *p < end && shift < 64; shift += 7) {
		uint8_t b = *(*p)++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	*bad = 1;
	return 0;
}

static int64_t sleb(const uint8_t **p, const uint8_t *end, int *bad)
{
	int64_t v = 0;
	int shift = 0;
	uint8_t b = 0;
	do {
		if (*p >= end || shift >= 64) {
			*bad = 1;
			return 0;
		}
		b = *(*p)++;
		v |= (int64_t)(b & 0x7f) << shift;
		shift += 7;
	} while (b & 0x80);
	if (shift < 64 && (b & 0x40))
		v |= -((int64_t)1 << shift);
	return v;
}

/* Size of an encoded pointer (DW_EH_PE_*), -1 if variable or unknown. */
static int enc_size(uint8_t enc)
{
	if (enc == 0xff)
		return 0; /* omit */
	switch (enc & 0x0f) {
	case 0x00: return 8;
	case 0x02: case 0x0a: return 2;
	case 0x03: case 0x0b: return 4;
	case 0x04: case 0x0c: return 8;
	default: return -1;
	}
}

typedef struct cfa_state {
	uint8_t cfa_reg;
	int64_t cfa_off;
	uint8_t rbp_saved;
	int64_t rbp_off;
	int64_t ra_off;
	uint8_t ra_undefined;
} cfa_state;

/* Executes CFA instructions [p, end) while loc < target. 0, or -1 when
 * something unsupported is met. */
static int run_cfa(const uint8_t *p, const uint8_t *end, uintptr_t *loc, uintptr_t target, uint64_t code_align,
	int64_t data_align, cfa_state *st, const cfa_state *initial)
{
	cfa_state stack[8];
	int depth = 0, bad = 0;
	while (p < end && *loc < target) {
		uint8_t op = *p++;
		uint8_t hi = op & 0xc0, lo = op & 0x3f;
		uint64_t reg;
		if (hi == 0x40) {
			*loc += lo * code_align;
			continue;
		}
		if (hi == 0x80) {
			int64_t off = (int64_t)uleb(&p, end, &bad) * data_align;
			if (lo == REG_RBP) {
				st->rbp_saved = 1;
				st->rbp_off = off;
			} else if (lo == REG_RA) {
				st->ra_off = off;
			}
			continue;
		}
		if (hi == 0xc0) {
			if (lo == REG_RBP) {
				st->rbp_saved = initial->rbp_saved;
				st->rbp_off = initial->rbp_off;
			}
			continue;
		}
		switch (op) {
		case 0x00: break;
		case 0x02: if (p + 1 > end) return -1; *loc += p[0] * code_align; p += 1; break;
		case 0x03: { uint16_t d; if (p + 2 > end) return -1; memcpy(&d, p, 2); *loc += d * code_align; p += 2; break; }
		case 0x04: { uint32_t d; if (p + 4 > end) return -1; memcpy(&d, p, 4); *loc += d * code_align; p += 4; break; }
		case 0x05: /* offset_extended */
		case 0x11: /* offset_extended_sf */
			reg = uleb(&p, end, &bad);
			{
				int64_t off = op == 0x05 ? (int64_t)uleb(&p, end, &bad) * data_align
							 : sleb(&p, end, &bad) * data_align;
				if (reg == REG_RBP) {
					st->rbp_saved = 1;
					st->rbp_off = off;
				} else if (reg == REG_RA) {
					st->ra_off = off;
				}
			}
			break;
		case 0x06: /* restore_extended */
			reg = uleb(&p, end, &bad);
			if (reg == REG_RBP) {
				st->rbp_saved = initial->rbp_saved;
				st->rbp_off = initial->rbp_off;
			}
			break;
		case 0x07: /* undefined */
			reg = uleb(&p, end, &bad);
			if (reg == REG_RA)
				st->ra_undefined = 1;
			else if (reg == REG_RBP)
				st->rbp_saved = 0;
			break;
		case 0x08: /* same_value */
			reg = uleb(&p, end, &bad);
			if (reg == REG_RBP)
				st->rbp_saved = 0;
			break;
		case 0x09: /* register */
			reg = uleb(&p, end, &bad);
			(void)uleb(&p, end, &bad);
			if (reg == REG_RBP || reg == REG_RA)
				return -1;
			break;
		case 0x0a:
			if (depth == 8)
				return -1;
			stack[depth++] = *st;
			break;
		case 0x0b:
			if (depth == 0)
				return -1;
			{
				uint8_t keep_ra = st->ra_undefined;
				*st = stack[--depth];
				(void)keep_ra;
			}
			break;
		case 0x0c: /* def_cfa */
			st->cfa_reg = (uint8_t)uleb(&p, end, &bad);
			st->cfa_off = (int64_t)uleb(&p, end, &bad);
			break;
		case 0x0d: st->cfa_reg = (uint8_t)uleb(&p, end, &bad); break;
		case 0x0e: st->cfa_off = (int64_t)uleb(&p, end, &bad); break;
		case 0x12: /* def_cfa_sf */
			st->cfa_reg = (uint8_t)uleb(&p, end, &bad);
			st->cfa_off = sleb(&p, end, &bad) * data_align;
			break;
		case 0x13: st->cfa_off = sleb(&p, end, &bad) * data_align; break;
		case 0x10: /* expression reg, block */
		case 0x16: /* val_expression */
			reg = uleb(&p, end, &bad);
			{
				uint64_t n = uleb(&p, end, &bad);
				if (reg == REG_RBP || reg == REG_RA || n > (uint64_t)(end - p))
					return -1;
				p += n;
			}
			break;
		case 0x14: /* val_offset */
		case 0x15: /* val_offset_sf */
			reg = uleb(&p, end, &bad);
			if (op == 0x14)
				(void)uleb(&p, end, &bad);
			else
				(void)sleb(&p, end, &bad);
			if (reg == REG_RBP || reg == REG_RA)
				return -1;
			break;
		case 0x2e: (void)uleb(&p, end, &bad); break; /* GNU_args_size */
		case 0x2f: /* GNU_negative_offset_extended */
			reg = uleb(&p, end, &bad);
			{
				int64_t off = -(int64_t)uleb(&p, end, &bad) * data_align;
				if (reg == REG_RBP) {
					st->rbp_saved = 1;
					st->rbp_off = off;
				} else if (reg == REG_RA) {
					st->ra_off = off;
				}
			}
			break;
		default:
			return -1; /* set_loc, def_cfa_expression, vendor ops */
		}
		if (bad)
			return -1;
	}
	return 0;
}

/* Computes the rule for return address pc. */
static void compute_rule(uintptr_t pc, rule *r)
{
	*r = (rule){ .kind = RULE_UNSUPPORTED };
	struct dwarf_eh_bases bases;
	const uint8_t *fde = _Unwind_Find_FDE((void *)(pc - 1), &bases);
	if (!fde || !bases.func)
		return;
	uint32_t len;
	memcpy(&len, fde, 4);
	if (len == 0 || len == 0xffffffffu)
		return;
	const uint8_t *fde_end = fde + 4 + len;
	int32_t cie_ptr;
	memcpy(&cie_ptr, fde + 4, 4);
	const uint8_t *cie = fde + 4 - cie_ptr;
	uint32_t clen;
	memcpy(&clen, cie, 4);
	if (clen == 0 || clen == 0xffffffffu)
		return;
	const uint8_t *cend = cie + 4 + clen;
	const uint8_t *p = cie + 8; /* length, CIE id */
	uint8_t version = *p++;
	const char *aug = (const char *)p;
	size_t auglen = strnlen(aug, (size_t)(cend - p));
	p += auglen + 1;
	int bad = 0;
	uint64_t code_align = uleb(&p, cend, &bad);
	int64_t data_align = sleb(&p, cend, &bad);
	if (version == 1)
		p++;
	else
		(void)uleb(&p, cend, &bad);
	uint8_t fde_enc = 0;
	if (aug[0] == 'z') {
		uint64_t alen = uleb(&p, cend, &bad);
		const uint8_t *aend = p + alen;
		for (const char *a = aug + 1; *a && p < aend; a++) {
			if (*a == 'R') {
				fde_enc = *p++;
			} else if (*a == 'L') {
				p++;
			} else if (*a == 'P') {
				uint8_t penc = *p++;
				int sz = enc_size(penc);
				if (sz < 0)
					return;
				p += sz;
			} else {
				return; /* 'S' (signal frame) or unknown */
			}
		}
		p = aend;
	} else if (aug[0]) {
		return;
	}
	if (bad || p > cend)
		return;
	cfa_state st = { REG_RSP, 8, 0, 0, -8, 0 };
	uintptr_t loc = (uintptr_t)bases.func;
	/* initial instructions apply from the start */
	uintptr_t dummy = 0;
	if (run_cfa(p, cend, &dummy, UINTPTR_MAX, code_align, data_align, &st, &st) < 0)
		return;
	cfa_state initial = st;
	/* FDE: length, CIE pointer, pc_begin, pc_range, [aug data], insns */
	int sz = enc_size(fde_enc);
	if (sz <= 0)
		return;
	const uint8_t *q = fde + 8 + 2 * sz;
	if (aug[0] == 'z') {
		uint64_t n = uleb(&q, fde_end, &bad);
		q += n;
	}
	if (bad || q > fde_end)
		return;
	if (run_cfa(q, fde_end, &loc, pc, code_align, data_align, &st, &initial) < 0)
		return;
	if (st.ra_undefined) {
		r->kind = RULE_END;
		return;
	}
	if ((st.cfa_reg != REG_RSP && st.cfa_reg != REG_RBP) || st.ra_off != -8 || st.cfa_off < 0 ||
		st.cfa_off > (1 << 24))
		return;
	r->cfa_reg = st.cfa_reg;
	r->cfa_off = (int32_t)st.cfa_off;
	r->rbp_saved = st.rbp_saved;
	r->rbp_off = (int32_t)st.rbp_off;
	r->kind = RULE_OK;
}

static rule lookup(uintptr_t pc)
{
	size_t j = msrt_hash_slot(pc, CACHE_SIZE);
	cache_entry *c = atomic_load_explicit(&cache, memory_order_acquire);
	if (c) {
		cache_entry *e = &c[j];
		uint32_t s1 = atomic_load_explicit(&e->seq, memory_order_acquire);
		uint64_t epc = atomic_load_explicit(&e->pc, memory_order_relaxed);
		uint64_t v = atomic_load_explicit(&e->packed, memory_order_relaxed);
		atomic_thread_fence(memory_order_acquire);
		uint32_t s2 = atomic_load_explicit(&e->seq, memory_order_relaxed);
		if (!(s1 & 1) && s1 == s2 && epc == pc && (v >> 48 & 15) != RULE_EMPTY)
			return rule_unpack(v);
	}
	rule r;
	compute_rule(pc, &r);
	if (r.kind == RULE_OK && r.rbp_off != (int16_t)r.rbp_off)
		r.kind = RULE_UNSUPPORTED; /* does not pack; libgcc walks it */
	pthread_mutex_lock(&cache_lock);
	if (!cache) {
		cache_entry *fresh = msrt_sys_alloc(CACHE_SIZE * sizeof *cache); /* zero: all empty */
		atomic_store_explicit(&cache, fresh, memory_order_release);
	}
	cache_entry *c2 = atomic_load_explicit(&cache, memory_order_relaxed);
	if (c2) { /* a collision just replaces the older rule */
		cache_entry *e = &c2[j];
		uint32_t seq = atomic_load_explicit(&e->seq, memory_order_relaxed);
		atomic_store_explicit(&e->seq, seq + 1, memory_order_relaxed);
		atomic_thread_fence(memory_order_release);
		atomic_store_explicit(&e->pc, pc, memory_order_relaxed);
		atomic_store_explicit(&e->packed, rule_pack(&r), memory_order_relaxed);
		atomic_store_explicit(&e->seq, seq + 2, memory_order_release);
	}
	pthread_mutex_unlock(&cache_lock);
	return r;
}

/* In a forked child: another thread may have held the lock, or been
 * writing an entry, at the fork. */
void msrt_unwind_atfork_child(void)
{
	pthread_mutex_init(&cache_lock, NULL);
	cache_entry *c = atomic_load_explicit(&cache, memory_order_relaxed);
	if (c)
		memset(c, 0, CACHE_SIZE * sizeof *c);
}

int msrt_cfi_walk(uintptr_t *out, int max, uintptr_t ret, uintptr_t stack_lo, uintptr_t stack_hi)
{
	/* our own frames keep rbp: find the one that returns to ret */
	uintptr_t *fp = __builtin_frame_address(0);
	int steps = 0;
	while (fp[1] != ret) {
		uintptr_t *next = (uintptr_t *)fp[0];
		if (++steps > 16 || next <= fp || (uintptr_t)next >= stack_hi)
			return -1;
		fp = next;
	}
	uintptr_t pc = ret, sp = (uintptr_t)fp + 16, rbp = fp[0];
	if (stack_lo < (uintptr_t)fp)
		stack_lo = (uintptr_t)fp; /* nothing below our own frame is a caller's */
	int n = 0;
	while (n < max) {
		out[n++] = pc;
		rule r = lookup(pc);
		if (r.kind == RULE_END)
			break;
		if (r.kind != RULE_OK)
			return -1;
		uintptr_t cfa = (r.cfa_reg == REG_RSP ? sp : rbp) + (uintptr_t)(intptr_t)r.cfa_off;
		if (cfa < stack_lo + 8 || cfa > stack_hi || (cfa & 7))
			break;
		uintptr_t next_pc = *(uintptr_t *)(cfa - 8);
		if (r.rbp_saved) {
			uintptr_t slot = cfa + (uintptr_t)(intptr_t)r.rbp_off;
			if (slot < stack_lo || slot + 8 > stack_hi)
				break;
			rbp = *(uintptr_t *)slot;
		}
		if (cfa <= sp || next_pc < 4096)
			break;
		sp = cfa;
		pc = next_pc;
	}
	return n;
}

#else

void msrt_unwind_atfork_child(void) {}

int msrt_cfi_walk(uintptr_t *out, int max, uintptr_t ret, uintptr_t stack_lo, uintptr_t stack_hi)
{
	(void)out;
	(void)max;
	(void)ret;
	(void)stack_lo;
	(void)stack_hi;
	return -1;
}

#endif
