/* check_gotrace_gc.c — `memscope gctrace` on Go execution traces
 * (src/gctrace/gotrace_gc.c) against references that memscope did not
 * compute:
 *   - the runtime's own GODEBUG=gctrace=1 lines of the same run
 *     (testdata/gotrace/waits.go1.NN.gctrace.log, written while the trace
 *     in waits.go1.NN.trace was taken; NN = 19, 21, 22, 23): as many cycles
 *     as lines between "waits: trace start" and "waits: trace stop"; each
 *     cycle's heap A->B->C MB and goal equal; its STW clock fields agree to
 *     their printed precision (the line floors to two significant digits:
 *     printed p means p <= v < p + one unit of the last digit):
 *       sweep termination: the line's a = tMark − tSweepTerm (mgc.go
 *         gcStart); tSweepTerm is read just before stopTheWorldWithSema
 *         emits STW_BEGIN, tMark (startTheWorldWithSema's nanotime())
 *         just before it emits STW_END, which carries no stack or string in
 *         any format: so the window W < p + unit + 1 µs. The other side:
 *         old format (1.19, 1.21): STWStart is traceEvent(..., skip -1):
 *           no stack, the clock is read first, so W >= p − 1 µs;
 *         generational (1.22, 1.23): STWStart is eventWriter().commit(
 *           traceEvSTWBegin, tl.string(reason.String()), tl.stack(2))
 *           (trace2runtime.go, traceruntime.go): the reason and the stack
 *           are interned (a traceMap insert, maybe a new region) before
 *           traceWriter.event reads the clock, so the window starts an
 *           unbounded time after tSweepTerm (real runs: up to 1.2 µs
 *           late). What Go's code bounds is tSweepTerm >= GC_BEGIN
 *           (trace.GCStart() comes first in gcStart): p <= STW_END −
 *           GC_BEGIN + 1 µs.
 *       mark termination: the line's c = tEnd − tMarkTerm; tEnd is read
 *         after GCDone and before the world's restart, so c >= GC_END −
 *         STW_BEGIN − 1 µs must meet [p, p + unit). Upper side: old
 *         format: c <= the STW window + 1 µs (the restart's STW_END comes
 *         after tEnd, the STW_BEGIN right after tMarkTerm); generational:
 *         STW_BEGIN is late as above, and the latest GC event that Go's
 *         code orders before tMarkTerm is the sweep termination's STW_BEGIN
 *         (gcMarkDone runs in the mark phase that window started; the
 *         sink's events between carry no tie to the goroutine that stops
 *         the world): p <= STW_END − that + 1 µs, a weak bound; the tight
 *         side is GC_END − STW_BEGIN.
 *       (1 µs: the code between the clock reads, and the 64 ns trace clock
 *       unit of the generational format, tracetime.go)
 *       The report's mark termination (STW_BEGIN .. the world's restart,
 *         the PROCS event procresize emits in startTheWorldWithSema after
 *         tEnd: mgc.go:1014 then 1097, proc.go:1570 in Go 1.22) must be the
 *         line's c: >= p − 3 µs (STW_BEGIN late, as above: up to 2 µs seen)
 *         and < p + unit + 10 µs (the rest of gcMarkTermination after tEnd,
 *         netpoll(0) and sched.lock before procresize: up to 5.6 µs seen).
 *         The trace's STW_END is no such bound: the runtime emits it after
 *         waking the other Ps' Ms (proc.go:1579-1609), 3-60 µs later in
 *         these runs and 15.5 ms later in waits.go1.22's gc 6 (line: 0.20
 *         ms), while P 1 already ran goroutines (`go tool trace -d=2`).
 *     A version whose reader is not there yet ("cannot be read yet") is
 *     skipped with a message.
 *   - the MMU curve of `go tool trace` (the writing Go release) run headless:
 *     its /mmuPlot?flags=stw|background|assist endpoint (Go 1.22+:
 *     /mmu?mode=plot&flags=...) gives [window, MMU]
 *     at 100 windows, each compared with ms_gotrace_mmu at that window (Go
 *     1.22+: with ms_gotrace_mmu_gotool, the function that tool computes,
 *     defect included: gotrace_gc.c);
 *   - for Go 1.22+ also Go's own internal/trace code with that defect fixed
 *     (tools/go_mmuref.sh builds it from the Go's sources) against
 *     ms_gotrace_mmu at 60 windows; and
 *     properties from the construction of the utilization function: MMU is
 *     0 for windows no longer than the longest STW pause, MMU over the whole
 *     trace is the mean utilization, every value within [0, 1].
 */
