# tap.sh — sourced by tests/rt/*.sh: one TAP line per case and the counts
# for the last line ("N passed, N failed, N skipped"). The older scripts
# (preload.sh, leakcheck.sh) still carry their own copies of these.
pass=0 fail=0 skip=0
tap() { # result title [why skipped]
	case $1 in
	ok) pass=$((pass + 1)) && echo "ok - $2" ;;
	skip) skip=$((skip + 1)) && echo "ok - $2 # SKIP $3" ;;
	*) fail=$((fail + 1)) && echo "not ok - $2" ;;
	esac
}
ok() { tap ok "$1"; }
bad() { tap bad "$1"; }
skipped() { tap skip "$1" "$2"; }
check() { # title expected actual
	[ "$2" = "$3" ] && tap ok "$1" && return
	tap bad "$1" && printf '  expected: %s\n  actual:   %s\n' "$2" "$3"
}
tap_done() {
	echo "$pass passed, $fail failed, $skip skipped"
	[ $fail = 0 ]
}
