/* memscope.c — the command dispatcher: one table of subcommands (git's
 * builtin/ pattern); `memscope CMD ARGS` runs cmd_CMD(argc, argv) with
 * argv[0] = "CMD". Exit codes: 0 ok, 1 a gate or check tripped, 2 usage or
 * input error. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmds.h"
#include "util/diag.h"
#include "util/opts.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "top", cmd_top, "show the heaviest functions of a profile, like pprof -top" },
	{ "peek", cmd_peek, "callers and callees of functions matching a regex, like pprof -peek" },
	{ "traces", cmd_traces, "every distinct stack with its value, like pprof -traces" },
	{ "tree", cmd_tree, "every function with its callers and callees, like pprof -tree" },
	{ "info", cmd_info, "summarise a profile: sample types, counts, totals" },
	{ "convert", cmd_convert, "convert a profile to pprof, JSON or folded stacks" },
	{ "diff", cmd_diff, "what grew between profiles, with CI gates (--fail-on)" },
	{ "flame", cmd_flame, "folded stacks and (differential) SVG flame graphs from any profile or Go trace" },
	{ "frag", cmd_frag, "fragmentation findings from a heap dump (memscope run --heap-dump)" },
	{ "heapdump", cmd_heapdump, "what keeps a Go heap alive: roots, dominators, retained sizes (Go heap dumps)" },
	{ "escape", cmd_escape, "why Go heap-profile sites allocate, from go build -gcflags=-m=2; stack-to-heap CI gate" },
	{ "gctrace", cmd_gctrace, "analyse Go GC traces (GODEBUG=gctrace=1): pauses, pacing, leaks" },
	{ "leaks", cmd_leaks, "leak suspects: sites that grow steadily across heap profiles" },
	{ "watch", cmd_watch, "heap snapshots of a live Go server at an interval, leak suspects as they come" },
	{ "run", cmd_run, "run a program with the profiling allocator preloaded" },
	{ "tags", cmd_tags, "the labels of a profile's samples and their weights, like pprof -tags" },
	{ "symbolize", cmd_symbolize, "fill in functions, files and lines from binaries' debug info" },
	{ "report", cmd_report, "one self-contained HTML page: summary, top table, flame graph, diff, GC timeline" },
	{ "list", cmd_list, "annotated source of the functions matching a regex, like pprof -list" },
	{ "graph", cmd_graph, "the call graph as DOT or SVG, like pprof -dot/-svg" },
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void print_help(FILE *fp)
{
	fprintf(fp, "usage: memscope [--version] [--help] <command> [<args>]\n\n"
		    "memscope explains where a program's memory goes.\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(fp, "   %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(fp, "\n'memscope help <command>' or 'memscope <command> --help' shows a command's options.\n"
		    "Exit status: 0 ok, 1 a gate or check tripped, 2 usage or input error.\n");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* Runs a command, then checks once for all of them that what it printed
 * reached standard output (a full disk, a closed pipe reader, /dev/full):
 * a report that was not written is an error, exit 2, as git's run_builtin
 * does. */
static int run_command(const struct command *c, int argc, char **argv)
{
	int rc = c->fn(argc, argv);
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		int e = errno;
		return ms_error("cannot write to standard output: %s", e ? strerror(e) : "write error");
	}
	return rc;
}

/* "'x' is not a memscope command", with the closest command's name. */
static int not_a_command(const char *name)
{
	const char *names[NCOMMANDS + 1];
	for (size_t i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	names[NCOMMANDS] = "help";
	const char *near = ms_did_you_mean(name, strlen(name), names, NCOMMANDS + 1);
	if (near)
		return ms_error("'%s' is not a memscope command; did you mean '%s'? (see 'memscope --help')", name, near);
	return ms_error("'%s' is not a memscope command (see 'memscope --help')", name);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		print_help(stderr);
		return MS_EXIT_INPUT;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		print_help(stdout);
		return MS_EXIT_OK;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
		printf("memscope %s\n", PACKAGE_VERSION);
		return MS_EXIT_OK;
	}
	if (strcmp(name, "help") == 0) {
		if (argc < 3) {
			print_help(stdout);
			return MS_EXIT_OK;
		}
		const struct command *c = find_command(argv[2]);
		if (!c)
			return not_a_command(argv[2]);
		char *hargv[] = { argv[2], "--help", NULL };
		return run_command(c, 2, hargv);
	}
	const struct command *c = find_command(name);
	if (!c)
		return not_a_command(name);
	return run_command(c, argc - 1, argv + 1);
}