#include "config.h"

#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gctrace/gctrace.h"

static char *data_path(const char *rel)
{
	static char buf[4096];
	const char *top = getenv("srcdir");
	snprintf(buf, sizeof buf, "%s/%s", top ? top : ".", rel);
	return buf;
}

/* A printed clock field "0.054", "1.7", "12": ns value and unit (ns). */
static void printed(const char *s, size_t len, int64_t *ns, int64_t *unit)
{
	int64_t v = 0, u = 1000000; /* whole ms */
	int dec = -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.') {
			dec = 0;
			continue;
		}
		v = v * 10 + (s[i] - '0');
		if (dec >= 0)
			dec++;
	}
	int64_t scale = 1000000;
	for (int d = 0; d < (dec < 0 ? 0 : dec); d++)
		scale /= 10;
	u = scale;
	*ns = v * scale;
	*unit = u;
}

typedef struct gcline {
	int64_t a, a_unit, c, c_unit;
	unsigned h0, h1, h2, goal;
} gcline;

/* The gctrace lines written while the trace ran. */
static size_t read_lines(const char *path, gcline *out, size_t cap)
{
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	char line[1024];
	int in = 0;
	size_t n = 0;
	while (fgets(line, sizeof line, f)) {
		if (strstr(line, "waits: trace start"))
			in = 1;
		else if (strstr(line, "waits: trace stop"))
			in = 0;
		else if (in && strncmp(line, "gc ", 3) == 0 && n < cap) {
			const char *clock = strstr(line, "%: ");
			ck_assert_ptr_nonnull(clock);
			clock += 3;
			const char *p1 = strchr(clock, '+');
			const char *p2 = strchr(p1 + 1, '+');
			const char *sp = strchr(p2, ' ');
			gcline *g = &out[n++];
			printed(clock, (size_t)(p1 - clock), &g->a, &g->a_unit);
			printed(p2 + 1, (size_t)(sp - p2 - 1), &g->c, &g->c_unit);
			const char *mb = strstr(line, " MB, ");
			ck_assert_ptr_nonnull(mb);
			const char *h = mb;
			while (h > line && h[-1] != ' ')
				h--;
			ck_assert_int_eq(sscanf(h, "%u->%u->%u MB, %u MB goal", &g->h0, &g->h1, &g->h2, &g->goal), 4);
		}
	}
	fclose(f);
	return n;
}

/* Loads a Go trace into a gctrace log; NULL (skip) when its reader is not
 * there yet. */
static ms_gctrace_log *load(const char *rel)
{
	ms_err err;
	ms_gctrace_log *log = ms_gctrace_read(data_path(rel), NULL, &err);
	if (!log && strstr(err.msg, "cannot be read yet")) {
		fprintf(stderr, "check_gotrace_gc: %s: skipped (%s)\n", rel, err.msg);
		return NULL;
	}
	ck_assert_msg(log != NULL, "%s", err.msg);
	ck_assert_ptr_nonnull(log->gotrace);
	return log;
}

