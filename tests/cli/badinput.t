### symbolize: a mapping that names a FIFO is skipped with a warning, never opened blocking (timeout only bounds a hang)
$ d=$(mktemp -d) && mkdir -p "$d/testdata/symbolize" && mkfifo "$d/testdata/symbolize/missing.so" && cp testdata/symbolize/corrupt.pb.gz "$d/" && cd "$d" && timeout 60 memscope symbolize corrupt.pb.gz -o - >/dev/null; s=$?; rm -rf "$d"; exit $s
! memscope: warning: cannot read 'testdata/symbolize/missing.so': not a regular file; 1 location left unresolved

### an input FIFO nobody writes to reads as empty: exit 2, no hang
$ f=${TMPDIR:-/tmp}/ms-badinput-$$; mkfifo "$f" && timeout 60 memscope top "$f"; s=$?; rm -f "$f"; exit $s
? 2
! empty input

### a gzip bomb (64 MiB of zeros) is refused from its first 64 KiB, without inflating the rest
$ head -c 67108864 /dev/zero | gzip -1 | /usr/bin/time -f %M memscope top - 2>&1 | awk '/unrecognised input format/ { u = 1 } /^[0-9]+$/ { kb = $1 } END { print u, (kb < 32768) }'
> 1 1

### a gzip bomb is refused before the inflate cap is reached (1 MiB here): the first 64 KiB decide
$ head -c 67108864 /dev/zero | gzip -1 | MEMSCOPE_MAX_INFLATE=1M memscope top -
? 2
! <stdin>: unrecognised input format

### MEMSCOPE_MAX_INFLATE caps what a gzip input may inflate to (a valid-looking one)
$ awk 'BEGIN { for (i = 0; i < 200000; i++) print "main;f 1" }' | gzip | MEMSCOPE_MAX_INFLATE=1M memscope top -
? 2
! <stdin>: decompresses to more than 1 MiB (a gzip bomb?); MEMSCOPE_MAX_INFLATE=SIZE raises the cap

### a folded file whose first line has a negative count is still folded: the line is skipped with a warning by top too
$ printf 'main;f -5\nmain;g 3\nmain;h 4\n' | memscope top -
~          4 57.14% 57.14%          4 57.14%  h
! memscope: warning: <stdin>: skipped 1 malformed line (first at line 1: the count is not a non-negative integer)

### a folded file whose first line has a count past 64 bits is folded, not "malformed pprof"
$ printf 'main;f 99999999999999999999\nmain;g 3\n' | memscope top -
~          3   100%   100%          3   100%  g
! memscope: warning: <stdin>: skipped 1 malformed line (first at line 1: count out of range)

### names that are not UTF-8: top --json has every row the text report has (3 leaves and main), invalid bytes as U+FFFD
$ printf 'main;bad\377name 3\nmain;\300\257slash 2\nmain;ok\303\251 1\n' | memscope top --json - | grep -o '"name": "[^"]*"'
> "name": "bad�name"
> "name": "��slash"
> "name": "oké"
> "name": "main"

### names that are not UTF-8: diff --format json keeps every row the text report has
$ d=$(mktemp -d) && printf 'main;bad\377name 3\nmain;ok 1\n' >"$d/a" && printf 'main;bad\377name 5\nmain;ok 2\n' >"$d/b" && memscope diff --format json "$d/a" "$d/b" | grep -o '"name": "[^"]*"'; s=$?; rm -rf "$d"; exit $s
> "name": "bad�name"
> "name": "ok"

### names that are not UTF-8: convert -o x.json writes valid JSON (U+FFFD)
$ d=$(mktemp -d) && printf 'main;bad\377name 3\n' >"$d/a" && memscope convert "$d/a" -o "$d/x.json" && iconv -f UTF-8 -t UTF-8 "$d/x.json" | grep -o '"bad[^"]*"' | sort -u; s=$?; rm -rf "$d"; exit $s
> "bad�name"

### gctrace warnings name the column where the line goes wrong, not always column 1
$ memscope gctrace testdata/gctrace/bad.log 2>&1 >/dev/null | grep -o 'column [0-9]*' | sort -u | wc -l
> 4

### memscope run: a missing program is exit 2 (usage/input error), not 127
$ memscope run -o "${TMPDIR:-/tmp}" -- /nonexistent/program
? 2
! cannot run '/nonexistent/program': No such file or directory

### memscope run: a program that is not executable is exit 2
$ memscope run -o "${TMPDIR:-/tmp}" -- testdata/symbolize/prog.c
? 2
! cannot run 'testdata/symbolize/prog.c': Permission denied

### a full disk: convert names the reason
$ memscope convert --to json testdata/go1.19/heap.4.pb.gz -o /dev/full
? 2
! memscope: cannot write '/dev/full': No space left on device
