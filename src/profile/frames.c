/* frames.c — location -> frame names at a granularity (pprof node naming). */
#include "config.h"
#include "profile/frames.h"
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ms_granularity_parse(const char *s, ms_granularity *out)
{
	static const char *const names[] = { "functions", "filefunctions", "files", "lines", "addresses" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (ms_granularity)i;
			return 0;
		}
	return -1;
}

static void clean_path(ms_buf *out, const char *path);

char *ms_frame_clean_path(const char *path)
{
	ms_buf b = MS_BUF_INIT;
	clean_path(&b, path);
	return ms_buf_detach(&b, NULL);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* pprof's file name clean-up: the "/proc/self/cwd/" prefixes trimmed, then
 * Go's filepath.Clean (duplicate slashes, "." elements and inner ".."
 * removed; "" becomes "."). */
static void clean_path(ms_buf *out, const char *path)
{
	static const char *const trims[] = { "/proc/self/cwd/./", "/proc/self/cwd/" };
	for (size_t i = 0; i < 2; i++)
		if (strncmp(path, trims[i], strlen(trims[i])) == 0) {
			path += strlen(trims[i]);
			break;
		}
	size_t start = out->len;
	int rooted = path[0] == '/';
	if (rooted)
		ms_buf_addch(out, '/');
	size_t base = out->len; /* ".." may not remove below this */
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		const char *e = p;
		while (*e && *e != '/')
			e++;
		size_t n = (size_t)(e - p);
		if (n == 0)
			break;
		if (n == 1 && p[0] == '.') {
			/* skip */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			/* back up over the last element unless it is ".." itself */
			size_t len = out->len;
			int can = len > base && !(len - base >= 2 && out->data[len - 1] == '.' && out->data[len - 2] == '.' &&
				(len - base == 2 || out->data[len - 3] == '/'));
			if (can) {
				while (out->len > base && out->data[out->len - 1] != '/')
					out->len--;
				if (out->len > base)
					out->len--; /* the separator */
				out->data[out->len] = '\0';
			} else if (!rooted) {
				if (out->len > base)
					ms_buf_addch(out, '/');
				ms_buf_add(out, "..", 2);
			}
		} else {
			if (out->len > base)
				ms_buf_addch(out, '/');
			ms_buf_add(out, p, n);
		}
		p = e;
	}
	if (out->len == start)
		ms_buf_addch(out, '.');
}

/* Appends one field of a frame's identity: a NUL, then the text. */
static void key_field(ms_buf *b, const char *s, size_t n)
{
	ms_buf_addch(b, '\0');
	ms_buf_add(b, s, n);
}

/* pprof's NodeInfo.NameComponents joined by spaces, after pprof's
 * aggregation for the granularity has cleared the fields it does not keep
 * (addresses only at "addresses", file names not at "functions", function
 * names not at "files", line numbers only at "lines" and "addresses").
 * Then the frame's identity, pprof's NodeInfo (graph nodes are one per
 * NodeInfo, not per printed name), each field after a NUL:
 *	Name, OrigName (empty: pprof sets it for its OrigFnNames option only),
 *	Address, File, StartLine, Lineno, Objfile
 * StartLine and Objfile are only set, as pprof's nodeInfo sets them, when
 * Name is empty (always at "files", where function names are cleared): one
 * "main.go" row per function of main.go, each printed alike.
 * A location without lines is {Address, Objfile}. */
