/* escape_join.c — allocation sites of a profile joined with the compiler's
 * escape decisions (escape_join.h), the short reasons, and the stack-to-heap
 * changes between two builds (the CI gate's findings).
 *
 * Join: for every sample, the frames leaf to root (inlined lines innermost
 * first); the leaf's file is matched against the log's files (cached per
 * profile string id); if it is not in the log, the first frame that is
 * becomes "via". Records (leaf function, leaf line, via function, via
 * line, bytes, objects) are sorted and summed per key, then each site's
 * line is looked up in the log (binary search). */
#include "config.h"
#include "analysis/escape_join.h"

#include <stdlib.h>
#include <string.h>

#include "util/severity.h"

const char *ms_esc_verdict_name(int v)
{
	static const char *const names[] = { "heap", "stack", "none", "call", "outside" };
	return (unsigned)v < 5 ? names[v] : "?";
}

int ms_esc_verdict_of(const ms_esc_log *log, size_t first, size_t n)
{
	int stack = 0;
	for (size_t i = first; i < first + n; i++) {
		if (ms_esc_is_heap((int)log->d[i].kind))
			return MS_ESCV_HEAP;
		if (log->d[i].kind == MS_ESC_NOESCAPE)
			stack = 1;
	}
	return stack ? MS_ESCV_STACK : MS_ESCV_NONE;
}

#define FILE_UNKNOWN (UINT32_MAX - 1)

typedef struct file_cache {
	const ms_esc_log *log;
	const ms_profile *p;
	uint32_t *of; /* profile string id -> log file, FILE_UNKNOWN until asked */
} file_cache;

static void cache_init(file_cache *c, const ms_esc_log *log, const ms_profile *p)
{
	c->log = log;
	c->p = p;
	c->of = ms_xreallocarray(NULL, p->strings.n ? p->strings.n : 1, sizeof *c->of);
	for (size_t i = 0; i < p->strings.n; i++)
		c->of[i] = FILE_UNKNOWN;
}

/* The Go runtime's own sources: GOROOT/src/runtime/... or, built with
 * -trimpath, runtime/... (also runtime/internal/...). */
static int is_runtime_file(const char *f)
{
	return strncmp(f, "runtime/", 8) == 0 || strstr(f, "/src/runtime/") != NULL;
}

/* The log's file for a function's file; UINT32_MAX when none, and for the
 * runtime's files: a profile's leaf there is a runtime routine linked under
 * another package's name (reflect.mapassign_faststr0, sync.runtime_...),
 * Go's heap profile hides the others, so the allocation is explained at the
 * first caller outside the runtime, not at a runtime line or at
 * runtime.main. */
static uint32_t cache_file(file_cache *c, uint32_t function)
{
	uint32_t s = c->p->functions[function].filename;
	if (c->of[s] == FILE_UNKNOWN) {
		const char *f = ms_profile_string(c->p, s);
		c->of[s] = is_runtime_file(f) ? UINT32_MAX : ms_esc_file_match(c->log, f);
	}
	return c->of[s];
}

typedef struct rec {
	uint32_t fn, via_fn, inl_fn;
	int64_t line, via_line, inl_line;
	int64_t bytes, objects;
} rec;

static int cmp_key(const rec *a, const rec *b)
{
	if (a->fn != b->fn)
		return a->fn < b->fn ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->via_fn != b->via_fn)
		return a->via_fn < b->via_fn ? -1 : 1;
	if (a->via_line != b->via_line)
		return a->via_line < b->via_line ? -1 : 1;
	if (a->inl_fn != b->inl_fn)
		return a->inl_fn < b->inl_fn ? -1 : 1;
	if (a->inl_line != b->inl_line)
		return a->inl_line < b->inl_line ? -1 : 1;
	return 0;
}

static int cmp_rec(const void *x, const void *y) { return cmp_key(x, y); }

static int cmp_site(const void *x, const void *y)
{
	const ms_esc_site *a = x, *b = y;
	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	if (a->function != b->function)
		return a->function < b->function ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->via_line < b->via_line ? -1 : a->via_line > b->via_line;
}

/* The *_objects type beside a *_space one (alloc_space -> alloc_objects). */
static size_t objects_type(const ms_profile *p, size_t vi)
{
	const char *t = ms_profile_string(p, p->types[vi].type);
	size_t n = strlen(t);
	if (n < 6 || strcmp(t + n - 6, "_space") != 0)
		return SIZE_MAX;
	for (size_t i = 0; i < p->ntypes; i++) {
		const char *u = ms_profile_string(p, p->types[i].type);
		if (strncmp(u, t, n - 6) == 0 && strcmp(u + n - 6, "_objects") == 0)
			return i;
	}
	return SIZE_MAX;
}

