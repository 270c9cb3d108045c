/* escape.c — the Go compiler's -m / -m=2 escape-analysis output read into
 * decisions per source position (the forms are listed in escape.h).
 *
 * One pass over the buffer, a line at a time (memchr), parsed in place:
 *  1. the position: the first ':' followed by digits (the line), an
 *     optional ":digits" (the column) and a ':' — so a path with a ':' in it
 *     ("C:\x.go", "a:b/x.go") still parses; the file is interned, the last
 *     one cached (the compiler prints a file's lines together);
 *  2. after the position: one space and a decision or context message, or
 *     several spaces and a step ("flow: ..." / "from ...") of the
 *     explanation opened by the last "... escapes to heap:" or "parameter
 *     ... leaks to ...:" line at the same position;
 *  3. at the end decisions are sorted by (file, line, col, kind, text),
 *     equal ones merged (Go 1.23 prints a generic function's decisions once
 *     per instantiation), and each gets the explanation printed at its
 *     position for its name (explanations go to stdout as they are found,
 *     decisions are sorted and flushed later, so their order differs). */
#include "config.h"
#include "profile/escape.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/io.h"

struct ms_esc_block {
	uint32_t file, line, col;
	int is_param;
	ms_esc_text expr;
	uint32_t step_off, nsteps;
};

const char *ms_esc_kind_name(int kind)
{
	static const char *const names[] = { "moved", "escapes", "noescape", "leak", "leak-content" };
	return (unsigned)kind < 5 ? names[kind] : "?";
}

static inline bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static bool has_prefix(const char *s, size_t n, const char *pre, size_t pn)
{
	return n >= pn && memcmp(s, pre, pn) == 0;
}

static bool has_suffix(const char *s, size_t n, const char *suf, size_t sn)
{
	return n >= sn && memcmp(s + n - sn, suf, sn) == 0;
}

#define PRE(s, n, lit) has_prefix((s), (n), lit, sizeof lit - 1)
#define SUF(s, n, lit) has_suffix((s), (n), lit, sizeof lit - 1)

/* Reads up to 9 digits at s[*i..e) into *v (line and column numbers). */
static bool digits(const char *s, size_t *i, size_t e, uint32_t *v)
{
	size_t k = *i;
	uint32_t x = 0;
	while (k < e && is_digit((unsigned char)s[k])) {
		if (k - *i >= 9)
			return false;
		x = x * 10 + (uint32_t)(s[k] - '0');
		k++;
	}
	if (k == *i)
		return false;
	*i = k;
	*v = x;
	return true;
}

/* Finds "FILE:LINE[:COL]:" at the start of s[0..n): the file's length, the
 * numbers and where the message starts (just past the ':'). */
static bool parse_pos(const char *s, size_t n, size_t *flen, uint32_t *line, uint32_t *col, size_t *rest)
{
	for (size_t i = 1; i < n; i++) {
		const char *c = memchr(s + i, ':', n - i);
		if (!c)
			return false;
		i = (size_t)(c - s);
		size_t k = i + 1;
		uint32_t l, co = 0;
		if (!digits(s, &k, n, &l))
			continue;
		if (k + 1 < n && s[k] == ':' && is_digit((unsigned char)s[k + 1])) {
			size_t k2 = k + 1;
			if (digits(s, &k2, n, &co) && k2 < n && s[k2] == ':') {
				*flen = i, *line = l, *col = co, *rest = k2 + 1;
				return true;
			}
			co = 0;
		}
		if (k < n && s[k] == ':') {
			*flen = i, *line = l, *col = 0, *rest = k + 1;
			return true;
		}
	}
	return false;
}

typedef struct reader {
	ms_esc_log *log;
	const char *base;
	const char *last_file;
	size_t last_flen;
	uint32_t last_id;
	size_t open;       /* index + 1 of the explanation being read, 0 = none */
	const char *open_pos;
	size_t open_plen;
} reader;

static ms_esc_text text(const reader *r, const char *s, size_t n)
{
	ms_esc_text t = { (uint64_t)(s - r->base), (uint32_t)n };
	return t;
}

static uint32_t file_id(reader *r, const char *s, size_t n)
{
	while (n > 2 && s[0] == '.' && s[1] == '/')
		s += 2, n -= 2;
	if (r->last_file && n == r->last_flen && memcmp(s, r->last_file, n) == 0)
		return r->last_id;
	r->last_file = s;
	r->last_flen = n;
	r->last_id = ms_strtab_intern(&r->log->files, s, n);
	return r->last_id;
}

