/* opts.h — command-line options declared as data (after git's
 * parse-options): each command lists its options in a table and calls
 * ms_parse_opts(), which handles "--name=value", "--name value", "-n value",
 * "-nvalue", bundled flags "-abc", "--" and "-" (stdin) as a positional. */
#ifndef MS_OPTS_H
#define MS_OPTS_H

#include <stddef.h>

enum ms_opt_kind {
	MS_OPT_END = 0,
	MS_OPT_FLAG,   /* int *: set to 1 */
	MS_OPT_STRING, /* const char **: last one wins */
	MS_OPT_LIST,   /* ms_strlist *: repeatable */
	MS_OPT_INT,    /* long *: decimal integer */
	MS_OPT_DOUBLE, /* double * */
	MS_OPT_SIZE,   /* unsigned long long *: bytes, units B/kB/KB/KiB/MB/... (1024 steps) */
	MS_OPT_FEW,    /* ms_few *: repeatable, at most MS_FEW_MAX, nothing to free */
};

typedef struct ms_strlist {
	const char **items;
	size_t n;
} ms_strlist;

/* A short repeatable option's values kept in place (HTTP headers): no
 * allocation, so a command's early returns have nothing to free. */
#define MS_FEW_MAX 16
typedef struct ms_few {
	const char *items[MS_FEW_MAX];
	size_t n;
} ms_few;

typedef struct ms_option {
	enum ms_opt_kind kind;
	char short_name;       /* 0 when none */
	const char *long_name; /* NULL when none */
	void *value;
	const char *argh;      /* name of the argument in help, e.g. "N" */
	const char *help;
} ms_option;

#define MS_OPT_END_MARK { MS_OPT_END, 0, NULL, NULL, NULL, NULL }

enum { MS_OPTS_HELP = -2, MS_OPTS_ERROR = -1 };

/* The exit status for a negative ms_parse_opts result: 0 after --help (the
 * usage is printed), 2 after an error (its line is printed). Commands read
 *	int n = ms_parse_opts(argc, argv, opts, usage);
 *	if (n < 0)
 *		return ms_opts_exit(n); */
static inline int ms_opts_exit(int n) { return n == MS_OPTS_HELP ? 0 : 2; }

/* Parses argv[1..argc-1] (argv[0] is the command name). Positionals are
 * moved to argv[0..k-1] in order; returns k, MS_OPTS_HELP after printing
 * help to stdout for -h/--help, or MS_OPTS_ERROR after printing one line to
 * stderr. usage is a NULL-terminated list of usage lines. */
int ms_parse_opts(int argc, char **argv, const ms_option *opts, const char *const *usage);

/* The name of names[0..n) closest to the misspelt word[0..len) (optimal
 * string alignment distance: insertions, deletions, substitutions and
 * swaps of neighbours, each 1), when it is close enough to be what was
 * meant: distance ≤ max(1, len/3), or word is a prefix of exactly one
 * name. NULL otherwise. */
const char *ms_did_you_mean(const char *word, size_t len, const char *const *names, size_t n);

/* For commands that run another command (memscope run OPTIONS -- CMD or
 * memscope run OPTIONS CMD ARGS): parses options up to the first positional
 * or "--" and stores the index of what follows in *rest (argc when none).
 * argv is not reordered. Returns 0, MS_OPTS_HELP or MS_OPTS_ERROR. */
int ms_parse_opts_prefix(int argc, char **argv, const ms_option *opts, const char *const *usage, int *rest);

/* Prints the usage lines and the option table to fp. */
void ms_print_usage(void *fp, const ms_option *opts, const char *const *usage);

/* Prints "usage: <first line>" hint to stderr and returns MS_EXIT_INPUT. */
int ms_usage_error(const ms_option *opts, const char *const *usage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void ms_strlist_free(ms_strlist *l);

/* Parses "512", "10MB", "1.5GiB", "64k" into bytes (powers of 1024, as pprof
 * does). Returns 0 or -1. */
int ms_parse_size(const char *s, unsigned long long *out);

#endif