static int same_expr(const ms_esc_log *log, const ms_esc_decision *a, const ms_esc_decision *b)
{
	return a->expr.len == b->expr.len && memcmp(ms_esc_str(log, a->expr), ms_esc_str(log, b->expr), a->expr.len) == 0;
}

/* The inlined copy's decisions, at the call line, when they are about the
 * same name or expression as a heap decision at the inlined line. */
static void use_inlined_copy(file_cache *fc, ms_esc_site *st)
{
	const ms_esc_log *log = fc->log;
	uint32_t f = cache_file(fc, st->inl_function);
	if (f == UINT32_MAX || st->inl_line <= 0 || st->inl_line > UINT32_MAX)
		return;
	size_t first, n = ms_esc_at(log, f, (uint32_t)st->inl_line, &first);
	for (size_t i = st->dfirst; i < st->dfirst + st->nd; i++) {
		if (!ms_esc_is_heap((int)log->d[i].kind))
			continue;
		for (size_t k = first; k < first + n; k++)
			if (ms_esc_is_heap((int)log->d[k].kind) && same_expr(log, &log->d[i], &log->d[k])) {
				st->log_file = f;
				st->log_line = (uint32_t)st->inl_line;
				st->dfirst = first;
				st->nd = n;
				st->inl_used = 1;
				return;
			}
	}
}

void ms_esc_join_build(ms_esc_join *j, const ms_esc_log *log, const ms_profile *p, size_t vi)
{
	memset(j, 0, sizeof *j);
	j->value_index = vi;
	j->objects_index = objects_type(p, vi);
	file_cache fc;
	cache_init(&fc, log, p);
	rec *recs = NULL;
	size_t nrec = 0, cap = 0;
	for (size_t s = 0; s < p->nsamples; s++) {
		const int64_t *v = ms_sample_values(p, s);
		j->total += v[vi];
		if (v[vi] == 0 || p->samples[s].depth == 0)
			continue;
		const uint32_t *stk = ms_sample_stack(p, s);
		rec r = { MS_NONE, MS_NONE, MS_NONE, 0, 0, 0, v[vi], j->objects_index != SIZE_MAX ? v[j->objects_index] : 0 };
		for (uint32_t k = 0; k < p->samples[s].depth; k++) {
			const ms_location *loc = &p->locations[stk[k]];
			uint32_t l;
			for (l = 0; l < loc->nlines; l++) {
				const ms_line *ln = &p->lines[loc->line_off + l];
				if (r.fn == MS_NONE) {
					r.fn = ln->function;
					r.line = ln->line;
					if (cache_file(&fc, ln->function) != UINT32_MAX) {
						if (loc->nlines > 1) {
							const ms_line *out = &p->lines[loc->line_off + loc->nlines - 1];
							r.inl_fn = out->function;
							r.inl_line = out->line;
						}
						break;
					}
				} else if (cache_file(&fc, ln->function) != UINT32_MAX) {
					r.via_fn = ln->function;
					r.via_line = ln->line;
					break;
				}
			}
			if (l < loc->nlines)
				break;
		}
		if (r.fn == MS_NONE)
			continue; /* no symbolized frame at all */
		MS_PUSH(recs, nrec, cap, r);
	}
	if (nrec)
		qsort(recs, nrec, sizeof *recs, cmp_rec);
	size_t cap2 = 0;
	for (size_t i = 0; i < nrec;) {
		size_t k = i + 1;
		ms_esc_site st;
		memset(&st, 0, sizeof st);
		st.function = recs[i].fn;
		st.line = recs[i].line;
		st.via_function = recs[i].via_fn;
		st.via_line = recs[i].via_line;
		st.inl_function = recs[i].inl_fn;
		st.inl_line = recs[i].inl_line;
		st.bytes = recs[i].bytes;
		st.objects = recs[i].objects;
		for (; k < nrec && cmp_key(&recs[i], &recs[k]) == 0; k++) {
			st.bytes += recs[k].bytes;
			st.objects += recs[k].objects;
		}
		i = k;
		uint32_t lf = cache_file(&fc, st.function);
		int64_t line = st.line;
		if (lf == UINT32_MAX && st.via_function != MS_NONE) {
			lf = cache_file(&fc, st.via_function);
			line = st.via_line;
		}
		st.log_file = lf;
		if (lf == UINT32_MAX) {
			st.verdict = MS_ESCV_OUTSIDE;
		} else {
			st.log_line = line > 0 && line <= UINT32_MAX ? (uint32_t)line : 0;
			st.nd = ms_esc_at(log, lf, st.log_line, &st.dfirst);
			if (st.inl_function != MS_NONE)
				use_inlined_copy(&fc, &st);
			st.verdict = st.via_function != MS_NONE ? MS_ESCV_CALL : ms_esc_verdict_of(log, st.dfirst, st.nd);
		}
		MS_PUSH(j->sites, j->n, cap2, st);
	}
	free(recs);
	free(fc.of);
	if (j->n)
		qsort(j->sites, j->n, sizeof *j->sites, cmp_site);
}

