/* perf_script.c — `perf script` text -> ms_profile, matching the reference
 * collapser (stackcollapse-perf.pl) sample for sample.
 *
 * Input, one block per sample:
 *
 *   cpuwork 16849 [001] 911.736943:    1001001 cpu-clock:pppH:      <- header
 *   	           7bf90 crypto/sha256.block.abi0+0x3430 (/bin/cpuwork) <- frames,
 *   	e9b5dba5b5c0fbcf [unknown] ([unknown])                       leaf first
 *                                                                   <- blank line
 *
 * The reference's regular expressions, reproduced by hand below (the
 * comments above each matcher quote them), decide what a line is:
 *   header  ^(\S.+?)\s+(\d+)[/]*(\d+)*\s+     comm, pid[/tid]
 *           :\s*(\d+)*\s+(\S+):\s*$          period, event
 *   frame   ^\s*(\w+)\s*(.+) \((\S*)\)       pc, symbol, dso
 * and a sample's stack is recorded at the blank line that ends it, root
 * first: the command name ("comm", "comm-pid" or "comm-pid/tid"; spaces
 * become '_'), then the frames from the outermost caller to the leaf.
 *
 * Speed: the whole input is in memory; lines are found with memchr and
 * parsed in place (no per-line allocation). A frame line's symbol and dso
 * (after the offset is stripped) are interned as one key, so the naming
 * rules run once per distinct symbol; each sample's stack is a short array
 * of location indexes, merged with identical stacks through a hash table.
 *
 * Deliberate differences from the reference, for damaged input only: a
 * trailing '\r' is ignored (CRLF files), and a header line inside an open
 * sample ends that sample (the reference would carry its frames over into
 * the next sample). Like the reference, a sample the input ends in (no
 * blank line after it) is dropped; a warning says so. */
#include "config.h"
#include "profile/perf_script.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/stackset.h"
#include "util/strtab.h"

typedef struct span {
	const char *p;
	size_t n;
} span;