/* "WHERE (WHY) at AT": WHY is the last parenthesised group before " at ". */
static void parse_from(const reader *r, const char *s, size_t n, ms_esc_step *st)
{
	st->text = text(r, s, n);
	st->why = st->at = text(r, s + n, 0);
	size_t at = n; /* just past the last " at " */
	while (at >= 4 && !(s[at - 1] == ' ' && s[at - 2] == 't' && s[at - 3] == 'a' && s[at - 4] == ' '))
		at--;
	if (at < 4)
		return;
	size_t close = at - 4; /* index just past WHY's ')' */
	if (close == 0 || s[close - 1] != ')')
		return;
	size_t depth = 0, i = close;
	while (i > 0) {
		char c = s[--i];
		if (c == ')')
			depth++;
		else if (c == '(' && --depth == 0)
			break;
	}
	if (depth != 0 || i == 0 || s[i - 1] != ' ')
		return;
	st->text = text(r, s, i - 1);
	st->why = text(r, s + i + 1, close - i - 2);
	st->at = text(r, s + at, n - at);
}

static void add_decision(reader *r, uint32_t file, uint32_t line, uint32_t col, int kind, const char *e, size_t en)
{
	ms_esc_log *log = r->log;
	ms_esc_decision d = { file, line, col, (uint32_t)kind, text(r, e, en), 0, 0 };
	MS_PUSH(log->d, log->nd, log->dcap, d);
}

static void open_block(reader *r, uint32_t file, uint32_t line, uint32_t col, int is_param, const char *e, size_t en,
	const char *pos, size_t plen)
{
	ms_esc_log *log = r->log;
	ms_esc_block b = { file, line, col, is_param, text(r, e, en), (uint32_t)log->nsteps, 0 };
	MS_PUSH(log->blocks, log->nblocks, log->blockcap, b);
	r->open = log->nblocks;
	r->open_pos = pos;
	r->open_plen = plen;
}

/* One line s[0..n) without its newline. */
static void parse_line(reader *r, const char *s, size_t n)
{
	ms_esc_log *log = r->log;
	if (n && s[n - 1] == '\r')
		n--;
	size_t flen, rest;
	uint32_t line, col;
	if (n == 0 || s[0] == '#') { /* "# example.com/pkg" */
		r->open = 0;
		return;
	}
	if (!parse_pos(s, n, &flen, &line, &col, &rest) || flen == 0) {
		r->open = 0;
		log->nbad++;
		if (!log->first_bad)
			log->first_bad = log->nlines;
		return;
	}
	const char *m = s + rest;
	size_t mn = n - rest, sp = 0;
	while (sp < mn && m[sp] == ' ')
		sp++;
	if (sp >= 2) { /* a step of the open explanation */
		m += sp, mn -= sp;
		if (!r->open || r->open_plen != rest || memcmp(r->open_pos, s, rest) != 0) {
			log->ncontext++;
			return;
		}
		ms_esc_step st;
		memset(&st, 0, sizeof st);
		if (PRE(m, mn, "flow: ")) {
			st.is_flow = 1;
			size_t tn = mn - 6;
			if (tn && m[mn - 1] == ':')
				tn--;
			st.text = text(r, m + 6, tn);
			st.why = st.at = text(r, m + mn, 0);
		} else if (PRE(m, mn, "from ")) {
			parse_from(r, m + 5, mn - 5, &st);
		} else {
			log->ncontext++;
			return;
		}
		MS_PUSH(log->steps, log->nsteps, log->stepcap, st);
		log->blocks[r->open - 1].nsteps++;
		return;
	}
	r->open = 0;
	if (sp != 1) {
		log->ncontext++;
		return;
	}
	m++, mn--;
	uint32_t file = file_id(r, s, flen);
	if (PRE(m, mn, "moved to heap: ")) {
		add_decision(r, file, line, col, MS_ESC_MOVED, m + 15, mn - 15);
	} else if (SUF(m, mn, " escapes to heap:")) {
		open_block(r, file, line, col, 0, m, mn - 17, s, rest);
	} else if (SUF(m, mn, " escapes to heap")) {
		add_decision(r, file, line, col, MS_ESC_ESCAPES, m, mn - 16);
	} else if (SUF(m, mn, " does not escape")) {
		add_decision(r, file, line, col, MS_ESC_NOESCAPE, m, mn - 16);
	} else if (SUF(m, mn, " does not escape, mutate, or call")) {
		add_decision(r, file, line, col, MS_ESC_NOESCAPE, m, mn - 33);
	} else if (PRE(m, mn, "leaking param content: ")) {
		add_decision(r, file, line, col, MS_ESC_LEAK_CONTENT, m + 23, mn - 23);
	} else if (PRE(m, mn, "leaking param: ")) {
		const char *e = m + 15;
		size_t en = mn - 15;
		const char *to = memchr(e, ' ', en); /* "x to result ~r0 level=0" */
		add_decision(r, file, line, col, MS_ESC_LEAK, e, to ? (size_t)(to - e) : en);
	} else if (PRE(m, mn, "parameter ") && SUF(m, mn, ":")) {
		const char *e = m + 10;
		size_t en = mn - 11;
		const char *to = memchr(e, ' ', en); /* "x leaks to {heap} with derefs=0" */
		open_block(r, file, line, col, 1, e, to ? (size_t)(to - e) : en, s, rest);
	} else {
		log->ncontext++; /* can inline, inlining call to, capturing by, ... */
	}
}

