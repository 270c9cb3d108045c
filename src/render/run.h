/* run.h — the report `memscope run` gives after the program exits: for each
 * process of the run directory, its heap (peak and temporary allocations,
 * totals, top rows), its leak check, its trace and heap dump; as text or as
 * one JSON document. */
#ifndef MS_RENDER_RUN_H
#define MS_RENDER_RUN_H

#include <stdio.h>

#include "profile/runout.h"

typedef struct ms_run_report_opts {
	int leak_check; /* the run asked for a leak check: say when none was written */
	int trace;      /* the run recorded traces: name them */
	int heap_dump;  /* a heap dump came with every profile */
	int json;       /* one JSON document instead of text */
} ms_run_report_opts;

/* Writes the report of the (already symbolized) run directory rd to fp.
 * Each leak check is also saved as leaks.PROG.PID.txt in the directory
 * (LeakSanitizer-style text, whatever fp gets). Problems reading one
 * process's files are reported on stderr and that part is left out.
 * Returns 1 when a leak check found leaked bytes, else 0. */
int ms_render_run_report(FILE *fp, const ms_run_dir *rd, const ms_run_report_opts *o);

#endif
