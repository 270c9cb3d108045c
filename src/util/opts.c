/* opts.c — table-driven option parsing shared by every subcommand. */
#include "util/opts.h"
#include "util/diag.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int ms_parse_size(const char *s, unsigned long long *out)
{
	char *end;
	errno = 0;
	if (!s || !*s || *s == '-')
		return -1;
	double v = strtod(s, &end);
	if (errno || end == s || !(v >= 0) || isinf(v))
		return -1;
	while (*end == ' ')
		end++;
	static const struct { const char *suffix; double mult; } units[] = {
		{ "", 1 }, { "b", 1 },
		{ "k", 1024.0 }, { "kb", 1024.0 }, { "kib", 1024.0 },
		{ "m", 1048576.0 }, { "mb", 1048576.0 }, { "mib", 1048576.0 },
		{ "g", 1073741824.0 }, { "gb", 1073741824.0 }, { "gib", 1073741824.0 },
		{ "t", 1099511627776.0 }, { "tb", 1099511627776.0 }, { "tib", 1099511627776.0 },
	};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcasecmp(end, units[i].suffix) == 0) {
			double bytes = v * units[i].mult;
			if (bytes >= 18446744073709551615.0)
				return -1;
			*out = (unsigned long long)(bytes + 0.5);
			return 0;
		}
	}
	return -1;
}