static int cmp_text(const ms_esc_log *log, ms_esc_text a, ms_esc_text b)
{
	size_t n = a.len < b.len ? a.len : b.len;
	int c = memcmp(ms_esc_str(log, a), ms_esc_str(log, b), n);
	return c ? c : (a.len > b.len) - (a.len < b.len);
}

#define CMP_FIELD(a, b, f)                          \
	do {                                        \
		if ((a)->f != (b)->f)               \
			return (a)->f < (b)->f ? -1 : 1; \
	} while (0)

static int cmp_decision_r(const ms_esc_log *log, const ms_esc_decision *a, const ms_esc_decision *b)
{
	CMP_FIELD(a, b, file);
	CMP_FIELD(a, b, line);
	CMP_FIELD(a, b, col);
	CMP_FIELD(a, b, kind);
	return cmp_text(log, a->expr, b->expr);
}

static int cmp_block_pos(const ms_esc_block *a, const ms_esc_block *b)
{
	CMP_FIELD(a, b, file);
	CMP_FIELD(a, b, line);
	CMP_FIELD(a, b, col);
	return a->step_off < b->step_off ? -1 : a->step_off > b->step_off;
}

/* Sorting with the log as context (qsort has none in C11, and a global
 * would be mutable state): a merge sort, stable. */
#define DEFINE_MSORT(name, T, cmp_expr)                                                   \
	static void name(const ms_esc_log *log, T *v, T *tmp, size_t n)                   \
	{                                                                                 \
		(void)log;                                                                \
		if (n < 2)                                                                \
			return;                                                           \
		size_t h = n / 2;                                                         \
		name(log, v, tmp, h);                                                     \
		name(log, v + h, tmp, n - h);                                             \
		size_t i = 0, j = h, k = 0;                                               \
		while (i < h && j < n) {                                                  \
			const T *a = &v[i], *b = &v[j];                                   \
			tmp[k++] = (cmp_expr) <= 0 ? v[i++] : v[j++];                     \
		}                                                                         \
		while (i < h)                                                             \
			tmp[k++] = v[i++];                                                \
		while (j < n)                                                             \
			tmp[k++] = v[j++];                                                \
		memcpy(v, tmp, n * sizeof *v);                                            \
	}

DEFINE_MSORT(sort_decisions, ms_esc_decision, cmp_decision_r(log, a, b))
DEFINE_MSORT(sort_blocks, ms_esc_block, cmp_block_pos(a, b))

static void finish(ms_esc_log *log)
{
	ms_esc_decision *tmp = ms_xcalloc(log->nd ? log->nd : 1, sizeof *tmp);
	sort_decisions(log, log->d, tmp, log->nd);
	free(tmp);
	ms_esc_block *btmp = ms_xcalloc(log->nblocks ? log->nblocks : 1, sizeof *btmp);
	sort_blocks(log, log->blocks, btmp, log->nblocks);
	free(btmp);
	size_t k = 0;
	for (size_t i = 0; i < log->nd; i++) {
		if (k && cmp_decision_r(log, &log->d[k - 1], &log->d[i]) == 0)
			continue;
		log->d[k++] = log->d[i];
	}
	log->nd = k;
	/* Explanations: the first at the decision's position for its name. */
	size_t b = 0;
	for (size_t i = 0; i < log->nd; i++) {
		ms_esc_decision *d = &log->d[i];
		if (d->kind == MS_ESC_NOESCAPE || d->kind == MS_ESC_LEAK_CONTENT)
			continue;
		while (b < log->nblocks) {
			const ms_esc_block *x = &log->blocks[b];
			if (x->file > d->file || (x->file == d->file && (x->line > d->line ||
				(x->line == d->line && x->col >= d->col))))
				break;
			b++;
		}
		for (size_t j = b; j < log->nblocks; j++) {
			const ms_esc_block *x = &log->blocks[j];
			if (x->file != d->file || x->line != d->line || x->col != d->col)
				break;
			if (x->is_param == (d->kind == MS_ESC_LEAK) && x->nsteps && cmp_text(log, x->expr, d->expr) == 0) {
				d->step_off = x->step_off;
				d->nsteps = x->nsteps;
				log->nexplained++;
				break;
			}
		}
	}
	free(log->blocks);
	log->blocks = NULL;
	log->nblocks = log->blockcap = 0;
}

