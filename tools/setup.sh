#!/bin/sh
# setup.sh — set-up command 1: installs what is missing, builds memscope and
# runs the main job end to end on bundled real data (Go 1.19 heap profiles).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
tools/deps.sh
tools/build.sh build
ms=build/memscope
set -x
$ms info testdata/go1.19/heap.4.pb.gz
$ms top testdata/go1.19/heap.4.pb.gz
$ms top --granularity lines -n 5 testdata/go1.19/allocs.pb.gz
