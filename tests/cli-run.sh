#!/bin/sh
# cli-run.sh — runs a file of command-line cases (jq-style tests as data).
#
# Case file format (tests/cli/*.t), one case after another:
#   ### a title                   starts a case
#   $ memscope ARGS...            the command (run by sh from the source tree's
#                                 top; "memscope" is the built binary)
#   ? N                           expected exit status (default 0)
#   > text                        an expected stdout line (all '>' lines
#                                 together must equal stdout exactly)
#   >> FILE                       stdout must equal FILE (a golden file)
#   ~ text                        stdout must contain text
#   ! text                        stderr must contain text
# Every case that exits 2 must print exactly one line on stderr. A case has
# exactly one '$' line (a second one is an error of the case file: only its
# exit status would count); chain commands with && inside the one line and
# keep the status of what is tested (not "...; rm -rf", whose status is rm's).
# A case whose command uses jq, xmllint or /usr/bin/time is skipped, visibly ("# SKIP"),
# when that tool is not installed.
# MEMSCOPE_AS=PROG runs PROG as "memscope" instead of the built binary
# ($MEMSCOPE still names the build, for cases that use its other programs);
# tests/cli-harness.sh uses it to run every case under /bin/true and /bin/false.
# Prints a line per case and, last, "N passed, N failed".
set -u
casefile=$1
: "${MEMSCOPE:=$(pwd)/memscope}"
top=${srcdir:-.}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 skip=0
# a bound on a hung case only (cases never depend on timing)
case_timeout=${MS_CASE_TIMEOUT:-1200}

run_case() {
	[ -n "$title" ] || return 0
	if [ -n "$bad" ]; then
		fail=$((fail + 1)); echo "not ok - $title: $bad"
		return 0
	fi
	for tool in jq xmllint /usr/bin/time; do
		case " $cmd " in
		*[\ \|\&\;\(]$tool[\ \;\)]*)
			if ! command -v $tool >/dev/null 2>&1; then
				skip=$((skip + 1)); echo "ok - $title # SKIP $tool is not installed"
				return 0
			fi ;;
		esac
	done
	( cd "$top" && PATH="$tmp/bin:$PATH" timeout -k 10 "$case_timeout" sh -c "$cmd" ) </dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
	ok=1 why=""
	if [ "$rc" != "$want_rc" ]; then ok=0 why="exit status $rc, expected $want_rc"; fi
	if [ "$rc" = 124 ]; then ok=0 why="hung: killed after ${case_timeout}s"; fi
	if [ $ok = 1 ] && [ "$rc" = 2 ] && [ "$(wc -l <"$tmp/err")" != 1 ]; then
		ok=0 why="exit 2 must print exactly one line on stderr"
	fi
	if [ $ok = 1 ] && [ -n "$golden" ] && ! cmp -s "$tmp/out" "$top/$golden"; then
		ok=0 why="stdout differs from $golden"
		diff -u "$top/$golden" "$tmp/out" | head -20 >&2
	fi
	if [ $ok = 1 ] && [ "$has_expect" = 1 ] && ! cmp -s "$tmp/out" "$tmp/expect"; then
		ok=0 why="stdout differs"
		diff -u "$tmp/expect" "$tmp/out" | head -20 >&2
	fi
	if [ $ok = 1 ] && [ -s "$tmp/contains" ]; then
		while IFS= read -r s; do
			grep -qF -- "$s" "$tmp/out" || { ok=0 why="stdout lacks '$s'"; break; }
		done <"$tmp/contains"
	fi
	if [ $ok = 1 ] && [ -s "$tmp/errcontains" ]; then
		while IFS= read -r s; do
			grep -qF -- "$s" "$tmp/err" || { ok=0 why="stderr lacks '$s'"; break; }
		done <"$tmp/errcontains"
	fi
	if [ $ok = 1 ]; then
		pass=$((pass + 1)); echo "ok - $title"
	else
		fail=$((fail + 1)); echo "not ok - $title: $why"
		echo "  command: $cmd"; sed 's/^/  stderr: /' "$tmp/err" | head -5
	fi
}

reset_case() {
	title=$1 cmd="" bad="" want_rc=0 golden="" has_expect=0
	: >"$tmp/expect"; : >"$tmp/contains"; : >"$tmp/errcontains"
}

mkdir -p "$tmp/bin"
ln -s "${MEMSCOPE_AS:-$MEMSCOPE}" "$tmp/bin/memscope"
reset_case ""
while IFS= read -r line || [ -n "$line" ]; do
	case $line in
	"### "*) run_case; reset_case "${line#\#\#\# }" ;;
	'$ '*)
		[ -z "$cmd" ] || bad="two commands ('\$' lines) in one case: only the last one's status would count"
		cmd=${line#\$ } ;;
	'? '*) want_rc=${line#\? } ;;
	'>> '*) golden=${line#>> } ;;
	'> '*|'>') printf '%s\n' "${line#> }" | sed 's/^>$//' >>"$tmp/expect"; has_expect=1 ;;
	'~ '*) printf '%s\n' "${line#\~ }" >>"$tmp/contains" ;;
	'! '*) printf '%s\n' "${line#! }" >>"$tmp/errcontains" ;;
	*) ;;
	esac
done <"$casefile"
run_case
[ "$skip" = 0 ] || echo "$skip skipped"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
