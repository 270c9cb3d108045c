// genheap writes a large, realistic Go heap profile for memscope's
// benchmarks: many distinct allocation stacks 20-60 frames deep (Go keeps
// the 32 innermost), every allocation recorded (MemProfileRate = 1), a mix of
// live and freed objects so all four sample types are non-trivial.
//
//	go run tools/bench/genheap/main.go -stacks 400000 -seed 1 -o big.pb.gz
package main

import (
	"flag"
	"log"
	"math/rand"
	"os"
	"runtime"
	"runtime/pprof"
)

type step func(path []uint8, d int)

var table [64]step
var keep [][]byte
var sink []byte

func leaf(path []uint8) {
	b := make([]byte, 16+int(path[0])*24)
	if path[1]%3 != 0 {
		keep = append(keep, b) // live
	} else {
		sink = b // garbage
	}
}

func call(path []uint8, d int) {
	if d >= len(path) {
		leaf(path)
		return
	}
	table[path[d]](path, d+1)
}

//go:noinline
func f00(p []uint8, d int) { call(p, d) }

//go:noinline
func f01(p []uint8, d int) { call(p, d) }

//go:noinline
func f02(p []uint8, d int) { call(p, d) }

//go:noinline
func f03(p []uint8, d int) { call(p, d) }

//go:noinline
func f04(p []uint8, d int) { call(p, d) }

//go:noinline
func f05(p []uint8, d int) { call(p, d) }

//go:noinline
func f06(p []uint8, d int) { call(p, d) }

//go:noinline
func f07(p []uint8, d int) { call(p, d) }

//go:noinline
func f08(p []uint8, d int) { call(p, d) }

//go:noinline
func f09(p []uint8, d int) { call(p, d) }

//go:noinline
func f10(p []uint8, d int) { call(p, d) }

//go:noinline
func f11(p []uint8, d int) { call(p, d) }

//go:noinline
func f12(p []uint8, d int) { call(p, d) }

//go:noinline
func f13(p []uint8, d int) { call(p, d) }

//go:noinline
func f14(p []uint8, d int) { call(p, d) }

//go:noinline
func f15(p []uint8, d int) { call(p, d) }

func main() {
	stacks := flag.Int("stacks", 400000, "distinct allocation stacks")
	seed := flag.Int64("seed", 1, "random seed (another seed gives another profile of the same shape)")
	grow := flag.Int("grow", 0, "extra live 64 KiB blocks allocated by growLeak (a regression)")
	out := flag.String("o", "heap.pb.gz", "output file")
	flag.Parse()
	runtime.MemProfileRate = 1
	fs := []step{f00, f01, f02, f03, f04, f05, f06, f07, f08, f09, f10, f11, f12, f13, f14, f15}
	for i := range table {
		table[i] = fs[i%len(fs)]
	}
	rng := rand.New(rand.NewSource(*seed))
	for i := 0; i < *stacks; i++ {
		depth := 20 + rng.Intn(41)
		path := make([]uint8, depth)
		for j := range path {
			path[j] = uint8(rng.Intn(16))
		}
		call(path, 2)
	}
	growLeak(*grow)
	runtime.GC()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		log.Fatal(err)
	}
	f.Close()
	runtime.KeepAlive(keep)
}

//go:noinline
func growLeak(n int) {
	for i := 0; i < n; i++ {
		keep = append(keep, make([]byte, 64<<10))
	}
}
