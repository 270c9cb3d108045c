// labels.go writes a CPU profile whose samples carry pprof.Do labels (two
// keys, several values, one goroutine with two values for one key set by
// nesting), for memscope traces' label lines (testdata/README).
//
//	go run labels.go -o labels.cpu.pb.gz
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/pprof"
	"sync"
	"time"
)

var sink uint64

//go:noinline
func spin(d time.Duration) {
	end := time.Now().Add(d)
	x := uint64(1)
	for time.Now().Before(end) {
		for i := 0; i < 1000; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	sink += x
}

//go:noinline
func handle(ctx context.Context, d time.Duration) { spin(d) }

func main() {
	out := flag.String("o", "labels.cpu.pb.gz", "output")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, w := range []struct {
		route, tenant string
		d             time.Duration
	}{{"/login", "acme", 300 * time.Millisecond}, {"/search", "acme", 500 * time.Millisecond},
		{"/search", "globex", 400 * time.Millisecond}, {"/upload", "", 200 * time.Millisecond}} {
		wg.Add(1)
		go func(route, tenant string, d time.Duration) {
			defer wg.Done()
			labels := pprof.Labels("route", route)
			if tenant != "" {
				labels = pprof.Labels("route", route, "tenant", tenant)
			}
			pprof.Do(context.Background(), labels, func(ctx context.Context) { handle(ctx, d) })
		}(w.route, w.tenant, w.d)
	}
	wg.Wait()
	spin(100 * time.Millisecond) // unlabelled
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
