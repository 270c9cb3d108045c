#!/bin/sh
# mklabels.sh — regenerates testdata/labels/{goroutine,cpu,heap}.pb.gz, the
# labelled profiles of tests/labels/labels.go (pprof.Do labels in goroutine
# and CPU profiles, numeric "bytes" labels in a heap profile), with Debian's
# Go 1.19. Run from the source tree's top; then tools/mkgolden_tags.sh
# regenerates the goldens made from them. The CPU profile differs from run
# to run (timing): regenerate the goldens whenever it is remade.
set -eu
go=${GO:-/usr/lib/go-1.19/bin/go}
out=testdata/labels
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
cp tests/labels/labels.go "$tmp/"
(cd "$tmp" && GO111MODULE=off GOCACHE="$tmp/cache" "$go" build -o labels labels.go)
mkdir "$tmp/out"
"$tmp/labels" "$tmp/out"
for f in goroutine cpu heap; do
	cp "$tmp/out/$f.pb.gz" "$out/$f.pb.gz"
done
"$go" version
