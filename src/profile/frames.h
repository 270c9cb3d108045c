/* frames.h — the printable frames of each location at a granularity, the
 * way pprof names graph nodes:
 *   functions      "main.handle"
 *   filefunctions  "main.handle leaky/main.go"
 *   files          "leaky/main.go"
 *   lines          "main.handle leaky/main.go:42"
 *   addresses      "0000000000456789 main.handle leaky/main.go:42"
 * A location with inlined calls expands to one frame per line, innermost
 * first (pprof's inline expansion). A location without lines is named by
 * its address, or "[binary]" / "<unknown>" like pprof. Frame ids are dense
 * indexes into fm->names, one per pprof NodeInfo (name, address, file,
 * line, and start line and object file for unnamed functions, as the
 * granularity keeps them), so they double as graph node ids; two frames may print alike (at
 * "files", one per function of the file, as pprof's rows). Each entry of
 * fm->names is the printed name (names.len[id] is its length), then after
 * its NUL the identity's fields; so look frames up by name with
 * ms_frame_find, not in fm->names. */
#ifndef MS_FRAMES_H
#define MS_FRAMES_H

#include "profile/profile.h"

typedef enum ms_granularity {
	MS_GRAN_FUNCTIONS = 0,
	MS_GRAN_FILEFUNCTIONS,
	MS_GRAN_FILES,
	MS_GRAN_LINES,
	MS_GRAN_ADDRESSES,
} ms_granularity;

int ms_granularity_parse(const char *s, ms_granularity *out);

typedef struct ms_frame_map {
	uint64_t *off;    /* nlocations + 1 entries: location i's frames are frames[off[i] .. off[i+1]) */
	uint32_t *frames; /* frame ids, innermost first */
	ms_strtab names;  /* frame id -> printable name */
} ms_frame_map;

void ms_frame_map_build(ms_frame_map *fm, const ms_profile *p, ms_granularity g);
void ms_frame_map_free(ms_frame_map *fm);
/* A file name as pprof keys it (the /proc/self/cwd/ prefixes trimmed, then
 * Go's filepath.Clean); the caller frees it. */
char *ms_frame_clean_path(const char *path);

static inline const char *ms_frame_name(const ms_frame_map *fm, uint32_t id) { return fm->names.str[id]; }
static inline uint32_t ms_frame_count(const ms_frame_map *fm) { return fm->names.n; }
/* The first frame printed as name, or UINT32_MAX. */
uint32_t ms_frame_find(const ms_frame_map *fm, const char *name);
/* pprof's fmt.Sprint of the frame's NodeInfo, malloc'd:
 * "{Name OrigName Address File StartLine Lineno Objfile}" (pprof's last
 * tie-break between graph nodes). */
char *ms_frame_info_string(const ms_frame_map *fm, uint32_t id);

#endif
