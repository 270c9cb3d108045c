#!/bin/sh
# pprof_live.sh — when `go` is installed, checks memscope against the live
# reference: per-sample-type totals against `go tool pprof -raw`, and `top`
# at every granularity against `go tool pprof -top`, for every Go profile in
# testdata/ and for memscope's own pprof output of them (round trip).
# Without go it skips (exit 77).
set -u
command -v go >/dev/null 2>&1 || { echo "go not installed: skipped"; exit 77; }
top=${srcdir:-.}
ms=${MEMSCOPE:-./memscope}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
check() { if [ "$1" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $2"; fi; }

for f in "$top"/testdata/go1.19/*.pb.gz; do
	"$ms" convert "$f" -o "$tmp/rt.pb.gz" || { check 1 "convert $f"; continue; }
	for prof in "$f" "$tmp/rt.pb.gz"; do
		# column sums of the sample rows of pprof -raw
		want=$(go tool pprof -raw "$prof" 2>/dev/null | awk '
			/^Samples:/ { s = 1; next } /^Locations/ { s = 0 }
			s && /:/ && $1 ~ /^-?[0-9]+$/ { split($0, a, ":"); n = split(a[1], v, " "); for (i = 1; i <= n; i++) t[i] += v[i]; m = n }
			END { for (i = 1; i <= m; i++) printf "%d ", t[i] }')
		got=$("$ms" info --json "$prof" | awk -F': ' '/"total"/ { gsub(/[ ,]/, "", $2); printf "%s ", $2 }')
		[ "$want" = "$got" ]; check $? "totals of $prof: pprof [$want] memscope [$got]"
		for g in functions filefunctions files lines addresses; do
			TZ=UTC go tool pprof -top -$g "$prof" >"$tmp/want" 2>/dev/null
			TZ=UTC "$ms" top --granularity $g "$prof" >"$tmp/got" 2>&1
			# the File: line names the mapping, equal for both
			cmp -s "$tmp/want" "$tmp/got"; check $? "top -$g $prof"
		done
	done
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
