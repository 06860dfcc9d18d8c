package main

import (
	"bufio"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/uptop-dev/uptop/probe"
)

// meter wraps the real sink: it records each result's schedule lag and when
// every service had its first result, with atomics only, then forwards.
type meter struct {
	next   probe.Sink
	index  map[string]int // read-only after newMeter
	seen   []atomic.Bool
	nSeen  atomic.Int64
	start  time.Time
	window time.Duration
	// endNano is the end of the measured window on the scheduler's own grid:
	// the first service is due exactly at the grid origin, so its first
	// result fixes it. Until then every result counts (it is early).
	endNano  atomic.Int64
	allAt    atomic.Int64
	lags     []int64 // µs, filled through lagN
	lagN     atomic.Int64
	inWindow atomic.Int64
	durs     []int64 // µs, check durations, filled through lagN too
	// worstLag is the largest lag (µs) per second since start: it shows
	// whether lag is a start-up burst or spread over the run.
	worstLag [600]atomic.Int64
	failed   atomic.Int64
	firstErr atomic.Pointer[string]
}

func newMeter(next probe.Sink, targets []probe.Target, window time.Duration, capacity int) *meter {
	m := &meter{next: next, index: make(map[string]int, len(targets)), seen: make([]atomic.Bool, len(targets)),
		window: window, lags: make([]int64, capacity), durs: make([]int64, capacity)}
	m.endNano.Store(math.MaxInt64)
	for i, t := range targets {
		m.index[t.ID] = i
	}
	return m
}

func (m *meter) Ingest(r probe.Result) {
	i, known := m.index[r.ServiceID]
	if i == 0 && known && m.endNano.Load() == math.MaxInt64 {
		m.endNano.Store(r.Scheduled.Add(m.window).UnixNano())
	}
	if !r.Scheduled.IsZero() && r.Scheduled.UnixNano() < m.endNano.Load() {
		m.inWindow.Add(1)
		if i := m.lagN.Add(1) - 1; i < int64(len(m.lags)) {
			lag := r.Start.Sub(r.Scheduled).Microseconds()
			m.lags[i] = lag
			m.durs[i] = r.Duration.Microseconds()
			if sec := int(r.Scheduled.Sub(m.start) / time.Second); sec >= 0 && sec < len(m.worstLag) {
				for w := m.worstLag[sec].Load(); lag > w && !m.worstLag[sec].CompareAndSwap(w, lag); w = m.worstLag[sec].Load() {
				}
			}
		}
	}
	if !r.OK && m.failed.Add(1) == 1 {
		m.firstErr.Store(&r.Err)
	}
	if known && m.seen[i].CompareAndSwap(false, true) {
		if m.nSeen.Add(1) == int64(len(m.seen)) {
			m.allAt.Store(int64(time.Since(m.start)))
		}
	}
	m.next.Ingest(r)
}

// lagQuantiles are exact percentiles of the recorded lags.
func (m *meter) lagQuantiles() (p50, p99, maxLag time.Duration) { return m.quantiles(m.lags) }

// durQuantiles are exact percentiles of the recorded check durations.
func (m *meter) durQuantiles() (p50, p99, maxDur time.Duration) { return m.quantiles(m.durs) }

func (m *meter) quantiles(v []int64) (p50, p99, maxV time.Duration) {
	n := min(m.lagN.Load(), int64(len(v)))
	if n == 0 {
		return 0, 0, 0
	}
	l := slices.Clone(v[:n])
	slices.Sort(l)
	us := func(q float64) time.Duration { return time.Duration(l[int(q*float64(n-1))]) * time.Microsecond }
	return us(0.50), us(0.99), us(1)
}

// expectedTicks is how many grid ticks of services spread as the scheduler
// spreads them (service i of n at interval*i/n) fall inside the window.
func expectedTicks(n int, interval, window time.Duration) int64 {
	var total int64
	for i := range n {
		off := time.Duration(int64(interval) * int64(i) / int64(n))
		if off < window {
			total += int64((window-off-1)/interval) + 1
		}
	}
	return total
}

// cpuTime is this process's user+system CPU time (children excluded).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS is VmHWM from /proc/self/status, in bytes; 0 if unavailable.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// raiseFileLimit lifts the soft open-file limit to the hard one: 10,000
// services opening fresh connections need far more than the usual 1,024.
func raiseFileLimit() {
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil && lim.Cur < lim.Max {
		lim.Cur = lim.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim)
	}
}

// loadAverage is the 1-minute load average from /proc/loadavg: other
// processes on the machine steal CPU from the run and show up as lag.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}
