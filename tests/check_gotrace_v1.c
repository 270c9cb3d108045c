/* check_gotrace_v1.c — the old per-P Go execution trace reader
 * (src/profile/gotrace_v1.c) against Go's own tools, run live:
 *   - for each trace in testdata/gotrace/ written by Go 1.19 and Go 1.21,
 *     `go tool trace -pprof=net|sync|syscall|sched` of that release; its
 *     pprof output (read with memscope's pprof reader) is summed per stack
 *     (the list of PCs) and in total, count and delay, and must equal
 *     exactly what the reader's intervals sum to. A missing Go skips with
 *     a message.
 *   - CPU samples against the CPU profile the same run wrote (the trace's
 *     samples are the profile's samples: same total, same stacks);
 *   - the go 1.11 format on Go's own canned traces (Go 1.19's
 *     src/internal/trace/testdata/ *_1_11_good), against Go 1.19's tool,
 *     and three of its 1.19/1.21 ones (from Go 1.21's testdata);
 *   - bad input: every truncation of a trace is read (exit 0 with a warning
 *     naming an offset) or rejected with "byte N: ..."; never a crash.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile/gotrace.h"
#include "profile/pprof.h"
#include "profile/profile.h"
#include "util/buf.h"
#include "util/io.h"

static char *data_path(const char *rel)
{
	static char buf[4096];
	const char *top = getenv("srcdir");
	snprintf(buf, sizeof buf, "%s/%s", top ? top : ".", rel);
	return buf;
}

static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	ms_buf b = {0};
	char tmp[65536];
	size_t k;
	while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
		ms_buf_add(&b, tmp, k);
	fclose(f);
	size_t len;
	char *p = ms_buf_detach(&b, &len);
	*n = len;
	return (uint8_t *)p;
}

/* ---- per-stack sums -------------------------------------------------------------- */

typedef struct ent {
	char *key; /* "kind|pc pc pc" */
	int64_t count, ns;
} ent;

typedef struct sums {
	ent *e;
	size_t n, cap;
	int64_t count[MS_GT_NKINDS], ns[MS_GT_NKINDS];
	int64_t cpu_samples;
	int64_t gc_begin, gc_end, stw_begin, stw_end;
} sums;

static void add(sums *s, const char *key, int64_t count, int64_t ns)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->e[i].key, key) == 0) {
			s->e[i].count += count;
			s->e[i].ns += ns;
			return;
		}
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->e = realloc(s->e, s->cap * sizeof *s->e);
		ck_assert_ptr_nonnull(s->e);
	}
	s->e[s->n++] = (ent){strdup(key), count, ns};
}

static void sums_free(sums *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->e[i].key);
	free(s->e);
	memset(s, 0, sizeof *s);
}

static const char *kind_name[MS_GT_NKINDS] = {"sync", "net", "syscall", "sched"};

static int on_interval(void *ctx, const ms_gt_interval *iv)
{
	sums *s = ctx;
	ck_assert_int_gt(iv->end_ns, iv->start_ns);
	ck_assert_ptr_nonnull(iv->why);
	ms_buf k = {0};
	ms_buf_addf(&k, "%s|", kind_name[iv->kind]);
	for (size_t i = 0; i < iv->nframes; i++)
		ms_buf_addf(&k, "%llx ", (unsigned long long)iv->frames[i].pc);
	ms_buf_addch(&k, 0);
	add(s, k.data, 1, iv->end_ns - iv->start_ns);
	ms_buf_free(&k);
	s->count[iv->kind]++;
	s->ns[iv->kind] += iv->end_ns - iv->start_ns;
	return 0;
}

static int on_cpu(void *ctx, const ms_gt_cpu_sample *cs)
{
	sums *s = ctx;
	ms_buf k = {0};
	ms_buf_addstr(&k, "cpu|");
	/* by function (runtime/pprof folds inlined frames into one location
	 * of several lines) without runtime.goexit, which it drops */
	for (size_t i = 0; i < cs->nframes; i++)
		if (strcmp(cs->frames[i].func, "runtime.goexit") != 0)
			ms_buf_addf(&k, "%s ", cs->frames[i].func);
	ms_buf_addch(&k, 0);
	add(s, k.data, 1, 0);
	ms_buf_free(&k);
	s->cpu_samples++;
	return 0;
}

static int on_gc(void *ctx, const ms_gt_gc_event *ev)
{
	sums *s = ctx;
	switch (ev->what) {
	case MS_GT_GC_BEGIN: s->gc_begin++; break;
	case MS_GT_GC_END: s->gc_end++; break;
	case MS_GT_STW_BEGIN: s->stw_begin++; ck_assert_ptr_nonnull(ev->reason); break;
	case MS_GT_STW_END: s->stw_end++; break;
	default: break;
	}
	return 0;
}

