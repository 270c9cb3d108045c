// gens.go — wrote testdata/gotrace/gens.go1.23.trace (Go 1.23: go build
// gens.go && ./gens gens.go1.23.trace): a trace of several generations (the
// runtime starts a new one about every second), so that cutting the file
// short between generations can be tested. 2.5 s of light, periodic work:
// a contended mutex, a channel ping-pong and sleeps, in a task and regions.
package main

import (
	"context"
	"os"
	"runtime"
	"runtime/trace"
	"sync"
	"time"
)

func main() {
	runtime.GOMAXPROCS(2)
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	trace.Start(f)
	ctx, task := trace.NewTask(context.Background(), "gens")
	var mu sync.Mutex
	var garbage [][]byte
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v
		}
	}()
	deadline := time.Now().Add(2500 * time.Millisecond)
	for round := 0; time.Now().Before(deadline); round++ {
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				trace.WithRegion(ctx, "tick", func() {
					for j := 0; j < 20; j++ {
						mu.Lock()
						garbage = append(garbage, make([]byte, 1024))
						if len(garbage) > 2000 {
							garbage = nil
						}
						mu.Unlock()
					}
				})
			}()
		}
		ping <- round
		<-pong
		wg.Wait()
		time.Sleep(20 * time.Millisecond)
	}
	close(ping)
	task.End()
	trace.Stop()
	f.Close()
}
