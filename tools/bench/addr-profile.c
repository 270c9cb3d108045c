/* addr-profile.c — makes an unsymbolized pprof heap profile from addresses,
 * as input for `memscope symbolize` in benchmarks and test data:
 *
 *   addr-profile --binary BIN OUT < VADDRS
 *       one location per link-time address (hex, one a line) of BIN, with
 *       mappings laid out as if BIN were loaded at its link-time addresses
 *       (start = p_vaddr, offset = p_offset of each PT_LOAD, page-aligned);
 *   addr-profile --run [--name PATH=NAME]... OUT < PROGRAM-OUTPUT
 *       from the output of testdata/symbolize/prog.c: "site NAME ADDR"
 *       lines become locations, "map ..." lines (/proc/self/maps) mappings;
 *       --name renames a mapping's file (e.g. to a path relative to the
 *       source tree).
 * Each location gets one sample (alloc_space/bytes = 1024).
 *
 *   addr-profile --lookup BIN < VADDRS
 *       no profile: looks the addresses up with the symbolizer library and
 *       prints what `addr2line -i -f` prints (function, then file:line, per
 *       frame), so the benchmark can time the same work as addr2line. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile/pprof.h"
#include "profile/profile.h"
#include "symbolize/elfobj.h"
#include "symbolize/symbolize.h"
#include "util/opts.h"

static const char *const usage[] = {
	"addr-profile --binary BIN OUT < VADDRS",
	"addr-profile --run [--name PATH=NAME]... OUT < PROGRAM-OUTPUT",
	"addr-profile --lookup BIN < VADDRS",
	NULL,
};

static void add_location(ms_profile *p, uint32_t mapping, uint64_t addr)
{
	ms_location loc = { 0 };
	loc.mapping = mapping;
	loc.address = addr;
	uint32_t l = ms_profile_add_location(p, &loc, NULL, 0);
	int64_t v = 1024;
	ms_profile_add_sample(p, &l, 1, &v, NULL, 0);
}

static const char *renamed(const ms_strlist *names, const char *path)
{
	size_t n = strlen(path);
	for (size_t i = 0; i < names->n; i++) {
		const char *eq = strchr(names->items[i], '=');
		if (eq && (size_t)(eq - names->items[i]) == n && strncmp(names->items[i], path, n) == 0)
			return eq + 1;
	}
	return path;
}

static int from_binary(ms_profile *p, const char *bin)
{
	ms_err err;
	ms_strtab names;
	ms_strtab_init(&names);
	ms_elfobj *e = ms_elfobj_open(bin, &names, &err);
	if (!e) {
		ms_strtab_free(&names);
		return ms_report(&err);
	}
	uint32_t *maps = ms_xcalloc(e->nsegs ? e->nsegs : 1, sizeof *maps);
	for (size_t i = 0; i < e->nsegs; i++) {
		ms_mapping m = { 0 };
		m.start = e->segs[i].vaddr & ~(uint64_t)4095;
		m.limit = e->segs[i].vaddr + e->segs[i].memsz;
		m.offset = e->segs[i].offset & ~(uint64_t)4095;
		m.filename = ms_profile_str(p, bin);
		m.build_id = ms_profile_str(p, e->build_id ? e->build_id : "");
		maps[i] = ms_profile_add_mapping(p, &m);
	}
	char line[256];
	while (fgets(line, sizeof line, stdin)) {
		uint64_t a = strtoull(line, NULL, 16);
		for (size_t i = 0; i < e->nsegs; i++)
			if (a >= p->mappings[maps[i]].start && a < p->mappings[maps[i]].limit) {
				add_location(p, maps[i], a);
				break;
			}
	}
	free(maps);
	ms_elfobj_free(e);
	ms_strtab_free(&names);
	return 0;
}

static int from_run(ms_profile *p, const ms_strlist *names)
{
	char line[4096];
	uint64_t sites[64];
	size_t nsites = 0;
	while (fgets(line, sizeof line, stdin)) {
		char name[64], path[3000], perms[8];
		uint64_t a, start, end, off;
		if (sscanf(line, "site %63s %" SCNx64, name, &a) == 2 && nsites < 64) {
			sites[nsites++] = a;
		} else if (sscanf(line, "map %" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*s %*s %2999s", &start, &end, perms,
				   &off, path) == 5) {
			ms_mapping m = { 0 };
			m.start = start;
			m.limit = end;
			m.offset = off;
			m.filename = ms_profile_str(p, renamed(names, path));
			ms_profile_add_mapping(p, &m);
		}
	}
	for (size_t i = 0; i < nsites; i++) {
		uint32_t mi = MS_NONE;
		for (size_t k = 0; k < p->nmappings; k++)
			if (sites[i] >= p->mappings[k].start && sites[i] < p->mappings[k].limit)
				mi = (uint32_t)k;
		add_location(p, mi, sites[i]);
	}
	return 0;
}

static int lookup(const char *bin)
{
	ms_symbolizer *s = ms_symbolizer_new(NULL);
	char line[256];
	int rc = 0;
	while (fgets(line, sizeof line, stdin)) {
		ms_symframe fr[64];
		ms_err err;
		int n = ms_symbolizer_lookup(s, bin, NULL, strtoull(line, NULL, 16), fr, 64, &err);
		if (n < 0) {
			rc = ms_report(&err);
			break;
		}
		if (n == 0)
			fputs("??\n??:0\n", stdout);
		for (int i = 0; i < n; i++)
			printf("%s\n%s:%" PRId64 "\n", fr[i].function, *fr[i].file ? fr[i].file : "??", fr[i].line);
	}
	ms_symbolizer_free(s);
	return rc;
}

int main(int argc, char **argv)
{
	const char *bin = NULL, *lookup_bin = NULL;
	int run = 0;
	ms_strlist names = { NULL, 0 };
	const ms_option opts[] = {
		{ MS_OPT_STRING, 0, "binary", &bin, "BIN", "addresses are link-time addresses of BIN" },
		{ MS_OPT_FLAG, 0, "run", &run, NULL, "read the output of testdata/symbolize/prog" },
		{ MS_OPT_LIST, 0, "name", &names, "PATH=NAME", "rename a mapping's file" },
		{ MS_OPT_STRING, 0, "lookup", &lookup_bin, "BIN", "print frames like addr2line -i -f" },
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, usage);
	if (n == MS_OPTS_HELP)
		return 0;
	if (n == 0 && lookup_bin)
		return lookup(lookup_bin);
	if (n != 1 || (!bin) == (!run))
		return ms_usage_error(opts, usage, "give --binary or --run, and one output file");
	ms_profile *p = ms_profile_new();
	ms_profile_add_type(p, "alloc_space", "bytes");
	p->period_type.type = ms_profile_str(p, "space");
	p->period_type.unit = ms_profile_str(p, "bytes");
	p->period = 1;
	int rc = bin ? from_binary(p, bin) : from_run(p, &names);
	ms_err err;
	if (rc == 0) {
		ms_profile_assign_ids(p);
		if (ms_pprof_write_file(p, argv[0], 0, &err) < 0)
			rc = ms_report(&err);
	}
	ms_profile_free(p);
	ms_strlist_free(&names);
	return rc;
}
