/* html_report.h — `memscope report --html`: one self-contained HTML page
 * (no network: a Content-Security-Policy of default-src 'none', inline
 * styles and scripts only, no fonts or images from anywhere) holding the
 * reports of the other commands: each profile's summary (info), a sortable
 * top table, the interactive flame graph (flame --svg's, inline), the diff
 * of two profiles with its gates, and the GC timeline of gctrace logs and
 * traces. Every section is optional; the page shows those it is given. */
#ifndef MS_HTML_REPORT_H
#define MS_HTML_REPORT_H

#include <stdio.h>

#include "analysis/stacks.h"
#include "gctrace/gctrace.h"
#include "profile/gotrace.h"
#include "profile/profile.h"
#include "render/diff.h"
#include "render/flame_svg.h"
#include "render/top.h"

typedef struct ms_html_profile {
	const char *name;           /* as given on the command line */
	const ms_profile *p;
	const ms_gt_stats *gotrace; /* a Go execution trace's reader facts, else NULL */
} ms_html_profile;

typedef struct ms_html_report {
	const char *title;                /* NULL: "memscope report" */
	const ms_html_profile *profiles;  /* summaries, in order */
	size_t nprofiles;
	const ms_top_view *top;           /* NULL: no top table */
	const ms_stacks *stacks;          /* NULL: no flame graph */
	const ms_flame_svg_opts *flame;   /* its options (embed_id is set by the page) */
	const ms_diff_view *diff;         /* NULL: no diff */
	int tripped;                      /* gates of the diff that tripped */
	ms_gctrace_log *const *logs;      /* GC timelines (nlogs may be 0) */
	const ms_gctrace_report *reps;
	size_t nlogs;
} ms_html_report;

/* Writes the page; 0, or -1 on a write error (or no memory for a section's
 * text). */
int ms_html_report_write(FILE *fp, const ms_html_report *r);

#endif
