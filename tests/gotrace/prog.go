// prog.go — the program tests/gotrace_live.sh builds with each installed Go
// (1.22, 1.23) and runs to write a fresh execution trace and CPU profile:
// prog TRACE.out CPU.pb.gz. It blocks in every way the trace profiles
// count: a contended sync.Mutex and sync.Cond, channel send/receive and
// select, a WaitGroup, loopback TCP (network), file writes and fsync
// (syscalls), time.Sleep, many runnable goroutines on few Ps (sched), and
// allocation (GC cycles), inside a user task and regions.
package main

import (
	"context"
	"io"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"time"
)

var sink [][]byte

func main() {
	runtime.GOMAXPROCS(2)
	tf, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	cf, err := os.Create(os.Args[2])
	if err != nil {
		panic(err)
	}
	pprof.StartCPUProfile(cf)
	trace.Start(tf)

	ctx, task := trace.NewTask(context.Background(), "work")
	var wg sync.WaitGroup

	// sync.Mutex contention
	var mu sync.Mutex
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			trace.WithRegion(ctx, "locked", func() {
				for j := 0; j < 200; j++ {
					mu.Lock()
					sink = append(sink, make([]byte, 4096))
					if len(sink) > 512 {
						sink = nil
					}
					mu.Unlock()
				}
			})
		}()
	}

	// channels and select
	ch, done := make(chan int), make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 300; i++ {
			ch <- i
		}
		close(done)
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-ch:
			case <-done:
				return
			}
		}
	}()

	// sync.Cond
	var cmu sync.Mutex
	cond := sync.NewCond(&cmu)
	ready := 0
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmu.Lock()
			for ready == 0 {
				cond.Wait()
			}
			cmu.Unlock()
		}()
	}

	// network: a loopback echo
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		c, err := ln.Accept()
		if err != nil {
			return
		}
		io.Copy(c, c)
		c.Close()
	}()
	trace.WithRegion(ctx, "network", func() {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			panic(err)
		}
		buf := make([]byte, 512)
		for i := 0; i < 50; i++ {
			c.Write(buf)
			io.ReadFull(c, buf)
		}
		c.Close()
	})
	ln.Close()

	// syscalls
	trace.WithRegion(ctx, "files", func() {
		f, err := os.CreateTemp("", "prog")
		if err != nil {
			panic(err)
		}
		for i := 0; i < 20; i++ {
			f.Write(make([]byte, 64<<10))
			f.Sync()
		}
		f.Close()
		os.Remove(f.Name())
	})

	time.Sleep(5 * time.Millisecond)
	cmu.Lock()
	ready = 1
	cond.Broadcast()
	cmu.Unlock()
	wg.Wait()
	task.End()

	trace.Stop()
	pprof.StopCPUProfile()
	tf.Close()
	cf.Close()
}
