/* symbolize.c — `memscope symbolize FILE [-o OUT]`: fills a profile's
 * functions, files, lines and inlined frames from the binaries named by its
 * mappings (src/symbolize/), and writes it back as gzip pprof. Without -o
 * the input file is replaced atomically (only when something was
 * resolved, and only a pprof file: symbolize never changes a file's
 * format — a runtime trace is refused, the commands that read it
 * symbolize it on load); "-" reads stdin / writes stdout. */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmds.h"
#include "profile/demangle.h"
#include "profile/load.h"
#include "profile/pprof.h"
#include "render/json.h"
#include "symbolize/symbolize.h"
#include "util/opts.h"

static const char *const symbolize_usage[] = {
	"memscope symbolize [-o OUT] [--debug-dir DIR]... [--force] [--return-addresses] [--json] FILE",
	NULL,
};

static void print_notes(const char *notes)
{
	while (notes && *notes) {
		const char *nl = strchr(notes, '\n');
		int len = nl ? (int)(nl - notes) : (int)strlen(notes);
		ms_warn("%.*s", len, notes);
		notes += len + (nl ? 1 : 0);
	}
}

/* The summary as one JSON object (the notes, one per binary, inside it). */
static void print_json(FILE *fp, const char *file, int written, const ms_symbolize_result *r)
{
	json_t *notes = json_array();
	for (const char *s = r->notes; s && *s;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		char *line = ms_xmalloc(len + 1);
		memcpy(line, s, len);
		line[len] = 0;
		json_array_append_new(notes, ms_json_str(line));
		free(line);
		s += len + (nl ? 1 : 0);
	}
	json_t *o = json_pack("{s:o, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "file", ms_json_str(file), "written",
		written, "locations", (json_int_t)r->locations, "resolved", (json_int_t)r->resolved, "unresolved",
		(json_int_t)r->unresolved, "already_symbolized", (json_int_t)r->symbolized, "without_address",
		(json_int_t)r->no_address, "binaries", (json_int_t)r->binaries, "notes", notes);
	json_dumpf(o, fp, JSON_INDENT(2));
	fputc('\n', fp);
	json_decref(o);
}

int cmd_symbolize(int argc, char **argv)
{
	const char *out = NULL;
	ms_strlist dirs = { NULL, 0 };
	int force = 0, retaddr = 0, no_dwarf = 0, quiet = 0, json = 0;
	const char *demangle = NULL;
	const ms_option opts[] = {
		{ MS_OPT_STRING, 'o', "output", &out, "OUT", "write here (default: replace FILE; - for stdout)" },
		{ MS_OPT_LIST, 0, "debug-dir", &dirs, "DIR",
			"look for separate debug files here (repeatable; default /usr/lib/debug)" },
		{ MS_OPT_FLAG, 0, "force", &force, NULL, "re-symbolize locations that already have lines" },
		{ MS_OPT_FLAG, 0, "return-addresses", &retaddr, NULL,
			"addresses are raw return addresses: look up address - 1" },
		{ MS_OPT_FLAG, 0, "no-dwarf", &no_dwarf, NULL, "function names from symbol tables only" },
		{ MS_OPT_FLAG, 'q', "quiet", &quiet, NULL, "print no summary" },
		{ MS_OPT_FLAG, 0, "json", &json, NULL,
			"the summary as JSON: file, written, locations, resolved, unresolved, ..., notes" },
		{ MS_OPT_STRING, 0, "demangle", &demangle, "MODE",
			"C++/Rust names: simplified (pprof's default), templates, full (c++filt) or none" },
		MS_OPT_END_MARK,
	};
	int n = ms_parse_opts(argc, argv, opts, symbolize_usage);
	if (n < 0)
		return ms_opts_exit(n);
	if (n != 1) {
		ms_strlist_free(&dirs);
		return ms_usage_error(opts, symbolize_usage, "symbolize takes exactly one input file");
	}
	const char *in = argv[0];
	const char *dest = out ? out : in;
	ms_err err;
	ms_input_format fmt = MS_INPUT_AUTO;
	ms_load_opts lo = { .format_out = &fmt };
	ms_demangle_mode dm = MS_DEMANGLE_SIMPLIFIED;
	if (demangle && ms_demangle_mode_parse(demangle, &dm) < 0) {
		ms_strlist_free(&dirs);
		return ms_usage_error(opts, symbolize_usage, "unknown --demangle '%s' (simplified, templates, full, none)",
			demangle);
	}
	lo.demangle = (int)dm;
	lo.demangle_force = demangle != NULL;
	ms_profile *p = ms_cmd_load(in, &lo, &err);
	if (!p) {
		ms_strlist_free(&dirs);
		return ms_report(&err);
	}
	/* symbolize writes pprof: it never replaces a file of another format */
	if (!out && fmt != MS_INPUT_PPROF) {
		ms_profile_free(p);
		ms_strlist_free(&dirs);
		if (fmt == MS_INPUT_TRACE)
			return ms_error("%s: a memscope runtime trace is not rewritten (symbolize writes pprof, the trace "
					"keeps its events and GC cycles): flame, top, diff and convert symbolize it when "
					"they read it; -o OUT.pb.gz writes a symbolized heap profile of it",
				in);
		return ms_error("%s: %s input is not rewritten (symbolize writes pprof): give -o OUT.pb.gz", in,
			ms_input_format_name(fmt));
	}
	ms_symbolize_opts so = { dirs.items, dirs.n, force, retaddr, no_dwarf, (int)dm };
	ms_symbolize_result res;
	int rc = MS_EXIT_OK;
	if (ms_symbolize_profile(p, &so, &res, &err) < 0) {
		ms_err_prefix(&err, in);
		rc = ms_report(&err);
		goto out;
	}
	int write = out != NULL || res.resolved > 0 || strcmp(in, "-") == 0;
	if (write && ms_pprof_write_file(p, dest, 0, &err) < 0) {
		rc = ms_report(&err);
		ms_symbolize_result_free(&res);
		goto out;
	}
	FILE *fp = strcmp(dest, "-") == 0 ? stderr : stdout;
	if (json) {
		print_json(fp, write && strcmp(dest, "-") != 0 ? dest : in, write, &res);
	} else {
		print_notes(res.notes);
		if (!quiet) {
			fprintf(fp, "%s: %zu of %zu locations resolved, %zu unresolved, %zu already symbolized, "
				    "%zu without address; %zu binar%s\n",
				write && strcmp(dest, "-") != 0 ? dest : in, res.resolved, res.locations, res.unresolved,
				res.symbolized, res.no_address, res.binaries, res.binaries == 1 ? "y" : "ies");
			if (!write)
				fprintf(fp, "%s: nothing resolved, file left unchanged\n", in);
		}
	}
	ms_symbolize_result_free(&res);
out:
	ms_profile_free(p);
	ms_strlist_free(&dirs);
	return rc;
}
