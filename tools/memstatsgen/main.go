// memstatsgen prints a Go runtime.MemStats snapshot as JSON (what
// json.Marshal gives, the format `memscope frag` accepts) after a
// fragmenting workload: 400,000 objects of 100 bytes (Go's 112-byte class)
// of which every 20th stays reachable, and 64 MiB of large buffers that
// become garbage. Taken after runtime.GC(), before the scavenger has had
// time to return the freed pages.
//
//	go run tools/memstatsgen/main.go > testdata/frag/go-memstats.json
package main

import (
	"encoding/json"
	"os"
	"runtime"
)

var kept [][]byte

func main() {
	all := make([][]byte, 400000)
	for i := range all {
		all[i] = make([]byte, 100)
	}
	for i := 0; i < len(all); i += 20 {
		kept = append(kept, all[i])
	}
	all = nil
	big := make([][]byte, 8)
	for i := range big {
		big[i] = make([]byte, 8<<20)
		big[i][0] = 1
	}
	big = nil
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(&m); err != nil {
		os.Exit(1)
	}
	runtime.KeepAlive(kept)
}
