#!/bin/sh
# build.sh [DIR [configure args]] — configures (once) and builds memscope out
# of tree in DIR (default: build/). Used by setup.sh and test.sh.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-build}
[ $# -gt 0 ] && shift
cd "$top"
if [ ! -x configure ] || [ configure.ac -nt configure ]; then
	autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
fi
mkdir -p "$dir"
cd "$dir"
if [ ! -f Makefile ] || [ "$top/configure" -nt Makefile ]; then
	"$top/configure" -q --enable-werror "$@"
fi
make -s -j"$(nproc)" >/dev/null