static int read_trace(const char *path, sums *s, ms_gt_stats *st, ms_err *err)
{
	size_t n;
	uint8_t *data = slurp(path, &n);
	ck_assert_msg(data != NULL, "cannot read %s", path);
	ms_gt_opts opts = { .rules = MS_GT_RULES_GO };
	ms_gt_sink sink = {s, on_interval, on_cpu, on_gc};
	ms_buf warn = {0};
	int rc = ms_gotrace_read(data, n, &opts, &sink, st, &warn, err);
	ms_buf_free(&warn);
	free(data);
	return rc;
}

/* Sums a pprof profile (the tool's output) into s under kind. */
static void sum_pprof(const char *path, const char *kind, sums *s, int64_t *count, int64_t *ns)
{
	size_t n;
	uint8_t *data = slurp(path, &n);
	ck_assert_msg(data != NULL, "cannot read %s", path);
	ms_err err;
	ms_profile *p = ms_pprof_parse_any(data, n, &err);
	ck_assert_msg(p != NULL, "%s: %s", path, err.msg);
	*count = *ns = 0;
	for (size_t i = 0; i < p->nsamples; i++) {
		ms_buf k = {0};
		ms_buf_addf(&k, "%s|", kind);
		for (uint32_t d = 0; d < p->samples[i].depth; d++) {
			const ms_location *loc = &p->locations[p->stack[p->samples[i].stack_off + d]];
			if (strcmp(kind, "cpu") != 0) {
				ms_buf_addf(&k, "%llx ", (unsigned long long)loc->address);
				continue;
			}
			for (uint32_t l = 0; l < loc->nlines; l++)
				ms_buf_addf(&k, "%s ", ms_strtab_get(&p->strings,
					p->functions[p->lines[loc->line_off + l].function].name));
		}
		ms_buf_addch(&k, 0);
		int64_t c = p->ntypes >= 2 ? p->values[i * p->ntypes] : 1;
		int64_t v = p->values[i * p->ntypes + p->ntypes - 1];
		add(s, k.data, c, v);
		*count += c;
		*ns += v;
		ms_buf_free(&k);
	}
	ms_profile_free(p);
	free(data);
}

static bool have_go(const char *go)
{
	return access(go, X_OK) == 0;
}

/* Compares the reader's intervals on trace with `go tool trace -pprof` of
 * the given Go for every kind, per stack and in total. */
static void compare_with_go(const char *rel, const char *go)
{
	if (!have_go(go)) {
		fprintf(stderr, "check_gotrace_v1: %s missing, skipping %s\n", go, rel);
		return;
	}
	const char *path = data_path(rel);
	sums mine = {0}, ref = {0};
	ms_gt_stats st;
	ms_err err;
	ck_assert_msg(read_trace(path, &mine, &st, &err) == 0, "%s: %s", rel, err.msg);
	static const char *kinds[] = {"sync", "net", "syscall", "sched"};
	static const ms_gt_kind kk[] = {MS_GT_SYNC, MS_GT_NET, MS_GT_SYSCALL, MS_GT_SCHED};
	char tmp[] = "/tmp/check_gotrace_v1.XXXXXX";
	int fd = mkstemp(tmp);
	ck_assert_int_ge(fd, 0);
	close(fd);
	for (int k = 0; k < 4; k++) {
		char cmd[8192];
		snprintf(cmd, sizeof cmd, "'%s' tool trace -pprof=%s '%s' > '%s' 2>/dev/null", go, kinds[k], path, tmp);
		ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
		int64_t c, ns;
		sum_pprof(tmp, kinds[k], &ref, &c, &ns);
		ck_assert_msg(c == mine.count[kk[k]] && ns == mine.ns[kk[k]],
			"%s %s: go tool trace %lld intervals %lld ns, memscope %lld intervals %lld ns", rel, kinds[k],
			(long long)c, (long long)ns, (long long)mine.count[kk[k]], (long long)mine.ns[kk[k]]);
		ck_assert_int_eq(st.kind_count[kk[k]], c);
		ck_assert_int_eq(st.kind_ns[kk[k]], ns);
	}
	unlink(tmp);
	/* per stack */
	for (size_t i = 0; i < ref.n; i++) {
		bool found = false;
		for (size_t j = 0; j < mine.n; j++)
			if (strcmp(ref.e[i].key, mine.e[j].key) == 0) {
				ck_assert_msg(ref.e[i].count == mine.e[j].count && ref.e[i].ns == mine.e[j].ns,
					"%s stack %s: go %lld/%lld memscope %lld/%lld", rel, ref.e[i].key,
					(long long)ref.e[i].count, (long long)ref.e[i].ns, (long long)mine.e[j].count,
					(long long)mine.e[j].ns);
				found = true;
			}
		ck_assert_msg(found, "%s: stack %s of go tool trace not in memscope's intervals", rel, ref.e[i].key);
	}
	size_t mine_iv = 0;
	for (size_t j = 0; j < mine.n; j++)
		if (strncmp(mine.e[j].key, "cpu|", 4) != 0)
			mine_iv++;
	ck_assert_uint_eq(mine_iv, ref.n);
	ck_assert_int_gt(st.events, 0);
	ck_assert_int_gt(st.duration_ns, 0);
	ck_assert_int_eq(mine.gc_begin, (int64_t)st.gc_cycles);
	sums_free(&mine);
	sums_free(&ref);
}

