package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uptop-dev/uptop/probe"
)

type options struct {
	duration, warmup time.Duration
	rate             int // background checks per second
	perDelay         int // measured services per delay
	delays           []time.Duration
	inProcess        bool // the server in this process (vs a child process)
}

func main() {
	var o options
	delays := flag.String("delays", "10ms,50ms,200ms", "injected server delays, comma separated")
	flag.DurationVar(&o.duration, "duration", 30*time.Second, "how long to measure")
	flag.DurationVar(&o.warmup, "warmup", 3*time.Second, "how long to run before measuring (start-up spread)")
	flag.IntVar(&o.rate, "rate", 1000, "background HTTP checks per second (services at a 1s interval)")
	flag.IntVar(&o.perDelay, "per-delay", 10, "measured services per delay, each checked every second")
	flag.BoolVar(&o.inProcess, "in-process", false, "run the delay server in this process (it then also reports |measured-held|)")
	serve := flag.Bool("serve", false, "internal: be the delay server (the harness starts this itself)")
	flag.Parse()
	if *serve {
		if err := serveChild(); err != nil {
			fmt.Fprintln(os.Stderr, "accuracy server:", err)
			os.Exit(1)
		}
		return
	}
	for _, s := range strings.Split(*delays, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(s))
		if err != nil || d <= 0 || d >= 900*time.Millisecond {
			fmt.Fprintf(os.Stderr, "accuracy: -delays: %q is not a duration between 0 and 900ms\n", s)
			os.Exit(2)
		}
		o.delays = append(o.delays, d)
	}
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "accuracy:", err)
		os.Exit(1)
	}
}

// sink keeps measured services' samples after the warm-up and counts the rest.
type sink struct {
	srv      *server
	delayOf  map[string]time.Duration // read-only
	from     atomic.Int64             // unix ns; samples before are warm-up
	mu       sync.Mutex
	samples  map[time.Duration][]sample
	bgChecks atomic.Int64
	failures atomic.Int64
	firstErr atomic.Pointer[string]
}

type sample struct{ measured, injected, held time.Duration }

func (k *sink) Ingest(r probe.Result) {
	if r.Start.UnixNano() < k.from.Load() {
		return
	}
	if !r.OK {
		k.failures.Add(1)
		msg := r.ServiceID + ": " + r.Err
		k.firstErr.CompareAndSwap(nil, &msg)
	}
	d, measured := k.delayOf[r.ServiceID]
	if !measured {
		k.bgChecks.Add(1)
		return
	}
	if !r.OK {
		return
	}
	s := sample{measured: r.Duration, injected: d}
	if k.srv != nil {
		s.held = k.srv.lastHeld(r.ServiceID)
	}
	k.mu.Lock()
	k.samples[d] = append(k.samples[d], s)
	k.mu.Unlock()
}

func run(o options, out io.Writer) error {
	var srv *server
	var base string
	if o.inProcess {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("listen on loopback: %w", err)
		}
		srv = &server{held: map[string]time.Duration{}}
		hs := newHTTPServer(srv)
		go hs.Serve(ln)
		defer hs.Close()
		base = "http://" + ln.Addr().String()
	} else {
		addr, stop, err := startChild()
		if err != nil {
			return err
		}
		defer stop()
		base = "http://" + addr
	}

	k := &sink{srv: srv, delayOf: map[string]time.Duration{}, samples: map[time.Duration][]sample{}}
	var measured []probe.Target
	for i := range o.perDelay {
		for _, d := range o.delays {
			id := fmt.Sprintf("m-%s-%d", d, i)
			k.delayOf[id] = d
			measured = append(measured, probe.Target{ID: id, Kind: "http", Address: base + "/hold/" + id + "?d=" + d.String(),
				Interval: time.Second, Timeout: 900 * time.Millisecond})
		}
	}
	// The scheduler spreads services over the interval in list order:
	// measured ones are interleaved with the background so they sample
	// every part of the second, not one cluster.
	var targets []probe.Target
	every := max(o.rate/max(len(measured), 1), 1)
	for i := range o.rate {
		if i%every == 0 && len(measured) > 0 {
			targets, measured = append(targets, measured[0]), measured[1:]
		}
		targets = append(targets, probe.Target{ID: fmt.Sprintf("bg-%d", i), Kind: "http", Address: base + "/fast",
			Interval: time.Second, Timeout: 900 * time.Millisecond})
	}
	targets = append(targets, measured...)
	sched, err := probe.NewScheduler(targets, k, probe.SchedulerOptions{Registry: probe.NewRegistry(), Node: "accuracy"})
	if err != nil {
		return err
	}
	k.from.Store(time.Now().Add(o.warmup).UnixNano())
	ctx, cancel := context.WithTimeout(context.Background(), o.warmup+o.duration)
	defer cancel()
	if err := sched.Run(ctx); err != nil && ctx.Err() == nil {
		return err
	}
	report(out, o, k, sched.Stats())
	return nil
}

func report(out io.Writer, o options, k *sink, st probe.SchedulerStats) {
	fmt.Fprintf(out, "latency accuracy: %d measured services per delay at 1/s, %d background HTTP checks/s, %s measured after %s warm-up, GOMAXPROCS=%d, server %s\n",
		o.perDelay, o.rate, o.duration, o.warmup, runtime.GOMAXPROCS(0), map[bool]string{true: "in this process", false: "in a child process"}[o.inProcess])
	fmt.Fprintf(out, "background: %.0f checks/s achieved; failed checks: %d", float64(k.bgChecks.Load())/o.duration.Seconds(), k.failures.Load())
	if e := k.firstErr.Load(); e != nil {
		fmt.Fprintf(out, " (first: %s)", *e)
	}
	fmt.Fprintf(out, "; scheduler: %+v\n\n", st)
	fmt.Fprintf(out, "%-8s %7s  %-30s  %-30s\n", "delay", "samples", "|measured-injected| med / p99 / max", "|measured-held| med / p99 / max")
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, d := range o.delays {
		ss := k.samples[d]
		vsInjected, vsHeld := errorsOf(ss)
		fmt.Fprintf(out, "%-8s %7d  %-36s  %-30s\n", d, len(ss), summary(vsInjected), summary(vsHeld))
	}
}
