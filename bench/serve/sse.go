package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// holdSSE opens n SSE clients, holds them for d while the world churns,
// and reports events received and the process's memory.
func holdSSE(ctx context.Context, base string, n int, d time.Duration) error {
	tr := &http.Transport{MaxConnsPerHost: 0, MaxIdleConnsPerHost: n}
	hc := &http.Client{Transport: tr}
	var events, connected atomic.Int64
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/events", nil)
			resp, err := hc.Do(req)
			if err != nil {
				return
			}
			defer resp.Body.Close()
			connected.Add(1)
			sc := bufio.NewScanner(resp.Body)
			sc.Buffer(nil, 64<<20)
			for sc.Scan() {
				if strings.HasPrefix(sc.Text(), "event: snapshot") {
					events.Add(1)
				}
			}
		}()
	}
	time.Sleep(d / 2)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("clients connected: %d/%d\n", connected.Load(), n)
	fmt.Printf("heap in use: %.1f MiB, goroutines: %d, RSS: %s (server and clients in one process)\n",
		float64(ms.HeapInuse)/(1<<20), runtime.NumGoroutine(), rss())
	wg.Wait()
	fmt.Printf("events received in %s: %d (%.0f per client)\n", d, events.Load(), float64(events.Load())/float64(n))
	return nil
}

func rss() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "n/a"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmRSS:"))
		}
	}
	return "n/a"
}
