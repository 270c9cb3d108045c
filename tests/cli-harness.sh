#!/bin/sh
# cli-harness.sh — a test of the command-line cases themselves: runs every
# tests/cli/*.t with "memscope" replaced by /bin/true and then by /bin/false
# (cli-run.sh's MEMSCOPE_AS) and fails if a case passes under both, i.e. a
# case that cannot fail (its status swallowed by "; rm -rf", an expected
# output that does not depend on memscope, ...). Also checks that cli-run.sh
# rejects a case with two commands. Skipped cases do not count.
set -u
top=${srcdir:-.}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
bad=0

# the runner rejects a case with two '$' lines (only the last would count)
printf '### two commands\n$ false\n$ true\n' >"$tmp/two.t"
if MEMSCOPE_AS=/bin/true sh "$top/tests/cli-run.sh" "$tmp/two.t" >"$tmp/two.out" 2>&1 ||
	! grep -q '^not ok - two commands: two commands' "$tmp/two.out"; then
	echo "not ok - cli-run.sh accepts a case with two commands"; bad=$((bad + 1))
else
	echo "ok - cli-run.sh rejects a case with two commands"
fi

# The case lines ("ok - T" / "not ok - T: why") of one file under PROG, in order.
cases() { # file prog
	MEMSCOPE_AS=$2 sh "$top/tests/cli-run.sh" "$1" 2>/dev/null | grep -a -E '^(not )?ok - '
}
for t in "$top"/tests/cli/*.t; do
	name=${t##*/}
	MS_CASE_TIMEOUT=120 cases "$t" /bin/true >"$tmp/true"
	MS_CASE_TIMEOUT=120 cases "$t" /bin/false >"$tmp/false"
	if [ "$(wc -l <"$tmp/true")" != "$(wc -l <"$tmp/false")" ]; then
		echo "not ok - $name: the two runs differ in their number of cases"; bad=$((bad + 1)); continue
	fi
	n=$(paste -d '\n' "$tmp/true" "$tmp/false" | awk -v name="$name" '
		NR % 2 == 1 { a = $0; next }
		{ if (a ~ /^ok - / && $0 ~ /^ok - / && a !~ /# SKIP/) { sub(/^ok - /, "", a); print "not ok - " name ": passes with memscope replaced by /bin/true and by /bin/false: " a > "/dev/stderr"; bad++ } }
		END { print bad + 0 }' 2>"$tmp/why")
	cat "$tmp/why"
	if [ "$n" = 0 ]; then echo "ok - $name: every case fails under /bin/true or /bin/false"; fi
	bad=$((bad + n))
done
[ "$bad" = 0 ] && echo "1 passed, 0 failed" || echo "0 passed, 1 failed"
[ "$bad" = 0 ]
