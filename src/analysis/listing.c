/* listing.c (API in listing.h) — pprof -list: per-line weights of the
 * functions matching a regex, with their source found like pprof finds it. */
#include "config.h"
#include "analysis/listing.h"
#include "util/buf.h"
#include "util/regex.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Go's path rules (path/filepath on Unix) ----------------------------- */

/* filepath.Dir: everything before the last '/', cleaned ("." for none). */
static char *go_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return ms_xstrdup(".");
	size_t n = (size_t)(slash - path) + 1;
	char *d = ms_xmalloc(n + 1);
	memcpy(d, path, n);
	d[n] = '\0';
	char *c = ms_frame_clean_path(d);
	free(d);
	return c;
}

/* filepath.Join(dir, path): cleaned; an empty dir is left out. */
static char *go_join(const char *dir, const char *path)
{
	ms_buf b = MS_BUF_INIT;
	if (*dir) {
		ms_buf_addstr(&b, dir);
		ms_buf_addch(&b, '/');
	}
	ms_buf_addstr(&b, path);
	char *c = ms_frame_clean_path(b.data);
	ms_buf_free(&b);
	return c;
}

static const char *go_base(const char *path, size_t *n)
{
	/* filepath.Base: the last element, trailing slashes ignored. */
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len == 0) {
		*n = 1;
		return ".";
	}
	size_t s = len;
	while (s > 0 && path[s - 1] != '/')
		s--;
	if (s == len) { /* path is "/" */
		*n = 1;
		return "/";
	}
	*n = len - s;
	return path + s;
}

/* Calls fn on each element of a ':'-separated list (filepath.SplitList: an
 * empty list has no elements, empty elements are kept). */
typedef int (*list_fn)(const char *elem, void *arg);
static int each_elem(const char *list, list_fn fn, void *arg)
{
	if (!list || !*list)
		return 0;
	const char *p = list;
	for (;;) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *elem = ms_xmalloc(n + 1);
		memcpy(elem, p, n);
		elem[n] = '\0';
		int r = fn(elem, arg);
		free(elem);
		if (r)
			return r;
		if (!e)
			return 0;
		p = e + 1;
	}
}

typedef struct trim_state {
	const char *path;
	const char *result;
} trim_state;

static int heuristic_elem(const char *dir, void *arg)
{
	trim_state *t = arg;
	size_t bn;
	const char *base = go_base(dir, &bn);
	/* want = "/" + Base(dir) + "/" */
	char *want = ms_xmalloc(bn + 3);
	want[0] = '/';
	memcpy(want + 1, base, bn);
	want[bn + 1] = '/';
	want[bn + 2] = '\0';
	const char *found = strstr(t->path, want);
	if (found)
		t->result = found + bn + 2;
	free(want);
	return found != NULL;
}

static int prefix_elem(const char *prefix, void *arg)
{
	trim_state *t = arg;
	size_t n = strlen(prefix);
	int slash = n > 0 && prefix[n - 1] == '/';
	if (strncmp(t->path, prefix, n) == 0 && (slash || t->path[n] == '/')) {
		t->result = t->path + n + (slash ? 0 : 1);
		return 1;
	}
	return 0;
}

const char *ms_source_trim(const char *path, const char *trim_path, const char *search_path)
{
	trim_state t = { path, NULL };
	if (!trim_path || !*trim_path) {
		/* pprof's guess: the search directory's base name inside the path
		 * marks where the relative part starts. */
		if (each_elem(search_path, heuristic_elem, &t))
			return t.result;
	}
	if (each_elem(trim_path, prefix_elem, &t))
		return t.result;
	static const char *const cwd[] = { "/proc/self/cwd/./", "/proc/self/cwd/" };
	for (int i = 0; i < 2; i++)
		if (strncmp(path, cwd[i], strlen(cwd[i])) == 0)
			return path + strlen(cwd[i]);
	return path;
}

/* ---- the source files ------------------------------------------------------ */