void ms_esc_join_free(ms_esc_join *j)
{
	free(j->sites);
	memset(j, 0, sizeof *j);
}

int *ms_esc_frame_verdicts(const ms_esc_log *log, const ms_profile *p, const ms_frame_map *fm)
{
	size_t nf = ms_frame_count(fm);
	int *v = ms_xcalloc(nf ? nf : 1, sizeof *v);
	for (size_t i = 0; i < nf; i++)
		v[i] = MS_ESCV_OUTSIDE;
	file_cache fc;
	cache_init(&fc, log, p);
	for (size_t i = 0; i < p->nlocations; i++) {
		const ms_location *loc = &p->locations[i];
		for (uint32_t l = 0; l < loc->nlines; l++) {
			const ms_line *ln = &p->lines[loc->line_off + l];
			uint32_t f = cache_file(&fc, ln->function);
			uint32_t id = fm->frames[fm->off[i] + l];
			if (f == UINT32_MAX || ln->line <= 0 || ln->line > UINT32_MAX)
				continue;
			size_t first, n = ms_esc_at(log, f, (uint32_t)ln->line, &first);
			int x = ms_esc_verdict_of(log, first, n);
			/* frames shared by equal names: the most telling verdict wins */
			if (x < v[id])
				v[id] = x;
		}
	}
	free(fc.of);
	return v;
}

/* ---- reasons ------------------------------------------------------------ */
static void add_text(ms_buf *b, const ms_esc_log *log, ms_esc_text t)
{
	ms_buf_add(b, ms_esc_str(log, t), t.len);
}

static int text_is(const ms_esc_log *log, ms_esc_text t, const char *s)
{
	return t.len == strlen(s) && memcmp(ms_esc_str(log, t), s, t.len) == 0;
}

static void add_note(ms_buf *b, const ms_esc_log *log, const ms_esc_step *st, int with_why)
{
	ms_buf_addch(b, '`');
	add_text(b, log, st->text);
	ms_buf_addch(b, '`');
	if (with_why && st->why.len) {
		ms_buf_addstr(b, " (");
		add_text(b, log, st->why);
		ms_buf_addch(b, ')');
	}
	if (st->at.len) {
		ms_buf_addstr(b, " at ");
		add_text(b, log, st->at);
	}
}

void ms_esc_reason(const ms_esc_log *log, const ms_esc_decision *d, const char *func, ms_buf *out)
{
	switch (d->kind) {
	case MS_ESC_MOVED:
		ms_buf_addstr(out, "moved to heap: ");
		add_text(out, log, d->expr);
		break;
	case MS_ESC_ESCAPES:
		add_text(out, log, d->expr);
		ms_buf_addstr(out, " escapes to heap");
		break;
	case MS_ESC_NOESCAPE:
		add_text(out, log, d->expr);
		ms_buf_addstr(out, " does not escape");
		return;
	default:
		ms_buf_addstr(out, d->kind == MS_ESC_LEAK ? "leaking param: " : "leaking param content: ");
		add_text(out, log, d->expr);
		break;
	}
	const ms_esc_step *st = d->nsteps ? log->steps + d->step_off : NULL, *last = NULL, *ret = NULL, *size = NULL, *clo = NULL;
	for (uint32_t i = 0; i < d->nsteps; i++) {
		if (st[i].is_flow)
			continue;
		last = &st[i];
		if (!size && (text_is(log, st[i].why, "too large for stack") || text_is(log, st[i].why, "non-constant size")))
			size = &st[i];
		if (!ret && text_is(log, st[i].why, "return"))
			ret = &st[i];
		if (!clo && text_is(log, st[i].why, "captured by a closure"))
			clo = &st[i];
	}
	if (!last)
		return;
	ms_buf_addstr(out, "; ");
	if (size) {
		add_text(out, log, size->why);
		ms_buf_addstr(out, " (");
		add_note(out, log, size, 0);
		ms_buf_addch(out, ')');
	} else if (ret) {
		ms_buf_addf(out, "returned from %s: ", func && *func ? func : "its function");
		add_note(out, log, ret, 0);
	} else if (clo) {
		ms_buf_addstr(out, "captured by a closure");
		if (clo->at.len) {
			ms_buf_addstr(out, " at ");
			add_text(out, log, clo->at);
		}
		if (last != clo && last->why.len && !text_is(log, last->why, "reference")) {
			ms_buf_addstr(out, ", then ");
			add_note(out, log, last, 1);
		}
	} else {
		ms_buf_addstr(out, "flows through ");
		add_note(out, log, last, 1);
	}
}

