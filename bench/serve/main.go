// Command serve runs statusd over 1,000 synthetic services (90 days of
// daily rollups each) for load tests of the status page and API:
//
//	go run ./bench/serve -addr 127.0.0.1:8080            # then point wrk at it
//	go run ./bench/serve -sse 1000 -for 10s              # hold 1,000 SSE clients, report memory
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"time"

	"github.com/uptop-dev/uptop/statusd"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	n := flag.Int("n", 1000, "number of synthetic services")
	churn := flag.Duration("churn", 0, "flip one service this often (0 = a still world)")
	sse := flag.Int("sse", 0, "open this many SSE clients against the server, report memory, exit")
	hold := flag.Duration("for", 10*time.Second, "with -sse: how long to hold the clients")
	flag.Parse()

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
