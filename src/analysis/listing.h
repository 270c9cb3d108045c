/* listing.h — pprof's -list: the source of every function whose name
 * matches a regex, with the flat and cumulative weight of each line.
 *
 * The weights come from the report graph at line granularity (graph.h,
 * no trimming, as pprof's driver turns trimming off for list). For each
 * matching function and each of its source files (sorted by name, then
 * file) a routine holds the file's lines from
 *   start = the function's start line (else the first sampled line − 5)
 *   end   = the last sampled line + 5
 * clipped at line 1 and the end of the file. Source files are found the
 * way pprof finds them (report/source.go): the profile's file name, with
 * a --trim-path prefix (or, without one, everything up to the base name of
 * a --source-path directory) removed; an absolute name is opened as is, a
 * relative one is looked up under each --source-path directory (default:
 * the working directory) and each of its parents. */
#ifndef MS_LISTING_H
#define MS_LISTING_H

#include "analysis/graph.h"

typedef struct ms_list_opts {
	const char *symbol;      /* POSIX ERE matched against function names */
	const char *source_path; /* ':'-separated directories; NULL = working directory */
	const char *trim_path;   /* ':'-separated prefixes; NULL = pprof's heuristic */
} ms_list_opts;

typedef struct ms_list_line {
	int64_t lineno, flat, cum;
	const char *text; /* the source line, without its newline */
} ms_list_line;

typedef struct ms_list_routine {
	const char *name;
	const char *file; /* NULL: no source information for name */
	int64_t flat, cum;
	char *error;      /* the file could not be read: pprof's message */
	ms_list_line *lines;
	size_t nlines;
} ms_list_routine;

typedef struct ms_listing {
	ms_list_routine *routines;
	size_t nroutines;
	int64_t total;
	ms_graph g;
	struct ms_source_cache *sources;
	char **files; /* trimmed, cleaned file names (owned) */
	size_t nfiles;
} ms_listing;

/* Builds the listing; no matching function is an error ("no matches found
 * for regexp: RE", pprof's message). */
int ms_listing_build(ms_listing *l, const ms_profile *p, const ms_graph_opts *o, const ms_list_opts *lo,
	ms_err *err);
void ms_listing_free(ms_listing *l);

/* pprof's trimPath: the part of path left after a configured prefix, the
 * source-path heuristic, or /proc/self/cwd/; a suffix of path. */
const char *ms_source_trim(const char *path, const char *trim_path, const char *search_path);

#endif
