/* escape.h — the Go compiler's escape-analysis report (`go build
 * -gcflags=-m` or `-m=2`, its stderr) read into per-position decisions.
 *
 * Every line of that output is "POS: MESSAGE", POS being file:line:col
 * (file:line under -C). The forms read (cmd/compile/internal/escape,
 * escape.go and solve.go, Go 1.19 to 1.23):
 *   moved to heap: NAME                       a variable on the heap
 *   EXPR escapes to heap                      an allocation on the heap
 *   EXPR does not escape                      on the stack (also
 *                                             "..., mutate, or call")
 *   leaking param: NAME [to result R level=N] a parameter's value leaks
 *   leaking param content: NAME
 * and, with -m=2, the explanation printed before the decision:
 *   EXPR escapes to heap:                     (a trailing colon) opens it
 *   parameter NAME leaks to SINK with derefs=N:
 *     flow: DST = SRC:                        one flow edge ...
 *       from WHERE (WHY) at POS               ... and the notes saying why
 * Inlining lines ("can inline", "inlining call to"), closure capture lines
 * and the like are context: counted, not kept. "# PKG" lines are package
 * headers. Anything else is a bad line: counted and skipped (the first is
 * remembered for the warning), never fatal. A log without a single
 * decision is an error (it is not an escape-analysis report).
 *
 * Paths are kept as printed minus a leading "./"; ms_esc_file_match joins
 * them with a profile's file names by path suffix at a '/' boundary, so
 * "./main.go", "example.com/m/main.go" (-trimpath) and
 * "/home/u/m/main.go" (a profile's absolute name) meet. The input is kept
 * (a regular file mapped, anything else read into memory): texts are
 * (offset, length) pairs into it. */
#ifndef MS_ESCAPE_H
#define MS_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/strtab.h"

typedef enum ms_esc_kind {
	MS_ESC_MOVED = 0,    /* moved to heap: NAME */
	MS_ESC_ESCAPES,      /* EXPR escapes to heap */
	MS_ESC_NOESCAPE,     /* EXPR does not escape */
	MS_ESC_LEAK,         /* leaking param: NAME ... */
	MS_ESC_LEAK_CONTENT, /* leaking param content: NAME */
} ms_esc_kind;

static inline int ms_esc_is_heap(int kind) { return kind == MS_ESC_MOVED || kind == MS_ESC_ESCAPES; }
const char *ms_esc_kind_name(int kind); /* "moved", "escapes", "noescape", "leak", "leak-content" */

typedef struct ms_esc_text {
	uint64_t off; /* into log->text */
	uint32_t len;
} ms_esc_text;

typedef struct ms_esc_step {
	int is_flow;      /* 1: "flow: DST = SRC"; 0: "from WHERE (WHY) at AT" */
	ms_esc_text text; /* flow: "DST = SRC"; from: WHERE */
	ms_esc_text why;  /* from: WHY */
	ms_esc_text at;   /* from: the position as printed */
} ms_esc_step;

typedef struct ms_esc_decision {
	uint32_t file;       /* id in log->files */
	uint32_t line, col;  /* col 0 when the log has none */
	uint32_t kind;       /* ms_esc_kind */
	ms_esc_text expr;    /* NAME or EXPR ("leaking param: x to result ~r0 level=0": "x") */
	uint32_t step_off;   /* its -m=2 explanation: steps[step_off .. + nsteps) */
	uint32_t nsteps;
} ms_esc_decision;

typedef struct ms_esc_block ms_esc_block;

typedef struct ms_esc_log {
	const char *text;       /* the whole input: data's bytes or a mapping */
	size_t len;
	ms_buf data;            /* the input when it is not mapped (stdin, gzip) */
	void *map;              /* a regular uncompressed file, mapped read-only */
	size_t maplen;
	ms_strtab files;        /* paths as printed, without a leading "./" */
	ms_esc_decision *d;     /* sorted by file, line, col, kind; duplicates merged */
	size_t nd, dcap;
	ms_esc_step *steps;
	size_t nsteps, stepcap;
	size_t nlines;          /* input lines */
	size_t ncontext;        /* inlining, capture and other known non-decision lines */
	size_t nbad;            /* lines skipped */
	size_t first_bad;       /* the first one's line number (1-based), 0 = none */
	size_t nexplained;      /* decisions with an explanation */
	ms_esc_block *blocks;   /* explanations during the read */
	size_t nblocks, blockcap;
} ms_esc_log;

/* Reads a log (a file, "-" for stdin, gzip transparently). Errors name the
 * path; a log with no decision is one. */
int ms_esc_read(ms_esc_log *log, const char *path, ms_err *err);
/* Parses data[0..n) (copied); name is used in messages. */
int ms_esc_parse(ms_esc_log *log, const char *data, size_t n, const char *name, ms_err *err);
void ms_esc_free(ms_esc_log *log);

static inline const char *ms_esc_str(const ms_esc_log *log, ms_esc_text t) { return log->text + t.off; }

/* The decisions at file:line: *first and the count (0 when none). */
size_t ms_esc_at(const ms_esc_log *log, uint32_t file, uint32_t line, size_t *first);

/* The log's file that names the same file as path (a profile's file name),
 * by the longest path suffix they share at a '/' boundary; UINT32_MAX when
 * none does. */
uint32_t ms_esc_file_match(const ms_esc_log *log, const char *path);

#endif
