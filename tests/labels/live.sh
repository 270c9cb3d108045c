#!/bin/sh
# live.sh — runs tests/labels/labels.go with every installed Go (1.19, 1.21,
# 1.22, 1.23: CPU, goroutine and heap profiles with labels, written now) and
# checks that `memscope tags` and `memscope top` with tag filters and at
# -files granularity print exactly what that Go's own `go tool pprof` prints
# for the same files (so each release's pprof, not only 1.19's, is the
# reference), and that memscope's pprof output of them (convert) keeps the
# labels. Skips (77) without any Go.
set -u
top=${srcdir:-.}
ms=${MEMSCOPE:-./memscope}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 ran=0
check() { if [ "$1" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $2"; fi; }

for v in 19 21 22 23; do
	go=/usr/lib/go-1.$v/bin/go
	[ -x "$go" ] || continue
	ran=1
	d="$tmp/1.$v"
	mkdir -p "$d/out"
	cp "$top/tests/labels/labels.go" "$d/"
	if ! (cd "$d" && GO111MODULE=off GOCACHE="$tmp/cache" GOFLAGS= "$go" build -o labels labels.go) >"$d/err" 2>&1 ||
		! "$d/labels" "$d/out" 2>>"$d/err"; then
		check 1 "go 1.$v: building or running labels.go: $(head -3 "$d/err")"
		continue
	fi
	"$ms" convert "$d/out/goroutine.pb.gz" -o "$d/rt.pb.gz" || check 1 "go 1.$v: convert"
	for prof in "$d/out/goroutine.pb.gz" "$d/out/cpu.pb.gz" "$d/out/heap.pb.gz" "$d/rt.pb.gz"; do
		# -files: Go >= 1.20 writes start lines, and pprof then prints a
		# row per function of each file
		for f in "" "-tagfocus=worker=render" "-tagfocus=render,even" "-tagignore=io" "-taghide=shard" \
			"-tagfocus=bytes=1kb:" "-tagfocus=:64b" "-tagfocus=4kb" "-files" "-files -tagfocus=64b:"; do
			for view in tags top; do
				# shellcheck disable=SC2086
				TZ=UTC "$go" tool pprof -$view $f "$prof" >"$tmp/want" 2>/dev/null
				# shellcheck disable=SC2086
				TZ=UTC "$ms" $view $f "$prof" >"$tmp/got" 2>&1
				cmp -s "$tmp/want" "$tmp/got"; check $? "go 1.$v: $view $f $(basename "$prof")"
			done
		done
	done
done
[ $ran = 1 ] || { echo "no Go installed: skipped"; exit 77; }
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
