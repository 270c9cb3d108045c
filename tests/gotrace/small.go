// small.go — wrote testdata/gotrace/small.go1.23.trace (Go 1.23: go build
// small.go && ./small small.go1.23.trace), the fuzzing seed of
// tools/fuzz/fuzz_gotrace_v2.c: a few KB with every kind of interval (a
// contended mutex, a channel, a select, a sleep, a file write), a task, a
// region, a large allocation.
package main

import (
	"context"
	"os"
	"runtime"
	"runtime/trace"
	"sync"
	"time"
)

var sink []byte

func main() {
	runtime.GOMAXPROCS(2)
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	trace.Start(f)
	ctx, task := trace.NewTask(context.Background(), "small")
	var mu sync.Mutex
	var wg sync.WaitGroup
	ch := make(chan int)
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			trace.WithRegion(ctx, "tick", func() {
				for j := 0; j < 5; j++ {
					mu.Lock()
					runtime.Gosched()
					mu.Unlock()
				}
			})
			select {
			case ch <- 1:
			case <-time.After(time.Millisecond):
			}
		}()
	}
	<-ch
	os.WriteFile(os.Args[1]+".tmp", make([]byte, 4096), 0o600)
	os.Remove(os.Args[1] + ".tmp")
	sink = make([]byte, 1<<20) // some allocation (heap events)
	wg.Wait()
	task.End()
	trace.Stop()
	f.Close()
}
