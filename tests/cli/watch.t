# Command-line cases of `memscope watch` and of URL sources that need no
# server (tests/live.sh runs them against a real Go server).

### watch needs a URL
$ memscope watch --count 1
? 2
! watch needs one URL (or --dir RUNDIR)

### watch takes only http and https URLs
$ memscope watch ftp://127.0.0.1/debug/pprof/heap
? 2
! 'ftp://127.0.0.1/debug/pprof/heap' is not an http:// or https:// URL

### --every must be a positive interval
$ memscope watch --every 0s http://127.0.0.1:9/debug/pprof/heap
? 2
! --every '0s': a positive interval like 30s, 500ms, 5m or 1h

### --every with an unknown unit
$ memscope watch --every 5d http://127.0.0.1:9/debug/pprof/heap
? 2
! --every '5d'

### --confirm below 3
$ memscope watch --confirm 2 http://127.0.0.1:9/debug/pprof/heap
? 2
! --confirm must be at least 3

### --dir and a URL together
$ memscope watch --dir testdata/leaks http://127.0.0.1:9/debug/pprof/heap
? 2
! --dir takes no URL

### --dir that is not a directory
$ memscope watch --dir testdata/leaks/series.0.pb.gz --count 1
? 2
! cannot read 'testdata/leaks/series.0.pb.gz'

### a malformed header is refused before connecting, its value not shown
$ memscope top --header 'Bearer hunter2' http://127.0.0.1:9/debug/pprof/heap
? 2
! http://127.0.0.1:9/debug/pprof/heap: --header: a header must be 'Name: value' on one line (its value is not shown)

### --seconds twice (option and URL)
$ memscope info --seconds 5 'http://127.0.0.1:9/debug/pprof/profile?seconds=30'
? 2
! --seconds and the URL's own seconds= are both given

### a negative --seconds
$ memscope info --seconds -1 http://127.0.0.1:9/debug/pprof/profile
? 2
! --seconds must not be negative

### --help names the options
$ memscope watch --help
~   --every INTERVAL
~   --fail-on-leak
~   --header 'NAME: VALUE'

### at most 16 --header options (values not shown)
$ memscope top --header 'X1: v' --header 'X2: v' --header 'X3: v' --header 'X4: v' --header 'X5: v' --header 'X6: v' --header 'X7: v' --header 'X8: v' --header 'X9: v' --header 'X10: v' --header 'X11: v' --header 'X12: v' --header 'X13: v' --header 'X14: v' --header 'X15: v' --header 'X16: v' --header 'X17: v' http://127.0.0.1:9/debug/pprof/heap
? 2
! option '--header' is given more than 16 times
