/* regex.c — guarded regcomp for user-supplied patterns.
 *
 * glibc expands bounded repetition by copying the repeated subtree, and
 * stacked quantifiers multiply those copies, so "x{100}{100}{100}" or
 * "m+++++…" make regcomp allocate gigabytes. Before compiling we estimate
 * the expanded size: every atom counts 1, a group the sum of its parts, a
 * quantifier multiplies the atom or group before it (by 2 for * + ?, by the
 * larger bound for {m,n}); a pattern over MAX_EXPANSION is refused, and
 * so are stacked quantifiers ("a+*"), which mean nothing more than one. */
#include "util/regex.h"

#include <stdlib.h>
#include <string.h>

#define MAX_EXPANSION 10000.0
#define MAX_DEPTH 64

static double bound_factor(const char *p, const char **end)
{
	/* p points after '{': "m}", "m,}", "m,n}" */
	char *e;
	double m = (double)strtoul(p, &e, 10), n = m;
	if (*e == ',') {
		const char *q = e + 1;
		n = (*q == '}') ? m + 1 : (double)strtoul(q, &e, 10);
	}
	const char *close = strchr(p, '}');
	*end = close ? close : p + strlen(p) - 1;
	double f = m > n ? m : n;
	return f < 1 ? 1 : f;
}

int ms_regex_compile(regex_t *re, const char *pattern, const char *what, ms_err *err)
{
	size_t n = strlen(pattern);
	if (n > MS_REGEX_MAX_LEN)
		return ms_seterr(err, "bad %s regex: longer than %d characters", what, MS_REGEX_MAX_LEN);
	double group[MAX_DEPTH + 1] = { 0 };
	int depth = 0;
	double last = 0; /* size of the atom or group a quantifier would apply to */
	for (const char *p = pattern; *p; p++) {
		double factor = 0;
		switch (*p) {
		case '\\':
			if (p[1])
				p++;
			last = 1;
			group[depth] += 1;
			continue;
		case '[': {
			const char *q = p + 1;
			if (*q == '^')
				q++;
			if (*q == ']')
				q++;
			while (*q && *q != ']')
				q++;
			p = *q ? q : q - 1;
			last = 1;
			group[depth] += 1;
			continue;
		}
		case '(':
			if (depth == MAX_DEPTH)
				return ms_seterr(err, "bad %s regex '%s': groups nested too deeply", what, pattern);
			group[++depth] = 0;
			last = 0;
			continue;
		case ')':
			if (depth > 0) {
				last = group[depth--];
				group[depth] += last;
			} else { /* an unmatched ')' is a literal */
				last = 1;
				group[depth] += 1;
			}
			continue;
		case '|':
			last = 0;
			continue;
		case '*': case '+': case '?':
			factor = 2;
			break;
		case '{':
			factor = bound_factor(p + 1, &p);
			break;
		default:
			last = 1;
			group[depth] += 1;
			continue;
		}
		if (p > pattern && (p[-1] == '*' || p[-1] == '+' || p[-1] == '?' || p[-1] == '}') &&
			!(p - 1 > pattern && p[-2] == '\\'))
			return ms_seterr(err, "bad %s regex '%s': stacked repetition operators are not supported", what,
				pattern);
		if (last < 1) { /* a leading quantifier repeats a literal */
			last = 1;
			group[depth] += 1;
		}
		group[depth] += last * (factor - 1);
		last *= factor;
		if (group[depth] > MAX_EXPANSION || last > MAX_EXPANSION)
			return ms_seterr(err, "bad %s regex '%s': its repetitions expand too far", what, pattern);
	}
	int rc = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		char msg[128];
		regerror(rc, re, msg, sizeof msg);
		return ms_seterr(err, "bad %s regex '%s': %s", what, pattern, msg);
	}
	return 0;
}
