// leakgen writes a time series of Go heap profiles for memscope leaks' tests:
// a request loop with one steady leak (main.leakyAppend keeps 2 KiB per
// request forever), one cache that warms up and then plateaus
// (main.cacheFill: an LRU capped at 3000 entries of 4 KiB, full after 1.5 snapshots), an oscillating
// buffer pool (main.poolGrow: grows and is released every other phase) and
// short-lived garbage. A profile is written after runtime.GC() every
// -every requests.
//
//	go run tools/leakgen/main.go -snapshots 6 -every 2000 -o testdata/leaks/series
package main

import (
	"container/list"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

var leaked [][]byte

type lru struct {
	max   int
	order *list.List
	items map[int]*list.Element
}

type entry struct {
	key int
	val []byte
}

var cache = &lru{max: 3000, order: list.New(), items: map[int]*list.Element{}}
var pool [][]byte
var sink []byte

//go:noinline
func leakyAppend(i int) { leaked = append(leaked, make([]byte, 2048)) }

//go:noinline
func cacheFill(key int) {
	if e, ok := cache.items[key]; ok {
		cache.order.MoveToFront(e)
		return
	}
	cache.items[key] = cache.order.PushFront(&entry{key, make([]byte, 4096)})
	if cache.order.Len() > cache.max {
		old := cache.order.Back()
		cache.order.Remove(old)
		delete(cache.items, old.Value.(*entry).key)
	}
}

//go:noinline
func poolGrow(phase int) {
	if phase%2 == 0 {
		pool = append(pool, make([]byte, 1024))
	} else if len(pool) > 0 {
		pool = nil
	}
}

//go:noinline
func handle(i, phase int) {
	sink = make([]byte, 512) // garbage
	leakyAppend(i)
	cacheFill(i % 100000) // distinct keys: fills up to max, then evicts
	if i%4 == 0 {
		poolGrow(phase)
	}
}

func main() {
	snapshots := flag.Int("snapshots", 6, "profiles to write")
	every := flag.Int("every", 2000, "requests between profiles")
	out := flag.String("o", "series", "output prefix: PREFIX.N.pb.gz")
	flag.Parse()
	runtime.MemProfileRate = 4096
	for s := 0; s < *snapshots; s++ {
		for i := s * *every; i < (s+1)**every; i++ {
			handle(i, s)
		}
		runtime.GC()
		f, err := os.Create(fmt.Sprintf("%s.%d.pb.gz", *out, s))
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.WriteHeapProfile(f); err != nil {
			log.Fatal(err)
		}
		f.Close()
		time.Sleep(20 * time.Millisecond) // distinct, increasing time_nanos
	}
}