/* ---- the gate's findings ------------------------------------------------ */
static int same_text(const ms_esc_log *a, ms_esc_text x, const ms_esc_log *b, ms_esc_text y)
{
	return x.len == y.len && memcmp(ms_esc_str(a, x), ms_esc_str(b, y), x.len) == 0;
}

/* Heap decisions with text t in file f of log. */
static size_t count_heap(const ms_esc_log *log, uint32_t f, const ms_esc_log *tl, ms_esc_text t)
{
	size_t first, n = 0;
	ms_esc_at(log, f, 0, &first);
	for (size_t i = first; i < log->nd && log->d[i].file == f; i++)
		if (ms_esc_is_heap((int)log->d[i].kind) && same_text(log, log->d[i].expr, tl, t))
			n++;
	return n;
}

static int cmp_change(const void *x, const void *y)
{
	const ms_esc_change *a = x, *b = y;
	if (a->bytes != b->bytes)
		return a->bytes > b->bytes ? -1 : 1;
	return a->d < b->d ? -1 : a->d > b->d;
}

size_t ms_esc_new_heap(const ms_esc_log *oldl, const ms_esc_log *newl, const ms_esc_join *j,
	unsigned long long min_bytes, ms_esc_change **out)
{
	ms_esc_change *c = NULL;
	size_t n = 0, cap = 0;
	uint32_t *fmap = ms_xreallocarray(NULL, newl->files.n ? newl->files.n : 1, sizeof *fmap);
	for (uint32_t f = 0; f < newl->files.n; f++) {
		uint32_t id = ms_strtab_find(&oldl->files, newl->files.str[f], newl->files.len[f]);
		fmap[f] = id != UINT32_MAX ? id : ms_esc_file_match(oldl, newl->files.str[f]);
	}
	for (size_t i = 0; i < newl->nd; i++) {
		const ms_esc_decision *d = &newl->d[i];
		if (!ms_esc_is_heap((int)d->kind))
			continue;
		uint32_t of = fmap[d->file];
		if (of != UINT32_MAX) {
			size_t first, k = ms_esc_at(oldl, of, d->line, &first), x;
			for (x = first; x < first + k; x++)
				if (ms_esc_is_heap((int)oldl->d[x].kind) && same_text(oldl, oldl->d[x].expr, newl, d->expr))
					break;
			if (x < first + k)
				continue;
			if (count_heap(oldl, of, newl, d->expr) >= count_heap(newl, d->file, newl, d->expr))
				continue;
		}
		ms_esc_change ch = { i, 0, 0, MS_NONE, MS_SEV_INFO };
		for (size_t s = 0; s < j->n; s++) {
			const ms_esc_site *st = &j->sites[s];
			if (st->log_file == d->file && st->log_line == d->line && st->via_function == MS_NONE) {
				ch.bytes += st->bytes;
				ch.objects += st->objects;
				if (ch.function == MS_NONE)
					ch.function = st->function;
			}
		}
		ch.severity = (unsigned long long)(ch.bytes > 0 ? ch.bytes : 0) >= min_bytes ? MS_SEV_CRITICAL
			: ch.bytes > 0 ? MS_SEV_WARN : MS_SEV_INFO;
		MS_PUSH(c, n, cap, ch);
	}
	free(fmap);
	if (n)
		qsort(c, n, sizeof *c, cmp_change);
	*out = c;
	return n;
}
