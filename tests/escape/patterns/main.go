// patterns: one function per escape pattern of issue 18, each allocating
// at a known line in a loop so the allocs profile (MemProfileRate = 1)
// attributes its bytes to that line. A line marked "ALLOC NAME" allocates
// on every call; "STACK NAME" never does. Values stay 16 bytes or more:
// smaller pointer-free ones go to the tiny allocator, which profiles only
// the 16-byte blocks it carves them from. tests/escape_live.sh greps the
// compiler's -m=2 output for these lines and checks memscope's join.
// Usage: patterns PROFILE.pb.gz
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

type user struct {
	name string
	age  int
	tags [8]int64
}

var sink *user
var sinkAny interface{}
var sinkFn func() int
var sinkSlice []*user
var sinkMap map[int]*user
var sinkBytes []byte
var sinkBig byte

type quad struct{ a, b, c, d int64 }

//go:noinline
func newUser(n int) *user {
	u := user{age: n} // ALLOC returned
	return &u
}

//go:noinline
func storeGlobal(n int) {
	p := new(user) // ALLOC global
	p.age = n
	sink = p
}

//go:noinline
func toInterface(n int) {
	v := quad{a: int64(n)}
	sinkAny = v // ALLOC iface
}

//go:noinline
func makeN(n int) {
	b := make([]byte, n) // ALLOC make
	sinkBytes = b
}

//go:noinline
func closure(n int) {
	c := [4]int{n} // ALLOC closure
	sinkFn = func() int { c[0]++; return c[0] }
}

//go:noinline
func goroutine(n int, done chan int) {
	x := [4]int{n} // ALLOC goroutine
	go func() { x[0]++; done <- x[0] }()
}

//go:noinline
func sliceOfPointers(n int) {
	s := make([]*user, 0, 4)
	u := user{age: n} // ALLOC slice
	s = append(s, &u)
	sinkSlice = s
}

//go:noinline
func mapValues(n int) {
	v := user{age: n} // ALLOC map
	sinkMap[n%4] = &v
}

//go:noinline
func large(n int) {
	var buf [11 << 20]byte // ALLOC large
	buf[n%len(buf)] = byte(n)
	sinkBig += buf[(n+7)%len(buf)]
}

//go:noinline
func largeMake(n int) byte {
	b := make([]byte, 1<<17) // ALLOC largemake
	b[n%len(b)] = byte(n)
	return b[(n+1)%len(b)]
}

//go:noinline
func stackOnly(n int) int {
	u := user{age: n}
	p := &u
	return p.age
}

//go:noinline
func stackMake(n int) int {
	b := make([]byte, 32) // STACK make
	b[n%32] = 1
	return int(b[(n+1)%32])
}

//go:noinline
func viaLibrary(n int) string {
	return fmt.Sprintf("n=%d", n) // ALLOC library
}

func main() {
	runtime.MemProfileRate = 1
	sinkMap = make(map[int]*user)
	done := make(chan int)
	total := 0
	for i := 0; i < 200; i++ {
		total += newUser(i).age
		storeGlobal(i)
		toInterface(i)
		makeN(64 + i)
		closure(i)
		goroutine(i, done)
		total += <-done
		sliceOfPointers(i)
		mapValues(i)
		if i%20 == 0 {
			total += int(largeMake(i))
		}
		if i%50 == 0 {
			large(i) // explicit variables move to the heap above 10 MB
		}
		total += stackOnly(i)
		total += stackMake(i)
		total += len(viaLibrary(i))
		sinkQuad = newQuad(i) // INLINED newQuad
	}
	runtime.GC()
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		panic(err)
	}
	f.Close()
	fmt.Fprintln(os.Stderr, "total", total)
}

var sinkQuad *quad

// newQuad is inlined into main: the compiler analyses its body again there
// and prints that copy's decision at the call (the INLINED line), while the
// profile's frame for the allocation is this line, inlined into main.
func newQuad(n int) *quad {
	q := quad{a: int64(n)} // ALLOC inlined
	return &q
}