typedef struct source_file {
	char *name;   /* as the listing names it */
	char *data;   /* the file's bytes, lines cut in place */
	char **lines; /* lines[1..nlines] */
	size_t nlines;
	char *error;
} source_file;

struct ms_source_cache {
	source_file *f;
	size_t n;
};

/* Go's error text for an errno: strerror with a lower-case first letter
 * (syscall's table spells them so: "no such file or directory"). */
static void go_errno(ms_buf *b, int e)
{
	const char *s = strerror(e);
	ms_buf_addch(b, (char)tolower((unsigned char)s[0]));
	ms_buf_addstr(b, s + 1);
}

typedef struct search_state {
	const char *path;
	FILE *fp;
} search_state;

static int search_elem(const char *elem, void *arg)
{
	search_state *s = arg;
	char *dir = ms_xstrdup(elem);
	for (;;) {
		char *name = go_join(dir, s->path);
		s->fp = fopen(name, "rb");
		free(name);
		if (s->fp)
			break;
		char *parent = go_dir(dir);
		int top = strcmp(parent, dir) == 0;
		free(dir);
		dir = parent;
		if (top)
			break;
	}
	free(dir);
	return s->fp != NULL;
}

/* pprof's openSourceFile. On failure *error is pprof's message. */
static FILE *open_source(const char *path, const char *search, const char *trim, char **error)
{
	path = ms_source_trim(path, trim, search);
	ms_buf b = MS_BUF_INIT;
	if (path[0] == '/') {
		FILE *fp = fopen(path, "rb");
		if (fp)
			return fp;
		ms_buf_addf(&b, "open %s: ", path);
		go_errno(&b, errno);
		*error = ms_buf_detach(&b, NULL);
		return NULL;
	}
	search_state s = { path, NULL };
	each_elem(search, search_elem, &s);
	if (s.fp)
		return s.fp;
	ms_buf_addf(&b, "could not find file %s on path %s", path, search);
	*error = ms_buf_detach(&b, NULL);
	return NULL;
}

/* Reads a file into lines the way bufio.Scanner's ScanLines splits them:
 * at '\n', a '\r' before it dropped, a last line without '\n' kept. Like
 * pprof, a read error or a line of 64 KiB or more (Scanner's token limit)
 * ends the file there without an error. */
static void read_lines(source_file *sf, FILE *fp)
{
	ms_buf b = MS_BUF_INIT;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		ms_buf_add(&b, chunk, n);
	size_t len = b.len;
	sf->data = ms_buf_detach(&b, NULL);
	size_t cap = 16;
	sf->lines = ms_xcalloc(cap, sizeof *sf->lines);
	char *p = sf->data, *end = sf->data + len;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *e = nl ? nl : end;
		if ((size_t)(e - p) >= 65536)
			break;
		if (nl && e > p && e[-1] == '\r')
			e--;
		if (nl && e < nl)
			*e = '\0';
		*(nl ? nl : end) = '\0';
		if (sf->nlines + 2 > cap) {
			cap *= 2;
			sf->lines = ms_xreallocarray(sf->lines, cap, sizeof *sf->lines);
		}
		sf->lines[++sf->nlines] = p;
		if (!nl)
			break;
		p = nl + 1;
	}
}

static source_file *source_get(struct ms_source_cache *c, const char *name, const ms_list_opts *lo,
	const char *search)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->f[i].name, name) == 0)
			return &c->f[i];
	c->f = ms_xreallocarray(c->f, c->n + 1, sizeof *c->f);
	source_file *sf = &c->f[c->n++];
	memset(sf, 0, sizeof *sf);
	sf->name = ms_xstrdup(name);
	FILE *fp = open_source(name, search, lo->trim_path, &sf->error);
	if (fp) {
		read_lines(sf, fp);
		fclose(fp);
	}
	return sf;
}

