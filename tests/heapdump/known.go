// known.go — a Go program whose heap retention is known from its
// construction; it writes a heap dump (runtime/debug.WriteHeapDump) to
// os.Args[1]. tests/cli/heapdump.t checks memscope's figures against the
// sizes derived here (Go's size classes, runtime/sizeclasses.go).
//
//   main.Tree   a full binary tree of 4095 TNode (24 B, class 24)
//               retained 4095 * 24 = 98280 B, 4095 objects
//   main.Cache  make(map[int]*Val, 1000) with 1000 *Val (100 B, class 112):
//               hmap 48 B + mapextra 24 B + one bucket array (B = 8:
//               256 + 16 overflow buckets of 144 B = 39168 B -> 40960 B,
//               a 5-page large object) + 1000 * 112 B
//               = 153032 B, 1003 objects
//   goroutine N main.holder (chan receive)
//               a list of 2000 LNode (48 B, class 48) held only by the
//               parked goroutine's frame: 96000 B, 2000 objects
//   finalizer   a Fin (24 B) with a finalizer, referenced by nothing else,
//               holding a 4096 B buffer: 4120 B, 2 objects
//   garbage     500 * make([]byte, 3000) (class 3072) dropped with the GC
//               off (debug.SetGCPercent(-1)): 500 unreachable objects
package main

import (
	"bytes"
	"os"
	"runtime"
	"runtime/debug"
)

type TNode struct {
	L, R *TNode
	V    int64
}

type Val [100]byte

type LNode struct {
	Next *LNode
	Pad  [40]byte
}

type Fin struct{ Buf []byte }

var Tree *TNode
var Cache map[int]*Val
var sink []byte

func tree(depth int) *TNode {
	if depth == 0 {
		return nil
	}
	return &TNode{L: tree(depth - 1), R: tree(depth - 1)}
}

//go:noinline
func holder(ch chan int, n int) {
	var head *LNode
	for i := 0; i < n; i++ {
		head = &LNode{Next: head}
	}
	<-ch
	runtime.KeepAlive(head)
}

// parked reports whether a goroutine waits in main.holder's channel
// receive (so the dump finds its list built and the goroutine parked,
// however busy the machine).
func parked() bool {
	buf := make([]byte, 1<<16)
	n := runtime.Stack(buf, true)
	for _, g := range bytes.Split(buf[:n], []byte("\n\n")) {
		if bytes.Contains(g, []byte("[chan receive]")) && bytes.Contains(g, []byte("main.holder(")) {
			return true
		}
	}
	return false
}

//go:noinline
func finalized() {
	f := &Fin{Buf: make([]byte, 4096)}
	runtime.SetFinalizer(f, func(*Fin) {})
}

func main() {
	debug.SetGCPercent(-1)
	runtime.MemProfileRate = 0
	Tree = tree(12)
	Cache = make(map[int]*Val, 1000)
	for i := 0; i < 1000; i++ {
		Cache[i] = new(Val)
	}
	ch := make(chan int)
	go holder(ch, 2000)
	finalized()
	for i := 0; i < 500; i++ {
		sink = make([]byte, 3000)
	}
	sink = nil
	for !parked() {
		runtime.Gosched()
	}
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	debug.WriteHeapDump(f.Fd())
	f.Close()
	close(ch)
}