void ms_strlist_free(ms_strlist *l)
{
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

void ms_print_usage(void *fpv, const ms_option *opts, const char *const *usage)
{
	FILE *fp = fpv;
	for (size_t i = 0; usage && usage[i]; i++)
		fprintf(fp, "%s%s\n", i == 0 ? "usage: " : "   or: ", usage[i]);
	if (opts && opts[0].kind != MS_OPT_END)
		fputc('\n', fp);
	for (const ms_option *o = opts; o && o->kind != MS_OPT_END; o++) {
		char left[64];
		int n = 0;
		if (o->short_name && o->long_name)
			n = snprintf(left, sizeof left, "-%c, --%s", o->short_name, o->long_name);
		else if (o->short_name)
			n = snprintf(left, sizeof left, "-%c", o->short_name);
		else
			n = snprintf(left, sizeof left, "    --%s", o->long_name);
		if (o->kind != MS_OPT_FLAG && o->argh && n > 0 && (size_t)n < sizeof left)
			snprintf(left + n, sizeof left - (size_t)n, " %s", o->argh);
		fprintf(fp, "    %-26s %s\n", left, o->help ? o->help : "");
	}
}

int ms_usage_error(const ms_option *opts, const char *const *usage, const char *fmt, ...)
{
	(void)opts;
	va_list ap;
	fputs("memscope: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (usage && usage[0])
		fprintf(stderr, " (usage: %s)", usage[0]);
	fputc('\n', stderr);
	return MS_EXIT_INPUT;
}

static int set_value(const ms_option *o, const char *arg, const char *shown,
	const ms_option *opts, const char *const *usage)
{
	char *end;
	switch (o->kind) {
	case MS_OPT_FLAG:
		*(int *)o->value = 1;
		return 0;
	case MS_OPT_STRING:
		*(const char **)o->value = arg;
		return 0;
	case MS_OPT_LIST: {
		ms_strlist *l = o->value;
		l->items = ms_xreallocarray(l->items, l->n + 1, sizeof *l->items);
		l->items[l->n++] = arg;
		return 0;
	}
	case MS_OPT_FEW: {
		ms_few *f = o->value;
		if (f->n == MS_FEW_MAX) { /* the values are not shown: they may be credentials */
			ms_usage_error(opts, usage, "option '%s' is given more than %d times", shown, MS_FEW_MAX);
			return -1;
		}
		f->items[f->n++] = arg;
		return 0;
	}
	case MS_OPT_INT: {
		errno = 0;
		long v = strtol(arg, &end, 10);
		if (errno || end == arg || *end) {
			ms_usage_error(opts, usage, "option '%s' expects an integer, not '%s'", shown, arg);
			return -1;
		}
		*(long *)o->value = v;
		return 0;
	}
	case MS_OPT_DOUBLE: {
		errno = 0;
		double v = strtod(arg, &end);
		if (errno || end == arg || *end || isnan(v)) {
			ms_usage_error(opts, usage, "option '%s' expects a number, not '%s'", shown, arg);
			return -1;
		}
		*(double *)o->value = v;
		return 0;
	}
	case MS_OPT_SIZE:
		if (ms_parse_size(arg, o->value) < 0) {
			ms_usage_error(opts, usage, "option '%s' expects a size like 512, 64KiB or 10MB, not '%s'",
				shown, arg);
			return -1;
		}
		return 0;
	case MS_OPT_END:
		break;
	}
	return -1;
}

/* Optimal string alignment distance of a[0..la) and b[0..lb), or a value
 * above cap when it exceeds cap (names are short: rows of 64). */
static size_t osa_distance(const char *a, size_t la, const char *b, size_t lb, size_t cap)
{
	enum { W = 64 };
	if (la >= W || lb >= W)
		return cap + 1;
	size_t d[W][W];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

const char *ms_did_you_mean(const char *word, size_t len, const char *const *names, size_t n)
{
	size_t cap = len / 3 > 1 ? len / 3 : 1, best = cap + 1;
	const char *pick = NULL, *prefix_of = NULL;
	size_t prefixes = 0;
	for (size_t i = 0; i < n; i++) {
		size_t ln = strlen(names[i]);
		if (len && ln > len && strncmp(names[i], word, len) == 0) {
			prefixes++;
			prefix_of = names[i];
		}
		size_t dist = osa_distance(word, len, names[i], ln, cap);
		if (dist < best && dist < len) {
			best = dist;
			pick = names[i];
		}
	}
	if (pick)
		return pick;
	return prefixes == 1 ? prefix_of : NULL;
}

/* "unknown option '--x'", with the closest long option when there is one. */
static void unknown_long(const ms_option *opts, const char *const *usage, const char *name, size_t len)
{
	const char *names[128];
	size_t n = 0;
	for (const ms_option *p = opts; p && p->kind != MS_OPT_END && n < 128; p++)
		if (p->long_name)
			names[n++] = p->long_name;
	const char *near = ms_did_you_mean(name, len, names, n);
	if (near)
		ms_usage_error(opts, usage, "unknown option '--%.*s' (did you mean '--%s'?)", (int)len, name, near);
	else
		ms_usage_error(opts, usage, "unknown option '--%.*s'", (int)len, name);
}

/* The long option called name[0..len), or NULL. */
static const ms_option *find_long(const ms_option *opts, const char *name, size_t len)
{
	for (const ms_option *p = opts; p && p->kind != MS_OPT_END; p++)
		if (p->long_name && strlen(p->long_name) == len && strncmp(p->long_name, name, len) == 0)
			return p;
	return NULL;
}

/* pprof's single-dash spellings, so a pasted pprof command line works:
 * "-sample_index=alloc_space", "-nodecount=10", "-focus=RE" name a long
 * option (underscores for dashes), and pprof's sample-type shortcuts
 * "-alloc_space", "-alloc_objects", "-inuse_space", "-inuse_objects" mean
 * --sample-index TYPE, and its granularities "-lines", "-functions", "-files",
 * "-addresses", "-filefunctions" mean --granularity G. Only a word of two or more letters that names such
 * an option is taken so: anything else stays short options ("-n10", "-o F").
 * Returns the long name (in buf, without any "=VALUE") or NULL. */
static const char *pprof_spelling(const char *a, const ms_option *opts, char *buf, size_t size, const char **value)
{
	static const char *const shortcuts[] = { "alloc_space", "alloc_objects", "inuse_space", "inuse_objects" };
	const char *w = a + 1;
	size_t len = strcspn(w, "=");
	if (len < 2 || len >= size)
		return NULL;
	static const char *const granularities[] = { "addresses", "lines", "functions", "files", "filefunctions" };
	for (size_t i = 0; i < sizeof shortcuts / sizeof shortcuts[0]; i++)
		if (!w[len] && strcmp(w, shortcuts[i]) == 0 && find_long(opts, "sample-index", 12)) {
			*value = shortcuts[i];
			snprintf(buf, size, "sample-index");
			return buf;
		}
	for (size_t i = 0; i < sizeof granularities / sizeof granularities[0]; i++)
		if (!w[len] && strcmp(w, granularities[i]) == 0 && find_long(opts, "granularity", 11)) {
			*value = granularities[i];
			snprintf(buf, size, "granularity");
			return buf;
		}
	for (size_t i = 0; i < len; i++)
		buf[i] = w[i] == '_' ? '-' : w[i];
	buf[len] = 0;
	return find_long(opts, buf, len) ? buf : NULL;
}

/* The parser of both entry points: with rest != NULL it stops at the first
 * positional (or after "--") and stores its index there. */
static int parse(int argc, char **argv, const ms_option *opts, const char *const *usage, int *rest)
{
	int npos = 0;
	int only_pos = 0;
	if (rest)
		*rest = argc;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (rest && (a[0] != '-' || a[1] == '\0' || strcmp(a, "--") == 0)) {
			*rest = strcmp(a, "--") == 0 ? i + 1 : i;
			break;
		}
		if (only_pos || a[0] != '-' || a[1] == '\0') {
			argv[npos++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			ms_print_usage(stdout, opts, usage);
			return MS_OPTS_HELP;
		}
		char pname[64];
		const char *pprof_value = NULL;
		const char *name = a[1] == '-' ? a + 2 : pprof_spelling(a, opts, pname, sizeof pname, &pprof_value);
		if (name) {
			size_t len = strcspn(name, "=");
			const char *eq = strchr(a, '=');
			const ms_option *o = find_long(opts, name, len);
			if (!o) {
				unknown_long(opts, usage, name, len);
				return MS_OPTS_ERROR;
			}
			if (pprof_value) { /* -alloc_space: --sample-index alloc_space */
				if (set_value(o, pprof_value, a, opts, usage) < 0)
					return MS_OPTS_ERROR;
				continue;
			}
			const char *arg = NULL;
			if (o->kind == MS_OPT_FLAG) {
				if (eq) {
					ms_usage_error(opts, usage, "option '--%s' takes no value", o->long_name);
					return MS_OPTS_ERROR;
				}
			} else if (eq) {
				arg = eq + 1;
			} else if (i + 1 < argc) {
				arg = argv[++i];
			} else {
				ms_usage_error(opts, usage, "option '--%s' needs a value", o->long_name);
				return MS_OPTS_ERROR;
			}
			if (set_value(o, arg, a, opts, usage) < 0)
				return MS_OPTS_ERROR;
			continue;
		}
		/* short options, possibly bundled: -abc, -n10, -n 10 */
		for (char *p = a + 1; *p; p++) {
			const ms_option *o = NULL;
			for (const ms_option *q = opts; q && q->kind != MS_OPT_END; q++)
				if (q->short_name == *p)
					o = q;
			if (!o) {
				ms_usage_error(opts, usage, "unknown option '-%c'", *p);
				return MS_OPTS_ERROR;
			}
			if (o->kind == MS_OPT_FLAG) {
				set_value(o, NULL, a, opts, usage);
				continue;
			}
			const char *arg;
			if (p[1])
				arg = p + 1;
			else if (i + 1 < argc)
				arg = argv[++i];
			else {
				ms_usage_error(opts, usage, "option '-%c' needs a value", *p);
				return MS_OPTS_ERROR;
			}
			char shown[3] = { '-', *p, 0 };
			if (set_value(o, arg, shown, opts, usage) < 0)
				return MS_OPTS_ERROR;
			break;
		}
	}
	if (!rest)
		argv[npos] = NULL;
	return npos;
}

int ms_parse_opts(int argc, char **argv, const ms_option *opts, const char *const *usage)
{
	return parse(argc, argv, opts, usage, NULL);
}

int ms_parse_opts_prefix(int argc, char **argv, const ms_option *opts, const char *const *usage, int *rest)
{
	return parse(argc, argv, opts, usage, rest);
}
