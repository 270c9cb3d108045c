#!/bin/sh
# known.sh — writes heap dumps now with every installed Go (1.19, 1.21,
# 1.22, 1.23 under /usr/lib/go-1.NN) from tests/heapdump/known.go and checks
# memscope heapdump's retained sizes against the program's construction (see
# known.go's header for the derivation). Skips (77) when no Go is installed.
set -u
top=${srcdir:-.}
MS=${MEMSCOPE:-$(pwd)/memscope}
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 ran=0
check() { # NAME JSON STRING
	if printf '%s' "$2" | grep -qF -- "$3"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1)); echo "not ok - $1: output lacks $3"
	fi
}
for v in 19 21 22 23; do
	go=/usr/lib/go-1.$v/bin/go
	[ -x "$go" ] || continue
	ran=1
	bin=$tmp/known.$v dump=$tmp/known.$v.dump
	if ! (cd "$tmp" && GOCACHE=$tmp/cache GO111MODULE=off GOTOOLCHAIN=local HOME=$tmp GOFLAGS= \
		"$go" build -o "$bin" "$top/tests/heapdump/known.go") >"$tmp/build.log" 2>&1; then
		echo "not ok - go1.$v: build failed"; cat "$tmp/build.log"; fail=$((fail + 1)); continue
	fi
	"$bin" "$dump" || { echo "not ok - go1.$v: the program failed"; fail=$((fail + 1)); continue; }
	out=$("$MS" heapdump --binary "$bin" --json "$dump" | tr -d ' \n')
	check "go1.$v main.Cache" "$out" '{"kind":"global","name":"main.Cache","retained_bytes":153032,"retained_objects":1003}'
	check "go1.$v main.Tree" "$out" '{"kind":"global","name":"main.Tree","retained_bytes":98280,"retained_objects":4095}'
	check "go1.$v holder" "$out" 'main.holder(chanreceive)","retained_bytes":96000,"retained_objects":2000}'
	check "go1.$v finalizer" "$out" '","retained_bytes":4120,"retained_objects":2}'
	check "go1.$v garbage" "$out" '{"size":3072,"objects":500,"bytes":1536000,"reachable_objects":0,'
	# objects and bytes equal the memstats record Go wrote into the dump
	ms=$("$MS" heapdump -n 0 "$dump" | sed -n 's/^memstats: HeapObjects \([0-9]*\), HeapAlloc \([0-9]*\) B.*/"objects":\1,"bytes":\2,/p')
	check "go1.$v memstats" "$out" "${ms:-no memstats line}"
	echo "ok - go1.$v"
done
[ $ran = 1 ] || { echo "no Go toolchain in /usr/lib/go-1.NN: skipped"; exit 77; }
echo "$pass passed, $fail failed"
[ $fail = 0 ]