static void frame_name(ms_buf *b, const ms_profile *p, const ms_location *loc, const ms_line *line,
	ms_granularity g)
{
	const char *name = "", *file = "";
	int64_t lineno = 0, start_line = 0;
	uint64_t addr = g == MS_GRAN_ADDRESSES ? loc->address : 0;
	const char *objfile = loc->mapping != MS_NONE ? ms_profile_string(p, p->mappings[loc->mapping].filename) : "";
	if (line) {
		const ms_function *f = &p->functions[line->function];
		if (g != MS_GRAN_FILES)
			name = ms_profile_string(p, f->name);
		if (g != MS_GRAN_FUNCTIONS)
			file = ms_profile_string(p, f->filename);
		if (g == MS_GRAN_LINES || g == MS_GRAN_ADDRESSES)
			lineno = line->line;
		start_line = f->start_line;
	}
	ms_buf_reset(b);
	if (addr)
		ms_buf_addf(b, "%016llx", (unsigned long long)addr);
	if (*name)
		ms_buf_addf(b, "%s%s", b->len ? " " : "", name);
	size_t file_at = 0, file_len = 0;
	if (*file) {
		if (b->len)
			ms_buf_addch(b, ' ');
		file_at = b->len;
		clean_path(b, file);
		file_len = b->len - file_at;
		if (lineno)
			ms_buf_addf(b, ":%lld", (long long)lineno);
	} else if (lineno)
		ms_buf_addf(b, "%s:%lld", b->len ? " " : "", (long long)lineno);
	else if (*name)
		; /* the function name is all */
	else if (*objfile)
		ms_buf_addf(b, "%s[%s]", b->len ? " " : "", base_name(objfile));
	else
		ms_buf_addf(b, "%s<unknown>", b->len ? " " : "");

	char num[32];
	bool unnamed = !*name;
	key_field(b, name, strlen(name));
	key_field(b, "", 0); /* OrigName: only with pprof's -raw-like OrigFnNames */
	key_field(b, num, (size_t)snprintf(num, sizeof num, "%llu", (unsigned long long)addr));
	ms_buf_addch(b, '\0');
	if (file_len) { /* the cleaned file name, as printed above */
		ms_buf_grow(b, file_len);
		memmove(b->data + b->len, b->data + file_at, file_len);
		b->len += file_len;
		b->data[b->len] = '\0';
	}
	key_field(b, num, (size_t)snprintf(num, sizeof num, "%lld", line && unnamed ? (long long)start_line : 0LL));
	key_field(b, num, (size_t)snprintf(num, sizeof num, "%lld", (long long)lineno));
	if (unnamed)
		key_field(b, objfile, strlen(objfile));
	else
		key_field(b, "", 0);
}

void ms_frame_map_build(ms_frame_map *fm, const ms_profile *p, ms_granularity g)
{
	ms_strtab_init(&fm->names);
	fm->off = ms_xcalloc(p->nlocations + 1, sizeof *fm->off);
	size_t total = 0;
	for (size_t i = 0; i < p->nlocations; i++)
		total += p->locations[i].nlines ? p->locations[i].nlines : 1;
	fm->frames = ms_xcalloc(total ? total : 1, sizeof *fm->frames);

	ms_buf b = MS_BUF_INIT;
	size_t k = 0;
	for (size_t i = 0; i < p->nlocations; i++) {
		const ms_location *loc = &p->locations[i];
		fm->off[i] = k;
		if (loc->nlines == 0) {
			frame_name(&b, p, loc, NULL, g);
			fm->frames[k++] = ms_strtab_intern(&fm->names, b.data, b.len);
			continue;
		}
		for (uint32_t l = 0; l < loc->nlines; l++) {
			frame_name(&b, p, loc, &p->lines[loc->line_off + l], g);
			fm->frames[k++] = ms_strtab_intern(&fm->names, b.data, b.len);
		}
	}
	fm->off[p->nlocations] = k;
	ms_buf_free(&b);
	/* the entries were interned whole (identity), but read as names: their
	 * length is the printed name's (the identity stays after its NUL) */
	for (uint32_t id = 0; id < fm->names.n; id++)
		fm->names.len[id] = (uint32_t)strlen(fm->names.str[id]);
}

void ms_frame_map_free(ms_frame_map *fm)
{
	free(fm->off);
	free(fm->frames);
	ms_strtab_free(&fm->names);
	memset(fm, 0, sizeof *fm);
}

uint32_t ms_frame_find(const ms_frame_map *fm, const char *name)
{
	for (uint32_t id = 0; id < fm->names.n; id++)
		if (strcmp(fm->names.str[id], name) == 0)
			return id;
	return UINT32_MAX;
}

char *ms_frame_info_string(const ms_frame_map *fm, uint32_t id)
{
	ms_buf b = MS_BUF_INIT;
	const char *s = fm->names.str[id];
	ms_buf_addch(&b, '{');
	s += strlen(s) + 1; /* past the printed name: 7 NUL-terminated fields follow */
	for (int field = 0; field < 7; field++) {
		if (field)
			ms_buf_addch(&b, ' ');
		ms_buf_add(&b, s, strlen(s));
		s += strlen(s) + 1;
	}
	ms_buf_addch(&b, '}');
	return b.data; /* the caller frees it */
}
