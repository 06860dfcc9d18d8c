package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// behaviour decides how one simulated HTTP service answers a request.
type behaviour func(r *rand.Rand) (delay time.Duration, status int)

type service struct {
	name, tags string
	http       behaviour // nil for a TCP service
	tcpOpen    bool      // TCP service: listening (true) or a refused port
}

var services = []service{
	{name: "Website", tags: `["prod", "web"]`, http: steady(8*time.Millisecond, 6*time.Millisecond)},
	{name: "Public API", tags: `["prod", "api"]`, http: steady(35*time.Millisecond, 30*time.Millisecond)},
	{name: "Search", tags: `["prod", "api"]`, http: spiky},
	{name: "Reports", tags: `["internal"]`, http: slow},
	{name: "Payments", tags: `["prod", "api"]`, http: flaky},
	{name: "Legacy admin", tags: `["internal"]`, http: broken},
	{name: "Postgres", tags: `["prod", "db"]`, tcpOpen: true},
	{name: "Redis cache", tags: `["db"]`, tcpOpen: false},
}

func steady(base, jitter time.Duration) behaviour {
	return func(r *rand.Rand) (time.Duration, int) {
		return base + time.Duration(r.Int64N(int64(jitter))), http.StatusOK
	}
}

// spiky is usually fast with the occasional slow answer, so the sparkline
// and p95 have something to show.
func spiky(r *rand.Rand) (time.Duration, int) {
	if r.IntN(8) == 0 {
		return 400*time.Millisecond + time.Duration(r.Int64N(int64(900*time.Millisecond))), http.StatusOK
	}
	return 20*time.Millisecond + time.Duration(r.Int64N(int64(40*time.Millisecond))), http.StatusOK
}

// slow answers, but past the demo's degraded_after of 800ms, so it stays
// degraded rather than flapping around the threshold.
func slow(r *rand.Rand) (time.Duration, int) {
	return 850*time.Millisecond + time.Duration(r.Int64N(int64(300*time.Millisecond))), http.StatusOK
}

// flaky fails in streaks, long enough to cross fail_threshold now and then.
func flaky(r *rand.Rand) (time.Duration, int) {
	if r.IntN(3) == 0 {
		return 50 * time.Millisecond, http.StatusBadGateway
	}
	return 60*time.Millisecond + time.Duration(r.Int64N(int64(40*time.Millisecond))), http.StatusOK
}

func broken(*rand.Rand) (time.Duration, int) {
	return 5 * time.Millisecond, http.StatusServiceUnavailable
}

// Fleet is a running set of simulated services.
type Fleet struct {
	// Config is a complete services.toml watching the fleet.
	Config string

	mu      sync.Mutex
	rnd     *rand.Rand
	servers []*http.Server
	lns     []net.Listener
}

// Start listens on loopback for every simulated service.
func Start() (*Fleet, error) {
	f := &Fleet{rnd: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 42))}
	var cfg strings.Builder
	cfg.WriteString(header)
	for _, s := range services {
		target, err := f.start(s)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("start demo service %q: %w", s.name, err)
		}
		fmt.Fprintf(&cfg, "\n[[service]]\nname = %q\n%s\ntags = %s\n", s.name, target, s.tags)
	}
	f.Config = cfg.String()
	return f, nil
}

const header = `# The services of ` + "`uptop demo`" + `: simulated on loopback, so this works offline.
[defaults]
interval = "3s"
timeout = "2s"
degraded_after = "800ms"
fail_threshold = 2
`

func (f *Fleet) start(s service) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	if s.http == nil {
		if !s.tcpOpen {
			// Closing the listener leaves a port that refuses connections.
			ln.Close()
			return fmt.Sprintf("tcp = %q", addr), nil
		}
		f.lns = append(f.lns, ln)
		go acceptAndClose(ln)
		return fmt.Sprintf("tcp = %q", addr), nil
	}
	srv := &http.Server{Handler: f.handler(s.http), ReadHeaderTimeout: 5 * time.Second}
	f.servers = append(f.servers, srv)
	go srv.Serve(ln)
	return fmt.Sprintf("url = %q", "http://"+addr+"/health"), nil
}

func (f *Fleet) handler(b behaviour) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		delay, status := b(f.rnd)
		f.mu.Unlock()
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		w.WriteHeader(status)
		fmt.Fprintln(w, http.StatusText(status))
	})
}

func acceptAndClose(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		c.Close()
	}
}

// Close stops every simulated service.
func (f *Fleet) Close() error {
	var errs []error
	for _, s := range f.servers {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		errs = append(errs, s.Shutdown(ctx))
		cancel()
	}
	for _, ln := range f.lns {
		errs = append(errs, ln.Close())
	}
	return errors.Join(errs...)
}
