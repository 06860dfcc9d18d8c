// Command serve runs statusd over 1,000 synthetic services (90 days of
// daily rollups each) for load tests of the status page and API:
//
//	go run ./bench/serve -addr 127.0.0.1:8080            # then point wrk at it
//	go run ./bench/serve -sse 1000 -for 10s              # hold 1,000 SSE clients, report memory
//	go run ./bench/serve -cpuprofile /tmp/cpu.out        # profile until ^C, then go tool pprof
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"time"

	"github.com/uptop-dev/uptop/statusd"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	n := flag.Int("n", 1000, "number of synthetic services")
	churn := flag.Duration("churn", 0, "flip one service this often (0 = a still world)")
	sse := flag.Int("sse", 0, "open this many SSE clients against the server, report memory, exit")
	hold := flag.Duration("for", 10*time.Second, "with -sse: how long to hold the clients")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file (stops on ^C)")
	flag.Parse()
	if *cpuprofile != "" {
		stopProfile, err := startProfile(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		defer stopProfile()
	}

	src := newSynth(*n)
	h := statusd.NewHandler(src, statusd.Options{Title: "Synthetic status", Version: "bench"})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("listen on %s: %v (pick a free one with -addr)", *addr, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *churn > 0 || *sse > 0 {
		every := *churn
		if every == 0 {
			every = 100 * time.Millisecond
		}
		go src.churn(ctx, every)
	}
	if *sse > 0 {
		go func() { _ = statusd.Serve(ctx, ln, h) }()
		if err := holdSSE(ctx, "http://"+ln.Addr().String(), *sse, *hold); err != nil {
			log.Fatal(err)
		}
		return
	}
	fmt.Printf("serving %d synthetic services on http://%s\n", *n, ln.Addr())
	if err := statusd.Serve(ctx, ln, h); err != nil {
		log.Fatal(err)
	}
}

// startProfile profiles the CPU into path until the returned func is called.
func startProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("create cpu profile: %w (pick a writable -cpuprofile path)", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("start cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); _ = f.Close() }, nil
}
