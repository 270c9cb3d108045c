// gate: a before/after pair in one file. As it is (the old build) checksum
// keeps its record on the stack; the new build is this file with the line
// marked NEW changed to "p := &r; last = p" (tests/escape_live.sh does it
// with sed), which stores the record's address in a global, so the GATE
// line's allocation moves to the heap. The test checks that `memscope
// escape --base OLD NEW` trips on the pair and not on an unchanged build.
// Usage: gate PROFILE.pb.gz
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
)

type record struct {
	id    int
	sum   int
	items [14]int
}

var last *record

//go:noinline
func checksum(n int) int {
	r := record{id: n} // GATE
	p := &r // NEW
	p.sum = n * 3
	return p.sum + p.items[n%14]
}

//go:noinline
func buffer(n int) []byte {
	return make([]byte, 64+n%8)
}

func main() {
	runtime.MemProfileRate = 1
	total := 0
	for i := 0; i < 500; i++ {
		total += checksum(i)
		total += len(buffer(i))
	}
	if last != nil {
		total += last.id
	}
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil || total < 0 {
		panic(err)
	}
}
