// escapehttp — the benchmark program of tools/bench/escape.sh: an
// httptest server and client exchanging JSON over loopback (net/http,
// encoding/json, bufio, ...), run with runtime.MemProfileRate = 1 so its
// allocs profile has many sites across the standard library, whose -m=2
// output `go build -a -gcflags=all=-m=2` prints. Usage: escapehttp N OUT.pb.gz
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
)

type item struct {
	ID   int               `json:"id"`
	Name string            `json:"name"`
	Tags []string          `json:"tags"`
	Meta map[string]string `json:"meta"`
}

func handler(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	items := make([]item, 0, 8)
	for i := 0; i < 8; i++ {
		items = append(items, item{ID: n + i, Name: fmt.Sprintf("item-%d", n+i),
			Tags: []string{"a", strings.Repeat("b", i)}, Meta: map[string]string{"k": r.URL.Path}})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(items)
}

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	runtime.MemProfileRate = 1
	srv := httptest.NewServer(http.HandlerFunc(handler))
	total := 0
	for i := 0; i < n; i++ {
		resp, err := http.Get(srv.URL + "/items?n=" + strconv.Itoa(i))
		if err != nil {
			panic(err)
		}
		var got []item
		if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
			panic(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		total += len(got)
	}
	srv.Close()
	f, err := os.Create(os.Args[2])
	if err != nil {
		panic(err)
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		panic(err)
	}
	f.Close()
	fmt.Fprintln(os.Stderr, "items", total)
}
