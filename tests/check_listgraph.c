/* check_listgraph.c — unit tests of the pieces of `list` and `graph` that
 * pprof's goldens exercise only partly: pprof's trimPath (ms_source_trim)
 * and graph.ShortenFunctionName (the DOT labels). Expected values were
 * computed by Go 1.19's own code: the function and regexes of its vendored
 * pprof (cmd/vendor/github.com/google/pprof/internal/report/source.go and
 * internal/graph/graph.go) run with `go run` on these inputs. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/callgraph.h"
#include "analysis/listing.h"
#include "render/dot.h"

static const char *const trim_cases[][4] = { /* path, trim_path, source_path, pprof's result */
	{ "/usr/lib/go-1.19/src/runtime/malloc.go", "", "/usr/lib/go-1.19/src", "runtime/malloc.go" },
	{ "/usr/lib/go-1.19/src/runtime/malloc.go", "", "", "/usr/lib/go-1.19/src/runtime/malloc.go" },
	{ "/tmp/research/gen/main.go", "/tmp/research", "testdata/list", "gen/main.go" },
	{ "/tmp/research/gen/main.go", "/tmp/research/", "", "gen/main.go" },
	{ "/tmp/researchx/gen/main.go", "/tmp/research", "", "/tmp/researchx/gen/main.go" },
	{ "/proc/self/cwd/./a/b.go", "", "", "a/b.go" },
	{ "/proc/self/cwd/a/b.go", "", "x", "a/b.go" },
	{ "/a/b.go", "x::y", "", "a/b.go" },
	{ "/build/proj/src/proj/x.go", "", "/home/me/proj", "src/proj/x.go" },
	{ "leaky/main.go", "", "/usr/lib/go-1.19/src:testdata/list", "leaky/main.go" },
	{ "/x/list/y.go", "", "/usr/lib/go-1.19/src:testdata/list", "y.go" },
	{ "/a/b/c.go", "/q:/a", "/zz/b", "b/c.go" },
};

START_TEST(test_trim_path_like_pprof)
{
	for (size_t i = 0; i < sizeof trim_cases / sizeof trim_cases[0]; i++) {
		const char *const *c = trim_cases[i];
		const char *got = ms_source_trim(c[0], c[1], c[2]);
		ck_assert_msg(strcmp(got, c[3]) == 0, "trim(%s, %s, %s) = %s, pprof: %s", c[0], c[1], c[2], got, c[3]);
	}
}
END_TEST

static const char *const shorten_cases[][2] = { /* name, pprof's short name */
	{ "root", "root" },
	{ "syscall.Syscall", "syscall.Syscall" },
	{ "net/http.(*conn).serve", "http.(*conn).serve" },
	{ "github.com/blahBlah/foo.Foo", "foo.Foo" },
	{ "github.com/blah-blah/foo_bar.(*FooBar).Foo", "foo_bar.(*FooBar).Foo" },
	{ "encoding/json.(*structEncoder).(encoding/json.encode)-fm", "json.(*structEncoder).(encoding/json.encode)-fm" },
	{ "github.com/blah/blah/vendor/gopkg.in/redis.v3.(*baseClient).(github.com/blah/blah/vendor/gopkg.in/redis.v3.process)-fm", "redis.v3.(*baseClient).(github.com/blah/blah/vendor/gopkg.in/redis.v3.process)-fm" },
	{ "github.com/foo/bar/v4.(*Foo).Bar", "bar.(*Foo).Bar" },
	{ "github.com/foo/bar/v4/baz.Foo.Bar", "baz.Foo.Bar" },
	{ "github.com/foo/bar/v123.(*Foo).Bar", "bar.(*Foo).Bar" },
	{ "github.com/foobar/v0.(*Foo).Bar", "v0.(*Foo).Bar" },
	{ "github.com/foobar/v1.(*Foo).Bar", "v1.(*Foo).Bar" },
	{ "example.org/v2xyz.Foo", "v2xyz.Foo" },
	{ "java.util.concurrent.ThreadPoolExecutor$Worker.run", "ThreadPoolExecutor$Worker.run" },
	{ "java.bar.foo.FooBar.run(java.lang.Runnable)", "FooBar.run" },
	{ "(anonymous namespace)::Bar::Foo", "Bar::Foo" },
	{ "(anonymous namespace)::foo", "foo" },
	{ "cpp::namespace::Class::method()::$_100::operator()", "Class::method" },
	{ "foo_bar::Foo::bar", "Foo::bar" },
	{ "cpp::namespace::Class::method<float, long, int>()", "Class::method<float, long, int>" },
	{ "foo", "foo" },
	{ "main.T.method", "T.method" },
	{ "a/b/", "b/" },
	{ "std::vector<int>::push_back", "std::vector<int>::push_back" },
	{ "ns::_Foo::~_Bar<x>y>z", "_Foo::~_Bar<x>y>" },
	{ "x/v2/v3.F", "v3.F" },
	{ "time.Time.Format", "time.Time.Format" },
	{ "com.x.Y.<init>", "Y.<init>" },
	{ "mozilla::dom::Foo::Bar", "Foo::Bar" },
	{ "main.(*T).M", "main.(*T).M" },
	{ "foo/v01.F", "v01.F" },
	{ "foo/v10/x.F", "x.F" },
};

