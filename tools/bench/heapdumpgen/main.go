// heapdumpgen — writes a large Go heap dump for tools/bench/heapdump.sh: a
// map of N items (80-byte structs) each pointing to the next item and to
// a 32-byte leaf record (~2 * N small objects plus the map's buckets), so
// that N = 2,500,000 gives ~5M objects and a dump of ~440 MB.
// Usage: heapdumpgen N OUT
package main

import (
	"os"
	"runtime/debug"
	"strconv"
)

type Leaf struct {
	Owner *Item
	Data  [3]int64
}

type Item struct {
	Next *Item
	Leaf *Leaf
	Val  [64]byte
}

var Items map[int]*Item

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	Items = make(map[int]*Item, n)
	var prev *Item
	for i := 0; i < n; i++ {
		it := &Item{Next: prev}
		it.Leaf = &Leaf{Owner: it}
		it.Val[0] = byte(i)
		Items[i] = it
		prev = it
	}
	f, err := os.Create(os.Args[2])
	if err != nil {
		panic(err)
	}
	debug.WriteHeapDump(f.Fd())
	f.Close()
}