static void against_gctrace(const char *trace, const char *gclog)
{
	ms_gctrace_log *log = load(trace);
	if (!log)
		return;
	gcline want[256];
	size_t n = read_lines(data_path(gclog), want, 256);
	ck_assert_uint_gt(n, 2);
	ck_assert_uint_eq(log->ncycles, n);
	const ms_gotrace_gc *g = log->gotrace;
	ck_assert_uint_eq(g->ncycles, n);
	const int64_t tol = 1000;
	/* the generational format's STW_BEGIN comes late (see the top) */
	const bool late_begin = g->version_minor >= 22;
	for (size_t i = 0; i < n; i++) {
		const ms_gotrace_cycle *x = &g->cycles[i];
		const ms_gc_cycle *c = &log->cycles[i];
		int64_t sweep = x->sweep_end_ns - x->sweep_start_ns;
		int64_t sweep_max = late_begin ? x->sweep_end_ns - x->start_ns : sweep;
		ck_assert_msg(sweep_max >= want[i].a - tol && sweep < want[i].a + want[i].a_unit + tol,
			"%s cycle %zu: sweep termination %lld ns (at most %lld), line %lld ns (unit %lld)", trace,
			i + 1, (long long)sweep, (long long)sweep_max, (long long)want[i].a, (long long)want[i].a_unit);
		int64_t lo = x->end_ns - x->mark_term_start_ns, win = x->mark_term_end_ns - x->mark_term_start_ns;
		int64_t hi = late_begin ? x->mark_term_end_ns - x->sweep_start_ns : win;
		ck_assert_msg(lo - tol < want[i].c + want[i].c_unit && hi + tol >= want[i].c,
			"%s cycle %zu: mark termination %lld..%lld ns, line %lld ns (unit %lld)", trace, i + 1,
			(long long)lo, (long long)hi, (long long)want[i].c, (long long)want[i].c_unit);
		/* the report's mark termination: STW_BEGIN .. the world's restart
		 * (the PROCS event, see the top), not the trace's STW_END */
		int64_t rc = (int64_t)c->mark_term_us * 1000;
		ck_assert_msg(rc + 3000 >= want[i].c && rc < want[i].c + want[i].c_unit + 10000,
			"%s cycle %zu: report's mark termination %lld ns, line %lld ns (unit %lld)", trace, i + 1,
			(long long)rc, (long long)want[i].c, (long long)want[i].c_unit);
		ck_assert_uint_eq(c->heap_start_mb, want[i].h0);
		ck_assert_uint_eq(c->heap_end_mb, want[i].h1);
		ck_assert_uint_eq(c->heap_live_mb, want[i].h2);
		if (c->has_goal) /* (no goal before the trace's first commit) */
			ck_assert_uint_eq(c->goal_mb, want[i].goal);
		else
			ck_assert_uint_eq(i, 0);
		/* the report's pause is the STW windows' */
		ck_assert_uint_eq(ms_gc_cycle_pause_us(c), (uint64_t)(sweep / 1000) + (uint64_t)(win / 1000));
	}
	ms_gctrace_report rep;
	ms_err err;
	ck_assert_int_eq(ms_gctrace_analyze(log, NULL, &rep, &err), 0);
	ck_assert_uint_eq(rep.stats.gc_count, n);
	ms_gctrace_report_free(&rep);
	ms_gctrace_log_free(log);
}

START_TEST(gctrace_go119) { against_gctrace("testdata/gotrace/waits.go1.19.trace", "testdata/gotrace/waits.go1.19.gctrace.log"); }
END_TEST
START_TEST(gctrace_go121) { against_gctrace("testdata/gotrace/waits.go1.21.trace", "testdata/gotrace/waits.go1.21.gctrace.log"); }
END_TEST
START_TEST(gctrace_go122) { against_gctrace("testdata/gotrace/waits.go1.22.trace", "testdata/gotrace/waits.go1.22.gctrace.log"); }
END_TEST
START_TEST(gctrace_go123) { against_gctrace("testdata/gotrace/waits.go1.23.trace", "testdata/gotrace/waits.go1.23.gctrace.log"); }
END_TEST

/* ---- MMU ------------------------------------------------------------------------------ */

static void mmu_properties(const char *trace)
{
	ms_gctrace_log *log = load(trace);
	if (!log)
		return;
	const ms_gotrace_gc *g = log->gotrace;
	ck_assert_uint_ge(g->nutil, 2);
	int64_t longest = 0;
	for (size_t i = 0; i < g->nstw; i++)
		if (g->stw[i].end_ns - g->stw[i].start_ns > longest)
			longest = g->stw[i].end_ns - g->stw[i].start_ns;
	ck_assert_int_gt(longest, 0);
	ck_assert(ms_gotrace_mmu(g, longest) == 0);
	ck_assert(ms_gotrace_mmu(g, longest / 2) == 0);
	/* the whole trace: the mean of the utilization function */
	double area = 0;
	for (size_t i = 0; i + 1 < g->nutil; i++)
		area += g->util[i].util * (double)(g->util[i + 1].t_ns - g->util[i].t_ns);
	int64_t len = g->util[g->nutil - 1].t_ns - g->util[0].t_ns;
	ck_assert_double_eq_tol(ms_gotrace_mmu(g, len), area / (double)len, 1e-12);
	ck_assert_double_eq_tol(ms_gotrace_mmu(g, 10 * len), area / (double)len, 1e-12);
	for (int64_t w = 100000; w < len; w *= 2) {
		double m = ms_gotrace_mmu(g, w);
		ck_assert(m >= 0 && m <= 1);
		/* MMU(2w) >= MMU(w): a 2w window is two w windows */
		ck_assert(ms_gotrace_mmu(g, 2 * w) >= m - 1e-12 || 2 * w > len);
	}
	ms_gctrace_log_free(log);
}