/* ms_svg_write_panzoom on text shaped like Graphviz's: only the root tag's
 * width and height change (not a nested element's), the script lands
 * right before the last </svg>, and text it cannot place is left alone. */
static char *panzoom(const char *in)
{
	char *out = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&out, &n);
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(ms_svg_write_panzoom(fp, in, strlen(in)), 0);
	fclose(fp);
	return out;
}

START_TEST(test_svg_panzoom)
{
	const char *in = "<?xml version=\"1.0\"?>\n<svg width=\"1479pt\" height=\"1480pt\"\n viewBox=\"0 0 1479 1480\">\n"
			 "<g id=\"graph0\"><svg width=\"5\" height=\"6\"></svg></g>\n</svg>\n";
	char *out = panzoom(in);
	const char *root = strstr(out, "<svg ");
	ck_assert_ptr_nonnull(root);
	const char *want = "<svg width=\"100%\" height=\"100%\"\n viewBox=\"0 0 1479 1480\">";
	ck_assert(strncmp(root, want, strlen(want)) == 0);
	ck_assert_ptr_nonnull(strstr(out, "<svg width=\"5\" height=\"6\"></svg></g>\n<script"));
	const char *script = strstr(out, "<script"), *last = strstr(out, "]]></script>\n</svg>\n");
	ck_assert_ptr_nonnull(script);
	ck_assert_ptr_nonnull(last);
	ck_assert_ptr_nonnull(strstr(script, "getElementById(\"graph0\")"));
	ck_assert_str_eq(last, "]]></script>\n</svg>\n");
	free(out);
	const char *odd[] = { "", "<svg>", "not svg at all", "<svg width=\"1\">no height</svg>",
		"<svg width=\"1\" height=\"2\">never closed" };
	for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
		out = panzoom(odd[i]);
		ck_assert_str_eq(out, odd[i]);
		free(out);
	}
}
END_TEST

START_TEST(test_shorten_function_name_like_pprof)
{
	for (size_t i = 0; i < sizeof shorten_cases / sizeof shorten_cases[0]; i++) {
		char *got = ms_shorten_function_name(shorten_cases[i][0]);
		ck_assert_msg(strcmp(got, shorten_cases[i][1]) == 0, "shorten(%s) = %s, pprof: %s", shorten_cases[i][0], got,
			shorten_cases[i][1]);
		free(got);
	}
}
END_TEST

static Suite *listgraph_suite(void)
{
	Suite *s = suite_create("listgraph");
	TCase *t = tcase_create("pprof rules");
	tcase_add_test(t, test_trim_path_like_pprof);
	tcase_add_test(t, test_shorten_function_name_like_pprof);
	tcase_add_test(t, test_svg_panzoom);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(listgraph_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
