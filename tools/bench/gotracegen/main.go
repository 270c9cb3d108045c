// gotracegen — writes a large Go execution trace for tools/bench/gotrace.sh:
// gotracegen -o trace.out -d 22s -size 30000000. It runs at least -d and
// until the trace holds -size bytes (at most 5 times -d: a busy machine
// writes fewer events a second). Meanwhile it keeps goroutines
// blocking every way the trace profiles count: workers contending on
// mutexes and channels, a loopback TCP echo (network), small file writes
// (syscalls), timers, and allocation (GC cycles), so the trace has tens of
// MB of scheduling events over 20+ generations.
package main

import (
	"flag"
	"io"
	"net"
	"os"
	"runtime/trace"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	out := flag.String("o", "trace.out", "trace file")
	dur := flag.Duration("d", 22*time.Second, "how long to run")
	workers := flag.Int("workers", 16, "contending goroutines")
	size := flag.Int64("size", 30e6, "trace bytes to reach")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		panic(err)
	}
	cw := &countingWriter{w: f}
	if err := trace.Start(cw); err != nil {
		panic(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var mu sync.Mutex
	var garbage [][]byte
	work := make(chan int, 4)
	for i := 0; i < *workers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for n := 0; !stop.Load(); n++ {
				mu.Lock()
				garbage = append(garbage, make([]byte, 256))
				if len(garbage) > 4096 {
					garbage = nil
				}
				mu.Unlock()
				select {
				case work <- n:
				case v := <-work:
					_ = v
				case <-time.After(50 * time.Microsecond):
				}
			}
		}(i)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(c, c); c.Close() }()
		}
	}()
	wg.Add(2)
	go func() {
		defer wg.Done()
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			panic(err)
		}
		buf := make([]byte, 64)
		for !stop.Load() {
			c.Write(buf)
			io.ReadFull(c, buf)
		}
		c.Close()
	}()
	go func() {
		defer wg.Done()
		tf, err := os.CreateTemp("", "gotracegen")
		if err != nil {
			panic(err)
		}
		defer os.Remove(tf.Name())
		for !stop.Load() {
			tf.WriteAt(make([]byte, 512), 0)
			time.Sleep(100 * time.Microsecond)
		}
		tf.Close()
	}()
	start := time.Now()
	for time.Since(start) < *dur || (cw.n.Load() < *size && time.Since(start) < 5**dur) {
		time.Sleep(100 * time.Millisecond)
	}
	stop.Store(true)
	wg.Wait()
	ln.Close()
	trace.Stop()
	f.Close()
}

type countingWriter struct {
	w io.Writer
	n atomic.Int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n.Add(int64(n))
	return n, err
}