START_TEST(mmu_props_go119) { mmu_properties("testdata/gotrace/waits.go1.19.trace"); }
END_TEST
START_TEST(mmu_props_go121) { mmu_properties("testdata/gotrace/waits.go1.21.trace"); }
END_TEST

/* Runs `go tool trace -http` on trace, reads its MMU curve and compares. */
static void mmu_vs_go(const char *trace, const char *go)
{
	if (access(go, X_OK) != 0) {
		fprintf(stderr, "check_gotrace_gc: %s missing, skipping the MMU of %s\n", go, trace);
		return;
	}
	ms_gctrace_log *log = load(trace);
	if (!log)
		return;
	char abs[4096];
	ck_assert_ptr_nonnull(realpath(data_path(trace), abs));
	char dir[] = "/tmp/check_gotrace_gc.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char cmd[8192];
	/* the server runs until killed; its address is on stderr. Polling the
	 * log for it (up to 120 s) keeps this independent of the load. */
	snprintf(cmd, sizeof cmd,
		"cd '%s' && (BROWSER=true '%s' tool trace -http=127.0.0.1:0 '%s' >out 2>err & echo $! >pid; wait) "
		">/dev/null 2>&1 & "
		"i=0; while [ $i -lt 600 ] && ! grep -q 'listening on' '%s/err' 2>/dev/null; do sleep 0.2; i=$((i+1)); done; "
		"url=$(sed -n 's/.*listening on \\(http:[^ ]*\\).*/\\1/p' '%s/err'); "
		"curl -s --max-time 300 \"$url/mmuPlot?flags=stw|background|assist\" >'%s/mmu.json'; "
		/* Go 1.22+ serves the plot at /mmu?mode=plot */
		"case $(head -c1 '%s/mmu.json') in '{'|'[') ;; *) "
		"curl -s --max-time 300 \"$url/mmu?mode=plot&flags=stw|background|assist\" >'%s/mmu.json';; esac; "
		"kill $(cat '%s/pid') 2>/dev/null; true",
		dir, go, abs, dir, dir, dir, dir, dir, dir);
	ck_assert_int_eq(system(cmd), 0);
	char path[4200];
	snprintf(path, sizeof path, "%s/mmu.json", dir);
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_msg(root != NULL, "no MMU from go tool trace: %s", jerr.text);
	json_t *curve = json_object_get(root, "curve");
	ck_assert(json_is_array(curve));
	ck_assert_uint_ge(json_array_size(curve), 50);
	size_t nonzero = 0;
	for (size_t i = 0; i < json_array_size(curve); i++) {
		json_t *pt = json_array_get(curve, i);
		int64_t w = (int64_t)json_number_value(json_array_get(pt, 0));
		double want = json_number_value(json_array_get(pt, 1));
		/* Go 1.22+: the function go tool trace computes (see gotrace_gc.c) */
		double got = log->gotrace->version_minor >= 22 ? ms_gotrace_mmu_gotool(log->gotrace, w)
							       : ms_gotrace_mmu(log->gotrace, w);
		ck_assert_msg(fabs(got - want) < 1e-6, "%s window %lld ns: go tool trace %.9f, memscope %.9f", trace,
			(long long)w, want, got);
		nonzero += want > 0;
	}
	ck_assert_uint_gt(nonzero, 10);
	json_decref(root);
	ms_gctrace_log_free(log);
}

START_TEST(mmu_go119) { mmu_vs_go("testdata/gotrace/waits.go1.19.trace", "/usr/lib/go-1.19/bin/go"); }
END_TEST
START_TEST(mmu_go121) { mmu_vs_go("testdata/gotrace/waits.go1.21.trace", "/usr/lib/go-1.21/bin/go"); }
END_TEST
START_TEST(mmu_demo_go121) { mmu_vs_go("testdata/gotrace/demo.go1.21.trace", "/usr/lib/go-1.21/bin/go"); }
END_TEST
/* the generational format (the reader of gotrace_v2.c) */
START_TEST(mmu_props_go123) { mmu_properties("testdata/gotrace/waits.go1.23.trace"); }
END_TEST
/* The generational traces against the Go that wrote them (Go 1.22's and
 * 1.23's tool run MutatorUtilizationV2): every event memscope's reader hands
 * to the sink, in its order, must give go tool trace's curve exactly. */
