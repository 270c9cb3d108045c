#!/bin/sh
# deps.sh — installs the Debian 12 packages memscope needs to build, test
# and benchmark, skipping what is already installed. Idempotent; needs root
# (or sudo) only when something is missing.
set -eu

# build + libraries
PKGS="build-essential autoconf automake libtool pkg-config
libjansson-dev libprotobuf-c-dev protobuf-c-compiler zlib1g-dev libdwarf-dev libelf-dev check"
# tests and reference tools: go tool pprof, clang/libFuzzer, valgrind,
# xmllint, binutils (addr2line), peers for benchmarks and comparisons
PKGS="$PKGS golang-go clang libclang-rt-14-dev valgrind libxml2-utils binutils
jq chromium libgc-dev libjemalloc-dev libgoogle-perftools-dev google-perftools heaptrack hyperfine python3"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "deps.sh: installing:$missing" >&2
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
