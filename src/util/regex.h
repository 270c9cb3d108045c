/* regex.h — compiling user-supplied POSIX extended regexes (--focus, gate
 * sites, ...) safely: glibc's regcomp builds exponentially large automata
 * for stacked quantifiers ("a++++", "(a*)*{9}{9}"), so such patterns and
 * very long ones are refused with a message instead of eating the memory. */
#ifndef MS_REGEX_H
#define MS_REGEX_H

#include <regex.h>

#include "util/diag.h"

#define MS_REGEX_MAX_LEN 1024

/* Compiles pattern (REG_EXTENDED | REG_NOSUB); on error fills err with
 * "bad <what> regex '<pattern>': <reason>" and returns -1. */
int ms_regex_compile(regex_t *re, const char *pattern, const char *what, ms_err *err);

#endif
