// labels.go — a Go program whose profiles carry labels (runtime/pprof's
// pprof.Do / pprof.WithLabels), the input of memscope's tag filters and
// `memscope tags` tests. tools/mklabels.sh runs it with Debian's Go 1.19
// and keeps its profiles in testdata/labels/; the tests compare memscope
// with `go tool pprof` on those files.
//
// Go writes goroutine labels into CPU and goroutine profiles only (heap and
// allocation profiles carry just the numeric "bytes" label, the block
// size, in every Go up to 1.23), and its label API has string values only.
// So the program writes three profiles into the directory os.Args[1]:
//
//   goroutine.pb.gz  a goroutine profile (debug=0) taken while these
//                    goroutines are parked on a channel (counts known by
//                    construction):
//                      3  worker=parse                 main.parseWorker
//                      3  worker=render shard=even     main.renderWorker
//                      2  worker=render shard=odd      main.renderWorker
//                      2  worker=io request=r1         main.ioWorker
//                         (pprof.Do nested in worker=io)
//                      1  worker=io                    main.ioWorker
//                      4  no labels                    main.idleWorker
//                      1  no labels                    main.main (the writer)
//   cpu.pb.gz        a CPU profile of labelled work, fixed iteration counts:
//                    worker=hash (2 units of work), worker=sort (1 unit),
//                    worker=hash phase=final (1 unit, nested pprof.Do)
//   heap.pb.gz       a heap profile at MemProfileRate 1 holding 100 blocks
//                    of 64 B, 50 of 4096 B, 4 of 1 MiB and 1 of 10 MiB
//                    (numeric label bytes = block size)
package main

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"sync"
)

var release = make(chan struct{})

//go:noinline
func parseWorker(ready *sync.WaitGroup) { ready.Done(); <-release }

//go:noinline
func renderWorker(ready *sync.WaitGroup) { ready.Done(); <-release }

//go:noinline
func ioWorker(ready *sync.WaitGroup) { ready.Done(); <-release }

//go:noinline
func idleWorker(ready *sync.WaitGroup) { ready.Done(); <-release }

func labelled(ctx context.Context, ready *sync.WaitGroup, f func(*sync.WaitGroup), kv ...string) {
	ready.Add(1)
	go pprof.Do(ctx, pprof.Labels(kv...), func(context.Context) { f(ready) })
}

func goroutines(dir string) {
	ctx := context.Background()
	var ready sync.WaitGroup
	for i := 0; i < 3; i++ {
		labelled(ctx, &ready, parseWorker, "worker", "parse")
	}
	for i := 0; i < 5; i++ {
		shard := "even"
		if i%2 == 1 {
			shard = "odd"
		}
		labelled(ctx, &ready, renderWorker, "worker", "render", "shard", shard)
	}
	// pprof.Do nested: the inner call adds request=r1 to worker=io.
	for i := 0; i < 3; i++ {
		ready.Add(1)
		nested := i < 2
		go pprof.Do(ctx, pprof.Labels("worker", "io"), func(ctx context.Context) {
			if nested {
				pprof.Do(ctx, pprof.Labels("request", "r1"), func(context.Context) { ioWorker(&ready) })
				return
			}
			ioWorker(&ready)
		})
	}
	for i := 0; i < 4; i++ {
		ready.Add(1)
		go idleWorker(&ready)
	}
	ready.Wait()
	write(dir, "goroutine.pb.gz", func(f *os.File) error { return pprof.Lookup("goroutine").WriteTo(f, 0) })
	close(release)
}

var sink [32]byte

//go:noinline
func hashWork(units int) {
	buf := make([]byte, 4096)
	for i := 0; i < units*300000; i++ {
		buf[0] = byte(i)
		sink = sha256.Sum256(buf[:256])
	}
}

//go:noinline
func sortWork(units int) {
	for u := 0; u < units*100; u++ {
		xs := make([]int, 50000)
		for i := range xs {
			xs[i] = (i * 7919) % 50021
		}
		sort.Ints(xs)
	}
}

func cpu(dir string) {
	f := create(dir, "cpu.pb.gz")
	if err := pprof.StartCPUProfile(f); err != nil {
		fail(err)
	}
	ctx := context.Background()
	pprof.Do(ctx, pprof.Labels("worker", "hash"), func(ctx context.Context) {
		hashWork(2)
		pprof.Do(ctx, pprof.Labels("phase", "final"), func(context.Context) { hashWork(1) })
	})
	pprof.Do(ctx, pprof.Labels("worker", "sort"), func(context.Context) { sortWork(1) })
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		fail(err)
	}
}

var keep [][]byte

//go:noinline
func small() { keep = append(keep, make([]byte, 64)) }

//go:noinline
func page() { keep = append(keep, make([]byte, 4096)) }

//go:noinline
func mega() { keep = append(keep, make([]byte, 1<<20)) }

//go:noinline
func huge() { keep = append(keep, make([]byte, 10<<20)) }

func heap(dir string) {
	keep = make([][]byte, 0, 200)
	for i := 0; i < 100; i++ {
		small()
	}
	for i := 0; i < 50; i++ {
		page()
	}
	for i := 0; i < 4; i++ {
		mega()
	}
	huge()
	runtime.GC()
	write(dir, "heap.pb.gz", func(f *os.File) error { return pprof.Lookup("heap").WriteTo(f, 0) })
	runtime.KeepAlive(keep)
}

func create(dir, name string) *os.File {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		fail(err)
	}
	return f
}

func write(dir, name string, w func(*os.File) error) {
	f := create(dir, name)
	if err := w(f); err != nil {
		fail(err)
	}
	if err := f.Close(); err != nil {
		fail(err)
	}
}

func fail(err error) {
	os.Stderr.WriteString("labels: " + err.Error() + "\n")
	os.Exit(1)
}

func main() {
	runtime.MemProfileRate = 1
	if len(os.Args) != 2 {
		fail(os.ErrInvalid)
	}
	goroutines(os.Args[1])
	cpu(os.Args[1])
	heap(os.Args[1])
}
