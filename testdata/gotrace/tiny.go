// tiny.go — a minimal traced program for memscope's fuzz seeds: a channel
// handoff, a mutex, a sleep and one forced GC while runtime/trace runs.
package main

import (
	"os"
	"runtime"
	"runtime/trace"
	"sync"
	"time"
)

func main() {
	f, _ := os.Create(os.Args[1])
	trace.Start(f)
	ch := make(chan int)
	var mu sync.Mutex
	go func() { mu.Lock(); time.Sleep(time.Millisecond); mu.Unlock(); ch <- 1 }()
	time.Sleep(100 * time.Microsecond)
	mu.Lock()
	mu.Unlock()
	<-ch
	_ = runtime.NumGoroutine()
	trace.Stop()
	f.Close()
}