/* Perl's \s and \w on bytes. */
static inline bool is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static inline bool is_word(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* ==== line matchers (the reference's regular expressions) ================ */

/* ^(\S.+?)\s+(\d+)[/]*(\d+)*\s+  — the shortest comm (at least two bytes)
 * followed by whitespace, a pid, optionally "/tid", and whitespace. */
static bool match_header(const char *s, size_t n, span *comm, span *pid, span *tid)
{
	if (n < 2 || is_space((unsigned char)s[0]))
		return false;
	for (size_t c = 2; c < n; c++) {
		if (!is_space((unsigned char)s[c]))
			continue;
		size_t i = c;
		while (i < n && is_space((unsigned char)s[i]))
			i++;
		/* a failure from c fails from anywhere in the same blank run:
		 * resume after it (keeps hostile lines of blanks linear) */
		size_t run_end = i - 1;
		size_t d0 = i;
		while (i < n && is_digit((unsigned char)s[i]))
			i++;
		if (i == d0) {
			c = run_end;
			continue;
		}
		size_t d1 = i;
		while (i < n && s[i] == '/')
			i++;
		size_t t0 = i;
		while (i < n && is_digit((unsigned char)s[i]))
			i++;
		if (i >= n || !is_space((unsigned char)s[i])) {
			c = run_end;
			continue;
		}
		*comm = (span){ s, c };
		*pid = (span){ s + d0, d1 - d0 };
		*tid = (span){ s + t0, i - t0 };
		return true;
	}
	return false;
}

/* :\s*(\d+)*\s+(\S+):\s*$  — the event is the last token (its final ':'
 * dropped); the period, when present, the number between the ':' that ends
 * the timestamp and the event. */
static bool match_event(const char *s, size_t n, span *period, span *event)
{
	size_t e = n;
	while (e > 0 && is_space((unsigned char)s[e - 1]))
		e--;
	if (e == 0 || s[e - 1] != ':')
		return false;
	size_t ev_end = e - 1, i = ev_end;
	while (i > 0 && !is_space((unsigned char)s[i - 1]))
		i--;
	if (i == ev_end || i == 0)
		return false;
	*event = (span){ s + i, ev_end - i };
	while (i > 0 && is_space((unsigned char)s[i - 1]))
		i--;
	size_t dend = i;
	while (i > 0 && is_digit((unsigned char)s[i - 1]))
		i--;
	if (i < dend) {
		size_t dstart = i;
		while (i > 0 && is_space((unsigned char)s[i - 1]))
			i--;
		if (i == 0 || s[i - 1] != ':')
			return false;
		*period = (span){ s + dstart, dend - dstart };
		return true;
	}
	if (i == 0 || s[i - 1] != ':')
		return false;
	*period = (span){ NULL, 0 };
	return true;
}

/* ^\s*(\w+)\s*(.+) \((\S*)\)  — the symbol runs up to the LAST " (" whose
 * run of non-blanks holds a ')'; the dso ends at the last ')' of that run.
 * When the greedy parts leave no room for the symbol, the regex backtracks
 * to a one-byte symbol just before " (": reproduced for exactness. */
/* True when one of the 8 bytes of w is below 0x21 (blank or control):
 * the classic "hasless(w, 0x21)" bit trick, exact for such a test. */
static inline bool word_has_low_byte(uint64_t w)
{
	return ((w - 0x2121212121212121ULL) & ~w & 0x8080808080808080ULL) != 0;
}

static bool match_frame(const char *s, size_t n, span *func, span *mod)
{
	size_t i = 0;
	if (n > 0 && s[0] == '\t') /* perf's indent: a tab, then spaces */
		i++;
	while (i + 8 <= n && memcmp(s + i, "        ", 8) == 0)
		i += 8;
	while (i < n && is_space((unsigned char)s[i]))
		i++;
	size_t p0 = i;
	while (i < n && is_word((unsigned char)s[i]))
		i++;
	if (i == p0)
		return false;
	while (i < n && is_space((unsigned char)s[i]))
		i++;
	size_t w1 = i;
	size_t q = n;
	/* fast path, the shape perf prints: "... (dso)" at the end of the line,
	 * no blank inside the parentheses. The last '(' is then the last
	 * candidate, and a valid one. */
	if (n > 0 && s[n - 1] == ')') {
		const char *open = memrchr(s, '(', n);
		q = open ? (size_t)(open - s) : 0;
		if (q > p0 + 2 && s[q - 1] == ' ') {
			/* no blank (nor control byte, to be safe) up to the end */
			size_t k = q + 1;
			for (uint64_t w; k + 8 <= n; k += 8) {
				memcpy(&w, s + k, 8);
				if (word_has_low_byte(w))
					break;
			}
			while (k < n && (unsigned char)s[k] > ' ')
				k++;
			if (k == n) {
				size_t P = q - 1;
				size_t rs = P > w1 ? w1 : P - 1;
				*func = (span){ s + rs, P - rs };
				*mod = (span){ s + q + 1, n - 1 - (q + 1) };
				return true;
			}
		}
		q = n;
	}
	/* general case: candidates s[q-1] == ' ', s[q] == '(', q - 1 >= p0 + 2 */
	while (q > p0 + 2) {
		q--;
		if (s[q] != '(' || s[q - 1] != ' ')
			continue;
		size_t run = q + 1, close = 0;
		bool found = false;
		while (run < n && !is_space((unsigned char)s[run])) {
			if (s[run] == ')') {
				close = run;
				found = true;
			}
			run++;
		}
		if (!found)
			continue;
		size_t P = q - 1; /* the space of " (" */
		if (P < p0 + 2)
			return false;
		size_t rs = P > w1 ? w1 : P - 1;
		*func = (span){ s + rs, P - rs };
		*mod = (span){ s + q + 1, close - (q + 1) };
		return true;
	}
	return false;
}

/* \+0x[\da-f]+$  — strips a symbol offset. */
static size_t strip_offset(const char *s, size_t n)
{
	size_t i = n;
	while (i > 0 && (is_digit((unsigned char)s[i - 1]) || (s[i - 1] >= 'a' && s[i - 1] <= 'f')))
		i--;
	if (i == n || i < 3 || s[i - 1] != 'x' || s[i - 2] != '0' || s[i - 3] != '+')
		return n;
	return i - 3;
}

static bool span_eq(span a, const char *lit)
{
	size_t n = strlen(lit);
	return a.n == n && memcmp(a.p, lit, n) == 0;
}

static bool span_contains(span a, const char *lit)
{
	size_t n = strlen(lit);
	if (n > a.n)
		return false;
	return memmem(a.p, a.n, lit, n) != NULL;
}

/* ==== naming (the reference's per-frame rules) =========================== */

/* m/\.\(.*\)\./ — a Go method such as "net/http.(*Client).Do". */
static bool looks_like_go_method(const char *s, size_t n)
{
	const char *open = memmem(s, n, ".(", 2);
	if (!open)
		return false;
	size_t rest = n - (size_t)(open + 2 - s);
	return memmem(open + 2, rest, ").", 2) != NULL;
}

/* Appends one inline piece of a symbol, named as the reference does:
 * "[unknown]" -> "[dso basename]" when the dso is known; then ';' -> ':',
 * everything from the first '(' (not "(anonymous namespace)") dropped
 * unless it is a Go method, quotes deleted; Java's leading 'L' dropped;
 * then the "_[i]" (inlined) or "_[k]" (kernel, with --kernel) mark. */
static void name_piece(ms_buf *out, span piece, span mod, size_t index, bool java, bool kernel)
{
	size_t start = out->len;
	if (span_eq(piece, "[unknown]") && !span_eq(mod, "[unknown]")) {
		const char *slash = mod.n ? memrchr(mod.p, '/', mod.n) : NULL;
		const char *base = slash ? slash + 1 : mod.p;
		ms_buf_addch(out, '[');
		ms_buf_add(out, base, mod.n - (size_t)(base - mod.p));
		ms_buf_addch(out, ']');
	} else {
		ms_buf_add(out, piece.p, piece.n);
	}
	char *f = out->data + start;
	size_t n = out->len - start;
	for (size_t i = 0; i < n; i++)
		if (f[i] == ';')
			f[i] = ':';
	if (!looks_like_go_method(f, n)) {
		static const char anon[] = "anonymous namespace)";
		for (size_t i = 0; i < n; i++) {
			if (f[i] != '(')
				continue;
			if (n - i - 1 >= sizeof anon - 1 && memcmp(f + i + 1, anon, sizeof anon - 1) == 0)
				continue;
			n = i;
			break;
		}
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (f[i] != '"' && f[i] != '\'')
			f[k++] = f[i];
	n = k;
	if (java && n > 0 && f[0] == 'L' && memchr(f, '/', n)) {
		memmove(f, f + 1, n - 1);
		n--;
	}
	out->len = start + n;
	out->data[out->len] = '\0';
	if (index > 0) {
		if (!memmem(out->data + start, n, "_[i]", 4))
			ms_buf_addstr(out, "_[i]");
	} else if (kernel && mod.n > 0 && (mod.p[0] == '[' || (mod.n >= 7 && memcmp(mod.p + mod.n - 7, "vmlinux", 7) == 0)) &&
		   !span_contains(mod, "unknown")) {
		ms_buf_addstr(out, "_[k]");
	}
}

/* ==== the reader ========================================================== */

typedef struct stack_rec { /* per distinct stack (leaf first, the command name last) */
	int64_t count;  /* samples */
	int64_t weight; /* sum of periods (1 when a header has none) */
} stack_rec;

enum sample_state {
	OUTSIDE,  /* between samples */
	READING,  /* after a kept header */
	FILTERED, /* after a header of another event: frames ignored */
};

typedef struct perf_reader {
	ms_profile *p;
	bool pid, tid, kernel;

	/* frame line (symbol \0 dso \0 java-flag) -> location, MS_NONE = none */
	ms_strtab frame_keys;
	uint32_t *frame_loc;
	size_t frame_loc_cap;
	/* command name -> location */
	ms_strtab pnames;
	uint32_t *pname_loc;
	size_t pname_loc_cap;
	ms_buf key, name;

	/* the sample being read */
	enum sample_state state;
	uint32_t *cur;
	size_t ncur, cur_cap;
	uint32_t cur_pname;
	int64_t cur_weight;
	bool cur_java;
	unsigned long long cur_line;

	/* distinct stacks */
	ms_stackset stacks;
	stack_rec *recs; /* per distinct stack */
	size_t recs_cap;

	/* the event kept (the first one seen, as the reference does) */
	span event;
	bool have_event, any_period;
	int64_t first_period;

	/* what was skipped */
	unsigned long long bad_lines, first_bad;
	const char *first_bad_why;
	unsigned long long stray_frames, first_stray;
	unsigned long long other_event_samples;
	span other_event;
	unsigned long long unterminated, first_unterminated;
	bool overflow;
	unsigned long long overflow_line;
} perf_reader;


static void bad_line(perf_reader *r, unsigned long long lineno, const char *why)
{
	if (r->bad_lines++ == 0) {
		r->first_bad = lineno;
		r->first_bad_why = why;
	}
}

/* Records the finished sample: merges it into its distinct stack. */
static void end_sample(perf_reader *r)
{
	if (r->state != READING) {
		r->state = OUTSIDE;
		return;
	}
	r->state = OUTSIDE;
	MS_GROW(r->cur, r->ncur, r->cur_cap, 1);
	r->cur[r->ncur++] = r->cur_pname;
	int added;
	size_t k = ms_stackset_intern(&r->stacks, r->cur, r->ncur, &added);
	r->ncur = 0;
	if (added) {
		MS_GROW(r->recs, k, r->recs_cap, 1);
		r->recs[k] = (stack_rec){ 1, r->cur_weight };
		return;
	}
	stack_rec *s = &r->recs[k];
	s->count++;
	if (__builtin_add_overflow(s->weight, r->cur_weight, &s->weight) && !r->overflow) {
		r->overflow = true;
		r->overflow_line = r->cur_line;
	}
}

static uint32_t name_location(ms_profile *p, const char *name, size_t n)
{
	uint32_t fn = ms_profile_intern_function(p, ms_profile_strn(p, name, n), 0);
	return ms_profile_intern_frame(p, fn, 0);
}

/* Turns a modifier-free perf event name into the sample type. */
static bool is_modifier_suffix(span ev, size_t colon)
{
	if (colon + 1 >= ev.n)
		return false;
	for (size_t i = colon + 1; i < ev.n; i++)
		if (ev.p[i] == '\0' || !strchr("ukhGHpPSDIeW", ev.p[i]))
			return false;
	return true;
}

static void header_line(perf_reader *r, const char *s, size_t n, unsigned long long lineno, span comm, span pid,
	span tid)
{
	if (r->state == READING && r->ncur > 0 && r->unterminated++ == 0)
		r->first_unterminated = lineno;
	end_sample(r);

	span period = { NULL, 0 }, event;
	bool has_event = match_event(s, n, &period, &event);
	if (has_event) {
		if (!r->have_event) {
			r->event = event;
			r->have_event = true;
		} else if (event.n != r->event.n || memcmp(event.p, r->event.p, event.n) != 0) {
			if (r->other_event_samples++ == 0)
				r->other_event = event;
			r->state = FILTERED;
			return;
		}
	}
	/* Perl truth: an absent period or "0" means 1; "00" is a true string
	 * whose value is 0. */
	int64_t weight = 1;
	if (period.n > 0 && !(period.n == 1 && period.p[0] == '0')) {
		if (period.n > 18) {
			bad_line(r, lineno, "period out of range");
			r->state = FILTERED;
			return;
		}
		weight = 0;
		for (size_t i = 0; i < period.n; i++)
			weight = weight * 10 + (period.p[i] - '0');
		if (!r->any_period)
			r->first_period = weight;
		r->any_period = true;
	}

	/* the root frame: comm, comm-pid or comm-pid/tid (pid "?" when the
	 * header has no tid, as perf script prints only one number by default) */
	ms_buf *b = &r->name;
	ms_buf_reset(b);
	ms_buf_add(b, comm.p, comm.n);
	bool no_tid = tid.n == 0 || (tid.n == 1 && tid.p[0] == '0');
	if (r->tid || r->pid) {
		ms_buf_addch(b, '-');
		if (no_tid)
			ms_buf_addch(b, '?');
		else
			ms_buf_add(b, pid.p, pid.n);
	}
	if (r->tid) {
		ms_buf_addch(b, '/');
		if (no_tid)
			ms_buf_add(b, pid.p, pid.n);
		else
			ms_buf_add(b, tid.p, tid.n);
	}
	for (size_t i = 0; i < b->len; i++)
		if (b->data[i] == ' ')
			b->data[i] = '_';
	uint32_t id = ms_strtab_intern(&r->pnames, b->data, b->len);
	if (id >= r->pname_loc_cap) {
		size_t cap = r->pname_loc_cap ? r->pname_loc_cap * 2 : 64;
		while (cap <= id)
			cap *= 2;
		r->pname_loc = ms_xreallocarray(r->pname_loc, cap, sizeof *r->pname_loc);
		for (size_t k = r->pname_loc_cap; k < cap; k++)
			r->pname_loc[k] = MS_NONE;
		r->pname_loc_cap = cap;
	}
	if (r->pname_loc[id] == MS_NONE)
		r->pname_loc[id] = name_location(r->p, b->data, b->len);
	r->cur_pname = r->pname_loc[id];
	r->cur_java = b->len == 4 && memcmp(b->data, "java", 4) == 0;
	r->cur_weight = weight;
	r->cur_line = lineno;
	r->ncur = 0;
	r->state = READING;
}

/* The location for a frame line, computed once per distinct key. */
static uint32_t frame_location(perf_reader *r, span func, span mod, bool java)
{
	ms_buf *k = &r->key;
	ms_buf_reset(k);
	ms_buf_grow(k, func.n + mod.n + 3);
	memcpy(k->data, func.p, func.n);
	k->data[func.n] = '\0';
	memcpy(k->data + func.n + 1, mod.p, mod.n);
	k->data[func.n + 1 + mod.n] = '\0';
	k->data[func.n + 2 + mod.n] = java ? 'j' : '-';
	k->len = func.n + mod.n + 3;
	uint32_t id = ms_strtab_intern(&r->frame_keys, k->data, k->len);
	if (id < r->frame_loc_cap && r->frame_loc[id] != MS_NONE - 1)
		return r->frame_loc[id];
	if (id >= r->frame_loc_cap) {
		size_t cap = r->frame_loc_cap ? r->frame_loc_cap * 2 : 1024;
		while (cap <= id)
			cap *= 2;
		r->frame_loc = ms_xreallocarray(r->frame_loc, cap, sizeof *r->frame_loc);
		for (size_t i = r->frame_loc_cap; i < cap; i++)
			r->frame_loc[i] = MS_NONE - 1; /* not computed yet */
		r->frame_loc_cap = cap;
	}

	uint32_t loc = MS_NONE;
	if (func.n > 0 && func.p[0] != '(') { /* "(comm)" lines name processes: skipped */
		/* split /->/: pieces root-most first; trailing empty pieces dropped */
		span pieces[64];
		size_t np = 0;
		const char *p = func.p, *end = func.p + func.n;
		while (np < 64) {
			const char *arrow = memmem(p, (size_t)(end - p), "->", 2);
			if (!arrow || np == 63) {
				pieces[np++] = (span){ p, (size_t)(end - p) };
				break;
			}
			pieces[np++] = (span){ p, (size_t)(arrow - p) };
			p = arrow + 2;
		}
		while (np > 0 && pieces[np - 1].n == 0)
			np--;
		if (np == 1) {
			ms_buf_reset(&r->name);
			name_piece(&r->name, pieces[0], mod, 0, java, r->kernel);
			loc = name_location(r->p, r->name.data, r->name.len);
		} else if (np > 1) {
			/* one location with inlined lines, innermost (the last piece) first */
			ms_line lines[64];
			for (size_t i = 0; i < np; i++) {
				ms_buf_reset(&r->name);
				name_piece(&r->name, pieces[i], mod, i, java, r->kernel);
				uint32_t name = ms_profile_strn(r->p, r->name.data, r->name.len);
				lines[np - 1 - i] = (ms_line){ ms_profile_intern_function(r->p, name, 0), 0, 0 };
			}
			ms_location l = { 0 };
			l.mapping = MS_NONE;
			loc = ms_profile_add_location(r->p, &l, lines, np);
		}
	}
	r->frame_loc[id] = loc;
	return loc;
}

static void frame_line(perf_reader *r, span func, span mod)
{
	func.n = strip_offset(func.p, func.n);
	uint32_t loc = frame_location(r, func, mod, r->cur_java);
	if (loc == MS_NONE)
		return;
	MS_GROW(r->cur, r->ncur, r->cur_cap, 1);
	r->cur[r->ncur++] = loc;
}

static void reader_free(perf_reader *r)
{
	ms_strtab_free(&r->frame_keys);
	ms_strtab_free(&r->pnames);
	free(r->frame_loc);
	free(r->pname_loc);
	ms_buf_free(&r->key);
	ms_buf_free(&r->name);
	free(r->cur);
	ms_stackset_free(&r->stacks);
	free(r->recs);
}

static void warn_skips(const perf_reader *r, ms_buf *w)
{
	if (!w)
		return;
	if (r->bad_lines)
		ms_buf_addf(w, "skipped %llu unrecognised line%s (first at line %llu: %s)\n", r->bad_lines,
			r->bad_lines == 1 ? "" : "s", r->first_bad, r->first_bad_why);
	if (r->stray_frames)
		ms_buf_addf(w, "skipped %llu frame line%s outside any sample (first at line %llu)\n", r->stray_frames,
			r->stray_frames == 1 ? "" : "s", r->first_stray);
	if (r->unterminated)
		ms_buf_addf(w, "%llu sample%s not ended by a blank line (first before line %llu)\n", r->unterminated,
			r->unterminated == 1 ? "" : "s", r->first_unterminated);
	if (r->other_event_samples)
		ms_buf_addf(w, "skipped %llu sample%s of event '%.*s' (only the first event, '%.*s', is kept)\n",
			r->other_event_samples, r->other_event_samples == 1 ? "" : "s", (int)r->other_event.n,
			r->other_event.p, (int)r->event.n, r->event.p);
}

ms_profile *ms_perf_parse(const char *data, size_t n, const ms_load_opts *opts, ms_err *err)
{
	perf_reader r;
	memset(&r, 0, sizeof r);
	r.p = ms_profile_new();
	if (opts) {
		r.pid = opts->perf_pid;
		r.tid = opts->perf_tid;
		r.kernel = opts->perf_kernel;
	}
	ms_strtab_init(&r.frame_keys);
	ms_strtab_init(&r.pnames);

	const char *s = data, *end = data + n;
	unsigned long long lineno = 0;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		size_t len = (size_t)(e - s);
		lineno++;
		if (len > 0 && s[len - 1] == '\r')
			len--;
		if (len == 0) {
			end_sample(&r);
		} else if (s[0] == '#') {
			/* comments (perf script --header) */
		} else {
			span comm, pid, tid, func, mod;
			if (match_header(s, len, &comm, &pid, &tid)) {
				header_line(&r, s, len, lineno, comm, pid, tid);
			} else if (match_frame(s, len, &func, &mod)) {
				if (r.state == READING)
					frame_line(&r, func, mod);
				else if (r.state == OUTSIDE && r.stray_frames++ == 0)
					r.first_stray = lineno;
			} else {
				bad_line(&r, lineno, memchr(s, '\0', len) ? "binary data" : "neither a sample header nor a frame");
			}
		}
		s = nl ? nl + 1 : end;
	}
	bool cut = r.state == READING;
	unsigned long long cut_line = r.cur_line;

	ms_profile *p = r.p;
	if (r.overflow) {
		ms_seterr(err, "sample weights overflow 64 bits (at the sample of line %llu)", r.overflow_line);
		goto fail;
	}
	if (r.stacks.n == 0) {
		if (r.bad_lines)
			ms_seterr(err, "no samples: %llu line%s not recognised as perf script output (first at line %llu: %s)",
				r.bad_lines, r.bad_lines == 1 ? "" : "s", r.first_bad, r.first_bad_why);
		else if (cut)
			ms_seterr(err, "no complete sample: the input ends inside the sample of line %llu", cut_line);
		else
			ms_seterr(err, "no samples with stacks in perf script output (was it recorded with -g?)");
		goto fail;
	}

	/* sample types */
	ms_profile_add_type(p, "samples", "count");
	if (r.any_period) {
		span ev = r.event;
		const char *colon = memchr(ev.p, ':', ev.n);
		if (colon && is_modifier_suffix(ev, (size_t)(colon - ev.p)))
			ev.n = (size_t)(colon - ev.p);
		if (span_eq(ev, "cpu-clock") || span_eq(ev, "task-clock")) {
			ms_profile_add_type(p, "cpu", "nanoseconds");
		} else {
			char type[256];
			snprintf(type, sizeof type, "%.*s", (int)ev.n, ev.p);
			ms_profile_add_type(p, type, "count");
		}
		p->period_type = p->types[1];
		p->period = r.first_period;
		p->default_type = p->types[1].type;
	}
	for (size_t i = 0; i < r.stacks.n; i++) {
		size_t depth;
		const uint32_t *ids = ms_stackset_get(&r.stacks, i, &depth);
		int64_t v[2] = { r.recs[i].count, r.recs[i].weight };
		ms_profile_add_sample(p, ids, depth, v, NULL, 0);
	}
	if (opts && opts->warnings) {
		warn_skips(&r, opts->warnings);
		size_t with_frames = 0;
		for (size_t i = 0; i < r.stacks.n; i++)
			with_frames += r.stacks.depth[i] > 1;
		if (with_frames == 0)
			ms_buf_addstr(opts->warnings, "no sample has frames, only command names (was perf record run with -g?)\n");
		if (cut)
			ms_buf_addf(opts->warnings, "the input ends inside the sample of line %llu: it was dropped\n",
				cut_line);
	}
	reader_free(&r);
	if (ms_profile_validate(p, err) < 0) {
		ms_profile_free(p);
		return NULL;
	}
	return p;
fail:
	reader_free(&r);
	ms_profile_free(p);
	return NULL;
}

/* The line at *s (its length without "\r\n" in *len); *s moves past it. */
static const char *take_line(const char **s, const char *end, size_t *len)
{
	const char *line = *s;
	const char *nl = memchr(line, '\n', (size_t)(end - line));
	const char *e = nl ? nl : end;
	*len = (size_t)(e - line);
	if (*len > 0 && line[*len - 1] == '\r')
		(*len)--;
	*s = nl ? nl + 1 : end;
	return line;
}

/* "SECONDS.MICROS:" somewhere in the line: perf script's timestamp. */
static bool has_timestamp(const char *s, size_t n)
{
	for (size_t i = 1; i + 1 < n; i++) {
		if (s[i] != ':' || !is_digit((unsigned char)s[i - 1]))
			continue;
		size_t k = i;
		while (k > 0 && is_digit((unsigned char)s[k - 1]))
			k--;
		if (k > 1 && s[k - 1] == '.' && is_digit((unsigned char)s[k - 2]))
			return true;
	}
	return false;
}

int ms_perf_headers_only(const char *data, size_t n)
{
	const char *s = data, *end = data + n;
	int headers = 0;
	while (s < end && headers < 64) {
		size_t len;
		const char *line = take_line(&s, end, &len);
		while (len > 0 && is_space((unsigned char)line[0]))
			line++, len--;
		if (len == 0 || line[0] == '#')
			continue;
		size_t h = 0;
		while (h < len && isxdigit((unsigned char)line[h]))
			h++;
		if (h >= 4 && h < len && line[h] == ' ')
			return 0; /* "ADDRESS symbol (dso)": a stack frame */
		span a, b, c;
		if (!match_header(line, len, &a, &b, &c) || !has_timestamp(line, len))
			return 0;
		headers++;
	}
	return headers >= 2;
}

int ms_perf_sniff(const char *data, size_t n)
{
	const char *s = data, *end = data + n;
	int seen = 0;
	bool header = false;
	while (s < end && seen < 64) {
		size_t len;
		const char *line = take_line(&s, end, &len);
		for (size_t i = 0; i < len; i++) /* text only: binary has control bytes */
			if ((unsigned char)line[i] < 0x20 && line[i] != '\t')
				return 0;
		if (len == 0 || line[0] == '#')
			continue;
		seen++;
		span a, b, c;
		if (header)
			return match_frame(line, len, &a, &b);
		if (!match_header(line, len, &a, &b, &c))
			return 0;
		if (match_event(line, len, &a, &b))
			return 1;
		header = true;
	}
	return 0;
}
