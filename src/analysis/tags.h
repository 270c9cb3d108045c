/* tags.h — sample labels ("tags" in pprof's words): pprof's tag filters
 * (-tagfocus, -tagignore, -tagshow, -taghide) and its -tags report.
 *
 * Glossary (pprof's, internal/driver/driver_focus.go and profile/filter.go)
 *   string label   a label with a string value (str != 0); Go's pprof.Do
 *                  labels are these
 *   numeric label  a label with num != 0 or a num_unit (Go heap profiles'
 *                  "bytes" = block size); a label with neither is ignored
 *   key unit       pprof's NumLabelUnits: the first num_unit a key carries in
 *                  the profile; without one "bytes" for the keys "alignment"
 *                  and "request", else the key itself (so "bytes" is bytes)
 *   tag filter     "[KEY=]VALUE": VALUE is a numeric range when it reads
 *                  "N[unit]", "N[unit]:", ":N[unit]" or "N[unit]:M[unit]"
 *                  (bounds included, units as pprof scales them: 1kb = 1024 B,
 *                  compared in the first bound's unit), else a comma list of
 *                  regexes. With KEY, a range matches any numeric value of
 *                  KEY and the regexes any string value of KEY (one regex
 *                  suffices); without KEY, a range matches any numeric label
 *                  and every regex must match some string label as "key:value".
 *   tagshow/taghide  regexes over label keys: labels whose key does not
 *                  match tagshow, or matches taghide, are removed (what
 *                  -tags and -traces show); applied after the tag filters.
 */
#ifndef MS_TAGS_H
#define MS_TAGS_H

#include <stdbool.h>
#include <stdint.h>

#include "profile/profile.h"
#include "util/strtab.h"

/* Each key's unit (pprof's NumLabelUnits), indexed by string id, NULL for
 * keys of no numeric label. malloc'd; p->strings.n entries. */
const char **ms_label_units(const ms_profile *p);

/* Marks samples removed by tagfocus (no match) or tagignore (a match) in
 * skip[] (nsamples bytes; marks are only added). is_base (optional) marks
 * diff-base samples, which carry pprof's label pprof::base=true. Either
 * filter may be NULL or "". Returns -1 with err set for a bad filter. */
int ms_tag_select(const ms_profile *p, const char *tagfocus, const char *tagignore, const bool *is_base,
	uint8_t *skip, ms_err *err);

/* Checks a --tagfocus/--tagignore value (option names it in messages): 0,
 * or -1 with err set for a bad regex or an out-of-range number. After a
 * check, ms_tag_select cannot fail on it. */
int ms_tag_filter_check(const char *option, const char *value, ms_err *err);

/* True when value is a numeric range filter (after any "KEY="), the way
 * pprof decides; pprof says so on stderr. */
bool ms_tag_filter_is_range(const char *value);

/* Removes the labels whose key does not match tagshow or matches taghide
 * (NULL or "" = unused). Call after the samples are selected: pprof applies
 * tagfocus/tagignore first. */
int ms_profile_hide_labels(ms_profile *p, const char *tagshow, const char *taghide, ms_err *err);

/* The -tags report: for each key, the sum of the sample values of each of
 * its values (numeric values as pprof labels them: "4kB", "10MB"). Keys by
 * name; values by |sum| descending, then name. */
typedef struct ms_tag_value {
	const char *name;
	int64_t value;
} ms_tag_value;

typedef struct ms_tag_key {
	const char *name;
	int64_t total;
	ms_tag_value *values;
	size_t nvalues;
} ms_tag_key;

typedef struct ms_tags {
	ms_tag_key *keys;
	size_t nkeys;
	ms_tag_value *values; /* all keys' values, keys[i].values points in */
	ms_strtab names;      /* value names */
} ms_tags;

/* Sums sample type `type` over the samples not marked in skip (optional)
 * and not all-zero (pprof's merge drops those). */
void ms_tags_build(ms_tags *t, const ms_profile *p, size_t type, const uint8_t *skip);
void ms_tags_free(ms_tags *t);

#endif
