// memlimit.go makes the GODEBUG=gctrace=1 logs in this folder: GC under a
// memory limit (GOMEMLIMIT) with GOGC off, a short program and a slow leak.
// Each mode's work is fixed (not timed), so the number of cycles depends
// only on the settings. See testdata/README for the commands.
//
//	steady LIVE_MIB    keep LIVE_MIB MiB live, churn 2 GiB of garbage
//	grow MAX_MIB       retain 1 MiB more per step up to MAX_MIB, 8 MiB garbage a step
//	short              allocate 8 MiB once and exit (one GC at most)
//	leak CYCLES        retain 3 MiB more before each forced GC
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
)

var sink []byte
var keep [][]byte

func churn(bytes int) {
	for n := 0; n < bytes; n += 16 << 10 {
		sink = make([]byte, 16<<10)
	}
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: memlimit steady|grow|short|leak [N]")
		os.Exit(2)
	}
	n := 0
	if len(os.Args) > 2 {
		n, _ = strconv.Atoi(os.Args[2])
	}
	switch os.Args[1] {
	case "steady":
		for i := 0; i < n*16; i++ {
			keep = append(keep, make([]byte, 64<<10))
		}
		churn(2 << 30)
	case "grow":
		for i := 0; i < n; i++ {
			for k := 0; k < 16; k++ {
				keep = append(keep, make([]byte, 64<<10))
			}
			churn(8 << 20)
		}
	case "short":
		for i := 0; i < 128; i++ {
			keep = append(keep, make([]byte, 64<<10))
		}
	case "leak":
		for c := 0; c < n; c++ {
			for k := 0; k < 48; k++ {
				keep = append(keep, make([]byte, 64<<10))
			}
			runtime.GC()
		}
	}
	fmt.Println(len(keep), len(sink))
}
