#!/bin/sh
# deps.sh — installs the Debian 12 packages memscope needs to build, test
# and benchmark, skipping what is already installed. Idempotent; needs root
# (or sudo) only when something is missing.
set -eu

# build + libraries
PKGS="build-essential autoconf automake libtool pkg-config
libjansson-dev libprotobuf-c-dev protobuf-c-compiler zlib1g-dev libdwarf-dev libelf-dev check"
PKGS="$PKGS libiberty-dev" # c++filt's demangler (src/profile/demangle.c)
PKGS="$PKGS libgraphviz-dev" # graph --svg lays the call graph out with libgvc (optional in configure)
PKGS="$PKGS libcurl4-openssl-dev" # URL sources and watch (src/util/http.c)
# tests and reference tools: go tool pprof, clang/libFuzzer, valgrind,
# xmllint, binutils (addr2line), peers for benchmarks and comparisons
PKGS="$PKGS golang-go clang libclang-rt-14-dev valgrind libxml2-utils binutils
jq chromium libgc-dev libjemalloc-dev libgoogle-perftools-dev google-perftools heaptrack hyperfine python3"
# the README's `man man/memscope.1` (a minimal Debian has neither man nor groff)
PKGS="$PKGS man-db groff-base"
PKGS="$PKGS nodejs" # tests/report_browser.js drives chromium over the DevTools pipe (no npm packages)
PKGS="$PKGS time" # GNU time: peak RSS in tests/cli/badinput.t (a gzip bomb) and tools/bench/

# Go 1.21, 1.22 and 1.23 (reference tools for Go execution traces and heap
# dumps) are bookworm-backports packages, installed side by side under
# /usr/lib/go-1.NN. The backports suite is enabled with the mirror URI this
# machine's apt sources already use (no host name is written here).
GOVERS="golang-1.21-go golang-1.22-go golang-1.23-go"
PKGS="$PKGS llvm-14 debootstrap"

enable_backports() {
	grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/ && return 0
	uri=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null |
		grep -v -- '-security' | grep -i debian | head -1)
	[ -n "$uri" ] || uri=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
	[ -n "$uri" ] || { echo "deps.sh: no Debian mirror in the apt sources; Go 1.21-1.23 not installed" >&2; return 1; }
	printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
		"$uri" | $SUDO tee /etc/apt/sources.list.d/memscope-backports.sources >/dev/null
}

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo

is_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=""
for p in $PKGS; do
	is_installed "$p" || missing="$missing $p"
done
gomissing=""
for p in $GOVERS; do
	is_installed "$p" || gomissing="$gomissing $p"
done
[ -z "$missing$gomissing" ] && exit 0

if [ -n "$missing" ]; then
	echo "deps.sh: installing:$missing" >&2
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# The backports are optional: without them the tests that compare with Go
# 1.21-1.23's tools skip with a message.
if [ -n "$gomissing" ]; then
	echo "deps.sh: installing from bookworm-backports:$gomissing" >&2
	if enable_backports && $SUDO apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $gomissing >/dev/null; then :
	else
		echo "deps.sh: warning: could not install$gomissing (tests that need them will skip)" >&2
	fi
fi