static int parse_owned(ms_esc_log *log, const char *name, ms_err *err);

int ms_esc_parse(ms_esc_log *log, const char *data, size_t n, const char *name, ms_err *err)
{
	memset(log, 0, sizeof *log);
	ms_strtab_init(&log->files);
	ms_buf_add(&log->data, data, n);
	log->text = log->data.data ? log->data.data : "";
	log->len = log->data.len;
	return parse_owned(log, name, err);
}

static int parse_owned(ms_esc_log *log, const char *name, ms_err *err)
{
	reader r;
	memset(&r, 0, sizeof r);
	r.log = log;
	r.base = log->text;
	const char *s = r.base, *end = s + log->len;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		log->nlines++;
		if ((size_t)(e - s) > UINT32_MAX) {
			log->nbad++;
			if (!log->first_bad)
				log->first_bad = log->nlines;
		} else {
			parse_line(&r, s, (size_t)(e - s));
		}
		s = nl ? nl + 1 : end;
	}
	finish(log);
	if (log->nd == 0) {
		ms_seterr(err, "%s: no escape-analysis lines in %zu line%s (the stderr of go build -gcflags=-m=2 is one)",
			name, log->nlines, log->nlines == 1 ? "" : "s");
		ms_esc_free(log);
		return -1;
	}
	return 0;
}

int ms_esc_read(ms_esc_log *log, const char *path, ms_err *err)
{
	memset(log, 0, sizeof *log);
	ms_strtab_init(&log->files);
	/* A regular file that is not gzip is mapped, read in order: no copy,
	 * and a 200 MB log costs no 200 MB buffer (its clean pages can be
	 * dropped by the kernel). */
	int fd = strcmp(path, "-") != 0 ? ms_open_input(path, 0, err) : -1;
	struct stat st;
	unsigned char magic[2] = { 0, 0 };
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 2 &&
		(uint64_t)st.st_size <= SIZE_MAX && pread(fd, magic, 2, 0) == 2 && !ms_is_gzip(magic, 2)) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m != MAP_FAILED) {
			(void)madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
			log->map = m;
			log->maplen = (size_t)st.st_size;
			log->text = m;
			log->len = log->maplen;
		}
	}
	if (fd >= 0)
		close(fd);
	else if (strcmp(path, "-") != 0) {
		ms_esc_free(log);
		return -1;
	}
	if (!log->map) {
		if (ms_read_all(path, &log->data, err) < 0) {
			ms_esc_free(log);
			return -1;
		}
		log->text = log->data.data ? log->data.data : "";
		log->len = log->data.len;
	}
	return parse_owned(log, path, err);
}

void ms_esc_free(ms_esc_log *log)
{
	ms_buf_free(&log->data);
	if (log->map)
		munmap(log->map, log->maplen);
	ms_strtab_free(&log->files);
	free(log->d);
	free(log->steps);
	free(log->blocks);
	memset(log, 0, sizeof *log);
}

size_t ms_esc_at(const ms_esc_log *log, uint32_t file, uint32_t line, size_t *first)
{
	size_t lo = 0, hi = log->nd;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const ms_esc_decision *d = &log->d[mid];
		if (d->file < file || (d->file == file && d->line < line))
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t k = lo;
	while (k < log->nd && log->d[k].file == file && log->d[k].line == line)
		k++;
	*first = lo;
	return k - lo;
}

/* Strips "./" and "../" from the front: what is left is a path suffix. */
static const char *strip_rel(const char *s)
{
	for (;;) {
		if (s[0] == '.' && s[1] == '/')
			s += 2;
		else if (s[0] == '.' && s[1] == '.' && s[2] == '/')
			s += 3;
		else
			return s;
	}
}

/* Length of the shorter of a, b when it is a suffix of the longer one
 * starting at a '/' boundary, else 0. */
static size_t suffix_match(const char *a, size_t an, const char *b, size_t bn)
{
	if (an > bn) {
		const char *t = a;
		size_t tn = an;
		a = b, an = bn, b = t, bn = tn;
	}
	if (an == 0 || memcmp(b + bn - an, a, an) != 0)
		return 0;
	if (an < bn && b[bn - an - 1] != '/' && a[0] != '/')
		return 0;
	return an;
}

uint32_t ms_esc_file_match(const ms_esc_log *log, const char *path)
{
	path = strip_rel(path);
	size_t pn = strlen(path), best = 0;
	uint32_t id = UINT32_MAX;
	for (uint32_t f = 0; f < log->files.n; f++) {
		const char *a = strip_rel(log->files.str[f]);
		size_t m = suffix_match(a, strlen(a), path, pn);
		if (m > best)
			best = m, id = f;
	}
	return id;
}
