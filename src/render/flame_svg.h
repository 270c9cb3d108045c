/* flame_svg.h — interactive SVG flame graphs (plain, icicle, differential)
 * from a stacks prefix tree. The file is self-contained: styles and the
 * JavaScript (click-to-zoom, reset, regex search with "Matched: N%",
 * details on hover) are embedded; every frame carries a <title> tooltip,
 * so the graph reads without scripts too. */
#ifndef MS_FLAME_SVG_H
#define MS_FLAME_SVG_H

#include <stdio.h>

#include "analysis/stacks.h"

typedef enum ms_flame_palette {
	MS_PALETTE_AUTO = 0, /* mem for memory units, hot otherwise */
	MS_PALETTE_HOT,      /* CPU: red-yellow */
	MS_PALETTE_MEM,      /* memory: green-blue */
} ms_flame_palette;

int ms_flame_palette_parse(const char *s, ms_flame_palette *out);

typedef struct ms_flame_svg_opts {
	const char *title;     /* NULL: "Flame Graph", "Icicle Graph" or "Differential Flame Graph" */
	const char *subtitle;  /* NULL: the sample type and total */
	double width;          /* image width in px (default 1200) */
	double minwidth;       /* frames narrower than this many px are left out, with their children (default 0.1) */
	int icicle;            /* root at the top */
	ms_flame_palette palette;
	const char *type;      /* sample type name, e.g. "inuse_space" */
	const char *unit;      /* its unit, e.g. "bytes" */
	/* non-NULL: an <svg id="embed_id"> element for an HTML page (the
	 * `report --html` page): no XML prolog or DOCTYPE, no onload (the page
	 * calls the script's init()), its styles scoped to #embed_id */
	const char *embed_id;
} ms_flame_svg_opts;

void ms_flame_svg_opts_init(ms_flame_svg_opts *o);

/* Writes the SVG of the stacks (building their pruned prefix tree).
 * Stacks with two columns (base, new) draw a differential graph: widths
 * from new, colour from each frame's change in self value (red grew, blue
 * shrank), tooltips with base, new and delta. Returns the number of frames
 * drawn, or -1 on a write error. */
long ms_flame_svg_write(FILE *fp, const ms_stacks *s, const ms_flame_svg_opts *o);

#endif