START_TEST(demo_go119_totals)
{
	compare_with_go("testdata/gotrace/demo.go1.19.trace", "/usr/lib/go-1.19/bin/go");
}
END_TEST

START_TEST(demo_go121_totals)
{
	compare_with_go("testdata/gotrace/demo.go1.21.trace", "/usr/lib/go-1.21/bin/go");
}
END_TEST

START_TEST(own_go119_totals)
{
	compare_with_go("testdata/gotrace/waits.go1.19.trace", "/usr/lib/go-1.19/bin/go");
}
END_TEST

START_TEST(own_go121_totals)
{
	compare_with_go("testdata/gotrace/waits.go1.21.trace", "/usr/lib/go-1.21/bin/go");
}
END_TEST

START_TEST(go111_totals)
{
	/* Go's canned go 1.11 traces: Go 1.19's tool still reads them */
	compare_with_go("testdata/gotrace/http_1_11_good", "/usr/lib/go-1.19/bin/go");
	compare_with_go("testdata/gotrace/stress_1_11_good", "/usr/lib/go-1.19/bin/go");
}
END_TEST

START_TEST(go_canned_totals)
{
	/* Go's own canned traces of the 1.19 and 1.21 formats, with their tools */
	compare_with_go("testdata/gotrace/stress_1_19_good", "/usr/lib/go-1.19/bin/go");
	compare_with_go("testdata/gotrace/stress_1_21_good", "/usr/lib/go-1.21/bin/go");
	compare_with_go("testdata/gotrace/http_1_21_good", "/usr/lib/go-1.21/bin/go");
}
END_TEST

/* The trace's CPU samples are the CPU profile's samples of the same run. */
static void compare_cpu(const char *trace, const char *cpu)
{
	sums mine = {0}, ref = {0};
	ms_gt_stats st;
	ms_err err;
	ck_assert_msg(read_trace(data_path(trace), &mine, &st, &err) == 0, "%s: %s", trace, err.msg);
	int64_t c, ns;
	sum_pprof(data_path(cpu), "cpu", &ref, &c, &ns);
	ck_assert_int_gt(mine.cpu_samples, 0);
	ck_assert_int_eq(mine.cpu_samples, c);
	ck_assert_int_eq((int64_t)st.cpu_samples, c);
	/* per stack: the profile's PCs are return addresses like the trace's */
	for (size_t i = 0; i < ref.n; i++) {
		bool found = false;
		for (size_t j = 0; j < mine.n; j++)
			if (strcmp(ref.e[i].key, mine.e[j].key) == 0) {
				ck_assert_msg(ref.e[i].count == mine.e[j].count, "%s stack %s: profile %lld trace %lld",
					trace, ref.e[i].key, (long long)ref.e[i].count, (long long)mine.e[j].count);
				found = true;
			}
		ck_assert_msg(found, "%s: CPU profile stack %s not in the trace", trace, ref.e[i].key);
	}
	sums_free(&mine);
	sums_free(&ref);
}

START_TEST(cpu_samples_go119)
{
	compare_cpu("testdata/gotrace/demo.go1.19.trace", "testdata/gotrace/demo.go1.19.cpu.pb.gz");
}
END_TEST

START_TEST(cpu_samples_go121)
{
	compare_cpu("testdata/gotrace/demo.go1.21.trace", "testdata/gotrace/demo.go1.21.cpu.pb.gz");
}
END_TEST

START_TEST(stw_reasons)
{
	sums s = {0};
	ms_gt_stats st;
	ms_err err;
	ck_assert_msg(read_trace(data_path("testdata/gotrace/demo.go1.21.trace"), &s, &st, &err) == 0, "%s", err.msg);
	ck_assert_int_gt(s.gc_begin, 0);
	ck_assert_int_eq(s.gc_begin, s.gc_end + (s.gc_end < s.gc_begin ? 1 : 0) - (s.gc_end < s.gc_begin ? 1 : 0));
	ck_assert_int_eq(s.stw_begin, s.stw_end);
	ck_assert_int_ge(s.stw_begin, 2 * s.gc_end);
	ck_assert_int_eq(st.version_minor, 21);
	ck_assert_int_ge(st.max_procs, 1);
	sums_free(&s);
}
END_TEST

