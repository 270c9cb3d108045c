// waits.go — a small program that waits in each way Go's execution tracer
// records (channel send/receive, select, sync.Mutex, sync.Cond, a blocking
// system call, the network, runnable) and runs GC cycles with mark assists,
// for memscope's tests of its Go trace reader and GC report. Run with
// GODEBUG=gctrace=1: the lines between "waits: trace start" and
// "waits: trace stop" on stderr are the cycles the trace holds.
//
//	go run waits.go trace.out 2>gctrace.log
package main

import (
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"runtime/trace"
	"sync"
	"syscall"
	"time"
)

type node struct {
	next *node
	pad  [48]byte
}

var keep []*node

func churn(n int) *node {
	var l *node
	for i := 0; i < n; i++ {
		l = &node{next: l}
	}
	return l
}

func main() {
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	runtime.GC()
	fmt.Fprintln(os.Stderr, "waits: trace start")
	trace.Start(f)

	var wg sync.WaitGroup
	// chan send / receive
	ch := make(chan int)
	wg.Add(2)
	go func() { defer wg.Done(); time.Sleep(2 * time.Millisecond); ch <- 1 }()
	go func() { defer wg.Done(); <-ch; time.Sleep(2 * time.Millisecond); ch <- 2 }()
	time.Sleep(5 * time.Millisecond)
	<-ch
	// select
	t := time.NewTimer(3 * time.Millisecond)
	quit := make(chan bool)
	select {
	case <-t.C:
	case <-quit:
	}
	// sync.Mutex and sync.Cond
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	ready := false
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			for !ready {
				cond.Wait()
			}
			mu.Unlock()
			for j := 0; j < 100; j++ {
				mu.Lock()
				keep = append(keep[:0], churn(50))
				mu.Unlock()
			}
		}()
	}
	time.Sleep(3 * time.Millisecond)
	mu.Lock()
	ready = true
	cond.Broadcast()
	mu.Unlock()
	// a blocking system call: read(2) on a pipe written 5 ms later
	var p [2]int
	if err := syscall.Pipe(p[:]); err != nil {
		panic(err)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		var b [1]byte
		syscall.Read(p[0], b[:])
	}()
	time.Sleep(5 * time.Millisecond)
	syscall.Write(p[1], []byte{1})
	// the network
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	wg.Add(1)
	go func() {
		defer wg.Done()
		c, _ := ln.Accept()
		time.Sleep(3 * time.Millisecond)
		c.Write(make([]byte, 100))
		c.Close()
	}()
	c, _ := net.Dial("tcp", ln.Addr().String())
	io.ReadAll(c)
	// GC cycles with mark assists: allocation from 4 goroutines over a
	// retained heap
	live := make([]*node, 64)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 150; j++ {
				live[(i*150+j)%64] = churn(3000)
			}
		}(i)
	}
	wg.Wait()
	live = nil
	runtime.GC()
	trace.Stop()
	fmt.Fprintln(os.Stderr, "waits: trace stop")
	f.Close()
}