/* os.Getwd: $PWD when it names the working directory, else getcwd. */
static char *go_getwd(void)
{
	const char *pwd = getenv("PWD");
	struct stat a, b;
	if (pwd && pwd[0] == '/' && stat(pwd, &a) == 0 && stat(".", &b) == 0 && a.st_dev == b.st_dev &&
		a.st_ino == b.st_ino)
		return ms_xstrdup(pwd);
	char *buf = getcwd(NULL, 0);
	if (!buf)
		return ms_xstrdup(".");
	char *r = ms_xstrdup(buf);
	free(buf);
	return r;
}

/* ---- the listing ---------------------------------------------------------- */

typedef struct item {
	const char *name;
	const char *file; /* NULL when the function has no file name */
	int64_t lineno, start;
	int64_t flat, cum;
} item;

static int cmp_str0(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

static int cmp_items(const void *x, const void *y)
{
	const item *a = x, *b = y;
	int c = strcmp(a->name, b->name);
	if (c)
		return c;
	if ((c = cmp_str0(a->file, b->file)))
		return c;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->lineno < b->lineno ? -1 : a->lineno > b->lineno;
}

/* The trimmed, cleaned file name of a function (pprof's node File), one
 * string per distinct raw name. */
static const char *file_of(ms_listing *l, const ms_profile *p, uint32_t fname_id, const char **memo,
	const char *trim, const char *search)
{
	if (memo[fname_id])
		return memo[fname_id];
	const char *raw = ms_profile_string(p, fname_id);
	const char *t = ms_source_trim(raw, trim, search);
	if (!*raw || !*t)
		return NULL;
	char *c = ms_frame_clean_path(t);
	l->files = ms_xreallocarray(l->files, l->nfiles + 1, sizeof *l->files);
	l->files[l->nfiles++] = c;
	memo[fname_id] = c;
	return c;
}

/* One routine from items[lo, hi) (same name and file): pprof's
 * getSourceFromFile. */
static void make_routine(ms_listing *l, ms_list_routine *r, const item *it, size_t n, const ms_list_opts *lo,
	const char *search)
{
	enum { MARGIN = 5 };
	r->name = it[0].name;
	r->file = it[0].file;
	int64_t start = it[0].start ? it[0].start : it[0].lineno - MARGIN;
	int64_t end = it[0].lineno + MARGIN;
	for (size_t i = 0; i < n; i++) {
		r->flat += it[i].flat;
		r->cum += it[i].cum;
		int64_t ns = it[i].start ? it[i].start : it[i].lineno - MARGIN, ne = it[i].lineno + MARGIN;
		if (ns < start)
			start = ns;
		else if (ne > end)
			end = ne;
	}
	if (start < 1)
		start = 1;
	/* pprof opens the file when it reads the first line: a function whose
	 * start line is past its last sampled line (inlined glibc code) reads
	 * nothing, so it shows neither lines nor an error. */
	if (end < start)
		return;
	source_file *sf = source_get(l->sources, r->file, lo, search);
	if (sf->error) {
		r->error = ms_xstrdup(sf->error);
		return;
	}
	if (start > (int64_t)sf->nlines)
		return;
	if (end > (int64_t)sf->nlines)
		end = (int64_t)sf->nlines;
	r->nlines = (size_t)(end - start + 1);
	r->lines = ms_xcalloc(r->nlines, sizeof *r->lines);
	for (size_t k = 0; k < r->nlines; k++) {
		ms_list_line *ln = &r->lines[k];
		ln->lineno = start + (int64_t)k;
		ln->text = sf->lines[ln->lineno];
		for (size_t i = 0; i < n; i++)
			if (it[i].lineno == ln->lineno) {
				ln->flat += it[i].flat;
				ln->cum += it[i].cum;
			}
	}
}

int ms_listing_build(ms_listing *l, const ms_profile *p, const ms_graph_opts *o, const ms_list_opts *lo,
	ms_err *err)
{
	memset(l, 0, sizeof *l);
	regex_t re;
	if (ms_regex_compile(&re, lo->symbol, "list", err) < 0)
		return -1;
	/* pprof's list turns trimming off and uses line granularity. */
	ms_graph_opts go = *o;
	go.granularity = MS_GRAN_LINES;
	go.node_fraction = 0;
	go.node_count = 0;
	if (ms_graph_build(&l->g, p, &go, err) < 0) {
		regfree(&re);
		return -1;
	}
	l->total = l->g.total;
	l->sources = ms_xcalloc(1, sizeof *l->sources);
	char *wd = lo->source_path ? NULL : go_getwd();
	const char *search = lo->source_path ? lo->source_path : wd;

	/* frame -> its first line record, for the function behind each node */
	uint32_t nf = ms_frame_count(&l->g.frames);
	uint64_t *fline = ms_xmalloc((nf ? nf : 1) * sizeof *fline);
	for (uint32_t f = 0; f < nf; f++)
		fline[f] = UINT64_MAX;
	const ms_frame_map *fm = &l->g.frames;
	for (size_t li = 0; li < p->nlocations; li++) {
		const ms_location *loc = &p->locations[li];
		for (uint64_t k = fm->off[li]; k < fm->off[li + 1]; k++) {
			uint64_t line = k - fm->off[li];
			if (line < loc->nlines && fline[fm->frames[k]] == UINT64_MAX)
				fline[fm->frames[k]] = loc->line_off + line;
		}
	}
	const char **memo = ms_xcalloc(p->strings.n ? p->strings.n : 1, sizeof *memo);
	item *items = ms_xcalloc(l->g.nnodes ? l->g.nnodes : 1, sizeof *items);
	size_t nitems = 0;
	for (size_t i = 0; i < l->g.nnodes; i++) {
		const ms_graph_node *n = &l->g.nodes[i];
		if (fline[n->frame] == UINT64_MAX)
			continue;
		const ms_line *ln = &p->lines[fline[n->frame]];
		const ms_function *fn = &p->functions[ln->function];
		const char *name = ms_profile_string(p, fn->name);
		if (regexec(&re, name, 0, NULL, 0) != 0)
			continue;
		item *it = &items[nitems++];
		it->name = name;
		/* pprof trims the profile's names with the --source-path given (none:
		 * no heuristic), then searches from the working directory */
		it->file = file_of(l, p, fn->filename, memo, lo->trim_path, lo->source_path);
		it->lineno = ln->line;
		it->start = fn->start_line;
		it->flat = n->flat;
		it->cum = n->cum;
	}
	int rc = 0;
	if (nitems == 0) {
		rc = ms_seterr(err, "no matches found for regexp: %s", lo->symbol);
		goto out;
	}
	qsort(items, nitems, sizeof *items, cmp_items);
	l->routines = ms_xcalloc(nitems, sizeof *l->routines);
	for (size_t i = 0; i < nitems;) {
		size_t j = i;
		while (j < nitems && strcmp(items[j].name, items[i].name) == 0)
			j++;
		/* items[i, j): one function; those without a file come first */
		size_t k = i;
		while (k < j && !items[k].file)
			k++;
		if (k == j) {
			l->routines[l->nroutines++].name = items[i].name;
		} else {
			while (k < j) {
				size_t m = k;
				while (m < j && strcmp(items[m].file, items[k].file) == 0)
					m++;
				make_routine(l, &l->routines[l->nroutines++], items + k, m - k, lo, search);
				k = m;
			}
		}
		i = j;
	}
out:
	free(items);
	free(memo);
	free(fline);
	free(wd);
	regfree(&re);
	if (rc < 0)
		ms_listing_free(l);
	return rc;
}

void ms_listing_free(ms_listing *l)
{
	for (size_t i = 0; i < l->nroutines; i++) {
		free(l->routines[i].error);
		free(l->routines[i].lines);
	}
	free(l->routines);
	if (l->sources) {
		for (size_t i = 0; i < l->sources->n; i++) {
			source_file *sf = &l->sources->f[i];
			free(sf->name);
			free(sf->data);
			free(sf->lines);
			free(sf->error);
		}
		free(l->sources->f);
		free(l->sources);
	}
	for (size_t i = 0; i < l->nfiles; i++)
		free(l->files[i]);
	free(l->files);
	ms_graph_free(&l->g);
	memset(l, 0, sizeof *l);
}