/* Every prefix of a real trace: 0 with a warning naming an offset, or -1
 * with "byte N: ..."; never a crash. */
START_TEST(truncated_everywhere)
{
	size_t n;
	uint8_t *data = slurp(data_path("testdata/gotrace/demo.go1.19.trace"), &n);
	ck_assert_ptr_nonnull(data);
	size_t step = n / 97 + 1;
	int ok = 0;
	for (size_t len = 16; len < n; len += step) {
		uint8_t *cp = malloc(len);
		memcpy(cp, data, len);
		sums s = {0};
		ms_gt_stats st;
		ms_err err;
		ms_gt_sink sink = {&s, on_interval, on_cpu, on_gc};
		ms_buf warn = {0};
		int rc = ms_gotrace_read(cp, len, NULL, &sink, &st, &warn, &err);
		if (rc == 0) {
			ck_assert_msg(warn.len > 0 && strncmp(warn.data, "byte ", 5) == 0, "len %zu: no warning", len);
			ck_assert_uint_gt(st.truncated_at, 0);
			ck_assert_uint_le(st.truncated_at, len);
			ok++;
		} else {
			ck_assert_msg(strncmp(err.msg, "byte ", 5) == 0, "len %zu: %s", len, err.msg);
		}
		ms_buf_free(&warn);
		sums_free(&s);
		free(cp);
	}
	ck_assert_int_gt(ok, 0);
	free(data);
}
END_TEST

/* --region: demo.go's 8 workers take the mutex inside region "worker", the
 * main goroutine never enters it: some sync intervals, none of g 1's */
static int on_interval_region(void *ctx, const ms_gt_interval *iv)
{
	ck_assert_uint_ne(iv->goid, 1);
	return on_interval(ctx, iv);
}

START_TEST(region_filter)
{
	size_t n;
	uint8_t *data = slurp(data_path("testdata/gotrace/demo.go1.19.trace"), &n);
	ck_assert_ptr_nonnull(data);
	sums all = {0}, in = {0}, none = {0};
	ms_gt_stats st;
	ms_err err;
	ms_gt_sink sink = {&all, on_interval, NULL, NULL};
	ck_assert_int_eq(ms_gotrace_read(data, n, NULL, &sink, &st, NULL, &err), 0);
	ms_gt_opts opts = { .rules = MS_GT_RULES_GO, .region = "worker" };
	sink = (ms_gt_sink){&in, on_interval_region, NULL, NULL};
	ck_assert_int_eq(ms_gotrace_read(data, n, &opts, &sink, &st, NULL, &err), 0);
	ck_assert_int_gt(in.count[MS_GT_SYNC], 0);
	ck_assert_int_lt(in.count[MS_GT_SYNC], all.count[MS_GT_SYNC]);
	ck_assert_int_eq(in.count[MS_GT_NET], 0);
	opts.region = "no such region";
	sink = (ms_gt_sink){&none, on_interval, NULL, NULL};
	ck_assert_int_eq(ms_gotrace_read(data, n, &opts, &sink, &st, NULL, &err), 0);
	for (int k = 0; k < MS_GT_NKINDS; k++)
		ck_assert_int_eq(none.count[k], 0);
	sums_free(&all);
	sums_free(&in);
	sums_free(&none);
	free(data);
}
END_TEST

START_TEST(corrupt)
{
	size_t n;
	uint8_t *data = slurp(data_path("testdata/gotrace/demo.go1.21.trace"), &n);
	ck_assert_ptr_nonnull(data);
	/* an unknown event type right after the header */
	data[16] = 0x3f;
	ms_gt_stats st;
	ms_err err;
	ms_gt_sink sink = {0};
	ck_assert_int_eq(ms_gotrace_read(data, n, NULL, &sink, &st, NULL, &err), -1);
	ck_assert_str_eq(err.msg, "byte 16: unknown event type 63");
	free(data);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("gotrace_v1");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, demo_go119_totals);
	tcase_add_test(tc, demo_go121_totals);
	tcase_add_test(tc, own_go119_totals);
	tcase_add_test(tc, own_go121_totals);
	tcase_add_test(tc, go111_totals);
	tcase_add_test(tc, go_canned_totals);
	tcase_add_test(tc, cpu_samples_go119);
	tcase_add_test(tc, cpu_samples_go121);
	tcase_add_test(tc, stw_reasons);
	tcase_add_test(tc, truncated_everywhere);
	tcase_add_test(tc, region_filter);
	tcase_add_test(tc, corrupt);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