static const struct {
	const char *trace, *go;
} gen_traces[] = {
	{"testdata/gotrace/waits.go1.22.trace", "/usr/lib/go-1.22/bin/go"},
	{"testdata/gotrace/demo.go1.22.trace", "/usr/lib/go-1.22/bin/go"},
	{"testdata/gotrace/waits.go1.23.trace", "/usr/lib/go-1.23/bin/go"},
	{"testdata/gotrace/demo.go1.23.trace", "/usr/lib/go-1.23/bin/go"},
};
#define NGEN ((int)(sizeof gen_traces / sizeof gen_traces[0]))

START_TEST(mmu_gotool) { mmu_vs_go(gen_traces[_i].trace, gen_traces[_i].go); }
END_TEST

/* memscope's own MMU on a Go 1.22+ trace (ms_gotrace_mmu) against Go's
 * code with the worker-count defect fixed: tools/go_mmuref.sh builds the
 * given Go's internal/trace with that one change (the script says which) and
 * prints its MMUCurve.MMU at each window. Windows: 60 from 10 us to the
 * trace's length, evenly spaced in log. */
static void mmu_vs_fixed_go(const char *trace, const char *go)
{
	if (access(go, X_OK) != 0 || system("command -v python3 >/dev/null 2>&1") != 0) {
		fprintf(stderr, "check_gotrace_gc: %s or python3 missing, skipping the MMU of %s\n", go, trace);
		return;
	}
	ms_gctrace_log *log = load(trace);
	if (!log)
		return;
	const ms_gotrace_gc *g = log->gotrace;
	ck_assert_uint_ge(g->nutil, 2);
	double len = (double)(g->util[g->nutil - 1].t_ns - g->util[0].t_ns);
	enum { NW = 60 };
	int64_t win[NW];
	char cmd[8192], path[4200];
	char dir[] = "/tmp/check_gotrace_gc.XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/mmu.txt", dir);
	char script[4096];
	snprintf(script, sizeof script, "%s", data_path("tools/go_mmuref.sh"));
	int off = snprintf(cmd, sizeof cmd, "'%s' '%s' '%s'", script, go, data_path(trace));
	for (int i = 0; i < NW; i++) {
		win[i] = (int64_t)(1e4 * pow(len / 1e4, (double)i / (NW - 1)));
		off += snprintf(cmd + off, sizeof cmd - (size_t)off, " %lld", (long long)win[i]);
	}
	snprintf(cmd + off, sizeof cmd - (size_t)off, " >'%s'", path);
	ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	size_t n = 0, nonzero = 0;
	long long w;
	double want;
	while (fscanf(f, "%lld %lf", &w, &want) == 2) {
		ck_assert_int_eq(w, win[n]);
		double got = ms_gotrace_mmu(g, w);
		ck_assert_msg(fabs(got - want) < 1e-6, "%s window %lld ns: Go's code (fixed) %.9f, memscope %.9f", trace,
			w, want, got);
		nonzero += want > 0;
		n++;
	}
	fclose(f);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_uint_eq(n, NW);
	ck_assert_uint_gt(nonzero, 10);
	ms_gctrace_log_free(log);
}

START_TEST(mmu_fixed_go) { mmu_vs_fixed_go(gen_traces[_i].trace, gen_traces[_i].go); }
END_TEST

int main(void)
{
	Suite *s = suite_create("gotrace_gc");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 900);
	tcase_add_test(tc, gctrace_go119);
	tcase_add_test(tc, gctrace_go121);
	tcase_add_test(tc, gctrace_go122);
	tcase_add_test(tc, gctrace_go123);
	tcase_add_test(tc, mmu_props_go119);
	tcase_add_test(tc, mmu_props_go121);
	tcase_add_test(tc, mmu_go119);
	tcase_add_test(tc, mmu_go121);
	tcase_add_test(tc, mmu_demo_go121);
	tcase_add_test(tc, mmu_props_go123);
	tcase_add_loop_test(tc, mmu_gotool, 0, NGEN);
	tcase_add_loop_test(tc, mmu_fixed_go, 0, NGEN);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
