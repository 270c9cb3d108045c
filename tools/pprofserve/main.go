// pprofserve — a Go server with net/http/pprof for memscope's tests of URL
// sources and `memscope watch` (tests/live.sh). It listens on 127.0.0.1:0
// and prints "port N" on stdout when ready.
//
// Its heap changes only when its heap profile is requested, never with
// time, so what a series of snapshots shows follows from the number of
// requests alone (tests must not depend on timing):
//
//   - every GET of /debug/pprof/heap first adds -step entries of -size bytes
//     to the store, allocated in main.keep (runtime.MemProfileRate = 1, so
//     the heap profile counts every allocation exactly);
//   - -mode leak: the store is a map that only grows (a leak);
//     -mode plateau: a ring of -cap entries (a bounded cache) whose oldest
//     entries are dropped: after cap/step requests its size stays put.
//
// Other endpoints: /held answers "BYTES OBJECTS" — what main.keep's
// allocations hold now (the reference for the fetched profile's values);
// with -token T, /debug/pprof/ needs "Authorization: Bearer T" (else 401);
// with -tls FILE it serves HTTPS with a fresh self-signed certificate for
// 127.0.0.1, written to FILE (what a client must be told to trust);
// /slow never answers before the client gives up (the timeout case);
// anything else unknown is net/http's 404.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"
)

var (
	mode = flag.String("mode", "leak", "leak (a growing map) or plateau (a bounded cache)")
	step = flag.Int("step", 64, "entries added by each heap-profile request")
	size = flag.Int("size", 16384, "bytes per entry (a size class, so the profile's bytes are exact)")
	cap_ = flag.Int("cap", 128, "plateau: entries the cache keeps")
	token = flag.String("token", "", "when set, /debug/pprof/ answers 401 without 'Authorization: Bearer TOKEN'")
	tlsCert = flag.String("tls", "", "serve HTTPS with a new self-signed certificate for 127.0.0.1, written (PEM) to this file")
)

// selfSigned makes a key and a certificate for 127.0.0.1 valid for a day,
// and writes the certificate to path (the CA file a client must trust).
func selfSigned(path string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "pprofserve"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	pemCert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := os.WriteFile(path, pemCert, 0o644); err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

type store struct {
	mu    sync.Mutex
	next  int
	leak  map[int][]byte
	ring  [][]byte
	bytes int64
	objs  int64
}

//go:noinline
func keep(n int) []byte { return make([]byte, n) }

func (s *store) grow() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < *step; i++ {
		b := keep(*size)
		b[0] = byte(i)
		if *mode == "leak" {
			s.leak[s.next] = b
			s.bytes += int64(*size)
			s.objs++
		} else {
			slot := s.next % *cap_
			if s.ring[slot] == nil {
				s.bytes += int64(*size)
				s.objs++
			}
			s.ring[slot] = b
		}
		s.next++
	}
}

func main() {
	flag.Parse()
	if *mode != "leak" && *mode != "plateau" {
		fmt.Fprintln(os.Stderr, "pprofserve: -mode is leak or plateau")
		os.Exit(2)
	}
	runtime.MemProfileRate = 1
	s := &store{leak: map[int][]byte{}, ring: make([][]byte, *cap_)}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	heap := pprof.Handler("heap")
	mux.HandleFunc("/debug/pprof/heap", func(w http.ResponseWriter, r *http.Request) {
		s.grow()
		heap.ServeHTTP(w, r)
	})
	mux.HandleFunc("/held", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		fmt.Fprintf(w, "%d %d\n", s.bytes, s.objs)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Minute):
		}
	})
	var h http.Handler = mux
	if *token != "" {
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/debug/pprof/") && r.Header.Get("Authorization") != "Bearer "+*token {
				http.Error(w, "missing or wrong bearer token", http.StatusUnauthorized)
				return
			}
			mux.ServeHTTP(w, r)
		})
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pprofserve:", err)
		os.Exit(1)
	}
	if *tlsCert != "" {
		cert, err := selfSigned(*tlsCert)
		if err != nil {
			fmt.Fprintln(os.Stderr, "pprofserve:", err)
			os.Exit(1)
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}})
	}
	fmt.Printf("port %d\n", ln.Addr().(*net.TCPAddr).Port)
	os.Stdout.Sync()
	if err := http.Serve(ln, h); err != nil {
		fmt.Fprintln(os.Stderr, "pprofserve:", err)
		os.Exit(1)
	}
}
