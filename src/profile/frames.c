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

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* pprof's NodeInfo.NameComponents joined by spaces, after pprof's
 * aggregation for the granularity has cleared the fields it does not keep
 * (addresses only at "addresses", file names not at "functions", function
 * names not at "files", line numbers only at "lines" and "addresses"). */
static void frame_name(ms_buf *b, const ms_profile *p, const ms_location *loc, const ms_line *line,
	ms_granularity g)
{
	const char *name = "", *file = "";
	int64_t lineno = 0;
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
	}
	ms_buf_reset(b);
	if (addr)
		ms_buf_addf(b, "%016llx", (unsigned long long)addr);
	if (*name)
		ms_buf_addf(b, "%s%s", b->len ? " " : "", name);
	if (lineno)
		ms_buf_addf(b, "%s%s:%lld", b->len ? " " : "", file, (long long)lineno);
	else if (*file)
		ms_buf_addf(b, "%s%s", b->len ? " " : "", file);
	else if (*name)
		; /* the function name is all */
	else if (*objfile)
		ms_buf_addf(b, "%s[%s]", b->len ? " " : "", base_name(objfile));
	else
		ms_buf_addf(b, "%s<unknown>", b->len ? " " : "");
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
}

void ms_frame_map_free(ms_frame_map *fm)
{
	free(fm->off);
	free(fm->frames);
	ms_strtab_free(&fm->names);
	memset(fm, 0, sizeof *fm);
}
