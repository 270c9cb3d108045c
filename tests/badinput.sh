#!/bin/sh
# badinput.sh — the bad-input matrix (issue 14, item 10): every command that
# reads a file is given each kind of bad input, and every command that
# writes a file each kind of bad output path. The contract, checked for
# each pair: exit 2 with exactly one line on stderr, no hang (each run is
# bounded by timeout, only to catch a hang: a good run takes well under a
# second), no output file and no temp file left behind. Extreme but valid
# inputs (a 100k-frame stack, XML specials and invalid UTF-8 in names) must
# load (exit 0) and give well-formed output. Last, kill -9/SIGTERM while
# writing leaves no temp file and never a partial output.
# Run by `make check`; prints a line per case and "N passed, N failed".
set -u
: "${MEMSCOPE:=$(pwd)/memscope}"
top=${srcdir:-.}
tmp=$(mktemp -d) || exit 99
main=$$ # the EXIT trap cleans up in this shell only, never in a forked copy killed before its exec
trap '[ "$(exec sh -c "echo \$PPID")" != "$main" ] || rm -rf "$tmp"' EXIT
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "not ok - $1"; [ $# -lt 2 ] || sed 's/^/  stderr: /' "$2" | head -3; }
limit=${MS_CASE_TIMEOUT:-300} # a bound on a hang, never reached by a good run
ms() { timeout -k 5 "$limit" "$MEMSCOPE" "$@" </dev/null; }

good=$top/testdata/go1.19/heap.4.pb.gz
gclog=$top/testdata/go1.19/leaky.gctrace.log
dump=$top/testdata/frag/holes.json
esclog=$top/testdata/escape/patterns.go1.23.m2

# ---- the bad inputs ---------------------------------------------------------
in=$tmp/in
mkdir "$in" "$in/dir"
: >"$in/empty"
mkfifo "$in/fifo"
head -c 900 "$good" >"$in/truncated.gz"
truncate -s 2G "$in/sparse" 2>/dev/null || dd if=/dev/zero of="$in/sparse" bs=1 count=0 seek=2G 2>/dev/null
head -c 100000000 /dev/zero | tr '\0' x >"$in/longline"
cp "$top/testdata/bad/random.bin" "$in/garbage"
printf '\012\377\377\377\377\377\377\377\377\177\012\001\000' >"$in/varint" # sample_type of length 2^63-1
printf 'gc 1 @0.010s 1%%: 0.010+1.0+0.010 ms clock, 0.020+0.1/0.2/0.3+0.020 ms cpu, 99999999999999999999->4->1 MB, 4 MB goal, 2 P\n' >"$in/overflow"
inputs="empty dir fifo missing truncated.gz sparse longline garbage varint overflow"

# Each command that reads a file, with F for the input and O for an output.
commands='top F
top GOOD F
peek main F
traces F
tree F
tree --base F GOOD
info F
tags F
flame F
flame --svg O F
convert F -o O.json
diff F GOOD
leaks F
frag F
frag --svg O F
gctrace F
gctrace --svg O F
symbolize -o O F
list main F
graph --dot O F
graph --svg O F
escape F GOOD
escape ESCLOG F
top --granularity lines --escapes F GOOD'

out=$tmp/out
mkdir "$out"
# run_case TITLE ARGS...: exit 2, one stderr line, nothing left in $out
expect_input_error() {
	title=$1; shift
	ms "$@" >"$tmp/stdout" 2>"$tmp/stderr"
	rc=$?
	left=$(ls -A "$out")
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then bad "$title: hung (killed after ${limit}s)"
	elif [ "$rc" != 2 ]; then bad "$title: exit $rc, expected 2" "$tmp/stderr"
	elif [ "$(wc -l <"$tmp/stderr")" != 1 ]; then bad "$title: $(wc -l <"$tmp/stderr") stderr lines, expected 1" "$tmp/stderr"
	elif [ -n "$left" ]; then bad "$title: left '$left' behind"
	else ok "$title"; fi
	rm -rf "${out:?}"/* "$out"/.[!.]* 2>/dev/null
}

for i in $inputs; do
	echo "$commands" >"$tmp/commands"
	while IFS= read -r c; do
		args=$(printf '%s' "$c" | sed "s|F|$in/$i|; s|O|$out/o|; s|GOOD|$good|; s|ESCLOG|$esclog|")
		# shellcheck disable=SC2086
		expect_input_error "$i: memscope $c" $args
	done <"$tmp/commands"
done

# the same for a non-UTF-8 and an XML-special file name (no message may
# break on them either)
cp "$in/garbage" "$in/$(printf 'g\377<&>')"
expect_input_error "garbage with a non-UTF-8 name: memscope top" top "$in/$(printf 'g\377<&>')"

# ---- bad output paths ------------------------------------------------------------
# -o to an unwritable place and to a full disk: exit 2, one line with the reason
writers="convert --to json GOOD -o O
convert --to pprof GOOD -o O
flame -o O GOOD
flame --svg O GOOD
gctrace -o O GCLOG
gctrace --svg O GCLOG
frag --svg O DUMP
symbolize -o O GOOD
graph --dot O GOOD
graph --svg O GOOD"
echo "$writers" >"$tmp/writers"
for o in /nonexistent-dir/x /dev/full; do
	while IFS= read -r c; do
		args=$(printf '%s' "$c" | sed "s| O | $o |; s| O\$| $o|; s|GOOD|$good|; s|GCLOG|$gclog|; s|DUMP|$dump|")
		# shellcheck disable=SC2086
		expect_input_error "memscope $c to $o" $args
		if [ "$o" = /dev/full ] && ! grep -q 'No space left on device' "$tmp/stderr"; then
			bad "memscope $c to $o: the message lacks the reason (strerror)" "$tmp/stderr"
		fi
	done <"$tmp/writers"
done

# ---- extreme but valid inputs ------------------------------------------------------
xmlok() { # file: well-formed XML (xmllint when installed, else no raw '<&' in text and valid UTF-8)
	if command -v xmllint >/dev/null 2>&1; then xmllint --noout "$1" 2>/dev/null
	else ! LC_ALL=C grep -q "$(printf '\377')" "$1" && iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1; fi
}
# a 100k-frame stack
{ seq 0 99999 | sed 's/^/f/' | paste -sd ';' - | sed 's/$/ 7/'; echo "main;g 3"; } >"$in/deep.folded"
if ms top -n 3 "$in/deep.folded" >"$tmp/stdout" 2>"$tmp/stderr" && grep -q ' f99999$' "$tmp/stdout" &&
	ms flame --svg "$out/deep.svg" "$in/deep.folded" 2>"$tmp/stderr" && xmlok "$out/deep.svg"; then
	ok "a 100k-frame stack loads, reports and renders"
else
	bad "a 100k-frame stack loads, reports and renders" "$tmp/stderr"
fi
rm -f "$out"/*
# XML specials and invalid UTF-8 in names: 4 stacks, 4 rows in every output
printf 'main;<a&b>"c" 4\nmain;bad\377name 3\nmain;\300\257slash 2\nmain;ok\303\251 1\n' >"$in/names.folded"
if ms top --json "$in/names.folded" >"$tmp/top.json" 2>"$tmp/stderr" &&
	[ "$(grep -c '"name":' "$tmp/top.json")" = 5 ] && iconv -f UTF-8 -t UTF-8 "$tmp/top.json" >/dev/null 2>&1; then
	ok "top --json keeps all 5 names (4 leaves and main), invalid bytes as U+FFFD"
else
	bad "top --json keeps all 5 names (4 leaves and main), invalid bytes as U+FFFD" "$tmp/stderr"
fi
if ms flame --svg "$out/names.svg" "$in/names.folded" 2>"$tmp/stderr" && xmlok "$out/names.svg" &&
	grep -q '&lt;a&amp;b&gt;&quot;c&quot;' "$out/names.svg"; then
	ok "flame --svg escapes XML specials and invalid UTF-8 in names"
else
	bad "flame --svg escapes XML specials and invalid UTF-8 in names" "$tmp/stderr"
fi
rm -f "$out"/*
for c in "gctrace $gclog log" "frag $dump dump"; do
	set -- $c
	weird=$in/$(printf '%s<&>\377' "$3")
	cp "$2" "$weird"
	if ms "$1" --svg "$out/x.svg" "$weird" >/dev/null 2>"$tmp/stderr" && xmlok "$out/x.svg"; then
		ok "$1 --svg with a non-UTF-8, XML-special input name is well-formed"
	else
		bad "$1 --svg with a non-UTF-8, XML-special input name is well-formed" "$tmp/stderr"
	fi
done
rm -f "$out"/*

# ---- killed while writing ------------------------------------------------------------
# Whenever the signal lands, no OUT.tmp.* may remain and OUT is either absent
# or complete (ends with the SVG's closing tag): the outcome is checked, not
# the timing. (A background job of a non-interactive shell ignores SIGINT,
# so that one usually runs to the end.)
for sig in KILL TERM INT; do
	"$MEMSCOPE" flame --svg "$out/k.svg" "$in/deep.folded" >/dev/null 2>&1 &
	pid=$!
	kill -s "$sig" "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	left=$(ls -A "$out" | grep -v '^k\.svg$')
	if [ -n "$left" ]; then bad "SIG$sig while writing left '$left' behind"
	elif [ -e "$out/k.svg" ] && [ "$(tail -c 7 "$out/k.svg")" != "</svg>" ]; then bad "SIG$sig while writing left a partial output"
	else ok "SIG$sig while writing leaves no temp file and no partial output"; fi
	rm -f "$out"/*
done
# a named temp file of a process that is gone (what kill -9 leaves where the
# file system has no O_TMPFILE) is removed by the next run; a live one stays
: >"$out/o.json.tmp.2147480000.abcdef"
: >"$out/o.json.tmp.$$.abcdef"
if ms convert "$good" -o "$out/o.json" 2>"$tmp/stderr" && [ ! -e "$out/o.json.tmp.2147480000.abcdef" ] &&
	[ -e "$out/o.json.tmp.$$.abcdef" ]; then
	ok "a dead process's temp file is removed, a live one's kept"
else
	bad "a dead process's temp file is removed, a live one's kept" "$tmp/stderr"
fi
rm -f "$out"/*

# ---- modes -----------------------------------------------------------------------------
m1=$( (umask 077 && ms convert "$good" -o "$out/u.json" && stat -c %a "$out/u.json") 2>&1)
m2=$( (umask 022 && ms convert "$good" -o "$out/v.json" && stat -c %a "$out/v.json") 2>&1)
chmod 640 "$out/v.json"
m3=$( (umask 022 && ms convert "$good" -o "$out/v.json" && stat -c %a "$out/v.json") 2>&1)
if [ "$m1" = 600 ] && [ "$m2" = 644 ] && [ "$m3" = 640 ]; then
	ok "new outputs follow the umask (600 under 077, 644 under 022); a replaced file keeps its mode"
else
	bad "new outputs follow the umask: got $m1 (077), $m2 (022), $m3 (replacing a 640 file)"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
