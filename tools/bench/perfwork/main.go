// perfwork is a CPU-bound Go program with deep, varied, symbolized stacks,
// recorded with `perf record -g` to make the large `perf script` input of
// tools/bench/flame.sh: 32 step functions call one another along
// pseudo-random paths 30-60 frames deep and end in real work (SHA-256,
// sorting, map updates, allocation, so GC and runtime frames appear too).
//
//	go build -o perfwork tools/bench/perfwork/main.go && ./perfwork -seconds 15
package main

import (
	"crypto/sha256"
	"flag"
	"math/rand"
	"sort"
	"time"
)

type step func(path []uint8, d int) uint64

var table [32]step
var sink uint64
var keep [][]byte

func work(path []uint8) uint64 {
	switch path[0] % 4 {
	case 0:
		var buf [256]byte
		for i := range buf {
			buf[i] = byte(i) ^ path[1]
		}
		s := sha256.Sum256(buf[:])
		return uint64(s[0])
	case 1:
		xs := make([]int, 256)
		for i := range xs {
			xs[i] = (i * 7919) % 251
		}
		sort.Ints(xs)
		return uint64(xs[17])
	case 2:
		m := make(map[int]int, 64)
		for i := 0; i < 256; i++ {
			m[i%97] += i
		}
		return uint64(len(m))
	default:
		b := make([]byte, 512+int(path[1])*16)
		if path[2]%8 == 0 {
			keep = append(keep, b)
			if len(keep) > 4096 {
				keep = keep[:0]
			}
		}
		return uint64(len(b))
	}
}

func call(path []uint8, d int) uint64 {
	if d >= len(path) {
		return work(path)
	}
	return table[path[d]%32](path, d+1)
}

// 32 distinct functions so every frame has its own symbol.
func s00(p []uint8, d int) uint64 { return call(p, d) + 0 }
func s01(p []uint8, d int) uint64 { return call(p, d) + 1 }
func s02(p []uint8, d int) uint64 { return call(p, d) + 2 }
func s03(p []uint8, d int) uint64 { return call(p, d) + 3 }
func s04(p []uint8, d int) uint64 { return call(p, d) + 4 }
func s05(p []uint8, d int) uint64 { return call(p, d) + 5 }
func s06(p []uint8, d int) uint64 { return call(p, d) + 6 }
func s07(p []uint8, d int) uint64 { return call(p, d) + 7 }
func s08(p []uint8, d int) uint64 { return call(p, d) + 8 }
func s09(p []uint8, d int) uint64 { return call(p, d) + 9 }
func s10(p []uint8, d int) uint64 { return call(p, d) + 10 }
func s11(p []uint8, d int) uint64 { return call(p, d) + 11 }
func s12(p []uint8, d int) uint64 { return call(p, d) + 12 }
func s13(p []uint8, d int) uint64 { return call(p, d) + 13 }
func s14(p []uint8, d int) uint64 { return call(p, d) + 14 }
func s15(p []uint8, d int) uint64 { return call(p, d) + 15 }
func s16(p []uint8, d int) uint64 { return call(p, d) + 16 }
func s17(p []uint8, d int) uint64 { return call(p, d) + 17 }
func s18(p []uint8, d int) uint64 { return call(p, d) + 18 }
func s19(p []uint8, d int) uint64 { return call(p, d) + 19 }
func s20(p []uint8, d int) uint64 { return call(p, d) + 20 }
func s21(p []uint8, d int) uint64 { return call(p, d) + 21 }
func s22(p []uint8, d int) uint64 { return call(p, d) + 22 }
func s23(p []uint8, d int) uint64 { return call(p, d) + 23 }
func s24(p []uint8, d int) uint64 { return call(p, d) + 24 }
func s25(p []uint8, d int) uint64 { return call(p, d) + 25 }
func s26(p []uint8, d int) uint64 { return call(p, d) + 26 }
func s27(p []uint8, d int) uint64 { return call(p, d) + 27 }
func s28(p []uint8, d int) uint64 { return call(p, d) + 28 }
func s29(p []uint8, d int) uint64 { return call(p, d) + 29 }
func s30(p []uint8, d int) uint64 { return call(p, d) + 30 }
func s31(p []uint8, d int) uint64 { return call(p, d) + 31 }

func main() {
	seconds := flag.Float64("seconds", 15, "how long to run")
	seed := flag.Int64("seed", 1, "random seed for the call paths")
	flag.Parse()
	table = [32]step{s00, s01, s02, s03, s04, s05, s06, s07, s08, s09, s10, s11, s12, s13, s14, s15,
		s16, s17, s18, s19, s20, s21, s22, s23, s24, s25, s26, s27, s28, s29, s30, s31}
	rng := rand.New(rand.NewSource(*seed))
	// a fixed set of paths, so stacks repeat as they do in real programs
	paths := make([][]uint8, 2000)
	for i := range paths {
		p := make([]uint8, 30+rng.Intn(31))
		for k := range p {
			p[k] = uint8(rng.Intn(256))
		}
		paths[i] = p
	}
	deadline := time.Now().Add(time.Duration(*seconds * float64(time.Second)))
	for i := 0; time.Now().Before(deadline); i++ {
		for k := 0; k < 64; k++ {
			sink += call(paths[(i*64+k)%len(paths)], 3)
		}
	}
}
