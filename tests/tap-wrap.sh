#!/bin/sh
# tap-wrap.sh — runs one test script (and its runner: `tap-wrap.sh [RUNNER...]
# SCRIPT`) for automake's TAP driver (build-aux/tap-driver.sh), so that each
# case a script prints as "ok - T", "ok - T # SKIP why" or "not ok - T" shows
# in the test-suite totals, a skipped inner check as SKIP. The scripts keep
# the exit codes of automake's simple driver, which this maps to TAP:
#   0  passed: nothing added when the script printed cases ("ok - NAME"
#      when it printed none);
#   77 skipped: "1..0 # SKIP <its last line>" when it printed no case, else
#      one more case "ok - the rest # SKIP";
#   99 a hard error: "Bail out!";
#   any other status: when no case failed, one more case "not ok - NAME
#      exited with status N", so a script that fails without saying which
#      case still fails.
# The plan ("1..N") is printed at the end unless the script printed one.
set -u
for last; do :; done
name=${last##*/}
out=$(mktemp) || exit 99
st=$(mktemp) || exit 99
trap 'rm -f "$out" "$st"' EXIT
{ "$@"; echo $? >"$st"; } | tee "$out"
rc=$(cat "$st")
n=$(grep -c -a -E '^(not )?ok($|[^a-zA-Z0-9_])' "$out") # tap-driver.sh's test for a case line
planned=0
grep -q -a -E '^1\.\.[0-9]+' "$out" && planned=1
case $rc in
0) [ "$n" != 0 ] || { echo "ok - $name"; n=1; } ;;
77)
	if [ "$n" = 0 ]; then
		why=$(grep -a -v '^[[:space:]]*$' "$out" | tail -1)
		echo "1..0 # SKIP ${why:-skipped}"
		exit 0
	fi
	echo "ok - $name: the rest # SKIP exit status 77"; n=$((n + 1)) ;;
99) echo "Bail out! $name: hard error (exit status 99)"; exit 0 ;;
*) grep -q -a '^not ok' "$out" || { echo "not ok - $name exited with status $rc"; n=$((n + 1)); } ;;
esac
[ "$planned" = 1 ] || echo "1..$n"
exit 0
