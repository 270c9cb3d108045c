#!/bin/sh
# sizeclasses.sh — the size-class generator (tools/mksizeclasses, built
# with the tests) reproduces the checked-in src/rt/sizeclasses.h. (Moved
# out of tests/cli/rt.t: it does not run memscope, so as a CLI case it
# could not fail with the binary replaced by /bin/true.)
set -u
: "${MEMSCOPE:=$(pwd)/memscope}"
top=${srcdir:-.}
gen=$(dirname "$MEMSCOPE")/tools/mksizeclasses
[ -x "$gen" ] || { echo "no $gen"; exit 99; }
if "$gen" | cmp - "$top/src/rt/sizeclasses.h"; then
	echo "ok - the size-class generator reproduces the checked-in table"; echo "1 passed, 0 failed"
else
	echo "not ok - the size-class generator output differs from src/rt/sizeclasses.h"; echo "0 passed, 1 failed"; exit 1
fi
